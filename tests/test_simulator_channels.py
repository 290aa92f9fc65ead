"""The channel world of notebook 10: weekly spend and sales, the answer key, the GA4 journeys."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import schema
from helpers.constants import MEDIA_CHANNELS, PERIOD_START
from helpers.simulator import ChannelTruth, ChannelWorld, make_channels
from helpers.simulator.channels import TRUE_PARAMS, adstock, baseline_sales, hill
from helpers.simulator.journeys import JOURNEY_DAYS
from helpers.sources import file_checksum, write_channels

SEEDS = (42, 3, 9)

#: SHA-256 of the three channel exports of seed 42 (hashed like the retailer's raw files).
PINNED_SHA256 = {
    "spend": "51651fbc80c99731132fa2de06ea22c3f3ec1feeea7fe98bb18d57e356afe6ab",
    "sales": "75f7b48f50b5a390c3711db385782b5085f0e3f81b63d91cd8f85049e563678b",
    "sessions": "1f00061617fb4ae232f1d41c681978957a4dfcd11bd4934add32757c073830bc",
}


@pytest.fixture(scope="module", params=SEEDS)
def world(request) -> ChannelWorld:
    return make_channels(seed=request.param)


@pytest.fixture(scope="module")
def world42() -> ChannelWorld:
    return make_channels(seed=42)


def wide(spend: pd.DataFrame) -> pd.DataFrame:
    return spend.pivot(index="week_start", columns="channel", values="spend")[list(MEDIA_CHANNELS)]


# --- the true transforms ------------------------------------------------------------------
def test_adstock_of_a_single_pulse_decays_geometrically():
    out = adstock(np.array([100.0, 0.0, 0.0, 0.0]), 0.6)
    np.testing.assert_allclose(out, [100.0, 60.0, 36.0, 21.6])


def test_hill_is_half_at_the_half_saturation_point_and_bounded():
    assert hill(np.array([5000.0]), 5000.0, 2.0)[0] == pytest.approx(0.5)
    values = hill(np.array([0.0, 1.0, 1e9]), 5000.0, 2.0)
    assert values[0] == 0.0 and 0 < values[1] < 1e-6 and values[2] == pytest.approx(1.0)


# --- the weekly tables --------------------------------------------------------------------
def test_the_weekly_tables_have_the_shared_layout(world42):
    spend, sales = world42.spend, world42.sales
    assert spend.columns.tolist() == ["week_start", "channel", "spend", "impressions", "clicks"]
    assert sales.columns.tolist() == ["week_start", "sales", "new_customers"]
    assert len(sales) == 104 and len(spend) == 104 * 5
    assert sales["week_start"].iloc[0] == PERIOD_START
    assert (sales["week_start"].dt.day_of_week == 0).all()
    assert (sales["week_start"].diff().dropna() == pd.Timedelta(days=7)).all()
    assert set(spend["channel"]) == set(MEDIA_CHANNELS)
    assert (spend[["spend", "impressions", "clicks"]] >= 0).all().all()
    assert (spend.loc[spend["channel"] == "tv", "clicks"] == 0).all()
    # no spend, no impressions
    assert (spend.loc[spend["spend"] == 0, "impressions"] == 0).all()


def test_mean_spend_and_new_customers_are_at_the_planned_levels(world):
    means = wide(world.spend).mean()
    planned = {"paid_search": 7000, "social": 5000, "display": 6000, "email": 1200, "tv": 9000}
    for channel, level in planned.items():
        assert means[channel] == pytest.approx(level, rel=1e-3)  # rounding to pence only
    assert 80 < world.sales["new_customers"].mean() < 130


def test_every_channel_varies_and_has_weeks_near_zero(world):
    spend = wide(world.spend)
    # week-to-week variation, and weeks off air (paid search: its go-dark tests)
    assert ((spend.std() / spend.mean()) > 0.3).all()
    assert ((spend == 0).sum() >= 4).all()


def test_channels_spend_is_not_collinear(world):
    corr = wide(world.spend).corr().to_numpy()
    off_diagonal = corr[~np.eye(len(corr), dtype=bool)]
    assert np.abs(off_diagonal).max() < 0.4


def test_each_channel_has_a_measurable_share_of_sales(world):
    share = world.truth.contributions["share"]
    assert share.between(0.03, 0.12).all(), share.to_dict()
    assert 0.25 <= share.sum() <= 0.40


def test_sales_are_baseline_plus_contributions_plus_two_percent_noise(world):
    truth = world.truth
    expected = truth.baseline + truth.weekly_contributions().sum(axis=1)
    residual = (world.sales.set_index("week_start")["sales"] - expected) / truth.baseline
    assert abs(residual.mean()) < 0.01
    assert 0.012 < residual.std() < 0.028


def test_the_baseline_grows_and_peaks_in_november_or_december():
    base = baseline_sales(pd.date_range(PERIOD_START, periods=104, freq="7D"))
    assert base.iloc[:52].mean() == pytest.approx(100_000 * 1.04, rel=0.05)
    assert base.iloc[52:].mean() > base.iloc[:52].mean()
    assert base.iloc[:52].idxmax().month in (11, 12)


# --- the answer key -----------------------------------------------------------------------
def test_contributions_add_up_and_roi_is_contribution_per_pound(world42):
    truth = world42.truth
    table = truth.contributions
    np.testing.assert_allclose(table["contribution"], truth.weekly_contributions().sum(),
                               rtol=1e-12)
    assert truth.response() == pytest.approx(table["contribution"].sum(), rel=1e-12)
    np.testing.assert_allclose(table["roi"], table["contribution"] / table["spend"])
    np.testing.assert_allclose(table["spend"], wide(world42.spend).sum())
    assert table["incremental_customers"].sum() < world42.sales["new_customers"].sum()


def test_true_rois_are_near_the_design_values(world):
    roi = world.truth.contributions["roi"]
    design = {"paid_search": 2.4, "social": 1.8, "display": 0.9, "email": 6.0, "tv": 1.5}
    for channel, value in design.items():
        assert roi[channel] == pytest.approx(value, rel=0.1)


def test_marginal_roi_is_the_derivative_of_the_response(world42):
    """Against the analytic derivative d/dm sum_t beta hill(m A_t) at m = 1, per GBP."""
    truth = world42.truth
    spend = wide(world42.spend)
    for channel, p in TRUE_PARAMS.iterrows():
        a = adstock(spend[channel].to_numpy(), p["decay"])
        k, s = p["half_saturation"], p["shape"]
        slope = s * a ** (s - 1) * k**s / (a**s + k**s) ** 2
        analytic = p["beta"] * (a * slope).sum() / spend[channel].sum()
        assert truth.contributions.at[channel, "mroi"] == pytest.approx(analytic, rel=1e-6)
    # current spend sits on the curve's bend: marginal ROI below average ROI, not near 0
    ratio = truth.contributions["mroi"] / truth.contributions["roi"]
    assert ratio.between(0.3, 0.95).all()


def test_response_and_gain_of_multipliers(world42):
    truth = world42.truth
    assert truth.gain({}) == 0.0
    assert truth.response({"tv": 1.0}) == truth.response()
    assert truth.gain({"email": 1.1}) > 0  # more spend, more (diminishing) sales
    assert truth.gain({"email": 0.0}) == pytest.approx(
        -truth.contributions.at["email", "contribution"])
    with pytest.raises(ValueError, match="unknown channel"):
        truth.response({"radio": 1.0})


@pytest.mark.parametrize("bad", [-0.1, 1.0, 1.5, "half", True, float("nan")])
def test_max_shift_must_be_a_share_below_one(world42, bad):
    with pytest.raises(ValueError, match="max_shift"):
        world42.truth.best_reallocation(max_shift=bad)


def test_no_shift_keeps_the_budget(world42):
    plan = world42.truth.best_reallocation(max_shift=0.0)
    np.testing.assert_allclose(plan["multiplier"], 1.0)


def test_best_reallocation_keeps_the_budget_and_bounds_and_gains(world):
    truth = world.truth
    plan = truth.best_reallocation(max_shift=0.5)
    assert plan.columns.tolist() == ["spend", "new_spend", "multiplier", "contribution",
                                     "new_contribution"]
    assert plan["new_spend"].sum() == pytest.approx(plan["spend"].sum(), rel=1e-9)
    assert plan["multiplier"].between(0.5 - 1e-9, 1.5 + 1e-9).all()
    gain = truth.gain(plan["multiplier"])
    assert gain == pytest.approx(plan["new_contribution"].sum() - plan["contribution"].sum())
    # reallocating gains a few per cent of the media contribution
    assert 0.01 < gain / truth.response() < 0.15


def test_best_reallocation_beats_random_feasible_plans(world42):
    truth = world42.truth
    plan = truth.best_reallocation(max_shift=0.5)
    best = truth.response(plan["multiplier"])
    budget = plan["spend"].to_numpy()
    rng = np.random.default_rng(0)
    for _ in range(300):
        m = rng.uniform(0.5, 1.5, len(budget))
        m = 1 + (m - 1) - (budget @ (m - 1)) / budget.sum()  # back onto the budget
        if np.all((m >= 0.5) & (m <= 1.5)):
            assert truth.response(dict(zip(plan.index, m, strict=True))) <= best + 1e-6 * best


def test_best_reallocation_matches_a_fine_grid_on_two_channels(world42):
    """Two channels leave one free multiplier: a grid of 20,001 points finds the optimum."""
    spend = wide(world42.spend)[["social", "tv"]]
    truth = ChannelTruth(params=TRUE_PARAMS.loc[["social", "tv"]], spend=spend)
    plan = truth.best_reallocation(max_shift=0.4)
    s1, s2 = spend.sum()
    m1 = np.linspace(0.6, 1.4, 20_001)
    m2 = 1 + (s1 / s2) * (1 - m1)
    ok = (m2 >= 0.6) & (m2 <= 1.4)
    values = [truth.response({"social": a, "tv": b}) for a, b in zip(m1[ok], m2[ok], strict=True)]
    best = int(np.argmax(values))
    assert truth.response(plan["multiplier"]) >= values[best] - 1e-6 * abs(values[best])
    assert plan.at["social", "multiplier"] == pytest.approx(m1[ok][best], abs=1e-3)


def test_best_reallocation_equalises_marginal_returns_inside_the_bounds(world42):
    truth = world42.truth
    plan = truth.best_reallocation(max_shift=0.9)
    inside = plan.index[(plan["multiplier"] > 0.1 + 1e-4) & (plan["multiplier"] < 1.9 - 1e-4)]
    eps = 1e-5
    marginal = []
    for channel in inside:
        m = plan["multiplier"].to_dict()
        up, down = dict(m, **{channel: m[channel] + eps}), dict(m, **{channel: m[channel] - eps})
        spend = plan.at[channel, "spend"]
        marginal.append((truth.response(up) - truth.response(down)) / (2 * eps * spend))
    if len(marginal) >= 2:
        assert max(marginal) == pytest.approx(min(marginal), rel=1e-3)


# --- seed and reproducibility -------------------------------------------------------------
@pytest.mark.parametrize("bad", [-1, 1.5, "42", None])
def test_the_seed_must_be_a_non_negative_integer(bad):
    with pytest.raises(ValueError, match="seed"):
        make_channels(seed=bad)


def test_the_same_seed_gives_the_same_world_and_another_seed_another(world42):
    again = make_channels(seed=42)
    for name, table in world42.tables().items():
        pd.testing.assert_frame_equal(table, again.tables()[name])
    other = make_channels(seed=43)
    assert not other.spend["spend"].equals(world42.spend["spend"])
    pd.testing.assert_frame_equal(other.truth.params, world42.truth.params)


def test_the_exports_of_seed_42_are_pinned(world42, tmp_path):
    paths = write_channels(world42, tmp_path)
    assert {name: file_checksum(path) for name, path in paths.items()} == PINNED_SHA256
    assert paths["sessions"].stat().st_size < 15e6


# --- journeys and the sessions export -----------------------------------------------------
SOURCE_MEDIUM = {
    ("google", "cpc"), ("bing", "cpc"), ("facebook", "paid_social"),
    ("instagram", "paid_social"), ("gdn", "display"), ("criteo", "display"),
    ("newsletter", "email"), ("tv", "offline"), ("google", "organic"), ("(direct)", "(none)"),
    ("(offline)", "store"),
}


def test_the_sessions_export_has_the_ga4_layout(world42):
    sessions = world42.sessions
    assert sessions.columns.tolist() == ["user_id", "session_start", "source", "medium",
                                         "campaign", "converted"]
    assert str(sessions["session_start"].dtype) == "datetime64[s]"
    assert sessions["user_id"].str.fullmatch(r"\d{10}\.\d{10}").all()
    assert set(zip(sessions["source"], sessions["medium"], strict=True)) <= SOURCE_MEDIUM
    assert sessions["session_start"].is_monotonic_increasing
    assert sessions["session_start"].min() >= PERIOD_START
    assert set(sessions["converted"].unique()) == {0, 1}
    assert "cause" not in sessions.columns


def test_every_new_customer_converts_once_in_the_export(world):
    sessions, truth = world.sessions, world.truth
    conversions = sessions.groupby("user_id")["converted"].sum()
    assert conversions.max() == 1
    assert conversions.sum() == world.sales["new_customers"].sum()
    converters = truth.converters
    assert set(converters["user_id"]) == set(conversions.index[conversions == 1])
    by_cause = converters["cause"].value_counts()
    assert by_cause.to_dict() == truth.customers_by_cause.sum().astype(int)[lambda s: s > 0
                                                                              ].to_dict()
    # 3-4 non-converting users per converter
    assert 3.0 < (conversions == 0).sum() / (conversions == 1).sum() < 4.0


def test_journeys_are_one_to_six_sessions_within_thirty_days_before_the_purchase(world42):
    sessions = world42.sessions
    per_user = sessions.groupby("user_id").size()
    assert per_user.between(1, 6).all()
    assert 2.0 < per_user.mean() < 3.0
    bought = world42.truth.converters.set_index("user_id")["purchase_time"]
    joined = sessions.join(bought, on="user_id", how="inner")
    lead = joined["purchase_time"] - joined["session_start"]
    assert (lead >= pd.Timedelta(0)).all()
    assert (lead <= pd.Timedelta(days=JOURNEY_DAYS)).all()
    # the converting session is the purchase itself
    last = joined[joined["converted"] == 1]
    assert (last["session_start"] == last["purchase_time"]).all()


def test_about_a_tenth_of_new_customers_buy_in_a_store(world42):
    converters = world42.truth.converters
    assert 0.07 < converters["store"].mean() < 0.13
    bought = world42.sessions[world42.sessions["converted"] == 1]
    in_store = bought["medium"] == "store"
    assert in_store.sum() == converters["store"].sum()


def test_the_cause_is_seen_with_channel_dependent_probability(world42):
    seen = world42.truth.converters.groupby("cause")["cause_visible"].mean()
    assert seen["paid_search"] > 0.7 and seen["email"] > 0.7
    assert seen["display"] < 0.3 and seen["tv"] < 0.15


def test_last_touch_over_credits_paid_search_and_direct(world42):
    sessions = world42.sessions
    last = sessions[sessions["converted"] == 1]
    true_share = world42.truth.converters["cause"].value_counts(normalize=True)
    paid_search_last = (last["medium"] == "cpc").mean()
    assert paid_search_last > 1.3 * true_share["paid_search"]
    assert (last["source"] == "(direct)").mean() > 0.15
    tv_last = (last["medium"] == "offline").mean()
    assert tv_last < 0.5 * true_share["tv"]


def test_the_exports_match_the_schema_and_its_descriptions(world42):
    for name, table in world42.tables().items():
        dtypes = schema.CHANNEL_DTYPES[name]
        assert table.columns.tolist() == list(dtypes)
        assert set(schema.CHANNEL_DESCRIPTIONS[name]) == set(dtypes)
        for column, dtype in dtypes.items():
            assert table[column].dtype == pd.api.types.pandas_dtype(dtype), (name, column)
