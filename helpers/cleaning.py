"""Clean order lines and the CRM table, and account for every row in an audit.

Each raw order line ends up under exactly one reason, checked in this order (the first that
applies wins):

=======================  =======  =======================================================
reason                   status   rule
=======================  =======  =======================================================
``test_account``         dropped  the customer is an internal test account
``missing_customer_id``  dropped  no customer id (guest checkout): cannot be profiled
``duplicate``            dropped  exact copy of an earlier line (all columns equal)
``non_product``          dropped  not a product sale: postage, fees, manual adjustments,
                                  discounts, samples, gift vouchers, tests (the stock code
                                  matches a pattern of :data:`NON_PRODUCT_CODES`); kept in
                                  :attr:`CleaningResult.non_product`, e.g. postage per order
``cancellation``         dropped  invoice starts with ``C`` (a return or cancellation)
``returned``             dropped  every unit of the line was cancelled later
``invalid_quantity``     dropped  zero or negative quantity without a ``C`` invoice
``zero_price``           dropped  unit price 0 or below: the real price is unknown
``partly_returned``      kept     some units were cancelled later: kept with those units
                                  netted off its quantity and revenue
``price_corrected``      kept     a missing decimal point, proven: the price is exactly 100
                                  times a price the product sells at, and the product's
                                  price history is stable; divided by 100
``price_unverified``     kept     price at least ``PRICE_TYPO_RATIO`` times the product's
                                  median without that proof: left as recorded, flagged
``kept``                 kept     nothing wrong
=======================  =======  =======================================================

Cancellations are matched to the purchases they cancel (:func:`match_cancellations`): the
same customer and stock code, a purchase not later than the cancellation, at most the units
cancelled, partial cancellations included. A cancellation that names its original invoice
(``C`` + the original number, as the simulator's tills write it) takes its units from that
invoice first; the rest come from the customer's most recent earlier purchases of the
product. Units that find no purchase (bought before the export began, or never bought) remove
nothing, and :attr:`CleaningResult.returns` says why, line by line. A partly returned line
keeps its own reason even if its price is also a typo: the audit's ``price_corrected`` flag
says whether it was corrected.

Labels (country, channel, category) are standardised on kept lines and flagged in the
audit; extreme lines are flagged as ``outlier``, never removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .constants import (
    BIRTH_DATE,
    CATEGORY,
    CHANNEL,
    COUNTRY,
    CUSTOMER_ID,
    DESCRIPTION,
    EMAIL_DOMAIN,
    INVOICE,
    INVOICE_DATE,
    QUANTITY,
    REVENUE,
    SIGNUP_DATE,
    STOCK_CODE,
    UNIT_PRICE,
)
from .labels import standardise_category, standardise_channel, standardise_country
from .validation import require_columns, require_frame, require_numeric

DROP_REASONS: tuple[str, ...] = (
    "test_account",
    "missing_customer_id",
    "duplicate",
    "non_product",
    "cancellation",
    "returned",
    "invalid_quantity",
    "zero_price",
)
KEEP_REASONS: tuple[str, ...] = ("partly_returned", "price_corrected", "price_unverified",
                                 "kept")
REASONS: tuple[str, ...] = DROP_REASONS + KEEP_REASONS
#: Each reason in a marketer's words, for tables and charts.
REASON_LABELS: dict[str, str] = {
    "test_account": "Internal test accounts",
    "missing_customer_id": "Guest orders (no customer id)",
    "duplicate": "Duplicate lines",
    "non_product": "Postage, fees and other non-products",
    "cancellation": "Cancellation lines",
    "returned": "Purchases returned in full",
    "invalid_quantity": "Invalid quantities",
    "zero_price": "Zero prices",
    "partly_returned": "Purchases partly returned (netted)",
    "price_corrected": "Price typos corrected (÷100)",
    "price_unverified": "High prices left as recorded",
    "kept": "Kept as recorded",
}

#: Formats found in the retailer's exports: the web shop writes ISO, the tills UK day-first.
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")
#: A price at least this many times the product's median is suspect (a missing decimal
#: point?). It is corrected only with proof (see ``PRICE_STABLE_SPREAD``), else flagged.
PRICE_TYPO_RATIO = 50.0
#: A product's price history is stable when its other prices (the non-suspect lines still in
#: play) number at least ``PRICE_MIN_HISTORY`` and lie within this factor of their median.
PRICE_STABLE_SPREAD = 2.0
PRICE_MIN_HISTORY = 3

#: Stock codes that are not product sales, as ``(regular expression, kind, meaning)``; a code
#: (stripped of spaces) that fully matches a pattern is ``non_product`` of that kind. Drawn
#: from the UCI Online Retail exports, whose product codes are five digits and an optional
#: letter suffix (``85123A``); the simulator's codes (``EL1001``) match none of them.
NON_PRODUCT_CODES: tuple[tuple[str, str, str], ...] = (
    (r"POST|DOT", "postage", "postage (DOT: postage of the dotcom shop)"),
    (r"C\d", "postage", "carriage (C2, C3)"),
    (r"BANK CHARGES", "fee", "bank charges"),
    (r"AMAZONFEE", "fee", "marketplace fee (Amazon)"),
    (r"CRUK", "fee", "charity commission (Cancer Research UK)"),
    (r"[Mm]|ADJUST\d*", "adjustment", "manual line or adjustment (any amount, any sign)"),
    (r"B", "adjustment", "bad-debt adjustment (invoices starting with A)"),
    (r"D", "discount", "discount (negative revenue)"),
    (r"S", "sample", "samples"),
    (r"PADS", "sample", "pads to match cushions, given at a nominal price of 0.001"),
    (r"gift_\d+_\d+|GIFT", "gift_voucher", "gift voucher sold (not yet a sale of goods)"),
    (r"DCGS\w*", "marketplace", "Dotcomgiftshop marketplace item outside the catalogue"),
    (r"(?i)TEST\w*", "test", "test product"),
)
#: Plausible ages of a customer account (years); outside them an age is "impossible".
MIN_AGE: int = 16
MAX_AGE: int = 100

#: Robust z-score (on log revenue) above which a kept line is flagged as an outlier.
OUTLIER_Z = 4.0
#: A line with at least this many times the product's median quantity (and 10 units or more)
#: is flagged as an outlier: usually a trade buyer, real but not typical.
OUTLIER_QUANTITY_RATIO = 10.0


@dataclass
class CleaningResult:
    """Clean orders, the row-by-row audit and a summary by reason.

    Attributes
    ----------
    clean : DataFrame
        Kept lines in the course's standard columns plus ``revenue`` and ``outlier``.
    audit : DataFrame
        One row per raw line (``row`` = position in the raw table) with ``status``,
        ``reason``, ``raw_revenue``, ``clean_revenue``, ``returned_units`` (units of a
        purchase line that returns took back: all of a ``returned`` line, some of a
        ``partly_returned`` one, else 0) and the flags ``labels_fixed``, ``price_corrected``
        and ``outlier``.
    unknown_labels : dict
        Labels that matched no canonical spelling, by column (empty when all matched).
    returns : DataFrame
        What happened to every cancelled unit (:func:`match_cancellations`), one row per
        cancellation line and purchase line it was matched to (``cancel_row`` and
        ``purchase_row`` are rows of the audit), plus one row per cancellation line with
        unmatched units, with the reason in ``outcome``.
    non_product : DataFrame
        The ``non_product`` lines with their ``kind`` (postage, fee...): see
        :meth:`non_product_by_order` for postage and fees per order.
    """

    clean: pd.DataFrame
    audit: pd.DataFrame
    unknown_labels: dict[str, list[str]]
    returns: pd.DataFrame = field(default_factory=pd.DataFrame)
    non_product: pd.DataFrame = field(default_factory=pd.DataFrame)

    def non_product_by_order(self) -> pd.DataFrame:
        """Revenue of the non-product lines (postage, fees...) per invoice, one column per
        kind (0 where an invoice has none), for invoices of identified customers."""
        table = self.non_product
        if table.empty:
            return pd.DataFrame(index=pd.Index([], name=INVOICE, dtype="str"))
        out = table.pivot_table(index=INVOICE, columns="kind", values=REVENUE, aggfunc="sum",
                                fill_value=0.0)
        out.columns.name = None
        return out

    def returns_by_outcome(self) -> pd.DataFrame:
        """Cancelled units by outcome (:data:`MATCH_OUTCOMES`, in that order, 0 where none):
        ``cancellations`` (lines with units of that outcome), ``units`` and ``value``
        (units x the cancellation's unit price). Matched outcomes are netted off purchases;
        unmatched units remove nothing."""
        table = self.returns
        if table.empty:
            table = pd.DataFrame({"cancel_row": [], "units": [], "unit_price": [],
                                  "outcome": []})
        grouped = table.assign(value=table["units"] * table["unit_price"]).groupby(
            table["outcome"].astype("str"))
        out = pd.DataFrame({"cancellations": grouped["cancel_row"].nunique(),
                            "units": grouped["units"].sum(), "value": grouped["value"].sum()})
        out = out.reindex(list(MATCH_OUTCOMES), fill_value=0)
        out[["cancellations", "units"]] = out[["cancellations", "units"]].astype("int64")
        out["value"] = out["value"].astype("float64")
        out.index.name = "outcome"
        return out

    def summary(self) -> pd.DataFrame:
        """Lines and revenue by reason, in the order of the rules, with a total row.

        ``removed_revenue`` is what each reason took out of the raw total (for corrected
        prices, the excess); raw revenue = clean revenue + removed revenue, line by line.
        """
        audit = self.audit
        table = (
            audit.groupby("reason", observed=False)
            .agg(
                status=("status", "first"),
                lines=("row", "size"),
                raw_revenue=("raw_revenue", "sum"),
                clean_revenue=("clean_revenue", "sum"),
            )
            .reindex(list(REASONS))
        )
        table["status"] = np.where(table.index.isin(DROP_REASONS), "dropped", "kept")
        table["lines"] = table["lines"].fillna(0).astype(int)
        table[["raw_revenue", "clean_revenue"]] = table[["raw_revenue", "clean_revenue"]].fillna(
            0.0
        )
        table["removed_revenue"] = table["raw_revenue"] - table["clean_revenue"]
        total = pd.DataFrame(
            {
                "status": ["all"],
                "lines": [int(table["lines"].sum())],
                "raw_revenue": [table["raw_revenue"].sum()],
                "clean_revenue": [table["clean_revenue"].sum()],
                "removed_revenue": [table["removed_revenue"].sum()],
            },
            index=["total"],
        )
        out = pd.concat([table, total])
        out.index.name = "reason"
        return out

    def reconcile(self, raw_lines: int, raw_revenue: float) -> None:
        """Check that lines and revenue add up; raise ``AssertionError`` if not.

        Parameters
        ----------
        raw_lines : int
            Number of lines in the raw export.
        raw_revenue : float
            Sum of quantity x unit price over the raw export.
        """
        audit = self.audit
        if len(audit) != raw_lines or not audit["row"].is_unique:
            raise AssertionError(f"audit has {len(audit)} rows for {raw_lines} raw lines")
        if not np.isclose(audit["raw_revenue"].sum(), raw_revenue, rtol=0, atol=0.01):
            raise AssertionError("audit raw revenue differs from the raw export")
        kept = audit["status"] == "kept"
        if int(kept.sum()) != len(self.clean):
            raise AssertionError("kept lines in the audit differ from the clean table")
        if not np.isclose(
            self.clean[REVENUE].sum(), audit.loc[kept, "clean_revenue"].sum(), rtol=0, atol=0.01
        ):
            raise AssertionError("clean revenue differs between the audit and the clean table")


def parse_mixed_dates(
    values: pd.Series, formats: Sequence[str] = DATE_FORMATS, *, column: str = INVOICE_DATE
) -> tuple[pd.Series, pd.Series]:
    """Parse text dates written in any of several explicit formats.

    Each value is tried against the formats in order; the first that matches wins. Explicit
    formats avoid the silent day/month swaps of guessing parsers (is 03/04 March or April?).

    Returns
    -------
    dates : Series of datetime64
    format_used : Series of str
        The format that matched each value.

    Raises
    ------
    ValueError
        If some values match none of the formats (examples are named).

    Examples
    --------
    >>> d, f = parse_mixed_dates(pd.Series(["2024-03-05 10:00:00", "05/03/2024 10:00"]))
    >>> d.dt.strftime("%Y-%m-%d").tolist()
    ['2024-03-05', '2024-03-05']
    """
    text = values.astype("str").str.strip()
    dates = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    used = pd.Series(pd.NA, index=values.index, dtype="str")
    for fmt in formats:
        unparsed = dates.isna()
        if not unparsed.any():
            break
        parsed = pd.to_datetime(text[unparsed], format=fmt, errors="coerce")
        ok = parsed.notna()
        dates.loc[ok[ok].index] = parsed[ok].astype("datetime64[us]")
        used.loc[ok[ok].index] = fmt
    bad = dates.isna()
    if bad.any():
        examples = values[bad].astype(str).unique()[:3].tolist()
        raise ValueError(
            f"column '{column}' has {int(bad.sum())} date(s) in none of the formats "
            f"{list(formats)}, e.g. {examples}"
        )
    return dates, used


def flag_outliers(
    lines: pd.DataFrame,
    *,
    quantity_col: str = QUANTITY,
    stock_col: str = STOCK_CODE,
    revenue_col: str = REVENUE,
) -> pd.Series:
    """Flag extreme lines: huge quantity for the product, or extreme revenue overall.

    A line is an outlier if its quantity is at least ``OUTLIER_QUANTITY_RATIO`` times the
    product's median quantity (and 10 units or more), or if its log revenue lies more than
    ``OUTLIER_Z`` robust standard deviations (median absolute deviation x 1.4826) above the
    median. Outliers are flagged for the analyst to decide, never removed.

    Parameters
    ----------
    lines : DataFrame
        Clean order lines.
    quantity_col, stock_col, revenue_col : str
        Column names, by default the course's (``constants.QUANTITY``, ``STOCK_CODE``,
        ``REVENUE``).

    Returns
    -------
    Series of bool
        ``True`` for an outlier, same index as ``lines``.

    Examples
    --------
    >>> lines = pd.DataFrame({"stock_code": ["A"] * 5, "quantity": [1, 1, 2, 1, 40],
    ...                       "revenue": [5.0, 5.0, 10.0, 5.0, 200.0]})
    >>> flag_outliers(lines).tolist()  # 40 units: 40 times the usual 1, and 10 or more
    [False, False, False, False, True]
    """
    require_columns(lines, [quantity_col, stock_col, revenue_col], name="lines")
    quantity = require_numeric(lines, quantity_col, name="lines")
    typical = quantity.groupby(lines[stock_col]).transform("median")
    bulk = (quantity >= OUTLIER_QUANTITY_RATIO * typical) & (quantity >= 10)
    logged = np.log(require_numeric(lines, revenue_col, name="lines").clip(lower=0.01))
    median = logged.median()
    mad = (logged - median).abs().median() * 1.4826
    extreme = (logged - median) / mad > OUTLIER_Z if mad else False
    return bulk | extreme


def non_product_kind(stock: pd.Series,
                     rules: Sequence[tuple[str, str, str]] = NON_PRODUCT_CODES) -> pd.Series:
    """The kind of non-product line each stock code is (postage, fee...), or missing.

    A code (stripped of spaces) is of the kind of the first pattern of ``rules`` that it
    fully matches; a product code matches none.

    Examples
    --------
    >>> non_product_kind(pd.Series(["85123A", "POST", "M", "gift_0001_20", "EL1001"])).tolist()
    [nan, 'postage', 'adjustment', 'gift_voucher', nan]
    """
    code = stock.astype("str").str.strip()
    kind = pd.Series(np.nan, index=stock.index, dtype="object")
    for pattern, label, _meaning in rules:
        hit = code.str.fullmatch(pattern).fillna(False).to_numpy(dtype=bool)
        kind[hit & kind.isna().to_numpy()] = label
    return kind


#: How the units of a cancellation were accounted for, in :attr:`CleaningResult.returns`.
MATCH_OUTCOMES: tuple[str, ...] = (
    "named_invoice",        # taken from the invoice the cancellation names (C + its number)
    "earlier_purchase",     # taken from the customer's most recent earlier purchase
    "no_purchase",          # unmatched: the customer never bought the product in the export
    "purchase_only_later",  # unmatched: bought only after the cancellation
    "more_than_bought",     # unmatched: earlier purchases hold fewer units than cancelled
)

#: Plain-English names of :data:`MATCH_OUTCOMES`, for tables a marketer reads.
MATCH_OUTCOME_LABELS: dict[str, str] = {
    "named_invoice": "Matched: the invoice it names",
    "earlier_purchase": "Matched: an earlier purchase",
    "no_purchase": "Unmatched: product never bought in the export",
    "purchase_only_later": "Unmatched: bought only after the cancellation",
    "more_than_bought": "Unmatched: more units than bought",
}


def match_cancellations(
    invoice: pd.Series,
    stock: pd.Series,
    quantity: pd.Series,
    customer: pd.Series,
    dates: pd.Series,
    *,
    open_lines: pd.Series,
    cancellations: pd.Series,
) -> pd.DataFrame:
    """Match every cancelled unit to the purchase line it cancels, or say why none.

    Cancellations are taken in time order (then row order). Each one takes its units from open
    purchase lines of the same customer and stock code dated no later than itself, never more
    than a line still holds: first the lines of the invoice it names (``C`` + the original
    number), a line of exactly the cancelled quantity first; then the customer's other
    purchases of the product, most recent first. Units left over are unmatched, with the
    reason (see :data:`MATCH_OUTCOMES`).

    Parameters
    ----------
    invoice, stock, quantity, customer, dates : Series
        Invoice numbers (text), product codes, quantities, customer ids and datetimes of the
        raw lines, one index.
    open_lines : Series of bool
        Purchase lines that may be matched (not dropped for another reason).
    cancellations : Series of bool
        Cancellation lines to match (those with a negative quantity are matched).

    Returns
    -------
    DataFrame
        One row per (cancellation line, purchase line) pair and one per cancellation with
        unmatched units: ``cancel_row`` and ``purchase_row`` (index labels; ``purchase_row``
        missing when unmatched), ``units`` and ``outcome``.

    Raises
    ------
    ValueError
        If the Series do not share one index.

    Examples
    --------
    Five mugs bought on two invoices, four cancelled later without naming an invoice: three
    from the most recent purchase, one from the first; a pen cancelled before it was bought:

    >>> day = pd.to_datetime(pd.Series(["2024-01-01", "2024-01-05", "2024-01-09",
    ...                                 "2024-01-02", "2024-01-03"]))
    >>> m = match_cancellations(pd.Series(["1", "2", "C9", "C8", "3"]),
    ...     pd.Series(["MUG", "MUG", "MUG", "PEN", "PEN"]), pd.Series([2, 3, -4, -1, 1]),
    ...     pd.Series([7] * 5), day,
    ...     open_lines=pd.Series([True, True, False, False, True]),
    ...     cancellations=pd.Series([False, False, True, True, False]))
    >>> m["cancel_row"].tolist(), m["purchase_row"].fillna(-1).tolist(), m["units"].tolist()
    ([3, 2, 2], [-1, 1, 0], [1, 3, 1])
    >>> m["outcome"].tolist()
    ['purchase_only_later', 'earlier_purchase', 'earlier_purchase']
    """
    for name, series in (("stock", stock), ("quantity", quantity), ("customer", customer),
                         ("dates", dates), ("open_lines", open_lines),
                         ("cancellations", cancellations)):
        if not series.index.equals(invoice.index):
            raise ValueError(f"'{name}' must have the same index as 'invoice'")
    labels = invoice.index.to_numpy()
    cust = customer.astype("Int64").fillna(-1).to_numpy()
    code = stock.astype("str").to_numpy()
    inv = invoice.astype("str").to_numpy()
    qty = quantity.to_numpy()
    when = dates.to_numpy()
    buy = np.flatnonzero(open_lines.to_numpy(dtype=bool) & (qty > 0))
    left = {int(i): int(qty[i]) for i in buy}
    by_key: dict[tuple[int, str], list[int]] = {}
    for i in buy:  # most recent first, then row order
        by_key.setdefault((cust[i], code[i]), []).append(int(i))
    for key, rows in by_key.items():
        by_key[key] = sorted(rows, key=lambda i: (-when[i].astype("int64"), i))
    cancel = np.flatnonzero(cancellations.to_numpy(dtype=bool) & (qty < 0))
    cancel = sorted(cancel.tolist(), key=lambda i: (when[i], i))
    records: list[tuple[object, object, int, str]] = []
    for c in cancel:
        units = int(-qty[c])
        rows = by_key.get((cust[c], code[c]), [])
        earlier = [i for i in rows if when[i] <= when[c]]
        named = inv[c][1:]
        first = [i for i in earlier if inv[i] == named]
        first.sort(key=lambda i: (qty[i] != units, i))
        order = first + [i for i in earlier if inv[i] != named]
        for i in order:
            if units == 0:
                break
            take = min(units, left[i])
            if take:
                left[i] -= take
                units -= take
                how = "named_invoice" if inv[i] == named else "earlier_purchase"
                records.append((labels[c], labels[i], take, how))
        if units:
            why = ("more_than_bought" if earlier
                   else "purchase_only_later" if rows else "no_purchase")
            records.append((labels[c], pd.NA, units, why))
    out = pd.DataFrame(records, columns=["cancel_row", "purchase_row", "units", "outcome"])
    out["purchase_row"] = out["purchase_row"].astype("Int64")
    out["units"] = out["units"].astype("int64")
    return out


def clean_orders(
    raw: pd.DataFrame,
    *,
    test_customer_ids: Iterable[int] = (),
    invoice_col: str = INVOICE,
    stock_col: str = STOCK_CODE,
    description_col: str = DESCRIPTION,
    quantity_col: str = QUANTITY,
    date_col: str = INVOICE_DATE,
    price_col: str = UNIT_PRICE,
    customer_col: str = CUSTOMER_ID,
    country_col: str | None = COUNTRY,
    channel_col: str | None = CHANNEL,
    category_col: str | None = CATEGORY,
    date_formats: Sequence[str] = DATE_FORMATS,
    non_product_codes: Sequence[tuple[str, str, str]] = NON_PRODUCT_CODES,
) -> CleaningResult:
    """Clean raw order lines, giving every line exactly one reason in an audit.

    Parameters
    ----------
    raw : DataFrame
        Order lines as exported, one row per invoice line. Dates may be text in any of
        ``date_formats`` or already datetimes.
    test_customer_ids : iterable of int
        Internal test accounts whose lines are dropped.
    invoice_col, stock_col, description_col, quantity_col, date_col, price_col, customer_col :
        Names of the columns in ``raw``.
    country_col, channel_col, category_col : str or None
        Label columns to standardise; ``None`` if the data has no such column.
    date_formats : sequence of str
        ``strftime`` formats to try, in order.
    non_product_codes : sequence of (pattern, kind, meaning)
        Stock codes that are not product sales (default :data:`NON_PRODUCT_CODES`).

    Returns
    -------
    CleaningResult
        ``clean`` uses the course's standard column names (``constants``).

    Examples
    --------
    >>> raw = pd.DataFrame({"invoice_no": ["1", "1", "C1"], "stock_code": ["A", "A", "A"],
    ...     "description": "Mug", "quantity": [2, 2, -2],
    ...     "invoice_date": ["2024-01-02 10:00:00", "2024-01-02 10:00:00",
    ...                      "2024-01-05 10:00:00"],
    ...     "unit_price": 5.0, "customer_id": [7, 7, 7]})
    >>> res = clean_orders(raw, country_col=None, channel_col=None, category_col=None)
    >>> res.audit["reason"].tolist()
    ['returned', 'duplicate', 'cancellation']
    """
    require_frame(raw, name="orders")
    label_cols = {COUNTRY: country_col, CHANNEL: channel_col, CATEGORY: category_col}
    required = [invoice_col, stock_col, description_col, quantity_col, date_col, price_col,
                customer_col]
    require_columns(raw, required + [c for c in label_cols.values() if c], name="orders")
    quantity = require_numeric(raw, quantity_col, name="orders")
    price = require_numeric(raw, price_col, name="orders")
    if quantity.isna().any():
        raise ValueError(f"column '{quantity_col}' of orders has missing quantities")
    if price.isna().any():
        raise ValueError(f"column '{price_col}' of orders has missing prices")
    if pd.api.types.is_datetime64_any_dtype(raw[date_col]):
        dates = raw[date_col].astype("datetime64[us]")
        if dates.isna().any():
            raise ValueError(f"column '{date_col}' of orders has missing dates")
    else:
        dates, _ = parse_mixed_dates(raw[date_col], date_formats, column=date_col)
    customer = pd.to_numeric(raw[customer_col], errors="coerce").astype("Int64")
    bad_ids = customer.isna() & raw[customer_col].notna() & (
        raw[customer_col].astype("str").str.strip() != ""
    )
    if bad_ids.any():
        examples = raw.loc[bad_ids, customer_col].astype(str).unique()[:3].tolist()
        raise ValueError(f"column '{customer_col}' of orders has non-numeric ids, e.g. {examples}")

    invoice = raw[invoice_col].astype("str").str.strip()
    stock = raw[stock_col].astype("str").str.strip()
    n = len(raw)
    reason = pd.Series(pd.NA, index=raw.index, dtype="str")

    def assign(mask: pd.Series | np.ndarray, label: str) -> None:
        reason.loc[np.asarray(mask) & reason.isna().to_numpy()] = label

    assign(customer.isin(list(test_customer_ids)).fillna(False), "test_account")
    assign(customer.isna(), "missing_customer_id")
    assign(raw.duplicated(keep="first"), "duplicate")
    kind = non_product_kind(stock, non_product_codes)
    assign(kind.notna(), "non_product")
    is_cancel = invoice.str.upper().str.startswith("C")
    assign(is_cancel, "cancellation")

    matches = match_cancellations(invoice, stock, quantity, customer, dates,
                                  open_lines=reason.isna(),
                                  cancellations=is_cancel & (reason == "cancellation"))
    matched = matches.dropna(subset=["purchase_row"])
    returned_units = (matched.groupby("purchase_row")["units"].sum()
                      .reindex(raw.index, fill_value=0).astype("int64"))
    returned = pd.Series(returned_units > 0, index=raw.index)
    assign(returned & (returned_units >= quantity), "returned")
    assign(quantity <= 0, "invalid_quantity")
    assign(price <= 0, "zero_price")
    assign(returned, "partly_returned")

    # a suspect price is judged against the product's median over lines still in play, and
    # corrected only if it is exactly 100 times a price of a product with a stable history
    in_play = reason.isna() | (reason == "partly_returned")
    reference = price[in_play].groupby(stock[in_play]).median()
    ratio = price / stock.map(reference).astype(float)
    suspect = in_play & (ratio >= PRICE_TYPO_RATIO)
    typo = suspect & _proven_typo(price, stock, usual=in_play & ~suspect)
    assign(typo, "price_corrected")
    assign(suspect, "price_unverified")
    assign(pd.Series(True, index=raw.index), "kept")

    clean_price = price.where(~typo, (price / 100).round(2))
    kept = reason.isin(KEEP_REASONS)
    net_quantity = quantity - returned_units.where(kept, 0)
    # to a millionth of a pound: real exports have prices in tenths of a penny (0.001)
    raw_revenue = (quantity * price).round(6)
    clean_revenue = (net_quantity * clean_price).round(6).where(kept, 0.0)

    clean = pd.DataFrame(
        {
            INVOICE: invoice,
            STOCK_CODE: stock,
            DESCRIPTION: raw[description_col].astype("str"),
            QUANTITY: net_quantity.astype("int64"),
            INVOICE_DATE: dates,
            UNIT_PRICE: clean_price,
            REVENUE: clean_revenue,
            CUSTOMER_ID: customer,
        }
    )
    labels_fixed = pd.Series(False, index=raw.index)
    unknown: dict[str, list[str]] = {}
    standardisers = {COUNTRY: standardise_country, CHANNEL: standardise_channel,
                     CATEGORY: standardise_category}
    for name, col in label_cols.items():
        if col is None:
            continue
        fixed, unknown_values = standardisers[name](raw[col].astype("str"))
        clean[name] = fixed
        labels_fixed |= fixed.ne(raw[col].astype("str")).fillna(False)
        if unknown_values:
            unknown[name] = unknown_values
    clean = clean.loc[kept].copy()
    clean[CUSTOMER_ID] = clean[CUSTOMER_ID].astype("int64")
    clean["outlier"] = flag_outliers(clean)
    outlier = pd.Series(False, index=raw.index)
    outlier.loc[clean.index] = clean["outlier"]
    clean = clean.reset_index(drop=True)

    audit = pd.DataFrame(
        {
            "row": np.arange(n),
            INVOICE: invoice.to_numpy(),
            CUSTOMER_ID: customer.to_numpy(),
            "status": np.where(kept, "kept", "dropped"),
            "reason": pd.Categorical(reason, categories=list(REASONS)),
            "raw_revenue": raw_revenue.to_numpy(),
            "clean_revenue": clean_revenue.to_numpy(),
            "returned_units": returned_units.where(reason.isin(["returned", "partly_returned"]),
                                                   0).astype("int64").to_numpy(),
            "labels_fixed": (labels_fixed & kept).to_numpy(),
            "price_corrected": typo.to_numpy(),
            "outlier": outlier.to_numpy(),
        }
    )
    returns = matches.assign(
        invoice_no=invoice.reindex(matches["cancel_row"]).to_numpy(),
        customer_id=customer.reindex(matches["cancel_row"]).to_numpy(),
        stock_code=stock.reindex(matches["cancel_row"]).to_numpy(),
        purchase_invoice=invoice.reindex(matches["purchase_row"].fillna(-1)).to_numpy(),
        unit_price=price.reindex(matches["cancel_row"]).to_numpy(),
    )
    returns["outcome"] = pd.Categorical(returns["outcome"], categories=list(MATCH_OUTCOMES))
    returns = returns[["cancel_row", "invoice_no", "customer_id", "stock_code", "units",
                       "unit_price", "outcome", "purchase_row", "purchase_invoice"]]
    np_rows = reason == "non_product"
    non_product = pd.DataFrame(
        {
            "row": np.flatnonzero(np_rows.to_numpy()),
            INVOICE: invoice[np_rows].to_numpy(),
            CUSTOMER_ID: customer[np_rows].to_numpy(),
            INVOICE_DATE: dates[np_rows].to_numpy(),
            STOCK_CODE: stock[np_rows].to_numpy(),
            "kind": kind[np_rows].to_numpy(),
            DESCRIPTION: raw.loc[np_rows, description_col].astype("str").to_numpy(),
            QUANTITY: quantity[np_rows].to_numpy(),
            UNIT_PRICE: price[np_rows].to_numpy(),
            REVENUE: raw_revenue[np_rows].to_numpy(),
        }
    )
    return CleaningResult(clean=clean, audit=audit, unknown_labels=unknown, returns=returns,
                          non_product=non_product)


def _proven_typo(price: pd.Series, stock: pd.Series, *, usual: pd.Series) -> pd.Series:
    """Whether each price is exactly 100 times a price its product sells at (on ``usual``
    lines), for a product with a stable history: at least ``PRICE_MIN_HISTORY`` usual lines,
    all within ``PRICE_STABLE_SPREAD`` times their median."""
    usual_price = price[usual]
    by_product = usual_price.groupby(stock[usual])
    median = by_product.median()
    stable = ((by_product.size() >= PRICE_MIN_HISTORY)
              & (by_product.max() <= PRICE_STABLE_SPREAD * median)
              & (by_product.min() >= median / PRICE_STABLE_SPREAD))
    cents = (price * 100).round().astype("int64")  # the price in pence ...
    exact = cents % 100 == 0  # ... is a whole number of pounds: / 100 loses no penny
    known = set(zip(stock[usual], (usual_price * 100).round().astype("int64"), strict=True))
    candidate = pd.Series(list(zip(stock, cents // 100, strict=True)), index=price.index)
    seen = candidate.map(lambda pair: pair in known).astype(bool)
    return exact & seen & stock.isin(stable.index[stable.to_numpy()])


def find_test_accounts(
    customers: pd.DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    domain_col: str = EMAIL_DOMAIN,
    markers: Sequence[str] = ("test", "qa", "internal"),
) -> list[int]:
    """Ids of internal test accounts: an e-mail domain containing a marker word.

    >>> find_test_accounts(pd.DataFrame({"customer_id": [1, 2],
    ...     "email_domain": ["example.com", "retailer-test.example"]}))
    [2]
    """
    require_frame(customers, name="customers")
    require_columns(customers, [customer_col, domain_col], name="customers")
    domain = customers[domain_col].astype("str").str.lower()
    pattern = r"(?:^|[.\-_])(?:" + "|".join(markers) + r")(?:$|[.\-_])"
    hit = domain.str.contains(pattern, regex=True).fillna(False)
    return sorted(customers.loc[hit, customer_col].astype(int).tolist())


def age_at(birth_dates: pd.Series, as_of: pd.Timestamp, *, column: str = "birth_date"
           ) -> pd.Series:
    """Age in whole years on the day ``as_of``: the number of birthdays already reached.

    .. math:: \\text{age} = (y_{\\text{as of}} - y_{\\text{birth}})
              - \\mathbb{1}\\big[(m, d)_{\\text{as of}} < (m, d)_{\\text{birth}}\\big]

    The year difference alone is one too many for everyone whose birthday falls later in
    the year than ``as_of``. Someone born on 29 February turns a year older on 1 March in
    other years.

    Parameters
    ----------
    birth_dates : Series
        Dates of birth as ISO text ``YYYY-MM-DD`` or datetimes; missing values give a missing
        age. Impossible dates (in the future, or centuries ago) are computed all the same:
        judging them is the caller's job.
    as_of : Timestamp
        The day at which the age is wanted (its time of day is ignored).
    column : str
        Name used in error messages.

    Returns
    -------
    Series of Int64

    Raises
    ------
    ValueError
        If some birth dates are text in another format (examples are named).

    Examples
    --------
    >>> born = pd.Series(["1965-08-15", "1965-01-01", "2000-02-29", None])
    >>> age_at(born, pd.Timestamp("2026-01-01")).tolist()
    [60, 61, 25, <NA>]
    >>> age_at(born, pd.Timestamp("2025-02-28")).tolist()
    [59, 60, 24, <NA>]
    """
    if pd.api.types.is_datetime64_any_dtype(birth_dates):
        born = birth_dates
    else:
        text = birth_dates.astype("str").str.strip()
        born = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = born.isna() & birth_dates.notna()
        if bad.any():
            examples = birth_dates[bad].astype(str).unique()[:3].tolist()
            raise ValueError(f"column '{column}' has {int(bad.sum())} date(s) not in the format "
                             f"YYYY-MM-DD, e.g. {examples}")
    day = pd.Timestamp(as_of)
    not_yet = (born.dt.month > day.month) | ((born.dt.month == day.month) & (born.dt.day > day.day))
    age = day.year - born.dt.year - not_yet.astype("int64")
    return age.astype("Int64")


def clean_customers(
    customers: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    test_customer_ids: Iterable[int] = (),
    customer_col: str = CUSTOMER_ID,
    birth_date_col: str = BIRTH_DATE,
    signup_col: str = SIGNUP_DATE,
    country_col: str | None = COUNTRY,
    min_age: int = MIN_AGE,
    max_age: int = MAX_AGE,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean the (pseudonymised) CRM table.

    Test accounts are dropped; countries standardised; ``age`` (whole years on the day
    ``as_of``, from the date of birth: :func:`age_at`) is set to missing where it is
    impossible (below ``min_age`` or above ``max_age``) and the problem recorded in
    ``age_issue`` (``impossible`` or ``missing``), since one bad field is no reason to lose a
    customer. The date of birth itself is dropped once the age is known (data minimisation).

    Returns
    -------
    clean : DataFrame
        One row per real customer, with ``age``, ``age_issue`` and ``signup_date`` parsed,
        without ``birth_date_col``.
    audit : DataFrame
        ``customer_id``, ``status`` (kept/dropped) and ``reason`` for every input row.

    Examples
    --------
    >>> crm = pd.DataFrame({"customer_id": [1, 2, 3], "signup_date": "2024-05-01",
    ...                     "birth_date": ["1965-08-15", "2031-05-04", None]})
    >>> clean, _ = clean_customers(crm, as_of=pd.Timestamp("2026-01-01"), country_col=None)
    >>> clean[["age", "age_issue"]].values.tolist()
    [[60, 'ok'], [<NA>, 'impossible'], [<NA>, 'missing']]
    """
    require_frame(customers, name="customers")
    if birth_date_col not in customers.columns and "birth_year" in customers.columns:
        raise ValueError(
            f"customers has 'birth_year' but no '{birth_date_col}': an age needs the whole date "
            "of birth. The collected tables predate this; rebuild data/interim (run notebook 01 "
            "or delete the folder)"
        )
    require_columns(customers, [customer_col, birth_date_col, signup_col], name="customers")
    if customers[customer_col].duplicated().any():
        dup = customers.loc[customers[customer_col].duplicated(), customer_col].head(3).tolist()
        raise ValueError(f"column '{customer_col}' of customers has duplicate ids, e.g. {dup}")
    age = age_at(customers[birth_date_col], as_of, column=birth_date_col)
    signup = pd.to_datetime(customers[signup_col], format="%Y-%m-%d", errors="coerce")
    if signup.isna().any():
        bad = customers.loc[signup.isna(), signup_col].astype(str).unique()[:3].tolist()
        raise ValueError(f"column '{signup_col}' of customers has unparseable dates, e.g. {bad}")
    is_test = customers[customer_col].isin(list(test_customer_ids))
    out = customers.drop(columns=[birth_date_col])
    out[signup_col] = signup.astype("datetime64[us]")
    impossible = ((age < min_age) | (age > max_age)).fillna(False).astype(bool)
    out["age"] = age.where(~impossible).astype("Int64")
    out["age_issue"] = np.where(age.isna(), "missing", np.where(impossible, "impossible", "ok"))
    if country_col is not None:
        require_columns(customers, [country_col], name="customers")
        out[country_col], _ = standardise_country(customers[country_col].astype("str"))
    audit = pd.DataFrame(
        {
            customer_col: customers[customer_col].to_numpy(),
            "status": np.where(is_test, "dropped", "kept"),
            "reason": np.where(is_test, "test_account", "kept"),
        }
    )
    return out.loc[~is_test].reset_index(drop=True), audit


def readable_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """The cleaning summary with business names: reasons and columns in plain English.

    Parameters
    ----------
    summary : DataFrame
        ``CleaningResult.summary()``.

    Returns
    -------
    DataFrame
        The same rows (reasons as :data:`REASON_LABELS`, ``total`` as "Total"), columns
        "Status", "Lines", "Raw revenue (£)", "Clean revenue (£)", "Removed revenue (£)";
        money rounded to pence.

    Examples
    --------
    >>> table = pd.DataFrame({"status": ["dropped", "all"], "lines": [2, 2],
    ...                       "raw_revenue": [3.0, 3.0], "clean_revenue": [0.0, 0.0],
    ...                       "removed_revenue": [3.0, 3.0]}, index=["duplicate", "total"])
    >>> readable_summary(table).index.tolist(), readable_summary(table).columns[2]
    (['Duplicate lines', 'Total'], 'Raw revenue (£)')
    """
    names = {"status": "Status", "lines": "Lines", "raw_revenue": "Raw revenue (£)",
             "clean_revenue": "Clean revenue (£)", "removed_revenue": "Removed revenue (£)"}
    missing = set(names) - set(summary.columns)
    if missing:
        raise ValueError(f"summary: missing column(s) {sorted(missing)}")
    out = summary[list(names)].rename(columns=names, index={**REASON_LABELS, "total": "Total"})
    return out.round(2).rename_axis("Reason")
