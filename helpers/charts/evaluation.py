"""Charts that evaluate any model scoring customers (notebooks 06 and 09).

Each takes the observed labels (1 = the event: churned, bought...) and one score per customer,
or a mapping ``model name -> scores`` to compare several on the same customers, and draws on
an ``Axes`` (a new figure when ``ax`` is None). Axes are in per cent or pounds, lines are
named in the legend, and the default title states what the chart shows for the first model:

* :func:`plot_roc` and :func:`plot_precision_recall`: how well the scores rank;
* :func:`plot_calibration`: can a score be read as a probability?
* :func:`plot_lift` and :func:`plot_gains`: what contacting the top of the list reaches;
* :func:`plot_profit_curve`: the expected profit of an offer by how many are contacted.

The numbers come from :mod:`helpers.evaluation` and scikit-learn, so a chart draws exactly the
values its table prints.
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt  # noqa: F401 (the examples close their figures)
import numpy as np
from matplotlib.axes import Axes
from numpy.typing import ArrayLike
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from ..evaluation import _labels_and_scores, lift_table, profit_curve
from ..plotting import GREY, PALETTE, currency_axis, new_figure, percent_axis

__all__ = [
    "plot_calibration",
    "plot_gains",
    "plot_lift",
    "plot_precision_recall",
    "plot_profit_curve",
    "plot_roc",
]

_MARKERS = "os^Dv"


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = new_figure(figsize=figsize)
    return ax


def _models(y_true: ArrayLike, scores: Mapping[str, ArrayLike] | ArrayLike,
            name: str = "model") -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Labels and a dict of checked scores (a single array becomes ``{name: scores}``)."""
    if not isinstance(scores, Mapping):
        scores = {name: scores}
    if not scores:
        raise ValueError("scores is empty: give at least one model's scores")
    checked = {}
    for model, s in scores.items():
        y, checked[str(model)] = _labels_and_scores(y_true, s)
    return y, checked


def plot_roc(y_true: ArrayLike, scores: Mapping[str, ArrayLike] | ArrayLike, *,
             ax: Axes | None = None, title: str | None = None) -> Axes:
    """ROC curves: share of positives caught against share of negatives wrongly flagged.

    Each model's legend entry gives its ROC AUC; a dashed diagonal shows a random order.

    Examples
    --------
    >>> ax = plot_roc([0, 0, 1, 1], {"model": [0.1, 0.4, 0.35, 0.8]})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['model: AUC 0.750', 'random order: AUC 0.50']
    >>> plt.close(ax.figure)
    """
    y, models = _models(y_true, scores)
    ax = _axes(ax, (6, 4.5))
    for i, (name, s) in enumerate(models.items()):
        fpr, tpr, _ = roc_curve(y, s)
        ax.plot(fpr, tpr, color=PALETTE[i % len(PALETTE)],
                label=f"{name}: AUC {roc_auc_score(y, s):.3f}")
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="random order: AUC 0.50")
    ax.set_xlabel("stayers wrongly flagged (false positive rate)")
    ax.set_ylabel("churners caught (true positive rate)")
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.legend(loc="lower right", fontsize=9)
    first = next(iter(models))
    ax.set_title(title or f"ROC curve: AUC {roc_auc_score(y, models[first]):.3f} "
                          "(0.5 = random, 1 = perfect)")
    return ax


def plot_precision_recall(y_true: ArrayLike, scores: Mapping[str, ArrayLike] | ArrayLike, *,
                          ax: Axes | None = None, title: str | None = None) -> Axes:
    """Precision-recall curves, with the positive rate (what a random list gives) dashed.

    The default title reads the first model's curve at 80% recall.

    Examples
    --------
    >>> ax = plot_precision_recall([0, 0, 1, 1], {"model": [0.1, 0.4, 0.35, 0.8]})
    >>> ax.get_legend().get_texts()[-1].get_text()
    'random order: 50% precision'
    >>> plt.close(ax.figure)
    """
    y, models = _models(y_true, scores)
    ax = _axes(ax, (6, 4.5))
    for i, (name, s) in enumerate(models.items()):
        precision, recall, _ = precision_recall_curve(y, s)
        ax.plot(recall, precision, color=PALETTE[i % len(PALETTE)],
                label=f"{name}: AP {average_precision_score(y, s):.3f}")
    ax.axhline(y.mean(), color=GREY, linestyle="--",
               label=f"random order: {y.mean():.0%} precision")
    ax.set_xlabel("churners caught (recall)")
    ax.set_ylabel("flagged customers who churn (precision)")
    ax.set_ylim(min(0.3, y.mean() - 0.05), 1.02)
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.legend(loc="lower left", fontsize=9)
    precision, recall, _ = precision_recall_curve(y, next(iter(models.values())))
    at_80 = precision[recall >= 0.8].max()
    ax.set_title(title or f"Reaching 80% of churners: {at_80:.0%} of those flagged churn")
    return ax


def plot_calibration(y_true: ArrayLike, scores: Mapping[str, ArrayLike] | ArrayLike, *,
                     n_bins: int = 10, ax: Axes | None = None, title: str | None = None
                     ) -> Axes:
    """Observed rate against mean predicted probability in ``n_bins`` equal-sized score bins.

    Points on the dashed diagonal are calibrated. The default title gives the largest gap
    between predicted and observed of the first model's bins, in percentage points.

    Examples
    --------
    >>> y = [0, 0, 1, 0, 1, 1, 0, 1]
    >>> ax = plot_calibration(y, {"model": [.1, .2, .3, .4, .6, .7, .8, .9]}, n_bins=2)
    >>> ax.lines[0].get_xydata().round(2).tolist()
    [[0.25, 0.25], [0.75, 0.75]]
    >>> plt.close(ax.figure)
    """
    y, models = _models(y_true, scores)
    if any(((s < 0) | (s > 1)).any() for s in models.values()):
        raise ValueError("scores must be probabilities in [0, 1] to be calibrated")
    ax = _axes(ax, (6.5, 5))
    gaps = []
    for i, (name, s) in enumerate(models.items()):
        observed, predicted = calibration_curve(y, s, n_bins=n_bins, strategy="quantile")
        gaps.append(np.abs(observed - predicted).max())
        ax.plot(predicted, observed, marker=_MARKERS[i % len(_MARKERS)],
                color=PALETTE[i % len(PALETTE)], label=name)
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="perfect calibration")
    ax.set_xlabel("predicted churn probability (bin average)")
    ax.set_ylabel("observed churn rate in the bin")
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.legend(loc="upper left")
    ax.set_title(title or f"Predicted against observed churn: bins at most "
                          f"{gaps[0] * 100:.0f} points apart ({len(y) // n_bins:,} per bin)")
    return ax


def plot_lift(y_true: ArrayLike, scores: ArrayLike, *, n_bins: int = 10,
              ax: Axes | None = None, title: str | None = None) -> Axes:
    """Churn rate in each score group (1 = highest scores), each bar labelled with its lift.

    The dashed line is the overall rate (lift 1). The bars are the ``churn_rate`` of
    :func:`helpers.evaluation.lift_table`.

    Examples
    --------
    >>> ax = plot_lift([1, 1, 0, 1, 0, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2], n_bins=4)
    >>> [round(float(p.get_height()), 2) for p in ax.patches], ax.texts[0].get_text()
    ([1.0, 0.5, 0.0, 0.0], '×2.7')
    >>> plt.close(ax.figure)
    """
    table = lift_table(y_true, scores, n_bins=n_bins)
    group = table.columns[0]
    y, _ = _labels_and_scores(y_true, scores)
    ax = _axes(ax, (6, 4.2))
    bars = ax.bar(table[group], table["churn_rate"], color=PALETTE[0])
    ax.bar_label(bars, labels=[f"×{v:.1f}" for v in table["lift"]], padding=2, fontsize=9)
    ax.axhline(y.mean(), color=GREY, linestyle="--", label=f"average: {y.mean():.0%} (lift 1)")
    ax.set_xticks(table[group])
    ax.set_xlabel(f"{group} of predicted risk (1 = highest)")
    ax.set_ylabel("churn rate in the group")
    ax.set_ylim(0, min(1.0, table["churn_rate"].max()) * 1.12 + 0.01)
    percent_axis(ax, "y")
    ax.legend(loc="upper right")
    ax.set_title(title or f"Riskiest {group}: ×{table['lift'].iloc[0]:.1f} the average "
                          "churn rate")
    return ax


def plot_gains(y_true: ArrayLike, scores: Mapping[str, ArrayLike] | ArrayLike, *,
               n_bins: int = 10, positives: str = "churners", ax: Axes | None = None,
               title: str | None = None) -> Axes:
    """Cumulative gains: share of all positives reached by contacting the top of each list.

    ``positives`` names the customers with label 1 in the labels ("churners", "buyers").

    One line per model (the ``cumulative_gain`` of :func:`helpers.evaluation.lift_table`),
    the diagonal for a random order; the default title reads the first model at 30% of the
    customers (or the nearest group boundary).

    Examples
    --------
    >>> ax = plot_gains([1, 1, 0, 1, 0, 0, 0, 0], {"model": [.9, .8, .7, .6, .5, .4, .3, .2]},
    ...                 n_bins=4)
    >>> ax.lines[0].get_ydata().tolist()
    [0.0, 0.67, 1.0, 1.0, 1.0]
    >>> plt.close(ax.figure)
    """
    y, models = _models(y_true, scores)
    ax = _axes(ax, (6, 4.2))
    tables = {}
    for i, (name, s) in enumerate(models.items()):
        tables[name] = lift_table(y, s, n_bins=n_bins)
        ax.plot(np.r_[0, tables[name]["cumulative_customers"]],
                np.r_[0, tables[name]["cumulative_gain"]], marker=_MARKERS[i % len(_MARKERS)],
                color=PALETTE[i % len(PALETTE)], label=name)
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", label="random order")
    ax.set_xlabel("customers contacted (highest score first)")
    ax.set_ylabel(f"share of all {positives} reached")
    percent_axis(ax, "x")
    percent_axis(ax, "y")
    ax.legend(loc="lower right")
    first = tables[next(iter(tables))]
    row = first.iloc[(first["cumulative_customers"] - 0.3).abs().argmin()]
    ax.set_title(title or f"The top {row['cumulative_customers']:.0%} of the list hold "
                          f"{row['cumulative_gain']:.0%} of the {positives}")
    return ax


def plot_profit_curve(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    offer_cost: float,
    retention_prob: float,
    value_retained: float | ArrayLike,
    marks: Mapping[str, float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Expected profit of contacting everyone scored at or above a threshold, by share contacted.

    The line is :func:`helpers.evaluation.profit_curve`; each entry of ``marks`` (label ->
    threshold) is marked where that threshold lands. The default title gives the peak.

    Examples
    --------
    >>> ax = plot_profit_curve([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], offer_cost=5,
    ...                        retention_prob=0.5, value_retained=100, marks={"t = 0.5": 0.5})
    >>> ax.get_title()
    'Expected profit peaks at £85 when the riskiest 75% are contacted'
    >>> ax.lines[1].get_xydata().tolist()
    [[0.5, 40.0]]
    >>> plt.close(ax.figure)
    """
    y, s = _labels_and_scores(y_true, scores)
    curve = profit_curve(y, s, offer_cost=offer_cost, retention_prob=retention_prob,
                         value_retained=value_retained)
    ax = _axes(ax, (9, 4.5))
    ax.plot(curve["share_contacted"], curve["expected_profit"], color=PALETTE[0],
            label="contact everyone above a threshold")
    for i, (label, threshold) in enumerate((marks or {}).items()):
        row = curve.loc[curve["threshold"] >= threshold].iloc[-1]
        ax.plot(row["share_contacted"], row["expected_profit"], marker=_MARKERS[i % 5],
                markersize=9, linestyle="none", color=PALETTE[(5, 1, 2, 3)[i % 4]], label=label)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel("customers contacted (highest churn risk first)")
    ax.set_ylabel("expected profit (£)")
    percent_axis(ax, "x")
    currency_axis(ax)
    ax.legend(loc="lower right")
    best = curve.loc[curve["expected_profit"].idxmax()]
    ax.set_title(title or f"Expected profit peaks at £{best['expected_profit']:,.0f} when the "
                          f"riskiest {best['share_contacted']:.0%} are contacted")
    return ax
