"""The customer profile: one row per customer, built from clean orders, CRM and web events.

Every behavioural feature uses only data dated before ``as_of``, so the same function can
build features for a past cut-off (as the churn notebook does) without leaking the future.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .constants import (
    CATEGORIES,
    CATEGORY,
    CHANNEL,
    CUSTOMER_ID,
    EVENT_NAME,
    EVENT_TIMESTAMP,
    INVOICE,
    INVOICE_DATE,
    REVENUE,
    SESSION_ID,
    USER_ID,
)
from .labels import label_key
from .validation import require_columns, require_datetime, require_frame

PROFILE_CRM_COLUMNS = ["age", "gender", "country", "acquisition_channel", "email_consent",
                       "signup_date"]


def category_column(category: str) -> str:
    """Column name for a category share, e.g. ``share_homeandkitchen``.

    Examples
    --------
    >>> category_column("Home & Kitchen")
    'share_homeandkitchen'
    """
    return f"share_{label_key(category)}"


def order_features(
    orders: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    customer_col: str = CUSTOMER_ID,
    invoice_col: str = INVOICE,
    date_col: str = INVOICE_DATE,
    revenue_col: str = REVENUE,
    channel_col: str = CHANNEL,
    category_col: str = CATEGORY,
) -> pd.DataFrame:
    """Purchase behaviour per customer from clean order lines dated before ``as_of``.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines: customer, invoice, date (datetimes), revenue, channel
        (``"online"`` or another) and category (one of ``constants.CATEGORIES``).
    as_of : Timestamp
        Only lines dated strictly before it are used.
    customer_col, invoice_col, date_col, revenue_col, channel_col, category_col : str
        Column names, by default the course's (``constants.CUSTOMER_ID``...).

    Returns
    -------
    DataFrame
        Indexed by customer (index named ``customer_col``) with ``first_purchase``,
        ``last_purchase``, ``recency_days``, ``tenure_days``, ``frequency`` (invoices),
        ``monetary`` (GBP), ``avg_order_value``, ``avg_days_between_orders``,
        ``online_share`` and one ``share_<category>`` column per category (share of spend).

    Raises
    ------
    ValueError
        If a column is missing, the dates are not datetimes or no line lies before ``as_of``.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": [1, 1], "invoice_no": ["a", "b"],
    ...     "invoice_date": pd.to_datetime(["2024-01-01", "2024-01-11"]),
    ...     "revenue": [10.0, 30.0], "channel": ["online", "store"], "category": "Beauty"})
    >>> order_features(lines, "2024-01-21")[["frequency", "monetary", "recency_days"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                 frequency  monetary  recency_days
    customer_id
    1                    2      40.0          10.0
    """
    require_frame(orders, name="orders")
    require_columns(orders, [customer_col, invoice_col, date_col, revenue_col, channel_col,
                             category_col], name="orders")
    require_datetime(orders, date_col, name="orders")
    as_of = pd.Timestamp(as_of)
    past = orders.loc[orders[date_col] < as_of]
    if past.empty:
        raise ValueError(f"no orders in column '{date_col}' before as_of={as_of.date()}")
    invoices = past.groupby([customer_col, invoice_col], sort=False).agg(
        date=(date_col, "first"), value=(revenue_col, "sum"), channel=(channel_col, "first")
    )
    by_customer = invoices.groupby(level=customer_col)
    first = by_customer["date"].min()
    last = by_customer["date"].max()
    frequency = by_customer.size()
    monetary = by_customer["value"].sum()
    days = lambda delta: delta.dt.total_seconds() / 86_400  # noqa: E731
    table = pd.DataFrame(
        {
            "first_purchase": first,
            "last_purchase": last,
            "recency_days": days(as_of - last).round(1),
            "tenure_days": days(as_of - first).round(1),
            "frequency": frequency,
            "monetary": monetary.round(2),
            "avg_order_value": (monetary / frequency).round(2),
            "avg_days_between_orders": (days(last - first) / (frequency - 1)).where(
                frequency > 1
            ).round(1),
            "online_share": (invoices["channel"] == "online").groupby(level=customer_col).mean()
            .round(3),
        }
    )
    spend = past.pivot_table(index=customer_col, columns=category_col, values=revenue_col,
                             aggfunc="sum", fill_value=0.0)
    spend = spend.reindex(columns=list(CATEGORIES), fill_value=0.0)
    total = spend.sum(axis=1).replace(0, np.nan)
    shares = spend.div(total, axis=0).fillna(0.0).round(3)
    shares.columns = [category_column(c) for c in shares.columns]
    return table.join(shares)


def web_features(
    events: pd.DataFrame,
    as_of: pd.Timestamp,
    *,
    user_col: str = USER_ID,
    timestamp_col: str = EVENT_TIMESTAMP,
    event_col: str = EVENT_NAME,
    session_col: str = SESSION_ID,
    customer_col: str = CUSTOMER_ID,
) -> pd.DataFrame:
    """Web engagement per logged-in customer before ``as_of``: sessions and product views.

    Parameters
    ----------
    events : DataFrame
        One row per web event: the logged-in customer (missing when anonymous), the time in
        microseconds since 1970, the event name (``view_item`` counts as a product view) and
        the session id.
    as_of : Timestamp
        Only events strictly before it count.
    user_col, timestamp_col, event_col, session_col : str
        Column names of ``events`` (by default those of the GA4-style export).
    customer_col : str, default ``constants.CUSTOMER_ID``
        Name given to the result's index.

    Returns
    -------
    DataFrame
        Indexed by customer: ``web_sessions`` (distinct sessions) and ``product_views``.

    Examples
    --------
    >>> events = pd.DataFrame({"user_id": [7, 7, None], "ga_session_id": [1, 2, 3],
    ...     "event_name": ["view_item", "page_view", "view_item"],
    ...     "event_timestamp": [0, 1, 2]})
    >>> web_features(events, "2024-01-01")  # doctest: +NORMALIZE_WHITESPACE
                 web_sessions  product_views
    customer_id
    7.0                     2              1
    """
    require_columns(events, [user_col, timestamp_col, event_col, session_col],
                    name="web_events")
    cutoff_us = int(pd.Timestamp(as_of).value // 1_000)
    past = events.loc[(events[timestamp_col] < cutoff_us) & events[user_col].notna()]
    grouped = past.groupby(user_col)
    return pd.DataFrame(
        {
            "web_sessions": grouped[session_col].nunique(),
            "product_views": (past[event_col] == "view_item").groupby(past[user_col]).sum(),
        }
    ).rename_axis(customer_col)


def customer_profile(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    events: pd.DataFrame | None,
    *,
    as_of: pd.Timestamp,
    customer_col: str = CUSTOMER_ID,
    invoice_col: str = INVOICE,
    date_col: str = INVOICE_DATE,
    revenue_col: str = REVENUE,
    channel_col: str = CHANNEL,
    category_col: str = CATEGORY,
) -> pd.DataFrame:
    """Build the customer profile table used by the later notebooks.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines, as for :func:`order_features`.
    customers : DataFrame
        Clean CRM: the customer id plus the columns in ``PROFILE_CRM_COLUMNS``.
    events : DataFrame or None
        Web events in the columns :func:`web_features` reads by default; ``None`` skips the
        web features.
    as_of : Timestamp
        Only data before this moment is used.
    customer_col : str, default ``constants.CUSTOMER_ID``
        The customer id, in ``orders`` and ``customers`` alike.
    invoice_col, date_col, revenue_col, channel_col, category_col : str
        Columns of ``orders``, as for :func:`order_features`.

    Returns
    -------
    DataFrame
        One row per CRM customer who had signed up before ``as_of`` (customers who never
        bought have ``frequency`` 0 and missing purchase dates), sorted by customer id.
        Customers who signed up on or after ``as_of`` did not exist yet and are left out.

    Raises
    ------
    ValueError
        If a column is missing or a sign-up date is missing or unparseable.

    Examples
    --------
    >>> lines = pd.DataFrame({"customer_id": [1], "invoice_no": ["a"],
    ...     "invoice_date": pd.to_datetime(["2024-01-11"]), "revenue": [10.0],
    ...     "channel": ["online"], "category": "Beauty"})
    >>> crm = pd.DataFrame({"customer_id": [1, 2], "age": [30, 40], "gender": ["F", "M"],
    ...     "country": "France", "acquisition_channel": "organic", "email_consent": 1,
    ...     "signup_date": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    >>> customer_profile(lines, crm, None, as_of="2024-01-21")[["customer_id", "frequency"]]
       customer_id  frequency
    0            1          1
    1            2          0
    """
    require_frame(customers, name="customers")
    require_columns(customers, [customer_col, *PROFILE_CRM_COLUMNS], name="customers")
    signup = pd.to_datetime(customers["signup_date"], errors="coerce")
    if signup.isna().any():
        raise ValueError("column 'signup_date' of customers has missing or unparseable dates")
    customers = customers.loc[(signup < pd.Timestamp(as_of)).to_numpy()]
    profile = customers[[customer_col, *PROFILE_CRM_COLUMNS]].set_index(customer_col)
    behaviour = order_features(orders, as_of, customer_col=customer_col, invoice_col=invoice_col,
                               date_col=date_col, revenue_col=revenue_col,
                               channel_col=channel_col, category_col=category_col)
    profile = profile.join(behaviour, how="left")
    if events is not None:
        profile = profile.join(web_features(events, as_of, customer_col=customer_col),
                               how="left")
        profile[["web_sessions", "product_views"]] = (
            profile[["web_sessions", "product_views"]].fillna(0).astype(int)
        )
    profile["frequency"] = profile["frequency"].fillna(0).astype(int)
    profile["monetary"] = profile["monetary"].fillna(0.0)
    share_cols = [category_column(c) for c in CATEGORIES]
    profile[share_cols] = profile[share_cols].fillna(0.0)
    return profile.sort_index().reset_index()
