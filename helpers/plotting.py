"""The course's one plotting style: readable sizes, light grid, colour-blind-safe colours.

Call :func:`use_course_style` once in a notebook's setup cell. The palette is Okabe and Ito's
(2008), distinguishable with the common forms of colour blindness.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text
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
    """Apply the course style to matplotlib and seaborn (sizes, grid, palette, spines).

    seaborn draws the statistical charts (heatmaps, distributions, box plots) and matplotlib
    the rest; both read the same settings, so every figure has one look.

    Examples
    --------
    >>> use_course_style()
    >>> mpl.rcParams["axes.prop_cycle"].by_key()["color"][0] == PALETTE[0]
    True
    >>> sns.color_palette()[0] == mpl.colors.to_rgb(PALETTE[0])
    True
    """
    sns.set_theme(
        context="notebook", style="ticks", palette=list(PALETTE), font="DejaVu Sans",
        rc={
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
        },
    )


def currency_axis(ax: Axes, axis: str = "y", symbol: str = "£", thousands: bool = False
                  ) -> Axes:
    """Format an axis's tick labels as money (``£12,500``, or ``£12.5k`` with ``thousands``).

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> currency_axis(ax).yaxis.get_major_formatter()(12_500, 0)
    '£12,500'
    >>> currency_axis(ax, "x", thousands=True).xaxis.get_major_formatter()(12_500, 0)
    '£12k'
    >>> plt.close(fig)
    """
    if thousands:
        formatter = FuncFormatter(lambda value, _pos: f"{symbol}{value / 1000:,.0f}k")
    else:
        formatter = FuncFormatter(lambda value, _pos: f"{symbol}{value:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    return ax


def percent_axis(ax: Axes, axis: str = "y", decimals: int = 0) -> Axes:
    """Format an axis holding shares (0-1) as percentages.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> percent_axis(ax, decimals=1).yaxis.get_major_formatter()(0.125, 0)
    '12.5%'
    >>> plt.close(fig)
    """
    formatter = FuncFormatter(lambda value, _pos: f"{value:.{decimals}%}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    return ax


def money(value: float, symbol: str = "£") -> str:
    """Format an amount with its sign before the symbol: ``-£1,234``.

    Examples
    --------
    >>> money(-1234.4), money(99.5, symbol="€")
    ('-£1,234', '€100')
    """
    return f"{'-' if value < 0 else ''}{symbol}{abs(value):,.0f}"


def label_bars(ax: Axes, fmt: str | Callable[[float], str] = "{:,.0f}", fontsize: int = 9
               ) -> Axes:
    """Write each bar's value at its end (horizontal or vertical bars).

    ``fmt`` is a format string (``"{:.0%}"``) or a function of the value (e.g. :func:`money`).

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> _ = ax.bar(["a", "b"], [1200, 300])
    >>> [t.get_text() for t in label_bars(ax, money).texts]
    ['£1,200', '£300']
    >>> plt.close(fig)
    """
    render = fmt if callable(fmt) else fmt.format
    for container in ax.containers:
        ax.bar_label(container, labels=[render(v) for v in container.datavalues],
                     padding=3, fontsize=fontsize)
    return ax


def new_figure(nrows: int = 1, ncols: int = 1, **kwargs: object) -> tuple[plt.Figure, object]:
    """``plt.subplots`` with the course's layout defaults (constrained layout).

    Examples
    --------
    >>> fig, axes = new_figure(1, 2, figsize=(8, 3))
    >>> len(axes), fig.get_layout_engine().__class__.__name__
    (2, 'ConstrainedLayoutEngine')
    >>> plt.close(fig)
    """
    kwargs.setdefault("layout", "constrained")
    return plt.subplots(nrows, ncols, **kwargs)


def spread_labels(ax: Axes, texts: Sequence[Text], *, pad: float = 2.0, max_iter: int = 500
                  ) -> Axes:
    """Move text labels apart vertically until no two of them overlap.

    Each pass finds every pair of labels whose boxes (as drawn, plus ``pad`` points) overlap
    and pushes the two apart vertically by half the overlap each, the upper one up. Call it
    after the axis limits and the figure size are final: the boxes are measured in the
    figure as it is laid out at that moment.

    Parameters
    ----------
    ax : Axes
        The axes holding the labels (positions are in its data coordinates).
    texts : sequence of Text
        The labels to separate, e.g. the return values of ``ax.text``.
    pad : float
        Extra space kept between two labels, in points.
    max_iter : int
        Maximum number of passes.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> texts = [ax.text(0.5, 0.5, "first"), ax.text(0.5, 0.5, "second")]
    >>> ax = spread_labels(ax, texts)
    >>> bool(texts[0].get_position()[1] > texts[1].get_position()[1])
    True
    >>> plt.close(fig)
    """
    fig = ax.figure
    fig.canvas.draw()  # lay the figure out, so that the boxes are where they will be drawn
    renderer = fig.canvas.get_renderer()
    pad_px = pad * fig.dpi / 72
    to_data = ax.transData.inverted()
    for _ in range(max_iter):
        boxes = [t.get_window_extent(renderer) for t in texts]
        shifts = [0.0] * len(texts)
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                a, b = boxes[i], boxes[j]
                if a.x1 + pad_px <= b.x0 or b.x1 + pad_px <= a.x0:
                    continue
                overlap = min(a.y1, b.y1) - max(a.y0, b.y0) + pad_px
                if overlap <= 0:
                    continue
                # the higher label goes up; on a tie, the first one
                up, down = (i, j) if (a.y0 + a.y1, -i) >= (b.y0 + b.y1, -j) else (j, i)
                shifts[up] += overlap / 2
                shifts[down] -= overlap / 2
        if not any(shifts):
            break
        for text, shift in zip(texts, shifts, strict=True):
            if shift:
                x, y = ax.transData.transform(text.get_position())
                text.set_position(tuple(to_data.transform((x, y + shift))))
    return ax


def correlation_circle(ax: Axes, loadings: pd.DataFrame, *, color: str = PALETTE[5],
                       fontsize: int = 10) -> Axes:
    """Draw features as arrows inside the unit circle: a PCA correlation circle.

    ``loadings`` holds, for each feature (one row, named by the index), its **correlation**
    with two principal components (two columns): the arrow's coordinates. For standardised
    features that is the eigenvector times the square root of the eigenvalue,
    :math:`v_{jk}\\sqrt{\\lambda_k}`. How to read it:

    - an arrow's squared length is the share of the feature's variance the two components
      show; an arrow that reaches the circle is fully shown;
    - for two long arrows, the cosine of the angle between them approximates the
      correlation of the two features; for short arrows the angle means little.

    Each label sits beside its arrow's tip, on the side where it covers the fewest arrows
    and labels, and labels that still overlap are moved apart (:func:`spread_labels`). The
    placement measures the figure as it is laid out when the function is called: set the
    figure size, titles and axis labels first. The axes get an equal aspect ratio and
    limits of +-1.6 (x) and +-1.3 (y).

    Parameters
    ----------
    ax : Axes
        Where to draw.
    loadings : DataFrame
        One row per feature, two numeric columns with values in [-1, 1] (small rounding
        excess is tolerated).
    color : str
        Colour of the arrows and labels.
    fontsize : int
        Size of the labels.

    Returns
    -------
    Axes

    Raises
    ------
    ValueError
        If ``loadings`` does not have exactly two numeric columns of finite values within
        [-1, 1].

    Examples
    --------
    >>> fig, ax = new_figure(figsize=(5, 5))
    >>> corr = pd.DataFrame({"PC1": [0.9, 0.85, -0.3], "PC2": [0.1, 0.12, 0.6]},
    ...                     index=["orders", "spend", "online share"])
    >>> ax = correlation_circle(ax, corr)
    >>> [t.get_text() for t in ax.texts]
    ['orders', 'spend', 'online share']
    >>> plt.close(fig)
    """
    if not isinstance(loadings, pd.DataFrame) or loadings.shape[1] != 2:
        raise ValueError("loadings must be a DataFrame with exactly two columns (the two "
                         "components' correlations with each feature)")
    values = loadings.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise ValueError("loadings hold missing or non-numeric values; give one correlation "
                         "per feature and component")
    if np.abs(values).max() > 1 + 1e-6:
        worst = loadings.index[np.abs(values).max(axis=1).argmax()]
        raise ValueError(
            f"loadings of '{worst}' lie outside [-1, 1]: give correlations (eigenvector times "
            "the square root of the eigenvalue, on standardised features), not raw "
            "eigenvectors or scores")
    angle = np.linspace(0, 2 * np.pi, 361)
    ax.plot(np.cos(angle), np.sin(angle), color=GREY, linewidth=0.8)
    ax.axhline(0, color=GREY, linewidth=0.6)
    ax.axvline(0, color=GREY, linewidth=0.6)
    for x, y in values:
        ax.add_patch(FancyArrowPatch((0, 0), (x, y), arrowstyle="->", mutation_scale=15,
                                     color=color, linewidth=1.8, shrinkA=0, shrinkB=0))
    ax.set_aspect("equal")
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.3, 1.3)
    texts = [ax.text(x, y, str(name), fontsize=fontsize, color=color, fontweight="bold",
                     bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1})
             for name, (x, y) in zip(loadings.index, values, strict=True)]
    _place_arrow_labels(ax, texts, values)
    spread_labels(ax, texts)
    return ax


def _place_arrow_labels(ax: Axes, texts: Sequence[Text], tips: np.ndarray,
                        offset: float = 0.05) -> None:
    """Put each label beside its arrow's tip where it covers the fewest arrows and labels.

    Five spots are tried per label (beyond the tip, above, below, right, left), longest
    arrow first; a spot costs 1 per point of any arrow under the label, the overlap with
    labels already placed, and a large penalty outside the axes.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    along = np.linspace(0.05, 1.0, 25)
    points = [ax.transData.transform(np.outer(along, tip)) for tip in tips]
    frame = ax.get_window_extent(renderer)
    placed: list = []
    for k in np.argsort(-np.hypot(tips[:, 0], tips[:, 1]), kind="stable"):
        x, y = tips[k]
        length = max(np.hypot(x, y), 1e-9)
        ux, uy = x / length, y / length
        outward = ("left" if ux > 0.3 else "right" if ux < -0.3 else "center",
                   "bottom" if uy > 0.3 else "top" if uy < -0.3 else "center")
        spots = [((x + offset * ux, y + offset * uy), outward),
                 ((x, y + offset), ("center", "bottom")),
                 ((x, y - offset), ("center", "top")),
                 ((x + offset, y), ("left", "center")),
                 ((x - offset, y), ("right", "center"))]
        best = None
        for rank, (position, (ha, va)) in enumerate(spots):
            texts[k].set_position(position)
            texts[k].set_horizontalalignment(ha)
            texts[k].set_verticalalignment(va)
            box = texts[k].get_window_extent(renderer)
            cost = 0.01 * rank
            for j, pts in enumerate(points):
                near = pts[:-3] if j == k else pts  # its own tip may touch its label
                cost += float(np.sum((near[:, 0] >= box.x0) & (near[:, 0] <= box.x1)
                                     & (near[:, 1] >= box.y0) & (near[:, 1] <= box.y1)))
            for other in placed:
                dx = min(box.x1, other.x1) - max(box.x0, other.x0)
                dy = min(box.y1, other.y1) - max(box.y0, other.y0)
                if dx > 0 and dy > 0:
                    cost += 10 * dx * dy / (box.width * box.height)
            if box.x0 < frame.x0 or box.x1 > frame.x1 or box.y0 < frame.y0 or \
                    box.y1 > frame.y1:
                cost += 100
            if best is None or cost < best[0]:
                best = (cost, position, ha, va, box)
        _, position, ha, va, box = best
        texts[k].set_position(position)
        texts[k].set_horizontalalignment(ha)
        texts[k].set_verticalalignment(va)
        placed.append(box)


def interval_barh(ax: Axes, estimate: pd.Series, low: pd.Series, high: pd.Series,
                  fmt: Callable[[float], str] = money) -> Axes:
    """Horizontal bars of estimates with their intervals, first row at the top.

    Bars are blue when the estimate is at least 0 and vermillion below; a black line with end
    marks draws each interval (a percentile interval need not be centred on the estimate), and
    each row is labelled with its estimate (``fmt``, money by default) right of the interval.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> est = pd.Series({"A": 10.0, "B": -4.0})
    >>> ax = interval_barh(ax, est, est - 3, est + 5)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['B', 'A']
    >>> plt.close(fig)
    """
    names = list(estimate.index)[::-1]
    values = estimate.loc[names].to_numpy(dtype=float)
    lows = low.loc[names].to_numpy(dtype=float)
    highs = high.loc[names].to_numpy(dtype=float)
    if (lows > highs).any():
        raise ValueError("every interval needs low <= high")
    ax.barh(names, values, color=[PALETTE[0] if v >= 0 else PALETTE[5] for v in values])
    positions = np.arange(len(names))
    ax.hlines(positions, lows, highs, color="black", linewidth=1.2)
    for ends in (lows, highs):
        ax.plot(ends, positions, linestyle="none", marker="|", markersize=10, color="black")
    ax.axvline(0, color="black", linewidth=0.8)
    for y, value, end in zip(positions, values, np.maximum(highs, values), strict=True):
        ax.annotate(fmt(value), (end, y), xytext=(6, 0), textcoords="offset points",
                    ha="left", va="center", fontsize=9)
    ax.margins(x=0.12)
    return ax
