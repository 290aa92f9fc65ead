"""The course's one plotting style: readable sizes, light grid, colour-blind-safe colours.

Call :func:`use_course_style` once in a notebook's setup cell. The palette is Okabe and Ito's
(2008), distinguishable with the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Callable

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

#: Okabe-Ito colours, in the order plots use them.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
GREY = "#7F7F7F"


def use_course_style() -> None:
    """Apply the course style to matplotlib (sizes, grid, palette, no top/right spines)."""
    mpl.rcParams.update(
        {
            "figure.figsize": (8.0, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "savefig.bbox": "tight",
            "font.size": 11,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
            "legend.frameon": False,
            "image.cmap": "viridis",
            "svg.hashsalt": "course",
        }
    )


def currency_axis(ax: Axes, axis: str = "y", symbol: str = "£", thousands: bool = False
                  ) -> Axes:
    """Format an axis's tick labels as money (``£12,500``, or ``£12.5k`` with ``thousands``)."""
    if thousands:
        formatter = FuncFormatter(lambda value, _pos: f"{symbol}{value / 1000:,.0f}k")
    else:
        formatter = FuncFormatter(lambda value, _pos: f"{symbol}{value:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    return ax


def percent_axis(ax: Axes, axis: str = "y", decimals: int = 0) -> Axes:
    """Format an axis holding shares (0-1) as percentages."""
    formatter = FuncFormatter(lambda value, _pos: f"{value:.{decimals}%}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    return ax


def money(value: float, symbol: str = "£") -> str:
    """Format an amount with its sign before the symbol: ``-£1,234``."""
    return f"{'-' if value < 0 else ''}{symbol}{abs(value):,.0f}"


def label_bars(ax: Axes, fmt: str | Callable[[float], str] = "{:,.0f}", fontsize: int = 9
               ) -> Axes:
    """Write each bar's value at its end (horizontal or vertical bars).

    ``fmt`` is a format string (``"{:.0%}"``) or a function of the value (e.g. :func:`money`).
    """
    render = fmt if callable(fmt) else fmt.format
    for container in ax.containers:
        ax.bar_label(container, labels=[render(v) for v in container.datavalues],
                     padding=3, fontsize=fontsize)
    return ax


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs) -> tuple[plt.Figure, object]:
    """``plt.subplots`` with the course's layout defaults (constrained layout)."""
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)
