"""Train/test splits for recommender evaluation: by time, per user at random, leave-last-n.

Each returns ``(train, test)`` with the original index, so rows can be traced back. Column
names default to the course's ``customer_id`` and ``invoice_date`` (:mod:`helpers.constants`).
The metrics that score the test side live in :mod:`helpers.metrics`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .constants import CUSTOMER_ID, INVOICE_DATE
from .validation import (
    require_columns,
    require_datetime,
    require_frame,
    require_ids,
    require_int_at_least,
)

__all__ = ["leave_last_n_split", "random_ratio_split", "time_split"]


def time_split(
    df: pd.DataFrame, *, cutoff: str | pd.Timestamp, date_col: str = INVOICE_DATE
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split at one global date: rows before ``cutoff`` train, rows at or after it test.

    This mimics deployment (fit on the past, judge on the future) and is the honest choice
    for a retailer. Raises if either side would be empty.

    Parameters
    ----------
    df : pandas.DataFrame
        Interactions with a datetime column.
    cutoff : str or pandas.Timestamp
        First moment of the test period, e.g. ``"2024-10-01"``.
    date_col : str, default "invoice_date"
        Name of the datetime column (convert with ``pd.to_datetime`` first).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``train`` and ``test``, with the original index and row order.

    Examples
    --------
    >>> df = pd.DataFrame({"d": pd.to_datetime(["2024-01-05", "2024-03-01"])})
    >>> train, test = time_split(df, date_col="d", cutoff="2024-02-01")
    >>> len(train), len(test)
    (1, 1)
    """
    require_frame(df, name="df")
    require_columns(df, [date_col], name="df")
    dates = require_datetime(df, date_col, name="df")
    try:
        cut = pd.Timestamp(cutoff)
        before = (dates < cut).to_numpy()
    except (TypeError, ValueError) as err:
        raise ValueError(
            f"cutoff {cutoff!r} cannot be compared with column '{date_col}' of df "
            f"(dtype {dates.dtype}): {err}"
        ) from err
    if before.all() or not before.any():
        side = "test" if before.all() else "train"
        raise ValueError(
            f"cutoff {cut} leaves the {side} set empty: column '{date_col}' of df runs from "
            f"{dates.min()} to {dates.max()}"
        )
    return df[before], df[~before]


def random_ratio_split(
    df: pd.DataFrame,
    *,
    ratio: float,
    user_col: str = CUSTOMER_ID,
    random_state: int | np.random.Generator | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out a random share ``ratio`` of each user's rows as the test set.

    A user with ``n`` rows gets ``round(ratio * n)`` test rows (halves round up), capped at
    ``n - 1`` so every user keeps at least one training row; users with a single row stay
    wholly in train.

    Parameters
    ----------
    df : pandas.DataFrame
        Interactions.
    ratio : float
        Share of each user's rows that go to test, strictly between 0 and 1.
    user_col : str, default "customer_id"
        Name of the user id column.
    random_state : int, numpy.random.Generator or None
        Seed for reproducible splits (``np.random.default_rng(random_state)``).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``train`` and ``test``, with the original index and row order.

    Examples
    --------
    >>> df = pd.DataFrame({"u": [1, 1, 1, 1, 2]})
    >>> train, test = random_ratio_split(df, user_col="u", ratio=0.5, random_state=0)
    >>> len(train), len(test)
    (3, 2)
    """
    require_frame(df, name="df")
    require_columns(df, [user_col], name="df")
    require_ids(df[user_col], user_col, "df")
    if isinstance(ratio, bool) or not isinstance(ratio, int | float | np.floating):
        raise ValueError(f"ratio must be a number strictly between 0 and 1, got {ratio!r}")
    if not 0.0 < ratio < 1.0:
        raise ValueError(f"ratio must be strictly between 0 and 1, got {ratio!r}")
    rng = np.random.default_rng(random_state)

    codes = pd.factorize(df[user_col])[0]
    sizes = np.bincount(codes)
    n_test = np.minimum(np.floor(ratio * sizes + 0.5), sizes - 1).astype(np.int64)
    # A random key per row, ranked within the user, picks a uniform random subset per user.
    keys = rng.random(len(df))
    order = np.lexsort((keys, codes))
    position = np.empty(len(df), dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    position[order] = np.arange(len(df)) - np.repeat(starts, sizes)
    is_test = position < n_test[codes]
    return df[~is_test], df[is_test]


def leave_last_n_split(
    df: pd.DataFrame, *, user_col: str = CUSTOMER_ID, date_col: str = INVOICE_DATE, n: int = 1
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out each user's ``n`` most recent rows as the test set.

    Users with ``n`` rows or fewer stay wholly in train (there would be nothing to learn from).
    Rows with equal dates are ordered as they appear in ``df``: the later row counts as more
    recent.

    Parameters
    ----------
    df : pandas.DataFrame
        Interactions with a datetime column.
    user_col : str, default "customer_id"
        Name of the user id column.
    date_col : str, default "invoice_date"
        Name of the datetime column.
    n : int, default 1
        Rows held out per user, a positive integer.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``train`` and ``test``, with the original index and row order.

    Examples
    --------
    >>> df = pd.DataFrame({"u": [1, 1, 2],
    ...                    "d": pd.to_datetime(["2024-01-02", "2024-01-01", "2024-01-01"])})
    >>> train, test = leave_last_n_split(df, user_col="u", date_col="d")
    >>> test.index.tolist()
    [0]
    """
    require_frame(df, name="df")
    require_columns(df, [user_col, date_col], name="df")
    require_ids(df[user_col], user_col, "df")
    dates = require_datetime(df, date_col, name="df")
    n = require_int_at_least(n, "n")

    codes = pd.factorize(df[user_col])[0]
    sizes = np.bincount(codes)
    row = np.arange(len(df))
    # Sort by user, then newest first; the row number breaks date ties (later row = newer).
    if dates.dt.tz is not None:
        dates = dates.dt.tz_convert(None)
    order = np.lexsort((-row, -dates.to_numpy().view(np.int64), codes))
    position = np.empty(len(df), dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    position[order] = row - np.repeat(starts, sizes)
    is_test = (position < n) & (sizes[codes] > n)
    return df[~is_test], df[is_test]
