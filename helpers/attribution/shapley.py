"""Shapley-value attribution: each channel's average marginal contribution over coalitions.

The value of a coalition ``S`` of channels is the conversions of the paths whose channels all
belong to ``S``: :math:`v(S) = \\sum_{p:\\ \\text{set}(p) \\subseteq S} \\text{conv}_p`. The
Shapley value of channel ``i`` averages what ``i`` adds to every coalition without it,

.. math:: \\phi_i = \\sum_{S \\not\\ni i} \\frac{|S|!\\,(n - |S| - 1)!}{n!}
          \\bigl(v(S \\cup \\{i\\}) - v(S)\\bigr),

and the values add up to :math:`v(\\text{all channels})`, the total conversions. The sum runs
over all :math:`2^{n-1}` coalitions per channel, computed exactly; beyond
:data:`MAX_SHAPLEY_CHANNELS` channels the table of :math:`2^n` coalitions grows too large, so
group rare channels first.

With this value function each path is a "unanimity game" (it counts only once all of its
channels are present), whose Shapley value splits its conversions equally among its distinct
channels: order and repeats play no part, which is what separates it from the Markov chain.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..constants import PATH, TOTAL_CONVERSIONS
from .journeys import _credit_frame, _read_path_table

__all__ = ["MAX_SHAPLEY_CHANNELS", "shapley_attribution"]

#: The most channels :func:`shapley_attribution` enumerates (2^15 = 32,768 coalitions).
MAX_SHAPLEY_CHANNELS = 15


def shapley_attribution(
    paths: pd.DataFrame,
    *,
    path_col: str = PATH,
    conversions_col: str = TOTAL_CONVERSIONS,
    separator: str = ">",
) -> pd.DataFrame:
    """Credit conversions to channels by their exact Shapley values over all coalitions.

    Parameters
    ----------
    paths : pandas.DataFrame
        The path table: one row per path (``"a > b > c"``) with its conversions. Repeated
        paths are added up; spaces around channel names are ignored.
    path_col, conversions_col : str
        Column names (``constants.PATH``, ``constants.TOTAL_CONVERSIONS`` by default).
    separator : str, default ">"
        Between channels in a path.

    Returns
    -------
    pandas.DataFrame
        Index ``channel`` (sorted): ``conversions`` credited (they sum to the table's
        conversions) and ``share``.

    Raises
    ------
    ValueError
        If the paths hold more than :data:`MAX_SHAPLEY_CHANNELS` distinct channels.

    Examples
    --------
    >>> paths = pd.DataFrame({"path": ["a", "a > b", "b > a > a"],
    ...                       "total_conversions": [2, 4, 6]})
    >>> shapley_attribution(paths)["conversions"].to_dict()  # a: 2 + 4/2 + 6/2
    {'a': 7.0, 'b': 5.0}
    """
    table = _read_path_table(paths, path_col=path_col, conversions_col=conversions_col,
                             nulls_col=None, separator=separator)
    n = len(table.channels)
    if n > MAX_SHAPLEY_CHANNELS:
        raise ValueError(
            f"column '{path_col}' of the path table holds {n} channels; exact Shapley values "
            f"enumerate 2^{n} coalitions and take at most {MAX_SHAPLEY_CHANNELS} channels: "
            "group rare channels (e.g. into 'other') first")
    # Each path's set of channels as a bit mask, and the conversions of each exact set.
    masks = np.bitwise_or.reduceat(np.left_shift(1, table.codes), table.starts)
    value = np.bincount(masks, weights=table.conversions, minlength=2**n)
    size = np.zeros(2**n, dtype=np.int64)
    # Subset sums, one channel at a time: afterwards value[S] = v(S), size[S] = |S|. Viewing
    # the 2^n masks as (high bits, bit i, low bits), bit i is the middle axis.
    for i in range(n):
        value.reshape(-1, 2, 2**i)[:, 1, :] += value.reshape(-1, 2, 2**i)[:, 0, :]
        size.reshape(-1, 2, 2**i)[:, 1, :] += 1
    weight = np.array([math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n)
                       for s in range(n)])
    credit = np.empty(n)
    for i in range(n):
        with_i, without_i = value.reshape(-1, 2, 2**i)[:, 1, :], value.reshape(-1, 2, 2**i)[:, 0, :]
        credit[i] = np.sum(weight[size.reshape(-1, 2, 2**i)[:, 0, :]] * (with_i - without_i))
    return _credit_frame(table.channels, credit)
