"""Inject the dirt of real exports into clean simulated tables, at documented rates.

Each injected problem is recorded per row (``dirt`` label), so cleaning can be graded row
by row against what was done here. The kinds of dirt on order lines are disjoint: one line
carries at most one, which is what lets an audit give exactly one reason per line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..constants import PERIOD_END

#: Rates of injected problems (share of eligible customer order lines unless stated).
DIRT_RATES: dict[str, float] = {
    "returned": 0.02,  # lines returned later: a cancellation line with prefix C follows
    "price_x100": 0.004,  # unit price keyed in without its decimal point
    "price_zero": 0.003,  # unit price missing, exported as 0
    "duplicate": 0.012,  # line exported twice
    "bulk_quantity": 0.0005,  # genuine but extreme: a trade buyer orders 40x the usual
    "label_variant": 0.10,  # share of country, channel and category values spelled oddly
    "impossible_age": 0.015,  # share of CRM birth dates that cannot be right
    "missing_birth_date": 0.01,  # share of CRM birth dates left empty
    "email_case": 0.2,  # share of CRM e-mails stored with capitals
}

DATE_FORMATS = {"online": "%Y-%m-%d %H:%M:%S", "store": "%d/%m/%Y %H:%M"}

CHANNEL_VARIANTS = {"online": ["Online", "WEB", "web shop"], "store": ["Store", "in-store", "POS"]}
COUNTRY_VARIANTS = {
    "United Kingdom": ["UK", "U.K.", "united kingdom", "Great Britain"],
    "Ireland": ["Eire", "IRL", "ireland"],
    "France": ["FR", "france", "FRANCE"],
    "Germany": ["Deutschland", "DE", "germany"],
    "Netherlands": ["The Netherlands", "Holland", "NL"],
}
IMPOSSIBLE_BIRTH_DATES = ("1900-01-01", "1899-12-31", "2031-05-04", "2019-06-15", "1911-11-11")


def category_variants(category: str) -> list[str]:
    """Ways a category label gets mangled by hand-kept systems.

    Examples
    --------
    >>> category_variants("Home & Kitchen")
    ['home & kitchen', 'HOME&KITCHEN', 'Home and Kitchen', 'Home & Kitchen ']
    """
    return [
        category.lower(),
        category.upper().replace(" ", ""),
        category.replace("&", "and"),
        category + " ",
    ]


def _apply_variants(values: np.ndarray, hit: np.ndarray, pick: np.ndarray,
                    variants: dict[str, list[str]]) -> np.ndarray:
    """Copy of ``values`` with each hit row replaced by variant number ``pick`` of its value."""
    out = np.array(values, dtype=object)
    for i in np.flatnonzero(hit):
        options = variants[out[i]]
        out[i] = options[pick[i] % len(options)]
    return out


def _respell(
    rng: np.random.Generator, values: pd.Series, variants: dict[str, list[str]], rate: float
) -> pd.Series:
    """Replace a share ``rate`` of values with a random variant spelling."""
    hit = rng.random(len(values)) < rate
    choice = rng.integers(0, 1_000, size=len(values))
    return pd.Series(_apply_variants(values.to_numpy(), hit, choice, variants),
                     index=values.index)


def dirty_orders(rng: np.random.Generator, lines: pd.DataFrame) -> pd.DataFrame:
    """Turn clean order lines into a POS/web-shop CSV export with labelled dirt.

    Parameters
    ----------
    lines : DataFrame
        Clean lines with ``invoice_no`` (int), ``stock_code``, ``description``, ``category``,
        ``quantity``, ``unit_price``, ``customer_id`` (nullable), ``country``, ``channel``,
        ``timestamp`` and ``source`` (``customer``, ``guest`` or ``test_account``).

    Returns
    -------
    DataFrame
        The export's columns (all text-like as the file would hold them) plus ``dirt``, the
        label of the problem injected into each row (``clean`` if none).

    Examples
    --------
    The simulator keeps the labels as the answer key ``line_truth``:

    >>> from helpers.simulator import make_retailer
    >>> labels = set(make_retailer(n_customers=200, seed=1).line_truth)
    >>> labels <= {"clean", "guest", "test_account", "cancellation", "duplicate", *DIRT_RATES}
    True
    """
    lines = lines.reset_index(drop=True).copy()
    lines["dirt"] = np.where(lines["source"] == "customer", "clean", lines["source"])
    lines["invoice_no"] = lines["invoice_no"].astype(str)
    n_lines_in_invoice = lines.groupby("invoice_no")["stock_code"].transform("size")
    is_customer = lines["source"].to_numpy() == "customer"
    last_day = PERIOD_END + pd.Timedelta(hours=23, minutes=59)

    # 1. returns: one line of a multi-line invoice comes back 1-20 days later
    gap_days = rng.integers(1, 21, size=len(lines))
    return_time = lines["timestamp"] + pd.to_timedelta(gap_days, unit="D")
    eligible = is_customer & (n_lines_in_invoice.to_numpy() >= 2) & (return_time <= last_day)
    first_in_invoice = ~lines["invoice_no"].duplicated()
    pick = eligible & ~first_in_invoice.to_numpy()
    pick &= rng.random(len(lines)) < DIRT_RATES["returned"] * 2
    pick &= ~pd.Series(pick).groupby(lines["invoice_no"]).cumsum().gt(1).to_numpy()
    lines.loc[pick, "dirt"] = "returned"
    cancellations = lines.loc[pick].copy()
    cancellations["invoice_no"] = "C" + cancellations["invoice_no"]
    cancellations["quantity"] = -cancellations["quantity"]
    cancellations["timestamp"] = return_time[pick]
    cancellations["dirt"] = "cancellation"

    # 2. price typos on other customer lines; a zero price never empties an invoice
    returned_invoice = lines["invoice_no"].isin(cancellations["invoice_no"].str[1:])
    still_clean = lines["dirt"].to_numpy() == "clean"
    u = rng.random(len(lines))
    x100 = still_clean & (u < DIRT_RATES["price_x100"])
    zero = (
        still_clean
        & ~x100
        & (n_lines_in_invoice.to_numpy() >= 2)
        & ~returned_invoice.to_numpy()
        & (u > 1 - DIRT_RATES["price_zero"] * 2)
    )
    zero &= ~pd.Series(zero).groupby(lines["invoice_no"]).cumsum().gt(1).to_numpy()
    lines.loc[x100, "unit_price"] = (lines.loc[x100, "unit_price"] * 100).round(2)
    lines.loc[x100, "dirt"] = "price_x100"
    lines.loc[zero, "unit_price"] = 0.0
    lines.loc[zero, "dirt"] = "price_zero"
    bulk = (lines["dirt"].to_numpy() == "clean") & (
        rng.random(len(lines)) < DIRT_RATES["bulk_quantity"]
    )
    lines.loc[bulk, "quantity"] = lines.loc[bulk, "quantity"] * 40
    lines.loc[bulk, "dirt"] = "bulk_quantity"

    export = pd.concat([lines, cancellations], ignore_index=True)
    export = export.sort_values(["timestamp", "invoice_no", "stock_code"], kind="stable")
    export = export.reset_index(drop=True)

    # 3. spelling and format: per invoice for channel, country and date; per line for category
    invoice_codes, invoice_idx = np.unique(export["invoice_no"], return_inverse=True)
    n_inv = len(invoice_codes)
    channel_hit = (rng.random(n_inv) < DIRT_RATES["label_variant"])[invoice_idx]
    country_hit = (rng.random(n_inv) < DIRT_RATES["label_variant"])[invoice_idx]
    pick_variant = rng.integers(0, 1_000, size=n_inv)[invoice_idx]
    channel = _apply_variants(export["channel"].to_numpy(), channel_hit, pick_variant,
                              CHANNEL_VARIANTS)
    country = _apply_variants(export["country"].to_numpy(), country_hit, pick_variant,
                              COUNTRY_VARIANTS)
    categories = export["category"].unique()
    export["category"] = _respell(
        rng, export["category"], {c: category_variants(c) for c in categories},
        DIRT_RATES["label_variant"],
    )
    date_text = np.where(
        export["channel"].to_numpy() == "online",
        export["timestamp"].dt.strftime(DATE_FORMATS["online"]),
        export["timestamp"].dt.strftime(DATE_FORMATS["store"]),
    )
    export["invoice_date"] = date_text
    export["channel"] = channel
    export["country"] = country

    # 4. exact duplicate lines, exported right after the original
    dup = (export["dirt"].to_numpy() == "clean") & (
        rng.random(len(export)) < DIRT_RATES["duplicate"]
    )
    original_row = np.repeat(np.arange(len(export)), np.where(dup, 2, 1))
    export = export.iloc[original_row].reset_index(drop=True)
    second_copy = np.r_[False, original_row[1:] == original_row[:-1]]
    export.loc[second_copy, "dirt"] = "duplicate"
    columns = ["invoice_no", "stock_code", "description", "category", "quantity",
               "invoice_date", "unit_price", "customer_id", "country", "channel", "dirt"]
    return export[columns]


def dirty_customers(
    rng: np.random.Generator, customers: pd.DataFrame
) -> tuple[pd.DataFrame, pd.Series]:
    """Spell countries oddly, corrupt some birth dates and capitalise some e-mails.

    Returns the dirty table and a boolean Series (index aligned) marking impossible birth
    dates, for the answer key.

    Examples
    --------
    >>> customers = pd.DataFrame({"country": ["France"] * 3, "birth_date": ["1980-01-01"] * 3,
    ...                           "email": ["ann@example.com"] * 3})
    >>> dirty, impossible = dirty_customers(np.random.default_rng(0), customers)
    >>> dirty.shape, str(impossible.dtype)
    ((3, 3), 'bool')
    """
    out = customers.copy()
    n = len(out)
    out["country"] = _respell(rng, out["country"], COUNTRY_VARIANTS, DIRT_RATES["label_variant"])
    u = rng.random(n)
    impossible = u < DIRT_RATES["impossible_age"]
    missing = (u >= DIRT_RATES["impossible_age"]) & (
        u < DIRT_RATES["impossible_age"] + DIRT_RATES["missing_birth_date"]
    )
    bad_dates = np.array(IMPOSSIBLE_BIRTH_DATES)[rng.integers(len(IMPOSSIBLE_BIRTH_DATES), size=n)]
    birth = np.array(out["birth_date"], dtype=object)
    birth[impossible] = bad_dates[impossible]
    birth[missing] = None
    out["birth_date"] = birth
    capital = rng.random(n) < DIRT_RATES["email_case"]
    email = np.array(out["email"], dtype=object)
    email[capital] = [e[0].upper() + e[1:].replace("@e", "@E") for e in email[capital]]
    out["email"] = email
    return out, pd.Series(impossible, index=out.index, name="impossible_age")
