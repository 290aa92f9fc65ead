"""Input checks shared by the public helpers.

Every check raises ``ValueError`` with a message that names the column and the problem, so
that an analyst running a notebook on their own data knows what to fix.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


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
