"""helpers.mmm: the transforms by hand, the weekly table's checks, the model on a series with
known parameters, the decomposition, ROI, response and the budget optimiser."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from helpers.mmm import (
    PARAM_COLUMNS,
    MarketingMixModel,
    geometric_adstock,
    hill_saturation,
    optimise_budget,
    validate_weekly,
    weekly_spend_table,
)

# --- transforms -------------------------------------------------------------------------------


@pytest.mark.parametrize("decay", [0.0, 0.3, 0.8])
def test_adstock_of_a_single_pulse_is_geometric(decay):
    out = geometric_adstock([1.0, 0, 0, 0, 0], decay)
    np.testing.assert_allclose(out, decay ** np.arange(5), rtol=1e-12)


def test_adstock_is_linear_by_column_and_keeps_a_series_index():
    x = np.array([[100.0, 0.0], [0.0, 50.0], [20.0, 0.0]])
    out = geometric_adstock(x, 0.5)
    np.testing.assert_allclose(out[:, 0], [100.0, 50.0, 45.0])
    np.testing.assert_allclose(out[:, 1], [0.0, 50.0, 25.0])
    np.testing.assert_allclose(geometric_adstock(3 * x, 0.5), 3 * out)
    series = pd.Series([1.0, 2.0], index=pd.Index(["a", "b"]), name="tv")
    result = geometric_adstock(series, 0.5)
    assert list(result.index) == ["a", "b"] and result.name == "tv"
    np.testing.assert_allclose(result, [1.0, 2.5])


@pytest.mark.parametrize("decay", [-0.1, 1.0, float("nan")])
def test_adstock_rejects_a_bad_decay(decay):
    with pytest.raises(ValueError, match="decay"):
        geometric_adstock([1.0, 2.0], decay)


def test_adstock_rejects_missing_spend():
    with pytest.raises(ValueError, match="missing"):
        geometric_adstock([1.0, np.nan], 0.5)


@pytest.mark.parametrize("shape", [0.5, 1.0, 2.0, 3.0])
def test_hill_is_one_half_at_the_half_saturation_point_and_monotone(shape):
    assert float(hill_saturation(7_500.0, half_saturation=7_500.0, shape=shape)) == pytest.approx(
        0.5, abs=1e-12)
    x = np.linspace(0, 100_000, 201)
    h = hill_saturation(x, half_saturation=7_500.0, shape=shape)
    assert h[0] == 0.0
    assert np.all(np.diff(h) > 0)
    assert np.all(h < 1)


def test_hill_by_hand():
    # shape 2: x^2 / (x^2 + K^2); at x = 2K: 4 / 5
    assert float(hill_saturation(20.0, half_saturation=10.0, shape=2.0)) == pytest.approx(0.8)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"half_saturation": 0.0, "shape": 1.0}, "half_saturation"),
    ({"half_saturation": 1.0, "shape": -1.0}, "shape"),
])
def test_hill_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        hill_saturation([1.0], **kwargs)


def test_hill_rejects_negative_input():
    with pytest.raises(ValueError, match="non-negative"):
        hill_saturation([-1.0], half_saturation=1.0, shape=1.0)


# --- the weekly table -----------------------------------------------------------------------


def _long(n_weeks: int = 4) -> pd.DataFrame:
    weeks = pd.date_range("2024-01-01", periods=n_weeks, freq="7D")
    rows = []
    for i, week in enumerate(weeks):
        rows.append({"week_start": week, "channel": "tv", "spend": 100.0 * (i % 2)})
        rows.append({"week_start": week, "channel": "email", "spend": 10.0 + i})
    return pd.DataFrame(rows)


def test_weekly_spend_table_pivots_one_row_per_week():
    long = _long()
    wide = weekly_spend_table(long.sample(frac=1.0, random_state=0))  # row order does not matter
    assert sorted(wide.columns) == ["email", "tv", "week_start"]
    assert wide["week_start"].is_monotonic_increasing and len(wide) == 4
    assert wide["tv"].tolist() == [0.0, 100.0, 0.0, 100.0]
    assert wide["email"].tolist() == [10.0, 11.0, 12.0, 13.0]


def test_weekly_spend_table_keeps_the_order_of_first_appearance():
    assert list(weekly_spend_table(_long()).columns) == ["week_start", "tv", "email"]


def test_weekly_spend_table_takes_other_column_names():
    long = _long().rename(columns={"week_start": "wk", "channel": "media", "spend": "cost"})
    wide = weekly_spend_table(long, date_col="wk", channel_col="media", spend_col="cost")
    assert list(wide.columns) == ["wk", "tv", "email"]


@pytest.mark.parametrize(("change", "match"), [
    (lambda d: d.assign(spend=d["spend"].where(d.index != 1, -5.0)), "'spend'.*negative"),
    (lambda d: d[d["week_start"] != pd.Timestamp("2024-01-15")], "'week_start'.*gap"),
    (lambda d: d.drop(index=3), "'week_start'.*no row for channel 'email'"),
    (lambda d: pd.concat([d, d.iloc[[0]]]), "'week_start'.*twice"),
    (lambda d: d.assign(spend=np.where(d["channel"] == "tv", 0.0, d["spend"])),
     "'tv'.*zero spend throughout"),
    (lambda d: d.drop(columns="spend"), r"missing column\(s\) \['spend'\]"),
    (lambda d: d.drop(columns="channel"), r"missing column\(s\) \['channel'\]"),
    (lambda d: d.assign(week_start=d["week_start"].astype(str)), "'week_start'.*datetimes"),
    (lambda d: d.assign(week_start=d["week_start"].where(
        d["week_start"] != pd.Timestamp("2024-01-22"), pd.Timestamp("2024-01-23"))),
     "'week_start'.*weekdays"),
    (lambda d: d.assign(week_start=d["week_start"] + pd.Timedelta(hours=6)),
     "'week_start'.*times of day"),
    (lambda d: d.assign(spend=d["spend"].where(d.index != 1, np.nan)), "'spend'.*missing"),
    (lambda d: d.assign(spend=d["spend"].astype(object).where(d.index != 1, "12,50")),
     "'spend'.*numeric"),
])
def test_weekly_spend_table_rejects_bad_input_naming_the_column(change, match):
    with pytest.raises(ValueError, match=match):
        weekly_spend_table(change(_long()))


def test_irregular_weekly_steps_are_rejected():
    weeks = pd.to_datetime(["2024-01-01", "2024-01-08", "2024-01-22", "2024-01-29"])
    table = pd.DataFrame({"week_start": weeks, "tv": [1.0, 2.0, 3.0, 4.0]})
    with pytest.raises(ValueError, match="'week_start'.*gap"):
        validate_weekly(table, spend_cols=["tv"], target_col=None)
    # weeks on another weekday than Monday are fine when all agree (e.g. US weeks on Sundays)
    sundays = table.assign(week_start=pd.date_range("2023-12-31", periods=4, freq="7D"))
    dates, X, y = validate_weekly(sundays, spend_cols=["tv"], target_col=None)
    assert len(dates) == 4 and y is None


def test_validate_weekly_checks_the_target_and_sorts_by_week():
    weeks = pd.date_range("2024-01-01", periods=3, freq="7D")
    table = pd.DataFrame({"week_start": weeks[::-1], "tv": [3.0, 2.0, 1.0],
                          "sales": [30.0, 20.0, 10.0]})
    dates, X, y = validate_weekly(table, spend_cols=["tv"])
    assert X[:, 0].tolist() == [1.0, 2.0, 3.0] and y.tolist() == [10.0, 20.0, 30.0]
    assert dates.is_monotonic_increasing
    with pytest.raises(ValueError, match="'sales'.*missing"):
        validate_weekly(table.assign(sales=[1.0, np.nan, 2.0]), spend_cols=["tv"])
    with pytest.raises(ValueError, match=r"missing column\(s\) \['sales'\]"):
        validate_weekly(table.drop(columns="sales"), spend_cols=["tv"])


# --- the model on a series with known parameters ---------------------------------------------

TRUE = pd.DataFrame(
    {"decay": [0.2, 0.6, 0.4], "half_saturation": [5_000.0, 20_000.0, 3_000.0],
     "shape": [1.0, 2.0, 1.5], "beta": [30_000.0, 40_000.0, 15_000.0]},
    index=pd.Index(["search", "tv", "social"], name="channel"),
)


def _synthetic(seed: int = 0, n_weeks: int = 104, noise: float = 1_000.0):
    """Weekly spend with flighting (weeks off air) and sales from known curves."""
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2024-01-01", periods=n_weeks, freq="7D")
    spend = pd.DataFrame({
        "search": rng.gamma(4.0, 1_500.0, n_weeks) * (rng.random(n_weeks) > 0.15),
        "tv": rng.gamma(6.0, 4_000.0, n_weeks) * (rng.random(n_weeks) > 0.55),
        "social": rng.gamma(4.0, 800.0, n_weeks) * (rng.random(n_weeks) > 0.3),
    })
    effects = pd.DataFrame({
        c: TRUE.at[c, "beta"] * hill_saturation(
            geometric_adstock(spend[c].to_numpy(), TRUE.at[c, "decay"]),
            half_saturation=TRUE.at[c, "half_saturation"], shape=TRUE.at[c, "shape"])
        for c in TRUE.index
    })
    years = np.arange(n_weeks) / 52.18
    baseline = 100_000 * (1 + 0.08 * years) + 10_000 * np.cos(
        2 * np.pi * (weeks.day_of_year.to_numpy() - 335) / 365.25)
    weekly = spend.assign(week_start=weeks,
                          sales=baseline + effects.sum(axis=1) + rng.normal(0, noise, n_weeks))
    return weekly[["week_start", *TRUE.index, "sales"]], effects


@pytest.fixture(scope="module")
def fitted():
    weekly, effects = _synthetic()
    model = MarketingMixModel().fit(weekly, spend_cols=list(TRUE.index))
    return model, weekly, effects


def test_the_model_recovers_known_roi_and_parameters(fitted):
    model, weekly, effects = fitted
    true_roi = effects.sum() / weekly[list(TRUE.index)].sum()
    table = model.roi(weekly, n_resamples=100)
    # 1% noise, 104 weeks with many weeks off air: the ROI is well identified (10%), the decay
    # to 0.1 and the half-saturation to a factor of 1.6 (it trades off against beta and shape).
    np.testing.assert_allclose(table["roi"], true_roi, rtol=0.10)
    np.testing.assert_allclose(model.params_["decay"], TRUE["decay"], atol=0.1)
    ratio = model.params_["half_saturation"] / TRUE["half_saturation"]
    assert ratio.between(1 / 1.6, 1.6).all(), ratio
    assert list(model.params_.columns) == list(PARAM_COLUMNS)
    assert model.params_.index.name == "channel"
    assert model.r_squared_ > 0.9
    assert model.residual_sd_ == pytest.approx(1_000, rel=0.25)


def test_decompose_sums_to_fitted_and_matches_predict(fitted):
    model, weekly, effects = fitted
    parts = model.decompose(weekly)
    assert list(parts.columns) == ["baseline", *TRUE.index, "fitted"]
    np.testing.assert_allclose(parts.drop(columns="fitted").sum(axis=1), parts["fitted"])
    np.testing.assert_allclose(model.predict(weekly), parts["fitted"])
    assert (parts[list(TRUE.index)] >= 0).all().all()
    # the channels' weekly contributions follow the true ones (1% noise on sales)
    for c in TRUE.index:
        assert np.corrcoef(parts[c], effects[c])[0, 1] > 0.9
    np.testing.assert_allclose(weekly["sales"] - parts["fitted"].to_numpy(), model.residuals_)


def test_roi_table_is_consistent_and_reproducible(fitted):
    model, weekly, _ = fitted
    table = model.roi(weekly, n_resamples=100, random_state=3)
    assert list(table.columns) == ["spend", "contribution", "roi", "roi_low", "roi_high",
                                   "mroi", "mroi_low", "mroi_high"]
    np.testing.assert_allclose(table["spend"], weekly[list(TRUE.index)].sum())
    np.testing.assert_allclose(table["contribution"], table["roi"] * table["spend"])
    np.testing.assert_allclose(table["contribution"].sum(), model.response(weekly), rtol=1e-9)
    assert (table["roi_low"] < table["roi_high"]).all()
    assert (table["mroi_low"] < table["mroi_high"]).all()
    # concave or S-shaped curves at the usual spend: the next GBP returns less than the average
    assert (table["mroi"] < table["roi"] * 1.5).all()
    again = model.roi(weekly, n_resamples=100, random_state=3)
    pd.testing.assert_frame_equal(table, again)
    wider = model.roi(weekly, n_resamples=100, random_state=3, confidence_level=0.99)
    assert (wider["roi_high"] - wider["roi_low"] >= table["roi_high"] - table["roi_low"]).all()


def test_mroi_is_the_slope_of_the_response(fitted):
    model, weekly, _ = fitted
    table = model.roi(weekly, n_resamples=100)
    eps = 0.01
    for c in TRUE.index:
        slope = (model.response(weekly, {c: 1 + eps}) - model.response(weekly, {c: 1 - eps})) / (
            2 * eps * table.at[c, "spend"])
        assert table.at[c, "mroi"] == pytest.approx(slope, rel=1e-3)


def test_response_grows_with_spend_and_rejects_unknown_channels(fitted):
    model, weekly, _ = fitted
    base = model.response(weekly)
    assert model.response(weekly, {"tv": 1.2}) > base > model.response(weekly, {"tv": 0.8})
    assert model.response(weekly, {c: 0.0 for c in TRUE.index}) == 0.0
    with pytest.raises(ValueError, match="unknown channel"):
        model.response(weekly, {"radio": 1.1})
    with pytest.raises(ValueError, match="non-negative"):
        model.response(weekly, {"tv": -1.0})


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"confidence_level": 95}, "confidence_level"),
    ({"n_resamples": 10}, "n_resamples"),
])
def test_roi_rejects_bad_settings(fitted, kwargs, match):
    model, weekly, _ = fitted
    with pytest.raises(ValueError, match=match):
        model.roi(weekly, **kwargs)


def test_the_model_is_a_scikit_learn_estimator():
    weekly, _ = _synthetic()
    model = MarketingMixModel(n_fourier=2, shape_prior_sd=0.7)
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(NotFittedError):
        model.decompose(weekly)
    assert model.fit(weekly, spend_cols=list(TRUE.index)) is model
    assert len(model.baseline_coef_) == 2 + 2 * 2


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"n_fourier": -1}, "n_fourier"),
    ({"max_decay": 1.0}, "max_decay"),
    ({"shape_bounds": (2.0, 1.0)}, "shape_bounds"),
    ({"shape_prior_sd": 0.0}, "shape_prior_sd"),
    ({"block_length": 0}, "block_length"),
])
def test_bad_model_settings_are_rejected(kwargs, match):
    weekly, _ = _synthetic()
    with pytest.raises(ValueError, match=match):
        MarketingMixModel(**kwargs).fit(weekly, spend_cols=list(TRUE.index))


def test_too_few_weeks_are_rejected():
    weekly, _ = _synthetic(n_weeks=20)
    with pytest.raises(ValueError, match="too few"):
        MarketingMixModel().fit(weekly, spend_cols=list(TRUE.index))


def test_fit_names_the_bad_column():
    weekly, _ = _synthetic()
    with pytest.raises(ValueError, match="'tv'.*negative"):
        MarketingMixModel().fit(weekly.assign(tv=-weekly["tv"]), spend_cols=list(TRUE.index))
    with pytest.raises(ValueError, match="'social'.*zero spend"):
        MarketingMixModel().fit(weekly.assign(social=0.0), spend_cols=list(TRUE.index))


# --- the budget -------------------------------------------------------------------------------


@pytest.mark.parametrize("max_shift", [0.1, 0.3, 0.5])
def test_optimise_budget_keeps_the_total_and_the_bounds_and_never_loses(fitted, max_shift):
    model, weekly, _ = fitted
    plan = optimise_budget(model, weekly, max_shift=max_shift)
    assert list(plan.columns) == ["spend", "new_spend", "multiplier", "contribution",
                                  "new_contribution"]
    assert plan["new_spend"].sum() == pytest.approx(plan["spend"].sum(), rel=1e-6)
    assert plan["multiplier"].between(1 - max_shift - 1e-9, 1 + max_shift + 1e-9).all()
    np.testing.assert_allclose(plan["new_spend"], plan["spend"] * plan["multiplier"])
    assert plan["new_contribution"].sum() >= plan["contribution"].sum() * (1 - 1e-9)
    assert plan["contribution"].sum() == pytest.approx(model.response(weekly), rel=1e-9)
    assert plan["new_contribution"].sum() == pytest.approx(
        model.response(weekly, plan["multiplier"].to_dict()), rel=1e-9)


def test_optimise_budget_beats_a_grid_of_feasible_plans(fitted):
    model, weekly, _ = fitted
    plan = optimise_budget(model, weekly, max_shift=0.5)
    spend = plan["spend"].to_numpy()
    best = -np.inf
    grid = np.linspace(0.5, 1.5, 21)
    for a in grid:  # search and tv on a grid, social takes the rest of the budget
        for b in grid:
            c = (spend.sum() - a * spend[0] - b * spend[1]) / spend[2]
            if 0.5 <= c <= 1.5:
                plan_abc = dict(zip(TRUE.index, (a, b, c), strict=True))
                best = max(best, model.response(weekly, plan_abc))
    assert plan["new_contribution"].sum() >= best - 1e-6 * abs(best)


def test_optimise_budget_without_room_keeps_today(fitted):
    model, weekly, _ = fitted
    plan = optimise_budget(model, weekly, max_shift=0)
    np.testing.assert_allclose(plan["multiplier"], 1.0)


@pytest.mark.parametrize("max_shift", [-0.1, 1.0, 1.5, "0.5", True, float("nan")])
def test_optimise_budget_rejects_a_bad_max_shift(fitted, max_shift):
    model, weekly, _ = fitted
    with pytest.raises(ValueError, match="max_shift"):
        optimise_budget(model, weekly, max_shift=max_shift)


def test_optimise_budget_needs_a_fitted_model():
    weekly, _ = _synthetic()
    with pytest.raises(NotFittedError):
        optimise_budget(MarketingMixModel(), weekly)


def test_infinite_prior_sds_give_plain_least_squares():
    weekly, effects = _synthetic()
    plain = MarketingMixModel(half_saturation_prior_sd=float("inf"),
                              shape_prior_sd=float("inf")).fit(weekly, spend_cols=list(TRUE.index))
    # 1% noise and many weeks off air: without the penalty the ROI is still well identified
    true_roi = effects.sum() / weekly[list(TRUE.index)].sum()
    roi = plain.decompose(weekly)[list(TRUE.index)].sum() / weekly[list(TRUE.index)].sum()
    np.testing.assert_allclose(roi, true_roi, rtol=0.15)
    # the penalty can only cost fit: plain least squares has the smaller residual sum of squares
    penalised = MarketingMixModel().fit(weekly, spend_cols=list(TRUE.index))
    assert np.sum(plain.residuals_**2) <= np.sum(penalised.residuals_**2) * (1 + 1e-6)


def test_the_jacobian_is_the_derivative_of_the_residuals(fitted):
    model, _, _ = fitted
    problem = model._problem(model._fit_dates_, model._fit_spend_, model._fit_target_)
    problem.sigma = model.penalty_weight_
    for theta in (model.theta_, problem.linear_start(0.4, 1.0, 1.5)):
        analytic = problem.jacobian(theta)
        numeric = np.empty_like(analytic)
        for j in range(len(theta)):
            step = 1e-6 * max(1.0, abs(theta[j]))
            up, down = theta.copy(), theta.copy()
            up[j] += step
            down[j] -= step
            numeric[:, j] = (problem.residuals(up) - problem.residuals(down)) / (2 * step)
        np.testing.assert_allclose(analytic, numeric, rtol=1e-4, atol=1e-6)


def test_a_decay_of_almost_zero_stays_finite():
    # a decay of 1e-18 leaves subnormal adstock in the weeks after a flight: once a cause of
    # NaN in the Jacobian (0 * inf) and of a crash in the bootstrap
    weekly, _ = _synthetic()
    model = MarketingMixModel().fit(weekly, spend_cols=list(TRUE.index))
    problem = model._problem(model._fit_dates_, model._fit_spend_, model._fit_target_)
    theta = model.theta_.copy()
    theta[:3] = 1e-18
    assert np.isfinite(problem.jacobian(theta)).all()
    assert np.isfinite(problem.residuals(theta)).all()
