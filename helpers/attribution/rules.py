"""Rule-based attribution: last touch, first touch, linear and time decay on a path table.

Each converting path hands out its conversions to its touches by a fixed rule:

* ``last``: all to the last touch;
* ``last_non_direct``: all to the last touch that is not a ``direct`` visit (a path of direct
  visits only keeps ``direct``). This was Universal Analytics' default; GA4 defaults to a
  data-driven model, and its last-click model also skips direct visits;
* ``first``: all to the first touch (what "introduced" the customer);
* ``linear``: equal parts to every touch (a channel touched twice gets two parts);
* ``time_decay``: the touch ``k`` steps before the last gets weight
  :math:`2^{-k / h}` (``h`` = ``half_life``), weights normalised to sum to 1 per path.

A path table holds no timestamps, so time decay counts **touches**, not days: with the default
``half_life=1`` each step back halves the weight (a 3-touch path splits 1/7, 2/7, 4/7). Tools
with timestamps (GA's former time-decay model) used a 7-day half-life; journeys of a few
touches over a month put consecutive touches about a week apart, so one touch is the closest
equivalent. Larger values move the rule towards linear, smaller ones towards last touch.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..constants import PATH, TOTAL_CONVERSIONS
from ..validation import require_positive_number
from .journeys import _credit_frame, _read_path_table

__all__ = ["DIRECT", "RULES", "rule_attribution"]

#: The rules :func:`rule_attribution` knows.
RULES: tuple[str, ...] = ("last", "last_non_direct", "first", "linear", "time_decay")

#: The channel that ``last_non_direct`` skips (what ``channel_from_source_medium`` calls a
#: ``(direct) / (none)`` session).
DIRECT: str = "direct"


def rule_attribution(
    paths: pd.DataFrame,
    *,
    rule: str = "last",
    path_col: str = PATH,
    conversions_col: str = TOTAL_CONVERSIONS,
    separator: str = ">",
    half_life: float = 1.0,
) -> pd.DataFrame:
    """Credit each path's conversions to its touches by a fixed rule.

    Parameters
    ----------
    paths : pandas.DataFrame
        The path table: one row per path (``"a > b > c"``) with its conversions. Repeated
        paths are added up; spaces around channel names are ignored.
    rule : {"last", "last_non_direct", "first", "linear", "time_decay"}
        How a path's conversions are split (see the module's docstring).
    path_col, conversions_col : str
        Column names (``constants.PATH``, ``constants.TOTAL_CONVERSIONS`` by default).
    separator : str, default ">"
        Between channels in a path.
    half_life : float, default 1
        ``time_decay`` only: touches back from the last at which a touch's weight halves.

    Returns
    -------
    pandas.DataFrame
        Index ``channel`` (every channel of the table, sorted); ``conversions`` credited (they
        sum to the table's conversions) and ``share`` of them.

    Examples
    --------
    >>> paths = pd.DataFrame({"path": ["search > email", "social > search > email"],
    ...                       "total_conversions": [2, 7]})
    >>> rule_attribution(paths, rule="first")["conversions"].to_dict()
    {'email': 0.0, 'search': 2.0, 'social': 7.0}
    >>> direct = pd.DataFrame({"path": ["search > direct", "direct"], "total_conversions": [3, 1]})
    >>> rule_attribution(direct, rule="last_non_direct")["conversions"].to_dict()
    {'direct': 1.0, 'search': 3.0}
    >>> rule_attribution(paths, rule="time_decay")["conversions"].round(2).to_dict()
    {'email': 5.33, 'search': 2.67, 'social': 1.0}
    """
    if rule not in RULES:
        raise ValueError(f"rule must be one of {list(RULES)}, got {rule!r}")
    require_positive_number(half_life, "half_life")
    table = _read_path_table(paths, path_col=path_col, conversions_col=conversions_col,
                             nulls_col=None, separator=separator)
    lengths, starts = table.lengths, table.starts
    row = table.row
    position = np.arange(len(table.codes)) - starts[row]  # 0 = first touch of its path
    from_last = lengths[row] - 1 - position  # 0 = last touch
    if rule == "last":
        weight = (from_last == 0).astype(float)
    elif rule == "last_non_direct":
        weight = _last_non_direct_weight(table.codes, table.channels, starts, lengths)
    elif rule == "first":
        weight = (position == 0).astype(float)
    elif rule == "linear":
        weight = 1.0 / lengths[row]
    else:
        decay = np.exp2(-from_last / float(half_life))
        weight = decay / np.bincount(row, weights=decay)[row]
    credit = np.bincount(table.codes, weights=weight * table.conversions[row],
                         minlength=len(table.channels))
    return _credit_frame(table.channels, credit)


def _last_non_direct_weight(codes: np.ndarray, channels: list[str], starts: np.ndarray,
                            lengths: np.ndarray) -> np.ndarray:
    """1.0 on each path's last touch that is not direct (its last touch if all are), else 0."""
    position = np.arange(len(codes))
    is_direct = (codes == channels.index(DIRECT)) if DIRECT in channels else np.zeros(
        len(codes), dtype=bool)
    # reduceat takes each path's maximum over its own touches; -1 marks "no other touch".
    latest = np.maximum.reduceat(np.where(is_direct, -1, position), starts)
    chosen = np.where(latest >= 0, latest, starts + lengths - 1)
    weight = np.zeros(len(codes))
    weight[chosen] = 1.0
    return weight
