"""Rule-based attribution: last touch, first touch, linear and time decay on a path table.

Each converting path hands out its conversions to its touches by a fixed rule:

* ``last``: all to the last touch (the default of most analytics tools for years);
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

__all__ = ["RULES", "rule_attribution"]

#: The rules :func:`rule_attribution` knows.
RULES: tuple[str, ...] = ("last", "first", "linear", "time_decay")


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
    rule : {"last", "first", "linear", "time_decay"}
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
