"""The RFM table in DuckDB: one SQL query over a DataFrame or over CSV/Parquet files.

DuckDB is an embedded database (a library, no server): it runs SQL on pandas DataFrames and
directly on Parquet or CSV files, in parallel, and spills to disk when a query needs more
memory than it has, so a laptop can aggregate files larger than its memory. The query below
returns exactly what :func:`helpers.rfm.rfm_table` returns (same customers, columns, index
and values), following the same conventions: only lines before ``as_of`` count, recency in
calendar days from the last purchase (amount >= 0), frequency in distinct orders (or
purchase days), monetary net of returns.

>>> import pandas as pd
>>> tx = pd.DataFrame({"customer_id": [1, 1, 2],
...                    "invoice_date": pd.to_datetime(["2025-12-01", "2025-12-20", "2025-11-02"]),
...                    "revenue": [10.0, 5.0, 7.5]})
>>> rfm = rfm_duckdb(tx)
>>> rfm["recency"].tolist(), rfm["frequency"].tolist(), rfm["monetary"].tolist()
([1, 49], [2, 1], [15.0, 7.5])
>>> from helpers.rfm import rfm_table
>>> rfm.equals(rfm_table(tx))
True
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..constants import CUSTOMER_ID, INVOICE_DATE, REVENUE
from ..rfm import no_purchase_message
from ..validation import (
    require_columns,
    require_datetime,
    require_day,
    require_frame,
    require_numeric,
)

__all__ = ["rfm_duckdb", "rfm_query", "source_relation"]

_NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                  "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL",
                  "REAL")
_DATE_TYPES = ("DATE", "TIMESTAMP")


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def source_relation(source: str | os.PathLike[str]) -> str:
    """The DuckDB table function that reads a file, a glob or a folder of CSV or Parquet files.

    A folder is read recursively (``folder/**/*.parquet``, else ``folder/**/*.csv``); Hive-style
    partition folders such as ``month=2025-01/`` become columns.

    Examples
    --------
    >>> source_relation("orders/*.parquet")
    "read_parquet('orders/*.parquet', hive_partitioning = true, union_by_name = true)"
    >>> source_relation("exports/*.csv")
    "read_csv('exports/*.csv', header = true, union_by_name = true)"
    """
    if not isinstance(source, str | os.PathLike) or not str(source).strip():
        raise ValueError(f"source must be a DataFrame or a path, got {type(source).__name__}")
    text = str(source)
    path = Path(text)
    if path.is_dir():
        parquet = glob.glob(str(path / "**" / "*.parquet"), recursive=True)
        csv = glob.glob(str(path / "**" / "*.csv"), recursive=True)
        if not parquet and not csv:
            raise ValueError(f"source folder {text!r} holds no .parquet or .csv file")
        text = str(path / "**" / ("*.parquet" if parquet else "*.csv"))
    elif not any(ch in text for ch in "*?[") and not path.exists():
        raise ValueError(f"source {text!r} does not exist")
    suffix = text.lower()
    if suffix.endswith((".parquet", ".pq")):
        return f"read_parquet({_literal(text)}, hive_partitioning = true, union_by_name = true)"
    if suffix.endswith((".csv", ".csv.gz", ".tsv")):
        return f"read_csv({_literal(text)}, header = true, union_by_name = true)"
    raise ValueError(f"source {text!r} is neither .parquet nor .csv: say which by its name")


def rfm_query(
    relation: str,
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    order_col: str | None = None,
    as_of: str | pd.Timestamp,
) -> str:
    """The DuckDB SQL of the RFM table (the same rules as :func:`helpers.rfm.rfm_table`).

    Parameters
    ----------
    relation : str
        A table name or a table function such as ``read_parquet('orders/*.parquet')``.
    customer_col, date_col, amount_col, order_col : str
        Column names (defaults: the course's).
    as_of : date-like
        Analysis day; lines on or after it are ignored.

    Returns
    -------
    str
        One ``SELECT`` with columns ``customer_col``, ``recency``, ``frequency``,
        ``monetary``, ordered by customer.

    Examples
    --------
    >>> print(rfm_query("tx", as_of="2026-01-01").splitlines()[0])
    WITH lines AS (
    """
    stamp, _ = require_day(as_of, "as_of")
    day = f"DATE '{stamp:%Y-%m-%d}'"
    c, d, a = _quote(customer_col), _quote(date_col), _quote(amount_col)
    # without an order id, a purchase day is an order: cast the column itself, since a source
    # column that happens to be named "day" would win over the alias "day" of this SELECT
    order = f"CAST({d} AS DATE)" if order_col is None else _quote(order_col)
    return f"""WITH lines AS (
    SELECT {c} AS customer, CAST({d} AS DATE) AS day, CAST({a} AS DOUBLE) AS amount,
           {order} AS order_key
    FROM {relation}
    WHERE CAST({d} AS DATE) < {day}
)
SELECT customer AS {c},
       date_diff('day', MAX(CASE WHEN amount >= 0 THEN day END), {day}) AS recency,
       COUNT(DISTINCT CASE WHEN amount >= 0 THEN order_key END) AS frequency,
       SUM(amount) AS monetary
FROM lines
GROUP BY customer
ORDER BY customer"""


def _check_frame(frame: pd.DataFrame, columns: list[str], date_col: str, amount_col: str,
                 name: str) -> pd.DataFrame:
    df = require_frame(frame, name=name)
    require_columns(df, columns, name=name)
    dates = require_datetime(df, date_col, name=name)
    require_numeric(df, amount_col, name=name)
    for column in columns:
        n_missing = int(df[column].isna().sum())
        if n_missing:
            raise ValueError(f"column '{column}' of {name} has {n_missing} missing value(s)")
    if isinstance(dates.dtype, pd.DatetimeTZDtype):  # local calendar days, as rfm_table
        df = df.assign(**{date_col: dates.dt.tz_localize(None)})
    return df[columns]


def _check_files(con: object, relation: str, columns: list[str], date_col: str,
                 amount_col: str, name: str) -> None:
    described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()  # type: ignore
    types = {row[0]: str(row[1]).upper() for row in described}
    missing = [c for c in columns if c not in types]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; available columns: {list(types)}")
    if not types[date_col].startswith(_DATE_TYPES):
        raise ValueError(
            f"column '{date_col}' of {name} must hold datetimes (type {types[date_col]} "
            f"found); store dates as Parquet timestamps or ISO text ('2025-03-01 14:05:00')")
    if not types[amount_col].startswith(_NUMERIC_TYPES):
        raise ValueError(
            f"column '{amount_col}' of {name} must be numeric (type {types[amount_col]} found)")
    counts = ", ".join(f"COUNT({_quote(c)})" for c in columns)
    row = con.execute(f"SELECT COUNT(*), {counts} FROM {relation}").fetchone()  # type: ignore
    if not row[0]:
        raise ValueError(f"{name} is empty: no rows to work on")
    for column, present in zip(columns, row[1:], strict=True):
        if present < row[0]:
            raise ValueError(
                f"column '{column}' of {name} has {row[0] - present} missing value(s)")


def rfm_duckdb(
    source: pd.DataFrame | str | os.PathLike[str],
    *,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
    order_col: str | None = None,
    as_of: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Recency, frequency and monetary value per customer, computed by DuckDB.

    The same table as :func:`helpers.rfm.rfm_table` (``negative="net"``), from a DataFrame or
    straight from files that need not fit in memory: DuckDB reads only the columns the query
    uses and streams the rows.

    Parameters
    ----------
    source : DataFrame, str or Path
        Transaction lines: a DataFrame, a CSV or Parquet file, a glob (``"orders/*.parquet"``)
        or a folder of such files (read recursively).
    customer_col, date_col, amount_col : str, default "customer_id", "invoice_date", "revenue"
        Customer id, purchase timestamp and line amount.
    order_col : str, optional
        Order (invoice) id. Without it, each distinct purchase *day* counts as one order.
    as_of : date-like, optional
        Analysis day (midnight). Default: the day after the last transaction date.

    Notes
    -----
    Time zones: a DataFrame's time-zone-aware dates are cut into local (wall-clock) calendar
    days, as :func:`helpers.rfm.rfm_table` does; time-zone-aware timestamps in *files*
    (Parquet ``TIMESTAMP WITH TIME ZONE``) are taken in UTC, so a line at 00:30 in Tokyo falls
    on the previous day. Store local times without a zone (or convert them first) when the
    calendar day matters.

    Returns
    -------
    DataFrame
        Indexed by customer id (named ``customer_col``, sorted), columns ``recency`` and
        ``frequency`` (int64) and ``monetary`` (float64).

    Raises
    ------
    ValueError
        The errors of :func:`helpers.rfm.rfm_table`: a missing column, non-datetime dates,
        non-numeric or missing values, no rows, an ``as_of`` on or before the first day, or a
        customer whose returns exceed their purchases.

    Examples
    --------
    >>> tx = pd.DataFrame({"c": [7, 7], "d": pd.to_datetime(["2025-01-01", "2025-01-03"]),
    ...                    "a": [20.0, -5.0]})
    >>> rfm_duckdb(tx, customer_col="c", date_col="d", amount_col="a",
    ...            as_of="2025-01-10").loc[7].tolist()
    [9.0, 1.0, 15.0]
    """
    import duckdb

    name = "transactions"
    columns = [customer_col, date_col, amount_col] + ([] if order_col is None else [order_col])
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'UTC'")
        if isinstance(source, pd.DataFrame):
            frame = _check_frame(source, columns, date_col, amount_col, name)
            con.register("transactions_frame", frame)
            relation = "transactions_frame"
            id_dtype = frame[customer_col].dtype
        else:
            relation = source_relation(source)
            _check_files(con, relation, columns, date_col, amount_col, name)
            id_dtype = None
        first, last = con.execute(
            f"SELECT MIN(CAST({_quote(date_col)} AS DATE)), MAX(CAST({_quote(date_col)} AS DATE))"
            f" FROM {relation}").fetchone()
        if as_of is None:
            as_of = pd.Timestamp(last) + pd.Timedelta(days=1)
        stamp, _ = require_day(as_of, "as_of")
        if stamp <= pd.Timestamp(first):
            raise ValueError(
                f"as_of {stamp.date()} is not after the first purchase in column "
                f"'{date_col}' ({pd.Timestamp(first).date()}): no transactions before it")
        query = rfm_query(relation, customer_col=customer_col, date_col=date_col,
                          amount_col=amount_col, order_col=order_col, as_of=stamp)
        result = con.execute(query).df()
    finally:
        con.close()
    owing = result["monetary"].to_numpy(dtype=np.float64) < -1e-6  # before the int casts:
    if owing.any():  # a customer with returns only has no purchase day (recency is NULL)
        examples = result.loc[owing, customer_col][:10].tolist()
        raise ValueError(
            f"column '{amount_col}' of {name}: {int(owing.sum())} customer(s) have negative net "
            f"spend (returns exceed purchases), {customer_col} e.g. {examples}; drop them or "
            "the returns of purchases made before the data starts"
        )
    only_returns = result["recency"].isna().to_numpy()
    if only_returns.any():
        examples = result.loc[only_returns, customer_col][:10].tolist()
        raise ValueError(no_purchase_message(int(only_returns.sum()), examples, table=name,
                                             amount_col=amount_col, customer_col=customer_col))
    index = pd.Index(result[customer_col], name=customer_col)
    if id_dtype is not None and index.dtype != id_dtype:
        index = index.astype(id_dtype)
    table = pd.DataFrame(
        {
            "recency": result["recency"].to_numpy(dtype=np.int64),
            "frequency": result["frequency"].to_numpy(dtype=np.int64),
            "monetary": result["monetary"].to_numpy(dtype=np.float64),
        },
        index=index,
    )
    return table
