"""Invented names and coded interview excerpts for the synthetic data.

All wording here is our own. Names are made-up combinations that belong to no one. Some excerpts
carry planted fake identifiers for the privacy guard to catch:

- an adviser name taken from centres (``Adviser <first> <last>``);
- a participant id from the MI (``QQ`` + 6 digits + A-D: the QQ prefix is never issued);
- a phone number in Ofcom's drama range (``07700 900000``-``07700 900999``);
- an e-mail address at ``example.org`` (reserved for documentation, RFC 2606);
- a postcode-like string starting ``Q`` (no UK postcode area starts with Q), e.g. ``QX4 7ZZ``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..contract import ROLES, THEMES
from ._synth_targets import Targets

FIRST_NAMES = (
    "Quillon",
    "Marisande",
    "Tobren",
    "Elsith",
    "Corvane",
    "Ysmera",
    "Padrec",
    "Wennoch",
    "Ferant",
    "Ilsabeth",
    "Dorrin",
    "Calvess",
    "Brennagh",
    "Ottilane",
    "Ruskin",
    "Anwick",
    "Liorra",
    "Gethen",
    "Saffrey",
    "Mordane",
    "Perrow",
    "Hallis",
    "Veskit",
    "Jorvane",
    "Tamsyth",
    "Orrel",
    "Belwyn",
    "Kestra",
    "Nimmet",
    "Sorrane",
)
LAST_NAMES = (
    "Brackwater",
    "Farrowdene",
    "Mossgrave",
    "Thistlewick",
    "Hollowmere",
    "Copperbeck",
    "Ravelstone",
    "Dunmallow",
    "Pellingtree",
    "Saltmarrow",
    "Gorsethwaite",
    "Kestrelby",
    "Larkspurr",
    "Quarrendon",
    "Wimblecote",
    "Fenwhistle",
    "Ashgrindle",
    "Tumbrelly",
    "Marrowick",
    "Sedgecombe",
    "Orchardyne",
    "Bramblesby",
    "Nettlecroft",
    "Cobblethwaite",
    "Halloway-Prynn",
    "Wickerstaff",
    "Emberlow",
    "Gallowmere",
    "Spindlecott",
    "Umberhythe",
)

#: Two invented excerpts for each theme, in the order of ``THEMES`` (the comment names the theme).
EXCERPTS: dict[str, tuple[str, ...]] = dict(zip(THEMES, (
    (  # flexible_role
        "No two weeks look the same for me, and that freedom lets me meet parents where they are.",
        "I can go from a stay-and-play session to a benefits check in one morning.",
    ),
    (  # role_tension
        "Some days I feel pulled between chatting at group sessions and booking proper "
        "work-focused "
        "meetings.",
        "It is hard to show progress when half my time goes on informal contact nobody counts.",
    ),
    (  # line_manager_targets
        "My manager back at the office still asks for numbers every month.",
        "There was pressure from the district to report job outcomes like any other adviser.",
    ),
    (  # manager_understands_employment
        "Our centre lead sees paid work as part of lifting families out of hardship.",
        "Once the manager bought into the employment side, the rest of the staff followed.",
    ),
    (  # accessible_adviser
        "She was easy to talk to and never made me feel judged for being out of work.",
        "You can just pop your head round the door and ask; there is no letter or queue.",
    ),
    (  # more_time_than_office
        "At the jobcentre it was ten minutes and out; here we sat for most of an hour.",
        "He actually had time to go through everything with me instead of rushing.",
    ),
    (  # partnership_growth
        "In the first months we hardly knew each other's systems; now we pass families between us "
        "every week.",
        "Referrals both ways have really picked up since the second year started.",
    ),
    (  # limited_other_partners
        "Beyond the centre and the jobcentre, other local providers have been slow to get "
        "involved.",
        "We tried to bring the college in but it never went further than one meeting.",
    ),
    (  # holistic_support
        "They looked at the childcare, the debts and the job search together, not one at a time.",
        "The housing worry got sorted at the same time as the CV, which made all the difference.",
    ),
    (  # faster_service
        "Everything is in one building, so a query that used to take weeks took days.",
        "I got my better-off figures the same day instead of waiting for an appointment.",
    ),
    (  # new_skills_for_jcp
        "I have learned far more about local family services than I did behind a jobcentre desk.",
        "Working here taught me how to build trust with parents who would never walk into an "
        "office.",
    ),
    (  # outreach_success
        "The stall at the summer fun day brought in parents we had never seen before.",
        "Going along to the baby groups is how most of my customers first heard about me.",
    ),
    (  # closer_to_work
        "I am not working yet, but I know what I want to do now and I have started a course.",
        "A year ago I would not have thought about a job; now I am looking at part-time hours.",
    ),
    (  # time_to_bed_in
        "It took most of the first year before staff really knew what the adviser was there for.",
        "The early months were slow; it only felt settled once the centre got used to us.",
    ),
), strict=True))

PLANTED = (
    "I was booked in with {adviser} and we went through my options the same morning.",
    "The form had my number on it, {participant}, so they found my details quickly.",
    "She gave me a direct line, {phone}, so I could ring before coming in.",
    "I still send questions to {email} when something changes with my claim.",
    "We met at the community hall near {postcode} for the first session.",
)

#: Chance that an interview with each role (rows) is coded with each theme (columns, THEMES order).
_ROLE_THEMES = dict(zip(ROLES, (  # one row per role, in the order of ROLES
    dict(  # adviser
        flexible_role=0.6,
        role_tension=0.4,
        accessible_adviser=0.2,
        new_skills_for_jcp=0.4,
        outreach_success=0.4,
        time_to_bed_in=0.3,
        partnership_growth=0.3,
    ),
    dict(  # centre_manager
        partnership_growth=0.5,
        limited_other_partners=0.3,
        time_to_bed_in=0.4,
        holistic_support=0.3,
    ),
    dict(  # centre_staff
        partnership_growth=0.5,
        holistic_support=0.4,
        faster_service=0.3,
        outreach_success=0.3,
        time_to_bed_in=0.2,
    ),
    dict(partnership_growth=0.5, limited_other_partners=0.5, holistic_support=0.3),  # partner
    dict(  # parent
        accessible_adviser=0.5,
        more_time_than_office=0.4,
        faster_service=0.3,
        closer_to_work=0.4,
        holistic_support=0.3,
    ),
), strict=True))
#: Per LA and wave: five case-study interviews (one per role) and three in-depth parent interviews.
PLAN = [("case_study", role) for role in ROLES] + [("in_depth", "parent")] * 3


def adviser_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` invented adviser names, all different while n <= 900."""
    combos = len(FIRST_NAMES) * len(LAST_NAMES)
    pick = rng.permutation(combos)[np.arange(n) % combos]
    first = np.array(FIRST_NAMES)[pick // len(LAST_NAMES)]
    last = np.array(LAST_NAMES)[pick % len(LAST_NAMES)]
    return np.char.add(np.char.add(np.char.add("Adviser ", first), " "), last)


def interviews(
    rng: np.random.Generator,
    pilots: pd.DataFrame,
    centres: pd.DataFrame,
    mi: pd.DataFrame,
    t: Targets,
) -> pd.DataFrame:
    """Coded interviews: eight per pilot LA and wave (not scaled: qualitative samples are small)."""
    n_la = len(pilots)
    if n_la * 2 * len(PLAN) > 99999:
        raise ValueError(f"too many pilot areas for the interview ids INT-nnnnn (at most "
                         f"{99999 // (2 * len(PLAN))})")
    wave = np.repeat([1, 2], n_la * len(PLAN))
    la = np.tile(np.repeat(np.arange(n_la), len(PLAN)), 2)
    kind = np.tile(np.arange(len(PLAN)), 2 * n_la)
    types = np.array([p[0] for p in PLAN])[kind]
    roles = np.array([p[1] for p in PLAN])[kind]
    n = len(wave)
    prob = np.zeros((n, len(THEMES)))
    for role, themes in _ROLE_THEMES.items():
        rows = roles == role
        for theme, p in themes.items():
            prob[rows, THEMES.index(theme)] = p
    prob[:, THEMES.index("time_to_bed_in")] *= np.where(wave == 1, 1.5, 0.5)
    prob[:, THEMES.index("partnership_growth")] *= np.where(wave == 2, 1.4, 0.7)
    managers = np.flatnonzero(roles == "centre_manager")  # exactly the calibration's share
    understand = rng.choice(
        managers, size=round(t.managers_understand * len(managers)), replace=False
    )
    prob[understand, THEMES.index("manager_understands_employment")] = 1.0
    n_targets = min(n_la, round(t.line_manager_targets_share * n_la))
    targets_las = rng.choice(n_la, size=n_targets, replace=False)
    targets = (roles == "adviser") & np.isin(la, targets_las)
    prob[:, THEMES.index("line_manager_targets")] = np.where(targets, 1.0, 0.0)
    coded = rng.random(prob.shape) < np.minimum(prob, 1.0)
    none = ~coded.any(axis=1)
    coded[none, np.argmax(prob[none], axis=1)] = True
    theme_names = np.array(THEMES)
    themes = np.array([";".join(theme_names[row]) for row in coded])
    chosen = np.argmax(coded * rng.random(prob.shape), axis=1)
    variant = rng.integers(0, 2, n)
    excerpt = np.array(
        [EXCERPTS[THEMES[t]][v] for t, v in zip(chosen, variant, strict=True)], dtype=object
    )
    _plant(rng, excerpt, pilots["la_code"].to_numpy()[la], centres, mi)
    return pd.DataFrame(
        {
            # INT-0001 while four digits suffice (the ten-area data), five beyond 9,999 interviews.
            "interview_id": [f"INT-{i:0{max(4, len(str(n)))}d}" for i in range(1, n + 1)],
            "interview_type": types,
            "wave": wave.astype(np.int64),
            "la_code": pilots["la_code"].to_numpy()[la],
            "role": roles,
            "themes": themes,
            "excerpt": excerpt,
        }
    )


def _plant(
    rng: np.random.Generator,
    excerpt: np.ndarray,
    la_codes: np.ndarray,
    centres: pd.DataFrame,
    mi: pd.DataFrame,
) -> None:
    """Append a sentence with a fake identifier to some excerpts (every kind at least once)."""
    n = len(excerpt)
    k = min(n, max(len(PLANTED), round(0.06 * n)))
    rows = np.sort(rng.choice(n, size=k, replace=False))
    kinds = rng.permutation(np.arange(k) % len(PLANTED))
    adviser_rows = centres.groupby("la_code", sort=False, observed=True).indices
    mi_rows = mi.groupby("la_code", sort=False, observed=True).indices
    names, people = centres["adviser_name"].to_numpy(), mi["participant_id"].to_numpy()
    for row, kind in zip(rows, kinds, strict=True):
        la = la_codes[row]
        advisers = names[adviser_rows[la]]
        mine = mi_rows.get(la, np.array([], dtype=np.int64))
        first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))].lower()
        last = LAST_NAMES[rng.integers(len(LAST_NAMES))].lower().replace("-", "")
        letters = "XZ"
        fill = {
            "adviser": advisers[rng.integers(len(advisers))],
            "participant": people[mine[rng.integers(len(mine))]] if len(mine) else "QQ000000A",
            "phone": f"07700 900{rng.integers(1000):03d}",
            "email": f"{first}.{last}@example.org",
            "postcode": f"Q{letters[rng.integers(2)]}{rng.integers(1, 10)} {rng.integers(10)}ZZ",
        }
        excerpt[row] = f"{excerpt[row]} {PLANTED[kind].format(**fill)}"
