"""Evaluation charts (helpers.charts.evaluation): the lines and bars drawn are the numbers of
scikit-learn and helpers.evaluation, axes are formatted, legends and titles name things."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve

from helpers.charts.evaluation import (
    plot_calibration,
    plot_gains,
    plot_lift,
    plot_precision_recall,
    plot_profit_curve,
    plot_roc,
)
from helpers.evaluation import lift_table, profit_curve

RNG = np.random.default_rng(5)
Y = (RNG.random(500) < 0.4).astype(int)
GOOD = 1 / (1 + np.exp(-(2 * Y - 1 + RNG.normal(0, 1.2, 500))))
WEAK = 1 / (1 + np.exp(-(0.5 * Y + RNG.normal(0, 1, 500))))
MODELS = {"good": GOOD, "weak": WEAK}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_roc_draws_sklearn_curves_and_names_their_auc():
    ax = plot_roc(Y, MODELS)
    fpr, tpr, _ = roc_curve(Y, GOOD)
    assert np.allclose(ax.lines[0].get_xdata(), fpr) and np.allclose(ax.lines[0].get_ydata(), tpr)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:2] == [f"good: AUC {roc_auc_score(Y, GOOD):.3f}",
                          f"weak: AUC {roc_auc_score(Y, WEAK):.3f}"]
    assert ax.xaxis.get_major_formatter()(0.2, 0) == "20%"
    assert f"{roc_auc_score(Y, GOOD):.3f}" in ax.get_title()
    single = plot_roc(Y, GOOD)  # one array: named "model"
    assert single.get_legend().get_texts()[0].get_text().startswith("model: AUC")


def test_precision_recall_and_its_random_baseline():
    ax = plot_precision_recall(Y, MODELS)
    precision, recall, _ = precision_recall_curve(Y, GOOD)
    assert np.allclose(ax.lines[0].get_xdata(), recall)
    assert ax.lines[-1].get_ydata()[0] == pytest.approx(Y.mean())
    assert f"{precision[recall >= 0.8].max():.0%}" in ax.get_title()


def test_calibration_points_are_sklearn_bins():
    ax = plot_calibration(Y, MODELS, n_bins=5)
    observed, predicted = calibration_curve(Y, GOOD, n_bins=5, strategy="quantile")
    assert np.allclose(ax.lines[0].get_xdata(), predicted)
    assert np.allclose(ax.lines[0].get_ydata(), observed)
    gap = np.abs(observed - predicted).max() * 100
    assert f"at most {gap:.0f} points apart (100 per bin)" in ax.get_title()
    with pytest.raises(ValueError, match="probabilities"):
        plot_calibration(Y, GOOD * 3)


def test_lift_bars_are_the_table_rates_labelled_with_lift():
    ax = plot_lift(Y, GOOD, n_bins=5)
    table = lift_table(Y, GOOD, n_bins=5)
    assert [p.get_height() for p in ax.patches] == pytest.approx(table["churn_rate"].tolist())
    assert [t.get_text() for t in ax.texts] == [f"×{v:.1f}" for v in table["lift"]]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "3", "4", "5"]
    assert ax.get_xlabel().startswith("quintile")
    assert ax.lines[0].get_ydata()[0] == pytest.approx(Y.mean())


def test_gains_lines_are_the_cumulative_gains():
    ax = plot_gains(Y, MODELS, positives="buyers")
    table = lift_table(Y, GOOD)
    assert ax.lines[0].get_ydata().tolist() == [0.0, *table["cumulative_gain"]]
    assert ax.get_ylabel() == "share of all buyers reached"
    row = table.iloc[2]  # 30% of the customers
    assert ax.get_title() == (f"The top {row['cumulative_customers']:.0%} of the list hold "
                              f"{row['cumulative_gain']:.0%} of the buyers")


def test_profit_curve_line_marks_and_title():
    value = RNG.uniform(20, 400, 500)
    ax = plot_profit_curve(Y, GOOD, offer_cost=10, retention_prob=0.2, value_retained=value,
                           marks={"threshold 0.5": 0.5})
    curve = profit_curve(Y, GOOD, offer_cost=10, retention_prob=0.2, value_retained=value)
    assert np.allclose(ax.lines[0].get_ydata(), curve["expected_profit"])
    contact = GOOD >= 0.5
    mark = ax.lines[1].get_xydata()[0]
    assert mark[0] == pytest.approx(contact.mean(), abs=1e-4)
    expected = np.round((Y * 0.2 * value - 10)[contact].sum(), 2)
    assert mark[1] == pytest.approx(expected)
    best = curve.loc[curve["expected_profit"].idxmax()]
    assert f"£{best['expected_profit']:,.0f}" in ax.get_title()
    assert ax.yaxis.get_major_formatter()(12_500, 0) == "£12,500"
    assert "threshold 0.5" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="empty"):
        plot_roc(Y, {})
    with pytest.raises(ValueError, match="binary"):
        plot_gains(Y + 1, GOOD)
