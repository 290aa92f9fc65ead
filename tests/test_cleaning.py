"""Cleaning: one reason per line, reconciliation, grading against injected dirt, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.cleaning import (
    clean_customers,
    clean_orders,
    find_test_accounts,
    parse_mixed_dates,
)
from helpers.collect import collect_sources
from helpers.grading import grade_cleaning
from helpers.labels import label_key, standardise_labels


def lines(**overrides) -> pd.DataFrame:
    """A tidy three-line export; keyword arguments replace whole columns."""
    base = {
        "invoice_no": ["1", "1", "2"],
        "stock_code": ["A", "B", "A"],
        "description": ["Mug", "Pen", "Mug"],
        "quantity": [2, 1, 3],
        "invoice_date": ["2024-01-02 10:00:00", "2024-01-02 10:00:00", "03/01/2024 11:30"],
        "unit_price": [5.0, 1.5, 5.0],
        "customer_id": [7, 7, 8],
        "country": ["UK", "United Kingdom", "eire"],
        "channel": ["online", "online", "POS"],
        "category": ["home and kitchen", "Home & Kitchen", "GROCERY"],
    }
    base.update(overrides)
    return pd.DataFrame(base)


def test_clean_lines_are_kept_and_labels_standardised():
    res = clean_orders(lines())
    assert res.audit["reason"].astype(str).tolist() == ["kept"] * 3
    assert res.clean["country"].tolist() == ["United Kingdom", "United Kingdom", "Ireland"]
    assert res.clean["channel"].tolist() == ["online", "online", "store"]
    assert res.clean["category"].tolist() == ["Home & Kitchen", "Home & Kitchen", "Grocery"]
    assert res.clean["invoice_date"].tolist() == [
        pd.Timestamp("2024-01-02 10:00"), pd.Timestamp("2024-01-02 10:00"),
        pd.Timestamp("2024-01-03 11:30")]
    assert res.clean["revenue"].tolist() == [10.0, 1.5, 15.0]
    assert res.audit["labels_fixed"].tolist() == [True, False, True]


def test_each_rule_gives_its_reason():
    raw = pd.DataFrame(
        {
            "invoice_no": ["1", "1", "1", "C1", "2", "3", "3", "4", "5", "6", "7"],
            "stock_code": ["A", "B", "B", "A", "A", "A", "B", "A", "A", "A", "A"],
            "description": "x",
            "quantity": [2, 1, 1, -2, 1, 1, 1, 1, 0, 1, 1],
            "invoice_date": "2024-01-02 10:00:00",
            "unit_price": [5.0, 2.0, 2.0, 5.0, 5.0, 500.0, 0.0, 5.0, 5.0, 5.0, 5.0],
            "customer_id": [1, 1, 1, 1, 1, 1, 1, pd.NA, 1, 99, 1],
        }
    ).astype({"customer_id": "Int64"})
    res = clean_orders(raw, test_customer_ids=[99], country_col=None, channel_col=None,
                       category_col=None)
    assert res.audit["reason"].astype(str).tolist() == [
        "returned", "kept", "duplicate", "cancellation", "kept", "price_corrected",
        "zero_price", "missing_customer_id", "invalid_quantity", "test_account", "kept"]
    corrected = res.clean.loc[res.clean["invoice_no"] == "3"]
    assert corrected["unit_price"].tolist() == [5.0]
    res.reconcile(len(raw), float((raw["quantity"] * raw["unit_price"]).sum()))


def test_a_cancellation_reverses_only_one_line():
    raw = lines(invoice_no=["1", "2", "C1"], stock_code=["A", "A", "A"],
                quantity=[2, 2, -2], customer_id=[7, 7, 7])
    res = clean_orders(raw)
    assert res.audit["reason"].astype(str).tolist() == ["returned", "kept", "cancellation"]


def test_summary_accounts_for_every_line_and_pound():
    raw = pd.concat([lines(), lines(invoice_no=["4", "4", "5"], unit_price=[500.0, 1.5, 5.0])],
                    ignore_index=True)
    res = clean_orders(raw)
    summary = res.summary()
    assert summary.loc["total", "lines"] == 6
    assert summary.loc["price_corrected", "removed_revenue"] == pytest.approx(990.0)
    assert summary.loc["total", "raw_revenue"] == pytest.approx(
        summary.loc["total", "clean_revenue"] + summary.loc["total", "removed_revenue"])


def test_reconcile_detects_a_lost_line():
    res = clean_orders(lines())
    with pytest.raises(AssertionError, match="raw lines"):
        res.reconcile(raw_lines=4, raw_revenue=26.5)


def test_outliers_are_flagged_not_removed():
    n = 60
    raw = pd.DataFrame(
        {
            "invoice_no": [str(i) for i in range(n)],
            "stock_code": "A",
            "description": "Mug",
            "quantity": [1] * (n - 1) + [120],
            "invoice_date": "2024-01-02 10:00:00",
            "unit_price": 5.0,
            "customer_id": 1,
        }
    )
    res = clean_orders(raw, country_col=None, channel_col=None, category_col=None)
    assert len(res.clean) == n
    assert res.clean["outlier"].tolist() == [False] * (n - 1) + [True]


def test_grading_on_the_simulator_finds_every_injected_problem(shop):
    collected = collect_sources(shop.tables(), salt="s")
    test_ids = find_test_accounts(collected["customers"])
    assert test_ids == shop.test_account_ids
    res = clean_orders(collected["orders"], test_customer_ids=test_ids)
    grades = grade_cleaning(res.audit, shop.line_truth)
    assert (grades["found"] == grades["rows"]).all()
    assert (grades["other_rows_with_reason"] == 0).all()
    assert grades.loc["bulk_quantity", "outliers_flagged"] == grades.loc["bulk_quantity", "rows"]
    raw = collected["orders"]
    res.reconcile(len(raw), float((raw["quantity"] * raw["unit_price"]).round(2).sum()))
    # clean invoices are exactly the simulator's true invoices
    assert set(res.clean["invoice_no"]) == set(shop.true_orders["invoice_no"].astype(str))
    clean_value = res.clean.groupby("invoice_no")["revenue"].sum()
    true_value = shop.true_orders.set_index(shop.true_orders["invoice_no"].astype(str))["value"]
    # lines whose value cleaning cannot restore: returned, price unknown, bulk (kept as is)
    altered = shop.line_truth.isin(["returned", "price_zero", "bulk_quantity"])
    touched = altered.groupby(raw["invoice_no"]).any()
    untouched = touched[~touched].index.intersection(true_value.index)
    assert len(untouched) > 0.9 * len(true_value)
    np.testing.assert_allclose(clean_value[untouched], true_value[untouched], atol=0.011)


def test_parse_mixed_dates_reports_bad_values():
    dates, used = parse_mixed_dates(pd.Series(["2024-03-05 10:00:00", "05/03/2024 10:00"]))
    assert dates.dt.month.tolist() == [3, 3]
    assert used.tolist() == ["%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M"]
    with pytest.raises(ValueError, match="'invoice_date'.*March 5"):
        parse_mixed_dates(pd.Series(["2024-03-05 10:00:00", "March 5"]))


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (lines().drop(columns="unit_price"), r"missing column\(s\) \['unit_price'\]"),
        (lines(unit_price=["5", "abc", "1"]), "'unit_price' of orders must be numeric"),
        (lines(quantity=[1, None, 2]), "'quantity' of orders has missing"),
        (lines(invoice_date=["2024-01-02 10:00:00", "yesterday", "x"]),
         "'invoice_date' has 2 date"),
        (lines(customer_id=["7", "seven", "8"]), "'customer_id' of orders has non-numeric"),
        (lines().iloc[0:0], "orders is empty"),
    ],
)
def test_bad_input_names_the_column(frame, message):
    with pytest.raises(ValueError, match=message):
        clean_orders(frame)


def test_unknown_labels_are_reported_not_guessed():
    res = clean_orders(lines(country=["UK", "Atlantis", "UK"]))
    assert res.unknown_labels == {"country": ["Atlantis"]}
    assert "Atlantis" in res.clean["country"].tolist()


def test_label_key_and_aliases():
    assert label_key("HOME&KITCHEN ") == label_key("Home and Kitchen") == "homeandkitchen"
    out, unknown = standardise_labels(pd.Series(["web", "Store"]), ["online", "store"],
                                      {"web": "online"})
    assert out.tolist() == ["online", "store"] and unknown == []


def test_clean_customers_keeps_people_and_flags_ages():
    customers = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5],
            "email_domain": ["example.com", "example.com", "example.com", "example.com",
                             "retailer-test.example"],
            "birth_year": pd.array([1990, 1900, 2019, None, 1990], dtype="Int64"),
            "signup_date": ["2024-01-01"] * 5,
            "country": ["UK", "France", "Holland", "Deutschland", "UK"],
        }
    )
    test_ids = find_test_accounts(customers)
    assert test_ids == [5]
    clean, audit = clean_customers(customers, as_of=pd.Timestamp("2026-01-01"),
                                   test_customer_ids=test_ids)
    assert clean["customer_id"].tolist() == [1, 2, 3, 4]
    assert clean["age"].tolist() == [36, pd.NA, pd.NA, pd.NA]
    assert clean["age_issue"].tolist() == ["ok", "impossible", "impossible", "missing"]
    assert clean["country"].tolist() == ["United Kingdom", "France", "Netherlands", "Germany"]
    assert audit["reason"].tolist() == ["kept"] * 4 + ["test_account"]


def test_clean_customers_rejects_duplicates_and_bad_dates():
    base = pd.DataFrame({"customer_id": [1, 1], "birth_year": [1990, 1991],
                         "signup_date": ["2024-01-01", "2024-01-02"], "country": "UK"})
    with pytest.raises(ValueError, match="duplicate ids"):
        clean_customers(base, as_of=pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match="'signup_date'.*unparseable"):
        clean_customers(base.assign(customer_id=[1, 2], signup_date=["2024-01-01", "soon"]),
                        as_of=pd.Timestamp("2026-01-01"))
