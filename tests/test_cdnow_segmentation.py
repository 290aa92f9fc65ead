"""RFM on the real CDNOW master file: numbers checked against the raw records, not the code.

CDNOW has no order number; as in Fader and Hardie's analyses, a customer's records on one day
are one purchase, which is what ``rfm_table`` does without ``order_col``. The as-of date is
1 July 1998, the day after the last record. Notebook 03 runs the same steps with
``DATASET = "cdnow"``.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from helpers.cdnow import load_cdnow
from helpers.rfm import rfm_scores, rfm_segments, rfm_sql, rfm_table

AS_OF = pd.Timestamp("1998-07-01")
COLS = {"customer_col": "customer_id", "date_col": "date", "amount_col": "amount"}
N_CUSTOMERS = 23_570


@pytest.fixture(scope="module")
def master() -> pd.DataFrame:
    return load_cdnow("master")


@pytest.fixture(scope="module")
def rfm(master: pd.DataFrame) -> pd.DataFrame:
    return rfm_table(master, **COLS, as_of=AS_OF)


@pytest.fixture(scope="module")
def scores(rfm: pd.DataFrame) -> pd.DataFrame:
    return rfm_scores(rfm)


def test_one_row_per_customer_and_the_money_adds_up(master, rfm):
    assert len(rfm) == N_CUSTOMERS
    assert rfm.index.tolist() == list(range(1, N_CUSTOMERS + 1))
    # Every dollar of the file is in exactly one customer's monetary value.
    assert rfm["monetary"].sum() == pytest.approx(master["amount"].sum(), abs=1e-6)
    assert round(rfm["monetary"].sum(), 2) == 2_500_315.63
    per_customer = master.groupby("customer_id")["amount"].sum()
    np.testing.assert_allclose(rfm["monetary"], per_customer, rtol=0, atol=1e-9)
    # 80 records are free items ($0): a customer can have monetary 0 but is still a buyer.
    assert (rfm["monetary"] >= 0).all()


def test_frequency_counts_purchase_days(master, rfm):
    days = master.drop_duplicates(["customer_id", "date"]).groupby("customer_id").size()
    assert (rfm["frequency"] == days).all()
    assert rfm["frequency"].sum() == 67_591  # 69,659 records, 2,068 of them same-day extras
    counts = rfm["frequency"].value_counts()
    # Half the cohort never came back; a long tail of collectors bought up to 171 times.
    assert (counts[1], counts[2], counts[3]) == (12_054, 4_040, 2_205)
    assert rfm["frequency"].min() == 1
    assert rfm["frequency"].max() == 171
    assert rfm["frequency"].median() == 1


def test_recency_in_calendar_days(master, rfm):
    last = master.groupby("customer_id")["date"].max()
    assert (rfm["recency"] == (AS_OF - last).dt.days).all()
    # Someone bought on 30 June 1998 (recency 1); the oldest last purchase is 1 Jan 1997.
    assert (rfm["recency"].min(), rfm["recency"].max()) == (1, 546)
    # One-time buyers made their only purchase in Q1 1997 (by 25 March): at least 463 days.
    assert rfm.loc[rfm["frequency"] == 1, "recency"].min() == 463


def test_day_order_ids_and_default_as_of_give_the_same_table(master, rfm):
    by_day = master.assign(order_id=master["date"].dt.strftime("%Y%m%d"))
    pd.testing.assert_frame_equal(rfm_table(by_day, **COLS, order_col="order_id", as_of=AS_OF),
                                  rfm)
    pd.testing.assert_frame_equal(rfm_table(master, **COLS), rfm)


def test_earlier_as_of_sees_only_earlier_records(master):
    half = rfm_table(master, **COLS, as_of="1998-01-01")
    before = master[master["date"] < "1998-01-01"]
    assert len(half) == N_CUSTOMERS  # the whole cohort had bought by 25 March 1997
    assert half["monetary"].sum() == pytest.approx(before["amount"].sum(), abs=1e-6)
    assert half["recency"].min() == 1 and half["recency"].max() == 365


def test_quintile_scores_and_ties(rfm, scores):
    for column in "RFM":
        assert scores[column].value_counts().tolist() == [4_714] * 5  # 23,570 / 5 exactly
    # 12,054 one-time buyers fill F = 1 and F = 2 and spill into F = 3 (ties broken by id).
    once = rfm["frequency"] == 1
    assert scores.loc[once, "F"].value_counts().sort_index().tolist() == [4_714, 4_714, 2_626]
    assert (scores.loc[~once, "F"] >= 3).all()
    # Higher scores mean more recent, more orders, more money.
    medians = rfm.join(scores).groupby("R")["recency"].median()
    assert medians.is_monotonic_decreasing
    assert rfm.join(scores).groupby("M")["monetary"].min().is_monotonic_increasing


def test_segments_on_cdnow(rfm, scores):
    segments = rfm_segments(scores)
    sizes = segments.value_counts()
    assert sizes.to_dict() == {
        "Loyal": 5_166,
        "Champions": 4_453,
        "Lost": 3_992,
        "Hibernating": 2_964,
        "At Risk": 2_430,
        "Need Attention": 1_920,
        "About to Sleep": 1_577,
        "Potential Loyalist": 1_026,
        "Can't Lose Them": 42,
        "New": 0,
        "Promising": 0,
    }
    # New and Promising need FM = 1 with R >= 4. Everyone with R >= 4 bought in the last
    # 433 days, i.e. came back after the Q1 1997 first purchase, so has F >= 3 and FM >= 2.
    assert rfm.loc[scores["R"] >= 4, "frequency"].min() >= 2
    revenue = rfm["monetary"].groupby(segments, observed=False).sum() / rfm["monetary"].sum()
    assert revenue["Champions"] == pytest.approx(0.530, abs=5e-4)
    assert revenue[["Champions", "Loyal"]].sum() == pytest.approx(0.821, abs=5e-4)
    assert revenue.sum() == pytest.approx(1.0)


def test_pareto_share_of_the_top_fifth(rfm):
    ranked = rfm["monetary"].sort_values(ascending=False).to_numpy()
    top = ranked[: round(0.2 * len(ranked))].sum() / ranked.sum()
    assert top == pytest.approx(0.678, abs=5e-4)


def test_sql_gives_the_same_numbers_on_cdnow(master, rfm):
    con = sqlite3.connect(":memory:")
    try:
        master.assign(date=master["date"].dt.strftime("%Y-%m-%d")).to_sql(
            "cdnow", con, index=False)
        got = pd.read_sql_query(rfm_sql("cdnow", **COLS, as_of=AS_OF), con)
    finally:
        con.close()
    got = got.set_index("customer_id")
    assert got.index.equals(rfm.index)
    assert (got["recency"] == rfm["recency"]).all()
    assert (got["frequency"] == rfm["frequency"]).all()
    np.testing.assert_allclose(got["monetary"], rfm["monetary"], rtol=0, atol=1e-6)
