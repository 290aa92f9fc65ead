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

:func:`load_online_retail` maps the columns and hands the lines to
:func:`helpers.cleaning.clean_orders`, the same cleaning and audit as the simulator's exports
(non-product codes such as postage and manual adjustments, cancellations matched to the
purchases they cancel, prices corrected only with proof). Every input row gets one reason and
the counts reconcile: ``len(result.audit) == rows read``.

>>> raw = pd.DataFrame({
...     "Invoice": ["489434", "489435", "C489449"], "StockCode": ["85048", "POST", "85048"],
...     "Description": ["LED BOX", "POSTAGE", "LED BOX"], "Quantity": [12, 1, -2],
...     "InvoiceDate": ["2009-12-01 07:45:00", "2009-12-01 07:46:00", "2009-12-01 10:33:00"],
...     "Price": [6.95, 18.0, 6.95], "Customer ID": [13085.0] * 3, "Country": ["UK"] * 3,
... })
>>> result = load_online_retail(raw)
>>> result.audit["reason"].tolist()
['partly_returned', 'non_product', 'cancellation']
>>> result.clean["quantity"].tolist(), result.clean["revenue"].round(2).tolist()
([10], [69.5])
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .cleaning import CleaningResult, clean_orders
from .validation import require_frame, require_numeric

__all__ = [
    "SOURCE_COLUMNS",
    "STANDARD_COLUMNS",
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

# The UCI file's CSV copies write dates as 12/1/2010 8:26 (US month first); the II file's
# CSV copies write ISO 8601. Tried in this order when no date_format is given.
_DATE_FORMATS = ("ISO8601", "%m/%d/%Y %H:%M")
_TEXT_COLUMNS = ("invoice_no", "stock_code", "description", "country")


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


def load_online_retail(
    source: str | Path | pd.DataFrame,
    *,
    sheet_name: str | int | None = None,
    encoding: str | None = None,
    date_format: str | None = None,
) -> CleaningResult:
    """Read an Online Retail (I or II) file or DataFrame and clean it like any export.

    The columns are standardised (:func:`standardise_online_retail`) and the lines handed to
    :func:`helpers.cleaning.clean_orders`: one reason per line, cancellations netted against
    the purchases they cancel, non-product lines (postage, fees, adjustments...) set apart.

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
    CleaningResult
        ``clean`` (product sales of identified customers, net of cancellations, in the
        standard columns plus ``outlier``), ``audit`` (one row per input row, ``row`` = its
        position), ``returns`` and ``non_product``; ``summary()`` and ``reconcile()``.

    Examples
    --------
    >>> raw = pd.DataFrame({"InvoiceNo": ["1", "2"], "StockCode": ["10002", "10003"],
    ...     "Description": ["x", "y"], "Quantity": [1, 2], "InvoiceDate": ["2010-12-01"] * 2,
    ...     "UnitPrice": [2.0, 0.0], "CustomerID": [12346, 12347], "Country": ["UK"] * 2})
    >>> result = load_online_retail(raw)
    >>> len(result.clean), result.audit["reason"].tolist()
    (1, ['kept', 'zero_price'])
    """
    if isinstance(source, pd.DataFrame):
        raw = source
    else:
        raw = read_online_retail(source, sheet_name=sheet_name, encoding=encoding)
    lines = standardise_online_retail(raw, date_format=date_format)
    return clean_orders(lines, channel_col=None, category_col=None)
