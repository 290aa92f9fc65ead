"""Charts of notebook 09: what each draws equals the tables it is given, labels are plain."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.charts.campaign import (  # noqa: E402
    plot_campaign_plan,
    plot_qini,
    plot_strategy_profit,
)
from helpers.uplift import qini_at_shares, qini_curve  # noqa: E402


@pytest.fixture
def curves():
    rng = np.random.default_rng(0)
    n = 400
    t = rng.integers(0, 2, n)
    score = rng.random(n)
    y = rng.poisson(0.3 + 0.5 * t * score)  # the effect grows with the score
    return {"good": qini_curve(y, t, score), "noise": qini_curve(y, t, rng.random(n))}


@pytest.fixture
def strategies():
    return pd.DataFrame({"expected_profit": [300.0, -120.0, 50.0],
                         "expected_low": [100.0, -400.0, -20.0],
                         "expected_high": [500.0, 90.0, 140.0],
                         "true_profit": [250.0, 40.0, 10.0]},
                        index=["plan", "highest CLV", "random"])


def test_qini_draws_the_deciles_of_each_curve(curves):
    ax = plot_qini(curves, qini=pd.Series({"good": 0.05, "noise": 0.001}), highlight="good")
    good, noise, random = ax.lines[:3]
    expected = qini_at_shares(curves["good"], 10)
    assert good.get_xdata().tolist() == pytest.approx(np.linspace(0, 1, 11).tolist())
    assert good.get_ydata().tolist() == pytest.approx(expected["incremental"].tolist())
    assert random.get_ydata().tolist() == pytest.approx(expected["random"].tolist())
    assert noise.get_ydata().tolist() == pytest.approx(
        qini_at_shares(curves["noise"], 10)["incremental"].tolist())
    assert good.get_linewidth() > noise.get_linewidth()  # the highlighted ranking is bold
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["good (q = 0.050)", "noise (q = 0.001)", "random targeting",
                      "gain over random targeting"]
    assert len(ax.collections) == 1  # one shaded area, for the highlighted ranking only
    ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.get_xticklabels()][1:-1] == [
        "0%", "20%", "40%", "60%", "80%", "100%"]
    plt.close(ax.figure)


def test_qini_highlight_defaults_to_first_and_title_is_kept(curves):
    ax = plot_qini(curves, title="Ranking finds the buyers")
    assert ax.get_title() == "Ranking finds the buyers"
    assert ax.lines[0].get_label() == "good"
    plt.close(ax.figure)


def test_qini_rejects_unknown_highlight_and_empty(curves):
    with pytest.raises(ValueError, match="highlight"):
        plot_qini(curves, highlight="missing")
    with pytest.raises(ValueError, match="empty"):
        plot_qini({})
    plt.close("all")


def test_strategy_profit_bars_equal_the_table(strategies):
    ax = plot_strategy_profit(strategies, true_col="true_profit", title="Plan earns most")
    bars = [p.get_width() for p in ax.patches]
    assert bars == pytest.approx(strategies["expected_profit"].iloc[::-1].tolist())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["random", "highest CLV", "plan"]
    diamonds = ax.collections[-1].get_offsets()
    assert np.asarray(diamonds)[:, 0].tolist() == pytest.approx(
        strategies["true_profit"].tolist())
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all("£" in t for t in ticks)
    assert ax.get_title() == "Plan earns most"
    plt.close(ax.figure)


def test_strategy_profit_names_missing_column(strategies):
    with pytest.raises(ValueError, match="expected_low"):
        plot_strategy_profit(strategies.drop(columns="expected_low"))
    with pytest.raises(ValueError, match="truth"):
        plot_strategy_profit(strategies, true_col="truth")


def test_campaign_plan_has_four_panels_and_the_decision(strategies):
    evidence = pd.DataFrame({"uplift": [0.2, -0.01], "low": [0.1, -0.1], "high": [0.3, 0.1]},
                            index=["Gift buyers", "Tech loyalists"])
    mix = pd.Series({"Gift buyers": 40, "Fashion fans": 15})
    fig = plot_campaign_plan(mix, strategies, evidence, ["E-mail 55", "Cost: £27"],
                             title="Plan, January")
    assert len(fig.axes) == 4
    who = fig.axes[0]
    assert [p.get_width() for p in who.patches] == [15, 40]  # smallest at the bottom
    assert [t.get_text() for t in fig.axes[3].texts] == ["E-mail 55", "Cost: £27"]
    assert fig.axes[3].texts[0].get_fontweight() == "bold"
    assert fig._suptitle.get_text() == "Plan, January"
    plt.close(fig)


def test_plan_wraps_long_lines_and_names_the_strategies_audience(strategies):
    evidence = pd.DataFrame({"uplift": [0.1], "low": [-0.4], "high": [0.2]}, index=["A"])
    long = "Expected profit £3,173 (95% interval -£1,000 to £6,000) for the chosen audience"
    fig = plot_campaign_plan(pd.Series({"A": 10}), strategies, evidence, ["E-mail 10", long],
                             title="Plan", strategies_title="Why them: 1,200 selected",
                             wrap=40)
    texts = [t.get_text() for t in fig.axes[3].texts]
    assert texts[0] == "E-mail 10"
    assert texts[1].replace("\n", " ") == long
    assert max(len(part) for part in texts[1].split("\n")) <= 40
    assert fig.axes[3].texts[1].get_position()[1] < fig.axes[3].texts[0].get_position()[1]
    assert fig.axes[1].get_title() == "Why them: 1,200 selected"
    fig.canvas.draw()
    ticks = [t for t in fig.axes[1].get_xticks()
             if fig.axes[1].get_xlim()[0] <= t <= fig.axes[1].get_xlim()[1]]
    assert 3 <= len(ticks) <= 5
    plt.close(fig)
