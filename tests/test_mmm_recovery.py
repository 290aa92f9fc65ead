"""helpers.mmm against the simulator's answer key (issue 14's targets).

For the default seed and the notebook's parameter variants (seeds 3 and 9): every channel's
true ROI recovered within 25 %, the fitted reallocation reaching at least 90 % of the true
optimum's gain, and most intervals holding the true ROI. The model never sees the truth: it is
fitted on the exported weekly spend and sales only; the truth grades it afterwards.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.mmm import (
    MarketingMixModel,
    geometric_adstock,
    hill_saturation,
    optimise_budget,
    weekly_spend_table,
)
from helpers.simulator import make_channels
from helpers.simulator.channels import adstock as true_adstock
from helpers.simulator.channels import hill as true_hill

SEEDS = (42, 3, 9)


@pytest.fixture(scope="module", params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def graded(request):
    world = make_channels(seed=request.param)
    weekly = weekly_spend_table(world.spend).merge(world.sales, on="week_start")
    channels = list(world.truth.params.index)
    model = MarketingMixModel().fit(weekly, spend_cols=channels)
    table = model.roi(weekly, n_resamples=100, random_state=0)
    return world, model, table


def test_our_transforms_are_the_simulators():
    rng = np.random.default_rng(0)
    x = rng.gamma(2.0, 1_000.0, 50) * (rng.random(50) > 0.3)
    np.testing.assert_allclose(geometric_adstock(x, 0.45), true_adstock(x, 0.45), rtol=1e-12)
    np.testing.assert_allclose(hill_saturation(x, half_saturation=900.0, shape=1.7),
                               true_hill(x, 900.0, 1.7), rtol=1e-12, atol=1e-15)


def test_true_roi_recovered_within_25_percent_for_every_channel(graded):
    world, _, table = graded
    truth = world.truth.contributions
    error = table["roi"] / truth.loc[table.index, "roi"] - 1
    assert error.abs().max() < 0.25, error.round(3).to_dict()
    np.testing.assert_allclose(table["spend"], truth.loc[table.index, "spend"], rtol=1e-9)


def test_the_ranking_of_channels_by_marginal_roi_is_mostly_right(graded):
    world, _, table = graded
    truth = world.truth.contributions.loc[table.index, "mroi"]
    # the best and the worst marginal channel are found (e-mail and display in the simulator)
    assert table["mroi"].idxmax() == truth.idxmax()
    assert table["mroi"].idxmin() == truth.idxmin()


@pytest.mark.parametrize("max_shift", [0.5, 0.3])  # the notebook's MAX_SHIFT variants
def test_reallocation_reaches_90_percent_of_the_true_optimum(graded, max_shift):
    world, model, _ = graded
    weekly = weekly_spend_table(world.spend)
    plan = optimise_budget(model, weekly, max_shift=max_shift)
    best = world.truth.best_reallocation(max_shift=max_shift)
    best_gain = best["new_contribution"].sum() - best["contribution"].sum()
    gain = world.truth.gain(plan["multiplier"].to_dict())
    assert best_gain > 0
    assert gain >= 0.9 * best_gain, (gain, best_gain)
    assert plan["new_spend"].sum() == pytest.approx(plan["spend"].sum(), rel=1e-6)
    assert plan["multiplier"].between(1 - max_shift - 1e-9, 1 + max_shift + 1e-9).all()


def test_most_intervals_hold_the_true_roi(graded):
    world, _, table = graded
    truth = world.truth.contributions.loc[table.index]
    roi_in = ((table["roi_low"] <= truth["roi"]) & (truth["roi"] <= table["roi_high"])).sum()
    mroi_in = ((table["mroi_low"] <= truth["mroi"]) & (truth["mroi"] <= table["mroi_high"])).sum()
    # 95 % intervals from a bootstrap around a penalised fit: they miss a biased channel now
    # and then (about 85 % coverage over seeds 0-9 and 42), but never most channels.
    assert roi_in >= 3 and mroi_in >= 3, (roi_in, mroi_in)


def test_the_decomposition_follows_the_true_contributions(graded):
    world, model, _ = graded
    weekly = weekly_spend_table(world.spend)
    parts = model.decompose(weekly)
    true_parts = world.truth.weekly_contributions()
    for channel in model.spend_cols_:
        r = np.corrcoef(parts[channel].to_numpy(), true_parts[channel].to_numpy())[0, 1]
        assert r > 0.8, (channel, r)
    baseline_error = parts["baseline"].to_numpy() / world.truth.baseline.to_numpy() - 1
    assert np.abs(baseline_error).mean() < 0.05


def test_recovery_table_is_complete(graded):
    _, model, table = graded
    assert isinstance(table, pd.DataFrame) and len(table) == 5
    assert not table.isna().any().any()
    assert model.r_squared_ > 0.9


def test_intervals_survive_a_collinear_world():
    # social given TV's weekly pattern (notebook 10's exercise): the fit may push a decay to 0
    # and the bootstrap must still return finite intervals
    world = make_channels(seed=9)
    weekly = weekly_spend_table(world.spend).merge(world.sales, on="week_start")
    channels = list(world.truth.params.index)
    together = weekly.assign(social=weekly["tv"] * weekly["social"].sum() / weekly["tv"].sum())
    model = MarketingMixModel().fit(together, spend_cols=channels)
    table = model.roi(together, n_resamples=100, random_state=9)
    assert np.isfinite(table.to_numpy()).all()
