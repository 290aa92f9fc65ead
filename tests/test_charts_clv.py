"""Tests for helpers.charts.clv: what each chart of notebook 07 draws and how it is labelled."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.charts import clv as charts  # noqa: E402
from helpers.clv import BetaGeoModel, NBDModel, repeat_purchase_tracking  # noqa: E402
from helpers.clv_summary import cohort_revenue  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_clv_to_cac_is_linear_with_break_even_and_rule_of_thumb():
    ratio = pd.Series({"organic": 30.9, "paid_search": 2.7, "social": 4.0})
    ax = charts.plot_clv_to_cac(ratio)
    assert ax.get_xscale() == "linear"
    # bars sorted from the weakest channel up, with plain-English names
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Paid search", "Social", "Organic"]
    assert [round(p.get_width(), 1) for p in ax.patches] == [2.7, 4.0, 30.9]
    assert sorted(line.get_xdata()[0] for line in ax.get_lines()) == [1, 3]
    # both reference lines named in a legend inside the axes, not on the axes' corner
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["break-even 1:1", "3:1 rule of thumb"]
    assert legend._loc == 4  # lower right, where the sorted bars are shortest
    assert "2.7 : 1" in [t.get_text() for t in ax.texts]
    # the channel below 3:1 is named in the title and drawn in another colour
    assert ax.get_title() == "Paid search below the 3:1 rule of thumb"
    assert ax.patches[0].get_facecolor() != ax.patches[1].get_facecolor()


def test_clv_to_cac_title_when_every_channel_clears_the_rule():
    ax = charts.plot_clv_to_cac(pd.Series({"store": 5.0, "referral": 8.0}))
    assert ax.get_title() == "Every channel pays back at least 3:1"


def test_clv_to_cac_rejects_an_empty_table():
    with pytest.raises(ValueError, match="clv_to_cac"):
        charts.plot_clv_to_cac(pd.Series(dtype=float))


def test_weekly_tracking_draws_rates_per_week_and_states_the_holdout_error():
    weeks = pd.DataFrame({
        "period_end": pd.to_datetime(["2025-01-07", "2025-01-14", "2025-01-21", "2025-01-24"]),
        "days": [7, 7, 7, 3], "actual": [14, 14, 20, 6], "model": [14.0, 14, 21, 7.5]})
    ax = charts.plot_weekly_tracking(weeks, "2025-01-14", model_name="NBD")
    actual, model = ax.get_lines()[:2]
    # the short last period is left out of the lines but counted in the title's totals
    np.testing.assert_allclose(actual.get_ydata(), [14, 14, 20])
    assert model.get_label() == "NBD forecast"
    assert ax.get_title() == "Holdout weeks: actual 26 repeat purchases, NBD forecast 28 (+10%)"


def test_weekly_tracking_needs_its_columns():
    with pytest.raises(ValueError, match="'model'"):
        charts.plot_weekly_tracking(pd.DataFrame({"period_end": [], "days": [], "actual": []}),
                                    "2025-01-01")


def test_holdout_by_frequency_bars_equal_the_table():
    table = pd.DataFrame({"actual": [0.2, 0.7, 1.4], "BG/NBD": [0.2, 0.5, 1.0],
                          "run rate (x/T)": [0.0, 0.9, 2.0]}, index=["0", "1", "2+"])
    ax = charts.plot_holdout_by_frequency(table, xlabel="x", ylabel="y", title="t")
    assert [p.get_height() for p in ax.patches] == [0.2, 0.7, 1.4]
    assert [line.get_label() for line in ax.get_lines()] == ["BG/NBD", "run rate (x/T)"]
    assert [t.get_text() for t in ax.get_legend().get_texts()][-1] == "actual (mean)"


def test_clv_histogram_gathers_the_tail_in_the_last_bar():
    clv = pd.Series([5.0, 10.0, 15.0, 2_000.0])
    ax = charts.plot_clv_histogram(clv, max_value=100, bin_width=25)
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 4 and heights[-1] == 1  # £2,000 counted in the last bar
    assert "£100 or more" in ax.get_xlabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["mean £508", "median £12"]


def test_p_alive_curves_fall_with_silence_and_faster_for_frequent_buyers():
    bg = BetaGeoModel()
    bg.params_ = {"r": 1.0, "alpha": 5.0, "a": 0.5, "b": 3.0}
    ax = charts.plot_p_alive_curves(bg, repeat_purchases=(1, 12))
    once, often = (line.get_ydata() for line in ax.get_lines())
    assert np.all(np.diff(once) <= 1e-12) and once[-1] > often[-1]
    assert ax.get_yticklabels()[-1].get_text().endswith("%")


def test_p_alive_calibration_dot_per_band_at_the_true_share():
    predicted = pd.Series([0.05, 0.06, 0.95, 0.96, 0.97])
    alive = pd.Series([False, True, True, True, False])
    ax = charts.plot_p_alive_calibration(predicted, alive, date_label="1 July")
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 1], [0.5, 2 / 3])
    assert ax.get_xlabel() == "predicted P(alive) at 1 July"


def test_interval_marks_the_truth_and_the_reference():
    ax = charts.plot_interval(0.5, -2.8, 3.8, truth=2.4, xlabel="ROI", title="ROI: not proven",
                              reference_label="break-even")
    assert [line.get_label() for line in ax.get_lines()][-1] == "true value (answer key)"
    assert any(t.get_text().strip() == "break-even" for t in ax.texts)


def test_cohort_curves_leave_out_short_cohorts_and_label_sizes():
    orders = pd.DataFrame({
        "customer_id": [1, 1, 1, 2, 3],
        "invoice_date": pd.to_datetime(["2024-01-05", "2024-02-20", "2024-04-10", "2024-02-01",
                                        "2024-05-01"]),
        "revenue": [10.0, 5.0, 5.0, 20.0, 7.0]})
    cumulative, size = cohort_revenue(orders, observation_end="2024-05-31")
    assert size.to_dict() == {"2024Q1": 2, "2024Q2": 1}
    ax = charts.plot_cohort_curves(cumulative, size, min_months=2)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2024Q1 (2)"]
    assert ax.yaxis.get_major_formatter()(20, 0).startswith("£")
    titled = charts.plot_cohort_curves(cumulative, size, min_months=2, title="Cohorts grow alike")
    assert titled.get_title() == "Cohorts grow alike"


def test_holdout_title_counts_closer_groups_and_run_rate_overshoots():
    table = pd.DataFrame({"actual": [0.5, 1.0, 2.0, 3.0], "NBD": [0.6, 1.6, 1.9, 2.0],
                          "run rate (x/T)": [0.0, 1.1, 2.5, 2.9]}, index=["0", "1", "2", "3+"])
    title = charts.holdout_title(table, "NBD")
    # NBD closer in groups 0 and 2; the run rate above the actual in groups 1 and 2 only
    assert title == ("NBD is closer to the actual in 2 of 4 groups\n"
                     "the run rate overshoots 2 of 3 groups of repeat buyers")
    with pytest.raises(ValueError, match="BG/NBD"):
        charts.holdout_title(table, "BG/NBD")


def test_cohort_revenue_hides_months_not_yet_observed_by_every_member():
    orders = pd.DataFrame({"customer_id": [1, 1, 2], "revenue": [10.0, 8.0, 30.0],
                           "invoice_date": pd.to_datetime(["2024-01-01", "2024-03-05",
                                                           "2024-03-20"])})
    cumulative, _ = cohort_revenue(orders, observation_end="2024-04-30")
    # the last member joined 20 March: one full month by 30 April, so only month 0 is shown
    assert cumulative["2024Q1"].notna().tolist() == [True, False, False]
    assert cumulative.loc[0, "2024Q1"] == pytest.approx(20.0)


def test_tracking_totals_match_the_orders_and_the_model():
    orders = pd.DataFrame({
        "customer_id": [1, 1, 1, 1, 2, 2],
        "invoice_date": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-09", "2025-02-03",
                                        "2025-01-15", "2025-01-30"])})
    nbd = NBDModel()
    nbd.params_ = {"r": 2.0, "alpha": 14.0}  # 1/7 purchase a week
    table = repeat_purchase_tracking(orders, nbd, calibration_end="2025-01-21",
                                     observation_end="2025-02-11")
    assert table["actual"].sum() == 3  # the same-day second order is not a repeat purchase
    assert table["days"].sum() == 42  # 1 January to 11 February
    # holdout periods start the day after calibration: 22 January
    holdout = table[table["period_end"] > pd.Timestamp("2025-01-21")]
    assert holdout["days"].sum() == 21 and holdout["actual"].sum() == 2
    # the model: customer 1 for 6 weeks and customer 2 for 4 weeks at 1/7 a week
    assert table["model"].sum() == pytest.approx((42 + 28) / 7 / 7)
