"""Markov-chain attribution: each channel's removal effect, by exact absorbing-chain algebra.

The journeys of a path table become a first-order Markov chain with the states ``start``, one
per channel, and two absorbing states ``conversion`` and ``null``. A path ``a > b`` with
``n_conv`` conversions and ``n_null`` non-converting journeys adds ``n_conv + n_null`` to the
transitions start -> a and a -> b, ``n_conv`` to b -> conversion and ``n_null`` to b -> null;
each state's counts divided by their total give its transition probabilities.

With ``Q`` the transition probabilities among the transient states (start and the channels)
and ``r`` each transient state's probability of stepping to conversion, the probability of
ending in conversion from each state solves :math:`(I - Q)\\,x = r`, and
:math:`P(\\text{conversion}) = x_{\\text{start}}`. Removing channel ``c`` sends every transition
into ``c`` to null (drop its row and column and solve again), and

.. math:: RE_c = 1 - P(\\text{conversion} \\mid c \\text{ removed}) / P(\\text{conversion}),
          \\qquad \\text{credit}_c = \\text{total conversions} \\times RE_c / \\sum_k RE_k.

No simulation: the answer is exact and the same on every run. Repeated touches (``a > a``)
add self-transitions, which change no probability of absorption (a step that stays put only
delays the next one), so they change no removal effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..constants import PATH, TOTAL_CONVERSIONS, TOTAL_NULL
from .journeys import _credit_frame, _read_path_table

__all__ = ["markov_attribution"]


def _conversion_probability(q: np.ndarray, r: np.ndarray) -> float:
    """P(absorbed in conversion | start in state 0): the first entry of (I - Q)^-1 r."""
    return float(np.linalg.solve(np.eye(len(r)) - q, r)[0])


def markov_attribution(
    paths: pd.DataFrame,
    *,
    path_col: str = PATH,
    conversions_col: str = TOTAL_CONVERSIONS,
    nulls_col: str = TOTAL_NULL,
    separator: str = ">",
) -> pd.DataFrame:
    """Credit conversions to channels by their removal effect in a first-order Markov chain.

    Parameters
    ----------
    paths : pandas.DataFrame
        The path table: one row per path (``"a > b > c"``) with its conversions and its
        non-converting journeys. Repeated paths are added up; spaces around channel names
        are ignored.
    path_col, conversions_col, nulls_col : str
        Column names (``constants.PATH``, ``TOTAL_CONVERSIONS``, ``TOTAL_NULL`` by default).
    separator : str, default ">"
        Between channels in a path.

    Returns
    -------
    pandas.DataFrame
        Index ``channel`` (sorted): ``removal_effect`` (0 to 1), ``conversions`` credited
        (they sum to the table's conversions) and ``share``.
        ``result.attrs["conversion_probability"]`` holds the chain's P(conversion).

    Examples
    --------
    >>> paths = pd.DataFrame({"path": ["a > b", "a", "b"], "total_conversions": [3, 1, 1],
    ...                       "total_null": [1, 1, 3]})
    >>> result = markov_attribution(paths)
    >>> result["removal_effect"].round(4).to_dict()  # 1 - (1/5) / (1/2), 1 - (1/10) / (1/2)
    {'a': 0.6, 'b': 0.8}
    >>> result["conversions"].round(4).to_dict()  # 5 x 0.6 / 1.4, 5 x 0.8 / 1.4
    {'a': 2.1429, 'b': 2.8571}
    >>> round(result.attrs["conversion_probability"], 4)
    0.5
    """
    table = _read_path_table(paths, path_col=path_col, conversions_col=conversions_col,
                             nulls_col=nulls_col, separator=separator)
    n_states = len(table.channels) + 1  # transient states: 0 = start, 1 + code = a channel
    journeys = table.conversions + table.nulls
    state = table.codes + 1
    starts = table.starts
    last = starts + table.lengths - 1
    row = table.row
    # Every step of every path at once: start -> first touch, then touch -> next touch within
    # a path (not across the boundary to the next path), each weighted by the path's journeys.
    within = np.flatnonzero(row[:-1] == row[1:])
    sources = np.concatenate([np.zeros(len(starts), dtype=np.int64), state[within]])
    targets = np.concatenate([state[starts], state[within + 1]])
    weights = np.concatenate([journeys, journeys[row[within]]])
    counts = np.bincount(sources * n_states + targets, weights=weights,
                         minlength=n_states * n_states).reshape(n_states, n_states)
    to_conversion = np.bincount(state[last], weights=table.conversions, minlength=n_states)
    to_null = np.bincount(state[last], weights=table.nulls, minlength=n_states)
    out = counts.sum(axis=1) + to_conversion + to_null
    # A channel seen only on paths without journeys has no outgoing count: it is unreachable,
    # so giving it no transitions (an all-zero row) changes nothing.
    scale = np.divide(1.0, out, out=np.zeros(n_states), where=out > 0)
    q, r = counts * scale[:, None], to_conversion * scale

    p_conversion = _conversion_probability(q, r)
    removal = np.empty(len(table.channels))
    for code in range(len(table.channels)):
        keep = np.arange(n_states) != code + 1
        removal[code] = 1.0 - _conversion_probability(q[np.ix_(keep, keep)], r[keep]) / p_conversion
    removal = np.clip(removal, 0.0, 1.0)  # exact values lie in [0, 1]; trim rounding noise
    credit = table.conversions.sum() * removal / removal.sum()
    result = _credit_frame(table.channels, credit, removal_effect=removal)
    result.attrs["conversion_probability"] = p_conversion
    return result
