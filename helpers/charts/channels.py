"""Charts of notebook 10 (channels): exports, attribution against the truth, the MMM, budgets.

Every channel keeps one colour in every figure (:data:`CHANNEL_COLOURS`, Okabe-Ito colours
from :mod:`helpers.plotting`), so a reader who has learnt that TV is vermillion finds it
again in the decomposition, the ROI chart and the reallocation. Each function draws exactly
the table it is given (the notebook computes; the chart shows), labels axes in a marketer's
words and returns what it drew on: an ``Axes``, or the ``Figure`` of a multi-panel chart.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..plotting import GREY, PALETTE, money, new_figure, percent_axis
from ..validation import require_columns, require_frame

__all__ = [
    "BASELINE",
    "CHANNEL_COLOURS",
    "CHANNEL_NAMES",
    "LABELS",
    "channel_colour",
    "channel_name",
    "plot_adstock_pulse",
    "plot_attribution_vs_truth",
    "plot_channel_metric",
    "plot_decomposition",
    "plot_fit",
    "plot_reallocation",
    "plot_response_curves",
    "plot_roi",
    "plot_saturation",
    "plot_weekly_exports",
]

#: The name of the sales no channel causes (trend, seasonality, loyal demand).
BASELINE = "baseline"

#: One colour per channel, the same in every figure (Okabe-Ito; grey for what no channel buys).
CHANNEL_COLOURS: dict[str, str] = {
    "paid_search": PALETTE[0],  # blue
    "social": PALETTE[1],  # orange
    "display": PALETTE[2],  # bluish green
    "email": PALETTE[3],  # reddish purple
    "tv": PALETTE[5],  # vermillion
    "organic_search": PALETTE[4],  # sky blue
    "direct": PALETTE[7],  # black
    "store": PALETTE[6],  # yellow
    "other": GREY,
    BASELINE: "#BBBBBB",  # light grey: under the channels in a stacked chart
}

#: Business names of the channels, for tables and figures a marketer reads.
CHANNEL_NAMES: dict[str, str] = {
    "paid_search": "Paid search",
    "social": "Paid social",
    "display": "Display",
    "email": "E-mail",
    "tv": "TV and outdoor",
    "organic_search": "Organic search",
    "direct": "Direct",
    "store": "Store (loyalty card)",
    "other": "Other",
    BASELINE: "Baseline (no paid channel)",
}

#: Business names of the columns of the channel tables (spend, attribution, MMM, budget).
LABELS: dict[str, str] = {
    "spend": "Spend (£)",
    "impressions": "Impressions",
    "clicks": "Clicks",
    "cpm": "Cost per 1,000 impressions (£)",
    "ctr": "Click-through rate",
    "new_customers": "New customers (last touch)",
    "cac": "CAC, last touch (£)",
    "clv_to_cac": "CLV/CAC, last touch",
    "conversions": "Credited new customers",
    "share": "Share of credit",
    "removal_effect": "Removal effect",
    "contribution": "Incremental sales (£)",
    "roi": "ROI",
    "roi_low": "ROI 95% low",
    "roi_high": "ROI 95% high",
    "mroi": "Marginal ROI",
    "mroi_low": "Marginal ROI 95% low",
    "mroi_high": "Marginal ROI 95% high",
    "new_spend": "New spend (£)",
    "multiplier": "Multiplier",
    "new_contribution": "New incremental sales (£)",
}


def channel_colour(name: str) -> str:
    """The colour of a channel in every figure of notebook 10 (grey for unknown names).

    Examples
    --------
    >>> channel_colour("tv"), channel_colour("something else")
    ('#D55E00', '#7F7F7F')
    """
    return CHANNEL_COLOURS.get(str(name), GREY)


def channel_name(name: str) -> str:
    """A channel as a marketer names it: ``"tv"`` -> ``"TV and outdoor"``.

    Names the course does not know are turned into words: ``"loyalty_app"`` ->
    ``"Loyalty app"``.

    Examples
    --------
    >>> channel_name("tv"), channel_name("loyalty_app")
    ('TV and outdoor', 'Loyalty app')
    """
    return CHANNEL_NAMES.get(str(name), str(name).replace("_", " ").capitalize())


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    return new_figure(figsize=figsize)[1] if ax is None else ax


def _require_series(values: object, name: str) -> pd.Series:
    if not isinstance(values, pd.Series) or values.empty:
        raise ValueError(f"{name} must be a non-empty pandas Series indexed by channel")
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    if numbers.isna().any():
        raise ValueError(f"{name} holds missing or non-numeric values for "
                         f"{list(numbers.index[numbers.isna()])}")
    return numbers


def plot_weekly_exports(spend: pd.DataFrame, sales: pd.Series, *,
                        title: str = "Two years of weekly sales and media spend") -> Figure:
    """Weekly sales on top, then one small panel of weekly spend per channel.

    Parameters
    ----------
    spend : DataFrame
        One row per week (the index holds the week's start), one column of spend (£) per
        channel: the wide table of :func:`helpers.mmm.weekly_spend_table`.
    sales : Series
        Weekly sales (£) on the same weeks.
    title : str
        The figure's title (say what the exports show).

    Returns
    -------
    Figure
        ``1 + len(spend.columns)`` panels sharing the time axis: sales, then each channel.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> weeks = pd.date_range("2024-01-01", periods=4, freq="7D")
    >>> spend = pd.DataFrame({"tv": [0.0, 9e3, 9e3, 0.0], "email": [1e3] * 4}, index=weeks)
    >>> fig = plot_weekly_exports(spend, pd.Series([1e5, 1.2e5, 1.3e5, 1.1e5], index=weeks))
    >>> len(fig.axes), fig.axes[1].get_ylabel()
    (3, 'TV and\\noutdoor')
    >>> plt.close(fig)
    """
    require_frame(spend, name="spend")
    if len(sales) != len(spend):
        raise ValueError(f"sales has {len(sales)} weeks and spend {len(spend)}: give the same "
                         "weeks")
    n = len(spend.columns)
    fig, axes = new_figure(n + 1, 1, figsize=(10, 1.3 * n + 2.6), sharex=True,
                           height_ratios=[2.2] + [1] * n)
    weeks = spend.index
    axes[0].plot(weeks, np.asarray(sales, dtype=float), color="black", linewidth=1.5)
    axes[0].yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1000:,.0f}k"))
    axes[0].set_ylabel("sales\nper week")
    top = float(spend.to_numpy(dtype=float).max())
    for ax, channel in zip(axes[1:], spend.columns, strict=True):
        values = spend[channel].to_numpy(dtype=float)
        ax.fill_between(weeks, 0, values, color=channel_colour(channel), alpha=0.85,
                        step="post", linewidth=0)
        ax.set_ylim(0, top * 1.05)
        ax.set_yticks([0, top / 2])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1000:,.0f}k"))
        ax.set_ylabel(channel_name(channel).replace(" and ", " and\n"), rotation=0,
                      ha="right", va="center")
    axes[-1].set_xlabel("week")
    axes[1].set_title("media spend per week (same scale for every channel)", fontsize=11,
                      loc="left")
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig


def plot_channel_metric(values: pd.Series, *, xlabel: str, title: str,
                        fmt: Callable[[float], str] = money, reference: float | None = None,
                        reference_label: str | None = None, ax: Axes | None = None) -> Axes:
    """One horizontal bar per channel, in its colour, largest at the top, value written.

    Parameters
    ----------
    values : Series
        One number per channel (the index holds the course's channel names).
    xlabel, title : str
        Axis label with its unit, and the finding.
    fmt : callable, default :func:`helpers.plotting.money`
        Writes each value at the end of its bar.
    reference : float, optional
        A dashed vertical line, e.g. the rule of thumb CLV/CAC = 3.
    reference_label : str, optional
        The reference line's legend entry.
    ax : Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> ax = plot_channel_metric(pd.Series({"tv": 2.0, "email": 9.0}), xlabel="CLV/CAC",
    ...                          title="E-mail pays most", fmt="{:.1f}".format, reference=3)
    >>> [t.get_text() for t in ax.get_yticklabels()], [float(p.get_width()) for p in ax.patches]
    (['TV and outdoor', 'E-mail'], [2.0, 9.0])
    >>> plt.close(ax.figure)
    """
    numbers = _require_series(values, "values").sort_values()
    ax = _axes(ax, (8, 0.55 * len(numbers) + 1.6))
    bars = ax.barh([channel_name(c) for c in numbers.index], numbers.to_numpy(),
                   color=[channel_colour(c) for c in numbers.index])
    ax.bar_label(bars, labels=[fmt(v) for v in numbers], padding=3, fontsize=9)
    if reference is not None:
        ax.axvline(reference, color="black", linestyle="--", linewidth=1,
                   label=reference_label)
        if reference_label:
            ax.legend(loc="lower right")
    ax.margins(x=0.15)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return ax


def plot_attribution_vs_truth(shares: pd.DataFrame, truth: pd.Series, *, title: str,
                              truth_label: str = "true share (answer key)") -> Figure:
    """One panel per attribution method: each channel's share of credit against the truth.

    Bars are the method's share of the credited new customers, in each channel's colour; a
    black diamond on each row marks the channel's true share of the new customers (answer
    key). A bar past its diamond over-credits the channel; a bar short of it under-credits.

    Parameters
    ----------
    shares : DataFrame
        One row per channel, one column per method (name as it should be printed), shares
        between 0 and 1.
    truth : Series
        The true share per channel, on the same index.
    title : str
        The figure's title: the verdict.
    truth_label : str
        The diamonds' legend entry.

    Returns
    -------
    Figure
        One panel per column of ``shares`` (three per row).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> shares = pd.DataFrame({"last touch": [0.7, 0.3], "Markov": [0.5, 0.5]},
    ...                       index=["paid_search", "tv"])
    >>> fig = plot_attribution_vs_truth(shares, pd.Series({"paid_search": 0.4, "tv": 0.6}),
    ...                                 title="Last touch over-credits search")
    >>> len(fig.axes), [float(p.get_width()) for p in fig.axes[0].patches]  # lowest truth first
    (2, [0.7, 0.3])
    >>> plt.close(fig)
    """
    require_frame(shares, name="shares")
    truth = _require_series(truth, "truth")
    missing = [c for c in shares.index if c not in truth.index]
    if missing:
        raise ValueError(f"truth has no share for channel(s) {missing}")
    rows = list(truth.reindex(shares.index).sort_values().index)
    n = shares.shape[1]
    ncols = min(n, 3) if n <= 6 else 4  # seven or eight methods: two rows of four
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(4.2 * ncols, 0.42 * len(rows) * nrows + 2.2),
                           sharex=True, sharey=True, squeeze=False)
    top = max(float(shares.to_numpy(dtype=float).max()), float(truth.max()))
    names = [channel_name(c) for c in rows]
    for k, ax in enumerate(axes.flat):
        if k >= n:
            ax.axis("off")
            continue
        method = shares.columns[k]
        values = shares.loc[rows, method].to_numpy(dtype=float)
        ax.barh(names, values, color=[channel_colour(c) for c in rows])
        ax.scatter(truth.loc[rows].to_numpy(), names, marker="D", s=40, color="black",
                   zorder=3, label=truth_label)
        ax.set_xlim(0, top * 1.1)
        percent_axis(ax, "x")
        ax.set_title(str(method), fontsize=11)
        if k // ncols == nrows - 1 or k + ncols >= n:
            ax.set_xlabel("share of new customers (bar: credited)")
    axes.flat[0].legend(loc="lower right", fontsize=9)
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig


def plot_adstock_pulse(pulses: pd.DataFrame, *, spend: float,
                       title: str = "Adstock: spend keeps working in the weeks after") -> Axes:
    """The carry-over of a single week's spend, one line per decay rate.

    Parameters
    ----------
    pulses : DataFrame
        Index: weeks since the spend (0, 1, ...); one column per decay rate (the column name
        is the rate), holding the adstock of a single pulse of ``spend`` in week 0.
    spend : float
        The pulse (£), drawn as a bar in week 0.
    title : str
        The finding.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> pulses = pd.DataFrame({0.5: [100.0, 50.0, 25.0]})
    >>> ax = plot_adstock_pulse(pulses, spend=100.0)
    >>> ax.lines[0].get_ydata().tolist(), ax.get_legend().get_texts()[0].get_text()
    ([100.0, 50.0, 25.0], 'decay 0.5: half-life 1.0 weeks')
    >>> plt.close(ax.figure)
    """
    require_frame(pulses, name="pulses")
    ax = _axes(None, (8, 4))
    weeks = pulses.index.to_numpy()
    ax.bar([weeks[0]], [spend], width=0.5, color="#DDDDDD", label=f"{money(spend)} spent in "
           "week 0 only")
    styles = ["-", "--", ":", "-."]
    for k, decay in enumerate(pulses.columns):
        rate = float(decay)
        half_life = np.log(0.5) / np.log(rate) if 0 < rate < 1 else np.nan
        ax.plot(weeks, pulses[decay].to_numpy(dtype=float), color="black",
                linestyle=styles[k % len(styles)], marker="o", markersize=4,
                label=f"decay {rate:g}" + (f": half-life {half_life:.1f} weeks"
                                           if np.isfinite(half_life) else ": no carry-over"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    ax.set_xlabel("weeks after the spend")
    ax.set_ylabel("adstock: spend still working (£)")
    ax.set_title(title)
    ax.legend(loc="upper right")
    return ax


def plot_saturation(curves: pd.DataFrame, *, half_saturation: float,
                    title: str = "Saturation: each extra pound buys less") -> Axes:
    """Hill curves: the share of a channel's maximum effect against adstocked spend.

    Parameters
    ----------
    curves : DataFrame
        Index: adstocked spend (£); one column per shape (the column name is the shape),
        holding ``hill(x)`` between 0 and 1, all with the same half-saturation point.
    half_saturation : float
        K (£): where every curve reaches half its maximum; marked on the chart.
    title : str
        The finding.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> x = np.array([0.0, 1.0, 2.0])
    >>> ax = plot_saturation(pd.DataFrame({1.0: x / (x + 1)}, index=x * 1000),
    ...                      half_saturation=1000)
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 0.5, 0.6666666666666666]
    >>> plt.close(ax.figure)
    """
    require_frame(curves, name="curves")
    ax = _axes(None, (8, 4))
    styles = ["-", "--", ":", "-."]
    x = curves.index.to_numpy(dtype=float)
    for k, shape in enumerate(curves.columns):
        ax.plot(x, curves[shape].to_numpy(dtype=float), color="black",
                linestyle=styles[k % len(styles)], label=f"shape {float(shape):g}")
    ax.axvline(half_saturation, color=GREY, linewidth=1)
    ax.scatter([half_saturation], [0.5], color="black", zorder=3)
    ax.annotate(f"K = {money(half_saturation)}: half the maximum effect",
                (half_saturation, 0.5), xytext=(8, -14), textcoords="offset points",
                fontsize=9)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    percent_axis(ax)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("adstocked spend per week (£)")
    ax.set_ylabel("share of the channel's maximum effect")
    ax.set_title(title)
    ax.legend(loc="lower right")
    return ax


def plot_fit(actual: pd.Series, fitted: pd.Series, *, title: str) -> Axes:
    """Actual weekly sales and the model's fitted sales over the weeks.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> weeks = pd.date_range("2024-01-01", periods=3, freq="7D")
    >>> ax = plot_fit(pd.Series([1.0, 2.0, 3.0], weeks), pd.Series([1.1, 1.9, 3.0], weeks),
    ...               title="Fit")
    >>> [line.get_label() for line in ax.lines]
    ['actual sales', 'fitted by the model']
    >>> plt.close(ax.figure)
    """
    if len(actual) != len(fitted):
        raise ValueError("actual and fitted must cover the same weeks")
    ax = _axes(None, (10, 4))
    ax.plot(actual.index, actual.to_numpy(dtype=float), color="black", linewidth=1.5,
            label="actual sales")
    # grey, not a palette colour: every palette colour belongs to a channel in notebook 10
    ax.plot(actual.index, np.asarray(fitted, dtype=float), color="#555555", linewidth=1.8,
            linestyle="--", label="fitted by the model")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1000:,.0f}k"))
    ax.set_xlabel("week")
    ax.set_ylabel("sales per week")
    ax.set_title(title)
    ax.legend(loc="upper left")
    return ax


def plot_decomposition(decomposition: pd.DataFrame, *, title: str,
                       actual: pd.Series | None = None) -> Axes:
    """Weekly sales split into the baseline and each channel, stacked.

    Parameters
    ----------
    decomposition : DataFrame
        One row per week (index: week start): a ``baseline`` column and one column per
        channel (£), e.g. :meth:`helpers.mmm.MarketingMixModel.decompose`; other columns
        (``fitted``) are ignored.
    title : str
        The finding.
    actual : Series, optional
        The actual weekly sales, drawn as a black line over the stack.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> weeks = pd.date_range("2024-01-01", periods=2, freq="7D")
    >>> parts = pd.DataFrame({"baseline": [10.0, 11.0], "tv": [2.0, 0.0],
    ...                       "fitted": [12.0, 11.0]}, index=weeks)
    >>> ax = plot_decomposition(parts, title="TV adds sales in its bursts")
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['TV and outdoor', 'Baseline (no paid channel)']
    >>> plt.close(ax.figure)
    """
    require_frame(decomposition, name="decomposition")
    require_columns(decomposition, [BASELINE], name="decomposition")
    channels = [c for c in decomposition.columns if c not in (BASELINE, "fitted")]
    ax = _axes(None, (10, 4.5))
    layers = [BASELINE, *channels]
    ax.stackplot(decomposition.index, *[decomposition[c].to_numpy(dtype=float) for c in layers],
                 colors=[channel_colour(c) for c in layers],
                 labels=[channel_name(c) for c in layers], linewidth=0)
    if actual is not None:
        ax.plot(decomposition.index, np.asarray(actual, dtype=float), color="black",
                linewidth=1, label="actual sales")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1000:,.0f}k"))
    ax.set_xlabel("week")
    ax.set_ylabel("sales per week")
    ax.set_title(title)
    handles, labels = ax.get_legend_handles_labels()
    # the legend lists the layers top to bottom, as they are stacked
    order = [labels.index(channel_name(c)) for c in layers[::-1]]
    extra = [i for i, label in enumerate(labels) if label == "actual sales"]
    ax.legend([handles[i] for i in extra + order], [labels[i] for i in extra + order],
              loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def plot_roi(table: pd.DataFrame, *, title: str, truth: pd.DataFrame | None = None,
             break_even: float = 1.0, margin: float | None = None) -> Figure:
    """ROI and marginal ROI per channel: a dot with its interval, break-even lines marked.

    Parameters
    ----------
    table : DataFrame
        One row per channel: ``roi``, ``roi_low``, ``roi_high``, ``mroi``, ``mroi_low``,
        ``mroi_high`` (:meth:`helpers.mmm.MarketingMixModel.roi`).
    title : str
        The finding.
    truth : DataFrame, optional
        ``roi`` and ``mroi`` per channel from the answer key, drawn as black diamonds.
    break_even : float, default 1.0
        £ of sales per £ spent at which the sales pay the media back (dashed line).
    margin : float, optional
        Share of sales kept as profit. When given, a dotted line marks the profit break-even,
        ``1 / margin`` £ of sales per £ spent (notebook 07's ROI of 0).

    Returns
    -------
    Figure
        Two panels: ROI (average) and marginal ROI (the next pound).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> roi = pd.DataFrame({"roi": [2.0], "roi_low": [1.5], "roi_high": [2.6], "mroi": [0.8],
    ...                     "mroi_low": [0.5], "mroi_high": [1.1]}, index=["social"])
    >>> fig = plot_roi(roi, title="Social pays", truth=pd.DataFrame({"roi": [2.2],
    ...                                                              "mroi": [0.9]},
    ...                                                             index=["social"]))
    >>> fig.axes[0].collections[1].get_offsets().tolist()
    [[2.0, 0.0]]
    >>> plt.close(fig)
    >>> fig = plot_roi(roi, title="Social pays in sales, not in profit", margin=0.25)
    >>> [float(line.get_xdata()[0]) for line in fig.axes[0].lines]
    [1.0, 4.0]
    >>> plt.close(fig)
    """
    require_frame(table, name="table")
    if margin is not None and not 0 < margin <= 1:
        raise ValueError(f"margin must be a share between 0 and 1, got {margin!r}")
    columns = ["roi", "roi_low", "roi_high", "mroi", "mroi_low", "mroi_high"]
    require_columns(table, columns, name="table")
    if truth is not None:
        require_columns(truth, ["roi", "mroi"], name="truth")
    rows = list(table["roi"].sort_values().index)
    fig, axes = new_figure(1, 2, figsize=(11, 0.5 * len(rows) + 2.2), sharey=True)
    panels = (("roi", "ROI: £ of sales per £ spent (average)"),
              ("mroi", "marginal ROI: £ of sales from the next £"))
    for ax, (key, label) in zip(axes, panels, strict=True):
        y = np.arange(len(rows))
        est = table.loc[rows, key].to_numpy(dtype=float)
        low = table.loc[rows, f"{key}_low"].to_numpy(dtype=float)
        high = table.loc[rows, f"{key}_high"].to_numpy(dtype=float)
        if (low > high).any():
            raise ValueError(f"every interval needs {key}_low <= {key}_high")
        colours = [channel_colour(c) for c in rows]
        ax.hlines(y, low, high, colors=colours, linewidth=3, alpha=0.6)
        ax.scatter(est, y, color=colours, s=70, zorder=3)
        if truth is not None:
            ax.scatter(truth.loc[rows, key].to_numpy(dtype=float), y, marker="D", s=45,
                       color="black", zorder=4)
        ax.axvline(break_even, color="black", linestyle="--", linewidth=1)
        if margin is not None:
            ax.axvline(1 / margin, color=GREY, linestyle=":", linewidth=1.8)
        ax.set_yticks(y, [channel_name(c) for c in rows])
        ax.set_xlim(left=0)
        ax.set_xlabel(label)
    # legend entries in neutral grey: the colours belong to the channels
    handles = [Line2D([], [], color=GREY, marker="o", markersize=8, linewidth=3, alpha=0.8,
                      label="model estimate, line: 95% interval")]
    if truth is not None:
        handles.append(Line2D([], [], color="black", marker="D", linestyle="none",
                              label="true value (answer key)"))
    handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1,
                          label=f"sales pay back the media: £{break_even:g} per £1"))
    if margin is not None:
        handles.append(Line2D([], [], color=GREY, linestyle=":", linewidth=1.8,
                              label=f"profit break-even at {margin:.0%} margin: "
                                    f"£{1 / margin:.1f} per £1"))
    axes[1].legend(handles=handles, loc="lower right", fontsize=9)
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig


def plot_reallocation(table: pd.DataFrame, *, title: str, best: pd.Series | None = None
                      ) -> Axes:
    """Current and proposed spend per channel, with the change written in %.

    Parameters
    ----------
    table : DataFrame
        One row per channel: ``spend`` (now) and ``new_spend`` (proposed), in £ over the
        period (:func:`helpers.mmm.optimise_budget`).
    title : str
        The decision.
    best : Series, optional
        The best spend per channel (answer key), drawn as black diamonds.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> plan = pd.DataFrame({"spend": [100.0, 80.0], "new_spend": [150.0, 40.0]},
    ...                     index=["email", "display"])
    >>> ax = plot_reallocation(plan, title="Move display money to e-mail")
    >>> [t.get_text() for t in ax.texts]
    ['-50%', '+50%']
    >>> plt.close(ax.figure)
    """
    require_frame(table, name="table")
    require_columns(table, ["spend", "new_spend"], name="table")
    rows = list(table["spend"].sort_values().index)
    ax = _axes(None, (9, 0.7 * len(rows) + 1.8))
    y = np.arange(len(rows))
    now = table.loc[rows, "spend"].to_numpy(dtype=float)
    new = table.loc[rows, "new_spend"].to_numpy(dtype=float)
    colours = [channel_colour(c) for c in rows]
    ax.barh(y + 0.2, now, height=0.38, color="white", edgecolor=colours, linewidth=1.5,
            hatch="///")
    ax.barh(y - 0.2, new, height=0.38, color=colours)
    ends = new.copy()
    handles = [Patch(facecolor="white", edgecolor=GREY, hatch="///", label="spend now"),
               Patch(facecolor=GREY, label="proposed spend")]
    if best is not None:
        best_spend = best.reindex(rows).to_numpy(dtype=float)
        ax.scatter(best_spend, y - 0.2, marker="D", s=40, color="black", zorder=3)
        ends = np.fmax(ends, best_spend)
        handles.append(Line2D([], [], color="black", marker="D", linestyle="none",
                              label="best possible (answer key)"))
    for k in range(len(rows)):
        change = new[k] / now[k] - 1 if now[k] > 0 else np.nan
        ax.annotate(f"{change:+.0%}", (ends[k], y[k] - 0.2), xytext=(7, 0),
                    textcoords="offset points", va="center", fontsize=9, fontweight="bold")
    ax.set_yticks(y, [channel_name(c) for c in rows])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v / 1000:,.0f}k"))
    ax.margins(x=0.12)
    ax.set_xlabel("spend over the two years")
    ax.set_title(title)
    ax.legend(handles=handles, loc="lower right")
    return ax


def plot_response_curves(curves: dict[str, pd.Series], plan: pd.DataFrame, *,
                         title: str) -> Figure:
    """Each channel's response curve, with today's and the proposed spend marked on it.

    Parameters
    ----------
    curves : dict of Series
        Per channel: the channel's incremental sales (£, values) against its total spend
        (£, index), e.g. from :meth:`helpers.mmm.MarketingMixModel.response`.
    plan : DataFrame
        One row per channel: ``spend``, ``new_spend``, ``contribution``, ``new_contribution``
        (:func:`helpers.mmm.optimise_budget`): the open circle (now) and the filled dot
        (proposed).
    title : str
        The finding.

    Returns
    -------
    Figure
        One panel per channel, each with its own scales.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> curve = pd.Series([0.0, 80.0, 120.0], index=[0.0, 50.0, 100.0])
    >>> plan = pd.DataFrame({"spend": [50.0], "new_spend": [100.0], "contribution": [80.0],
    ...                      "new_contribution": [120.0]}, index=["email"])
    >>> fig = plot_response_curves({"email": curve}, plan, title="E-mail flattens")
    >>> fig.axes[0].lines[0].get_ydata().tolist(), fig.axes[0].get_title()
    ([0.0, 80.0, 120.0], 'E-mail')
    >>> plt.close(fig)
    """
    require_frame(plan, name="plan")
    require_columns(plan, ["spend", "new_spend", "contribution", "new_contribution"],
                    name="plan")
    missing = [c for c in curves if c not in plan.index]
    if missing:
        raise ValueError(f"plan has no row for channel(s) {missing}")
    n = len(curves)
    fig, axes = new_figure(1, n, figsize=(3.0 * n + 1, 3.6), squeeze=False)
    pounds = FuncFormatter(lambda v, _: f"£{v / 1000:,.0f}k")
    for ax, (channel, curve) in zip(axes.flat, curves.items(), strict=True):
        colour = channel_colour(channel)
        ax.plot(curve.index.to_numpy(dtype=float), curve.to_numpy(dtype=float), color=colour,
                linewidth=2)
        row = plan.loc[channel]
        ax.scatter([row["spend"]], [row["contribution"]], s=60, facecolor="white",
                   edgecolor=colour, linewidth=2, zorder=3)
        ax.scatter([row["new_spend"]], [row["new_contribution"]], s=60, color=colour, zorder=4)
        ax.set_title(channel_name(channel), fontsize=11)
        ax.xaxis.set_major_formatter(pounds)
        ax.xaxis.set_major_locator(MaxNLocator(3))  # narrow panels: long £ labels collide
        ax.yaxis.set_major_formatter(pounds)
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel("spend over two years")
    axes.flat[0].set_ylabel("incremental sales")
    handles = [Line2D([], [], color=GREY, marker="o", markerfacecolor="white", linestyle="none",
                      markersize=8, label="spend now"),
               Line2D([], [], color=GREY, marker="o", linestyle="none", markersize=8,
                      label="proposed spend")]
    axes.flat[-1].legend(handles=handles, loc="lower right", fontsize=9)
    fig.suptitle(title, fontsize=13, fontweight="bold")
    return fig
