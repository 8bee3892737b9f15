"""Shared chart machinery: the afcharts style and palette, alt text, and stable saving."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from .. import housestyle as hs  # noqa: E402

_ATTR = "_wfscc_alt_text"


def _palette(kind: str, fallback: list[str], n: int | None = None) -> list[str]:
    try:
        from afcharts.af_colours import get_af_colours

        return list(get_af_colours(kind, number_of_colours=n))
    except Exception:  # pragma: no cover - afcharts is a declared dependency
        return fallback


#: The afcharts categorical palette (dark blue, turquoise, dark pink, orange, ...).
PALETTE = _palette("categorical", ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D",
                                   "#A285D1"], 6)
#: The afcharts sequential palette, darkest first.
SEQUENTIAL = _palette("sequential", ["#092135", "#12436D", "#2073BC", "#6BACE6", "#ADD1F1"])
TEXT_GREY = "#3D3D3D"


def style() -> None:
    """Apply the afcharts Matplotlib style (if installed) and stable SVG output settings."""
    try:
        import afcharts

        sheet = Path(afcharts.__file__).with_name("afcharts.mplstyle")
        if sheet.exists():
            plt.style.use(str(sheet))
    except ImportError:  # pragma: no cover
        pass
    plt.rcParams["svg.hashsalt"] = "wfscc"
    plt.rcParams["text.parse_math"] = False  # "$" in a name from the data is a dollar sign
    plt.rcParams["font.family"] = "sans-serif"
    plt.rcParams["font.sans-serif"] = ["DejaVu Sans"]


def new_axes(ax: Axes | None, size=(8, 4.5)) -> Axes:
    """``ax``, or the Axes of a new styled figure of ``size`` inches."""
    if ax is None:
        style()
        _, ax = plt.subplots(figsize=size)
    return ax


def set_alt(ax: Axes, text: str) -> Axes:
    """Attach alt text to ``ax`` and its figure; return ``ax``."""
    if '"' in text:
        text = text.replace('"', "'")  # alt text goes into fig-alt="..." attributes
    setattr(ax, _ATTR, text)
    ax.figure._wfscc_alt_text = text  # the figure carries it too, for savers that get a figure
    return ax


def alt_text(ax_or_fig) -> str:
    """The alt text a helper attached to an Axes (or its Figure)."""
    text = getattr(ax_or_fig, _ATTR, None)
    if text is None:
        raise ValueError("This chart has no alt text: draw it with a wfscc.charts helper.")
    return text


def save(ax: Axes, path: Path | str) -> Path:
    """Save the figure of ``ax`` to ``path`` (SVG or PNG) with no date in its metadata."""
    path = Path(path)
    fig = ax.figure
    plt.rcParams["svg.hashsalt"] = "wfscc"
    fig.tight_layout()
    meta = {"Date": None} if path.suffix == ".svg" else {"Software": None}
    fig.savefig(path, metadata=meta)
    return path


def cap(text: str) -> str:
    """``text`` with its first letter upper case (unlike ``str.capitalize``, the rest is kept)."""
    return text[:1].upper() + text[1:]


def legend_below(ax: Axes, ncol: int, offset: float = -0.14) -> None:
    """A frameless legend in one row under the plot, clear of the bars."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, offset), ncol=ncol, frameon=False)


def pct(x: float) -> str:
    """A proportion in house style ("14 per cent")."""
    return hs.percent(x)
