"""Tests for helpers.charts.cleaning: the revenue waterfall and the age chart of notebook 02."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.charts.cleaning import (  # noqa: E402
    RETURNS_LABEL,
    plot_age_cleaning,
    plot_revenue_waterfall,
    waterfall_steps,
)
from helpers.cleaning import REASON_LABELS, clean_orders, readable_summary  # noqa: E402


@pytest.fixture
def summary() -> pd.DataFrame:
    """A cleaning summary worked by hand: raw £1,000, clean £700."""
    rows = {
        "missing_customer_id": (3, 100.0, 0.0),
        "duplicate": (2, 50.0, 0.0),
        "cancellation": (1, -40.0, 0.0),
        "returned": (1, 30.0, 0.0),
        "zero_price": (4, 0.0, 0.0),
        "price_corrected": (1, 200.0, 2.0),
        "kept": (10, 660.0, 698.0 - 0.0),
    }
    table = pd.DataFrame(rows, index=["lines", "raw_revenue", "clean_revenue"]).T
    table["removed_revenue"] = table["raw_revenue"] - table["clean_revenue"]
    table.loc["kept", "removed_revenue"] = 0.0
    table.loc["kept", "raw_revenue"] = table.loc["kept", "clean_revenue"]
    total = table.sum()
    table.loc["total"] = total
    table["status"] = "dropped"
    return table


def test_steps_follow_the_audit_order_and_combine_returns(summary):
    steps = waterfall_steps(summary)
    assert steps.index.tolist() == [
        REASON_LABELS["missing_customer_id"], REASON_LABELS["duplicate"], RETURNS_LABEL,
        REASON_LABELS["zero_price"], REASON_LABELS["price_corrected"]]
    assert steps.loc[RETURNS_LABEL, "lines"] == 2
    # cancellations (-40) removed and returned purchases (+30) removed: net +10 added back
    assert steps.loc[RETURNS_LABEL, "change"] == pytest.approx(10.0)
    assert steps.loc[REASON_LABELS["price_corrected"], "change"] == pytest.approx(-198.0)


def test_waterfall_ends_at_the_clean_revenue(summary):
    fig = plot_revenue_waterfall(summary)
    ax = fig.axes[0]
    bars = ax.patches
    raw, clean = summary.loc["total", "raw_revenue"], summary.loc["total", "clean_revenue"]
    assert bars[0].get_width() == pytest.approx(raw)
    assert bars[-1].get_width() == pytest.approx(clean)
    # each step starts where the previous one ended, and the last one ends at the clean total
    ends = [bar.get_x() + bar.get_width() for bar in bars[1:-1]]
    starts = [bar.get_x() for bar in bars[1:-1]]
    assert starts[0] == pytest.approx(raw)
    assert np.allclose(starts[1:], ends[:-1])
    assert ends[-1] == pytest.approx(clean)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "Raw revenue" and labels[-1] == "Clean revenue"
    assert not any("_" in label for label in labels), "snake_case label on the chart"
    texts = [t.get_text() for t in ax.texts]
    assert "−£198  (1 lines)" in texts and "+£10  (2 lines)" in texts
    assert ax.xaxis.get_major_formatter()(2_000_000, 0) == "£2.0m"
    plt.close(fig)


def test_waterfall_reconciles_on_a_real_cleaning():
    lines = pd.DataFrame({
        "invoice_no": ["1", "1", "1", "2", "C2"],
        "stock_code": ["A", "A", "B", "A", "A"],
        "description": ["a", "a", "b", "a", "a"],
        "quantity": [1, 1, 2, 3, -1],
        "invoice_date": ["2024-01-01 10:00:00"] * 4 + ["2024-01-02 10:00:00"],
        "unit_price": [5.0, 5.0, 2.0, 5.0, 5.0],
        "customer_id": [1, 1, 1, 2, 2],
    })
    result = clean_orders(lines, country_col=None, channel_col=None, category_col=None)
    summary = result.summary()
    steps = waterfall_steps(summary)
    total = summary.loc["total"]
    assert total["raw_revenue"] + steps["change"].sum() == pytest.approx(total["clean_revenue"])
    table = readable_summary(summary)
    assert "Duplicate lines" in table.index and "Raw revenue (£)" in table.columns


def test_waterfall_needs_the_total_row(summary):
    with pytest.raises(ValueError, match="total"):
        plot_revenue_waterfall(summary.drop(index="total"))
    with pytest.raises(ValueError, match="lines"):
        waterfall_steps(summary.drop(columns="lines"))


def test_age_chart_stacks_kept_and_impossible_ages():
    ages = pd.Series([20, 35, 35, 70, 5, 130, np.nan])
    fig = plot_age_cleaning(ages, min_age=16, max_age=100, as_of_text="1 January 2026")
    ax = fig.axes[0]
    handles, labels = ax.get_legend_handles_labels()
    assert labels == ["kept (4 ages from 16 to 100)", "set to missing (2 impossible ages)"]
    heights = sum(bar.get_height() for bars in ax.containers for bar in bars)
    assert heights == 6  # every recorded age drawn once, stacked, none hidden behind another
    assert "1 January 2026" in ax.get_xlabel()
    assert ax.get_title(loc="left").startswith("2 impossible ages")
    plt.close(fig)
