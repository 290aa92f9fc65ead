"""Charts of notebook 07: cohort value, purchase forecasts, P(alive), CLV, CLV/CAC, campaign ROI.

Every function draws in the course style on the ``ax`` it is given (a new figure when
``ax`` is None) and returns the ``Axes``; labels are in a marketer's words.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..plotting import GREY, PALETTE, currency_axis, new_figure, percent_axis

__all__ = [
    "channel_label",
    "holdout_title",
    "plot_clv_histogram",
    "plot_clv_to_cac",
    "plot_cohort_curves",
    "plot_holdout_by_frequency",
    "plot_interval",
    "plot_p_alive_calibration",
    "plot_p_alive_curves",
    "plot_weekly_tracking",
]

#: Rule of thumb for a healthy acquisition channel: first-year value three times its cost.
CLV_CAC_RULE_OF_THUMB: float = 3.0


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    return new_figure(figsize=figsize)[1] if ax is None else ax


def _require_columns(table: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"column '{missing[0]}' is missing from the table to plot")


def channel_label(name: str) -> str:
    """A channel name as a marketer writes it: ``"paid_search"`` -> ``"Paid search"``.

    Examples
    --------
    >>> channel_label("paid_search")
    'Paid search'
    """
    return str(name).replace("_", " ").capitalize()


def plot_cohort_curves(cumulative: pd.DataFrame, cohort_size: pd.Series, *,
                       min_months: int = 3,
                       title: str = "Revenue per customer by first-purchase quarter",
                       ax: Axes | None = None) -> Axes:
    """Cumulative revenue per customer by month since the first purchase, one line a cohort.

    Parameters
    ----------
    cumulative : DataFrame
        Index: months since the first purchase (0 = the first month); one column per cohort;
        NaN where the cohort is not yet observed (as :func:`helpers.clv_summary.cohort_revenue`).
    cohort_size : Series
        Customers per cohort, shown in the legend.
    min_months : int
        Cohorts observed for fewer months are left out.
    title : str
        The chart's title: best the finding, printed from the data.
    ax : Axes, optional

    Examples
    --------
    >>> table = pd.DataFrame({"2024Q1": [10.0, 18.0, 25.0], "2024Q2": [12.0, 20.0, np.nan]})
    >>> ax = plot_cohort_curves(table, pd.Series({"2024Q1": 5, "2024Q2": 7}), min_months=2)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['2024Q1 (5)', '2024Q2 (7)']
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax, (9, 4.5))
    cohorts = [c for c in cumulative.columns if cumulative[c].notna().sum() >= min_months]
    colours = plt.cm.viridis(np.linspace(0, 0.9, max(len(cohorts), 1)))
    for colour, cohort in zip(colours, cohorts, strict=False):
        curve = cumulative[cohort].dropna()
        ax.plot(curve.index + 1, curve.to_numpy(), color=colour,
                label=f"{cohort} ({cohort_size[cohort]:,})")
    ax.xaxis.set_major_locator(plt.MultipleLocator(3))
    ax.set_xlabel("months since first purchase")
    ax.set_ylabel("cumulative revenue per customer (£)")
    ax.set_title(title)
    currency_axis(ax)
    ax.legend(title="cohort (customers)", ncol=2, fontsize=9)
    return ax


def plot_weekly_tracking(tracking: pd.DataFrame, calibration_end: str | pd.Timestamp, *,
                         model_name: str = "BG/NBD", ax: Axes | None = None) -> Axes:
    """Repeat purchases per week, actual and forecast, with the calibration/holdout line.

    Only whole weeks are drawn; the title states the forecast's error over all the holdout
    days, a shorter last period included.

    Parameters
    ----------
    tracking : DataFrame
        As :func:`helpers.clv.repeat_purchase_tracking`: ``period_end``, ``days``,
        ``actual`` and ``model`` (purchases in each period).
    calibration_end : date
        Last day the model saw.
    model_name : str
        Name of the forecast in the legend.
    ax : Axes, optional

    Examples
    --------
    >>> weeks = pd.DataFrame({"period_end": pd.date_range("2025-01-07", periods=4, freq="7D"),
    ...                       "days": 7, "actual": [10, 12, 11, 9], "model": [10, 11, 11, 10.0]})
    >>> ax = plot_weekly_tracking(weeks, "2025-01-21")
    >>> ax.get_title()
    'Holdout weeks: actual 9 repeat purchases, BG/NBD forecast 10 (+11%)'
    >>> plt.close(ax.figure)
    """
    _require_columns(tracking, ["period_end", "days", "actual", "model"])
    ax = _axes(ax, (10, 4.5))
    cal_end = pd.Timestamp(calibration_end)
    full = tracking[tracking["days"] >= 7]  # part-weeks at either end would only add noise
    weeks = full["days"].to_numpy() / 7
    ax.plot(full["period_end"], full["actual"] / weeks, color=PALETTE[7], label="actual")
    ax.plot(full["period_end"], full["model"] / weeks, color=PALETTE[1], linestyle="--",
            label=f"{model_name} forecast")
    ax.axvline(cal_end, color=GREY, linestyle=":")
    for text, ha in (("model saw this ", "right"), (" holdout (unseen)", "left")):
        ax.text(cal_end, 0.03, text, transform=ax.get_xaxis_transform(), ha=ha, color=GREY)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("week ending")
    ax.set_ylabel("repeat purchases per week")
    hold = tracking[tracking["period_end"] > cal_end]
    actual, model = hold["actual"].sum(), hold["model"].sum()
    ax.set_title(f"Holdout weeks: actual {actual:,.0f} repeat purchases, {model_name} forecast "
                 f"{model:,.0f} ({model / actual - 1:+.0%})")
    ax.legend(loc="upper left")
    return ax


def plot_holdout_by_frequency(table: pd.DataFrame, *, xlabel: str, ylabel: str, title: str,
                              ax: Axes | None = None) -> Axes:
    """Mean holdout purchases per past-frequency group: actual as bars, forecasts as lines.

    Parameters
    ----------
    table : DataFrame
        One row per group (the index labels the x axis); column ``actual`` and one column per
        forecast.
    xlabel, ylabel, title : str
    ax : Axes, optional

    Examples
    --------
    >>> t = pd.DataFrame({"actual": [0.5, 1.0], "BG/NBD": [0.4, 1.1]}, index=["0", "1"])
    >>> ax = plot_holdout_by_frequency(t, xlabel="x", ylabel="y", title="t")
    >>> len(ax.patches), [line.get_label() for line in ax.get_lines()]
    (2, ['BG/NBD'])
    >>> plt.close(ax.figure)
    """
    _require_columns(table, ["actual"])
    ax = _axes(ax, (9, 4.5))
    labels = [str(i) for i in table.index]
    ax.bar(labels, table["actual"], color=PALETTE[4], label="actual (mean)")
    styles = [(PALETTE[1], "o-"), (PALETTE[5], "s--"), (PALETTE[7], ":"), (PALETTE[2], "^-")]
    forecasts = [c for c in table.columns if c != "actual"]
    for (colour, style), name in zip(styles, forecasts, strict=False):
        ax.plot(labels, table[name], style, color=colour, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    return ax


def holdout_title(table: pd.DataFrame, model: str, *, baseline: str = "run rate (x/T)") -> str:
    """A title stating which forecast follows the actual holdout purchases more closely.

    Parameters
    ----------
    table : DataFrame
        One row per group of past repeat purchases (first row: no repeat purchase), with the
        columns ``actual``, ``model`` and ``baseline`` (mean purchases per customer).
    model, baseline : str
        The columns of the two forecasts compared.

    Examples
    --------
    >>> t = pd.DataFrame({"actual": [0.5, 1.0, 2.0], "BG/NBD": [0.6, 1.1, 1.8],
    ...                   "run rate (x/T)": [0.0, 1.5, 2.9]}, index=["0", "1", "2"])
    >>> print(holdout_title(t, "BG/NBD"))
    BG/NBD is closer to the actual in 3 of 3 groups
    the run rate overshoots 2 of 2 groups of repeat buyers
    """
    missing = [c for c in ("actual", model, baseline) if c not in table.columns]
    if missing:
        raise ValueError(f"column(s) {missing} missing from the holdout table")
    error = table[[model, baseline]].sub(table["actual"], axis=0).abs()
    closer = int((error[model] < error[baseline]).sum())
    repeat = table.iloc[1:]
    overshoot = int((repeat[baseline] > repeat["actual"]).sum())
    return (f"{model} is closer to the actual in {closer} of {len(table)} groups\n"
            f"the run rate overshoots {overshoot} of {len(repeat)} groups of repeat buyers")


def plot_p_alive_curves(model: object, *, repeat_purchases: Sequence[int] = (1, 3, 6, 12),
                        age_weeks: float = 52.0, ax: Axes | None = None) -> Axes:
    """P(alive) against weeks of silence, one curve per number of repeat purchases.

    Parameters
    ----------
    model : fitted BetaGeoModel (anything with ``probability_alive``)
    repeat_purchases : sequence of int
    age_weeks : float
        Weeks since the first purchase of the customers drawn.
    ax : Axes, optional

    Examples
    --------
    >>> from helpers.clv import BetaGeoModel
    >>> bg = BetaGeoModel()
    >>> bg.params_ = {"r": 1.0, "alpha": 5.0, "a": 0.5, "b": 3.0}
    >>> ax = plot_p_alive_curves(bg, repeat_purchases=(1, 6))
    >>> [line.get_label() for line in ax.get_lines()]
    ['1 repeat purchase', '6 repeat purchases']
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax, (7, 4.5))
    silent = np.linspace(0, age_weeks, 105)
    for colour, x in zip(PALETTE, repeat_purchases, strict=False):
        p = model.probability_alive(np.full_like(silent, x), age_weeks - silent,
                                    np.full_like(silent, age_weeks))
        ax.plot(silent, p, color=colour, label=f"{x} repeat purchase{'s' if x > 1 else ''}")
    ax.set_xlabel("weeks since the last purchase")
    ax.set_ylabel("P(alive)")
    ax.set_title(f"P(alive) falls faster for frequent buyers\n(customers first seen "
                 f"{age_weeks:.0f} weeks ago)")
    percent_axis(ax)
    ax.legend()
    return ax


def plot_p_alive_calibration(predicted: pd.Series, alive: pd.Series, *, date_label: str,
                             title: str = "Predicted P(alive) vs the truth",
                             ax: Axes | None = None) -> Axes:
    """Share truly alive against predicted P(alive), in 10%-wide bands (dot area = customers).

    Examples
    --------
    >>> p = pd.Series([0.05, 0.08, 0.93, 0.95])
    >>> ax = plot_p_alive_calibration(p, pd.Series([False, False, True, True]), date_label="x")
    >>> len(ax.collections[0].get_offsets())  # two bands hold customers
    2
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax, (7, 4.5))
    bands = pd.cut(predicted, np.linspace(0, 1, 11), include_lowest=True)
    truth = alive.astype(float).groupby(bands, observed=True).agg(["mean", "size"])
    centres = predicted.groupby(bands, observed=True).mean()
    ax.scatter(centres, truth["mean"], s=truth["size"] / 5 + 10, color=PALETTE[0],
               label="customers in a 10%-wide band\n(dot area = number)")
    ax.plot([0, 1], [0, 1], color=GREY, linestyle=":", label="perfectly calibrated")
    ax.set_xlabel(f"predicted P(alive) at {date_label}")
    ax.set_ylabel("share truly alive (answer key)")
    ax.set_title(title)
    percent_axis(ax)
    percent_axis(ax, axis="x")
    ax.legend(loc="upper left", markerscale=0.3)
    return ax


def plot_clv_histogram(clv: pd.Series, *, max_value: float = 1500.0, bin_width: float = 25.0,
                       xlabel: str = "12-month CLV (£ of margin, discounted)",
                       ax: Axes | None = None) -> Axes:
    """Histogram of CLV with mean and median; the title says what share the top 20% hold.

    Examples
    --------
    >>> ax = plot_clv_histogram(pd.Series([10.0, 20, 30, 40, 900]), max_value=1000)
    >>> ax.get_title()
    'Customer value is concentrated: the top 20% hold 90% of it'
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax, (9, 4.5))
    ranked = clv.sort_values(ascending=False)
    top = ranked.iloc[: max(len(ranked) // 5, 1)].sum() / ranked.sum()
    ax.hist(clv.clip(upper=max_value), bins=np.arange(0, max_value + bin_width, bin_width),
            color=PALETTE[0])
    ax.axvline(clv.mean(), color=PALETTE[1], linestyle="--", label=f"mean £{clv.mean():,.0f}")
    ax.axvline(clv.median(), color=PALETTE[2], linestyle=":",
               label=f"median £{clv.median():,.0f}")
    ax.set_xlabel(xlabel + f" (last bar: £{max_value:,.0f} or more)")
    ax.set_ylabel("customers")
    ax.set_title(f"Customer value is concentrated: the top 20% hold {top:.0%} of it")
    currency_axis(ax, axis="x")
    ax.legend()
    return ax


def plot_clv_to_cac(ratio: pd.Series, *, ax: Axes | None = None) -> Axes:
    """CLV/CAC per channel as bars on a linear axis, with break-even (1) and the 3:1 rule.

    Bars below the rule of thumb are drawn in the warning colour; each bar carries its ratio.

    Parameters
    ----------
    ratio : Series
        CLV/CAC by acquisition channel.
    ax : Axes, optional

    Examples
    --------
    >>> ax = plot_clv_to_cac(pd.Series({"organic": 12.0, "paid_search": 2.5}))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Paid search', 'Organic']
    >>> sorted(round(line.get_xdata()[0]) for line in ax.get_lines())
    [1, 3]
    >>> plt.close(ax.figure)
    """
    if ratio.empty:
        raise ValueError("column 'clv_to_cac' is empty: no channel to plot")
    ax = _axes(ax, (8, 4))
    ranked = ratio.sort_values()
    labels = [channel_label(c) for c in ranked.index]
    colours = [PALETTE[5] if v < CLV_CAC_RULE_OF_THUMB else PALETTE[0] for v in ranked]
    ax.barh(labels, ranked.to_numpy(), color=colours)
    top = max(ranked.max(), CLV_CAC_RULE_OF_THUMB) * 1.15
    ax.set_xlim(0, top)
    ax.axvline(1, color=PALETTE[7], linestyle="-", linewidth=1.2, label="break-even 1:1")
    ax.axvline(CLV_CAC_RULE_OF_THUMB, color=GREY, linestyle="--", label="3:1 rule of thumb")
    # bars are sorted, the weakest at the bottom: the lower right is the emptiest corner
    ax.legend(loc="lower right", fontsize=9)
    for y, value in enumerate(ranked):
        # right of the 3:1 line, never on it
        ax.text(max(value, CLV_CAC_RULE_OF_THUMB) + top * 0.01, y, f"{value:.1f} : 1",
                va="center", fontsize=9)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}:1"))
    ax.set_xlabel("first-year margin per customer / acquisition cost")
    ax.set_ylabel("")
    below = [channel_label(c) for c in ranked.index[ranked < CLV_CAC_RULE_OF_THUMB]]
    ax.set_title("Every channel pays back at least 3:1" if not below else
                 f"{', '.join(below)} below the 3:1 rule of thumb")
    return ax


def plot_interval(estimate: float, lower: float, upper: float, *, truth: float | None = None,
                  xlabel: str, title: str, reference_label: str = "no effect",
                  ax: Axes | None = None) -> Axes:
    """One estimate with its confidence interval against 0, and the true value if known.

    Examples
    --------
    >>> ax = plot_interval(0.5, -1.0, 2.0, truth=1.5, xlabel="ROI", title="ROI: not proven")
    >>> [line.get_label() for line in ax.get_lines()][-1]
    'true value (answer key)'
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax, (6, 2.8))
    ax.errorbar([estimate], [0], xerr=[[estimate - lower], [upper - estimate]], fmt="o",
                color=PALETTE[0], capsize=6, label="estimate and 95% CI")
    ax.axvline(0, color=GREY, linestyle=":")
    ax.text(0, -0.45, f" {reference_label}", color=GREY, fontsize=9)
    if truth is not None:
        ax.plot([truth], [0], "D", color=PALETTE[1], markersize=9, label="true value (answer key)")
    ax.set_yticks([])
    ax.set_ylim(-0.6, 1)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend(loc="upper left", ncol=2)
    return ax

