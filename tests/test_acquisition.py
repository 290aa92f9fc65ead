"""Tests for helpers.acquisition: the cost table, first-year value and CLV/CAC by channel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.acquisition import (
    ACQUISITION_COST_GBP,
    ACQUISITION_COST_NOTES,
    clv_to_cac,
    new_customer_value,
)
from helpers.simulator.customer_types import ACQUISITION_CHANNELS

COLS = {"customer_col": "id", "date_col": "date", "amount_col": "amount"}


@pytest.fixture
def tx() -> pd.DataFrame:
    rows = [
        (1, "2024-01-01 10:00", 100.0),  # first order, day 0
        (1, "2024-07-01 18:00", 50.0),  # day 182
        (1, "2024-12-31 09:00", 20.0),  # day 365: outside the first 365 days (0..364)
        (2, "2025-06-01 12:00", 40.0),  # acquired late: not observed for a whole year
    ]
    df = pd.DataFrame(rows, columns=["id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_cost_table_covers_every_simulated_channel_with_a_reason() -> None:
    assert set(ACQUISITION_COST_GBP) == set(ACQUISITION_CHANNELS)
    assert set(ACQUISITION_COST_NOTES) == set(ACQUISITION_CHANNELS)
    assert all(cost > 0 for cost in ACQUISITION_COST_GBP.values())
    assert all(len(note) > 20 for note in ACQUISITION_COST_NOTES.values())


def test_new_customer_value_by_hand(tx: pd.DataFrame) -> None:
    out = new_customer_value(tx, **COLS, margin=0.5, annual_discount_rate=0.1)
    # customer 1: 0.5 x (100 + 50 / 1.1^(182 / 365.25)); the day-365 order is outside
    expected = 0.5 * (100 + 50 / 1.1 ** (182 / 365.25))
    assert out.loc[1, "value"] == pytest.approx(expected, rel=1e-12)
    assert out.loc[2, "value"] == pytest.approx(20.0)
    assert out.loc[1, "first_purchase"] == pd.Timestamp("2024-01-01")
    # data end 2025-06-01: customer 1 is complete, customer 2 is not
    assert out["complete"].tolist() == [True, False]


def test_new_customer_value_undiscounted_revenue_and_horizon(tx: pd.DataFrame) -> None:
    out = new_customer_value(tx, **COLS, horizon_days=366)
    assert out.loc[1, "value"] == 170.0  # 100 + 50 + 20, no margin, no discount
    short = new_customer_value(tx, **COLS, horizon_days=1)
    assert short["value"].tolist() == [100.0, 40.0]


def test_new_customer_value_complete_flag_follows_observation_end(tx: pd.DataFrame) -> None:
    # customer 2's first year runs 2025-06-01 .. 2026-05-31
    assert new_customer_value(tx, **COLS, observation_end="2026-05-31")["complete"].all()
    assert not new_customer_value(tx, **COLS, observation_end="2026-05-30").loc[2, "complete"]


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda df: df.drop(columns="amount"), {}, r"missing column\(s\) \['amount'\]"),
        (lambda df: df.assign(date=df["date"].astype(str)), {}, "column 'date'.*datetimes"),
        (lambda df: df.assign(amount=np.nan), {}, "column 'amount'.*missing amounts"),
        (lambda df: df.assign(id=None), {}, "column 'id'.*missing customer ids"),
        (lambda df: df.iloc[:0], {}, "transactions is empty"),
        (lambda df: df, {"horizon_days": 0}, "horizon_days must be a whole number"),
        (lambda df: df, {"margin": 30}, "margin must be a share"),
        (lambda df: df, {"annual_discount_rate": -0.1}, "annual_discount_rate must be in"),
    ],
)
def test_new_customer_value_rejects_bad_input(tx, change, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        new_customer_value(change(tx), **COLS, **kwargs)


def test_clv_to_cac_by_hand() -> None:
    df = pd.DataFrame({"channel": ["social", "social", "social", "referral"],
                       "value": [10.0, 20.0, 75.0, 100.0]})
    out = clv_to_cac(df, channel_col="channel", value_col="value")
    # order of the cost table: social before referral
    assert out.index.tolist() == ["social", "referral"]
    assert out["customers"].tolist() == [3, 1]
    assert out["value_per_customer"].tolist() == [35.0, 100.0]
    assert out["median_value"].tolist() == [20.0, 100.0]
    assert out["cac"].tolist() == [35.0, 25.0]
    assert out["clv_to_cac"].tolist() == [1.0, 4.0]
    assert out["profit_per_customer"].tolist() == [0.0, 75.0]


def test_default_columns_are_the_course_tables(tx: pd.DataFrame) -> None:
    """Orders as the course names them, and the CRM's acquisition channel, need no names."""
    orders = tx.rename(columns={"id": "customer_id", "date": "invoice_date",
                                "amount": "revenue"})
    pd.testing.assert_frame_equal(new_customer_value(orders).rename_axis("id"),
                                  new_customer_value(tx, **COLS))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['customer_id'"):
        new_customer_value(tx)
    crm = pd.DataFrame({"acquisition_channel": ["store", "store"], "value": [30.0, 50.0]})
    assert clv_to_cac(crm).loc["store", "clv_to_cac"] == 2.0


def test_clv_to_cac_on_the_simulated_customers(shop) -> None:
    customers = shop.customers.loc[shop.customers["acquisition_channel"] != "internal"]
    df = customers.assign(value=100.0)
    out = clv_to_cac(df)
    assert out["customers"].sum() == len(customers)
    assert out.index.tolist() == list(ACQUISITION_COST_GBP)
    np.testing.assert_allclose(out["clv_to_cac"], [100 / c for c in ACQUISITION_COST_GBP.values()])


@pytest.mark.parametrize(
    ("frame", "kwargs", "message"),
    [
        (pd.DataFrame({"channel": ["tv"], "value": [1.0]}), {},
         r"channel\(s\) \['tv'\] without an acquisition cost"),
        (pd.DataFrame({"channel": ["social"], "value": [np.nan]}), {},
         "column 'value' of customers has 1 missing"),
        (pd.DataFrame({"channel": ["social"], "value": ["x"]}), {}, "column 'value'.*numeric"),
        (pd.DataFrame({"channel": [None], "value": [1.0]}), {}, "column 'channel'.*missing"),
        (pd.DataFrame({"channel": ["social"]}), {}, r"missing column\(s\) \['value'\]"),
        (pd.DataFrame({"channel": ["social"], "value": [1.0]}), {"costs": {"social": 0.0}},
         "acquisition cost of 'social' must be positive"),
        (pd.DataFrame(columns=["channel", "value"]), {}, "customers is empty"),
    ],
)
def test_clv_to_cac_rejects_bad_input(frame, kwargs, message) -> None:
    with pytest.raises(ValueError, match=message):
        clv_to_cac(frame, channel_col="channel", value_col="value", **kwargs)


def test_display_names_cover_every_clv_to_cac_column() -> None:
    from helpers.acquisition import DISPLAY_NAMES

    df = pd.DataFrame({"channel": ["social"], "value": [10.0]})
    out = clv_to_cac(df, channel_col="channel", value_col="value")
    assert list(DISPLAY_NAMES) == out.columns.tolist()
    assert all("_" not in name for name in DISPLAY_NAMES.values())
