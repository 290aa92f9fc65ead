"""Cleaning: one reason per line, reconciliation, grading against injected dirt, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.cleaning import (
    MATCH_OUTCOMES,
    age_at,
    clean_customers,
    clean_orders,
    find_test_accounts,
    flag_outliers,
    match_cancellations,
    parse_mixed_dates,
)
from helpers.collect import collect_sources
from helpers.grading import grade_cleaning
from helpers.labels import label_key, standardise_labels


def lines(**overrides) -> pd.DataFrame:
    """A tidy three-line export; keyword arguments replace whole columns."""
    base = {
        "invoice_no": ["1", "1", "2"],
        "stock_code": ["A", "P", "A"],
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
            "invoice_no": ["1", "1", "1", "C1", "2", "3", "3", "4", "5", "6", "7", "8", "9"],
            "stock_code": ["A", "P", "P", "A", "A", "A", "P", "A", "A", "A", "A", "A", "A"],
            "description": "x",
            "quantity": [2, 1, 1, -2, 1, 1, 1, 1, 0, 1, 1, 1, 1],
            "invoice_date": "2024-01-02 10:00:00",
            "unit_price": [5.0, 2.0, 2.0, 5.0, 5.0, 500.0, 0.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0],
            "customer_id": [1, 1, 1, 1, 1, 1, 1, pd.NA, 1, 99, 1, 1, 1],
        }
    ).astype({"customer_id": "Int64"})
    res = clean_orders(raw, test_customer_ids=[99], country_col=None, channel_col=None,
                       category_col=None)
    assert res.audit["reason"].astype(str).tolist() == [
        "returned", "kept", "duplicate", "cancellation", "kept", "price_corrected",
        "zero_price", "missing_customer_id", "invalid_quantity", "test_account", "kept",
        "kept", "kept"]
    corrected = res.clean.loc[res.clean["invoice_no"] == "3"]
    assert corrected["unit_price"].tolist() == [5.0]
    res.reconcile(len(raw), float((raw["quantity"] * raw["unit_price"]).sum()))


def test_a_cancellation_reverses_only_one_line():
    raw = lines(invoice_no=["1", "2", "C1"], stock_code=["A", "A", "A"],
                quantity=[2, 2, -2], customer_id=[7, 7, 7])
    res = clean_orders(raw)
    assert res.audit["reason"].astype(str).tolist() == ["returned", "kept", "cancellation"]


def returns(invoice, stock, quantity, unit_price=5.0) -> pd.DataFrame:
    """Order lines of customer 7 with only the columns cleaning needs."""
    return pd.DataFrame({"invoice_no": invoice, "stock_code": stock, "description": "x",
                         "quantity": quantity, "invoice_date": "2024-01-02 10:00:00",
                         "unit_price": unit_price, "customer_id": 7})


def clean_plain(raw: pd.DataFrame):
    return clean_orders(raw, country_col=None, channel_col=None, category_col=None)


def test_a_partial_return_is_netted_against_its_purchase():
    # three mugs at £5 bought, one brought back: £10 of sales remain, not £15
    raw = returns(["1", "1", "C1"], ["MUG", "PEN", "MUG"], [3, 1, -1])
    res = clean_plain(raw)
    assert res.audit["reason"].astype(str).tolist() == ["partly_returned", "kept", "cancellation"]
    assert res.audit["returned_units"].tolist() == [1, 0, 0]
    assert res.clean["quantity"].tolist() == [2, 1]
    assert res.clean["revenue"].tolist() == [10.0, 5.0]
    summary = res.summary()
    assert summary.loc["partly_returned", "status"] == "kept"
    assert summary.loc["partly_returned", "removed_revenue"] == pytest.approx(5.0)
    assert summary.loc["cancellation", "removed_revenue"] == pytest.approx(-5.0)
    assert summary.loc["total", "clean_revenue"] == pytest.approx(15.0)
    res.reconcile(len(raw), 15.0)


@pytest.mark.parametrize(
    ("quantity", "reasons", "units"),
    [
        # two partial returns that add up to the whole line: the line is returned
        ([3, -1, -2], ["returned", "cancellation", "cancellation"], [3, 0, 0]),
        # more units back than bought (the rest was bought before the export): line returned,
        # the surplus removes nothing
        ([2, -5], ["returned", "cancellation"], [2, 0]),
    ],
)
def test_returns_never_take_back_more_than_a_line_holds(quantity, reasons, units):
    raw = returns(["1"] + ["C1"] * (len(quantity) - 1), "MUG", quantity)
    res = clean_plain(raw)
    assert res.audit["reason"].astype(str).tolist() == reasons
    assert res.audit["returned_units"].tolist() == units
    assert res.clean.empty
    res.reconcile(len(raw), float((raw["quantity"] * raw["unit_price"]).sum()))


def test_a_return_spread_over_two_lines_nets_them_in_order():
    raw = returns(["1", "1", "C1"], "MUG", [2, 2, -3], unit_price=[5.0, 4.0, 5.0])
    res = clean_plain(raw)
    assert res.audit["reason"].astype(str).tolist() == ["returned", "partly_returned",
                                                        "cancellation"]
    assert res.clean["quantity"].tolist() == [1]
    assert res.clean["revenue"].tolist() == [4.0]


def test_a_return_without_its_purchase_removes_nothing_else():
    # the only mug purchase comes after the cancellation: it cannot be what was cancelled
    raw = returns(["2", "C1"], "MUG", [1, -1]).assign(
        invoice_date=["2024-01-05 10:00:00", "2024-01-02 10:00:00"])
    res = clean_plain(raw)
    assert res.audit["reason"].astype(str).tolist() == ["kept", "cancellation"]
    assert res.clean["revenue"].tolist() == [5.0]
    assert res.returns["outcome"].tolist() == ["purchase_only_later"]


def test_a_partly_returned_typo_is_still_corrected():
    raw = returns(["1", "2", "4", "3", "C3"], "MUG", [1, 1, 1, 3, -1],
                  unit_price=[5.0, 5.0, 5.0, 500.0, 500.0])
    res = clean_plain(raw)
    assert res.audit["reason"].astype(str).tolist() == ["kept", "kept", "kept", "partly_returned",
                                                        "cancellation"]
    assert res.audit["price_corrected"].tolist() == [False, False, False, True, False]
    assert res.clean["revenue"].tolist() == [5.0, 5.0, 5.0, 10.0]
    res.reconcile(len(raw), 5.0 * 3 + 1500.0 - 500.0)


def test_match_cancellations_by_hand():
    invoice = pd.Series(["1", "1", "2", "C1", "C1", "C2"])
    stock = pd.Series(["MUG", "PEN", "MUG", "MUG", "PEN", "MUG"])
    quantity = pd.Series([3, 2, 1, -1, -2, -1])
    customer = pd.Series([7] * 6)
    dates = pd.to_datetime(pd.Series(["2024-01-01", "2024-01-01", "2024-01-02",
                                      "2024-01-03", "2024-01-03", "2024-01-04"]))
    is_cancel = invoice.str.startswith("C")
    m = match_cancellations(invoice, stock, quantity, customer, dates, open_lines=~is_cancel,
                            cancellations=is_cancel)
    assert m[["cancel_row", "purchase_row", "units"]].values.tolist() == [
        [3, 0, 1], [4, 1, 2], [5, 2, 1]]
    assert m["outcome"].tolist() == ["named_invoice"] * 3
    # a line closed for another reason (say, a duplicate) is not matched: C2 then takes its
    # unit from the customer's other (earlier) mug purchase, invoice 1
    m = match_cancellations(invoice, stock, quantity, customer, dates,
                            open_lines=~is_cancel & (invoice != "2"), cancellations=is_cancel)
    assert m[["cancel_row", "purchase_row", "units"]].values.tolist() == [
        [3, 0, 1], [4, 1, 2], [5, 0, 1]]
    assert m["outcome"].tolist() == ["named_invoice", "named_invoice", "earlier_purchase"]
    # another customer's purchase is never matched
    m = match_cancellations(invoice, stock, quantity, pd.Series([7, 7, 7, 8, 7, 7]), dates,
                            open_lines=~is_cancel, cancellations=is_cancel)
    assert m.loc[m["cancel_row"] == 3, "outcome"].tolist() == ["no_purchase"]
    with pytest.raises(ValueError, match="'quantity' must have the same index"):
        match_cancellations(invoice, stock, quantity.iloc[:3], customer, dates,
                            open_lines=~is_cancel, cancellations=is_cancel)


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


def test_flag_outliers_by_hand_with_other_column_names():
    # quantity 40 against a median of 1 (and >= 10): bulk; revenue 1e6 far above the others:
    # extreme; quantity 9 is 9 times the median but under 10 units: not flagged
    lines = pd.DataFrame({"sku": ["A"] * 7, "qty": [1, 1, 2, 1, 40, 9, 1],
                          "amount": [5.0, 6.0, 10.0, 5.0, 200.0, 45.0, 1e6]})
    flags = flag_outliers(lines, quantity_col="qty", stock_col="sku", revenue_col="amount")
    assert flags.tolist() == [False, False, False, False, True, False, True]
    with pytest.raises(ValueError, match=r"missing column\(s\) \['quantity'"):
        flag_outliers(lines)


def test_grading_on_the_simulator_finds_every_injected_problem(shop):
    collected = collect_sources(shop.tables(), key="s")
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


def test_partial_returns_in_the_simulated_export_reconcile(shop):
    # turn the returns of multi-unit lines into returns of one unit fewer
    collected = collect_sources(shop.tables(), key="s")
    raw = collected["orders"].copy()
    test_ids = find_test_accounts(collected["customers"])
    cancel = raw["invoice_no"].str.startswith("C") & raw["customer_id"].notna()
    partial = cancel & (raw["quantity"] <= -2)
    assert partial.sum() > 20
    raw.loc[partial, "quantity"] += 1
    res = clean_orders(raw, test_customer_ids=test_ids)
    before = clean_orders(collected["orders"], test_customer_ids=test_ids)
    reasons = res.audit["reason"].value_counts()
    old = before.audit["reason"].value_counts()
    assert reasons["partly_returned"] == partial.sum()
    assert reasons["returned"] == old["returned"] - partial.sum()
    assert reasons["cancellation"] == old["cancellation"]
    # each partly returned line keeps exactly one unit, at its clean price
    netted = res.audit.loc[res.audit["reason"] == "partly_returned"]
    bought = raw["quantity"].to_numpy()[netted["row"].to_numpy()]
    assert (bought - netted["returned_units"].to_numpy() == 1).all()
    res.reconcile(len(raw), float((raw["quantity"] * raw["unit_price"]).round(2).sum()))
    returned_value = -(raw.loc[partial, "quantity"] * raw.loc[partial, "unit_price"]).sum()
    assert res.summary().loc["partly_returned", "removed_revenue"] == pytest.approx(
        returned_value, abs=0.01)


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
            "customer_id": [1, 2, 3, 4, 5, 6],
            "email_domain": ["example.com"] * 5 + ["retailer-test.example"],
            "birth_date": ["1990-06-30", "1900-01-01", "2019-06-15", None, "1965-08-15",
                           "1990-01-01"],
            "signup_date": ["2024-01-01"] * 6,
            "country": ["UK", "France", "Holland", "Deutschland", "Eire", "UK"],
        }
    )
    test_ids = find_test_accounts(customers)
    assert test_ids == [6]
    clean, audit = clean_customers(customers, as_of=pd.Timestamp("2026-01-01"),
                                   test_customer_ids=test_ids)
    assert clean["customer_id"].tolist() == [1, 2, 3, 4, 5]
    # born 1965-08-15: 60 on 2026-01-01 (the year difference alone would say 61)
    assert clean["age"].tolist() == [35, pd.NA, pd.NA, pd.NA, 60]
    assert clean["age_issue"].tolist() == ["ok", "impossible", "impossible", "missing", "ok"]
    assert clean["country"].tolist() == ["United Kingdom", "France", "Netherlands", "Germany",
                                         "Ireland"]
    assert "birth_date" not in clean.columns  # minimisation: the age is all the profile needs
    assert audit["reason"].tolist() == ["kept"] * 5 + ["test_account"]


@pytest.mark.parametrize(
    ("as_of", "ages"),
    [
        # the day before, on and after a birthday; 29 February turns on 1 March otherwise
        ("2026-08-14", [60, 26, 26]),
        ("2026-08-15", [61, 26, 26]),
        ("2027-02-28", [61, 26, 27]),
        ("2027-03-01", [61, 27, 27]),
        ("2028-02-29", [62, 28, 28]),
    ],
)
def test_age_counts_birthdays_reached(as_of, ages):
    born = pd.Series(["1965-08-15", "2000-02-29", "2000-02-28"])
    assert age_at(born, pd.Timestamp(as_of)).tolist() == ages
    assert age_at(pd.to_datetime(born), pd.Timestamp(as_of)).tolist() == ages


def test_clean_customers_rejects_duplicates_and_bad_dates():
    base = pd.DataFrame({"customer_id": [1, 1], "birth_date": ["1990-01-01", "1991-02-03"],
                         "signup_date": ["2024-01-01", "2024-01-02"], "country": "UK"})
    with pytest.raises(ValueError, match="duplicate ids"):
        clean_customers(base, as_of=pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match="'signup_date'.*unparseable"):
        clean_customers(base.assign(customer_id=[1, 2], signup_date=["2024-01-01", "soon"]),
                        as_of=pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match="'birth_date'.*YYYY-MM-DD.*31/12/1980"):
        clean_customers(base.assign(customer_id=[1, 2], birth_date=["1990-01-01", "31/12/1980"]),
                        as_of=pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match="'birth_year' but no 'birth_date'"):
        clean_customers(base.rename(columns={"birth_date": "birth_year"}).assign(
            customer_id=[1, 2]), as_of=pd.Timestamp("2026-01-01"))
    with pytest.raises(ValueError, match=r"missing column\(s\) \['birth_date'\]"):
        clean_customers(base.drop(columns="birth_date").assign(customer_id=[1, 2]),
                        as_of=pd.Timestamp("2026-01-01"))


def test_returns_by_outcome_counts_units_and_value():
    # customer 7 bought 3 mugs, then cancelled 4 (3 matched, 1 more than bought) and a pen
    # never bought; outcomes without units are 0
    raw = returns(["1", "C1", "C9"], ["MUG", "MUG", "PEN"], [3, -4, -1], unit_price=[5.0, 5.0, 2.0])
    table = clean_plain(raw).returns_by_outcome()
    assert table.index.tolist() == list(MATCH_OUTCOMES)
    assert table.loc["named_invoice"].tolist() == [1, 3, 15.0]
    assert table.loc["more_than_bought"].tolist() == [1, 1, 5.0]
    assert table.loc["no_purchase"].tolist() == [1, 1, 2.0]
    assert table.loc["earlier_purchase"].tolist() == [0, 0, 0.0]
    empty = clean_plain(returns(["1"], "MUG", [1])).returns_by_outcome()
    assert empty["units"].sum() == 0 and empty.index.tolist() == list(MATCH_OUTCOMES)


def test_every_reason_has_a_plain_label_and_the_readable_summary_uses_them():
    from helpers.cleaning import REASON_LABELS, REASONS, readable_summary

    assert set(REASON_LABELS) == set(REASONS)
    assert all("_" not in label for label in REASON_LABELS.values())
    assert len(set(REASON_LABELS.values())) == len(REASONS)
    table = pd.DataFrame({"status": ["dropped", "kept", "all"], "lines": [2, 3, 5],
                          "raw_revenue": [10.0, 30.004, 40.004],
                          "clean_revenue": [0.0, 30.004, 30.004],
                          "removed_revenue": [10.0, 0.0, 10.0]},
                         index=["zero_price", "kept", "total"])
    readable = readable_summary(table)
    assert readable.index.tolist() == ["Zero prices", "Kept as recorded", "Total"]
    assert readable.loc["Total", "Raw revenue (£)"] == 40.0
    with pytest.raises(ValueError, match="lines"):
        readable_summary(table.drop(columns="lines"))


def test_country_spellings_of_the_real_export():
    from helpers.labels import standardise_country

    recorded = pd.Series(["EIRE", "USA", "RSA", "Channel Islands", "European Community",
                          "Unspecified", "United Kingdom"])
    names, unknown = standardise_country(recorded)
    assert names.tolist() == ["Ireland", "United States", "South Africa", "Channel Islands",
                              "European Community", "Unspecified", "United Kingdom"]
    # labels that name no single country are kept as recorded and reported, never guessed
    assert unknown == ["Channel Islands", "European Community", "Unspecified"]
