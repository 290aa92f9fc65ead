"""The simulated retailer: determinism, the generative story, the dirt rates, the answer key."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.constants import CAMPAIGN_DATE, N_CUSTOMER_TYPES, PERIOD_END, PERIOD_START
from helpers.simulator import CUSTOMER_TYPES, make_retailer
from helpers.simulator.dirt import DIRT_RATES


def test_same_seed_gives_identical_tables(small_shop):
    again = make_retailer(n_customers=400, seed=3)
    for name, frame in small_shop.tables().items():
        pd.testing.assert_frame_equal(frame, again.tables()[name], obj=name)
    pd.testing.assert_frame_equal(small_shop.truth, again.truth)


def test_another_seed_gives_other_data(small_shop):
    other = make_retailer(n_customers=400, seed=4)
    assert not small_shop.orders.equals(other.orders)


def test_sizes_and_keys(shop):
    assert len(shop.truth) == 5_000
    assert len(shop.customers) == 5_000 + len(shop.test_account_ids)
    assert shop.customers["customer_id"].is_unique
    assert shop.products["stock_code"].is_unique
    assert len(shop.line_truth) == len(shop.orders)
    assert set(shop.orders["stock_code"]) <= set(shop.products["stock_code"])


def test_types_follow_the_design(shop):
    truth = shop.truth
    assert truth["true_type"].nunique() == N_CUSTOMER_TYPES
    shares = truth["true_type_id"].value_counts(normalize=True).sort_index()
    expected = np.array([t.share for t in CUSTOMER_TYPES])
    np.testing.assert_allclose(shares.to_numpy(), expected, atol=0.03)
    # each type's mean purchase interval is recovered within 15 %
    mean_rate = truth.groupby("true_type_id")["purchase_rate_per_day"].mean()
    designed = np.array([1 / t.mean_days_between_purchases for t in CUSTOMER_TYPES])
    np.testing.assert_allclose(mean_rate.to_numpy(), designed, rtol=0.15)


def test_purchases_follow_buy_till_you_die(shop):
    """Dropped-out customers never buy again after their dropout date."""
    truth = shop.truth.set_index("customer_id")
    orders = shop.true_orders[~shop.true_orders["campaign_driven"]]
    last_t = orders.groupby("customer_id")["purchase_t"].max()
    died = truth["dropout_t"].dropna()
    np.testing.assert_allclose(last_t.reindex(died.index).to_numpy(), died.to_numpy())
    assert orders["timestamp"].between(PERIOD_START, PERIOD_END + pd.Timedelta(days=1)).all()


def test_dirt_rates_match_the_documentation(shop):
    kinds = shop.line_truth.value_counts()
    customer_lines = kinds.drop(["guest", "test_account", "cancellation", "duplicate"]).sum()
    assert kinds["duplicate"] / customer_lines == pytest.approx(DIRT_RATES["duplicate"], rel=0.2)
    assert kinds["price_x100"] / customer_lines == pytest.approx(DIRT_RATES["price_x100"],
                                                                 rel=0.25)
    assert kinds["returned"] == kinds["cancellation"]
    assert 0.01 < kinds["returned"] / customer_lines < 0.03
    assert shop.truth["impossible_age"].mean() == pytest.approx(
        DIRT_RATES["impossible_age"], abs=0.006)
    variants = ~shop.orders["channel"].isin(["online", "store"])
    assert variants.mean() == pytest.approx(DIRT_RATES["label_variant"], abs=0.02)


def test_campaign_is_randomised_and_consented(shop):
    camp = shop.campaign
    assert camp["variant"].value_counts().max() - camp["variant"].value_counts().min() <= 1
    truth = shop.truth[shop.truth["in_campaign"]]
    # randomisation balances what the analyst cannot see: the true types
    balance = pd.crosstab(truth["true_type"], truth["treated"], normalize="columns")
    assert (balance[True] - balance[False]).abs().max() < 0.04
    assert (truth["true_uplift"] >= 0).all()
    holdout = camp["variant"] == "holdout"
    assert camp.loc[holdout, ["sent_at", "opened_at", "clicked_at"]].isna().all().all()
    emails = set(shop.customers.loc[shop.customers["email_consent"] == 1, "email"].str.lower())
    assert set(camp["email"]) <= emails


def test_campaign_effect_is_positive_and_differs_by_type(shop):
    truth = shop.truth[shop.truth["in_campaign"] & shop.truth["alive_at_campaign"]]
    by_type = truth.groupby("true_type")["true_uplift"].mean()
    assert by_type.max() > 3 * by_type.min() > 0
    camp = shop.campaign
    conversion = camp.groupby("variant")["converted_30d"].mean()
    assert conversion["email"] > conversion["holdout"]


def test_status_at_is_coherent(shop):
    status = shop.status_at(CAMPAIGN_DATE, horizon_days=90)
    acquired = status[status["acquired"]]
    assert acquired["p_alive"].between(0, 1).all()
    # a customer with no repeat purchase is alive for sure in BG/NBD
    assert (acquired.loc[~acquired["alive"], "p_alive"] < 1).all()
    # p_alive discriminates the truly alive from the dropped out
    assert acquired.groupby("alive")["p_alive"].mean().diff().iloc[-1] > 0.3
    # expected purchases match what actually happened in the next 90 days (within 10 %)
    orders = shop.true_orders[~shop.true_orders["campaign_driven"]]
    window = orders["timestamp"].between(CAMPAIGN_DATE, CAMPAIGN_DATE + pd.Timedelta(days=90),
                                         inclusive="left")
    actual = window.sum()
    assert acquired["expected_purchases"].sum() == pytest.approx(actual, rel=0.1)


def test_expected_order_value_matches_realised_spend(shop):
    orders = shop.true_orders[~shop.true_orders["campaign_driven"]]
    realised = orders.groupby("customer_id")["value"].mean()
    expected = shop.truth.set_index("customer_id")["expected_order_value"]
    frequent = orders.groupby("customer_id").size() >= 10
    ratio = realised[frequent] / expected.reindex(realised[frequent].index)
    assert ratio.median() == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("bad", [0, 10, -5, 2.5, "100"])
def test_bad_size_is_rejected(bad):
    with pytest.raises(ValueError, match="n_customers"):
        make_retailer(n_customers=bad)


@pytest.mark.parametrize("bad", [-1, None, 1.5, "42"])
def test_bad_seed_is_rejected(bad):
    """A seed of None would draw a different retailer on every call."""
    with pytest.raises(ValueError, match="seed"):
        make_retailer(n_customers=60, seed=bad)


def test_data_readme_counts_match_the_default_data(shop):
    """The dirt table in data/README.md states the counts of the default data."""
    import re

    from helpers.constants import REPO_ROOT

    text = (REPO_ROOT / "data" / "README.md").read_text()
    rows = {
        "exact duplicate lines": shop.line_truth.eq("duplicate").sum(),
        "returns": shop.line_truth.eq("returned").sum(),
        "guest orders": shop.line_truth.eq("guest").sum(),
        "price x 100": shop.line_truth.eq("price_x100").sum(),
        "price 0": shop.line_truth.eq("price_zero").sum(),
        "bulk quantities (real, extreme)": shop.line_truth.eq("bulk_quantity").sum(),
        "impossible ages": shop.truth["impossible_age"].sum(),
        "internal test accounts": shop.line_truth.eq("test_account").sum(),
    }
    for label, count in rows.items():
        line = next(line for line in text.splitlines() if line.startswith(f"| {label} |"))
        stated = int(re.search(r"\| ([\d,]+) \w+ \|$", line).group(1).replace(",", ""))
        assert stated == count, f"data/README.md says {stated} for {label}, data has {count}"


def test_test_account_ids_never_collide_with_customer_ids():
    """A retailer whose customer ids reach 99001 moves its test accounts above them."""
    from helpers.simulator.behaviour import FIRST_CUSTOMER_ID
    from helpers.simulator.retailer import FIRST_TEST_ACCOUNT_ID, _test_account_ids

    class Population:  # only what _test_account_ids reads
        def __init__(self, n):
            self.customer_id = np.arange(FIRST_CUSTOMER_ID, FIRST_CUSTOMER_ID + n)

    class World:
        def __init__(self, n):
            self.population = Population(n)

    assert _test_account_ids(World(5_000))[0] == FIRST_TEST_ACCOUNT_ID  # the default data
    for n in (89_000, 89_001, 100_000, 1_000_000):
        ids = _test_account_ids(World(n))
        assert ids.min() > FIRST_CUSTOMER_ID + n - 1, n
        assert len(set(ids)) == len(ids)
