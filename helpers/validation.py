"""Input checks shared by the public helpers.

Every check raises ``ValueError`` with a message that names the column and the problem, so
that an analyst running a notebook on their own data knows what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .constants import MIN_BOOTSTRAP_RESAMPLES


def require_frame(df: object, *, name: str = "data") -> pd.DataFrame:
    """Check that ``df`` is a non-empty DataFrame and return it."""
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    if df.empty:
        raise ValueError(f"{name} is empty: no rows to work on")
    return df


def require_columns(df: pd.DataFrame, columns: Iterable[str], *, name: str = "data") -> None:
    """Raise if any of ``columns`` is missing from ``df``, listing what is there."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {missing}; available columns: {list(df.columns)}"
        )


def require_numeric(df: pd.DataFrame, column: str, *, name: str = "data") -> pd.Series:
    """Return ``df[column]`` as floats, raising if some values are not numbers.

    Missing values are allowed (they stay NaN); text such as ``"12,50"`` or ``"abc"`` is not.
    """
    values = df[column]
    converted = pd.to_numeric(values, errors="coerce")
    bad = converted.isna() & values.notna()
    if bad.any():
        examples = values[bad].astype(str).unique()[:3].tolist()
        raise ValueError(
            f"column '{column}' of {name} must be numeric; {int(bad.sum())} value(s) are not, "
            f"e.g. {examples}"
        )
    return converted.astype(float)


def require_datetime(df: pd.DataFrame, column: str, *, name: str = "data") -> pd.Series:
    """Return ``df[column]``, raising unless it already holds datetimes without gaps."""
    values = df[column]
    if not pd.api.types.is_datetime64_any_dtype(values):
        raise ValueError(
            f"column '{column}' of {name} must hold datetimes (dtype {values.dtype} found); "
            f"convert it first, e.g. with pd.to_datetime(df['{column}'])"
        )
    if values.isna().any():
        missing = int(values.isna().sum())
        raise ValueError(f"column '{column}' of {name} has {missing} missing dates")
    return values


def require_matrix(
    X: object, *, name: str = "X", n_features: int | None = None, hint: str = ""
) -> np.ndarray:
    """Return ``X`` as a finite 2-D float array, naming the offending columns on failure.

    Parameters
    ----------
    X : DataFrame or array-like
        Samples x features. A DataFrame's columns are checked one by one, so text in a
        column is reported with the column's name.
    name : str
        How to call ``X`` in messages.
    n_features : int, optional
        Required number of columns.
    hint : str
        Advice appended to the message about missing or infinite values.
    """
    if isinstance(X, pd.DataFrame):
        require_frame(X, name=name)
        columns = [str(c) for c in X.columns]
        values = np.column_stack([require_numeric(X, c, name=name).to_numpy() for c in X.columns])
    else:
        try:
            values = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be numeric: {exc}") from exc
        if values.ndim != 2:
            raise ValueError(f"{name} must be 2-D (samples x features), got shape {values.shape}")
        columns = [f"column {j}" for j in range(values.shape[1])]
    if values.shape[0] == 0 or values.shape[1] == 0:
        raise ValueError(f"{name} is empty: shape {values.shape}")
    if n_features is not None and values.shape[1] != n_features:
        raise ValueError(f"{name} has {values.shape[1]} columns, expected {n_features}")
    finite = np.isfinite(values)
    if not finite.all():
        bad = [f"'{columns[j]}'" for j in np.flatnonzero(~finite.all(axis=0))]
        raise ValueError(
            f"{name} has {int((~finite).sum())} NaN or infinite value(s) in {', '.join(bad)}"
            + (f"; {hint}" if hint else "")
        )
    return values


def require_transactions(
    df: object, *, customer_col: str, date_col: str, amount_col: str, name: str = "transactions"
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Check a transaction table and return it with its dates and amounts.

    The customer, date and amount columns must exist; dates must be datetimes without gaps;
    amounts numbers without gaps; every row needs a customer id.
    """
    frame = require_frame(df, name=name)
    require_columns(frame, [customer_col, date_col, amount_col], name=name)
    dates = require_datetime(frame, date_col, name=name)
    amounts = require_numeric(frame, amount_col, name=name)
    if amounts.isna().any():
        raise ValueError(f"column '{amount_col}' of {name} has missing amounts")
    if frame[customer_col].isna().any():
        raise ValueError(f"column '{customer_col}' of {name} has missing customer ids")
    return frame, dates, amounts


# Inferred dtypes that count as "numbers" when comparing id kinds: ints and floats may share a
# column (1 and 1.0 are the same customer), ints and strings may not.
_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "decimal", "boolean"}


def id_kind(values: pd.Series) -> str:
    """Return ``"number"``, ``"string"``, ``"empty"`` or pandas' inferred type of the ids."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        values = pd.Series(values.cat.categories)
    inferred = pd.api.types.infer_dtype(values, skipna=True)
    if inferred in _NUMERIC_KINDS:
        return "number"
    return inferred


def require_ids(values: pd.Series, column: object, name: str) -> str:
    """Raise unless ``values`` are usable ids (no missing values, one kind); return the kind."""
    n_missing = int(values.isna().sum())
    if n_missing:
        raise ValueError(
            f"column '{column}' of {name} has {n_missing} missing id(s); drop or fill them first"
        )
    kind = id_kind(values)
    if kind.startswith("mixed"):
        types = sorted({type(v).__name__ for v in values.head(10_000)})
        raise ValueError(
            f"column '{column}' of {name} mixes id types ({', '.join(types)}); "
            f"convert it to one type, e.g. df['{column}'].astype(str)"
        )
    return kind


def require_same_id_kind(
    kind_a: str, kind_b: str, column: object, name_a: str, name_b: str
) -> None:
    """Raise if two id columns that must match hold different kinds (e.g. ints vs strings)."""
    if "empty" in (kind_a, kind_b) or kind_a == kind_b:
        return
    raise ValueError(
        f"column '{column}' holds {kind_a} ids in {name_a} but {kind_b} ids in {name_b}; "
        "they would never match, convert one of them"
    )


def require_positive_k(k: object) -> int:
    """Return ``k`` as an int, raising unless it is a positive integer."""
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k <= 0:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return int(k)


def require_finite_number(value: object, name: str) -> float:
    """Return a setting such as ``time_unit_days`` as a finite float, or raise."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = np.nan
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def require_positive_number(value: float, name: str) -> None:
    """Raise unless a setting such as ``time_unit_days`` is a positive finite number."""
    if require_finite_number(value, name) <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")


def require_confidence_level(value: object) -> float:
    """Return ``confidence_level`` as a float strictly between 0 and 1, or raise.

    Examples
    --------
    >>> require_confidence_level(0.9)
    0.9
    >>> require_confidence_level(95)
    Traceback (most recent call last):
    ...
    ValueError: confidence_level must be a number strictly between 0 and 1, got 95
    """
    try:
        level = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        level = np.nan
    if isinstance(value, bool) or not 0 < level < 1:
        raise ValueError(
            f"confidence_level must be a number strictly between 0 and 1, got {value!r}"
        )
    return level


def require_n_resamples(value: object) -> int:
    """Return ``n_resamples`` as an int of at least ``MIN_BOOTSTRAP_RESAMPLES``, or raise.

    Examples
    --------
    >>> require_n_resamples(2_000)
    2000
    >>> require_n_resamples(10)
    Traceback (most recent call last):
    ...
    ValueError: n_resamples must be an integer of at least 100, got 10
    """
    if (isinstance(value, bool) or not isinstance(value, int | np.integer)
            or value < MIN_BOOTSTRAP_RESAMPLES):
        raise ValueError(
            f"n_resamples must be an integer of at least {MIN_BOOTSTRAP_RESAMPLES}, got {value!r}"
        )
    return int(value)


def require_int_at_least(value: object, name: str, minimum: int = 1) -> int:
    """Return a setting such as ``n_neighbors`` as an int, raising unless it is >= ``minimum``.

    Booleans and floats are rejected even when whole (``True`` or ``3.0`` is a slip, not a
    count).

    Examples
    --------
    >>> require_int_at_least(50, "n_neighbors")
    50
    >>> require_int_at_least(0, "n_iterations", minimum=0)
    0
    >>> require_int_at_least(2.0, "n_bins", minimum=2)
    Traceback (most recent call last):
    ...
    ValueError: n_bins must be an integer >= 2, got 2.0
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def require_number_at_least(value: object, name: str, minimum: float = 0.0) -> float:
    """Return a setting such as ``regularization`` as a float, raising unless finite and
    >= ``minimum``.

    Text (even ``"0.1"``) and booleans are rejected: a setting is a number.

    Examples
    --------
    >>> require_number_at_least(0.1, "regularization")
    0.1
    >>> require_number_at_least(-1, "alpha")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be a finite number >= 0.0, got -1
    """
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a number >= {minimum}, got {value!r}")
    if not np.isfinite(value) or value < minimum:
        raise ValueError(f"{name} must be a finite number >= {minimum}, got {value!r}")
    return float(value)


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Calendar day of each timestamp, as int64 days since 1970-01-01 (the time is dropped).

    Customers buy on local calendar days, so time-zone-aware values keep their wall-clock date
    (a purchase at 23:30 in Paris belongs to that day, not to the next day in UTC).

    Parameters
    ----------
    dates : pandas.Series
        Datetimes without gaps (check them with :func:`require_datetime` first).

    Returns
    -------
    numpy.ndarray
        One int64 day number per value; differences are whole days.

    Examples
    --------
    >>> day_numbers(pd.Series(pd.to_datetime(["1970-01-02 23:59", "2024-03-01 00:00"]))).tolist()
    [1, 19783]
    >>> paris = pd.Series(pd.to_datetime(["2024-03-01 23:30"])).dt.tz_localize("Europe/Paris")
    >>> day_numbers(paris).tolist()  # 22:30 UTC, but 1 March in Paris
    [19783]
    """
    if isinstance(dates.dtype, pd.DatetimeTZDtype):
        dates = dates.dt.tz_localize(None)
    return dates.to_numpy().astype("datetime64[D]").astype(np.int64)


def require_day(value: object, name: str) -> tuple[pd.Timestamp, int]:
    """Return a date-like setting (``as_of``, a period end) as a calendar day, or raise.

    The time of day is dropped and a time-zone-aware value keeps its wall-clock date, as in
    :func:`day_numbers`, so the day can be compared with a column's day numbers.

    Parameters
    ----------
    value : date-like
        A string such as ``"2026-01-01"``, a ``Timestamp``, ``datetime`` or ``datetime64``.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    (pandas.Timestamp, int)
        The day at midnight (naive) and its number of days since 1970-01-01.

    Examples
    --------
    >>> require_day("2026-01-01 18:00", "as_of")
    (Timestamp('2026-01-01 00:00:00'), 20454)
    >>> require_day("someday", "cutoff")
    Traceback (most recent call last):
    ...
    ValueError: cutoff must be a date such as '2026-01-01', got 'someday'
    """
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a date such as '2026-01-01', got {value!r}") from exc
    if pd.isna(stamp):
        raise ValueError(f"{name} must be a date such as '2026-01-01', got {value!r}")
    if stamp.tz is not None:
        stamp = stamp.tz_localize(None)
    stamp = stamp.normalize()
    return stamp, int(stamp.to_datetime64().astype("datetime64[D]").astype(np.int64))


def require_paired_arrays(
    first: object, second: object, names: tuple[str, str], *, first_dtype: object = None,
    value_dtype: object = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two 1-D arrays of the same length without missing values (say a label and a number per
    customer), or a ``ValueError`` naming both.

    Examples
    --------
    >>> labels, values = require_paired_arrays([0, 1], [2.5, 3.0], ("labels", "values"))
    >>> values.tolist()
    [2.5, 3.0]
    >>> require_paired_arrays([0, 1], [2.5], ("labels", "values"))
    Traceback (most recent call last):
    ...
    ValueError: labels and values must be 1-D and of the same length, got shapes (2,) and (1,)
    """
    a, b = np.asarray(first, dtype=first_dtype), np.asarray(second, dtype=value_dtype)
    if a.ndim != 1 or b.shape != a.shape:
        raise ValueError(
            f"{names[0]} and {names[1]} must be 1-D and of the same length, got shapes "
            f"{a.shape} and {b.shape}"
        )
    if pd.isna(a).any() or pd.isna(b).any():
        raise ValueError(f"{names[0]} and {names[1]} must not hold missing values")
    return a, b
