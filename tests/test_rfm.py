"""Tests for helpers.rfm: hand-computed RFM values, scores, segments and the SQLite twin."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest

from helpers.rfm import (
    SEGMENT_ACTIONS,
    SEGMENT_RULES,
    rfm_scores,
    rfm_segments,
    rfm_sql,
    rfm_table,
    segment_backtest,
)

COLS = {"customer_col": "customer_id", "date_col": "invoice_date", "amount_col": "revenue"}


@pytest.fixture
def three_customers() -> pd.DataFrame:
    """Three customers whose RFM values are worked out by hand in the tests below."""
    rows = [
        # customer 1: two orders on 1 Dec, one on 20 Dec, a return on 22 Dec
        (1, "2025-12-01 10:00", 100, 30.0),
        (1, "2025-12-01 15:00", 101, 20.0),
        (1, "2025-12-20 09:00", 102, 50.0),
        (1, "2025-12-22 11:00", 103, -10.0),
        # customer 2: one order of two lines on 2 Nov
        (2, "2025-11-02 12:00", 200, 5.0),
        (2, "2025-11-02 12:00", 200, 2.5),
        # customer 3: two orders on the last day of data, one a minute before midnight
        (3, "2025-12-31 08:00", 300, 1.0),
        (3, "2025-12-31 23:59", 301, 100.0),
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "invoice_date", "invoice_no", "revenue"])
    df["invoice_date"] = pd.to_datetime(df["invoice_date"])
    return df


def test_rfm_table_hand_computed_with_orders(three_customers):
    rfm = rfm_table(three_customers, **COLS, order_col="invoice_no")
    # default as_of = 2026-01-01. Customer 1: last purchase 20 Dec (the return on 22 Dec
    # does not count) -> 12 days; orders 100, 101, 102; 30 + 20 + 50 - 10 = 90.
    # Customer 2: 2 Nov -> 1 Jan is 29 + 31 = 60 days; one order; 7.5.
    # Customer 3: 31 Dec -> 1 day; two orders; 101.
    assert rfm.index.name == "customer_id"
    assert rfm.index.tolist() == [1, 2, 3]
    assert rfm["recency"].tolist() == [12, 60, 1]
    assert rfm["frequency"].tolist() == [3, 1, 2]
    assert rfm["monetary"].tolist() == [90.0, 7.5, 101.0]
    assert rfm["recency"].dtype == np.int64 and rfm["frequency"].dtype == np.int64


def test_rfm_table_counts_purchase_days_without_order_column(three_customers):
    rfm = rfm_table(three_customers, **COLS)
    # Customer 1 bought on 1 Dec (twice) and 20 Dec: 2 days; customer 3 on one day.
    assert rfm["frequency"].tolist() == [2, 1, 1]
    assert rfm["recency"].tolist() == [12, 60, 1]


def test_rfm_table_as_of_ignores_later_transactions(three_customers):
    rfm = rfm_table(three_customers, **COLS, order_col="invoice_no", as_of="2025-12-21")
    # On the morning of 21 Dec the return (22 Dec) and customer 3 (31 Dec) are in the future.
    assert rfm.index.tolist() == [1, 2]
    assert rfm["recency"].tolist() == [1, 49]  # 20 -> 21 Dec; 2 Nov -> 21 Dec = 29 + 20
    assert rfm["frequency"].tolist() == [3, 1]
    assert rfm["monetary"].tolist() == [100.0, 7.5]


def test_rfm_table_as_of_is_a_day_at_midnight(three_customers):
    # 31 Dec 23:00 is read as 31 Dec 00:00, so both of customer 3's orders are excluded.
    rfm = rfm_table(three_customers, **COLS, as_of=pd.Timestamp("2025-12-31 23:00"))
    assert 3 not in rfm.index
    assert rfm.loc[1, "recency"] == 11


def test_rfm_table_string_customer_ids_are_sorted():
    df = pd.DataFrame(
        {
            "customer_id": ["b", "a", "b"],
            "invoice_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
            "revenue": [1.0, 2.0, 3.0],
        }
    )
    rfm = rfm_table(df, **COLS)
    assert rfm.index.tolist() == ["a", "b"]
    assert rfm["monetary"].tolist() == [2.0, 4.0]
    assert rfm["recency"].tolist() == [2, 1]


def test_negative_raise_policy_rejects_returns(three_customers):
    with pytest.raises(ValueError, match=r"column 'revenue'.*1 negative value"):
        rfm_table(three_customers, **COLS, negative="raise")


def test_negative_net_spend_names_the_customer(three_customers):
    df = pd.concat(
        [
            three_customers,
            pd.DataFrame(
                {
                    "customer_id": [4, 4],
                    "invoice_date": pd.to_datetime(["2025-12-02", "2025-12-03"]),
                    "invoice_no": [400, 401],
                    "revenue": [10.0, -25.0],
                }
            ),
        ],
        ignore_index=True,
    )
    with pytest.raises(ValueError, match=r"negative net spend.*customer_id e\.g\. \[4\]"):
        rfm_table(df, **COLS)


def test_net_zero_after_rounding_is_not_negative():
    df = pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 1],
            "invoice_date": pd.to_datetime(
                ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"]
            ),
            "revenue": [0.1, 0.2, -0.3, 0.0],
        }
    )
    rfm = rfm_table(df, **COLS)
    assert rfm.loc[1, "monetary"] == pytest.approx(0.0, abs=1e-12)
    # the zero-amount line on 4 Jan is a purchase (amount >= 0)
    assert rfm.loc[1, "frequency"] == 3
    assert rfm.loc[1, "recency"] == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda df: df.drop(columns="revenue"), r"missing column\(s\) \['revenue'\]"),
        (
            lambda df: df.assign(invoice_date=df["invoice_date"].astype(str)),
            r"column 'invoice_date'.*must hold datetimes",
        ),
        (
            lambda df: df.assign(revenue=df["revenue"].astype(object).where(df.index != 2, "abc")),
            r"column 'revenue'.*must be numeric",
        ),
        (
            lambda df: df.assign(revenue=df["revenue"].where(df.index != 2)),
            r"column 'revenue'.*1 missing value",
        ),
        (
            lambda df: df.assign(customer_id=df["customer_id"].astype("Int64").where(df.index > 0)),
            r"column 'customer_id'.*1 missing value",
        ),
    ],
)
def test_rfm_table_bad_input(three_customers, change, message):
    with pytest.raises(ValueError, match=message):
        rfm_table(change(three_customers), **COLS)


def test_rfm_table_as_of_before_first_purchase(three_customers):
    with pytest.raises(ValueError, match=r"as_of 2025-11-02 is not after the first purchase"):
        rfm_table(three_customers, **COLS, as_of="2025-11-02")


def test_as_of_and_until_must_be_dates(three_customers):
    with pytest.raises(ValueError, match="as_of must be a date such as '2026-01-01', got NaT"):
        rfm_table(three_customers, as_of=pd.NaT)
    with pytest.raises(ValueError, match="as_of must be a date .*got 'last week'"):
        rfm_sql("tx", as_of="last week")
    with pytest.raises(ValueError, match="until must be a date"):
        segment_backtest(three_customers, as_of="2025-12-01", until="soon")


def test_column_names_default_to_the_course_constants(three_customers, five_customers):
    """COLS spells out the defaults (constants.CUSTOMER_ID, INVOICE_DATE, REVENUE)."""
    pd.testing.assert_frame_equal(rfm_table(three_customers), rfm_table(three_customers, **COLS))
    assert rfm_sql("tx", as_of="2026-01-01") == rfm_sql("tx", **COLS, as_of="2026-01-01")
    pd.testing.assert_frame_equal(
        segment_backtest(five_customers, as_of="2025-07-01", until="2025-09-01"),
        segment_backtest(five_customers, **COLS, as_of="2025-07-01", until="2025-09-01"),
    )


def test_rfm_table_rejects_unknown_policy_and_empty_frame(three_customers):
    with pytest.raises(ValueError, match="negative must be"):
        rfm_table(three_customers, **COLS, negative="ignore")
    with pytest.raises(ValueError, match="transactions is empty"):
        rfm_table(three_customers.iloc[:0], **COLS)


# --- scores and segments -------------------------------------------------------------------
def test_rfm_scores_fill_every_quintile_despite_ties():
    rfm = pd.DataFrame(
        {
            "recency": np.arange(1, 11),
            "frequency": np.ones(10, dtype=int),  # all tied: ranks fall back to row order
            "monetary": [5.0, 5.0, 5.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        },
        index=pd.Index(range(100, 110), name="customer_id"),
    )
    scores = rfm_scores(rfm)
    assert scores.index.equals(rfm.index)
    assert scores["R"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]  # recent = 5
    assert scores["F"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # the five 1.0s rank 1..5 (row order) and the five 5.0s rank 6..10
    assert scores["M"].tolist() == [3, 4, 4, 5, 5, 1, 1, 2, 2, 3]
    for column in "RFM":
        assert scores[column].value_counts().sort_index().tolist() == [2, 2, 2, 2, 2]


def test_rfm_scores_uneven_sizes_and_other_bin_counts():
    rfm = pd.DataFrame({"recency": [3] * 7, "frequency": [1] * 7, "monetary": [9.0] * 7})
    scores = rfm_scores(rfm)
    # ranks 1..7 cut at the quantiles 2.2, 3.4, 4.6, 5.8: sizes 2, 1, 1, 1, 2
    assert scores["F"].tolist() == [1, 1, 2, 3, 4, 5, 5]
    assert scores["R"].tolist() == [5, 5, 4, 3, 2, 1, 1]
    # three bins: cuts at ranks 3 and 5
    assert rfm_scores(rfm, n_bins=3)["M"].tolist() == [1, 1, 1, 2, 2, 3, 3]


def test_rfm_scores_bad_input():
    rfm = pd.DataFrame({"recency": [1, 2], "frequency": [1, 1], "monetary": [1.0, 2.0]})
    with pytest.raises(ValueError, match="need at least n_bins=5"):
        rfm_scores(rfm)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['monetary'\]"):
        rfm_scores(rfm.drop(columns="monetary"), n_bins=2)
    with pytest.raises(ValueError, match="n_bins must be an integer >= 2"):
        rfm_scores(rfm, n_bins=1)
    with pytest.raises(ValueError, match=r"column 'recency'.*missing"):
        rfm_scores(rfm.assign(recency=[1.0, np.nan]), n_bins=2)


def test_segment_rules_partition_the_grid_and_have_actions():
    cells = [
        (r, fm)
        for r_scores, fm_scores in SEGMENT_RULES.values()
        for r in r_scores
        for fm in fm_scores
    ]
    assert sorted(cells) == [(r, fm) for r in range(1, 6) for fm in range(1, 6)]
    assert len(SEGMENT_RULES) == 11
    assert set(SEGMENT_ACTIONS) == set(SEGMENT_RULES)
    assert all(len(action) > 20 for action in SEGMENT_ACTIONS.values())


@pytest.mark.parametrize(
    ("r", "f", "m", "segment"),
    [
        (5, 5, 5, "Champions"),
        (5, 4, 3, "Champions"),  # FM = (4 + 3 + 1) // 2 = 4: halves round up
        (5, 1, 1, "New"),
        (4, 1, 1, "Promising"),
        (5, 2, 3, "Potential Loyalist"),  # FM = 3
        (4, 5, 4, "Loyal"),
        (3, 4, 4, "Loyal"),
        (3, 3, 3, "Need Attention"),
        (3, 2, 1, "About to Sleep"),  # FM = 2
        (2, 4, 3, "At Risk"),  # FM = 4
        (1, 3, 2, "At Risk"),  # FM = 3
        (1, 5, 5, "Can't Lose Them"),
        (2, 1, 2, "Hibernating"),  # FM = 2
        (1, 1, 1, "Lost"),
        (1, 2, 1, "Lost"),  # FM = 2
    ],
)
def test_rfm_segments_grid(r, f, m, segment):
    scores = pd.DataFrame({"R": [r], "F": [f], "M": [m]}, index=["c1"])
    out = rfm_segments(scores)
    assert out.name == "segment"
    assert out.index.tolist() == ["c1"]
    assert out.iloc[0] == segment


def test_rfm_segments_f_only_and_categories():
    scores = pd.DataFrame({"R": [5, 5], "F": [3, 5], "M": [5, 1]})
    assert rfm_segments(scores).tolist() == ["Champions", "Potential Loyalist"]
    assert rfm_segments(scores, fm="f").tolist() == ["Potential Loyalist", "Champions"]
    assert list(rfm_segments(scores).cat.categories) == list(SEGMENT_RULES)


def test_rfm_segments_bad_input():
    with pytest.raises(ValueError, match=r"column 'F'.*scores 1\.\.5.*\[6\]"):
        rfm_segments(pd.DataFrame({"R": [5], "F": [6], "M": [1]}))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['M'\]"):
        rfm_segments(pd.DataFrame({"R": [5], "F": [5]}))
    with pytest.raises(ValueError, match="fm must be"):
        rfm_segments(pd.DataFrame({"R": [5], "F": [5], "M": [5]}), fm="m")


def test_scores_and_segments_end_to_end(three_customers):
    rfm = rfm_table(three_customers, **COLS, order_col="invoice_no")
    scores = rfm_scores(rfm, n_bins=3)
    assert scores.loc[3, "R"] == 3 and scores.loc[2, "R"] == 1


@pytest.fixture
def five_customers() -> pd.DataFrame:
    """Customer i (1..5) placed i orders of 10 * i in June 2025, the last on 5 * i June, so
    R, F and M all rank the customers alike: segments as of 1 July are 5 Champions, 4 Loyal,
    3 Need Attention, 2 Hibernating and 1 Lost. Then, from 1 July: customer 4 buys on the
    first day of the window (7.0), customer 5 on 10 July (20.0), customer 1 on 1 August (5.0)
    and returns 2.0 of it, customer 3 only returns something (-4.0), customer 2 buys on the
    first day after the window (1 September) and customer 6 is new."""
    rows = [
        (i, pd.Timestamp(2025, 6, 5 * i) - pd.Timedelta(days=j), 10.0 * i)
        for i in range(1, 6)
        for j in range(i)
    ]
    rows += [
        (4, pd.Timestamp("2025-07-01 00:00"), 7.0),
        (5, pd.Timestamp("2025-07-10 12:00"), 20.0),
        (1, pd.Timestamp("2025-08-01 09:00"), 5.0),
        (1, pd.Timestamp("2025-08-05 09:00"), -2.0),
        (3, pd.Timestamp("2025-07-15 09:00"), -4.0),
        (2, pd.Timestamp("2025-09-01 09:00"), 9.0),
        (6, pd.Timestamp("2025-07-20 09:00"), 50.0),
    ]
    return pd.DataFrame(rows, columns=["customer_id", "invoice_date", "revenue"])


def test_segment_backtest_hand_computed(five_customers):
    out = segment_backtest(five_customers, **COLS, as_of="2025-07-01", until="2025-09-01")
    assert out.index.name == "segment"
    assert out.index.tolist() == list(SEGMENT_RULES)
    assert out["customers"].sum() == 5  # customer 6 was not a customer on 1 July
    expected = {
        "Champions": [1, 1.0, 20.0],
        "Loyal": [1, 1.0, 7.0],  # a purchase at midnight on as_of is in the window
        "Need Attention": [1, 0.0, -4.0],  # a return is not a purchase
        "Hibernating": [1, 0.0, 0.0],  # until is exclusive
        "Lost": [1, 1.0, 3.0],
    }
    for segment, row in expected.items():
        assert out.loc[segment].tolist() == row, segment
    assert out.loc["New", "customers"] == 0 and np.isnan(out.loc["New", "bought_again"])


def test_segment_backtest_perfect_and_empty_windows(five_customers):
    everyone = five_customers[five_customers["invoice_date"] < "2025-07-01"]
    again = everyone.assign(invoice_date=everyone["invoice_date"] + pd.Timedelta(days=40))
    out = segment_backtest(pd.concat([everyone, again]), **COLS, as_of="2025-07-01",
                           until="2025-09-01")
    assert out["bought_again"].dropna().eq(1.0).all()
    quiet = segment_backtest(everyone, **COLS, as_of="2025-07-01", until="2025-07-02")
    assert quiet["bought_again"].dropna().eq(0.0).all()
    assert quiet["spend_after"].dropna().eq(0.0).all()


def test_segment_backtest_bad_input(five_customers):
    with pytest.raises(ValueError, match=r"until \(2025-07-01\) must be after as_of"):
        segment_backtest(five_customers, **COLS, as_of="2025-07-01", until="2025-07-01")
    with pytest.raises(ValueError, match="missing column"):
        segment_backtest(five_customers.drop(columns="revenue"), **COLS, as_of="2025-07-01",
                         until="2025-09-01")


# --- SQL ----------------------------------------------------------------------------------
def _random_transactions(seed: int = 7, n_purchases: int = 1_800, n_returns: int = 200):
    """Purchases plus returns of earlier purchases, so net spend is never negative.

    Amounts are whole quarters (exact in binary floating point), so the sums do not depend on
    the order SQLite and NumPy add them in and the comparison can be exact.
    """
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2025-01-01")
    purchases = pd.DataFrame(
        {
            "Customer ID": rng.integers(1, 151, n_purchases),
            "InvoiceDate": start + pd.to_timedelta(rng.integers(0, 365 * 1440, n_purchases), "min"),
            "Invoice": rng.integers(0, 900, n_purchases) + 10_000,
            "Amount": rng.integers(1, 400, n_purchases) / 4,
        }
    )
    source = purchases.iloc[rng.integers(0, n_purchases, n_returns)]
    share = rng.choice([0.5, 1.0], n_returns)
    returns = pd.DataFrame(
        {
            "Customer ID": source["Customer ID"].to_numpy(),
            "InvoiceDate": source["InvoiceDate"].to_numpy()
            + pd.to_timedelta(rng.integers(1, 30 * 1440, n_returns), "min").to_numpy(),
            "Invoice": np.arange(n_returns) + 90_000,
            "Amount": -np.floor(source["Amount"].to_numpy() * 4 * share) / 4,
        }
    )
    return pd.concat([purchases, returns], ignore_index=True).sample(frac=1, random_state=seed)


def _sql_rfm(df: pd.DataFrame, query: str) -> pd.DataFrame:
    con = sqlite3.connect(":memory:")
    try:
        stored = df.assign(InvoiceDate=df["InvoiceDate"].dt.strftime("%Y-%m-%d %H:%M:%S"))
        stored.to_sql("order lines", con, index=False)
        result = pd.read_sql_query(query, con)
    finally:
        con.close()
    return result.set_index("Customer ID")


@pytest.mark.parametrize("order_col", ["Invoice", None])
@pytest.mark.parametrize("as_of", ["2026-01-31", "2025-07-01"])
def test_sql_matches_pandas_exactly(order_col, as_of):
    df = _random_transactions()
    assert len(df) == 2_000
    cols = {"customer_col": "Customer ID", "date_col": "InvoiceDate", "amount_col": "Amount"}
    expected = rfm_table(df, **cols, order_col=order_col, as_of=as_of)
    got = _sql_rfm(df, rfm_sql("order lines", **cols, order_col=order_col, as_of=as_of))
    assert len(expected) > 100
    assert got.index.tolist() == expected.index.tolist()
    for column in ("recency", "frequency"):
        assert got[column].astype(np.int64).tolist() == expected[column].tolist()
    assert got["monetary"].tolist() == expected["monetary"].tolist()


def test_sql_default_as_of_matches_day_after_last_date(three_customers):
    expected = rfm_table(three_customers, **COLS, order_col="invoice_no")
    query = rfm_sql("tx", **COLS, order_col="invoice_no", as_of="2026-01-01")
    con = sqlite3.connect(":memory:")
    try:
        stored = three_customers.assign(
            invoice_date=three_customers["invoice_date"].dt.strftime("%Y-%m-%d %H:%M:%S")
        )
        stored.to_sql("tx", con, index=False)
        rows = con.execute(query).fetchall()
    finally:
        con.close()
    assert rows == [(1, 12, 3, 90.0), (2, 60, 1, 7.5), (3, 1, 2, 101.0)]
    assert [r[1:] for r in rows] == list(expected.itertuples(index=False, name=None))


def test_sql_rejects_bad_names():
    with pytest.raises(ValueError, match="table must be a non-empty string"):
        rfm_sql("", **COLS, as_of="2026-01-01")


def test_a_customer_with_only_a_tiny_return_raises_a_named_error():
    """Returns netting to about zero but no purchase: no day to count recency from."""
    lines = pd.DataFrame({
        "customer_id": [1, 1, 2],
        "invoice_date": pd.to_datetime(["2025-01-02", "2025-02-03", "2025-01-05"]),
        "revenue": [10.0, 5.0, -1e-7],
    })
    with pytest.raises(ValueError, match=r"1 customer\(s\) have returns but no purchase.*\[2\]"):
        rfm_table(lines, as_of="2025-03-01")
    assert rfm_table(lines[lines["customer_id"] == 1], as_of="2025-03-01")["recency"].iloc[0] == 26
