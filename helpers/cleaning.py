"""Clean order lines and the CRM table, and account for every row in an audit.

Each raw order line ends up under exactly one reason, checked in this order (the first that
applies wins):

=======================  =======  =======================================================
reason                   status   rule
=======================  =======  =======================================================
``test_account``         dropped  the customer is an internal test account
``missing_customer_id``  dropped  no customer id (guest checkout): cannot be profiled
``duplicate``            dropped  exact copy of an earlier line (all columns equal)
``cancellation``         dropped  invoice starts with ``C`` (a return or cancellation)
``returned``             dropped  the line a cancellation reverses (same invoice number,
                                  product and quantity)
``invalid_quantity``     dropped  zero or negative quantity without a ``C`` invoice
``zero_price``           dropped  unit price 0 or below: the real price is unknown
``price_corrected``      kept     unit price about 100 times the product's usual price:
                                  a missing decimal point, divided by 100
``kept``                 kept     nothing wrong
=======================  =======  =======================================================

Labels (country, channel, category) are standardised on kept lines and flagged in the
audit; extreme lines are flagged as ``outlier``, never removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .constants import (
    CATEGORY,
    CHANNEL,
    COUNTRY,
    CUSTOMER_ID,
    DESCRIPTION,
    INVOICE,
    INVOICE_DATE,
    QUANTITY,
    REVENUE,
    STOCK_CODE,
    UNIT_PRICE,
)
from .labels import standardise_category, standardise_channel, standardise_country
from .validation import require_columns, require_frame, require_numeric

DROP_REASONS: tuple[str, ...] = (
    "test_account",
    "missing_customer_id",
    "duplicate",
    "cancellation",
    "returned",
    "invalid_quantity",
    "zero_price",
)
KEEP_REASONS: tuple[str, ...] = ("price_corrected", "kept")
REASONS: tuple[str, ...] = DROP_REASONS + KEEP_REASONS

#: Formats found in the retailer's exports: the web shop writes ISO, the tills UK day-first.
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")
#: A price at least this many times the product's median is read as a missing decimal point.
PRICE_TYPO_RATIO = 50.0
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
        ``reason``, ``raw_revenue``, ``clean_revenue`` and the flags ``labels_fixed``,
        ``price_corrected`` and ``outlier``.
    unknown_labels : dict
        Labels that matched no canonical spelling, by column (empty when all matched).
    """

    clean: pd.DataFrame
    audit: pd.DataFrame
    unknown_labels: dict[str, list[str]]

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


def flag_outliers(lines: pd.DataFrame) -> pd.Series:
    """Flag extreme lines: huge quantity for the product, or extreme revenue overall.

    A line is an outlier if its quantity is at least ``OUTLIER_QUANTITY_RATIO`` times the
    product's median quantity (and 10 units or more), or if its log revenue lies more than
    ``OUTLIER_Z`` robust standard deviations (median absolute deviation x 1.4826) above the
    median. Outliers are flagged for the analyst to decide, never removed.
    """
    quantity = lines[QUANTITY]
    typical = quantity.groupby(lines[STOCK_CODE]).transform("median")
    bulk = (quantity >= OUTLIER_QUANTITY_RATIO * typical) & (quantity >= 10)
    logged = np.log(lines[REVENUE].clip(lower=0.01))
    median = logged.median()
    mad = (logged - median).abs().median() * 1.4826
    extreme = (logged - median) / mad > OUTLIER_Z if mad else False
    return bulk | extreme


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
    is_cancel = invoice.str.upper().str.startswith("C")
    assign(is_cancel, "cancellation")

    # pair each cancellation with one not-yet-explained line it reverses
    cancel_rows = is_cancel & (reason == "cancellation")
    cancel_key = pd.DataFrame(
        {"inv": invoice[cancel_rows].str[1:], "stock": stock[cancel_rows],
         "qty": -quantity[cancel_rows]}
    )
    cancel_key["nth"] = cancel_key.groupby(["inv", "stock", "qty"]).cumcount()
    open_rows = reason.isna()
    candidate = pd.DataFrame(
        {"inv": invoice[open_rows], "stock": stock[open_rows], "qty": quantity[open_rows]}
    )
    candidate["nth"] = candidate.groupby(["inv", "stock", "qty"]).cumcount()
    candidate["row"] = candidate.index
    matched = candidate.merge(cancel_key, on=["inv", "stock", "qty", "nth"], how="inner")
    returned = pd.Series(False, index=raw.index)
    returned.loc[matched["row"].to_numpy()] = True
    assign(returned, "returned")
    assign(quantity <= 0, "invalid_quantity")
    assign(price <= 0, "zero_price")

    # a typo is judged against the product's median price over lines still in play
    in_play = reason.isna()
    reference = price[in_play].groupby(stock[in_play]).median()
    ratio = price / stock.map(reference).astype(float)
    typo = in_play & (ratio >= PRICE_TYPO_RATIO)
    assign(typo, "price_corrected")
    assign(pd.Series(True, index=raw.index), "kept")

    clean_price = price.where(~typo, (price / 100).round(2))
    kept = reason.isin(KEEP_REASONS)
    raw_revenue = (quantity * price).round(2)
    clean_revenue = (quantity * clean_price).round(2).where(kept, 0.0)

    clean = pd.DataFrame(
        {
            INVOICE: invoice,
            STOCK_CODE: stock,
            DESCRIPTION: raw[description_col].astype("str"),
            QUANTITY: quantity.astype("int64"),
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
            "labels_fixed": (labels_fixed & kept).to_numpy(),
            "price_corrected": typo.to_numpy(),
            "outlier": outlier.to_numpy(),
        }
    )
    return CleaningResult(clean=clean, audit=audit, unknown_labels=unknown)


def find_test_accounts(
    customers: pd.DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    domain_col: str = "email_domain",
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


def clean_customers(
    customers: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    test_customer_ids: Iterable[int] = (),
    customer_col: str = CUSTOMER_ID,
    birth_year_col: str = "birth_year",
    signup_col: str = "signup_date",
    country_col: str | None = COUNTRY,
    min_age: int = 16,
    max_age: int = 100,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean the (pseudonymised) CRM table.

    Test accounts are dropped; countries standardised; ``age`` (whole years at ``as_of``)
    is set to missing where it is impossible (below ``min_age`` or above ``max_age``) and the
    problem recorded in ``age_issue`` (``impossible`` or ``missing``), since one bad field is
    no reason to lose a customer.

    Returns
    -------
    clean : DataFrame
        One row per real customer, with ``age``, ``age_issue`` and ``signup_date`` parsed.
    audit : DataFrame
        ``customer_id``, ``status`` (kept/dropped) and ``reason`` for every input row.
    """
    require_frame(customers, name="customers")
    require_columns(customers, [customer_col, birth_year_col, signup_col], name="customers")
    if customers[customer_col].duplicated().any():
        dup = customers.loc[customers[customer_col].duplicated(), customer_col].head(3).tolist()
        raise ValueError(f"column '{customer_col}' of customers has duplicate ids, e.g. {dup}")
    birth_year = require_numeric(customers, birth_year_col, name="customers")
    signup = pd.to_datetime(customers[signup_col], format="%Y-%m-%d", errors="coerce")
    if signup.isna().any():
        bad = customers.loc[signup.isna(), signup_col].astype(str).unique()[:3].tolist()
        raise ValueError(f"column '{signup_col}' of customers has unparseable dates, e.g. {bad}")
    is_test = customers[customer_col].isin(list(test_customer_ids))
    out = customers.copy()
    out[signup_col] = signup.astype("datetime64[us]")
    age = pd.Timestamp(as_of).year - birth_year
    impossible = (age < min_age) | (age > max_age)
    out["age"] = age.where(~impossible).astype("Int64")
    out["age_issue"] = np.where(birth_year.isna(), "missing",
                                np.where(impossible, "impossible", "ok"))
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
