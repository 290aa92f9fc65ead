"""The RFM table in Spark: the same rules as :func:`helpers.rfm.rfm_table`, on a cluster.

A Spark DataFrame is a *plan* over data split into partitions, possibly on many machines;
nothing runs until an action (``count``, ``write``, ``toPandas``) asks for a result. So
:func:`rfm_spark` returns a Spark DataFrame (a lazy plan), after one pass that checks the
input (rows, missing values, first and last day), just as the pandas helper checks its input.

Calendar days are taken in the session time zone (``spark.sql.session.timeZone``; the
course's :func:`~helpers.scale.session.spark_session` sets UTC, in which naive timestamps
keep their wall-clock date).

>>> from helpers.scale import spark_session           # doctest: +SKIP
>>> spark = spark_session()                           # doctest: +SKIP
>>> orders = spark.read.parquet("data/scale/orders")  # doctest: +SKIP
>>> rfm_spark(orders).show(3)                         # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..constants import CUSTOMER_ID, INVOICE_DATE, REVENUE
from ..validation import require_day

if TYPE_CHECKING:  # pragma: no cover - only for type hints
    from pyspark.sql import DataFrame

__all__ = ["rfm_spark"]

_NUMERIC = ("byte", "short", "int", "bigint", "long", "float", "double", "decimal")


def _check_spark_frame(frame: DataFrame, columns: list[str], date_col: str, amount_col: str,
                       name: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Validate like the pandas helpers; return the first and last day of the data."""
    from pyspark.sql import DataFrame as SparkDataFrame
    from pyspark.sql import functions as sf

    if not isinstance(frame, SparkDataFrame):
        raise ValueError(f"{name} must be a Spark DataFrame, got {type(frame).__name__}")
    types = dict(frame.dtypes)
    missing = [c for c in columns if c not in types]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; available columns: {list(types)}")
    if not (types[date_col].startswith("timestamp") or types[date_col] == "date"):
        raise ValueError(
            f"column '{date_col}' of {name} must hold datetimes (type {types[date_col]} "
            f"found); convert it first, e.g. with sf.to_timestamp('{date_col}')")
    if not types[amount_col].startswith(_NUMERIC):
        raise ValueError(
            f"column '{amount_col}' of {name} must be numeric (type {types[amount_col]} found)")
    day = sf.to_date(sf.col(date_col))
    row = frame.agg(
        sf.count(sf.lit(1)).alias("rows"),
        *[sf.count(sf.col(c)).alias(f"present_{i}") for i, c in enumerate(columns)],
        sf.min(day).alias("first"), sf.max(day).alias("last"),
    ).first()
    if not row["rows"]:
        raise ValueError(f"{name} is empty: no rows to work on")
    for i, column in enumerate(columns):
        if row[f"present_{i}"] < row["rows"]:
            raise ValueError(f"column '{column}' of {name} has "
                             f"{row['rows'] - row[f'present_{i}']} missing value(s)")
    return pd.Timestamp(row["first"]), pd.Timestamp(row["last"])


def rfm_spark(
    frame: DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    order_col: str | None = None,
    as_of: str | pd.Timestamp | None = None,
) -> DataFrame:
    """Recency, frequency and monetary value per customer, as a Spark DataFrame.

    The rules of :func:`helpers.rfm.rfm_table` (``negative="net"``): lines before ``as_of``
    only; recency in calendar days from the last purchase (amount >= 0) to ``as_of``;
    frequency counts distinct orders (or purchase days) with amount >= 0; monetary is net
    spend. The data are checked in one pass; the RFM itself stays a lazy plan.

    Parameters
    ----------
    frame : pyspark.sql.DataFrame
        One row per transaction line.
    customer_col, date_col, amount_col : str, default "customer_id", "invoice_date", "revenue"
        Customer id, purchase timestamp (timestamp or date type) and line amount.
    order_col : str, optional
        Order (invoice) id. Without it, each distinct purchase day counts as one order.
    as_of : date-like, optional
        Analysis day. Default: the day after the last transaction date.

    Notes
    -----
    Time zones: calendar days are cut in the session time zone
    (``spark.sql.session.timeZone``). :func:`~helpers.scale.session.spark_session` and
    ``tools/spark_pipeline.py`` set UTC, so naive timestamps keep their wall-clock date, but
    time-zone-aware timestamps in files are taken in UTC (a line at 00:30 in Tokyo falls on
    the previous day), whereas :func:`helpers.rfm.rfm_table` uses local wall-clock days.
    Store local times without a zone when the calendar day matters.

    Returns
    -------
    pyspark.sql.DataFrame
        Columns ``customer_col``, ``recency`` and ``frequency`` (bigint), ``monetary``
        (double), one row per customer, sorted by customer. Unlike ``rfm_table`` a customer
        whose returns exceed their purchases is not raised (that would take a second pass):
        filter ``monetary < 0`` if your data can hold such customers.

    Raises
    ------
    ValueError
        On a missing column, a date column that is not a timestamp or date, a non-numeric
        amount, missing values, no rows, or an ``as_of`` on or before the first day.

    Examples
    --------
    >>> rfm = rfm_spark(spark.createDataFrame(tx_pandas))  # doctest: +SKIP
    """
    from pyspark.sql import functions as sf

    name = "transactions"
    columns = [customer_col, date_col, amount_col] + ([] if order_col is None else [order_col])
    first, last = _check_spark_frame(frame, columns, date_col, amount_col, name)
    if as_of is None:
        as_of = last + pd.Timedelta(days=1)
    stamp, _ = require_day(as_of, "as_of")
    if stamp <= first:
        raise ValueError(
            f"as_of {stamp.date()} is not after the first purchase in column "
            f"'{date_col}' ({first.date()}): no transactions before it")
    as_of_day = sf.to_date(sf.lit(f"{stamp:%Y-%m-%d}"))
    day = sf.to_date(sf.col(date_col))
    lines = frame.where(day < as_of_day).select(
        sf.col(customer_col).alias("customer"), day.alias("day"),
        sf.col(amount_col).cast("double").alias("amount"),
        (day if order_col is None else sf.col(order_col)).alias("order_key"),
    )
    bought = sf.col("amount") >= 0
    return (
        lines.groupBy("customer")
        .agg(
            sf.datediff(as_of_day, sf.max(sf.when(bought, sf.col("day")))).cast("bigint")
            .alias("recency"),
            sf.countDistinct(sf.when(bought, sf.col("order_key"))).cast("bigint")
            .alias("frequency"),
            sf.sum("amount").alias("monetary"),
        )
        .withColumnRenamed("customer", customer_col)
        .orderBy(customer_col)
    )
