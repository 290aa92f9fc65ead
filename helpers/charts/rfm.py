"""Charts of notebook 03 (RFM): distributions, the segment map, shares, gains, the R x F grid.

Each function draws in the course style and labels everything in a marketer's words.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.colors import LogNorm
from matplotlib.patches import Rectangle
from matplotlib.ticker import LogLocator

from ..plotting import GREY, PALETTE, currency_axis, label_bars, new_figure, percent_axis
from ..rfm import SEGMENT_RULES

#: Segments grouped by what marketing does with them, each group with its colour.
SEGMENT_GROUPS: dict[str, tuple[list[str], str]] = {
    "best": (["Champions", "Loyal"], PALETTE[0]),
    "growing": (["Potential Loyalist", "New", "Promising"], PALETTE[2]),
    "cooling": (["Need Attention", "About to Sleep"], PALETTE[1]),
    "at risk": (["At Risk", "Can't Lose Them"], PALETTE[5]),
    "gone quiet": (["Hibernating", "Lost"], GREY),
}
#: The colour of each segment (its group's).
SEGMENT_COLOUR: dict[str, str] = {
    segment: colour for members, colour in SEGMENT_GROUPS.values() for segment in members
}


def percent(share: float) -> str:
    """A share as a whole percentage, with "<1%" for small non-zero shares.

    Examples
    --------
    >>> percent(0.384), percent(0.003), percent(0.0)
    ('38%', '<1%', '0%')
    """
    return "<1%" if 0 < share < 0.005 else f"{share:.0%}"


def _require(frame: pd.DataFrame, columns: list[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {missing}")


def plot_rfm_distributions(rfm: pd.DataFrame, *, currency: str = "£", as_of_text: str = "",
                           title: str | None = None) -> plt.Figure:
    """Three histograms side by side: recency, frequency (capped at its 99th percentile) and
    monetary value (log scale), each with its median marked.

    Parameters
    ----------
    rfm : DataFrame
        Columns ``recency`` (days), ``frequency`` (orders) and ``monetary`` (spend), one row
        per customer (:func:`helpers.rfm.rfm_table`).
    currency : str
        Symbol of the spend.
    as_of_text : str
        The as-of date as text, for the recency axis (omitted if empty).
    title : str, optional
        The figure's title; by default it names the number of customers.

    Returns
    -------
    Figure

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency": [1, 30, 200], "frequency": [1, 2, 9],
    ...                     "monetary": [10.0, 80.0, 900.0]})
    >>> fig = plot_rfm_distributions(rfm)
    >>> [ax.get_title() for ax in fig.axes]
    ['Recency', 'Frequency', 'Monetary']
    >>> fig.axes[2].texts[0].get_text()
    'median £80'
    >>> plt.close(fig)
    """
    _require(rfm, ["recency", "frequency", "monetary"], "rfm")
    cap = max(int(rfm["frequency"].quantile(0.99)), 1)
    fig, axes = new_figure(1, 3, figsize=(12, 3.8))
    axes[0].hist(rfm["recency"], bins=np.arange(0, rfm["recency"].max() + 31, 30),
                 color=PALETTE[0])
    since = f" (as of {as_of_text})" if as_of_text else ""
    axes[0].set_xlabel(f"days since last purchase{since}")
    axes[1].hist(rfm["frequency"].clip(upper=cap), bins=np.arange(0.5, cap + 1.5, 1),
                 color=PALETTE[1])
    axes[1].set_xlabel(f"orders (last bar: {cap} or more)")
    spend = rfm["monetary"].clip(lower=1)
    axes[2].hist(spend, bins=np.logspace(0, np.log10(spend.max()) + 0.05, 40), color=PALETTE[2])
    axes[2].set_xscale("log")
    axes[2].set_xlabel(f"total spend ({currency}, log scale)")
    currency_axis(axes[2], axis="x", symbol=currency)
    axes[2].tick_params(axis="x", labelrotation=30)  # wholesale spend: up to six figures
    for ax, column, name in zip(axes, ["recency", "frequency", "monetary"],
                                ["Recency", "Frequency", "Monetary"], strict=True):
        median = rfm[column].median()
        unit = currency if column == "monetary" else ""
        ax.axvline(median, color="black", linestyle="--", linewidth=1)
        ax.annotate(f"median {unit}{median:,.0f}", xy=(median, 1),
                    xycoords=("data", "axes fraction"), xytext=(4, -14),
                    textcoords="offset points", fontsize=9)
        ax.set_ylabel("customers")
        ax.set_title(name)
    fig.suptitle(title or f"Recency, frequency and monetary value of {len(rfm):,} customers")
    return fig


def plot_segment_map(sizes: pd.Series, revenue_shares: pd.Series, *,
                     title: str = "The RFM segment map") -> plt.Figure:
    """The R x FM grid of :data:`helpers.rfm.SEGMENT_RULES`, each segment a coloured
    rectangle with its customers and share of revenue.

    Parameters
    ----------
    sizes : Series
        Customers per segment (index: segment names).
    revenue_shares : Series
        Share of revenue (0-1) per segment.
    title : str
        The chart's title.

    Returns
    -------
    Figure

    Examples
    --------
    >>> names = list(SEGMENT_RULES)
    >>> fig = plot_segment_map(pd.Series(10, index=names), pd.Series(1 / 11, index=names))
    >>> len(fig.axes[0].patches), fig.axes[0].texts[0].get_text()
    (11, 'Champions\\n10 customers\\n9% of revenue')
    >>> plt.close(fig)
    """
    fig, ax = new_figure(figsize=(9, 6.5))
    for name, (r_scores, fm_scores) in SEGMENT_RULES.items():
        x0, y0 = fm_scores[0] - 0.5, r_scores[0] - 0.5
        width, height = len(fm_scores), len(r_scores)
        ax.add_patch(Rectangle((x0, y0), width, height, facecolor=SEGMENT_COLOUR[name],
                               alpha=0.35, edgecolor="white", linewidth=3))
        label = (f"{name}\n{int(sizes.get(name, 0)):,} customers\n"
                 f"{percent(float(revenue_shares.get(name, 0)))} of revenue")
        ax.text(x0 + width / 2, y0 + height / 2, label, ha="center", va="center", fontsize=10,
                fontweight="bold" if height * width > 1 else "normal")
    ax.set(xlim=(0.5, 5.5), ylim=(0.5, 5.5), xticks=range(1, 6), yticks=range(1, 6))
    ax.grid(False)
    ax.set_xlabel("FM score: frequency and money combined (1 = least, 5 = most)")
    ax.set_ylabel("R score (1 = longest ago, 5 = most recent)")
    ax.set_title(title)
    handles = [Rectangle((0, 0), 1, 1, facecolor=colour, alpha=0.35)
               for _, colour in SEGMENT_GROUPS.values()]
    ax.legend(handles, list(SEGMENT_GROUPS), loc="upper left", bbox_to_anchor=(1.01, 1),
              title="group")
    return fig


def plot_segment_shares(shares: pd.DataFrame, *, as_of_text: str = "",
                        title: str | None = None) -> plt.Figure:
    """Share of customers beside share of revenue, one pair of bars per segment.

    Parameters
    ----------
    shares : DataFrame
        Columns ``customer_share`` and ``revenue_share`` (0-1), index segment names, in the
        order to draw from the top.
    as_of_text : str
        The as-of date as text, for the axis label.
    title : str, optional
        The chart's title (state the finding); by default a neutral one.

    Returns
    -------
    Figure

    Examples
    --------
    >>> shares = pd.DataFrame({"customer_share": [0.2, 0.8], "revenue_share": [0.7, 0.3]},
    ...                       index=["Champions", "Lost"])
    >>> fig = plot_segment_shares(shares, title="Champions: 20% of customers, 70% of revenue")
    >>> fig.axes[0].get_title()
    'Champions: 20% of customers, 70% of revenue'
    >>> fig = plot_segment_shares(shares)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Champions', 'Lost']
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['20%', '80%', '70%', '30%']
    >>> plt.close(fig)
    """
    _require(shares, ["customer_share", "revenue_share"], "shares")
    fig, ax = new_figure(figsize=(9, 0.45 * len(shares) + 1.6))
    y = np.arange(len(shares))
    ax.barh(y - 0.2, shares["customer_share"], height=0.4, color=PALETTE[4],
            label="share of customers")
    ax.barh(y + 0.2, shares["revenue_share"], height=0.4, color=PALETTE[0],
            label="share of revenue")
    ax.set_yticks(y, shares.index)
    ax.invert_yaxis()
    for container in ax.containers:
        for bar, value in zip(container, container.datavalues, strict=True):
            ax.text(bar.get_width() + 0.004, bar.get_y() + bar.get_height() / 2,
                    percent(value), va="center", fontsize=9)
    percent_axis(ax, axis="x")
    ax.set_xlim(0, max(shares.max().max() * 1.12, 0.05))
    when = f" (as of {as_of_text})" if as_of_text else ""
    ax.set_xlabel(f"share of all customers / of all revenue{when}")
    ax.set_ylabel("RFM segment")
    ax.set_title(title or "Who brings the money: customers and revenue by segment")
    ax.legend(loc="lower right")
    return fig


def plot_gains_curve(customer_share: np.ndarray, revenue_share: np.ndarray, *,
                     top_share: float) -> plt.Figure:
    """The cumulative gains (Pareto) curve, with the revenue share of the top customers marked.

    Parameters
    ----------
    customer_share, revenue_share : array
        Cumulative shares (0-1), customers ranked from the highest spender down.
    top_share : float
        The share of top customers to mark (e.g. 0.2).

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = plot_gains_curve(np.array([0.5, 1.0]), np.array([0.8, 1.0]), top_share=0.5)
    >>> fig.axes[0].texts[0].get_text()
    'top 50% of customers\\nbring 80% of revenue'
    >>> plt.close(fig)
    """
    if not 0 < top_share < 1:
        raise ValueError(f"top_share must lie between 0 and 1, got {top_share}")
    x, y = np.r_[0, customer_share], np.r_[0, revenue_share]
    top = float(np.interp(top_share, x, y))
    fig, ax = new_figure(figsize=(7, 5.5))
    ax.plot(x, y, color=PALETTE[0], linewidth=2.5, label="our customers")
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="if everyone spent the same")
    ax.plot([top_share, top_share, 0], [0, top, top], color=PALETTE[5], linewidth=1,
            linestyle=":")
    ax.scatter([top_share], [top], color=PALETTE[5], zorder=3)
    ax.annotate(f"top {top_share:.0%} of customers\nbring {top:.0%} of revenue",
                xy=(top_share, top), xytext=(top_share + 0.08, top - 0.18),
                arrowprops={"arrowstyle": "->", "color": PALETTE[5]}, color=PALETTE[5])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    percent_axis(ax, axis="x")
    percent_axis(ax, axis="y")
    ax.set_xlabel("share of customers, ranked from highest to lowest spend")
    ax.set_ylabel("cumulative share of revenue")
    ax.set_title(f"The top {top_share:.0%} of customers bring {top:.0%} of revenue")
    ax.legend(loc="lower right")
    return fig


def rf_grid(rfm_scored: pd.DataFrame, *, n_bins: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Mean spend and number of customers in each cell of the R x F score grid.

    Parameters
    ----------
    rfm_scored : DataFrame
        Columns ``R``, ``F`` (scores 1 to ``n_bins``) and ``monetary``.
    n_bins : int
        Number of scores.

    Returns
    -------
    mean, count : DataFrame
        Rows R from ``n_bins`` (most recent) down to 1, columns F from 1 to ``n_bins``;
        ``mean`` is missing and ``count`` 0 where a cell holds no customer.

    Examples
    --------
    >>> scored = pd.DataFrame({"R": [1, 2, 2], "F": [1, 2, 2], "monetary": [5.0, 10.0, 20.0]})
    >>> mean, count = rf_grid(scored, n_bins=2)
    >>> float(mean.loc[2, 2]), int(count.loc[2, 2]), int(count.loc[2, 1])
    (15.0, 2, 0)
    """
    _require(rfm_scored, ["R", "F", "monetary"], "rfm_scored")
    rows, columns = range(n_bins, 0, -1), range(1, n_bins + 1)
    grouped = rfm_scored.groupby(["R", "F"])["monetary"]
    mean = grouped.mean().unstack().reindex(index=rows, columns=columns)
    count = grouped.size().unstack().reindex(index=rows, columns=columns).fillna(0).astype(int)
    return mean, count


def plot_rf_heatmap(mean: pd.DataFrame, count: pd.DataFrame, *, currency: str = "£",
                    title: str = "Mean spend per customer by recency and frequency"
                    ) -> plt.Figure:
    """A seaborn heatmap of mean spend per R x F cell, annotated with spend and customers.

    The colour scale is logarithmic when every cell's mean is positive, so that one big cell
    does not wash out the others; empty cells say "no customers".

    Parameters
    ----------
    mean, count : DataFrame
        From :func:`rf_grid`.
    currency : str
        Symbol of the spend.
    title : str
        The chart's title (state the finding).

    Returns
    -------
    Figure

    Examples
    --------
    >>> mean = pd.DataFrame([[100.0, np.nan], [50.0, 400.0]], index=[2, 1], columns=[1, 2])
    >>> count = pd.DataFrame([[3, 0], [5, 2]], index=[2, 1], columns=[1, 2])
    >>> fig = plot_rf_heatmap(mean, count)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['£100\\n3 customers', '£50\\n5 customers', '£400\\n2 customers', 'no customers']
    >>> plt.close(fig)
    """
    if mean.shape != count.shape:
        raise ValueError("mean and count must have the same shape (use rf_grid)")
    values = mean.to_numpy(dtype=float)
    positive = np.nanmin(values) > 0 if np.isfinite(values).any() else False
    norm = LogNorm(np.nanmin(values), np.nanmax(values)) if positive else None
    fig, ax = new_figure(figsize=(10, 6))
    annot = np.full(values.shape, "", dtype=object)
    for (i, j), value in np.ndenumerate(values):
        if not np.isnan(value):
            n = int(count.iloc[i, j])
            annot[i, j] = f"{currency}{value:,.0f}\n{n:,} customer{'' if n == 1 else 's'}"
    recency = {r: f"{r}" + (" (most recent)" if r == mean.index.max() else
                            " (longest ago)" if r == mean.index.min() else "")
               for r in mean.index}
    frequency = {f: f"{f}" + (" (fewest)" if f == mean.columns.min() else
                              " (most)" if f == mean.columns.max() else "")
                 for f in mean.columns}
    sns.heatmap(mean.rename(index=recency, columns=frequency), annot=annot, fmt="",
                cmap="viridis", norm=norm, linewidths=1, linecolor="white", ax=ax,
                annot_kws={"fontsize": 9}, cbar_kws={"label": f"mean spend per customer "
                                                               f"({currency}, log scale)"
                                                      if positive else
                                                      f"mean spend per customer ({currency})"})
    for i, j in zip(*np.nonzero(np.isnan(values)), strict=True):  # seaborn leaves them blank
        ax.text(j + 0.5, i + 0.5, "no customers", ha="center", va="center", color=GREY,
                fontsize=9)
    ax.set_xlabel("Frequency score: number of orders, in fifths of the customers")
    ax.set_ylabel("Recency score: days since last order")
    ax.tick_params(axis="y", labelrotation=0)
    ax.set_title(f"{title}\n(each cell: mean spend per customer, and how many customers)",
                 fontsize=11)
    colorbar = ax.collections[0].colorbar
    currency_axis(colorbar.ax, axis="y", symbol=currency)
    if positive:  # log scale: label 1, 2 and 5 times each power of ten
        colorbar.ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        colorbar.ax.yaxis.set_minor_formatter(plt.NullFormatter())
    return fig


def plot_segment_dropout(dropped: pd.Series) -> plt.Figure:
    """The share of each segment's customers who had truly dropped out (answer key).

    Parameters
    ----------
    dropped : Series
        Share (0-1) per segment, in the order to draw from the top.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = plot_segment_dropout(pd.Series({"Champions": 0.05, "Lost": 0.8}))
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['5%', '80%']
    >>> plt.close(fig)
    """
    fig, ax = new_figure(figsize=(8, 0.4 * len(dropped) + 1.6))
    ax.barh(dropped.index, dropped, color=[SEGMENT_COLOUR.get(s, GREY) for s in dropped.index])
    ax.invert_yaxis()
    label_bars(ax, fmt=percent)
    percent_axis(ax, axis="x")
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("share of the segment's customers who had truly dropped out")
    ax.set_ylabel("RFM segment")
    ax.set_title(f"Answer key: {dropped.idxmax()} lost the most customers for good "
                 f"({percent(dropped.max())}), {dropped.idxmin()} the fewest "
                 f"({percent(dropped.min())})", fontsize=11)
    return fig
