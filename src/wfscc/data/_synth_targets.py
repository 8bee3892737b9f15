"""The generator's targets, read from ``data/calibration.yml`` (the generator keeps no copy).

Each calibration entry names a quantity the analysis reports and the value (``target``) the
generated data should reproduce. :func:`load_targets` reads the entries the generator steers by,
checks each one (present, a number, in the range the generator can reach) and returns them as
:class:`Targets`. A missing or unusable entry is a :class:`~wfscc.errors.CalibrationError` naming
the file, the entry, the key and the fix.

Some entries describe the shape of the data rather than a figure the generator can aim at (three
centres per LA, the pilot period, five core elements, eight interviews per LA and wave): those
must keep the value the generator builds, and say so when changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..contract import GROUPS, PILOT_END, PILOT_START
from ..errors import CalibrationError

#: The project's own calibration file (a checkout or an editable install has it).
DEFAULT_CALIBRATION = Path(__file__).resolve().parents[3] / "data" / "calibration.yml"

#: Entries whose value is the structure the generator builds: ``id -> (value, what)``.
FIXED = {
    "centres_per_pilot_la": (3, "three centres per LA (centre codes A, B, C)"),
    "pilot_period_start": (f"{PILOT_START:%Y-%m}", f"a pilot from {PILOT_START:%B %Y}"),
    "pilot_period_end": (f"{PILOT_END:%Y-%m}", f"a pilot to {PILOT_END:%B %Y}"),
    "core_elements": (5, "the five core elements of the data contract"),
    "interview_themes_present": (14, "the 14 interview themes of the data contract"),
}


@dataclass(frozen=True)
class Targets:
    """What the generator aims at (shares as proportions, months, counts, ratios)."""

    source: Path
    pilot_las: int
    comparison_las: int
    delayed_share: float  # share of pilot LAs starting in April 2009 or later
    delivered_share: float  # share of (LA, core element) pairs delivered
    lone_parent_benefit: float
    non_traditional: float
    second_earner_of_non_traditional: float
    starts_per_la: float
    referrals_per_la: float
    job_entry: float
    training_start: float
    bedding_in: tuple[float, float, float]  # months: min, median, max across LAs
    referral_months: tuple[float, float, float]
    referral_growth: float  # final months / each LA's first months from its own start
    takeup: dict[tuple[str, int], float]  # (group, wave) -> share
    prefer_centre: dict[tuple[str, int], float]
    score_change: dict[tuple[str, str], float]  # (measure, group) -> mean score points
    survey_n: dict[tuple[str, int], float]  # (group, wave) -> respondents at scale 1
    weight_cv: float
    line_manager_targets_share: float  # share of pilot LAs
    managers_understand: float  # share of centre-manager interviews


class _Entries:
    """The entries of one calibration file, with checked access to their targets."""

    def __init__(self, path: Path):
        self.path = path
        if not path.is_file():
            raise CalibrationError(
                f"{path}: no calibration file here. The generator reads its targets from it: "
                "pass the project's data/calibration.yml (wfscc synth --calibration PATH)."
            )
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise CalibrationError(f"{path}: not valid YAML ({exc}); fix the file.") from exc
        entries = doc.get("entries") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            raise CalibrationError(
                f"{path}: expected a mapping with a list under 'entries:' (one item per figure, "
                "each with 'id' and 'target'); restore the layout of the project's file."
            )
        self.by_id: dict[str, dict] = {}
        for i, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise CalibrationError(f"{path}: entry {i} has no 'id'; give every entry an id.")
            if entry["id"] in self.by_id:
                raise CalibrationError(
                    f"{path}: entry {entry['id']!r} appears twice; keep one of them."
                )
            self.by_id[entry["id"]] = entry

    def raw(self, cid: str) -> object:
        entry = self.by_id.get(cid)
        if entry is None:
            raise CalibrationError(
                f"{self.path}: no entry with id {cid!r}; the generator needs its 'target'. "
                f"Add the entry (see the project's data/calibration.yml)."
            )
        if "target" not in entry:
            raise CalibrationError(f"{self.path}: entry {cid!r} has no key 'target'; add it.")
        return entry["target"]

    def number(self, cid: str, lo: float, hi: float, what: str) -> float:
        """The entry's target, a number from ``lo`` to ``hi`` (``what`` names the unit)."""
        value = self.raw(cid)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not lo <= value <= hi:
            raise CalibrationError(
                f"{self.path}: entry {cid!r}, key 'target': found {value!r}; expected "
                f"{what} from {lo:g} to {hi:g}. Fix the target."
            )
        return float(value)

    def share(self, cid: str, lo: float = 0.0, hi: float = 100.0) -> float:
        return self.number(cid, lo, hi, "a per cent") / 100


def load_targets(path: Path | str | None = None) -> Targets:
    """The generator's targets from the calibration file at ``path`` (default: the project's)."""
    e = _Entries(Path(path) if path is not None else DEFAULT_CALIBRATION)
    for cid, (value, what) in FIXED.items():
        if cid in e.by_id and e.raw(cid) != value:
            raise CalibrationError(
                f"{e.path}: entry {cid!r}, key 'target': found {e.raw(cid)!r}; the generator "
                f"always builds {what}, so the target must be {value!r}. Restore it."
            )
    pilot_las = e.number("pilot_las", 1, 624, "a whole number of LAs")
    comparison_las = e.number("comparison_las", 1, 624, "a whole number of LAs")
    if e.raw("pilot_centres") != 3 * pilot_las:
        raise CalibrationError(
            f"{e.path}: entry 'pilot_centres', key 'target': found {e.raw('pilot_centres')!r}; "
            f"three centres in each of {pilot_las:g} pilot LAs make {3 * pilot_las:g}. Fix it."
        )
    months = {
        name: tuple(
            e.number(f"{name}_months_{s}", 2, 20, "months") for s in ("min", "median", "max")
        )
        for name in ("bedding_in", "referral")
    }
    for name, (lo, mid, hi) in months.items():
        if not lo <= mid <= hi:
            raise CalibrationError(
                f"{e.path}: entries '{name}_months_min', '_median' and '_max' must be in order "
                f"(found {lo:g}, {mid:g}, {hi:g}); fix the targets."
            )
    takeup = {
        (g, w): e.share(f"takeup_wave{w}_{g}_pct", 0.1, 95)
        for g in GROUPS
        for w in (1, 2)
    }
    ratio = e.number("takeup_ratio_pilot", 0, 1000, "a ratio")
    implied = takeup[("pilot", 2)] / takeup[("pilot", 1)]
    if abs(ratio - implied) > 0.05 * implied:
        raise CalibrationError(
            f"{e.path}: entry 'takeup_ratio_pilot', key 'target': found {ratio:g}; the take-up "
            f"targets of waves one and two give {implied:.2f}. Set it to {implied:.2f}."
        )
    return Targets(
        source=e.path,
        pilot_las=int(pilot_las),
        comparison_las=int(comparison_las),
        delayed_share=e.number("pilot_start_delayed_las", 0, pilot_las, "a number of LAs")
        / pilot_las,
        delivered_share=e.share("core_elements_delivered_pct"),
        lone_parent_benefit=e.share("mi_lone_parent_on_benefit_pct", 1, 69),
        non_traditional=e.share("mi_non_traditional_pct", 4, 95),
        second_earner_of_non_traditional=e.share("mi_second_earner_of_non_traditional_pct"),
        starts_per_la=e.number("mi_starts_per_pilot_la", 1, 100_000, "starts"),
        referrals_per_la=e.number("referrals_per_pilot_la", 1, 100_000, "referrals"),
        job_entry=e.share("mi_job_entry_pct", 0, 60),
        training_start=e.share("mi_training_start_pct", 0, 60),
        bedding_in=months["bedding_in"],
        referral_months=months["referral"],
        referral_growth=e.number("referral_growth_own_start_ratio", 1.1, 50, "a ratio"),
        takeup=takeup,
        prefer_centre={
            (g, w): e.share(f"prefer_centre_wave{w}_{g}_pct", 1, 90)
            for g in GROUPS
            for w in (1, 2)
        },
        score_change={
            (m, g): e.number(f"{m}_change_{g}", -1, 1, "score points")
            for m in ("confidence", "aspiration", "awareness")
            for g in GROUPS
        },
        survey_n={
            (g, w): e.number(f"survey_n_wave{w}_{g}", 20, 900_000, "respondents")
            for g in GROUPS
            for w in (1, 2)
        },
        weight_cv=e.number("weight_cv", 0, 2, "a ratio"),
        line_manager_targets_share=e.number(
            "line_manager_targets_las", 0, pilot_las, "a number of LAs"
        )
        / pilot_las,
        managers_understand=e.share("managers_understand_employment_pct"),
    )
