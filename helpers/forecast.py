"""Forecasting next-period spend: features from one period, the target from the next, and MAPE.

The set-up is a time split, so the model never sees the future it predicts:

    ---- history ----|-- window --| cutoff |---- horizon ----|
         features (everything before the cutoff)   target: spend in the horizon

Train with one cutoff, evaluate with a later one (its target period is then fully unseen).

Error measures (``y`` actual, ``yhat`` forecast, both >= 0):

* **MAPE**, mean absolute percentage error, ``mean(|y - yhat| / y)``, is undefined when
  ``y = 0``, and many customers spend nothing next period. :func:`mape` therefore averages
  over customers with ``y > 0`` only and says so; it measures "how far off are we for
  customers who do buy".
* **Weighted MAPE**, ``sum|y - yhat| / sum y`` (:func:`weighted_mape`), keeps every customer,
  zero spenders included, and weights each by the money at stake. Report both.

>>> round(mape([100.0, 50.0, 0.0], [90.0, 60.0, 5.0]), 4)  # (10/100 + 10/50) / 2, 0 skipped
0.15
>>> round(weighted_mape([100.0, 50.0, 0.0], [90.0, 60.0, 5.0]), 4)  # (10 + 10 + 5) / 150
0.1667
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .constants import CUSTOMER_ID, INVOICE_DATE, REVENUE
from .validation import require_day, require_transactions

__all__ = ["FEATURES", "spend_features", "mape", "weighted_mape"]

#: The feature columns :func:`spend_features` builds (the target is ``next_spend``).
FEATURES: tuple[str, ...] = (
    "recency_days",
    "tenure_days",
    "orders_total",
    "spend_total",
    "orders_recent",
    "spend_recent",
    "avg_order_value",
)


def spend_features(
    transactions: pd.DataFrame,
    *,
    cutoff: str | pd.Timestamp,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    window_days: int = 182,
    horizon_days: int = 182,
) -> pd.DataFrame:
    """Per-customer features before ``cutoff`` and spend in the ``horizon_days`` after it.

    Parameters
    ----------
    transactions : pandas.DataFrame
        One row per **order** (aggregate order lines per invoice first), with customer id, date
        and amount.
    cutoff : date-like
        Day (midnight) splitting features (strictly before) from target (on or after).
    customer_col, date_col, amount_col : str, default "customer_id", "invoice_date", "revenue"
        Column names (defaults: the course's, in :mod:`helpers.constants`). Time-zone-aware
        dates are taken in their local time.
    window_days : int, default 182
        Length of the "recent" window just before the cutoff.
    horizon_days : int, default 182
        Length of the target period from the cutoff.

    Returns
    -------
    pandas.DataFrame
        One row per customer with an order before the cutoff, indexed by customer id (sorted):
        ``recency_days`` (cutoff - last order, days), ``tenure_days`` (cutoff - first order),
        ``orders_total``, ``spend_total``, ``orders_recent`` and ``spend_recent`` (in the
        window), ``avg_order_value`` (spend_total / orders_total) and the target
        ``next_spend`` (0 for customers who do not buy in the horizon).

    Raises
    ------
    ValueError
        For missing columns, non-dates, non-numbers, or a cutoff with no order before it or no
        data after it.

    Examples
    --------
    >>> tx = pd.DataFrame({"id": [1, 1, 1, 2], "amount": [10.0, 30.0, 25.0, 8.0],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-06-20", "2025-07-10", "2025-07-02"])})
    >>> f = spend_features(tx, customer_col="id", date_col="date", amount_col="amount",
    ...                    cutoff="2025-07-01", window_days=30, horizon_days=30)
    >>> f.loc[1, ["recency_days", "orders_total", "spend_recent", "next_spend"]].tolist()
    [11.0, 2.0, 30.0, 25.0]
    """
    df, dates, amounts = require_transactions(
        transactions, customer_col=customer_col, date_col=date_col, amount_col=amount_col
    )
    for value, name in ((window_days, "window_days"), (horizon_days, "horizon_days")):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a whole number of days >= 1, got {value!r}")
    cut, _ = require_day(cutoff, "cutoff")
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)  # local wall-clock time, as the cutoff day
    before = (dates < cut).to_numpy()
    if not before.any():
        raise ValueError(
            f"no order in column '{date_col}' before the cutoff {cut.date()} "
            f"(data start {dates.min().date()})"
        )
    if not (~before).any():
        raise ValueError(
            f"no data in column '{date_col}' on or after the cutoff {cut.date()} "
            f"(data end {dates.max().date()}): the target period is not observed"
        )
    frame = pd.DataFrame(
        {"customer": df[customer_col].to_numpy(), "date": dates.to_numpy(),
         "amount": amounts.to_numpy()}
    )
    past = frame.loc[before]
    recent = past.loc[past["date"] >= cut - pd.Timedelta(days=int(window_days))]
    future = frame.loc[~before & (frame["date"] < cut + pd.Timedelta(days=int(horizon_days)))]
    grouped = past.groupby("customer")
    out = pd.DataFrame(
        {
            "recency_days": (cut - grouped["date"].max()).dt.total_seconds() / 86_400,
            "tenure_days": (cut - grouped["date"].min()).dt.total_seconds() / 86_400,
            "orders_total": grouped.size().astype(float),
            "spend_total": grouped["amount"].sum(),
        }
    )
    recent_groups = recent.groupby("customer")["amount"]
    out["orders_recent"] = recent_groups.size().reindex(out.index, fill_value=0).astype(float)
    out["spend_recent"] = recent_groups.sum().reindex(out.index, fill_value=0.0)
    out["avg_order_value"] = out["spend_total"] / out["orders_total"]
    out["next_spend"] = (
        future.groupby("customer")["amount"].sum().reindex(out.index, fill_value=0.0)
    )
    out.index.name = customer_col
    return out.sort_index()


def _pair(actual: ArrayLike, predicted: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(actual, dtype=float).ravel()
    yhat = np.asarray(predicted, dtype=float).ravel()
    if y.size == 0:
        raise ValueError("actual is empty: nothing to score")
    if y.shape != yhat.shape:
        raise ValueError(
            f"actual and predicted must have the same length, got {y.size} and {yhat.size}"
        )
    for arr, name in ((y, "actual"), (yhat, "predicted")):
        if not np.isfinite(arr).all():
            raise ValueError(f"{name} has missing or infinite value(s)")
    if (y < 0).any():
        raise ValueError(f"actual has {int((y < 0).sum())} negative value(s); spend is >= 0")
    return y, yhat


def mape(actual: ArrayLike, predicted: ArrayLike) -> float:
    """Mean absolute percentage error over the cases with a **positive** actual value.

    MAPE = mean over {i : y_i > 0} of |y_i - yhat_i| / y_i (a share: 0.25 means 25 %).
    Cases with y = 0 have no percentage error and are left out; use :func:`weighted_mape`
    to score them too.

    Raises
    ------
    ValueError
        If the inputs differ in length, hold NaN or negative actuals, or no actual is positive.

    Examples
    --------
    >>> mape([100.0, 200.0], [110.0, 150.0])  # (10% + 25%) / 2
    0.175
    """
    y, yhat = _pair(actual, predicted)
    positive = y > 0
    if not positive.any():
        raise ValueError("actual has no positive value: MAPE is undefined when every actual is 0")
    return float(np.mean(np.abs(y[positive] - yhat[positive]) / y[positive]))


def weighted_mape(actual: ArrayLike, predicted: ArrayLike) -> float:
    """Weighted MAPE: total absolute error / total actual, sum|y - yhat| / sum y.

    Every case counts, zero actuals included; big spenders weigh more. Also called WAPE.

    Examples
    --------
    >>> weighted_mape([100.0, 0.0], [80.0, 10.0])  # (20 + 10) / 100
    0.3
    """
    y, yhat = _pair(actual, predicted)
    if y.sum() <= 0:
        raise ValueError("actual sums to 0: weighted MAPE is undefined")
    return float(np.abs(y - yhat).sum() / y.sum())


def forecast_errors(
    actual: pd.Series, forecasts: pd.DataFrame, *, reference: pd.Series | None = None
) -> pd.DataFrame:
    """Per-customer and total errors of several forecasts of the same quantity.

    Parameters
    ----------
    actual : Series
        What happened, per customer.
    forecasts : DataFrame
        One column per forecast, indexed like ``actual``.
    reference : Series, optional
        The best possible forecast (e.g. the simulator's true expectations); adds the column
        "mean absolute gap to the answer key".

    Returns
    -------
    DataFrame
        One row per forecast: mean absolute error, root mean squared error and the total
        relative to the actual total (0.1 = 10% too high).

    Examples
    --------
    >>> actual = pd.Series([0.0, 2.0, 4.0])
    >>> forecast_errors(actual, pd.DataFrame({"flat": [2.0, 2.0, 2.0]})).round(3)
          mean absolute error  root mean squared error  total vs actual
    flat                1.333                    1.633              0.0
    """
    if not forecasts.index.equals(actual.index):
        raise ValueError("column 'actual' and the forecasts must have the same index")
    rows = {}
    for name in forecasts.columns:
        error = forecasts[name] - actual
        rows[name] = {
            "mean absolute error": error.abs().mean(),
            "root mean squared error": float(np.sqrt((error**2).mean())),
            "total vs actual": forecasts[name].sum() / actual.sum() - 1,
        }
        if reference is not None:
            rows[name]["mean absolute gap to the answer key"] = (
                forecasts[name] - reference).abs().mean()
    return pd.DataFrame(rows).T
