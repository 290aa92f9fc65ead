"""Journeys: sessions -> channels -> the path table that every attribution method reads.

The field's tools (Google's former Multi-Channel Funnels, R's ChannelAttribution, most
tutorials) attribute from a **path table**: one row per distinct path such as
``"paid_search > email > direct"``, with how many journeys along it ended in a conversion
(``total_conversions``) and how many did not (``total_null``). This module builds that table
from a GA4-style sessions export and reads it back for the methods in
:mod:`helpers.attribution.rules`, :mod:`~helpers.attribution.markov` and
:mod:`~helpers.attribution.shapley`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..constants import (
    CHANNEL,
    CONVERTED,
    MEDIUM,
    PATH,
    SESSION_START,
    SOURCE,
    TOTAL_CONVERSIONS,
    TOTAL_NULL,
    USER_ID,
)
from ..validation import require_columns, require_datetime, require_frame, require_numeric

__all__ = ["OTHER_CHANNEL", "SOURCE_MEDIUM_CHANNELS", "channel_from_source_medium",
           "journey_paths"]

#: The course's channel of each GA4 ``(source, medium)`` pair (lower case).
SOURCE_MEDIUM_CHANNELS: dict[tuple[str, str], str] = {
    ("google", "cpc"): "paid_search",
    ("bing", "cpc"): "paid_search",
    ("facebook", "paid_social"): "social",
    ("instagram", "paid_social"): "social",
    ("gdn", "display"): "display",
    ("criteo", "display"): "display",
    ("newsletter", "email"): "email",
    # A vanity URL or QR code printed on TV spots and posters: the only visible trace of tv.
    ("tv", "offline"): "tv",
    ("google", "organic"): "organic_search",
    ("(direct)", "(none)"): "direct",
    # A store purchase matched to the online user by loyalty card: the journey crosses over.
    ("(offline)", "store"): "store",
}
#: The channel of every pair the mapping does not know: kept and counted, never dropped.
OTHER_CHANNEL = "other"


def channel_from_source_medium(
    sessions: pd.DataFrame,
    *,
    source_col: str = SOURCE,
    medium_col: str = MEDIUM,
    mapping: Mapping[tuple[str, str], str] | None = None,
) -> pd.Series:
    """The course channel of each session, from its GA4 ``source`` / ``medium`` pair.

    Parameters
    ----------
    sessions : pandas.DataFrame
        One row per session.
    source_col, medium_col : str
        Column names (``constants.SOURCE``, ``constants.MEDIUM`` by default).
    mapping : dict, optional
        ``(source, medium) -> channel``, lower case; defaults to
        :data:`SOURCE_MEDIUM_CHANNELS`. Values are compared after stripping spaces and
        lower-casing, as GA4 exports mix cases ("Google" / "google").

    Returns
    -------
    pandas.Series
        Named ``channel``, aligned with ``sessions``. Pairs the mapping does not know (and
        missing values) become ``"other"``: dropping them would silently shorten journeys.
        ``result.attrs["unknown_pairs"]`` counts them, ``{(source, medium): sessions}`` with
        the values as they appear (``None`` where missing), so that you can see which pairs
        to add to the mapping.

    Examples
    --------
    >>> s = pd.DataFrame({"source": ["google", "Google ", "(direct)", "tiktok"],
    ...                   "medium": ["cpc", "organic", "(none)", "paid_social"]})
    >>> channels = channel_from_source_medium(s)
    >>> channels.tolist()
    ['paid_search', 'organic_search', 'direct', 'other']
    >>> channels.attrs["unknown_pairs"]
    {('tiktok', 'paid_social'): 1}
    """
    frame = require_frame(sessions, name="sessions")
    require_columns(frame, [source_col, medium_col], name="sessions")
    table = SOURCE_MEDIUM_CHANNELS if mapping is None else mapping
    lookup = {(str(s).strip().lower(), str(m).strip().lower()): c for (s, m), c in table.items()}
    # Work on the few distinct values and pairs, not on the millions of rows. Codes are
    # shifted by one so that a missing value (code -1) becomes 0.
    source_codes, sources = pd.factorize(frame[source_col])
    medium_codes, mediums = pd.factorize(frame[medium_col])
    width = len(mediums) + 1
    pairs, inverse = np.unique((source_codes.astype(np.int64) + 1) * width + medium_codes + 1,
                               return_inverse=True)
    inverse = inverse.ravel()
    raw = [(sources[p // width - 1] if p // width else None,
            mediums[p % width - 1] if p % width else None) for p in pairs.tolist()]
    names = np.array([OTHER_CHANNEL if src is None or med is None else
                      lookup.get((str(src).strip().lower(), str(med).strip().lower()),
                                 OTHER_CHANNEL) for src, med in raw], dtype=object)
    result = pd.Series(names[inverse], index=frame.index, name=CHANNEL, dtype="str")
    counts = np.bincount(inverse, minlength=len(pairs)).tolist()
    result.attrs["unknown_pairs"] = {
        pair: n for pair, name, n in zip(raw, names, counts, strict=True) if name == OTHER_CHANNEL}
    return result


def journey_paths(
    sessions: pd.DataFrame,
    *,
    user_col: str = USER_ID,
    time_col: str = SESSION_START,
    channel_col: str = CHANNEL,
    converted_col: str = CONVERTED,
    separator: str = " > ",
) -> pd.DataFrame:
    """The path table of a sessions table: one row per distinct path, with its outcomes.

    A user's path is the channels of their sessions in time order, up to and including their
    first converting session (later sessions belong to another journey). A user who never
    converts contributes one journey to ``total_null``. Sessions that start at the same time
    are ordered non-converting first (a touch at the moment of the purchase still counts),
    then by channel name, so the table does not depend on the order of the rows.

    Parameters
    ----------
    sessions : pandas.DataFrame
        One row per session with a user id, a start time (datetimes), a channel (for example
        from :func:`channel_from_source_medium`) and a conversion flag (0/1).
    user_col, time_col, channel_col, converted_col : str
        Column names (the course's by default).
    separator : str, default " > "
        Written between channels; channel names must not contain it.

    Returns
    -------
    pandas.DataFrame
        Columns ``path``, ``total_conversions``, ``total_null`` (int64), sorted by path.

    Examples
    --------
    >>> s = pd.DataFrame({
    ...     "user_id": [1, 1, 1, 2, 2, 3],
    ...     "session_start": pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-05",
    ...                                      "2024-01-01", "2024-01-02", "2024-01-01"]),
    ...     "channel": ["email", "social", "direct", "social", "email", "email"],
    ...     "converted": [1, 0, 0, 0, 1, 0]})
    >>> journey_paths(s)  # user 1's direct visit after the purchase is not in the journey
                 path  total_conversions  total_null
    0           email                  0           1
    1  social > email                  2           0
    """
    frame = require_frame(sessions, name="sessions")
    require_columns(frame, [user_col, time_col, channel_col, converted_col], name="sessions")
    require_datetime(frame, time_col, name="sessions")
    if frame[user_col].isna().any():
        raise ValueError(f"column '{user_col}' of sessions has {int(frame[user_col].isna().sum())}"
                         " missing user id(s)")
    converted = require_numeric(frame, converted_col, name="sessions")
    if converted.isna().any() or not converted.isin([0.0, 1.0]).all():
        bad = frame.loc[converted.isna() | ~converted.isin([0.0, 1.0]), converted_col]
        raise ValueError(
            f"column '{converted_col}' of sessions must be a conversion flag (0 or 1); "
            f"{len(bad)} value(s) are not, e.g. {bad.astype(str).unique()[:3].tolist()}")
    channel = frame[channel_col]
    if channel.isna().any():
        raise ValueError(f"column '{channel_col}' of sessions has {int(channel.isna().sum())} "
                         "missing channel(s); map them to a channel such as 'other' first")
    channel = channel.astype("str").str.strip()
    token = separator.strip() or separator
    clash = channel.eq("") | channel.str.contains(token, regex=False)
    if clash.any():
        raise ValueError(
            f"column '{channel_col}' of sessions has {int(clash.sum())} empty channel name(s) "
            f"or name(s) containing the separator {separator!r}, e.g. "
            f"{channel[clash].unique()[:3].tolist()}")

    times = frame[time_col]
    if isinstance(times.dtype, pd.DatetimeTZDtype):
        times = times.dt.tz_convert(None)  # compare instants, whatever the time zone
    users, _ = pd.factorize(frame[user_col])
    codes, names = pd.factorize(channel, sort=True)  # code order = name order, for ties
    flags = converted.to_numpy().astype(np.int64)
    # Sort by user, time, flag (0 first), channel name (flag and name in one key); np.lexsort
    # takes the last key first.
    order = np.lexsort((flags * len(names) + codes, times.to_numpy().view(np.int64), users))
    users, codes, flags = users[order], codes[order], flags[order]
    first = np.flatnonzero(np.r_[True, users[1:] != users[:-1]])
    group = np.repeat(np.arange(len(first)), np.diff(np.r_[first, len(users)]))
    # Keep a session while no earlier session of its user converted: conversions strictly
    # before it (an exclusive running sum) minus those before the user's first session.
    before = np.cumsum(flags) - flags
    keep = before - before[first][group] == 0
    codes, flags, group = codes[keep], flags[keep], group[keep]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    lengths = np.diff(np.r_[starts, len(group)])
    outcome = flags[starts + lengths - 1]  # 1 if the journey ends in a conversion
    return _path_counts(codes, starts, lengths, outcome, np.asarray(names, dtype=str), separator)


def _path_counts(codes: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                 outcome: np.ndarray, names: np.ndarray, separator: str) -> pd.DataFrame:
    """Count journeys by distinct path without one Python step per journey.

    Journeys of the same length form a matrix (journeys x touches) whose distinct rows are
    the distinct paths of that length; only those few rows are turned into strings.
    """
    pieces = []
    for length in np.unique(lengths):
        chosen = lengths == length
        matrix = codes[starts[chosen][:, None] + np.arange(length)]
        if len(names) ** int(length) < 2**62:
            # A path of this length is a number in base len(names): unique on one int64 key
            # is several times faster than unique on rows.
            key = matrix @ (len(names) ** np.arange(length, dtype=np.int64))
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            distinct = matrix[first]
        else:
            distinct, inverse = np.unique(matrix, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        conversions = np.bincount(inverse, weights=outcome[chosen], minlength=len(distinct))
        journeys = np.bincount(inverse, minlength=len(distinct))
        pieces.append(pd.DataFrame({
            PATH: [separator.join(row) for row in names[distinct].tolist()],
            TOTAL_CONVERSIONS: conversions.astype(np.int64),
            TOTAL_NULL: journeys - conversions.astype(np.int64)}))
    table = pd.concat(pieces, ignore_index=True)
    return table.sort_values(PATH, ignore_index=True)


# --- reading a path table back (shared by the attribution methods) -----------------------------
@dataclass(frozen=True)
class _PathTable:
    """A validated path table exploded into one entry per touch (numpy arrays, row order)."""

    channels: list[str]  # distinct channel names, sorted; a touch's code indexes this list
    codes: np.ndarray  # channel code of each touch, path by path, in path order
    lengths: np.ndarray  # touches of each path (all >= 1)
    conversions: np.ndarray  # conversions of each path (whole numbers >= 0, as floats)
    nulls: np.ndarray | None  # non-converting journeys of each path, when asked for

    @property
    def starts(self) -> np.ndarray:
        """Position in ``codes`` of each path's first touch."""
        return np.concatenate([[0], np.cumsum(self.lengths)[:-1]])

    @property
    def row(self) -> np.ndarray:
        """Path number of each touch."""
        return np.repeat(np.arange(len(self.lengths)), self.lengths)


def _require_counts(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A count column as floats, raising unless every value is a whole number >= 0."""
    values = require_numeric(frame, column, name="the path table").to_numpy()
    problems = {
        "missing": np.isnan(values),
        "negative": values < 0,
        "not whole numbers": np.isfinite(values) & (values != np.round(values)),
        "infinite": np.isinf(values),
    }
    for problem, bad in problems.items():
        if bad.any():
            raise ValueError(
                f"column '{column}' of the path table must hold counts (whole numbers >= 0); "
                f"{int(bad.sum())} value(s) are {problem}, e.g. {values[bad][:3].tolist()}")
    return values


def _read_path_table(
    paths: pd.DataFrame, *, path_col: str, conversions_col: str, nulls_col: str | None,
    separator: str,
) -> _PathTable:
    """Check a path table and explode it, raising ``ValueError`` naming the bad column."""
    frame = require_frame(paths, name="the path table")
    columns = [path_col, conversions_col] + ([nulls_col] if nulls_col is not None else [])
    require_columns(frame, columns, name="the path table")
    token = separator.strip()
    if not token:
        raise ValueError(f"separator must hold a character other than spaces, got {separator!r}")
    raw = frame[path_col]
    if raw.isna().any():
        raise ValueError(f"column '{path_col}' of the path table has {int(raw.isna().sum())} "
                         "missing path(s)")
    conversions = _require_counts(frame, conversions_col)
    nulls = _require_counts(frame, nulls_col) if nulls_col is not None else None
    if conversions.sum() == 0:
        raise ValueError(f"column '{conversions_col}' of the path table sums to 0: there is no "
                         "conversion to attribute")
    # Split with Arrow's string kernels: no Python object per touch (a path table from a
    # million journeys holds about a million touches).
    text = pa.array(raw.astype("str"))
    if isinstance(text, pa.ChunkedArray):  # a column built by pd.concat comes in pieces
        text = text.combine_chunks()
    steps = pc.split_pattern(text, token)
    lengths = pc.list_value_length(steps).to_numpy().astype(np.int64)
    touches = pc.utf8_trim_whitespace(pc.list_flatten(steps))
    empty = pc.equal(touches, "").to_numpy(zero_copy_only=False)
    if empty.any():
        bad = raw.iloc[np.unique(np.repeat(np.arange(len(raw)), lengths)[empty])]
        raise ValueError(
            f"column '{path_col}' of the path table has {len(bad)} empty path(s) or path(s) "
            f"with an empty step, e.g. {bad.astype(str).tolist()[:3]}")
    encoded = touches.dictionary_encode()
    names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    order = np.argsort(names.astype(str), kind="stable")  # codes follow the sorted names
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    codes = rank[encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
    return _PathTable(channels=[str(c) for c in names[order]], codes=codes, lengths=lengths,
                      conversions=conversions, nulls=nulls)


def _credit_frame(channels: list[str], credit: np.ndarray, **columns: np.ndarray) -> pd.DataFrame:
    """The result layout of every method: index channel (sorted), credited conversions, share,
    then any extra columns."""
    table = pd.DataFrame({**columns, "conversions": credit,
                          "share": credit / credit.sum()},
                         index=pd.Index(channels, name=CHANNEL, dtype="str"))
    return table[[*columns, "conversions", "share"]]
