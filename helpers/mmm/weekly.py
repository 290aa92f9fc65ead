"""The weekly table a marketing-mix model needs: one row per week, one spend column per channel.

Media teams export spend long (one row per week and channel); :func:`weekly_spend_table` pivots
it wide and checks it. :func:`validate_weekly` is the check itself, used by the model on any
wide table: the dates are one week apart without gaps or duplicates, spend is numeric, never
negative and not zero throughout (a channel that never spent has no effect to estimate), and
the target (sales) is numeric without gaps.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..constants import CHANNEL, SALES, SPEND, WEEK_START
from ..validation import require_columns, require_datetime, require_frame, require_numeric

__all__ = ["validate_weekly", "weekly_spend_table"]


def _check_weeks(dates: pd.Series, date_col: str, name: str) -> None:
    """Raise unless the dates are distinct, on one weekday, at midnight and 7 days apart."""
    if dates.duplicated().any():
        dup = dates[dates.duplicated()].iloc[0]
        raise ValueError(
            f"column '{date_col}' of {name} has duplicated weeks, e.g. {dup.date()}; "
            "aggregate to one row per week first"
        )
    ordered = dates.sort_values()
    if (ordered.dt.normalize() != ordered).any():
        raise ValueError(
            f"column '{date_col}' of {name} must hold week starts at midnight, found times of day"
        )
    if ordered.dt.day_of_week.nunique() > 1:
        days = sorted(ordered.dt.day_name().unique())
        raise ValueError(
            f"column '{date_col}' of {name} mixes weekdays {days}: week starts must all fall on "
            "one weekday (Monday in the course's data)"
        )
    steps = ordered.diff().dropna().dt.days
    if (steps != 7).any():
        first = ordered.iloc[int(np.flatnonzero(steps.to_numpy() != 7)[0])]
        raise ValueError(
            f"column '{date_col}' of {name} has a gap or an irregular step after {first.date()}: "
            "weeks must follow each other 7 days apart (fill a week without spend with 0)"
        )


def validate_weekly(
    weekly: pd.DataFrame,
    *,
    spend_cols: Sequence[str],
    target_col: str | None = SALES,
    date_col: str = WEEK_START,
    name: str = "weekly",
) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray | None]:
    """Check a wide weekly table and return its dates, spend matrix and target, in week order.

    Parameters
    ----------
    weekly : DataFrame
        One row per week: the week start, one spend column per channel and (when
        ``target_col`` is given) the target.
    spend_cols : sequence of str
        The spend columns (GBP per week), one per channel.
    target_col : str or None, default ``constants.SALES``
        The outcome column; ``None`` when only spend is needed (for a response or a plan).
    date_col : str, default ``constants.WEEK_START``
        The week start (datetimes).
    name : str
        How to call the table in messages.

    Returns
    -------
    (pandas.DatetimeIndex, numpy.ndarray, numpy.ndarray or None)
        Sorted week starts, spend (weeks x channels) and the target (or None).

    Examples
    --------
    >>> weeks = pd.date_range("2024-01-01", periods=3, freq="7D")
    >>> table = pd.DataFrame({"week_start": weeks, "tv": [0.0, 5.0, 1.0],
    ...                       "sales": [10.0, 12.0, 11.0]})
    >>> dates, X, y = validate_weekly(table, spend_cols=["tv"])
    >>> X.ravel().tolist(), y.tolist()
    ([0.0, 5.0, 1.0], [10.0, 12.0, 11.0])
    >>> validate_weekly(table.assign(tv=[0.0, -5.0, 1.0]), spend_cols=["tv"])
    Traceback (most recent call last):
    ...
    ValueError: column 'tv' of weekly has 1 negative spend value(s); spend cannot be negative
    """
    frame = require_frame(weekly, name=name)
    spend_cols = list(spend_cols)
    if not spend_cols:
        raise ValueError("spend_cols is empty: name at least one spend column")
    if len(set(spend_cols)) != len(spend_cols):
        raise ValueError(f"spend_cols has duplicates: {spend_cols}")
    needed = [date_col, *spend_cols] + ([target_col] if target_col is not None else [])
    require_columns(frame, needed, name=name)
    dates = require_datetime(frame, date_col, name=name)
    _check_weeks(dates, date_col, name)
    order = np.argsort(dates.to_numpy(), kind="stable")
    columns = []
    for col in spend_cols:
        values = require_numeric(frame, col, name=name).to_numpy()
        if np.isnan(values).any() or np.isinf(values).any():
            raise ValueError(
                f"column '{col}' of {name} has missing or infinite spend; a week without spend "
                "is 0"
            )
        if (values < 0).any():
            raise ValueError(
                f"column '{col}' of {name} has {int((values < 0).sum())} negative spend "
                "value(s); spend cannot be negative"
            )
        if not (values > 0).any():
            raise ValueError(
                f"column '{col}' of {name} has zero spend throughout: its effect cannot be "
                "estimated, drop the channel"
            )
        columns.append(values[order])
    X = np.column_stack(columns)
    y = None
    if target_col is not None:
        target = require_numeric(frame, target_col, name=name).to_numpy()
        if not np.isfinite(target).all():
            raise ValueError(f"column '{target_col}' of {name} has missing or infinite values")
        y = target[order]
    return pd.DatetimeIndex(dates.to_numpy()[order], name=date_col), X, y


def weekly_spend_table(
    spend_long: pd.DataFrame,
    *,
    date_col: str = WEEK_START,
    channel_col: str = CHANNEL,
    spend_col: str = SPEND,
) -> pd.DataFrame:
    """Pivot a long spend export (week, channel, spend) into one row per week, checked.

    Parameters
    ----------
    spend_long : DataFrame
        One row per week and channel (other columns, such as impressions, are ignored).
    date_col, channel_col, spend_col : str
        The week start (datetimes), the channel and the spend (GBP) columns.

    Returns
    -------
    DataFrame
        ``date_col`` then one spend column per channel (in order of first appearance), one row
        per week in time order, with a fresh ``RangeIndex``. Merge the weekly sales onto it by
        ``date_col`` to fit :class:`helpers.mmm.MarketingMixModel`.

    Raises
    ------
    ValueError
        Naming the column: missing columns, non-datetime or missing dates, a week listed twice
        for a channel, a week missing for a channel or between weeks (a gap), week starts on
        different weekdays or not 7 days apart, negative or missing spend, a channel with zero
        spend throughout.

    Examples
    --------
    >>> long = pd.DataFrame({
    ...     "week_start": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-08"]),
    ...     "channel": ["tv", "email", "tv", "email"],
    ...     "spend": [0.0, 100.0, 500.0, 120.0]})
    >>> weekly_spend_table(long)
      week_start     tv  email
    0 2024-01-01    0.0  100.0
    1 2024-01-08  500.0  120.0
    >>> weekly_spend_table(long.assign(spend=[0.0, 100.0, 0.0, 120.0]))
    Traceback (most recent call last):
    ...
    ValueError: column 'tv' of the weekly spend table has zero spend throughout: its effect \
cannot be estimated, drop the channel
    """
    name = "the spend table"
    frame = require_frame(spend_long, name=name)
    require_columns(frame, [date_col, channel_col, spend_col], name=name)
    dates = require_datetime(frame, date_col, name=name)
    if frame[channel_col].isna().any():
        raise ValueError(f"column '{channel_col}' of {name} has missing channel names")
    spend = require_numeric(frame, spend_col, name=name)
    if spend.isna().any():
        raise ValueError(
            f"column '{spend_col}' of {name} has {int(spend.isna().sum())} missing value(s); "
            "a week without spend is 0"
        )
    if (spend < 0).any():
        bad = frame.loc[spend < 0, channel_col].astype(str).unique().tolist()
        raise ValueError(
            f"column '{spend_col}' of {name} has {int((spend < 0).sum())} negative value(s) "
            f"(channels {bad}); spend cannot be negative"
        )
    keys = pd.DataFrame({date_col: dates, channel_col: frame[channel_col]})
    if keys.duplicated().any():
        first = keys[keys.duplicated()].iloc[0]
        raise ValueError(
            f"column '{date_col}' of {name} lists week {first[date_col].date()} twice for "
            f"channel '{first[channel_col]}'; aggregate to one row per week and channel first"
        )
    channels = pd.unique(frame[channel_col])
    wide = (pd.DataFrame({date_col: dates, channel_col: frame[channel_col], "_v": spend})
            .pivot(index=date_col, columns=channel_col, values="_v")
            .reindex(columns=channels).sort_index())
    missing = wide.isna()
    if missing.to_numpy().any():
        col = wide.columns[int(np.flatnonzero(missing.any().to_numpy())[0])]
        week = wide.index[missing[col].to_numpy()][0]
        raise ValueError(
            f"column '{date_col}' of {name} has no row for channel '{col}' in week "
            f"{week.date()}; give every channel a row every week (0 when nothing was spent)"
        )
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index()
    wide.columns.name = None
    validate_weekly(wide, spend_cols=list(wide.columns[1:]), target_col=None,
                    date_col=date_col, name="the weekly spend table")
    return wide
