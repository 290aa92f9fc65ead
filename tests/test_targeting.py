"""Targeting: expected profit, budget selection, strategy comparison, holdout sizes, rules,
audience export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.targeting import (
    apply_rules,
    assign_holdout,
    audience_export,
    compare_strategies,
    expected_incremental_profit,
    holdout_sizes,
    select_under_budget,
)


def test_expected_profit_by_hand():
    got = expected_incremental_profit([0.2, 0.05], [50.0, 400.0], margin=0.4, cost=1.5)
    assert got.tolist() == pytest.approx([0.2 * 50 * 0.4 - 1.5, 0.05 * 400 * 0.4 - 1.5])
    with_voucher = expected_incremental_profit([0.2, 0.05], [50.0, 400.0], margin=0.4,
                                               cost=1.5, voucher=0.1, p_buy=[0.5, 0.9])
    assert with_voucher.tolist() == pytest.approx([4.0 - 0.1 * 50 * 0.5 - 1.5,
                                                   8.0 - 0.1 * 400 * 0.9 - 1.5])


def test_expected_profit_broadcasts_over_estimates():
    # two customers (rows) under three estimates of their uplift (columns)
    uplift = np.array([[0.1, 0.2, 0.3], [0.0, 0.1, 0.2]])
    value = np.array([[100.0], [50.0]])
    got = expected_incremental_profit(uplift, value, margin=0.5, cost=1.0, voucher=0.1,
                                      p_buy=uplift + 0.5)
    assert got.shape == (2, 3)
    assert got[1, 2] == pytest.approx(0.2 * 50 * 0.5 - 0.1 * 50 * 0.7 - 1.0)
    with pytest.raises(ValueError, match="same length"):
        expected_incremental_profit([0.1, 0.2], [1.0, 2.0, 3.0], margin=0.5, cost=0.0)
    with pytest.raises(ValueError, match="needs p_buy"):
        expected_incremental_profit([0.1], [1.0], margin=0.5, cost=0.0, voucher=0.1)


def test_budget_selection_takes_the_best_it_can_afford():
    chosen = select_under_budget([1.0, 9.0, 5.0, 7.0], cost=2.0, budget=5.0)
    assert chosen.tolist() == [False, True, False, True]
    assert not select_under_budget([1.0, 2.0], cost=1.0, budget=0.0).any()
    assert select_under_budget([-1.0, 2.0], cost=1.0, budget=10.0,
                               only_positive=True).tolist() == [False, True]


def test_compare_strategies():
    table = pd.DataFrame({"profit": [5.0, -1.0, 3.0, 0.5], "churn": [0.1, 0.9, 0.5, 0.2],
                          "truth": [4.0, -1.0, 2.0, 1.0]})
    out = compare_strategies(table, {"everyone": None, "by profit": "profit",
                                     "by churn": "churn"}, cost=1.0, budget=2.0,
                             profit_col="profit", true_profit_col="truth")
    assert out.loc["by profit", "expected_profit"] == 8.0
    assert out.loc["by churn", "expected_profit"] == 2.0
    assert out.loc["everyone", "true_profit"] == 3.0
    assert (out["contacted"] == 2).all()
    frugal = compare_strategies(table, {"by profit": "profit"}, cost=1.0, budget=4.0,
                                profit_col="profit", only_positive=["by profit"])
    assert frugal.loc["by profit", "contacted"] == 3  # the -1.0 customer is never contacted


def test_rules_first_match_wins_and_unmatched_get_no_action():
    rules = pd.DataFrame(
        [
            {"rule": "win-back", "trigger": "daily", "condition": "p_alive < 0.5 and clv > 100",
             "action": "send win-back offer", "channel": "email", "offer": "15% voucher"},
            {"rule": "nurture", "trigger": "weekly", "condition": "clv > 50",
             "action": "recommend products", "channel": "email", "offer": "none"},
        ]
    )
    table = pd.DataFrame({"p_alive": [0.3, 0.3, 0.9, 0.9], "clv": [500.0, 60.0, 500.0, 10.0]})
    out = apply_rules(table, rules)
    assert out["rule"].tolist() == ["win-back", "nurture", "nurture", "none"]
    assert out["action"].tolist()[-1] == "no action"
    assert out["offer"].tolist()[0] == "15% voucher"


def test_rule_errors_name_the_rule():
    base = {"rule": "R", "trigger": "t", "action": "a", "channel": "c", "offer": "o"}
    with pytest.raises(ValueError, match="rule 'R' cannot be evaluated"):
        apply_rules(pd.DataFrame({"x": [1]}), pd.DataFrame([{**base, "condition": "y > 1"}]))
    with pytest.raises(ValueError, match="not a true/false test"):
        apply_rules(pd.DataFrame({"x": [1]}), pd.DataFrame([{**base, "condition": "x + 1"}]))
    with pytest.raises(ValueError, match="missing column"):
        apply_rules(pd.DataFrame({"x": [1]}), pd.DataFrame([{"rule": "R"}]))


def test_audience_export(tmp_path):
    table = pd.DataFrame({"id": ["a", "b", "c"], "segment": ["X", "Y", "Z"],
                          "contact": [True, False, True]})
    path = tmp_path / "audience.csv"
    out = audience_export(table, path, id_col="id", columns=["segment"],
                          only=table["contact"])
    assert path.read_text() == "id,segment\na,X\nc,Z\n"
    assert len(out) == 2
    with pytest.raises(ValueError, match="unique and complete"):
        audience_export(pd.DataFrame({"id": ["a", "a"]}), path, id_col="id", columns=[])


def test_bad_parameters():
    with pytest.raises(ValueError, match="margin"):
        expected_incremental_profit([0.1], [1.0], margin=1.5, cost=0)
    with pytest.raises(ValueError, match="cost must be positive"):
        select_under_budget([1.0], cost=0, budget=1)


def test_holdout_is_a_random_share_of_the_selected():
    selected = [True] * 100 + [False] * 50
    hold = assign_holdout(selected, share=0.1, random_state=3)
    assert hold.sum() == 10 and not hold[100:].any()
    assert (assign_holdout(selected, share=0.1, random_state=3) == hold).all()
    with pytest.raises(ValueError, match="share"):
        assign_holdout(selected, share=1.5, random_state=0)


def test_strategy_intervals_from_profit_draws():
    table = pd.DataFrame({"profit": [5.0, -1.0, 3.0, 0.5], "churn": [0.1, 0.9, 0.5, 0.2]})
    # three plausible estimates of each customer's profit (columns)
    draws = np.array([[4.0, 5.0, 6.0], [-2.0, -1.0, 0.0], [1.0, 3.0, 5.0], [0.0, 0.5, 1.0]])
    out = compare_strategies(table, {"by profit": "profit", "by churn": "churn"}, cost=1.0,
                             budget=2.0, profit_col="profit", profit_draws=draws,
                             confidence_level=0.5)
    # by profit picks rows 0 and 2: totals 5, 8, 11 -> quartiles 6.5 and 9.5
    assert out.loc["by profit", ["expected_low", "expected_high"]].tolist() == [6.5, 9.5]
    # by churn picks rows 1 and 2: totals -1, 2, 5 -> quartiles 0.5 and 3.5
    assert out.loc["by churn", ["expected_low", "expected_high"]].tolist() == [0.5, 3.5]
    assert "expected_low" not in compare_strategies(table, {"p": "profit"}, cost=1.0,
                                                    budget=2.0, profit_col="profit").columns
    with pytest.raises(ValueError, match="one row per customer"):
        compare_strategies(table, {"p": "profit"}, cost=1.0, budget=2.0, profit_col="profit",
                           profit_draws=draws[:3])
    with pytest.raises(ValueError, match="missing values"):
        compare_strategies(table, {"p": "profit"}, cost=1.0, budget=2.0, profit_col="profit",
                           profit_draws=np.full((4, 2), np.nan))
    with pytest.raises(ValueError, match="confidence_level"):
        compare_strategies(table, {"p": "profit"}, cost=1.0, budget=2.0, profit_col="profit",
                           profit_draws=draws, confidence_level=50)


def test_holdout_sizes_by_hand():
    out = holdout_sizes(1_200, [0.1, 0.25, 0.5], n_per_group=1_000)
    assert out["held_out"].tolist() == [120, 300, 600]
    assert out["e_mailed"].tolist() == [1_080, 900, 600]
    # 2 x 1080 x 120 / 1200 = 216; 2 x 900 x 300 / 1200 = 450; equal groups: 600
    assert out["effective_per_group"].tolist() == [216.0, 450.0, 600.0]
    assert out["campaigns_to_pool"].tolist() == [5, 3, 2]
    # equal groups of the size the test needs: one campaign is enough
    assert holdout_sizes(2_000, [0.5], n_per_group=1_000)["campaigns_to_pool"].tolist() == [1]
    with pytest.raises(ValueError, match="between 0 and 1"):
        holdout_sizes(100, [1.0], n_per_group=10)
    with pytest.raises(ValueError, match="group empty"):
        holdout_sizes(3, [0.1], n_per_group=10)


# --- helpers of notebook 09's plan --------------------------------------------------------------
def test_profit_draws_one_column_per_refit_by_hand():
    from helpers.targeting import profit_draws

    refits = pd.DataFrame(
        {"uplift_per_alive": [0.1, 0.2, 0.0, 0.4], "buy_rate_per_alive": [0.5, 0.5, 0.2, 0.2]},
        index=pd.MultiIndex.from_product([[0, 1], ["a", "b"]], names=["replicate", "seg"]))
    draws = profit_draws(refits, pd.Series(["a", "b"], index=[10, 11]),
                         pd.Series([1.0, 0.5], index=[10, 11]),
                         pd.Series([100.0, 50.0], index=[10, 11]),
                         margin=0.3, cost=1.0, voucher=0.1)
    assert draws.index.tolist() == [10, 11] and draws.shape == (2, 2)
    # customer 10 (a, alive): 0.1 x 100 x 0.3 - 0.1 x 100 x 0.5 - 1 = -3; then 0 - 2 - 1 = -3
    # customer 11 (b, P(alive) 0.5), refit 0: uplift 0.1, p_buy 0.25:
    # 0.1 x 50 x 0.3 - 0.1 x 50 x 0.25 - 1 = -0.75; refit 1: uplift 0.2, p_buy 0.1: 3 - 0.5 - 1
    assert draws.loc[10].tolist() == pytest.approx([-3.0, -3.0])
    assert draws.loc[11].tolist() == pytest.approx([-0.75, 1.5])
    with pytest.raises(ValueError, match="replicate"):
        profit_draws(refits.droplevel("replicate"), pd.Series(["a"]), pd.Series([1.0]),
                     pd.Series([1.0]), margin=0.3, cost=1.0)


def test_compare_with_everyone_puts_the_reference_first():
    from helpers.targeting import EVERYONE, compare_with_everyone

    table = pd.DataFrame({"profit": [3.0, -1.0, 2.0], "truth": [1.0, 1.0, 1.0]})
    out = compare_with_everyone(table, {"by profit": "profit"}, cost=1.0, budget=2.0,
                                profit_col="profit", true_profit_col="truth",
                                only_positive=["by profit"])
    assert out.index.tolist() == [EVERYONE, "by profit"]
    assert out["contacted"].tolist() == [3, 2]
    assert out["expected_profit"].tolist() == [4.0, 5.0]
    assert out["true_profit"].tolist() == [3.0, 2.0]


def test_spread_table_uses_business_names():
    from helpers.targeting import spread_table

    frame = pd.DataFrame({"p_alive": [0.0, 0.5, 1.0], "other": [1.0, 2.0, np.nan]})
    out = spread_table(frame, ["p_alive", "other"])
    assert out.index.tolist() == ["P(alive)", "other"]
    assert out.loc["P(alive)", "Median"] == pytest.approx(0.5)
    assert out.loc["other", "Customers"] == 2
    with pytest.raises(ValueError, match="missing_col"):
        spread_table(frame, ["missing_col"])


def test_value_as_of_ignores_invoices_after_the_date_and_patches_single_orders():
    from helpers.cdnow import load_cdnow
    from helpers.targeting import value_as_of

    cdnow = load_cdnow("sample")
    cols = {"customer_col": "customer_id", "date_col": "date", "amount_col": "amount"}
    date = pd.Timestamp("1997-10-01")
    value = value_as_of(cdnow, date, margin=0.3, annual_discount_rate=0.1, **cols)
    later = pd.DataFrame({"customer_id": [cdnow["customer_id"].iloc[0]],
                          "date": [date + pd.Timedelta(days=5)], "amount": [1e6]})
    same = value_as_of(pd.concat([cdnow, later]), date, margin=0.3, annual_discount_rate=0.1,
                       **cols)
    pd.testing.assert_frame_equal(value, same)  # nothing from after the date reaches it
    assert (value.loc[value["one_order"], "p_alive"] == 1).all()  # BG/NBD's flaw
    patch = pd.Series(0.25, index=value.index)
    patched = value_as_of(cdnow, date, margin=0.3, annual_discount_rate=0.1,
                          single_order_alive=patch, **cols)
    assert (patched.loc[patched["one_order"], "p_alive"] == 0.25).all()
    assert patched.loc[~patched["one_order"], "p_alive"].equals(
        value.loc[~value["one_order"], "p_alive"])
    with pytest.raises(ValueError, match="date"):
        value_as_of(cdnow, "1990-01-01", margin=0.3, annual_discount_rate=0.1, **cols)


def test_true_campaign_profit_by_hand():
    from helpers.grading import true_campaign_profit

    key = pd.DataFrame({"true_type": ["A", "B", "A"], "purchase_rate_per_day": [0.0, 0.01, 0.0],
                        "expected_order_value": [100.0, 50.0, 80.0]}, index=[1, 2, 3])
    alive = pd.Series([True, True, False], index=[1, 2, 3])
    got = true_campaign_profit(key, alive, {"A": 0.2, "B": 0.0}, margin=0.3, cost=1.0,
                               voucher=0.1, window_days=30)
    anyway = 1 - np.exp(-0.3)  # customer 2 buys anyway with this chance
    assert got.tolist() == pytest.approx([0.2 * 100 * 0.3 - 0.1 * 100 * 0.2 - 1,
                                          -0.1 * 50 * anyway - 1, -1.0])
    with pytest.raises(ValueError, match="'B'"):
        true_campaign_profit(key, alive, {"A": 0.2}, margin=0.3, cost=1.0, voucher=0.1,
                             window_days=30)
