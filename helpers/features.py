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
    INVOICE,
    INVOICE_DATE,
    REVENUE,
)
from .labels import label_key
from .validation import require_columns, require_datetime, require_frame

PROFILE_CRM_COLUMNS = ["age", "gender", "country", "acquisition_channel", "email_consent",
                       "signup_date"]


def category_column(category: str) -> str:
    """Column name for a category share, e.g. ``share_homeandkitchen``."""
    return f"share_{label_key(category)}"


def order_features(orders: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Purchase behaviour per customer from clean order lines dated before ``as_of``.

    Returns
    -------
    DataFrame indexed by ``customer_id`` with ``first_purchase``, ``last_purchase``,
    ``recency_days``, ``tenure_days``, ``frequency`` (invoices), ``monetary`` (GBP),
    ``avg_order_value``, ``avg_days_between_orders``, ``online_share`` and one
    ``share_<category>`` column per category (share of spend).
    """
    require_frame(orders, name="orders")
    require_columns(orders, [CUSTOMER_ID, INVOICE, INVOICE_DATE, REVENUE, CHANNEL, CATEGORY],
                    name="orders")
    require_datetime(orders, INVOICE_DATE, name="orders")
    as_of = pd.Timestamp(as_of)
    past = orders.loc[orders[INVOICE_DATE] < as_of]
    if past.empty:
        raise ValueError(f"no orders in column '{INVOICE_DATE}' before as_of={as_of.date()}")
    invoices = past.groupby([CUSTOMER_ID, INVOICE], sort=False).agg(
        date=(INVOICE_DATE, "first"), value=(REVENUE, "sum"), channel=(CHANNEL, "first")
    )
    by_customer = invoices.groupby(level=CUSTOMER_ID)
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
            "online_share": (invoices["channel"] == "online").groupby(level=CUSTOMER_ID).mean()
            .round(3),
        }
    )
    spend = past.pivot_table(index=CUSTOMER_ID, columns=CATEGORY, values=REVENUE,
                             aggfunc="sum", fill_value=0.0)
    spend = spend.reindex(columns=list(CATEGORIES), fill_value=0.0)
    total = spend.sum(axis=1).replace(0, np.nan)
    shares = spend.div(total, axis=0).fillna(0.0).round(3)
    shares.columns = [category_column(c) for c in shares.columns]
    return table.join(shares)


def web_features(events: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Web engagement per logged-in customer before ``as_of``: sessions and product views."""
    require_columns(events, ["user_id", "event_timestamp", "event_name", "ga_session_id"],
                    name="web_events")
    cutoff_us = int(pd.Timestamp(as_of).value // 1_000)
    past = events.loc[(events["event_timestamp"] < cutoff_us) & events["user_id"].notna()]
    grouped = past.groupby("user_id")
    return pd.DataFrame(
        {
            "web_sessions": grouped["ga_session_id"].nunique(),
            "product_views": (past["event_name"] == "view_item").groupby(past["user_id"]).sum(),
        }
    ).rename_axis(CUSTOMER_ID)


def customer_profile(
    orders: pd.DataFrame,
    customers: pd.DataFrame,
    events: pd.DataFrame | None,
    *,
    as_of: pd.Timestamp,
) -> pd.DataFrame:
    """Build the customer profile table used by the later notebooks.

    Parameters
    ----------
    orders : DataFrame
        Clean order lines (course standard columns).
    customers : DataFrame
        Clean CRM (``customer_id`` plus the columns in ``PROFILE_CRM_COLUMNS``).
    events : DataFrame or None
        Web events with ``user_id``; ``None`` skips the web features.
    as_of : Timestamp
        Only data before this moment is used.

    Returns
    -------
    DataFrame
        One row per CRM customer who had signed up before ``as_of`` (customers who never
        bought have ``frequency`` 0 and missing purchase dates), sorted by ``customer_id``.
        Customers who signed up on or after ``as_of`` did not exist yet and are left out.
    """
    require_frame(customers, name="customers")
    require_columns(customers, [CUSTOMER_ID, *PROFILE_CRM_COLUMNS], name="customers")
    signup = pd.to_datetime(customers["signup_date"], errors="coerce")
    if signup.isna().any():
        raise ValueError("column 'signup_date' of customers has missing or unparseable dates")
    customers = customers.loc[(signup < pd.Timestamp(as_of)).to_numpy()]
    profile = customers[[CUSTOMER_ID, *PROFILE_CRM_COLUMNS]].set_index(CUSTOMER_ID)
    profile = profile.join(order_features(orders, as_of), how="left")
    if events is not None:
        profile = profile.join(web_features(events, as_of), how="left")
        profile[["web_sessions", "product_views"]] = (
            profile[["web_sessions", "product_views"]].fillna(0).astype(int)
        )
    profile["frequency"] = profile["frequency"].fillna(0).astype(int)
    profile["monetary"] = profile["monetary"].fillna(0.0)
    share_cols = [category_column(c) for c in CATEGORIES]
    profile[share_cols] = profile[share_cols].fillna(0.0)
    return profile.sort_index().reset_index()
