"""Tests for helpers.charts.rfm: the charts of notebook 03 draw the table's values."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.charts.rfm import (  # noqa: E402
    SEGMENT_COLOUR,
    percent,
    plot_gains_curve,
    plot_rf_heatmap,
    plot_rfm_distributions,
    plot_segment_dropout,
    plot_segment_map,
    plot_segment_shares,
    rf_grid,
)
from helpers.rfm import SEGMENT_RULES  # noqa: E402


def test_every_segment_has_a_colour():
    assert set(SEGMENT_COLOUR) == set(SEGMENT_RULES)


def test_percent_marks_small_shares():
    assert [percent(s) for s in (0.0, 0.004, 0.012, 0.384)] == ["0%", "<1%", "1%", "38%"]


def test_distributions_mark_the_medians():
    rfm = pd.DataFrame({"recency": [1, 10, 300], "frequency": [1, 3, 20],
                        "monetary": [5.0, 50.0, 5000.0]})
    fig = plot_rfm_distributions(rfm, currency="$", as_of_text="01 Jul 1998")
    texts = [ax.texts[0].get_text() for ax in fig.axes]
    assert texts == ["median 10", "median 3", "median $50"]
    assert "01 Jul 1998" in fig.axes[0].get_xlabel()
    assert fig.axes[2].get_xscale() == "log"
    plt.close(fig)


def test_distributions_need_the_three_columns():
    with pytest.raises(ValueError, match="monetary"):
        plot_rfm_distributions(pd.DataFrame({"recency": [1], "frequency": [1]}))


def test_segment_map_draws_every_rule_with_its_numbers():
    sizes = pd.Series(range(1, len(SEGMENT_RULES) + 1), index=list(SEGMENT_RULES))
    shares = sizes / sizes.sum()
    fig = plot_segment_map(sizes, shares)
    ax = fig.axes[0]
    assert len(ax.patches) == len(SEGMENT_RULES)
    lost = next(t.get_text() for t in ax.texts if t.get_text().startswith("Lost"))
    assert lost == f"Lost\n{sizes['Lost']} customers\n{percent(shares['Lost'])} of revenue"
    plt.close(fig)


def test_segment_shares_bars_equal_the_table():
    shares = pd.DataFrame({"customer_share": [0.15, 0.5, 0.35],
                           "revenue_share": [0.6, 0.1, 0.3]}, index=["Champions", "Lost", "Loyal"])
    fig = plot_segment_shares(shares, as_of_text="01 Jan 2026")
    ax = fig.axes[0]
    customers, revenue = ax.containers
    assert np.allclose(customers.datavalues, shares["customer_share"])
    assert np.allclose(revenue.datavalues, shares["revenue_share"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Champions", "Lost", "Loyal"]
    assert ax.xaxis.get_major_formatter()(0.25, 0) == "25%"
    plt.close(fig)



def test_segment_shares_title_states_the_finding_when_given():
    shares = pd.DataFrame({"customer_share": [0.3, 0.7], "revenue_share": [0.8, 0.2]},
                          index=["Champions", "Lost"])
    fig = plot_segment_shares(shares, title="Champions: 30% of customers, 80% of revenue")
    assert fig.axes[0].get_title() == "Champions: 30% of customers, 80% of revenue"
    plt.close(fig)
    fig = plot_segment_shares(shares)
    assert fig.axes[0].get_title().startswith("Who brings the money")
    plt.close(fig)

def test_gains_curve_states_the_top_share_in_the_title():
    ranked = np.array([50.0, 30.0, 10.0, 5.0, 5.0])
    customer_share = np.arange(1, 6) / 5
    revenue_share = ranked.cumsum() / ranked.sum()
    fig = plot_gains_curve(customer_share, revenue_share, top_share=0.4)
    assert fig.axes[0].get_title() == "The top 40% of customers bring 80% of revenue"
    plt.close(fig)
    with pytest.raises(ValueError, match="top_share"):
        plot_gains_curve(customer_share, revenue_share, top_share=1.5)


def test_rf_grid_orders_recency_down_and_counts_empty_cells():
    scored = pd.DataFrame({"R": [1, 1, 3, 3], "F": [1, 3, 3, 3], "monetary": [1.0, 2.0, 3.0, 5.0]})
    mean, count = rf_grid(scored, n_bins=3)
    assert mean.index.tolist() == [3, 2, 1] and mean.columns.tolist() == [1, 2, 3]
    assert mean.loc[3, 3] == 4.0 and count.loc[3, 3] == 2
    assert np.isnan(mean.loc[2, 2]) and count.loc[2, 2] == 0


def test_heatmap_annotates_spend_and_customers_with_business_labels():
    scored = pd.DataFrame({"R": [1, 2, 2], "F": [1, 2, 2], "monetary": [10.0, 1000.0, 3000.0]})
    mean, count = rf_grid(scored, n_bins=2)
    fig = plot_rf_heatmap(mean, count, currency="£", title="Spend rises with F")
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    assert "£2,000\n2 customers" in texts and "£10\n1 customer" in texts
    assert texts.count("no customers") == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2 (most recent)", "1 (longest ago)"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1 (fewest)", "2 (most)"]
    assert ax.get_title().startswith("Spend rises with F")
    assert fig.axes[1].yaxis.get_major_formatter()(1000, 0) == "£1,000"
    plt.close(fig)


def test_heatmap_rejects_mismatched_tables():
    mean = pd.DataFrame([[1.0]])
    with pytest.raises(ValueError, match="shape"):
        plot_rf_heatmap(mean, pd.DataFrame([[1, 2]]))


def test_dropout_bars_in_the_given_order():
    dropped = pd.Series({"Champions": 0.05, "At Risk": 0.88, "Lost": 0.79})
    fig = plot_segment_dropout(dropped)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(dropped.index)
    assert np.allclose(ax.containers[0].datavalues, dropped)
    assert [t.get_text() for t in ax.texts] == ["5%", "88%", "79%"]
    assert ax.get_title() == ("Answer key: At Risk lost the most customers for good (88%), "
                              "Champions the fewest (5%)")
    plt.close(fig)
