"""Uplift: two-model estimator and the Qini curve, checked by hand and on a known effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from helpers.uplift import TwoModelUplift, qini_coefficient, qini_curve


def test_qini_by_hand():
    # sorted by score: (y=1,t=1), (y=0,t=0), (y=0,t=0), (y=0,t=1)
    curve = qini_curve(y=[1, 0, 0, 0], treatment=[1, 1, 0, 0], scores=[0.9, 0.1, 0.8, 0.2])
    # after 1: 1 treated buyer, no control -> 1; after 2: Y_T=1, N_T=1, Y_C=0 -> 1 ...
    assert curve["incremental"].tolist() == [0.0, 1.0, 1.0, 1.0, 1.0]
    assert curve["share_targeted"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve["random"].tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    # gaps 0, .75, .5, .25, 0: trapezoids (.375 + .625 + .375 + .125) / 4 = 0.375, / Q(N) = 1
    assert qini_coefficient(curve) == pytest.approx(0.375)


def test_qini_coefficient_value_by_hand():
    curve = pd.DataFrame({"share_targeted": [0.0, 0.5, 1.0], "incremental": [0.0, 2.0, 2.0],
                          "random": [0.0, 1.0, 2.0]})
    # gaps 0, 1, 0: trapezoids 0.25 + 0.25 = 0.5, divided by Q(N) = 2
    assert qini_coefficient(curve) == pytest.approx(0.25)


def test_perfect_ranking_beats_random_on_a_known_effect():
    rng = np.random.default_rng(0)
    n = 20_000
    x = rng.uniform(0, 1, n)
    t = rng.integers(0, 2, n)
    true_uplift = 0.3 * x  # customers with high x respond
    y = (rng.uniform(size=n) < 0.2 + t * true_uplift).astype(int)
    perfect = qini_coefficient(qini_curve(y, t, true_uplift))
    shuffled = qini_coefficient(qini_curve(y, t, rng.permutation(true_uplift)))
    assert perfect > 0.15 > abs(shuffled)
    model = TwoModelUplift(LogisticRegression()).fit(x.reshape(-1, 1), t, y)
    predicted = model.predict_uplift(x.reshape(-1, 1))
    assert np.corrcoef(predicted, true_uplift)[0, 1] > 0.95
    assert model.treated_rate_ > model.control_rate_


def test_bad_input():
    with pytest.raises(ValueError, match="treatment must hold 0/1"):
        TwoModelUplift().fit([[0], [1]], [0, 2], [0, 1])
    with pytest.raises(ValueError, match="control group needs at least two different outcomes"):
        TwoModelUplift().fit([[0], [1], [0], [1]], [1, 1, 0, 0], [0, 1, 0, 0])
    with pytest.raises(ValueError, match="same length"):
        qini_curve([1, 0], [1, 0], [0.5])
    with pytest.raises(ValueError, match="Qini undefined"):
        qini_coefficient(qini_curve([0, 0], [1, 0], [0.2, 0.1]))


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
    with pytest.raises(ValueError, match="at least two treated"):
        segment_uplift(df.iloc[:7], segment_col="seg", treatment_col="t", outcome_col="y")


def test_two_models_with_a_regressor_estimate_a_count_effect():
    from sklearn.linear_model import PoissonRegressor

    rng = np.random.default_rng(1)
    n = 20_000
    x = rng.uniform(0, 1, n)
    t = rng.integers(0, 2, n)
    y = rng.poisson(0.5 + t * 0.8 * x)  # the effect grows with x, up to +0.8 orders
    model = TwoModelUplift(PoissonRegressor(alpha=0)).fit(x.reshape(-1, 1), t, y)
    effect = model.predict_uplift(np.array([[0.0], [1.0]]))
    assert effect[1] - effect[0] > 0.5
    assert not model.is_classifier_
