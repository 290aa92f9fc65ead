"""The customer summary the CLV models need: frequency, recency, T and spend per customer.

For each customer, from their transactions: ``frequency`` (repeat purchases; several on one
day count once), ``recency`` (first to last purchase), ``T`` (first purchase to the end of the
period) and ``monetary_value`` (mean spend of the repeat purchases), in days divided by
``time_unit_days`` (fractional weeks by default, the convention of the published CDNOW fits).
With a calibration end, also the holdout frequency and spend. :mod:`helpers.clv` re-exports
:func:`summary_from_transactions`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .validation import (
    require_columns,
    require_datetime,
    require_frame,
    require_numeric,
    require_positive_number,
)

DateLike = str | pd.Timestamp | np.datetime64 | None


def _day_number(values: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 as int64 (the time of day is dropped)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        # Customers buy on local calendar days, so keep the wall-clock date.
        values = values.dt.tz_localize(None)
    return values.to_numpy().astype("datetime64[D]").astype(np.int64)


def _timestamp_day(value: object, label: str) -> int:
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{label} must be a date, got {value!r}") from exc
    if pd.isna(stamp):
        raise ValueError(f"{label} must be a date, got {value!r}")
    return int(np.datetime64(stamp.date(), "D").astype(np.int64))


def summary_from_transactions(
    transactions: pd.DataFrame,
    *,
    customer_col: str,
    date_col: str,
    amount_col: str,
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
    customer_col, date_col, amount_col : str
        Columns holding the customer id, the purchase date (datetime64) and the amount spent.
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

    day = _day_number(dates)
    first_day, last_day = int(day.min()), int(day.max())
    date_range = f"{dates.min().date()} to {dates.max().date()}"
    if observation_end is None:
        end_day = last_day
    else:
        end_day = _timestamp_day(observation_end, "observation_end")
        if end_day < first_day:
            raise ValueError(
                f"observation_end {observation_end} is before the first purchase in column "
                f"'{date_col}' (data run {date_range})"
            )
    if calibration_end is None:
        cal_day = end_day
    else:
        cal_day = _timestamp_day(calibration_end, "calibration_end")
        if not first_day <= cal_day < end_day:
            raise ValueError(
                f"calibration_end {calibration_end} must fall on or after the first purchase "
                f"and before the end of the observation period in column '{date_col}' "
                f"(data run {date_range}, observation ends {np.datetime64(end_day, 'D')})"
            )

    # Hashing the ids is cheaper than sorting them; the result is sorted once at the end.
    codes, uniques = pd.factorize(ids, sort=False)
    amount = amounts.to_numpy(dtype=float)
    keep = day <= end_day
    codes, day, amount = codes[keep].astype(np.int64), day[keep], amount[keep]
    n_codes = len(uniques)

    # ufunc.at and bincount are single passes over the lines: no groupby, no argsort.
    first = np.full(n_codes, np.iinfo(np.int64).max)
    np.minimum.at(first, codes, day)
    in_cal = day <= cal_day
    last = np.full(n_codes, np.iinfo(np.int64).min)
    np.maximum.at(last, codes[in_cal], day[in_cal])
    repeat = in_cal & (day != first[codes])
    repeat_spend = np.bincount(codes[repeat], weights=amount[repeat], minlength=n_codes)

    # Distinct purchase days per customer: sort a (customer, day) key and keep the first of
    # each run. Sorting the key alone is faster than argsort, and int32 when it fits faster
    # still.
    span = int(day.max() - first_day) + 1
    key = codes * span + (day - first_day)
    # Exports list the lines of an order together: dropping repeats of the previous key first
    # is one cheap pass that makes the sort several times smaller.
    key = key[np.r_[True, key[1:] != key[:-1]]]
    if n_codes * span < np.iinfo(np.int32).max:
        key = key.astype(np.int32)
    key = np.sort(key)
    key = key[np.r_[True, key[1:] != key[:-1]]].astype(np.int64)
    txn_code, txn_day = key // span, key % span + first_day
    n_cal = np.bincount(txn_code[txn_day <= cal_day], minlength=n_codes)

    included = first <= cal_day
    frequency = n_cal[included] - 1
    spend = repeat_spend[included]
    monetary = np.divide(spend, frequency, out=np.zeros_like(spend), where=frequency > 0)
    index = pd.Index(uniques[np.flatnonzero(included)], name=customer_col)
    summary = pd.DataFrame(
        {
            "frequency": frequency.astype(np.int64),
            "recency": (last[included] - first[included]) / time_unit_days,
            "T": (cal_day - first[included]) / time_unit_days,
            "monetary_value": monetary,
        },
        index=index,
    )
    if calibration_end is not None:
        n_hold = np.bincount(txn_code[txn_day > cal_day], minlength=n_codes)[included]
        hold = ~in_cal
        hold_spend = np.bincount(codes[hold], weights=amount[hold], minlength=n_codes)[included]
        summary["frequency_holdout"] = n_hold.astype(np.int64)
        summary["monetary_value_holdout"] = np.divide(
            hold_spend, n_hold, out=np.zeros_like(hold_spend), where=n_hold > 0
        )
        summary["duration_holdout"] = (end_day - cal_day) / time_unit_days
    try:
        summary = summary.sort_index()
    except TypeError:  # ids of mixed types cannot be sorted; keep order of appearance
        pass
    return summary
