"""Charts of notebook 06 (helpers.charts.churn): what is drawn equals the table it comes from,
labels are plain words, bars are sorted and coloured by direction."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers.charts.churn import LOWERS, RAISES, odds_change_label, plot_odds_ratios, plot_snapshots


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


ODDS = pd.DataFrame({
    "feature": ["silence_score", "web_sessions_since_last_purchase", "frequency",
                "acquisition_channel = paid_search", "days_since_signup"],
    "scale": ["linear", "log", "log", "one-hot", "linear"],
    "one_sd": [1.84, 1.49, 2.02, np.nan, 131.5],
    "coefficient": np.log([3.21, 0.52, 0.60, 1.32, 1.27]),
    "odds_ratio": [3.21, 0.52, 0.60, 1.32, 1.27],
})


def test_odds_bars_are_the_change_in_odds_sorted_with_plain_names():
    ax = plot_odds_ratios(ODDS)
    names = [t.get_text() for t in ax.get_yticklabels()]
    widths = [p.get_width() for p in ax.patches]
    # barh draws bottom to top: the largest fall first, the largest rise last (on top)
    assert names == ["web visits since the last order", "number of orders",
                     "days since sign-up", "acquired by paid search",
                     "silence score (quiet for this customer)"]
    assert widths == pytest.approx([-0.48, -0.40, 0.27, 0.32, 2.21])
    assert widths == sorted(widths)
    assert [t.get_text() for t in ax.texts] == ["-48% (÷1.9)", "-40% (÷1.7)", "+27% (×1.3)",
                                                "+32% (×1.3)", "+221% (×3.2)"]
    colours = [mcolors.to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours == [LOWERS.lower()] * 2 + [RAISES.lower()] * 3
    assert ax.get_xscale() == "linear"
    assert "Strongest warning: silence score" in ax.get_title()
    assert "Strongest protection: web visits since the last order, -48% (÷1.9)" in ax.get_title()
    formatted = ax.xaxis.get_major_formatter()
    assert formatted(0.5, 0) == "+50%" and formatted(-0.25, 0) == "-25%"
    assert formatted(0, 0) == "0"


def test_odds_change_label_shows_a_fall_as_a_division():
    assert odds_change_label(2.0) == "+100% (×2.0)"
    assert odds_change_label(0.5) == "-50% (÷2.0)"
    with pytest.raises(ValueError, match="positive"):
        odds_change_label(0.0)


def test_odds_top_and_one_sided_titles():
    ax = plot_odds_ratios(ODDS, top=2)
    assert len(ax.patches) == 2
    rises = ODDS[ODDS["odds_ratio"] > 1]
    title = plot_odds_ratios(rises).get_title()
    assert "protection" not in title and title.startswith("Strongest warning")
    assert plot_odds_ratios(ODDS, title="Mine").get_title() == "Mine"
    with pytest.raises(ValueError, match="odds_ratio"):
        plot_odds_ratios(ODDS.drop(columns="odds_ratio"))
    with pytest.raises(ValueError, match="empty"):
        plot_odds_ratios(ODDS.iloc[:0])


def test_snapshots_draw_each_window_at_its_dates():
    ax = plot_snapshots({"train": "2025-04-01", "test": "2025-07-01"}, horizon_days=90,
                        data_start="2024-01-02", data_end="2026-01-01",
                        events={"e-mail campaign sent": "2025-10-01"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["test snapshot", "train snapshot"]
    feature, outcome = ax.patches[0], ax.patches[1]  # test snapshot (bottom row)
    start = matplotlib.dates.date2num(pd.Timestamp("2024-01-02"))
    cutoff = matplotlib.dates.date2num(pd.Timestamp("2025-07-01"))
    assert feature.get_x() == pytest.approx(start)
    assert feature.get_width() == pytest.approx(cutoff - start)
    assert outcome.get_x() == pytest.approx(cutoff) and outcome.get_width() == pytest.approx(90)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "e-mail campaign sent" in legend and "outcome window (90 days)" in legend
    assert [t.get_text() for t in ax.texts] == ["cut-off 01 Jul 2025", "cut-off 01 Apr 2025"]
    assert "90 days after" in ax.get_title()
    with pytest.raises(ValueError, match="not after the start"):
        plot_snapshots({"train": "2023-01-01"}, horizon_days=90, data_start="2024-01-02",
                       data_end="2026-01-01")
    with pytest.raises(ValueError, match="empty"):
        plot_snapshots({}, horizon_days=90, data_start="2024-01-02", data_end="2026-01-01")
