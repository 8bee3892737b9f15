"""The synthetic dataset generator: ``generate(seed, out_dir, areas=10, scale=1.0, fmt="csv")``.

The shipped default data in ``data/`` is ``generate(772, Path("data"))``. The generator reads its
targets from ``data/calibration.yml`` (:mod:`._synth_targets`): each entry there is a quantity the
analysis reports, and changing an entry's ``target`` changes the data generated. The same seed,
arguments and calibration file give byte-identical files.
Everything is drawn with one ``numpy.random.Generator`` per table (spawned from the seed),
vectorised, so 150 areas at ``scale=33`` (about a million MI starts) take seconds, not minutes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..contract import ELEMENTS, REGIONS, SUFFIXES, TABLES, columns
from ..errors import WfsccError
from . import _synth_survey, _synth_text, _synth_volume
from ._synth_common import MONTH_START
from ._synth_targets import DEFAULT_CALIBRATION, Targets, load_targets
from ._synth_write import FORMATS, write_table

__all__ = ["DEFAULT_CALIBRATION", "FORMATS", "generate", "load_targets"]

#: Relative pull of each core element on an LA's priorities (higher = more often a top priority).
_ELEMENT_PULL = np.array([0.2, 0.1, 0.0, 0.35, 0.4])


def comparison_count(areas: int, t: Targets | None = None) -> int:
    """Comparison LAs for ``areas`` pilot LAs: as many as the calibration's (three for ten), in
    proportion beyond, never fewer."""
    pilot, comparison = (10, 3) if t is None else (t.pilot_las, t.comparison_las)
    return max(comparison, round(comparison / pilot * areas))


def generate(
    seed: int,
    out_dir: Path | str,
    areas: int | None = None,
    scale: float = 1.0,
    fmt: str = "csv",
    calibration: Path | str | None = None,
) -> dict[str, Path]:
    """Write the seven tables for ``areas`` pilot LAs to ``out_dir``; return ``{stem: path}``.

    ``areas`` defaults to the calibration's number of pilot LAs. ``scale`` multiplies the volume
    tables (MI starts, referrals, survey); interviews stay at eight per pilot LA and wave. ``fmt``
    is ``csv``, ``xlsx``, ``parquet`` or ``sav``. ``calibration`` is the calibration file whose
    targets the data follow (default: the project's ``data/calibration.yml``).
    """
    targets = load_targets(calibration)
    if areas is None:
        areas = targets.pilot_las
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
        tables = build_tables(seed, areas, scale, targets)
    except ValueError as exc:
        raise WfsccError(f"Cannot generate {areas} areas at scale {scale}: {exc}.") from exc
    return {stem: write_table(stem, tables[stem], out_dir, fmt) for stem in TABLES}


def build_tables(
    seed: int, areas: int = 10, scale: float = 1.0, targets: Targets | None = None
) -> dict[str, pd.DataFrame]:
    """The seven tables as typed frames (what ``generate`` writes); ``targets`` default to the
    project's calibration file."""
    t = targets or load_targets()
    rngs = dict(
        zip(
            TABLES,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(TABLES))),
            strict=True,
        )
    )
    area_frame = _areas(rngs["areas"], areas, t)
    centre_frame, share = _centres(rngs["centres"], area_frame)
    pilots = area_frame[area_frame["group"] == "pilot"].reset_index(drop=True)
    pilot_share = share[: len(pilots)]
    mi = _synth_volume.mi_starts(rngs["mi_starts"], pilots, pilot_share, scale, t)
    frames = (  # one per table, in the order of TABLES
        area_frame[columns("areas")],
        centre_frame,
        _delivery(rngs["delivery"], pilots, t.delivered_share),
        mi,
        _synth_volume.referrals(rngs["referrals"], pilots, pilot_share, scale, t),
        _synth_survey.survey(rngs["survey"], area_frame, share, scale, t),
        _synth_text.interviews(rngs["interviews"], pilots, centre_frame, mi, t),
    )
    return dict(zip(TABLES, frames, strict=True))


def _codes(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:02d}" for i in range(1, n + 1)]


def start_months(n: int, delayed_share: float) -> np.ndarray:
    """Calendar months (0 = January 2009) in which ``n`` pilot LAs start, in order: the
    calibration's share of them delayed to April to September 2009, the others by March."""
    delayed = round(delayed_share * n)
    on_time, late = n - delayed, np.arange(delayed)
    early = np.floor(3 * ((np.arange(on_time) + 0.5) / max(on_time, 1)) ** 2.2)
    return np.concatenate([early, 3 + np.floor(6 * (late + 0.5) / max(delayed, 1))]).astype(
        np.int64
    )


def _areas(rng: np.random.Generator, n_pilot: int, t: Targets) -> pd.DataFrame:
    """Pilot LAs P01.. and comparison LAs C01..; start-up is delayed in some pilot LAs."""
    n_comp = comparison_count(n_pilot, t)
    start_month = rng.permutation(start_months(n_pilot, t.delayed_share))
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


def _delivery(rng: np.random.Generator, pilots: pd.DataFrame, share: float) -> pd.DataFrame:
    """The five core elements per pilot LA, each with its own priority (1 = highest); the
    calibration's share of (LA, element) pairs delivered (all of them by default), the others
    among each LA's lowest priorities."""
    n = len(pilots)
    key = rng.random((n, len(ELEMENTS))) + _ELEMENT_PULL
    priority = np.argsort(np.argsort(-key, axis=1), axis=1) + 1
    missing = round((1 - share) * priority.size)
    not_delivered = np.zeros(priority.size, dtype=bool)
    if missing:
        order = np.lexsort((rng.random(priority.size), -priority.ravel()))
        not_delivered[order[:missing]] = True
    return pd.DataFrame(
        {
            "la_code": np.repeat(pilots["la_code"].to_numpy(), len(ELEMENTS)),
            "element": np.tile(np.array(ELEMENTS), n),
            "delivered": ~not_delivered,
            "priority": priority.ravel().astype(np.int64),
        }
    )
