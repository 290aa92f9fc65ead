"""Tests for helpers.online_retail: the UCI formats, one cleaning path, the shipped file.

``fixtures/online_retail_quirks.csv`` (Online Retail II format) holds one line per quirk of
real exports (row numbers 0-based):

* 0, 1: six and two mugs bought (5 and 10 January); 2 (C2001, 20 January) cancels four mugs
  without naming an invoice: two from the most recent purchase (row 1, ``returned``), two
  from row 0; 21 (C2004) cancels one more from row 0, which keeps three (``partly_returned``)
* 3: a pen cancelled on 2 January, bought only on the 3rd (row 4): unmatched
* 22 (C2005): seven pens cancelled, five bought earlier (row 4, ``returned``): two unmatched
* 20: a bag cancelled that the customer never bought: unmatched
* 5: a manual line ``M`` of £8,985.60 (never price-corrected); 6: postage; 7: a gift voucher
* 8-12: a lamp at £1.25 four times, then at £125.00: a stable product, exactly x100: corrected
* 13-17: a card at £0.40 to £3.00, then £150.00: unstable, left as recorded and flagged
* 18: an exact duplicate of row 4; 19: no customer id
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers.cleaning import NON_PRODUCT_CODES, REASONS, non_product_kind
from helpers.data import ONLINE_RETAIL_FILE
from helpers.online_retail import (
    STANDARD_COLUMNS,
    load_online_retail,
    read_online_retail,
    standardise_online_retail,
)

FIXTURES = Path(__file__).parent / "fixtures"
QUIRKS = FIXTURES / "online_retail_quirks.csv"
SAMPLE = FIXTURES / "online_retail_sample.csv"  # 29 lines in the Online Retail (I) format
II_NAMES = {"InvoiceNo": "Invoice", "UnitPrice": "Price", "CustomerID": "Customer ID"}
QUIRK_REASONS = (
    ["partly_returned", "returned", "cancellation", "cancellation", "returned"]
    + ["non_product"] * 3 + ["kept"] * 4 + ["price_corrected"] + ["kept"] * 4
    + ["price_unverified", "duplicate", "missing_customer_id"] + ["cancellation"] * 3
)

#: The shipped file's cleaning: lines and raw revenue (GBP) by reason (reasons with lines).
SHIPPED_LINES = {"missing_customer_id": 107_927, "duplicate": 6_771, "non_product": 1_809,
                 "cancellation": 9_372, "returned": 3_089, "zero_price": 28,
                 "partly_returned": 4_701, "kept": 391_764}
SHIPPED_REVENUE = {"missing_customer_id": 1_191_276.06, "duplicate": 33_352.99,
                   "non_product": -79_955.57, "cancellation": -244_846.05,
                   "returned": 182_009.51, "zero_price": 0.0, "partly_returned": 215_346.25,
                   "kept": 8_242_301.44}


@pytest.fixture(scope="module")
def quirks():
    return load_online_retail(QUIRKS)


def test_every_quirk_gets_its_reason(quirks):
    assert quirks.audit["reason"].astype(str).tolist() == QUIRK_REASONS
    assert quirks.audit["returned_units"].tolist()[:5] == [3, 2, 0, 0, 5]
    clean = quirks.clean
    assert clean["quantity"].tolist() == [3, 1, 2, 1, 4, 1, 1, 1, 1, 1, 1]
    np.testing.assert_allclose(clean["revenue"].sum(), 6.0 + 10.0 + 1.25 + 5.9 + 150.0)
    raw = standardise_online_retail(read_online_retail(QUIRKS))
    quirks.reconcile(len(raw), float(raw["revenue"].sum()))


def test_cancellations_are_matched_line_by_line(quirks):
    returns = quirks.returns
    table = list(zip(returns["cancel_row"], returns["purchase_row"].fillna(-1),
                     returns["units"], returns["outcome"].astype(str), strict=True))
    assert table == [
        (3, -1, 5, "purchase_only_later"),
        (22, 4, 5, "earlier_purchase"), (22, -1, 2, "more_than_bought"),
        (20, -1, 2, "no_purchase"),
        (2, 1, 2, "earlier_purchase"), (2, 0, 2, "earlier_purchase"),
        (21, 0, 1, "earlier_purchase"),
    ]


def test_non_product_lines_are_set_apart_with_their_kind(quirks):
    table = quirks.non_product
    assert table["stock_code"].tolist() == ["M", "POST", "gift_0001_20"]
    assert table["kind"].tolist() == ["adjustment", "postage", "gift_voucher"]
    assert table["revenue"].tolist() == [8985.60, 18.00, 17.39]  # recorded, never altered
    by_order = quirks.non_product_by_order()
    assert by_order.loc["1001", "postage"] == 18.0
    assert not quirks.clean["stock_code"].isin(table["stock_code"]).any()


def test_prices_change_only_with_proof(quirks):
    audit = quirks.audit.set_index("row")
    assert audit["price_corrected"].tolist() == [r == "price_corrected" for r in QUIRK_REASONS]
    clean = quirks.clean.set_index("invoice_no")
    assert clean.loc["1105", "unit_price"] == 1.25  # stable lamp, exactly x100
    assert clean.loc["1205", "unit_price"] == 150.0  # unstable card: as recorded


def test_non_product_rules_by_hand():
    codes = pd.Series(["POST", "DOT", "C2", "BANK CHARGES", "AMAZONFEE", "S", "D", "M", "m",
                       "B", "CRUK", "PADS", "DCGS0058", "TEST001", "gift_0001_30", "ADJUST2",
                       "85123A", "22423", "EL1001", "C", "MUG"])
    kinds = non_product_kind(codes).tolist()
    assert kinds[:16] == ["postage", "postage", "postage", "fee", "fee", "sample", "discount",
                          "adjustment", "adjustment", "adjustment", "fee", "sample",
                          "marketplace", "test", "gift_voucher", "adjustment"]
    assert pd.isna(kinds[16:]).all()
    assert {kind for _, kind, _ in NON_PRODUCT_CODES} >= {"postage", "fee", "adjustment"}


def _to_ii_format(raw: pd.DataFrame) -> pd.DataFrame:
    """The sample as Online Retail II writes it: renamed columns, ISO dates, float ids."""
    out = raw.rename(columns=II_NAMES)
    out["InvoiceDate"] = pd.to_datetime(out["InvoiceDate"], format="%m/%d/%Y %H:%M").dt.strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    ids = out["Customer ID"]
    out["Customer ID"] = ids.where(ids.isna(), ids + ".0")
    return out


def test_both_formats_give_the_same_cleaning(tmp_path):
    first = load_online_retail(SAMPLE)
    assert len(first.audit) == 29
    path = tmp_path / "online_retail_II.csv"
    _to_ii_format(read_online_retail(SAMPLE)).to_csv(path, index=False)
    second = load_online_retail(path)
    pd.testing.assert_frame_equal(second.audit, first.audit)
    pd.testing.assert_frame_equal(second.clean, first.clean)
    assert first.clean.columns.tolist()[:7] == ["invoice_no", "stock_code", "description",
                                                "quantity", "invoice_date", "unit_price",
                                                "revenue"]


def _write_xlsx(raw: pd.DataFrame, path: Path, split: int) -> None:
    """Write typed cells the way the UCI workbooks hold them, over two sheets."""
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "Year 2009-2010"
    second = workbook.create_sheet("Year 2010-2011")
    header = list(raw.columns)
    for sheet, part in ((first, raw.iloc[:split]), (second, raw.iloc[split:])):
        sheet.append(header)
        for row in part.itertuples(index=False):
            record = dict(zip(header, row, strict=True))
            invoice = record["Invoice"]
            record["Invoice"] = int(invoice) if invoice.isdigit() else invoice
            code = record["StockCode"]
            record["StockCode"] = int(code) if code.isdigit() else code
            record["Quantity"] = int(record["Quantity"])
            record["InvoiceDate"] = dt.datetime.fromisoformat(record["InvoiceDate"])
            record["Price"] = float(record["Price"])
            ident = record["Customer ID"]
            record["Customer ID"] = None if pd.isna(ident) else float(ident)
            if pd.isna(record["Description"]):
                record["Description"] = None
            sheet.append([record[c] for c in header])
    workbook.save(path)


def test_xlsx_with_two_sheets_gives_the_same_result(tmp_path):
    path = tmp_path / "online_retail_II.xlsx"
    _write_xlsx(_to_ii_format(read_online_retail(SAMPLE)), path, split=12)
    both = load_online_retail(path)
    pd.testing.assert_frame_equal(both.audit, load_online_retail(SAMPLE).audit)
    second = load_online_retail(path, sheet_name="Year 2010-2011")
    assert len(second.audit) == 29 - 12
    assert second.audit["invoice_no"].iloc[0] == "C536383"  # row 12 of the sample


def test_latin1_csv_is_read(tmp_path):
    text = SAMPLE.read_text(encoding="utf-8").replace("DUCKS", "DUCKS CAFÉ")
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.encode("latin-1"))
    lines = standardise_online_retail(read_online_retail(path))
    assert lines.loc[12, "description"] == "SET OF 3 COLOURED  FLYING DUCKS CAFÉ"
    assert lines.columns.tolist() == list(STANDARD_COLUMNS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw.drop(columns="Country"), r"missing column 'Country'"),
        (
            lambda raw: raw.drop(columns="UnitPrice"),
            r"missing column 'UnitPrice' or 'Price' \(for 'unit_price'\)",
        ),
        (
            lambda raw: raw.assign(Invoice=raw["InvoiceNo"]),
            r"both columns \['InvoiceNo', 'Invoice'\]",
        ),
        (
            lambda raw: raw.assign(Quantity=raw["Quantity"].where(raw.index != 3, "1.5")),
            r"column 'Quantity' of raw data must hold whole numbers",
        ),
        (
            lambda raw: raw.assign(UnitPrice=raw["UnitPrice"].where(raw.index != 3)),
            r"column 'UnitPrice' of raw data has 1 missing values",
        ),
        (
            lambda raw: raw.assign(InvoiceDate=raw["InvoiceDate"].where(raw.index != 3, "soon")),
            r"column 'InvoiceDate' of raw data holds dates in none of the formats",
        ),
    ],
)
def test_bad_input_names_the_column(change, message):
    raw = read_online_retail(SAMPLE)
    with pytest.raises(ValueError, match=message):
        standardise_online_retail(change(raw))


def test_bad_files(tmp_path):
    text_file = tmp_path / "x.txt"
    text_file.write_text("InvoiceNo\n1\n")
    with pytest.raises(ValueError, match="unsupported file type '.txt'"):
        load_online_retail(text_file)
    with pytest.raises(ValueError, match="file not found"):
        load_online_retail(tmp_path / "missing.csv")


@pytest.fixture(scope="module")
def shipped():
    as_read = read_online_retail(ONLINE_RETAIL_FILE)
    return standardise_online_retail(as_read), load_online_retail(as_read)


def test_the_shipped_file_reconciles_with_its_headline_counts(shipped):
    raw, result = shipped
    assert len(raw) == 525_461 and raw["invoice_no"].nunique() == 28_816
    assert round(float(raw["revenue"].sum()), 2) == 9_539_484.63
    result.reconcile(len(raw), 9_539_484.63)
    summary = result.summary()
    assert summary.loc["total", "raw_revenue"] == pytest.approx(9_539_484.63, abs=0.005)
    lines = summary["lines"].drop("total")
    assert lines[lines > 0].to_dict() == SHIPPED_LINES
    revenue = summary["raw_revenue"].drop("total").round(2)
    assert revenue[lines > 0].to_dict() == pytest.approx(SHIPPED_REVENUE, abs=0.01)
    assert set(summary.index[:-1]) == set(REASONS)


def test_the_shipped_file_has_only_product_sales_at_recorded_prices(shipped):
    raw, result = shipped
    clean, audit = result.clean, result.audit
    assert clean["stock_code"].str.fullmatch(r"\d{5}[A-Za-z]{0,2}|SP1002").all()
    assert non_product_kind(clean["stock_code"]).isna().all()
    kept_rows = audit.loc[audit["status"] == "kept", "row"].to_numpy()
    np.testing.assert_array_equal(clean["unit_price"].to_numpy(),
                                  raw["unit_price"].to_numpy()[kept_rows])
    assert not audit["price_corrected"].any()
    # net of cancellations: no kept line holds more units than were bought
    assert (clean["quantity"].to_numpy() <= raw["quantity"].to_numpy()[kept_rows]).all()
    assert (clean["quantity"] > 0).all()


def test_the_readme_table_is_what_the_cleaning_gives(shipped):
    """README's worked example quotes the cleaning summary of the shipped file: it must hold."""
    _, result = shipped
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    table = readme.split("On this file it gives:", 1)[1].split("\n\n", 2)[1]
    rows = [
        [cell.strip().strip("*").replace(",", "") for cell in line.strip("|").split("|")]
        for line in table.splitlines()[2:]
    ]
    summary = result.summary()
    shown = summary.loc[summary["lines"] > 0]
    assert len(rows) == len(shown), "one README row per reason with lines, plus the total"
    for (reason, values), cells in zip(shown.iterrows(), rows, strict=True):
        assert int(cells[1]) == values["lines"], reason
        assert float(cells[2]) == pytest.approx(values["raw_revenue"], abs=0.005), reason
        if cells[3]:
            assert float(cells[3]) == pytest.approx(values["clean_revenue"], abs=0.005), reason
