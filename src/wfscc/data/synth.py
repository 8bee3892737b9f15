"""The synthetic dataset generator: ``generate(seed, out_dir, areas=10, scale=1.0, fmt="csv")``.

The shipped default data in ``data/`` is ``generate(772, Path("data"))``; ``data/calibration.yml``
lists the published figures it reproduces. The same seed and arguments give byte-identical files.
Everything is drawn with one ``numpy.random.Generator`` per table (spawned from the seed),
vectorised, so 150 areas at ``scale=33`` (about a million MI starts) take seconds, not minutes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import WfsccError
from . import _synth_survey, _synth_text, _synth_volume
from ._spec import ELEMENTS, REGIONS, SUFFIXES, TABLES
from ._synth_common import MONTH_START
from ._synth_write import FORMATS, write_table

__all__ = ["FORMATS", "generate"]

#: Relative pull of each core element on an LA's priorities (higher = more often a top priority).
_ELEMENT_PULL = np.array([0.2, 0.1, 0.0, 0.35, 0.4])


def comparison_count(areas: int) -> int:
    """Comparison LAs for ``areas`` pilot LAs: three for ten, in proportion beyond, never fewer."""
    return max(3, round(0.3 * areas))


def generate(
    seed: int, out_dir: Path | str, areas: int = 10, scale: float = 1.0, fmt: str = "csv"
) -> dict[str, Path]:
    """Write the seven tables for ``areas`` pilot LAs to ``out_dir``; return ``{stem: path}``.

    ``scale`` multiplies the volume tables (MI starts, referrals, survey); interviews stay at eight
    per pilot LA and wave. ``fmt`` is ``csv``, ``xlsx``, ``parquet`` or ``sav``.
    """
    if fmt not in FORMATS:
        raise WfsccError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
    if not isinstance(areas, int) or areas < 1:
        raise WfsccError(f"--areas must be a whole number of at least 1, got {areas!r}.")
    if not scale > 0:
        raise WfsccError(f"--scale must be greater than 0, got {scale!r}.")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clash = [
        p.name
        for stem in TABLES
        for s in SUFFIXES
        if s != f".{fmt}" and (p := out_dir / f"{stem}{s}").exists()
    ]
    if clash:
        raise WfsccError(
            f"{out_dir} already holds {', '.join(clash)}: a table can only have one file. "
            "Remove them or write to an empty folder."
        )
    try:
        tables = build_tables(seed, areas, scale)
    except ValueError as exc:
        raise WfsccError(f"Cannot generate {areas} areas at scale {scale}: {exc}.") from exc
    return {stem: write_table(stem, tables[stem], out_dir, fmt) for stem in TABLES}


def build_tables(seed: int, areas: int = 10, scale: float = 1.0) -> dict[str, pd.DataFrame]:
    """The seven tables as typed frames (what ``generate`` writes)."""
    rngs = dict(
        zip(
            TABLES,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(TABLES))),
            strict=True,
        )
    )
    area_frame = _areas(rngs["areas"], areas)
    centre_frame, share = _centres(rngs["centres"], area_frame)
    pilots = area_frame[area_frame["group"] == "pilot"].reset_index(drop=True)
    pilot_share = share[: len(pilots)]
    mi = _synth_volume.mi_starts(rngs["mi_starts"], pilots, pilot_share, scale)
    out = {
        "areas": area_frame[["la_code", "la_name", "group", "region", "pilot_start"]],
        "centres": centre_frame,
        "delivery": _delivery(rngs["delivery"], pilots),
        "mi_starts": mi,
        "referrals": _synth_volume.referrals(rngs["referrals"], pilots, pilot_share, scale),
        "survey": _synth_survey.survey(rngs["survey"], area_frame, share, scale),
        "interviews": _synth_text.interviews(rngs["interviews"], pilots, centre_frame, mi),
    }
    return out


def _codes(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(1, n + 1)]


def _areas(rng: np.random.Generator, n_pilot: int) -> pd.DataFrame:
    """Pilot LAs P01.. and comparison LAs C01..; start-up is delayed in some pilot LAs."""
    n_comp = comparison_count(n_pilot)
    q = (np.arange(n_pilot) + 0.5) / n_pilot
    start_month = rng.permutation(np.floor(9 * q**2.2).astype(np.int64))
    start_day = np.where(
        start_month == 0, rng.integers(1, 21, n_pilot), rng.integers(1, 29, n_pilot)
    )
    pilot_start = MONTH_START[start_month] + (start_day - 1)
    regions = np.array(REGIONS)
    size = np.exp(rng.normal(0.0, 0.25, n_pilot + n_comp))
    frame = pd.DataFrame(
        {
            "la_code": _codes("P", n_pilot) + _codes("C", n_comp),
            "la_name": [f"Pilot area {c[1:]}" for c in _codes("P", n_pilot)]
            + [f"Comparison area {c[1:]}" for c in _codes("C", n_comp)],
            "group": ["pilot"] * n_pilot + ["comparison"] * n_comp,
            "region": np.concatenate(
                [
                    regions[rng.permutation(n_pilot) % len(regions)],
                    regions[rng.permutation(n_comp) % len(regions)],
                ]
            ),
            "pilot_start": pd.Series(
                np.concatenate(
                    [pilot_start, np.full(n_comp, np.datetime64("NaT"), "datetime64[D]")]
                )
            ).astype("datetime64[ns]"),
            "size": size / size.mean(),
            "start_month": np.concatenate([start_month, np.zeros(n_comp, np.int64)]),
            "start_day": np.concatenate([start_day, np.ones(n_comp, np.int64)]),
        }
    )
    return frame


def _centres(rng: np.random.Generator, areas: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """Three centres per LA (pilot centres name an invented adviser) and the centre shares."""
    codes = np.repeat(areas["la_code"].to_numpy(), 3)
    letters = np.tile(np.array(list("ABC")), len(areas))
    centre_codes = [f"{la}-{c}" for la, c in zip(codes, letters, strict=True)]
    pilot = np.repeat((areas["group"] == "pilot").to_numpy(), 3)
    names = _synth_text.adviser_names(rng, len(codes))
    frame = pd.DataFrame(
        {
            "centre_code": centre_codes,
            "la_code": codes,
            "centre_name": [f"Centre {c}" for c in centre_codes],
            "adviser_name": pd.Series(np.where(pilot, names, ""), dtype=object).replace("", None),
        }
    )
    share = np.array([0.40, 0.33, 0.27]) * np.exp(rng.normal(0.0, 0.15, (len(areas), 3)))
    return frame, share / share.sum(axis=1, keepdims=True)


def _delivery(rng: np.random.Generator, pilots: pd.DataFrame) -> pd.DataFrame:
    """Every pilot LA delivers all five core elements, each with its own priority (1 = highest)."""
    n = len(pilots)
    key = rng.random((n, len(ELEMENTS))) + _ELEMENT_PULL
    priority = np.argsort(np.argsort(-key, axis=1), axis=1) + 1
    return pd.DataFrame(
        {
            "la_code": np.repeat(pilots["la_code"].to_numpy(), len(ELEMENTS)),
            "element": np.tile(np.array(ELEMENTS), n),
            "delivered": np.ones(n * len(ELEMENTS), dtype=bool),
            "priority": priority.ravel().astype(np.int64),
        }
    )
