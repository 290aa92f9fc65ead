"""Charts of notebook 10: what each draws equals the tables it is given, labels are plain."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from helpers.charts import channels as charts  # noqa: E402
from helpers.constants import MEDIA_CHANNELS  # noqa: E402

WEEKS = pd.date_range("2024-01-01", periods=6, freq="7D")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def spend():
    return pd.DataFrame({"paid_search": [10.0, 12.0, 11.0, 9.0, 10.0, 14.0],
                         "tv": [0.0, 30.0, 30.0, 0.0, 0.0, 20.0]}, index=WEEKS) * 1000


@pytest.fixture
def roi_table():
    return pd.DataFrame({"roi": [2.4, 1.4, 5.5], "roi_low": [2.0, 0.9, 4.0],
                         "roi_high": [2.9, 1.8, 7.2], "mroi": [1.2, 0.9, 3.0],
                         "mroi_low": [0.8, 0.4, 2.1], "mroi_high": [1.6, 1.3, 4.4]},
                        index=["paid_search", "tv", "email"])


def test_every_channel_has_its_own_colour_and_a_business_name():
    media = [charts.channel_colour(c) for c in MEDIA_CHANNELS]
    assert len(set(media)) == len(MEDIA_CHANNELS)
    assert len(set(charts.CHANNEL_COLOURS.values())) == len(charts.CHANNEL_COLOURS)
    assert all("_" not in charts.channel_name(c) for c in charts.CHANNEL_COLOURS)
    assert charts.channel_name("tv") == "TV and outdoor"


def test_weekly_exports_draw_sales_and_each_channel_on_one_scale(spend):
    sales = pd.Series(np.linspace(1e5, 1.5e5, len(WEEKS)), index=WEEKS)
    fig = charts.plot_weekly_exports(spend, sales, title="Exports")
    assert len(fig.axes) == 3
    assert fig.axes[0].lines[0].get_ydata().tolist() == pytest.approx(sales.tolist())
    # every channel panel shares the largest week's scale, so sizes compare across panels
    assert [ax.get_ylim()[1] for ax in fig.axes[1:]] == pytest.approx([30_000 * 1.05] * 2)
    tv_fill = fig.axes[2].collections[0]
    assert to_hex(tv_fill.get_facecolor()[0]) == charts.channel_colour("tv").lower()
    assert fig.axes[2].get_ylabel() == "TV and\noutdoor"
    assert fig._suptitle.get_text() == "Exports"


def test_weekly_exports_reject_sales_of_other_weeks(spend):
    with pytest.raises(ValueError, match="same weeks"):
        charts.plot_weekly_exports(spend, pd.Series([1.0, 2.0]))


def test_channel_metric_bars_equal_the_values_largest_on_top():
    values = pd.Series({"paid_search": 2.7, "email": 9.1, "tv": 1.2})
    ax = charts.plot_channel_metric(values, xlabel="CLV/CAC", title="E-mail pays most",
                                    fmt="{:.1f}".format, reference=3.0,
                                    reference_label="rule of thumb: 3")
    assert [p.get_width() for p in ax.patches] == pytest.approx([1.2, 2.7, 9.1])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["TV and outdoor", "Paid search",
                                                           "E-mail"]
    assert [to_hex(p.get_facecolor()) for p in ax.patches] == [
        charts.channel_colour(c).lower() for c in ["tv", "paid_search", "email"]]
    assert [t.get_text() for t in ax.texts] == ["1.2", "2.7", "9.1"]
    assert ax.lines[0].get_xdata()[0] == 3.0
    assert ax.get_legend().get_texts()[0].get_text() == "rule of thumb: 3"


def test_channel_metric_rejects_missing_values():
    with pytest.raises(ValueError, match="tv"):
        charts.plot_channel_metric(pd.Series({"tv": np.nan, "email": 1.0}), xlabel="x",
                                   title="t")


def test_attribution_panels_draw_each_method_and_the_truth():
    shares = pd.DataFrame({"last touch": [0.6, 0.05, 0.35], "Markov": [0.4, 0.2, 0.4],
                           "Shapley": [0.45, 0.15, 0.4]},
                          index=["paid_search", "tv", BASE := charts.BASELINE])
    truth = pd.Series({"paid_search": 0.25, "tv": 0.3, BASE: 0.45})
    fig = charts.plot_attribution_vs_truth(shares, truth, title="Verdict")
    assert len(fig.axes) == 3
    rows = ["paid_search", "tv", BASE]  # lowest true share at the bottom
    for ax, method in zip(fig.axes, shares.columns, strict=True):
        assert ax.get_title() == method
        assert [p.get_width() for p in ax.patches] == pytest.approx(shares.loc[rows, method]
                                                                    .tolist())
        diamonds = ax.collections[0].get_offsets()[:, 0]
        assert diamonds.tolist() == pytest.approx(truth.loc[rows].tolist())
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["Paid search", "TV and outdoor", "Baseline (no paid channel)"]
    assert fig.axes[0].get_legend().get_texts()[0].get_text() == "true share (answer key)"


def test_attribution_needs_a_truth_for_every_channel():
    shares = pd.DataFrame({"last touch": [1.0]}, index=["direct"])
    with pytest.raises(ValueError, match="direct"):
        charts.plot_attribution_vs_truth(shares, pd.Series({"tv": 1.0}), title="t")


def test_adstock_pulse_lines_equal_the_table():
    weeks = np.arange(6)
    pulses = pd.DataFrame({d: 1000 * d ** weeks for d in (0.0, 0.3, 0.7)}, index=weeks)
    ax = charts.plot_adstock_pulse(pulses, spend=1000)
    for line, decay in zip(ax.lines, pulses.columns, strict=True):
        assert line.get_ydata().tolist() == pytest.approx(pulses[decay].tolist())
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "decay 0: no carry-over"
    assert labels[2] == f"decay 0.7: half-life {np.log(0.5) / np.log(0.7):.1f} weeks"
    assert labels[3] == "£1,000 spent in week 0 only"
    assert ax.patches[0].get_height() == 1000


def test_saturation_marks_half_the_effect_at_k():
    x = np.linspace(0, 40_000, 41)
    curves = pd.DataFrame({s: x ** s / (x ** s + 10_000.0 ** s) for s in (1.0, 2.0)}, index=x)
    ax = charts.plot_saturation(curves, half_saturation=10_000)
    assert ax.lines[1].get_ydata().tolist() == pytest.approx(curves[2.0].tolist())
    assert ax.collections[0].get_offsets().tolist() == [[10_000, 0.5]]
    assert ax.texts[0].get_text() == "K = £10,000: half the maximum effect"


def test_fit_draws_actual_and_fitted():
    actual = pd.Series([1.0, 2.0, 3.0], index=WEEKS[:3])
    ax = charts.plot_fit(actual, [1.5, 2.0, 2.5], title="R² 0.9")
    assert ax.lines[1].get_ydata().tolist() == [1.5, 2.0, 2.5]
    # neither line takes a channel's colour
    assert {to_hex(line.get_color()) for line in ax.lines}.isdisjoint(
        c.lower() for c in charts.CHANNEL_COLOURS.values() if c != charts.CHANNEL_COLOURS["direct"])
    with pytest.raises(ValueError, match="same weeks"):
        charts.plot_fit(actual, [1.0], title="t")


def test_decomposition_stacks_baseline_first_and_sums_to_the_fit():
    parts = pd.DataFrame({"baseline": [100.0, 110.0], "paid_search": [20.0, 10.0],
                          "tv": [0.0, 30.0]}, index=WEEKS[:2])
    parts["fitted"] = parts.sum(axis=1)
    ax = charts.plot_decomposition(parts, title="t", actual=pd.Series([118.0, 152.0]))
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(parts["fitted"].max())
    assert [to_hex(c.get_facecolor()[0]) for c in ax.collections] == [
        charts.channel_colour(c).lower() for c in ["baseline", "paid_search", "tv"]]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["actual sales", "TV and outdoor", "Paid search",
                      "Baseline (no paid channel)"]
    with pytest.raises(ValueError, match="baseline"):
        charts.plot_decomposition(parts.drop(columns="baseline"), title="t")


def test_roi_draws_estimates_intervals_truth_and_break_even(roi_table):
    truth = pd.DataFrame({"roi": [2.5, 1.5, 6.0], "mroi": [1.0, 0.7, 3.5]},
                         index=["paid_search", "tv", "email"])
    fig = charts.plot_roi(roi_table, title="t", truth=truth)
    rows = ["tv", "paid_search", "email"]  # lowest ROI at the bottom
    for ax, key in zip(fig.axes, ["roi", "mroi"], strict=True):
        whiskers = ax.collections[0].get_segments()
        assert [s[0][0] for s in whiskers] == pytest.approx(roi_table.loc[rows, f"{key}_low"]
                                                            .tolist())
        assert [s[1][0] for s in whiskers] == pytest.approx(roi_table.loc[rows, f"{key}_high"]
                                                            .tolist())
        assert ax.collections[1].get_offsets()[:, 0].tolist() == pytest.approx(
            roi_table.loc[rows, key].tolist())
        assert ax.collections[2].get_offsets()[:, 0].tolist() == pytest.approx(
            truth.loc[rows, key].tolist())
        assert ax.lines[0].get_xdata()[0] == 1.0
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [
        "TV and outdoor", "Paid search", "E-mail"]


def test_roi_marks_the_profit_break_even_when_given_a_margin(roi_table):
    fig = charts.plot_roi(roi_table, title="t", margin=0.3)
    for ax in fig.axes:
        assert [line.get_xdata()[0] for line in ax.lines] == pytest.approx([1.0, 1 / 0.3])
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert labels[-2:] == ["sales pay back the media: £1 per £1",
                           "profit break-even at 30% margin: £3.3 per £1"]
    with pytest.raises(ValueError, match="margin"):
        charts.plot_roi(roi_table, title="t", margin=1.5)


def test_roi_rejects_inverted_intervals_and_missing_columns(roi_table):
    bad = roi_table.assign(mroi_low=roi_table["mroi_high"] + 1)
    with pytest.raises(ValueError, match="mroi_low"):
        charts.plot_roi(bad, title="t")
    with pytest.raises(ValueError, match="roi_high"):
        charts.plot_roi(roi_table.drop(columns="roi_high"), title="t")


def test_reallocation_bars_equal_the_table_and_write_the_change():
    plan = pd.DataFrame({"spend": [1000.0, 400.0, 200.0], "new_spend": [700.0, 600.0, 300.0]},
                        index=["tv", "social", "email"])
    best = pd.Series({"tv": 650.0, "social": 620.0, "email": 330.0})
    ax = charts.plot_reallocation(plan, title="Move TV money to social", best=best)
    rows = ["email", "social", "tv"]
    widths = [p.get_width() for p in ax.patches]
    assert widths[:3] == pytest.approx(plan.loc[rows, "spend"].tolist())
    assert widths[3:] == pytest.approx(plan.loc[rows, "new_spend"].tolist())
    assert [t.get_text() for t in ax.texts] == ["+50%", "+50%", "-30%"]
    assert ax.collections[0].get_offsets()[:, 0].tolist() == pytest.approx(
        best.loc[rows].tolist())
    assert sum(widths[:3]) == pytest.approx(sum(widths[3:]))  # the same budget, moved


def test_response_curves_draw_the_curves_and_mark_now_and_proposed():
    curves = {"tv": pd.Series([0.0, 90.0, 150.0], index=[0.0, 100.0, 200.0]),
              "email": pd.Series([0.0, 40.0, 50.0], index=[0.0, 10.0, 20.0])}
    plan = pd.DataFrame({"spend": [100.0, 10.0], "new_spend": [150.0, 5.0],
                         "contribution": [90.0, 40.0], "new_contribution": [125.0, 25.0]},
                        index=["tv", "email"])
    fig = charts.plot_response_curves(curves, plan, title="t")
    for ax, channel in zip(fig.axes, ["tv", "email"], strict=True):
        assert ax.lines[0].get_ydata().tolist() == curves[channel].tolist()
        now, new = (c.get_offsets()[0].tolist() for c in ax.collections)
        assert now == pytest.approx(plan.loc[channel, ["spend", "contribution"]].tolist())
        assert new == pytest.approx(plan.loc[channel, ["new_spend", "new_contribution"]]
                                    .tolist())
    assert [ax.get_title() for ax in fig.axes] == ["TV and outdoor", "E-mail"]
    with pytest.raises(ValueError, match="social"):
        charts.plot_response_curves({"social": curves["tv"]}, plan, title="t")
    with pytest.raises(ValueError, match="new_contribution"):
        charts.plot_response_curves(curves, plan.drop(columns="new_contribution"), title="t")
