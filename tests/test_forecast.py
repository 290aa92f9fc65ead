"""Tests for helpers.forecast: hand-computed features and targets, MAPE and weighted MAPE."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.forecast import FEATURES, mape, spend_features, weighted_mape

COLS = {"customer_col": "id", "date_col": "date", "amount_col": "amount"}


@pytest.fixture
def tx() -> pd.DataFrame:
    rows = [
        (1, "2025-01-01 12:00", 10.0),
        (1, "2025-06-20 00:00", 30.0),
        (1, "2025-07-10 09:00", 25.0),  # target period
        (1, "2025-09-01 09:00", 99.0),  # after the 30-day horizon
        (2, "2025-03-01 00:00", 8.0),  # buys once, never again
        (3, "2025-07-02 00:00", 5.0),  # first order after the cutoff: not a feature row
    ]
    df = pd.DataFrame(rows, columns=["id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_spend_features_by_hand(tx: pd.DataFrame) -> None:
    f = spend_features(tx, **COLS, cutoff="2025-07-01", window_days=30, horizon_days=30)
    assert f.index.tolist() == [1, 2]
    assert list(f.columns) == [*FEATURES, "next_spend"]
    one = f.loc[1]
    # cutoff 2025-07-01 00:00; last order 2025-06-20 00:00 -> 11 days; first 2025-01-01 12:00
    # -> 181 days minus half a day
    assert one["recency_days"] == 11.0
    assert one["tenure_days"] == 180.5
    assert (one["orders_total"], one["spend_total"]) == (2.0, 40.0)
    # window 2025-06-01 .. 2025-06-30: the 20 June order
    assert (one["orders_recent"], one["spend_recent"]) == (1.0, 30.0)
    assert one["avg_order_value"] == 20.0
    assert one["next_spend"] == 25.0  # 10 July is inside the horizon, 1 September is not
    two = f.loc[2]
    assert (two["orders_recent"], two["spend_recent"], two["next_spend"]) == (0.0, 0.0, 0.0)
    assert two["recency_days"] == 122.0  # 1 March to 1 July


def test_spend_features_defaults_and_local_time(tx: pd.DataFrame) -> None:
    """The course's column names are the defaults; aware dates count in their local time."""
    orders = tx.rename(columns={"id": "customer_id", "date": "invoice_date",
                                "amount": "revenue"})
    expected = spend_features(tx, **COLS, cutoff="2025-07-01", window_days=30, horizon_days=30)
    by_default = spend_features(orders, cutoff="2025-07-01", window_days=30, horizon_days=30)
    pd.testing.assert_frame_equal(by_default, expected.rename_axis("customer_id"))
    aware = orders.assign(invoice_date=orders["invoice_date"].dt.tz_localize("Europe/Paris"))
    local = spend_features(aware, cutoff="2025-07-01", window_days=30, horizon_days=30)
    pd.testing.assert_frame_equal(local, by_default)


def test_spend_features_longer_horizon(tx: pd.DataFrame) -> None:
    f = spend_features(tx, **COLS, cutoff="2025-07-01", window_days=365, horizon_days=90)
    assert f.loc[1, "next_spend"] == 124.0
    assert f.loc[1, "orders_recent"] == 2.0


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda df: df.drop(columns="date"), {}, r"missing column\(s\) \['date'\]"),
        (lambda df: df.assign(date=df["date"].astype(str)), {}, "column 'date'.*datetimes"),
        (lambda df: df.assign(amount="ten"), {}, "column 'amount'.*numeric"),
        (lambda df: df.assign(amount=np.nan), {}, "column 'amount'.*missing amounts"),
        (lambda df: df.assign(id=None), {}, "column 'id'.*missing customer ids"),
        (lambda df: df.iloc[:0], {}, "transactions is empty"),
        (lambda df: df, {"cutoff": "2024-01-01"}, "no order in column 'date' before the cutoff"),
        (lambda df: df, {"cutoff": "2026-01-01"}, "no data in column 'date' on or after"),
        (lambda df: df, {"cutoff": "someday"}, "cutoff must be a date"),
        (lambda df: df, {"window_days": 0}, "window_days must be a whole number"),
        (lambda df: df, {"horizon_days": 1.5}, "horizon_days must be a whole number"),
    ],
)
def test_spend_features_rejects_bad_input(tx, change, kwargs, message) -> None:
    settings = {"cutoff": "2025-07-01", **kwargs}
    with pytest.raises(ValueError, match=message):
        spend_features(change(tx), **COLS, **settings)


def test_mape_by_hand() -> None:
    assert mape([100.0, 200.0], [110.0, 150.0]) == pytest.approx(0.175)
    # the zero actual is left out: (10/100 + 10/50) / 2
    assert mape([100.0, 50.0, 0.0], [90.0, 60.0, 5.0]) == pytest.approx(0.15)
    # over-forecasting a small spender costs far more than 100%
    assert mape([10.0], [40.0]) == pytest.approx(3.0)


def test_weighted_mape_by_hand() -> None:
    assert weighted_mape([100.0, 0.0], [80.0, 10.0]) == pytest.approx(0.3)
    assert weighted_mape([100.0, 50.0, 0.0], [90.0, 60.0, 5.0]) == pytest.approx(25 / 150)


def test_perfect_forecast_scores_zero() -> None:
    y = pd.Series([0.0, 5.0, 12.5])
    assert mape(y, y) == 0.0
    assert weighted_mape(y, y) == 0.0


@pytest.mark.parametrize("metric", [mape, weighted_mape])
@pytest.mark.parametrize(
    ("actual", "predicted", "message"),
    [
        ([], [], "actual is empty"),
        ([1.0, 2.0], [1.0], "same length, got 2 and 1"),
        ([1.0, np.nan], [1.0, 2.0], "actual has missing"),
        ([1.0, 2.0], [1.0, np.inf], "predicted has missing or infinite"),
        ([-1.0, 2.0], [1.0, 2.0], "actual has 1 negative"),
    ],
)
def test_metrics_reject_bad_input(metric, actual, predicted, message) -> None:
    with pytest.raises(ValueError, match=message):
        metric(actual, predicted)


def test_metrics_reject_all_zero_actuals() -> None:
    with pytest.raises(ValueError, match="MAPE is undefined when every actual is 0"):
        mape([0.0, 0.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="actual sums to 0"):
        weighted_mape([0.0, 0.0], [1.0, 2.0])
