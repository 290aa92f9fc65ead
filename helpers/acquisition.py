"""Acquisition costs and CLV/CAC: is each acquisition channel worth what it costs?

CAC (customer acquisition cost) is what the retailer spends to win one *buying* customer
through a channel. CLV/CAC compares it with what such a customer is worth: a ratio of 1 only
pays the acquisition back; a common rule of thumb asks for 3 or more over the first year.

The course's cost table, :data:`ACQUISITION_COST_GBP`, is illustrative: the simulator does not
record marketing spend, so the figures are typical UK e-commerce orders of magnitude, each
justified in :data:`ACQUISITION_COST_NOTES`. Replace them with your own finance figures.

>>> import pandas as pd
>>> customers = pd.DataFrame({"channel": ["social", "social", "referral"],
...                           "value": [20.0, 50.0, 100.0]})
>>> clv_to_cac(customers, channel_col="channel", value_col="value",
...            costs={"social": 35.0, "referral": 25.0})["clv_to_cac"].tolist()
[1.0, 4.0]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .constants import ACQUISITION_CHANNEL, CUSTOMER_ID, CUSTOMER_VALUE, INVOICE_DATE, REVENUE
from .validation import (
    require_columns,
    require_frame,
    require_numeric,
    require_transactions,
)

__all__ = ["ACQUISITION_COST_GBP", "ACQUISITION_COST_NOTES", "DISPLAY_NAMES", "new_customer_value",
           "clv_to_cac"]

#: Business names of the columns of :func:`clv_to_cac`, for tables a marketer reads.
DISPLAY_NAMES: dict[str, str] = {
    "customers": "Customers",
    "value_per_customer": "Margin, year 1 (£)",
    "median_value": "Median (£)",
    "cac": "CAC (£)",
    "clv_to_cac": "CLV/CAC",
    "profit_per_customer": "Margin after CAC (£)",
}

#: Cost of acquiring one buying customer, in GBP, per acquisition channel (illustrative).
ACQUISITION_COST_GBP: dict[str, float] = {
    "organic": 10.0,
    "paid_search": 45.0,
    "social": 35.0,
    "referral": 25.0,
    "store": 20.0,
}

#: One-line justification of each cost in :data:`ACQUISITION_COST_GBP`.
ACQUISITION_COST_NOTES: dict[str, str] = {
    "organic": "not free: SEO, content and brand upkeep spread over the customers who arrive "
    "unpaid",
    "paid_search": "about £0.90 per click and 2% of clicks becoming a first purchase",
    "social": "paid social ads: cheaper clicks (about £0.50) but only 1.4% become buyers",
    "referral": "a £15 reward to the referrer plus a £10 welcome voucher for the new customer",
    "store": "staff time at the till and the sign-up incentive (loyalty-card points)",
}


def new_customer_value(
    transactions: pd.DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    horizon_days: int = 365,
    margin: float = 1.0,
    annual_discount_rate: float = 0.0,
    observation_end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """What each customer was worth in their first ``horizon_days`` after the first purchase.

    value = margin x sum over purchases on days d = 0 .. horizon_days - 1 after the first
    purchase of amount / (1 + annual_discount_rate)^(d / 365.25).

    The first order counts (acquisition pays for it too) and is not discounted. Only customers
    observed for the whole horizon have a meaningful value: ``complete`` says whether
    first purchase + horizon falls on or before the day after ``observation_end``.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per order (or order line) with customer, date and amount.
    customer_col, date_col, amount_col : str
        Column names, by default the course's (``constants.CUSTOMER_ID``, ``INVOICE_DATE``,
        ``REVENUE``).
    horizon_days : int, default 365
        Length of the window after the first purchase, in days.
    margin : float, default 1
        Share of revenue kept as profit, 0 to 1 (1 gives revenue).
    annual_discount_rate : float, default 0
        Yearly rate at which later money is worth less.
    observation_end : date-like, optional
        Last day of data; defaults to the last date in ``date_col``.

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (sorted): ``first_purchase`` (day), ``value`` and ``complete``.

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 1, 1], "amount": [100.0, 110.0, 50.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2025-01-01", "2025-06-01"])})
    >>> out = new_customer_value(tx, customer_col="id", date_col="date", amount_col="amount",
    ...                          margin=0.5, annual_discount_rate=0.1)
    >>> round(float(out.loc[1, "value"]), 2)  # day 366 is outside the first year: 0.5 x 100
    50.0
    """
    df, dates, amounts = require_transactions(
        transactions, customer_col=customer_col, date_col=date_col, amount_col=amount_col
    )
    if int(horizon_days) != horizon_days or horizon_days < 1:
        raise ValueError(f"horizon_days must be a whole number >= 1, got {horizon_days!r}")
    if not 0 <= margin <= 1:
        raise ValueError(f"margin must be a share of revenue between 0 and 1, got {margin!r}")
    if not 0 <= annual_discount_rate < 1:
        raise ValueError(
            f"annual_discount_rate must be in [0, 1), got {annual_discount_rate!r}"
        )
    day = dates.dt.normalize()
    end = day.max() if observation_end is None else pd.Timestamp(observation_end).normalize()
    frame = pd.DataFrame({"customer": df[customer_col].to_numpy(), "day": day.to_numpy(),
                          "amount": amounts.to_numpy()})
    first = frame.groupby("customer")["day"].transform("min")
    since = (frame["day"] - first).dt.days.to_numpy()
    inside = (since < horizon_days) & (frame["day"] <= end).to_numpy()
    discounted = frame["amount"].to_numpy() * (1 + annual_discount_rate) ** (-since / 365.25)
    frame["value"] = np.where(inside, discounted, 0.0) * margin
    out = frame.groupby("customer").agg(first_purchase=("day", "min"), value=("value", "sum"))
    out["complete"] = out["first_purchase"] + pd.Timedelta(days=int(horizon_days)) <= (
        end + pd.Timedelta(days=1)
    )
    out.index.name = customer_col
    return out


def clv_to_cac(
    customers: pd.DataFrame,
    *,
    channel_col: str = ACQUISITION_CHANNEL,
    value_col: str = CUSTOMER_VALUE,
    costs: Mapping[str, float] = ACQUISITION_COST_GBP,
) -> pd.DataFrame:
    """Average customer value, acquisition cost and their ratio per acquisition channel.

    Parameters
    ----------
    customers : pandas.DataFrame
        One row per customer with their acquisition channel and value (e.g. first-year margin
        from :func:`new_customer_value` or a model's CLV).
    channel_col, value_col : str
        Column names; by default the CRM's ``acquisition_channel`` and the ``value`` that
        :func:`new_customer_value` returns.
    costs : mapping, default :data:`ACQUISITION_COST_GBP`
        Cost of acquiring one customer per channel; every channel in the data needs one.

    Returns
    -------
    pandas.DataFrame
        One row per channel (in the order of ``costs``): ``customers``, ``value_per_customer``
        (mean), ``median_value``, ``cac``, ``clv_to_cac`` (mean value / CAC) and
        ``profit_per_customer`` (mean value - CAC).

    Examples
    --------
    >>> df = pd.DataFrame({"ch": ["a", "a", "b"], "v": [10.0, 30.0, 5.0]})
    >>> clv_to_cac(df, channel_col="ch", value_col="v", costs={"a": 10.0, "b": 10.0}
    ...            )["profit_per_customer"].tolist()
    [10.0, -5.0]
    """
    df = require_frame(customers, name="customers")
    require_columns(df, [channel_col, value_col], name="customers")
    values = require_numeric(df, value_col, name="customers")
    if values.isna().any():
        raise ValueError(
            f"column '{value_col}' of customers has {int(values.isna().sum())} missing value(s)"
        )
    channels = df[channel_col]
    if channels.isna().any():
        raise ValueError(f"column '{channel_col}' of customers has missing channels")
    unknown = sorted(set(channels) - set(costs))
    if unknown:
        raise ValueError(
            f"column '{channel_col}' has channel(s) {unknown} without an acquisition cost; "
            f"costs are given for {sorted(costs)}"
        )
    for channel, cost in costs.items():
        if not np.isfinite(cost) or cost <= 0:
            raise ValueError(f"acquisition cost of '{channel}' must be positive, got {cost!r}")
    grouped = values.groupby(channels.to_numpy())
    out = pd.DataFrame({"customers": grouped.size(), "value_per_customer": grouped.mean(),
                        "median_value": grouped.median()})
    out = out.reindex([c for c in costs if c in out.index])
    out["cac"] = [float(costs[c]) for c in out.index]
    out["clv_to_cac"] = out["value_per_customer"] / out["cac"]
    out["profit_per_customer"] = out["value_per_customer"] - out["cac"]
    out.index.name = channel_col
    return out
