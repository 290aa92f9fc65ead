"""Charts of notebook 06: the two snapshots of a time split, and the model's effects in words.

* :func:`plot_snapshots`: each snapshot's feature window and outcome window on one time line;
* :func:`plot_odds_ratios`: how much one standard deviation more of each feature changes the
  odds of churn, in per cent on a plain (not logarithmic) axis, with plain feature names.

Charts that evaluate scores (ROC, calibration, gains, profit) are in
:mod:`helpers.charts.evaluation`.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from ..churn import feature_label
from ..plotting import GREY, PALETTE, new_figure, percent_axis
from ..validation import require_columns

__all__ = ["odds_change_label", "plot_odds_ratios", "plot_snapshots"]

#: Colours of effects that raise and lower the odds of churn.
RAISES, LOWERS = PALETTE[5], PALETTE[2]


def plot_snapshots(
    cutoffs: Mapping[str, str | pd.Timestamp],
    *,
    horizon_days: int,
    data_start: str | pd.Timestamp,
    data_end: str | pd.Timestamp,
    events: Mapping[str, str | pd.Timestamp] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """A time line of each snapshot: features before its cut-off, outcome window after it.

    Parameters
    ----------
    cutoffs : mapping of name -> date
        One row per snapshot, top to bottom in the order given (e.g. train, then test).
    horizon_days : int
        Length of the outcome window.
    data_start, data_end : date
        First day of the data, and the first moment after it (drawn as a dotted line).
    events : mapping of label -> date, optional
        Other dates to mark with a dashed line (e.g. ``{"e-mail campaign sent": ...}``).

    Examples
    --------
    >>> ax = plot_snapshots({"train": "2025-04-01", "test": "2025-07-01"}, horizon_days=90,
    ...                     data_start="2024-01-01", data_end="2026-01-01")
    >>> [t.get_text() for t in ax.get_yticklabels()], len(ax.patches)
    (['test snapshot', 'train snapshot'], 4)
    >>> plt.close(ax.figure)
    """
    if not cutoffs:
        raise ValueError("cutoffs is empty: give at least one snapshot's cut-off")
    if ax is None:
        _, ax = new_figure(figsize=(10, 3.2))
    start = pd.Timestamp(data_start)
    names = list(cutoffs)[::-1]  # barh draws from the bottom: the first snapshot on top
    for row, name in enumerate(names):
        cutoff = pd.Timestamp(cutoffs[name])
        if cutoff <= start:
            raise ValueError(f"the cut-off of '{name}' ({cutoff.date()}) is not after the "
                             f"start of the data ({start.date()})")
        ax.barh(row, cutoff - start, left=start, height=0.5, color=PALETTE[0],
                label="feature window (history)" if row == 0 else None)
        ax.barh(row, pd.Timedelta(days=horizon_days), left=cutoff, height=0.5, color=PALETTE[1],
                label=f"outcome window ({horizon_days} days)" if row == 0 else None)
        ax.annotate(f"cut-off {cutoff:%d %b %Y}", (cutoff, row + 0.3), ha="center", fontsize=9)
    for label, when in (events or {}).items():
        ax.axvline(pd.Timestamp(when), color=PALETTE[5], linestyle="--", label=label)
    ax.axvline(pd.Timestamp(data_end), color=GREY, linestyle=":", label="end of data")
    ax.set_yticks(range(len(names)), [f"{name} snapshot" for name in names])
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.set_xlabel("date")
    ax.set_ylim(-0.6, len(names) + 0.1)
    ax.legend(loc="upper left", ncols=2, fontsize=9)
    ax.set_title(title or "Features come from before each cut-off, churn from the 90 days after"
                 .replace("90", str(horizon_days)))
    return ax


def odds_change_label(odds_ratio: float) -> str:
    """Change in the odds as a percentage with its factor: "+221% (×3.2)", "-48% (÷1.9)".

    A fall is shown as a division so that it compares with a rise: halving the odds
    (-50%, ÷2.0) is as strong an effect as doubling them (+100%, ×2.0).

    Examples
    --------
    >>> odds_change_label(3.21), odds_change_label(0.52), odds_change_label(1.0)
    ('+221% (×3.2)', '-48% (÷1.9)', '+0% (×1.0)')
    """
    if not odds_ratio > 0:
        raise ValueError(f"odds_ratio must be positive, got {odds_ratio}")
    factor = f"×{odds_ratio:.1f}" if odds_ratio >= 1 else f"÷{1 / odds_ratio:.1f}"
    return f"{odds_ratio - 1:+.0%} ({factor})"


def plot_odds_ratios(odds: pd.DataFrame, *, top: int = 10, ax: Axes | None = None,
                     title: str | None = None) -> Axes:
    """Bars of the change in the odds of churn per standard deviation more of each feature.

    Takes the ``top`` largest effects of :func:`helpers.churn.odds_ratio_table` and draws
    ``odds_ratio - 1`` as a percentage on a plain axis, sorted from the largest rise (top) to
    the largest fall (bottom): red bars raise the odds of churn, green ones lower them, and
    each bar is labelled with the change and the factor, "+221% (×3.2)" for a rise and
    "-48% (÷1.9)" for a fall: on the plain axis a halving looks small beside a tripling,
    the factor says that it is about as strong as a doubling. Features are named by
    :func:`helpers.churn.feature_label`. For a category (one-hot) the bar compares customers
    in it with customers in none of the encoded groups.

    Examples
    --------
    >>> odds = pd.DataFrame({"feature": ["silence_score", "frequency", "country = France"],
    ...                      "scale": ["linear", "log", "one-hot"], "one_sd": [1.8, 2.0, None],
    ...                      "coefficient": [1.16, -0.51, 0.1],
    ...                      "odds_ratio": [3.2, 0.6, 1.1]})
    >>> ax = plot_odds_ratios(odds)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['number of orders', 'lives in France', 'silence score (quiet for this customer)']
    >>> [t.get_text() for t in ax.texts]
    ['-40% (÷1.7)', '+10% (×1.1)', '+220% (×3.2)']
    >>> plt.close(ax.figure)
    """
    require_columns(odds, ["feature", "odds_ratio"], name="odds")
    if odds.empty:
        raise ValueError("odds is empty: no coefficients to draw")
    shown = odds.head(top).assign(change=lambda t: t["odds_ratio"] - 1)
    shown = shown.sort_values("change", kind="stable")  # barh: the largest rise on top
    labels = [feature_label(f) for f in shown["feature"]]
    if ax is None:
        _, ax = new_figure(figsize=(9, 0.42 * len(shown) + 1.6))
    colours = [RAISES if c > 0 else LOWERS for c in shown["change"]]
    bars = ax.barh(labels, shown["change"], color=colours)
    ax.bar_label(bars, labels=[odds_change_label(r) for r in shown["odds_ratio"]], padding=3,
                 fontsize=9)
    ax.axvline(0, color="black", linewidth=0.8)
    low, high = min(shown["change"].min(), 0), max(shown["change"].max(), 0)
    pad = 0.22 * (high - low) + 0.05  # room for the labels at the bar ends
    ax.set_xlim(low - (pad if low < 0 else 0.02), high + pad)
    percent_axis(ax, "x")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _pos: f"{v:+.0%}" if v else "0"))
    ax.set_xlabel("change in the odds of churn for one standard deviation more "
                  "(a group: belonging to it)")
    ax.legend(handles=[Patch(color=RAISES, label="raises the odds of churn"),
                       Patch(color=LOWERS, label="lowers the odds of churn")],
              loc="lower right", fontsize=9)
    if title is None:
        parts = []
        rise, fall = shown.iloc[-1], shown.iloc[0]
        if rise["change"] > 0:
            parts.append(f"Strongest warning: {feature_label(rise['feature'])}, "
                         f"{odds_change_label(rise['odds_ratio'])} odds of churn")
        if fall["change"] < 0:
            parts.append(f"Strongest protection: {feature_label(fall['feature'])}, "
                         f"{odds_change_label(fall['odds_ratio'])}")
        title = "\n".join(parts)
    ax.set_title(title)
    return ax
