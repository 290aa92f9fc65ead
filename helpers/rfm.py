"""Recency, frequency and monetary value (RFM): the table, quintile scores and named segments.

>>> import pandas as pd
>>> tx = pd.DataFrame({
...     "customer_id": [1, 1, 2],
...     "invoice_date": pd.to_datetime(["2025-12-01", "2025-12-20", "2025-11-02"]),
...     "revenue": [10.0, 5.0, 7.5],
... })
>>> rfm = rfm_table(tx)  # the course's column names are the defaults
>>> rfm["recency"].tolist(), rfm["frequency"].tolist(), rfm["monetary"].tolist()
([1, 49], [2, 1], [15.0, 7.5])

Conventions used throughout (the tests pin each of them):

* ``as_of`` is an analysis *day*, taken at midnight. Only transactions strictly before it are
  used, so ``rfm_table(..., as_of=cutoff)`` is the customer base as it looked on the morning of
  ``cutoff`` (what a churn or CLV model trained at that cutoff is allowed to see).
* ``recency`` counts calendar days from the day of the last purchase to ``as_of``; it is at
  least 1. With the default ``as_of`` (the day after the last transaction) the most recent
  buyers have recency 1.
* A *purchase* is a line with amount >= 0; a line with a negative amount is a *return*.
  Returns reduce ``monetary`` (it is net spend) but are not orders and do not make a customer
  recent.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from .constants import CUSTOMER_ID, INVOICE_DATE, REVENUE
from .validation import (
    day_numbers,
    require_columns,
    require_datetime,
    require_day,
    require_frame,
    require_int_at_least,
    require_numeric,
)

__all__ = [
    "SEGMENT_ACTIONS",
    "SEGMENT_RULES",
    "rfm_scores",
    "segment_backtest",
    "rfm_segments",
    "rfm_sql",
    "rfm_table",
]

#: Named segments on the 5 x 5 grid of R score (rows) by FM score (columns). Each segment is a
#: rectangle: (R scores, FM scores). Together they cover each of the 25 cells exactly once
#: (checked at import):
#:
#: =======  ==============  ==================  ==================  =========  ===============
#: R \\ FM  1               2                   3                   4          5
#: =======  ==============  ==================  ==================  =========  ===============
#: 5        New             Potential Loyalist  Potential Loyalist  Champions  Champions
#: 4        Promising       Potential Loyalist  Potential Loyalist  Loyal      Loyal
#: 3        About to Sleep  About to Sleep      Need Attention      Loyal      Loyal
#: 2        Hibernating     Hibernating         At Risk             At Risk    Can't Lose Them
#: 1        Lost            Lost                At Risk             At Risk    Can't Lose Them
#: =======  ==============  ==================  ==================  =========  ===============
#:
#: It is the widely used R x F regex grid (``5[4-5]`` Champions, ``[3-4][4-5]`` Loyal, ...) with
#: its Hibernating corner split so that R = 1 is Lost.
SEGMENT_RULES: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "Champions": ((5,), (4, 5)),
    "Loyal": ((3, 4), (4, 5)),
    "Potential Loyalist": ((4, 5), (2, 3)),
    "New": ((5,), (1,)),
    "Promising": ((4,), (1,)),
    "Need Attention": ((3,), (3,)),
    "About to Sleep": ((3,), (1, 2)),
    "At Risk": ((1, 2), (3, 4)),
    "Can't Lose Them": ((1, 2), (5,)),
    "Hibernating": ((2,), (1, 2)),
    "Lost": ((1,), (1, 2)),
}

#: One concrete marketing action per segment.
#:
#: The actions follow what an analyst can see in their own history, not the segment names.
#: :func:`segment_backtest` segments the customers as they were some months ago and counts who
#: bought again since: on the course's data about nine in ten Champions did so without any
#: campaign (so discounts there mostly pay for purchases that were coming anyway), while only
#: about one in four At Risk and Can't Lose Them customers did (on the simulator most have left,
#: so personal calls and strong offers would mostly reach departed customers; on Online Retail
#: more come back, but still fewer than Champions). A low comeback rate is a
#: baseline, not a promise that a campaign would change it: the actions for the lapsed
#: segments are therefore cheap, or a randomised test before any spend at scale.
SEGMENT_ACTIONS: dict[str, str] = {
    "Champions": "Reward them: early access to new products and a referral programme.",
    "Loyal": "Upsell higher-value products and invite them to the loyalty programme.",
    "Potential Loyalist": "Offer membership or a loyalty tier after their next order.",
    "New": "Recent but small, not first-time: a second-to-third-order incentive while engaged.",
    "Promising": "Build awareness with best-seller recommendations and a free-shipping offer.",
    "Need Attention": "Send a limited-time offer based on their past categories.",
    "About to Sleep": "Reactivate with popular products and a modest discount before they go.",
    "At Risk": "Fewer come back than Champions: one cheap automated win-back e-mail, no discount.",
    "Can't Lose Them": (
        "Fewer come back than Champions: test a win-back offer on a random half first;"
        " no big offers."
    ),
    "Hibernating": "Include them in low-cost seasonal campaigns only; do not over-invest.",
    "Lost": "Suppress from paid campaigns; try one last low-cost reactivation e-mail.",
}


def _segment_grid() -> np.ndarray:
    """Look-up array ``grid[R, FM]`` -> segment name, checked to partition the 5 x 5 grid."""
    grid = np.full((6, 6), None, dtype=object)
    for segment, (r_scores, fm_scores) in SEGMENT_RULES.items():
        for r in r_scores:
            for fm in fm_scores:
                if grid[r, fm] is not None:
                    raise RuntimeError(f"SEGMENT_RULES overlap at R={r}, FM={fm}")
                grid[r, fm] = segment
    if any(grid[r, fm] is None for r in range(1, 6) for fm in range(1, 6)):
        raise RuntimeError("SEGMENT_RULES leave a cell of the 5 x 5 grid unnamed")
    return grid


_GRID = _segment_grid()


def _require_no_missing(df: pd.DataFrame, column: str, name: str) -> None:
    n_missing = int(df[column].isna().sum())
    if n_missing:
        raise ValueError(f"column '{column}' of {name} has {n_missing} missing value(s)")



def no_purchase_message(n: int, examples: list, *, table: str, amount_col: str = REVENUE,
                        customer_col: str = CUSTOMER_ID) -> str:
    """The error for customers whose lines are all returns netting to about zero: with no
    purchase there is no last purchase day to count recency from.

    Examples
    --------
    >>> no_purchase_message(1, [7], table="transactions").split(" (")[0]
    "column 'revenue' of transactions: 1 customer(s) have returns but no purchase"
    """
    return (f"column '{amount_col}' of {table}: {n} customer(s) have returns but no purchase "
            f"(no day to count recency from), {customer_col} e.g. {examples}; drop them or "
            "the returns of purchases made before the data starts")

def rfm_table(
    transactions: pd.DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    order_col: str | None = None,
    as_of: str | pd.Timestamp | None = None,
    negative: Literal["net", "raise"] = "net",
) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction line.
    customer_col, date_col, amount_col : str, default "customer_id", "invoice_date", "revenue"
        Customer id, purchase timestamp (datetime dtype; time-zone-aware values are taken in
        their local time) and line amount (defaults: the course's column names in
        :mod:`helpers.constants`).
    order_col : str, optional
        Order (invoice) id. Without it, each distinct purchase *day* counts as one order.
    as_of : date-like, optional
        Analysis day (midnight; a time of day is dropped). Transactions on or after it are
        ignored. Default: the day after the last transaction date.
    negative : {"net", "raise"}
        What to do with negative amounts (returns). ``"net"`` (default): they reduce monetary
        but are not orders and do not set recency; a customer whose net spend is still
        negative (e.g. returns of purchases made before the data starts) raises a
        ``ValueError`` naming the customers. ``"raise"``: any negative amount raises.

    Returns
    -------
    DataFrame
        Indexed by customer id (index named ``customer_col``, sorted ascending), columns
        ``recency`` (int, days), ``frequency`` (int, orders) and ``monetary`` (float, net
        spend). Customers with no transaction before ``as_of`` are absent.

    Raises
    ------
    ValueError
        On a missing column, non-datetime dates, non-numeric or missing amounts, missing
        customer or order ids, an ``as_of`` on or before the first transaction day, or
        negative amounts as described under ``negative``.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [7, 7], "d": pd.to_datetime(["2025-01-01", "2025-01-03"]),
    ...                    "a": [20.0, -5.0]})
    >>> rfm_table(tx, customer_col="c", date_col="d", amount_col="a", as_of="2025-01-10").loc[7]
    recency       9.0
    frequency     1.0
    monetary     15.0
    Name: 7, dtype: float64
    """
    name = "transactions"
    df = require_frame(transactions, name=name)
    columns = [customer_col, date_col, amount_col] + ([] if order_col is None else [order_col])
    require_columns(df, columns, name=name)
    if negative not in ("net", "raise"):
        raise ValueError(f"negative must be 'net' or 'raise', got {negative!r}")
    dates = require_datetime(df, date_col, name=name)
    amounts = require_numeric(df, amount_col, name=name)
    for column in columns:
        if column != date_col:
            _require_no_missing(df, column, name)

    day = day_numbers(dates)
    amount = amounts.to_numpy()
    # Factorising the whole column (not the as_of window) keeps pandas' fast path on the
    # original dtype; customers without rows in the window are dropped at the end.
    codes, customers = pd.factorize(df[customer_col], sort=True)
    order_codes: np.ndarray | None = None
    n_orders = 0
    if order_col is not None:
        order_codes, order_uniques = pd.factorize(df[order_col])
        n_orders = len(order_uniques)

    if as_of is None:
        as_of_day = int(day.max()) + 1
    else:
        stamp, as_of_day = require_day(as_of, "as_of")
        first_day = int(day.min())
        if as_of_day <= first_day:
            first = np.datetime64(first_day, "D")
            raise ValueError(
                f"as_of {stamp.date()} is not after the first purchase in column "
                f"'{date_col}' ({first}): no transactions before it"
            )
        window = day < as_of_day
        if not window.all():
            codes, day, amount = codes[window], day[window], amount[window]
            if order_codes is not None:
                order_codes = order_codes[window]

    is_return = amount < 0
    if negative == "raise" and is_return.any():
        raise ValueError(
            f"column '{amount_col}' of {name} has {int(is_return.sum())} negative value(s) "
            "(returns); pass negative='net' to net them into monetary"
        )

    n_customers = len(customers)
    n_rows = np.bincount(codes, minlength=n_customers)
    monetary = np.bincount(codes, weights=amount, minlength=n_customers)
    present = n_rows > 0
    # A tolerance of a millionth of a currency unit keeps a purchase fully refunded in
    # several parts (net -1e-15 from rounding) from being reported as negative spend.
    owing = present & (monetary < -1e-6)
    if owing.any():
        examples = pd.Index(customers)[owing][:10].tolist()
        raise ValueError(
            f"column '{amount_col}' of {name}: {int(owing.sum())} customer(s) have negative net "
            f"spend (returns exceed purchases), {customer_col} e.g. {examples}; drop them or "
            "the returns of purchases made before the data starts"
        )

    bought = ~is_return
    only_returns = present & (np.bincount(codes[bought], minlength=n_customers) == 0)
    if only_returns.any():
        examples = pd.Index(customers)[only_returns][:10].tolist()
        raise ValueError(no_purchase_message(int(only_returns.sum()), examples, table=name,
                                             amount_col=amount_col, customer_col=customer_col))
    p_codes, p_day = codes[bought], day[bought]
    last_day = np.full(n_customers, np.iinfo(np.int64).min)
    np.maximum.at(last_day, p_codes, p_day)

    # Distinct (customer, order) pairs, encoded as one int64 so pandas' hash table can count
    # them without per-group Python.
    if order_codes is None:
        first_day = int(p_day.min()) if len(p_day) else 0
        span = int(p_day.max()) - first_day + 1 if len(p_day) else 1
        pair = p_codes * span + (p_day - first_day)
    else:
        span = max(n_orders, 1)
        pair = p_codes * span + order_codes[bought]
    frequency = np.bincount(pd.unique(pair) // span, minlength=n_customers)

    index = pd.Index(customers, name=customer_col)[present]
    return pd.DataFrame(
        {
            "recency": as_of_day - last_day[present],
            "frequency": frequency[present].astype(np.int64),
            "monetary": monetary[present],
        },
        index=index,
    )


def _score(values: pd.Series, n_bins: int, reverse: bool) -> np.ndarray:
    # Ranking first (ties broken by row order) makes qcut's bin edges unique, so every bin
    # gets n / n_bins customers even when many share a value (frequency 1 is typical).
    ranks = values.rank(method="first")
    bins = pd.qcut(ranks, n_bins, labels=False).to_numpy().astype(np.int64) + 1
    return n_bins + 1 - bins if reverse else bins


def rfm_scores(rfm: pd.DataFrame, n_bins: int = 5) -> pd.DataFrame:
    """Quantile scores 1..``n_bins`` for recency, frequency and monetary.

    Higher is better on all three: recency is reversed, so the most recent customers get
    ``n_bins``. Ties are broken by rank (``rank(method="first")``, i.e. by row order, which is
    the customer id order for a table from :func:`rfm_table`), so every score is used by
    ``len(rfm) // n_bins`` or ``len(rfm) // n_bins + 1`` customers.

    Parameters
    ----------
    rfm : DataFrame
        Columns ``recency``, ``frequency`` and ``monetary`` (as from :func:`rfm_table`).
    n_bins : int
        Number of quantile bins (5 = quintiles).

    Returns
    -------
    DataFrame
        Same index as ``rfm``, integer columns ``R``, ``F`` and ``M``.

    Examples
    --------
    >>> rfm = pd.DataFrame({"recency": [1, 50, 9, 20, 3], "frequency": [3, 1, 1, 1, 2],
    ...                     "monetary": [90.0, 5.0, 20.0, 10.0, 40.0]})
    >>> rfm_scores(rfm)["R"].tolist()
    [5, 1, 3, 2, 4]
    """
    name = "rfm"
    df = require_frame(rfm, name=name)
    require_columns(df, ["recency", "frequency", "monetary"], name=name)
    n_bins = require_int_at_least(n_bins, "n_bins", minimum=2)
    if len(df) < n_bins:
        raise ValueError(f"{name} has {len(df)} row(s); need at least n_bins={n_bins} to score")
    values = {}
    for column in ("recency", "frequency", "monetary"):
        values[column] = require_numeric(df, column, name=name)
        _require_no_missing(df, column, name)
    return pd.DataFrame(
        {
            "R": _score(values["recency"], n_bins, reverse=True),
            "F": _score(values["frequency"], n_bins, reverse=False),
            "M": _score(values["monetary"], n_bins, reverse=False),
        },
        index=df.index,
    )


def rfm_segments(scores: pd.DataFrame, *, fm: Literal["mean", "f"] = "mean") -> pd.Series:
    """Name each customer's segment from its R, F and M scores (1..5).

    The FM score is ``(F + M + 1) // 2`` for ``fm="mean"`` (the mean of F and M rounded half
    up: F=4, M=5 gives 5) or ``F`` alone for ``fm="f"``. The segment is then looked up on the
    R x FM grid of :data:`SEGMENT_RULES`:

    ====================  =========  =========
    segment               R          FM
    ====================  =========  =========
    Champions             5          4-5
    Loyal                 3-4        4-5
    Potential Loyalist    4-5        2-3
    New                   5          1
    Promising             4          1
    Need Attention        3          3
    About to Sleep        3          1-2
    At Risk               1-2        3-4
    Can't Lose Them       1-2        5
    Hibernating           2          1-2
    Lost                  1          1-2
    ====================  =========  =========

    :data:`SEGMENT_ACTIONS` suggests one marketing action per segment.

    Parameters
    ----------
    scores : DataFrame
        Integer columns ``R``, ``F`` and ``M`` in 1..5 (as from ``rfm_scores(rfm, 5)``).
    fm : {"mean", "f"}
        How to combine F and M into the FM score.

    Returns
    -------
    Series
        Categorical named ``segment`` (categories in the order of :data:`SEGMENT_RULES`), with
        the index of ``scores``.

    Examples
    --------
    >>> s = pd.DataFrame({"R": [5, 1, 3], "F": [5, 1, 3], "M": [4, 2, 3]})
    >>> rfm_segments(s).tolist()
    ['Champions', 'Lost', 'Need Attention']
    """
    name = "scores"
    df = require_frame(scores, name=name)
    require_columns(df, ["R", "F", "M"], name=name)
    if fm not in ("mean", "f"):
        raise ValueError(f"fm must be 'mean' or 'f', got {fm!r}")
    values = {}
    for column in ("R", "F", "M"):
        raw = require_numeric(df, column, name=name)
        arr = raw.to_numpy()
        bad = ~np.isin(arr, [1, 2, 3, 4, 5])
        if bad.any():
            examples = pd.unique(df[column].to_numpy()[bad])[:3].tolist()
            raise ValueError(
                f"column '{column}' of {name} must hold scores 1..5 (n_bins=5); "
                f"{int(bad.sum())} value(s) are not, e.g. {examples}"
            )
        values[column] = arr.astype(np.int64)
    fm_score = (values["F"] + values["M"] + 1) // 2 if fm == "mean" else values["F"]
    labels = _GRID[values["R"], fm_score]
    return pd.Series(
        pd.Categorical(labels, categories=list(SEGMENT_RULES)), index=df.index, name="segment"
    )


def segment_backtest(
    transactions: pd.DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    order_col: str | None = None,
    as_of: str | pd.Timestamp,
    until: str | pd.Timestamp,
    fm: Literal["mean", "f"] = "mean",
) -> pd.DataFrame:
    """What each RFM segment did next: segments as of one day, purchases up to a later day.

    The customers are segmented with the transactions before ``as_of`` only (quintile scores,
    then :func:`rfm_segments`); then the transactions from ``as_of`` up to (not including)
    ``until`` say who bought again. Both are in the analyst's own history, so the table is a
    back-test any retailer can run: no answer key, nothing after ``until``.

    Parameters
    ----------
    transactions : DataFrame
        One row per transaction line, as for :func:`rfm_table`.
    customer_col, date_col, amount_col, order_col : str
        Column names, with the defaults of :func:`rfm_table`.
    as_of : date-like
        Day of the segmentation (midnight): only earlier transactions decide the segments.
    until : date-like
        End of the follow-up window (exclusive); must be after ``as_of``.
    fm : {"mean", "f"}
        How to combine F and M, as for :func:`rfm_segments`.

    Returns
    -------
    DataFrame
        One row per segment of :data:`SEGMENT_RULES` (in that order, empty ones included),
        index named ``segment``: ``customers`` (segment size at ``as_of``), ``bought_again``
        (share of them with a purchase, a line with amount >= 0, in the window; NaN for an
        empty segment) and ``spend_after`` (their mean net spend in the window, 0 for
        customers who did not buy).

    Raises
    ------
    ValueError
        If ``until`` is not after ``as_of``, or on the inputs :func:`rfm_table` rejects.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [1, 2, 3, 4, 5, 1],
    ...                    "d": pd.to_datetime(["2025-01-0" + str(i) for i in range(1, 6)]
    ...                                        + ["2025-02-01"]),
    ...                    "a": [10.0, 20.0, 30.0, 40.0, 50.0, 5.0]})
    >>> out = segment_backtest(tx, customer_col="c", date_col="d", amount_col="a",
    ...                        as_of="2025-01-10", until="2025-03-01")
    >>> out.loc["Lost", ["customers", "bought_again", "spend_after"]].tolist()
    [1.0, 1.0, 5.0]
    """
    start, start_day = require_day(as_of, "as_of")
    end, end_day = require_day(until, "until")
    if end_day <= start_day:
        raise ValueError(
            f"until ({end.date()}) must be after as_of ({start.date()}): the follow-up window "
            "is empty"
        )
    rfm = rfm_table(
        transactions,
        customer_col=customer_col,
        date_col=date_col,
        amount_col=amount_col,
        order_col=order_col,
        as_of=start,
    )
    segment = rfm_segments(rfm_scores(rfm), fm=fm)
    day = day_numbers(transactions[date_col])
    amount = transactions[amount_col].to_numpy()
    window = (day >= start_day) & (day < end_day)
    ids = transactions[customer_col].to_numpy()
    buyers = pd.unique(ids[window & (amount >= 0)])
    spend = pd.Series(amount[window], index=ids[window]).groupby(level=0).sum()
    followed = pd.DataFrame(
        {
            "bought_again": rfm.index.isin(buyers),
            "spend_after": spend.reindex(rfm.index, fill_value=0.0).to_numpy(),
        },
        index=rfm.index,
    )
    grouped = followed.groupby(segment, observed=False)
    out = pd.DataFrame(
        {
            "customers": grouped.size().astype(np.int64),
            "bought_again": grouped["bought_again"].mean(),
            "spend_after": grouped["spend_after"].mean(),
        }
    )
    return out.rename_axis("segment")


def _quote(identifier: str) -> str:
    """SQL identifier in double quotes, so names with spaces (``Customer ID``) work."""
    return '"' + str(identifier).replace('"', '""') + '"'


def rfm_sql(
    table: str,
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    order_col: str | None = None,
    as_of: str | pd.Timestamp,
) -> str:
    """SQLite query giving the same recency, frequency and monetary as :func:`rfm_table`.

    It follows ``rfm_table(..., negative="net")``: lines before ``as_of`` only, amounts >= 0
    are purchases, returns are netted into monetary. Dates must be stored as ISO-8601 text
    (``'2025-03-01 14:05:00'``), which ``julianday``/``date`` understand. Unlike
    :func:`rfm_table` the query cannot raise, so check ``monetary >= 0`` on its result.

    Parameters
    ----------
    table : str
        Table name.
    customer_col, date_col, amount_col, order_col : str
        Column names, with the defaults of :func:`rfm_table`.
    as_of : date-like
        Analysis day (required: a query cannot know the data's last day in advance here).

    Returns
    -------
    str
        One ``SELECT`` returning columns ``customer_col``, ``recency``, ``frequency`` and
        ``monetary``, ordered by customer.

    Examples
    --------
    >>> import sqlite3
    >>> con = sqlite3.connect(":memory:")
    >>> _ = con.execute("CREATE TABLE tx (c INTEGER, d TEXT, a REAL)")
    >>> _ = con.executemany("INSERT INTO tx VALUES (?, ?, ?)",
    ...                     [(7, "2025-01-01 10:00:00", 20.0), (7, "2025-01-03 09:00:00", -5.0)])
    >>> con.execute(rfm_sql("tx", customer_col="c", date_col="d", amount_col="a",
    ...                     as_of="2025-01-10")).fetchall()
    [(7, 9, 1, 15.0)]
    """
    for label, value in (
        ("table", table),
        ("customer_col", customer_col),
        ("date_col", date_col),
        ("amount_col", amount_col),
    ):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{label} must be a non-empty string, got {value!r}")
    stamp, _ = require_day(as_of, "as_of")
    day = stamp.strftime("%Y-%m-%d")
    c, d, a = _quote(customer_col), _quote(date_col), _quote(amount_col)
    # Without an order id an order is a purchase day, as in rfm_table.
    order = f"date({d})" if order_col is None else _quote(order_col)
    return f"""SELECT
    {c} AS {c},
    CAST(ROUND(julianday('{day}') - julianday(MAX(CASE WHEN {a} >= 0 THEN date({d}) END)))
         AS INTEGER) AS recency,
    COUNT(DISTINCT CASE WHEN {a} >= 0 THEN {order} END) AS frequency,
    SUM({a}) AS monetary
FROM {_quote(table)}
WHERE date({d}) < '{day}'
GROUP BY {c}
ORDER BY {c}"""
