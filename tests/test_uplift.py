"""Uplift: two-model estimator, Qini curve and its bootstrap, by hand and on a known effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from helpers.uplift import (
    TwoModelUplift,
    bootstrap_indices,
    bootstrap_segment_means,
    heterogeneity_test,
    qini_coefficient,
    qini_curve,
    qini_interval,
)


def test_qini_by_hand():
    # sorted by score: (y=1,t=1), (y=0,t=0), (y=0,t=0), (y=0,t=1)
    curve = qini_curve(y=[1, 0, 0, 0], treatment=[1, 1, 0, 0], scores=[0.9, 0.1, 0.8, 0.2])
    # after 1: 1 treated buyer, no control -> 1; after 2: Y_T=1, N_T=1, Y_C=0 -> 1 ...
    assert curve["incremental"].tolist() == [0.0, 1.0, 1.0, 1.0, 1.0]
    assert curve["share_targeted"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["random"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["n_targeted"].tolist() == [0, 1, 2, 3, 4]
    assert curve["n_treated"].tolist() == [0, 1, 1, 1, 2]
    # gaps 0, .75, .5, .25, 0: trapezoids (.375 + .625 + .375 + .125) / 4 = 0.375
    assert qini_coefficient(curve, normalize="total") == pytest.approx(0.375)  # / Q(N) = 1
    assert qini_coefficient(curve) == pytest.approx(0.375 / 2)  # / N_T = 2 treated


def test_qini_coefficient_value_by_hand():
    curve = pd.DataFrame({"n_treated": [0, 3, 5], "share_targeted": [0.0, 0.5, 1.0],
                          "incremental": [0.0, 2.0, 2.0], "random": [0.0, 1.0, 2.0]})
    # gaps 0, 1, 0: trapezoids 0.25 + 0.25 = 0.5, divided by Q(N) = 2 or by N_T = 5
    assert qini_coefficient(curve, normalize="total") == pytest.approx(0.25)
    assert qini_coefficient(curve) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="normalize"):
        qini_coefficient(curve, normalize="best")
    with pytest.raises(ValueError, match="n_treated"):
        qini_coefficient(curve.drop(columns="n_treated"))


def test_qini_takes_tied_scores_together():
    # two customers share the top score: one point after both, whatever their row order
    y, t = [1, 0, 0, 1], [1, 0, 1, 0]
    curve = qini_curve(y, t, [0.5, 0.5, 0.1, 0.1])
    swapped = qini_curve(y[::-1], t[::-1], [0.1, 0.1, 0.5, 0.5])
    assert curve["n_targeted"].tolist() == [0, 2, 4]
    # after 2: Y_T = 1, Y_C = 0 -> 1; after 4: 1 - 1 x 2/2 = 0
    assert curve["incremental"].tolist() == [0.0, 1.0, 0.0]
    pd.testing.assert_frame_equal(curve, swapped)
    # all scores equal: the curve is the random line and the coefficient 0
    flat = qini_curve(y, t, [1.0] * 4)
    assert flat["n_targeted"].tolist() == [0, 4] and qini_coefficient(flat) == 0.0


def test_perfect_ranking_beats_random_on_a_known_effect():
    rng = np.random.default_rng(0)
    n = 20_000
    x = rng.uniform(0, 1, n)
    t = rng.integers(0, 2, n)
    true_uplift = 0.3 * x  # customers with high x respond
    y = (rng.uniform(size=n) < 0.2 + t * true_uplift).astype(int)
    perfect = qini_coefficient(qini_curve(y, t, true_uplift), normalize="total")
    shuffled = qini_coefficient(qini_curve(y, t, rng.permutation(true_uplift)),
                                normalize="total")
    assert perfect > 0.15 > abs(shuffled)
    # per treated customer, the top share phi has mean uplift 0.3 (1 - phi / 2): the curve is
    # E[Q] / N_T = 0.15 phi (2 - phi), the line 0.15 phi, and the area between them 0.025
    per_treated = qini_coefficient(qini_curve(y, t, true_uplift))
    assert per_treated == pytest.approx(0.025, abs=0.005)
    model = TwoModelUplift(LogisticRegression()).fit(x.reshape(-1, 1), y, treatment=t)
    predicted = model.predict_uplift(x.reshape(-1, 1))
    assert np.corrcoef(predicted, true_uplift)[0, 1] > 0.95
    assert model.treated_rate_ > model.control_rate_


def test_bad_input():
    with pytest.raises(ValueError, match="treatment must hold 0/1"):
        TwoModelUplift().fit([[0], [1]], [0, 1], treatment=[0, 2])
    with pytest.raises(ValueError, match="control group needs at least two different outcomes"):
        TwoModelUplift().fit([[0], [1], [0], [1]], [0, 1, 0, 0], treatment=[1, 1, 0, 0])
    with pytest.raises(ValueError, match="same length"):
        qini_curve([1, 0], [1, 0], [0.5])
    with pytest.raises(ValueError, match="Qini undefined"):
        qini_coefficient(qini_curve([0, 0], [1, 0], [0.2, 0.1]), normalize="total")
    assert qini_coefficient(qini_curve([0, 0], [1, 0], [0.2, 0.1])) == 0.0


def test_fit_takes_the_outcome_before_the_treatment_and_the_treatment_by_name():
    X = np.array([[0]] * 8 + [[1]] * 8)
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0] * 2)
    y = np.array([1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0])
    model = TwoModelUplift(LogisticRegression(C=1e6)).fit(X, y, treatment=t)
    # treated buy in 2 (x = 0) and 3 (x = 1) of 4 cases, control customers in 1 of 4
    assert model.treated_rate_ == 5 / 8 and model.control_rate_ == 2 / 8
    with pytest.raises(TypeError):
        TwoModelUplift().fit(X, y, t)  # type: ignore[misc]


def test_qini_counts_outcomes():
    curve = qini_curve(y=[2, 0, 1, 0], treatment=[1, 0, 1, 0], scores=[4, 3, 2, 1])
    # after 2: Y_T=2, N_T=1, Y_C=0, N_C=1 -> 2; after 4: 3 - 0 * 2/2 = 3
    assert curve["incremental"].tolist() == [0.0, 2.0, 2.0, 3.0, 3.0]
    with pytest.raises(ValueError, match="non-negative"):
        qini_curve([-1, 0], [1, 0], [0.2, 0.1])


def test_segment_uplift_by_hand():
    from helpers.uplift import segment_uplift

    df = pd.DataFrame({"seg": ["a"] * 6 + ["b"] * 4,
                       "t": [1, 1, 1, 0, 0, 0, 1, 1, 0, 0],
                       "y": [1, 1, 0, 0, 0, 1, 3, 1, 0, 2]})
    out = segment_uplift(df, segment_col="seg", treatment_col="t", outcome_col="y")
    assert out.loc["a", "uplift"] == pytest.approx(2 / 3 - 1 / 3)
    assert out.loc["b", "uplift"] == pytest.approx(2.0 - 1.0)
    # var of [1,1,0] = 1/3 and of [0,0,1] = 1/3 (ddof 1): se = sqrt(1/9 + 1/9)
    assert out.loc["a", "se"] == pytest.approx(np.sqrt(2 / 9))
    assert out.loc["a", "low"] < out.loc["a", "uplift"] < out.loc["a", "high"]
    # the 95% normal interval: uplift -/+ 1.95996 se
    assert out.loc["a", "high"] - out.loc["a", "uplift"] == pytest.approx(
        1.959964 * np.sqrt(2 / 9), rel=1e-6)
    ninety = segment_uplift(df, segment_col="seg", treatment_col="t", outcome_col="y",
                            confidence_level=0.9)
    assert ninety.loc["a", "high"] - ninety.loc["a", "uplift"] == pytest.approx(
        1.644854 * np.sqrt(2 / 9), rel=1e-6)
    with pytest.raises(ValueError, match="confidence_level"):
        segment_uplift(df, segment_col="seg", treatment_col="t", outcome_col="y",
                       confidence_level=1.96)
    with pytest.raises(ValueError, match="at least two treated"):
        segment_uplift(df.iloc[:7], segment_col="seg", treatment_col="t", outcome_col="y")


def test_two_models_with_a_regressor_estimate_a_count_effect():
    from sklearn.linear_model import PoissonRegressor

    rng = np.random.default_rng(1)
    n = 20_000
    x = rng.uniform(0, 1, n)
    t = rng.integers(0, 2, n)
    y = rng.poisson(0.5 + t * 0.8 * x)  # the effect grows with x, up to +0.8 orders
    model = TwoModelUplift(PoissonRegressor(alpha=0)).fit(x.reshape(-1, 1), y, treatment=t)
    effect = model.predict_uplift(np.array([[0.0], [1.0]]))
    assert effect[1] - effect[0] > 0.5
    assert not model.is_classifier_


def test_bootstrap_indices_resample_within_groups():
    t = np.array([1, 0, 1, 1, 0, 1])
    rows = bootstrap_indices(t, n_resamples=500, random_state=0)
    assert rows.shape == (500, 6)
    assert (t[rows] == t).all()  # every position keeps its group: group sizes are fixed
    assert set(np.unique(rows[:, t == 0])) == {1, 4}
    assert set(np.unique(rows[:, t == 1])) == {0, 2, 3, 5}
    assert (bootstrap_indices(t, n_resamples=500, random_state=0) == rows).all()
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_indices(t, n_resamples=0, random_state=0)


def _known_effect(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x, t = rng.uniform(size=n), rng.integers(0, 2, n)
    y = (rng.uniform(size=n) < 0.2 + 0.3 * t * x).astype(int)
    return x, t, y


def test_qini_interval_on_a_known_effect():
    x, t, y = _known_effect(6_000, seed=2)
    noise = np.random.default_rng(3).uniform(size=len(x))
    out = qini_interval(y, t, {"x": x, "noise": noise}, pairs=[("x", "noise")], n_resamples=300,
                        random_state=4)
    assert out.index.tolist() == ["x", "noise", "x - noise"]
    assert out.loc["x", "qini"] == pytest.approx(qini_coefficient(qini_curve(y, t, x)))
    assert out.loc["x - noise", "qini"] == pytest.approx(out.loc["x", "qini"]
                                                         - out.loc["noise", "qini"])
    assert (out["low"] <= out["high"]).all()
    assert out.loc["x", "low"] > 0 and out.loc["x - noise", "low"] > 0  # a real ranking
    assert out.loc["noise", "low"] < 0 < out.loc["noise", "high"]  # no better than random
    again = qini_interval(y, t, {"x": x, "noise": noise}, pairs=[("x", "noise")], n_resamples=300,
                          random_state=4)
    pd.testing.assert_frame_equal(out, again)


def test_qini_interval_resamples_the_rows_bootstrap_indices_draws():
    """qini_interval (scipy.stats.bootstrap) and bootstrap_indices (default_rng) draw the same
    stratified resamples for the same seed: the interval is the percentile interval of the
    coefficients on bootstrap_indices' rows."""
    x, t, y = _known_effect(800, seed=6)
    out = qini_interval(y, t, {"x": x}, n_resamples=200, confidence_level=0.8, random_state=9)
    by_hand = [qini_coefficient(qini_curve(y[rows], t[rows], x[rows]))
               for rows in bootstrap_indices(t, n_resamples=200, random_state=9)]
    np.testing.assert_allclose(out.loc["x", ["low", "high"]], np.quantile(by_hand, [0.1, 0.9]),
                               rtol=1e-9)


def test_qini_interval_skips_resamples_where_the_total_is_undefined():
    # 2 treated and 2 control customers, one buyer in each group: the total increment Q(N) is
    # 0 on the original data and on every resample where both buyers are drawn equally often
    y, t, s = np.array([1, 0, 1, 0]), np.array([1, 1, 0, 0]), np.array([0.9, 0.1, 0.2, 0.8])
    out = qini_interval(y, t, {"s": s}, normalize="total", n_resamples=200, random_state=0)
    assert np.isnan(out.loc["s", "qini"])
    assert np.isfinite(out.loc["s", ["low", "high"]].to_numpy(dtype=float)).all()


def test_qini_interval_bad_input():
    x, t, y = _known_effect(200, seed=0)
    with pytest.raises(ValueError, match="not in scores"):
        qini_interval(y, t, {"x": x}, pairs=[("x", "y")], n_resamples=100)
    with pytest.raises(ValueError, match="n_resamples"):
        qini_interval(y, t, {"x": x}, n_resamples=10)
    with pytest.raises(ValueError, match="confidence_level"):
        qini_interval(y, t, {"x": x}, n_resamples=100, confidence_level=95)
    with pytest.raises(ValueError, match="scores is empty"):
        qini_interval(y, t, {}, n_resamples=100)
    with pytest.raises(ValueError, match="same length"):
        qini_interval(y, t, {"x": x[:-1]}, n_resamples=100)
    with pytest.raises(ValueError, match="1 control customers"):
        qini_interval(y, np.r_[np.ones(len(y) - 1), 0], {"x": x}, n_resamples=100)


def test_bootstrap_segment_means_match_pandas_on_each_sample():
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"seg": rng.choice(["b", "a", "c"], 60), "t": rng.integers(0, 2, 60),
                       "y": rng.poisson(1.0, 60).astype(float), "w": rng.uniform(size=60)})
    means = bootstrap_segment_means(df, segment_col="seg", treatment_col="t",
                                    value_cols=["y", "w"], n_resamples=100, random_state=7)
    rows = bootstrap_indices(df["t"], n_resamples=100, random_state=7)
    assert means.index.names == ["replicate", "seg"]
    for b in range(4):
        expected = df.iloc[rows[b]].groupby(["seg", "t"])[["y", "w"]].mean().unstack("t")
        got = means.xs(b, level="replicate")
        pd.testing.assert_frame_equal(got, expected.reindex(got.index), check_names=False)
    with pytest.raises(ValueError, match="missing column"):
        bootstrap_segment_means(df, segment_col="seg", treatment_col="t", value_cols=["z"],
                                n_resamples=100, random_state=0)
    with pytest.raises(ValueError, match="'w' of frame has missing values"):
        bootstrap_segment_means(df.assign(w=np.nan), segment_col="seg", treatment_col="t",
                                value_cols=["w"], n_resamples=100, random_state=0)


def test_heterogeneity_test_by_hand_and_on_equal_effects():
    # weights 1/0.01 = 100 each; pooled 0.1; Q = 100 * (0.01 + 0.01) = 2 on 1 df
    test = heterogeneity_test([0.0, 0.2], [0.1, 0.1])
    assert test["q"] == pytest.approx(2.0)
    assert test["df"] == 1
    assert test["p_value"] == pytest.approx(0.1573, abs=1e-4)
    # equal estimates: Q = 0, p = 1; the pooled effect weights the precise estimate more
    same = heterogeneity_test([0.3, 0.3, 0.3], [0.1, 0.2, 0.05])
    assert same["q"] == pytest.approx(0.0) and same["p_value"] == pytest.approx(1.0)
    assert heterogeneity_test([0.0, 1.0], [0.1, 1.0])["pooled"] < 0.5
    # far apart with small errors: clearly different
    assert heterogeneity_test([0.0, 1.0, 2.0], [0.1, 0.1, 0.1])["p_value"] < 1e-6


@pytest.mark.parametrize("effects, se", [([0.1], [0.1]), ([0.1, 0.2], [0.1]),
                                         ([0.1, 0.2], [0.1, 0.0]),
                                         ([0.1, np.nan], [0.1, 0.1])])
def test_heterogeneity_test_rejects_bad_input(effects, se):
    with pytest.raises(ValueError):
        heterogeneity_test(effects, se)


# --- helpers of notebook 09's persona uplift and its Qini chart --------------------------------
def test_qini_at_shares_reads_the_curve_per_treated_customer():
    from helpers.uplift import qini_at_shares

    curve = qini_curve([1, 0, 0, 1], [1, 1, 0, 0], [0.9, 0.1, 0.8, 0.2])
    # Q at shares 0, .25, .5, .75, 1: 0, 1, 1, .5, 0; 2 treated customers
    at = qini_at_shares(curve, [0.0, 0.125, 0.5, 1.0])
    assert at["incremental"].tolist() == pytest.approx([0.0, 0.25, 0.5, 0.0])
    assert at["random"].tolist() == pytest.approx([0.0, 0.0, 0.0, 0.0])  # Q(N) = 0
    assert at["gain"].tolist() == pytest.approx(at["incremental"].tolist())
    assert qini_at_shares(curve, 4).index.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    with pytest.raises(ValueError, match="shares"):
        qini_at_shares(curve, [1.5])
    with pytest.raises(ValueError, match="n_treated"):
        qini_at_shares(curve.drop(columns="n_treated"))


def test_effects_per_alive_by_hand_and_on_bootstrap_means():
    from helpers.uplift import effects_per_alive

    frame = pd.DataFrame({"seg": ["a"] * 4 + ["b"] * 4, "t": [1, 1, 0, 0] * 2,
                          "y": [2, 0, 0, 0, 0, 0, 1, 1], "b": [1, 0, 0, 0, 0, 0, 1, 1],
                          "p": [0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1]})
    means = frame.groupby(["seg", "t"])[["y", "b", "p"]].mean().unstack("t")
    got = effects_per_alive(means, outcome_col="y", buyer_col="b", alive_col="p")
    # a: (1 - 0) / 0.5 = 2, buy 0.5 / 0.5 = 1; b: e-mailed did worse -> 0, buy 0 / 1
    assert got.loc["a"].tolist() == pytest.approx([2.0, 1.0])
    assert got.loc["b"].tolist() == pytest.approx([0.0, 0.0])
    boot = bootstrap_segment_means(frame, segment_col="seg", treatment_col="t",
                                   value_cols=["y", "b", "p"], n_resamples=100, random_state=0)
    refits = effects_per_alive(boot, outcome_col="y", buyer_col="b", alive_col="p")
    assert refits.index.names == ["replicate", "seg"] and len(refits) == 200
    assert (refits["uplift_per_alive"].dropna() >= 0).all()  # NaN: a group empty in a sample
    with pytest.raises(ValueError, match="no column"):
        effects_per_alive(means, outcome_col="orders", buyer_col="b", alive_col="p")


def test_score_by_segment_scales_by_p_alive_and_caps_buying():
    from helpers.uplift import score_by_segment

    effects = pd.DataFrame({"uplift_per_alive": [0.3, 0.0], "buy_rate_per_alive": [1.5, 0.2]},
                           index=["a", "b"])
    scores = score_by_segment(effects, pd.Series(["a", "b", "a"], index=[7, 8, 9]),
                              pd.Series([1.0, 0.5, 0.2], index=[7, 8, 9]))
    assert scores.index.tolist() == [7, 8, 9]
    assert scores["uplift"].tolist() == pytest.approx([0.3, 0.0, 0.06])
    assert scores["p_buy"].tolist() == pytest.approx([1.0, 0.1, 0.3])  # 1.5 capped at 1
    with pytest.raises(ValueError, match="'c'"):
        score_by_segment(effects, pd.Series(["c"]), pd.Series([1.0]))
