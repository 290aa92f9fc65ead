"""Load the UCI Online Retail (I and II) files into the course's standard transaction columns.

Both public datasets (Chen, Sain and Guo 2012; Chen 2019) describe a UK online gift shop,
one row per invoice line, but name their columns differently:

================  ===================  ======================  ===========================
standard column   Online Retail        Online Retail II        type here
================  ===================  ======================  ===========================
invoice_no        InvoiceNo            Invoice                 str
stock_code        StockCode            StockCode               str
description       Description          Description             str (may be missing)
quantity          Quantity             Quantity                int64
invoice_date      InvoiceDate          InvoiceDate             datetime64[ns]
unit_price        UnitPrice            Price                   float64
revenue           (computed)           (computed)              float64, quantity x price
customer_id       CustomerID           Customer ID             Int64 (missing: <NA>)
country           Country              Country                 str
================  ===================  ======================  ===========================

:func:`load_online_retail` returns the lines fit for customer analytics *and* an audit with
every input row and the one reason it was kept or dropped, so the counts reconcile:
``len(audit) == rows read`` and ``(audit["reason"] == "kept").sum() == len(lines)``.

>>> raw = pd.DataFrame({
...     "Invoice": ["489434", "C489449"], "StockCode": ["85048", "22087"],
...     "Description": ["LED BOX", "PAPER BUNTING"], "Quantity": [12, -12],
...     "InvoiceDate": ["2009-12-01 07:45:00", "2009-12-01 10:33:00"],
...     "Price": [6.95, 2.95], "Customer ID": [13085.0, 16321.0], "Country": ["UK", "UK"],
... })
>>> data = load_online_retail(raw)
>>> data.lines["revenue"].tolist(), data.audit["reason"].tolist()
([83.4], ['kept', 'cancellation'])
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .validation import require_frame, require_numeric

__all__ = [
    "AUDIT_REASONS",
    "SOURCE_COLUMNS",
    "STANDARD_COLUMNS",
    "OnlineRetail",
    "audit_reasons",
    "load_online_retail",
    "read_online_retail",
    "standardise_online_retail",
]

#: Accepted source names for each standard column (Online Retail first, then II).
SOURCE_COLUMNS: dict[str, tuple[str, ...]] = {
    "invoice_no": ("InvoiceNo", "Invoice"),
    "stock_code": ("StockCode",),
    "description": ("Description",),
    "quantity": ("Quantity",),
    "invoice_date": ("InvoiceDate",),
    "unit_price": ("UnitPrice", "Price"),
    "customer_id": ("CustomerID", "Customer ID"),
    "country": ("Country",),
}

#: Columns of the standardised table, in order.
STANDARD_COLUMNS: tuple[str, ...] = (
    "invoice_no",
    "stock_code",
    "description",
    "quantity",
    "invoice_date",
    "unit_price",
    "revenue",
    "customer_id",
    "country",
)

#: Audit reasons. A row gets the first that applies, in this order after ``kept``:
#: a cancellation (invoice starting with "C") is reported as such even though its quantity is
#: negative and its customer may be missing.
AUDIT_REASONS: tuple[str, ...] = (
    "kept",
    "cancellation",
    "missing_customer_id",
    "zero_or_negative_price",
    "non_positive_quantity",
)

# The UCI file's CSV copies write dates as 12/1/2010 8:26 (US month first); the II file's
# CSV copies write ISO 8601. Tried in this order when no date_format is given.
_DATE_FORMATS = ("ISO8601", "%m/%d/%Y %H:%M")
_TEXT_COLUMNS = ("invoice_no", "stock_code", "description", "country")


class OnlineRetail(NamedTuple):
    """Result of :func:`load_online_retail`.

    Attributes
    ----------
    lines : DataFrame
        Kept rows in the standard columns, indexed by their row number in the input.
    audit : DataFrame
        Every input row in the standard columns plus ``reason`` (categorical with the
        categories of :data:`AUDIT_REASONS`). Indexed by row number for a file (0-based,
        header excluded; the sheets of a workbook are numbered on from one another), by the
        DataFrame's own index for data passed in memory.
    """

    lines: pd.DataFrame
    audit: pd.DataFrame


def read_online_retail(
    path: str | Path, *, sheet_name: str | int | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """Read an Online Retail CSV or XLSX file as it is, columns unrenamed.

    Parameters
    ----------
    path : str or Path
        ``.csv`` (also compressed: ``.csv.xz``, ``.csv.gz``...) or ``.xlsx`` file.
    sheet_name : str or int, optional
        Workbook sheet. Default: all sheets, stacked (Online Retail II ships two years as
        two sheets).
    encoding : str, optional
        CSV encoding. Default: UTF-8, falling back to Latin-1 (the encoding of the widely
        shared CSV copy of Online Retail, whose descriptions contain a few non-ASCII bytes).

    Returns
    -------
    DataFrame
        The rows with the file's own column names; CSV cells are read as text (numbers and
        dates are converted by :func:`standardise_online_retail`).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "retail.csv"
    >>> _ = path.write_text("InvoiceNo,Quantity\\n536365,6\\n")
    >>> read_online_retail(path)["InvoiceNo"].tolist()
    ['536365']
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in (".xz", ".gz", ".bz2", ".zip"):  # compressed CSV: pandas decompresses it
        suffix = Path(path.stem).suffix.lower()
    if suffix == ".csv":
        # Text first: invoice and stock codes like 536365 / 85123A must not become numbers.
        if encoding is not None:
            return pd.read_csv(path, dtype=str, encoding=encoding)
        try:
            return pd.read_csv(path, dtype=str, encoding="utf-8")
        except UnicodeDecodeError:
            return pd.read_csv(path, dtype=str, encoding="latin-1")
    if suffix in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(path, sheet_name=sheet_name, engine="openpyxl")
        if isinstance(sheets, dict):
            return pd.concat(list(sheets.values()), ignore_index=True)
        return sheets
    raise ValueError(f"unsupported file type '{path.suffix}' for {path}: use .csv or .xlsx")


def _source_names(raw: pd.DataFrame) -> dict[str, str]:
    """Map each standard column to the one source column present, raising if none or two."""
    names = {}
    for standard, candidates in SOURCE_COLUMNS.items():
        present = [c for c in candidates if c in raw.columns]
        if not present:
            raise ValueError(
                f"raw data is missing column {' or '.join(repr(c) for c in candidates)} "
                f"(for '{standard}'); available columns: {list(raw.columns)}"
            )
        if len(present) > 1:
            raise ValueError(f"raw data has both columns {present}; keep one (for '{standard}')")
        names[standard] = present[0]
    return names


def _as_text(values: pd.Series) -> pd.Series:
    if values.dtype == object or pd.api.types.is_float_dtype(values):
        # A spreadsheet column with any float cell hands back 536365 as 536365.0.
        values = values.map(lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else v)
    return values.astype("str")


def _as_whole_numbers(raw: pd.DataFrame, column: str, *, allow_missing: bool) -> pd.Series:
    numbers = require_numeric(raw, column, name="raw data")
    missing = numbers.isna()
    if missing.any() and not allow_missing:
        raise ValueError(f"column '{column}' of raw data has {int(missing.sum())} missing values")
    fractional = ~missing & (numbers != np.round(numbers))
    if fractional.any():
        examples = raw.loc[fractional, column].head(3).tolist()
        raise ValueError(f"column '{column}' of raw data must hold whole numbers, e.g. {examples}")
    return numbers.astype("Int64")


def _as_dates(raw: pd.DataFrame, column: str, date_format: str | None) -> pd.Series:
    values = raw[column]
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
    else:
        parsed = None
        text = values.astype("str")
        for fmt in (date_format,) if date_format else _DATE_FORMATS:
            try:
                parsed = pd.to_datetime(text, format=fmt)
                break
            except (TypeError, ValueError):
                continue
        if parsed is None:
            examples = values.dropna().astype(str).head(3).tolist()
            tried = [date_format] if date_format else list(_DATE_FORMATS)
            raise ValueError(
                f"column '{column}' of raw data holds dates in none of the formats {tried}, "
                f"e.g. {examples}; pass date_format="
            )
    if parsed.isna().any():
        raise ValueError(
            f"column '{column}' of raw data has {int(parsed.isna().sum())} missing dates"
        )
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def standardise_online_retail(
    raw: pd.DataFrame, *, date_format: str | None = None
) -> pd.DataFrame:
    """Rename and type the columns of either Online Retail format; keep every row.

    Parameters
    ----------
    raw : DataFrame
        As read by :func:`read_online_retail` (or ``pd.read_csv``/``pd.read_excel``).
    date_format : str, optional
        ``strftime`` format of ``InvoiceDate`` when it is text. Default: ISO 8601, then the
        UCI CSV's ``%m/%d/%Y %H:%M``.

    Returns
    -------
    DataFrame
        The columns of :data:`STANDARD_COLUMNS` with the types in the module table; the
        index of ``raw`` is kept.

    Raises
    ------
    ValueError
        If a column is missing in both spellings (or present in both), a quantity or
        customer id is not a whole number, a price or quantity is missing or not numeric,
        an invoice number is missing, or a date cannot be parsed.

    Examples
    --------
    >>> raw = pd.DataFrame({"InvoiceNo": ["536365"], "StockCode": ["85123A"],
    ...     "Description": ["T-LIGHT HOLDER"], "Quantity": ["6"],
    ...     "InvoiceDate": ["12/1/2010 8:26"], "UnitPrice": ["2.55"], "CustomerID": ["17850"],
    ...     "Country": ["United Kingdom"]})
    >>> row = standardise_online_retail(raw).iloc[0]
    >>> str(row["invoice_date"]), round(float(row["revenue"]), 2), int(row["customer_id"])
    ('2010-12-01 08:26:00', 15.3, 17850)
    """
    raw = require_frame(raw, name="raw data")
    names = _source_names(raw)
    out = pd.DataFrame(index=raw.index)
    for column in _TEXT_COLUMNS:
        out[column] = _as_text(raw[names[column]])
    if out["invoice_no"].isna().any():
        raise ValueError(
            f"column '{names['invoice_no']}' of raw data has "
            f"{int(out['invoice_no'].isna().sum())} missing invoice numbers"
        )
    out["invoice_no"] = out["invoice_no"].str.strip()
    out["quantity"] = _as_whole_numbers(raw, names["quantity"], allow_missing=False).astype(
        "int64"
    )
    out["invoice_date"] = _as_dates(raw, names["invoice_date"], date_format)
    price = require_numeric(raw, names["unit_price"], name="raw data")
    if price.isna().any():
        raise ValueError(
            f"column '{names['unit_price']}' of raw data has {int(price.isna().sum())} "
            "missing values"
        )
    out["unit_price"] = price.astype("float64")
    out["revenue"] = out["quantity"] * out["unit_price"]
    out["customer_id"] = _as_whole_numbers(raw, names["customer_id"], allow_missing=True)
    return out[list(STANDARD_COLUMNS)]


def audit_reasons(lines: pd.DataFrame) -> pd.Series:
    """The reason each standardised row is kept or dropped (first that applies).

    In order: ``cancellation`` (invoice number starts with "C"), ``missing_customer_id``,
    ``zero_or_negative_price`` (also catches Online Retail II's "A" bad-debt adjustments,
    which have negative prices), ``non_positive_quantity`` (stock write-offs without a
    "C" invoice), else ``kept``.

    Parameters
    ----------
    lines : DataFrame
        Output of :func:`standardise_online_retail`.

    Returns
    -------
    Series
        Categorical named ``reason`` with the categories of :data:`AUDIT_REASONS`.

    Examples
    --------
    >>> lines = pd.DataFrame({"invoice_no": ["C1", "2", "3"], "customer_id": [1, None, 3],
    ...                       "unit_price": [1.0, 1.0, 0.0], "quantity": [-1, 1, 1]})
    >>> audit_reasons(lines).tolist()
    ['cancellation', 'missing_customer_id', 'zero_or_negative_price']
    """
    conditions = [
        lines["invoice_no"].str.upper().str.startswith("C").to_numpy(dtype=bool),
        lines["customer_id"].isna().to_numpy(dtype=bool),
        (lines["unit_price"] <= 0).to_numpy(dtype=bool),
        (lines["quantity"] <= 0).to_numpy(dtype=bool),
    ]
    reasons = np.select(conditions, list(AUDIT_REASONS[1:]), default=AUDIT_REASONS[0])
    return pd.Series(
        pd.Categorical(reasons, categories=list(AUDIT_REASONS)), index=lines.index, name="reason"
    )


def load_online_retail(
    source: str | Path | pd.DataFrame,
    *,
    sheet_name: str | int | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
) -> OnlineRetail:
    """Read, standardise and audit an Online Retail (I or II) file or DataFrame.

    Kept rows are the purchases of identified customers: not cancellations, with a customer
    id, a positive price and a positive quantity. Returns are left out of ``lines`` (they
    are in the audit as ``cancellation``) so RFM on ``lines`` counts purchases only; join
    the cancellations back if you want net spend.

    Parameters
    ----------
    source : str, Path or DataFrame
        A ``.csv``/``.xlsx`` path, or raw data already in memory.
    sheet_name, encoding
        Passed to :func:`read_online_retail`.
    date_format
        Passed to :func:`standardise_online_retail`.

    Returns
    -------
    OnlineRetail
        ``lines`` (kept rows, standard columns, ``customer_id`` without missing values) and
        ``audit`` (every row plus ``reason``). ``audit["reason"].value_counts()`` shows what
        was dropped and why.

    Examples
    --------
    >>> raw = pd.DataFrame({"InvoiceNo": ["1", "2"], "StockCode": ["A", "B"],
    ...     "Description": ["x", "y"], "Quantity": [1, 2], "InvoiceDate": ["2010-12-01"] * 2,
    ...     "UnitPrice": [2.0, 0.0], "CustomerID": [12346, 12347], "Country": ["UK"] * 2})
    >>> data = load_online_retail(raw)
    >>> len(data.lines), data.audit["reason"].tolist()
    (1, ['kept', 'zero_or_negative_price'])
    """
    if isinstance(source, pd.DataFrame):
        raw = source
    else:
        raw = read_online_retail(source, sheet_name=sheet_name, encoding=encoding)
    audit = standardise_online_retail(raw, date_format=date_format)
    audit["reason"] = audit_reasons(audit)
    lines = audit.loc[audit["reason"] == "kept", list(STANDARD_COLUMNS)].copy()
    return OnlineRetail(lines=lines, audit=audit)
