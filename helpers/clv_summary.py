"""The customer summary the CLV models need: frequency, recency, T and spend per customer.

A *transaction* is a customer's purchase day (several purchases on one day count once, worth
their sum). With days numbered and ``end`` the last day of the (calibration) period:

* ``frequency`` = number of repeat transactions = purchase days - 1;
* ``recency`` = last purchase day - first purchase day;
* ``T`` = end - first purchase day;
* ``monetary_value`` = mean value of the repeat transactions (0 without any),

with times in days divided by ``time_unit_days`` (fractional weeks by default, the convention
of the published CDNOW fits). With a calibration end, also the holdout frequency and spend.
:mod:`helpers.clv` re-exports :func:`summary_from_transactions`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .constants import CUSTOMER_ID, INVOICE_DATE, REVENUE
from .validation import (
    day_numbers,
    require_columns,
    require_datetime,
    require_day,
    require_frame,
    require_numeric,
    require_positive_number,
)

DateLike = str | pd.Timestamp | np.datetime64 | None


def summary_from_transactions(
    transactions: pd.DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    calibration_end: DateLike = None,
    observation_end: DateLike = None,
    time_unit_days: float = 7.0,
) -> pd.DataFrame:
    """Turn a transaction log into one row of frequency, recency, T and spend per customer.

    Several purchases by one customer on the same calendar day count as one transaction whose
    amount is their sum. Times are whole days divided by ``time_unit_days`` (so fractional
    weeks by default, as in Fader, Hardie and Lee; they are *not* bucketed into calendar
    weeks). Both period ends are inclusive.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per purchase (or purchase line).
    customer_col, date_col, amount_col : str, default "customer_id", "invoice_date", "revenue"
        Columns holding the customer id, the purchase date (datetime64) and the amount spent
        (defaults: the course's column names in :mod:`helpers.constants`).
    calibration_end : date-like, optional
        If given, the summary columns describe purchases up to and including this day, and
        ``frequency_holdout``, ``monetary_value_holdout`` (mean spend per holdout transaction,
        0 when none) and ``duration_holdout`` describe the holdout period
        ``(calibration_end, observation_end]``. Customers whose first purchase is after
        ``calibration_end`` are excluded: the models describe customers already acquired.
    observation_end : date-like, optional
        Last day of the observation period; defaults to the last purchase date in the data.
        Purchases after it are ignored.
    time_unit_days : float, default 7
        Length of the time unit in days (7 for weeks, 1 for days).

    Returns
    -------
    pandas.DataFrame
        Indexed by customer id (sorted), with ``frequency`` (number of repeat transactions,
        int), ``recency`` (first to last transaction), ``T`` (first transaction to the end of
        the period) and ``monetary_value`` (mean amount of the repeat transactions, 0 when
        there are none), plus the holdout columns when ``calibration_end`` is given.

    Raises
    ------
    ValueError
        If a column is missing, dates are not datetimes, amounts are not numbers or missing,
        ids are missing, or ``calibration_end``/``observation_end`` fall outside the data.

    Notes
    -----
    Amounts are summed as they come: remove returns and cancelled orders first if negative
    amounts should not lower the spend. The output matches
    ``lifetimes.utils.summary_data_from_transaction_data(..., freq="D", freq_multiplier=7)``;
    with ``calibration_end`` the calibration columns keep their names (lifetimes adds
    ``_cal``), and ``monetary_value_holdout`` averages holdout *transactions* (same-day lines
    merged, as in the calibration period) where lifetimes averages raw lines.

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 1, 1], "amount": [10.0, 5.0, 20.0],
    ...     "date": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-15"])})
    >>> s = summary_from_transactions(tx, customer_col="id", date_col="date", amount_col="amount")
    >>> s.to_dict("records")  # two purchases on day 0 are one transaction; weeks: 14 / 7 = 2
    [{'frequency': 1, 'recency': 2.0, 'T': 2.0, 'monetary_value': 20.0}]
    """
    df = require_frame(transactions, name="transactions")
    require_columns(df, [customer_col, date_col, amount_col], name="transactions")
    dates = require_datetime(df, date_col, name="transactions")
    amounts = require_numeric(df, amount_col, name="transactions")
    if amounts.isna().any():
        raise ValueError(
            f"column '{amount_col}' of transactions has {int(amounts.isna().sum())} missing "
            "amount(s); drop or fill them first"
        )
    ids = df[customer_col]
    if ids.isna().any():
        raise ValueError(
            f"column '{customer_col}' of transactions has {int(ids.isna().sum())} missing "
            "customer id(s); drop them first"
        )
    require_positive_number(time_unit_days, "time_unit_days")

    day = day_numbers(dates)
    first_day, last_day = int(day.min()), int(day.max())
    date_range = f"{dates.min().date()} to {dates.max().date()}"
    if observation_end is None:
        end_day = last_day
    else:
        _, end_day = require_day(observation_end, "observation_end")
        if end_day < first_day:
            raise ValueError(
                f"observation_end {observation_end} is before the first purchase in column "
                f"'{date_col}' (data run {date_range})"
            )
    if calibration_end is None:
        cal_day = end_day
    else:
        _, cal_day = require_day(calibration_end, "calibration_end")
        if not first_day <= cal_day < end_day:
            raise ValueError(
                f"calibration_end {calibration_end} must fall on or after the first purchase "
                f"and before the end of the observation period in column '{date_col}' "
                f"(data run {date_range}, observation ends {np.datetime64(end_day, 'D')})"
            )

    lines = pd.DataFrame({"customer": ids.to_numpy(), "day": day, "amount": amounts.to_numpy()})
    lines = lines[lines["day"] <= end_day]
    # A transaction is a customer's purchase day, worth the sum of that day's lines.
    transactions = lines.groupby(["customer", "day"], sort=False, as_index=False)["amount"].sum()
    calibration = transactions[transactions["day"] <= cal_day]
    by_customer = calibration.groupby("customer", sort=False)
    first = by_customer["day"].min()
    summary = pd.DataFrame(
        {
            "frequency": by_customer.size() - 1,  # purchase days after the first
            "recency": (by_customer["day"].max() - first) / time_unit_days,
            "T": (cal_day - first) / time_unit_days,
        }
    )
    repeats = calibration[calibration["day"] > calibration["customer"].map(first)]
    summary["monetary_value"] = (
        repeats.groupby("customer", sort=False)["amount"].mean()
        .reindex(summary.index, fill_value=0.0)
    )
    if calibration_end is not None:
        holdout = transactions[transactions["day"] > cal_day].groupby("customer", sort=False)
        summary["frequency_holdout"] = (
            holdout.size().reindex(summary.index, fill_value=0).astype(np.int64)
        )
        summary["monetary_value_holdout"] = (
            holdout["amount"].mean().reindex(summary.index, fill_value=0.0)
        )
        summary["duration_holdout"] = (end_day - cal_day) / time_unit_days
    summary["frequency"] = summary["frequency"].astype(np.int64)
    summary.index.name = customer_col
    try:
        summary = summary.sort_index()
    except TypeError:  # ids of mixed types cannot be sorted; keep order of appearance
        pass
    return summary


def cohort_revenue(
    orders: pd.DataFrame,
    *,
    observation_end: DateLike,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
) -> tuple[pd.DataFrame, pd.Series]:
    """Cumulative revenue per cohort member by month since the first purchase.

    A cohort is the calendar quarter of a customer's first purchase. Month ``m`` (0 = the first
    30.4-day month) is shown only when every member of the cohort has been a customer for
    ``m + 1`` full months by ``observation_end``, so curves are not pulled down by customers
    acquired at the end of the data.

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order.
    observation_end : date-like
        Last day of the data (inclusive).
    customer_col, date_col, amount_col : str
        Columns of the customer id, order date and order value.

    Returns
    -------
    (cumulative, cohort_size)
        Revenue per customer (£) indexed by month, one column per cohort (NaN where not yet
        observed), and the number of customers per cohort.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2], "revenue": [10.0, 5.0, 20.0],
    ...     "invoice_date": pd.to_datetime(["2024-01-05", "2024-02-20", "2024-03-01"])})
    >>> cumulative, size = cohort_revenue(orders, observation_end="2024-04-30")
    >>> cumulative["2024Q1"].round(1).tolist(), int(size["2024Q1"])
    ([15.0, 17.5], 2)
    """
    require_frame(orders, name="orders")
    require_columns(orders, [customer_col, date_col, amount_col], name="orders")
    require_datetime(orders, date_col, name="orders")
    require_numeric(orders, amount_col, name="orders")
    data_end = pd.Timestamp(observation_end) + pd.Timedelta(days=1)
    first = orders.groupby(customer_col)[date_col].transform("min")
    cohort = first.dt.to_period("Q").astype(str).rename("cohort")
    month = ((orders[date_col] - first).dt.days // 30.4375).astype(int).rename("month")
    cohort_size = orders[customer_col].groupby(cohort).nunique()
    monthly = orders[amount_col].groupby([month, cohort]).sum().unstack(fill_value=0.0)
    monthly = monthly.reindex(range(int(month.max()) + 1), fill_value=0.0)
    cumulative = monthly.cumsum() / cohort_size
    full_months = ((data_end - first.groupby(cohort).max()).dt.days // 30.4375).astype(int)
    for name in cumulative.columns:
        cumulative.loc[cumulative.index >= full_months[name], name] = np.nan
    return cumulative.rename_axis(index="month", columns="cohort"), cohort_size
