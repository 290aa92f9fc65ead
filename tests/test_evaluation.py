"""Evaluation of binary labels and scores: lift and gains, the profit of an offer and its
break-even, ROC AUC with bootstrap intervals (scipy.stats.bootstrap), all by hand or against
scikit-learn and SciPy, with a clear ValueError for each kind of bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import roc_auc_score

from helpers.evaluation import (
    GROUP_NAMES,
    _auc_rows,
    best_threshold,
    break_even_probability,
    expected_profit,
    lift_table,
    paired_auc_difference,
    percentile_bootstrap,
    profit_curve,
    roc_auc_interval,
)

# --------------------------------------------------------------------------------------------
# lift and gains
# --------------------------------------------------------------------------------------------
Y = [1, 1, 0, 1, 0, 0, 0, 0]
S = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]


def test_lift_table_by_hand():
    table = lift_table(Y, S, n_bins=4).set_index("quartile")
    assert table["customers"].tolist() == [2, 2, 2, 2]
    assert table["churners"].tolist() == [2, 1, 0, 0]
    assert table.loc[1, "lift"] == pytest.approx(round(1.0 / (3 / 8), 2))
    assert table["cumulative_gain"].tolist() == [0.67, 1.0, 1.0, 1.0]
    assert table["cumulative_lift"].tolist() == [2.67, 2.0, 1.33, 1.0]


def test_lift_table_perfect_and_uninformative():
    rng = np.random.default_rng(0)
    y = (rng.random(1_000) < 0.2).astype(int)
    perfect = lift_table(y, y + rng.random(1_000) * 0.1)
    assert perfect.loc[0, "churn_rate"] == 1.0
    assert perfect.loc[0, "lift"] == pytest.approx(1 / y.mean(), abs=0.01)
    assert perfect["customers"].sum() == 1_000 and perfect["cumulative_gain"].iloc[-1] == 1.0
    flat = lift_table(y, np.zeros(1_000))  # no information: ties keep input order
    assert flat["churners"].sum() == y.sum()


@pytest.mark.parametrize(("n_bins", "name"),
                         [(10, "decile"), (5, "quintile"), (4, "quartile"), (3, "group"),
                          (20, "group")])
def test_lift_table_names_its_groups_by_their_number(n_bins, name):
    rng = np.random.default_rng(2)
    y, s = (rng.random(200) < 0.3).astype(int), rng.random(200)
    table = lift_table(y, s, n_bins=n_bins)
    assert table.columns[0] == name and GROUP_NAMES.get(n_bins, "group") == name
    assert table[name].tolist() == list(range(1, n_bins + 1))
    assert table["customers"].sum() == 200 and table["churners"].sum() == y.sum()


def test_lift_table_bin_count_is_keyword_only():
    with pytest.raises(TypeError):
        lift_table(Y, S, 4)  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# profit of an offer
# --------------------------------------------------------------------------------------------
def test_expected_profit_formula():
    # contacted: a churner (0.5 x 100 - 5 = 45) and a loyal customer (-5)
    assert expected_profit([1, 0, 1], [True, True, False], offer_cost=5, retention_prob=0.5,
                           value_retained=100) == 40.0
    values = [200.0, 50.0, 80.0]
    assert expected_profit([1, 0, 1], [True, False, True], offer_cost=2, retention_prob=0.25,
                           value_retained=values) == 0.25 * 200 - 2 + 0.25 * 80 - 2


def test_profit_curve_by_hand_and_best_threshold():
    curve = profit_curve([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], offer_cost=5, retention_prob=0.5,
                         value_retained=100)
    assert curve["expected_profit"].tolist() == [0.0, 45.0, 40.0, 85.0, 80.0]
    assert curve["contacted"].tolist() == [0, 1, 2, 3, 4]
    best = best_threshold([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], offer_cost=5,
                          retention_prob=0.5, value_retained=100)
    assert best["threshold"] == 0.3 and best["expected_profit"] == 85.0


def test_profit_curve_contacts_ties_together():
    curve = profit_curve([1, 0, 1], [0.5, 0.5, 0.2], offer_cost=1, retention_prob=1,
                         value_retained=10)
    assert curve["contacted"].tolist() == [0, 2, 3]
    assert curve["expected_profit"].tolist() == [0.0, 8.0, 17.0]


def test_best_threshold_perfect_and_unprofitable():
    y = np.array([1, 0, 1, 0, 0])
    perfect = best_threshold(y, y.astype(float), offer_cost=1, retention_prob=0.5,
                             value_retained=10)
    assert perfect["contacted"] == 2 and perfect["expected_profit"] == 2 * (5 - 1)
    nobody = best_threshold(y, y.astype(float), offer_cost=6, retention_prob=0.5,
                            value_retained=10)
    assert np.isinf(nobody["threshold"]) and nobody["contacted"] == 0


def test_break_even_probability_by_hand():
    # 10 / (0.2 x 200) = 0.25; a customer worth 25 needs p = 2 (never pays); worth 0: never
    assert break_even_probability(offer_cost=10, retention_prob=0.2, value_retained=200) == 0.25
    risk = break_even_probability(offer_cost=10, retention_prob=0.2, value_retained=[200, 25, 0])
    assert risk.tolist() == [0.25, 2.0, np.inf]
    assert break_even_probability(offer_cost=0, retention_prob=0.5, value_retained=10) == 0.0


def test_break_even_is_where_the_expected_profit_changes_sign():
    value, cost, r = 120.0, 6.0, 0.25
    p_star = break_even_probability(offer_cost=cost, retention_prob=r, value_retained=value)
    for p, sign in ((p_star * 0.9, -1), (p_star * 1.1, 1)):
        assert np.sign(p * r * value - cost) == sign


def test_break_even_checks_the_economics():
    with pytest.raises(ValueError, match="retention_prob"):
        break_even_probability(offer_cost=1, retention_prob=1.5, value_retained=10)
    with pytest.raises(ValueError, match="value_retained"):
        break_even_probability(offer_cost=1, retention_prob=0.5, value_retained=[10, np.nan])


# --------------------------------------------------------------------------------------------
# bootstrap intervals
# --------------------------------------------------------------------------------------------
def test_percentile_bootstrap_is_scipys_percentile_interval():
    rng = np.random.default_rng(4)
    a, b = rng.exponential(10, 60), rng.exponential(12, 80)

    def difference(x, y, axis=-1):
        return x.mean(axis=axis) - y.mean(axis=axis)

    ours = percentile_bootstrap((a, b), difference, n_resamples=500, confidence_level=0.9,
                                random_state=7)
    theirs = stats.bootstrap((a, b), difference, n_resamples=500, confidence_level=0.9,
                             method="percentile", rng=np.random.default_rng(7))
    assert ours.low == theirs.confidence_interval.low
    assert ours.high == theirs.confidence_interval.high
    assert ours.standard_error == theirs.standard_error and ours.n_kept == 500


def test_percentile_bootstrap_leaves_out_undefined_resamples():
    x = np.arange(10.0)

    def mean_unless_first_is_drawn_once(sample, axis=-1):
        # undefined (NaN) on the resamples that hold the value 0 exactly once
        once = (sample == 0).sum(axis=axis) == 1
        return np.where(once, np.nan, sample.mean(axis=axis))

    out = percentile_bootstrap((x,), mean_unless_first_is_drawn_once, n_resamples=400,
                               random_state=3)
    with pytest.warns(stats.DegenerateDataWarning):  # scipy's own interval is NaN
        full = stats.bootstrap((x,), mean_unless_first_is_drawn_once, n_resamples=400,
                               method="percentile", rng=np.random.default_rng(3))
    assert np.isnan(full.confidence_interval.low)
    values = full.bootstrap_distribution
    kept = values[~np.isnan(values)]
    assert 0 < out.n_kept == kept.size < 400  # P(drawn once) = 0.39: some, not all
    assert out.low == pytest.approx(np.quantile(kept, 0.025), rel=1e-12)
    assert out.high == pytest.approx(np.quantile(kept, 0.975), rel=1e-12)
    assert out.standard_error == pytest.approx(kept.std(ddof=1), rel=1e-12)
    with pytest.raises(ValueError, match="undefined"):
        percentile_bootstrap((x,), lambda s, axis=-1: np.full(s.shape[0], np.nan),
                             n_resamples=100)


@pytest.mark.parametrize(("kwargs", "message"),
                         [({"n_resamples": 99}, "n_resamples"),
                          ({"n_resamples": 100.0}, "n_resamples"),
                          ({"n_resamples": 100, "confidence_level": 1.0}, "confidence_level")])
def test_percentile_bootstrap_checks_its_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        percentile_bootstrap(([1.0, 2.0, 3.0],), np.mean, **kwargs)


# --------------------------------------------------------------------------------------------
# ROC AUC with intervals
# --------------------------------------------------------------------------------------------
def test_roc_auc_interval():
    perfect = roc_auc_interval([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9], n_resamples=100)
    assert perfect.tolist() == [1.0, 1.0, 1.0]
    rng = np.random.default_rng(1)
    y = (rng.random(500) < 0.4).astype(int)
    s = y + rng.normal(0, 1, 500)
    first = roc_auc_interval(y, s, n_resamples=200, random_state=3)
    assert first["low"] < first["auc"] < first["high"]
    assert first.equals(roc_auc_interval(y, s, n_resamples=200, random_state=3))
    # the same resamples as scipy.stats.bootstrap over customers (paired) with that seed
    scipy = stats.bootstrap((y, s), lambda a, b, axis=-1: _auc_rows(a, b, axis),
                            paired=True, n_resamples=200, method="percentile",
                            rng=np.random.default_rng(3))
    assert first["low"] == pytest.approx(scipy.confidence_interval.low, rel=1e-12)
    assert first["high"] == pytest.approx(scipy.confidence_interval.high, rel=1e-12)
    narrow = roc_auc_interval(y, s, n_resamples=200, random_state=3, confidence_level=0.5)
    assert first["low"] < narrow["low"] < narrow["high"] < first["high"]


def test_paired_auc_difference_by_hand_and_identical_models():
    y, a, b = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [0.1, 0.2, 0.8, 0.9]
    result = paired_auc_difference(y, a, b, n_resamples=100)
    assert result[["auc_a", "auc_b", "difference"]].tolist() == [0.75, 1.0, -0.25]
    assert result["low"] <= result["high"] <= 0  # b is never worse on any resample
    same = paired_auc_difference(y, a, a, n_resamples=100)
    assert same[["difference", "low", "high"]].tolist() == [0.0, 0.0, 0.0]


def _noisy_scores(n: int = 2_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(5)
    y = (rng.random(n) < 0.4).astype(int)
    return y, y + rng.normal(0, 1, n), rng.normal(0, 1, n)


def test_paired_auc_difference_tells_a_clear_winner():
    y, signal, noise = _noisy_scores()
    # AUC about 0.76 against 0.5: the interval of the difference lies far above 0
    result = paired_auc_difference(y, signal, noise, n_resamples=300, random_state=1)
    assert result["difference"] == pytest.approx(roc_auc_score(y, signal) - roc_auc_score(y, noise))
    assert 0.15 < result["low"] < result["difference"] < result["high"]
    swapped = paired_auc_difference(y, noise, signal, n_resamples=300, random_state=1)
    assert swapped["difference"] == pytest.approx(-result["difference"])
    assert swapped["high"] == pytest.approx(-result["low"])
    assert result.equals(paired_auc_difference(y, signal, noise, n_resamples=300, random_state=1))


def test_pairing_narrows_the_interval_of_a_small_difference():
    y, signal, noise = _noisy_scores()
    rng = np.random.default_rng(8)
    close = signal + rng.normal(0, 0.1, len(y))  # nearly the same model
    paired = paired_auc_difference(y, signal, close, n_resamples=300, random_state=2)
    alone = roc_auc_interval(y, signal, n_resamples=300, random_state=2)
    # each AUC moves by about +-0.02 from sample to sample, the difference by far less
    assert paired["high"] - paired["low"] < 0.25 * (alone["high"] - alone["low"])
    assert paired["low"] < paired["difference"] < paired["high"]


def test_paired_auc_difference_checks_its_input():
    with pytest.raises(ValueError, match="scores_b has 3 values"):
        paired_auc_difference([0, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="single class"):
        paired_auc_difference([1, 1, 1, 1], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.3, 0.4])
    with pytest.raises(ValueError, match="finite"):
        paired_auc_difference([0, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], [0.1, np.nan, 0.3, 0.4])
    with pytest.raises(ValueError, match="confidence_level"):
        paired_auc_difference([0, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1],
                              confidence_level=95)
    with pytest.raises(ValueError, match="n_resamples"):
        paired_auc_difference([0, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1],
                              n_resamples=5)



@pytest.mark.parametrize(
    ("labels", "message"),
    [([0, 1, 2, 1], "must be binary"), ([0, 1, np.nan, 1], "must be binary"),
     (["yes", "no", "no", "yes"], "must be binary"), ([1, 1, 1, 1], "single class"),
     ([0, 0, 0, 0], "single class")],
)
def test_labels_must_be_binary_with_both_classes(labels, message):
    scores = [0.1, 0.2, 0.3, 0.4]
    with pytest.raises(ValueError, match=message):
        lift_table(labels, scores, n_bins=2)
    with pytest.raises(ValueError, match=message):
        best_threshold(labels, scores, offer_cost=1, retention_prob=0.5, value_retained=10)
    with pytest.raises(ValueError, match=message):
        roc_auc_interval(labels, scores)


def test_scores_and_economics_are_checked():
    with pytest.raises(ValueError, match="scores has 3"):
        lift_table([0, 1, 1, 0], [0.1, 0.2, 0.3], n_bins=2)
    with pytest.raises(ValueError, match="missing"):
        lift_table([0, 1], [0.1, np.nan], n_bins=2)
    with pytest.raises(ValueError, match="n_bins=5 is more than"):
        lift_table([0, 1], [0.1, 0.2], n_bins=5)
    with pytest.raises(ValueError, match="retention_prob"):
        profit_curve([0, 1], [0.1, 0.2], offer_cost=1, retention_prob=1.5, value_retained=10)
    with pytest.raises(ValueError, match="offer_cost"):
        profit_curve([0, 1], [0.1, 0.2], offer_cost=-1, retention_prob=0.5, value_retained=10)
    with pytest.raises(ValueError, match="value_retained has 3"):
        profit_curve([0, 1], [0.1, 0.2], offer_cost=1, retention_prob=0.5,
                     value_retained=[1, 2, 3])



def test_bootstrap_auc_matches_scikit_learn_with_ties():
    rng = np.random.default_rng(5)
    y = (rng.random((20, 300)) < 0.3).astype(int)
    s = rng.integers(0, 10, (20, 300)).astype(float)  # many ties
    expected = [roc_auc_score(y[i], s[i]) for i in range(20)]
    assert np.allclose(_auc_rows(y, s), expected)
    assert np.isnan(_auc_rows(np.zeros((1, 5), int), np.arange(5.0)[None, :])).all()
    # along the first axis: the same numbers
    assert np.allclose(_auc_rows(y.T, s.T, axis=0), expected)




# --------------------------------------------------------------------------------------------
# the counting AUC behind the bootstraps, and the side-by-side tables
# --------------------------------------------------------------------------------------------
def test_counting_auc_equals_the_rank_auc_bit_for_bit():
    from helpers.evaluation import _auc_codes, _score_codes

    rng = np.random.default_rng(7)
    y = rng.integers(0, 2, (40, 25))
    y[0] = 1  # a row with a single class: undefined
    s = np.round(rng.random((40, 25)), 1)  # many ties
    codes = np.vstack([np.searchsorted(np.unique(s), row) for row in s])
    counted = _auc_codes(y, codes, len(np.unique(s)))
    assert np.array_equal(counted, _auc_rows(y, s), equal_nan=True)
    assert np.isnan(counted[0])
    assert np.array_equal(_auc_codes(y.T, codes.T, len(np.unique(s)), axis=0), counted,
                          equal_nan=True)
    codes_1d, levels = _score_codes(np.array([0.3, 0.1, 0.3, 0.9]))
    assert codes_1d.tolist() == [1, 0, 1, 2] and levels == 3


def test_paired_interval_matches_scipy_on_the_rank_auc():
    rng = np.random.default_rng(4)
    y = (rng.random(300) < 0.3).astype(int)
    a, b = y + rng.normal(0, 1, 300), np.round(y + rng.normal(0, 1.5, 300), 1)
    ours = paired_auc_difference(y, a, b, n_resamples=150, random_state=9)
    scipy = stats.bootstrap((y, a, b), lambda t, u, v, axis=-1: _auc_rows(t, u, axis)
                            - _auc_rows(t, v, axis), paired=True, n_resamples=150,
                            method="percentile", rng=np.random.default_rng(9))
    assert ours["low"] == scipy.confidence_interval.low
    assert ours["high"] == scipy.confidence_interval.high


def test_side_by_side_tables():
    from helpers.evaluation import auc_intervals, paired_auc_table, ranking_metrics

    rng = np.random.default_rng(2)
    y = (rng.random(400) < 0.4).astype(int)
    scores = {"strong": y * 2 + rng.normal(0, 1, 400), "noise": rng.normal(0, 1, 400)}
    metrics = ranking_metrics(y, scores)
    assert metrics.index.tolist() == ["strong", "noise"]
    assert metrics.loc["strong", "ROC AUC"] == round(roc_auc_score(y, scores["strong"]), 3)
    assert metrics.loc["noise", "Top-decile lift"] == lift_table(y, scores["noise"]).loc[0, "lift"]
    intervals = auc_intervals(y, scores, n_resamples=100, random_state=1)
    assert intervals.columns.tolist() == ["ROC AUC", "95% low", "95% high"]
    assert (intervals["95% low"] <= intervals["ROC AUC"]).all()
    paired = paired_auc_table(y, scores, reference="noise", n_resamples=100)
    assert paired.index.tolist() == ["strong"]
    assert paired.loc["strong", "Verdict"] == "better than noise"
    assert paired_auc_table(y, scores, reference="strong", n_resamples=100).loc[
        "noise", "Verdict"] == "worse than strong"
    same = paired_auc_table(y, {"a": scores["noise"], "b": scores["noise"]}, reference="a",
                            n_resamples=100)
    assert same.loc["b", "Verdict"] == "cannot be told apart"
    assert same.loc["b", "AUC minus a"] == 0.0
    with pytest.raises(ValueError, match="reference 'x'"):
        paired_auc_table(y, scores, reference="x")
    with pytest.raises(ValueError, match="non-empty mapping"):
        ranking_metrics(y, {})


def test_policy_profits_and_lift_report_by_hand():
    from helpers.evaluation import lift_report, policy_profits

    table = policy_profits([1, 0, 1, 0], {"top two": [True, True, False, False],
                                          "nobody": [False] * 4},
                           offer_cost=5, retention_prob=0.5, value_retained=[100, 50, 20, 10])
    assert table.loc["top two"].tolist() == [2, 1, 40.0]  # 0.5 x 100 - 5 - 5
    assert table.loc["nobody"].tolist() == [0, 0, 0.0]
    with pytest.raises(ValueError, match="policy 'short'"):
        policy_profits([1, 0], {"short": [True]}, offer_cost=1, retention_prob=0.1,
                       value_retained=1)
    report = lift_report(lift_table(Y, S, n_bins=4), event="buyers")
    assert report.index.name == "Quartile"
    assert report.columns.tolist() == ["Customers", "Buyers", "Rate", "Lift",
                                       "Customers so far", "Buyers reached so far"]
    assert report["Lift"].tolist() == ["×2.67", "×1.33", "×0.00", "×0.00"]
    assert report["Buyers reached so far"].tolist() == ["67%", "100%", "100%", "100%"]
