"""Tests for helpers.online_retail on a 29-row fixture in the Online Retail (I) format.

The fixture's rows and their expected audit reasons (row numbers are 0-based):

* kept (17): 0-8, 10, 11, 17, 18, 19, 21, 24, 27
* cancellation (5): 9, 12, 20, 26, and 28 (whose customer id is also missing)
* missing_customer_id (3): 13 (whose price is also 0), 14, 15
* zero_or_negative_price (2): 16 (price 0), 25 ("A" bad-debt adjustment, negative price)
* non_positive_quantity (2): 22 (quantity -2, no "C"), 23 (quantity 0)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from helpers.online_retail import (
    AUDIT_REASONS,
    STANDARD_COLUMNS,
    load_online_retail,
    read_online_retail,
    standardise_online_retail,
)
from helpers.rfm import rfm_table

FIXTURE = Path(__file__).parent / "fixtures" / "online_retail_sample.csv"
II_NAMES = {"InvoiceNo": "Invoice", "UnitPrice": "Price", "CustomerID": "Customer ID"}
EXPECTED_COUNTS = {
    "kept": 17,
    "cancellation": 5,
    "missing_customer_id": 3,
    "zero_or_negative_price": 2,
    "non_positive_quantity": 2,
}
KEPT_ROWS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 17, 18, 19, 21, 24, 27]


@pytest.fixture(scope="module")
def loaded():
    return load_online_retail(FIXTURE)


def test_audit_reconciles_with_hand_counts(loaded):
    lines, audit = loaded
    assert len(audit) == 29
    counts = audit["reason"].value_counts(sort=False)
    assert list(counts.index) == list(AUDIT_REASONS)
    assert counts.to_dict() == EXPECTED_COUNTS
    assert sum(EXPECTED_COUNTS.values()) == len(audit)
    assert lines.index.tolist() == KEPT_ROWS
    assert audit.index.tolist() == list(range(29))


def test_reason_precedence(loaded):
    reason = loaded.audit["reason"]
    assert reason[28] == "cancellation"  # also has no customer id
    assert reason[13] == "missing_customer_id"  # also has price 0
    assert reason[25] == "zero_or_negative_price"  # A563187, price -11062.06
    assert reason[16] == "zero_or_negative_price"
    assert reason[22] == "non_positive_quantity"
    assert reason[23] == "non_positive_quantity"
    assert reason[26] == "cancellation" and reason[27] == "kept"


def test_standard_columns_and_types(loaded):
    lines, audit = loaded
    assert lines.columns.tolist() == list(STANDARD_COLUMNS)
    assert audit.columns.tolist() == [*STANDARD_COLUMNS, "reason"]
    assert lines["invoice_no"].dtype == "str"
    assert lines["quantity"].dtype == np.int64
    assert lines["invoice_date"].dtype == "datetime64[ns]"
    assert lines["unit_price"].dtype == np.float64
    assert lines["customer_id"].dtype == "Int64"
    assert not lines["customer_id"].isna().any()
    assert audit["customer_id"].isna().sum() == 4


def test_values_of_individual_rows(loaded):
    audit = loaded.audit
    first = audit.loc[0]
    assert first["invoice_no"] == "536365"
    assert first["stock_code"] == "85123A"
    assert first["invoice_date"] == pd.Timestamp("2010-12-01 08:26")  # US month first
    assert first["customer_id"] == 17850
    assert first["revenue"] == pytest.approx(15.30)
    assert audit.loc[11, "description"] == "AIRLINE LOUNGE,METAL SIGN"  # quoted comma
    assert pd.isna(audit.loc[13, "description"])
    assert audit.loc[24, "invoice_date"] == pd.Timestamp("2011-01-26 14:30")
    assert audit.loc[26, "revenue"] == pytest.approx(-77183.60)
    np.testing.assert_allclose(audit["revenue"], audit["quantity"] * audit["unit_price"])
    assert loaded.lines["revenue"].sum() == pytest.approx(77601.97)  # the six customers' RFM


def test_rfm_on_loaded_lines(loaded):
    rfm = rfm_table(
        loaded.lines,
        customer_col="customer_id",
        date_col="invoice_date",
        amount_col="revenue",
        order_col="invoice_no",
    )
    # as_of = 2011-01-27, the day after the last kept line (26 Jan). 14527 (cancellation
    # only) and 12647 (zero price only) have no kept line.
    assert rfm.index.tolist() == [12346, 12347, 12583, 13047, 15311, 17850]
    assert rfm["recency"].tolist() == [9, 1, 57, 49, 57, 50]
    assert rfm["frequency"].tolist() == [1, 2, 1, 2, 1, 3]
    np.testing.assert_allclose(
        rfm["monetary"], [77183.60, 62.60, 144.00, 97.28, 9.15, 105.34], rtol=1e-12
    )


def _to_ii_format(raw: pd.DataFrame) -> pd.DataFrame:
    """The fixture as Online Retail II writes it: renamed columns, ISO dates, float ids."""
    out = raw.rename(columns=II_NAMES)
    out["InvoiceDate"] = pd.to_datetime(out["InvoiceDate"], format="%m/%d/%Y %H:%M").dt.strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    ids = out["Customer ID"]
    out["Customer ID"] = ids.where(ids.isna(), ids + ".0")
    return out


def test_online_retail_ii_csv_gives_the_same_result(loaded, tmp_path):
    raw = read_online_retail(FIXTURE)
    path = tmp_path / "online_retail_II.csv"
    ii = _to_ii_format(raw)
    ii.to_csv(path, index=False)
    assert "Customer ID" in path.read_text().splitlines()[0]
    result = load_online_retail(path)
    pd.testing.assert_frame_equal(result.audit, loaded.audit)
    pd.testing.assert_frame_equal(result.lines, loaded.lines)


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


def test_xlsx_with_two_sheets_gives_the_same_result(loaded, tmp_path):
    path = tmp_path / "online_retail_II.xlsx"
    _write_xlsx(_to_ii_format(read_online_retail(FIXTURE)), path, split=12)
    both = load_online_retail(path)
    pd.testing.assert_frame_equal(both.audit, loaded.audit)
    pd.testing.assert_frame_equal(both.lines, loaded.lines)
    second = load_online_retail(path, sheet_name="Year 2010-2011")
    assert len(second.audit) == 29 - 12
    assert second.audit["invoice_no"].iloc[0] == "C536383"  # row 12 of the fixture


def test_latin1_csv_is_read(tmp_path):
    text = FIXTURE.read_text(encoding="utf-8").replace("DUCKS", "DUCKS CAFÉ")
    path = tmp_path / "latin1.csv"
    path.write_bytes(text.encode("latin-1"))
    audit = load_online_retail(path).audit
    assert audit.loc[12, "description"] == "SET OF 3 COLOURED  FLYING DUCKS CAFÉ"


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
            lambda raw: raw.assign(Quantity=raw["Quantity"].where(raw.index != 3, "six")),
            r"column 'Quantity' of raw data must be numeric.*'six'",
        ),
        (
            lambda raw: raw.assign(Quantity=raw["Quantity"].where(raw.index != 3, "1.5")),
            r"column 'Quantity' of raw data must hold whole numbers",
        ),
        (
            lambda raw: raw.assign(CustomerID=raw["CustomerID"].where(raw.index != 3, "17850.5")),
            r"column 'CustomerID' of raw data must hold whole numbers",
        ),
        (
            lambda raw: raw.assign(UnitPrice=raw["UnitPrice"].where(raw.index != 3)),
            r"column 'UnitPrice' of raw data has 1 missing values",
        ),
        (
            lambda raw: raw.assign(InvoiceDate=raw["InvoiceDate"].where(raw.index != 3, "soon")),
            r"column 'InvoiceDate' of raw data holds dates in none of the formats",
        ),
        (
            lambda raw: raw.assign(InvoiceNo=raw["InvoiceNo"].where(raw.index != 3)),
            r"column 'InvoiceNo' of raw data has 1 missing invoice numbers",
        ),
    ],
)
def test_bad_input_names_the_column(change, message):
    raw = read_online_retail(FIXTURE)
    with pytest.raises(ValueError, match=message):
        standardise_online_retail(change(raw))


def test_explicit_date_format_and_bad_files(tmp_path):
    raw = read_online_retail(FIXTURE)
    day_first = raw.assign(
        InvoiceDate=pd.to_datetime(raw["InvoiceDate"], format="%m/%d/%Y %H:%M").dt.strftime(
            "%d.%m.%Y %H:%M"
        )
    )
    lines = load_online_retail(day_first, date_format="%d.%m.%Y %H:%M").lines
    assert lines.loc[24, "invoice_date"] == pd.Timestamp("2011-01-26 14:30")
    text_file = tmp_path / "x.txt"
    text_file.write_text("InvoiceNo\n1\n")
    with pytest.raises(ValueError, match="unsupported file type '.txt'"):
        load_online_retail(text_file)
    with pytest.raises(ValueError, match="file not found"):
        load_online_retail(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="raw data is empty"):
        load_online_retail(raw.iloc[:0])
