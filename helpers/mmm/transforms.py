"""The two media transforms of a marketing-mix model: carry-over and diminishing returns.

* :func:`geometric_adstock`: a GBP spent this week keeps working in the following weeks,
  fading by a constant factor ``decay`` a week (TV is remembered for weeks, a search ad not):
  ``adstock_t = spend_t + decay * adstock_{t-1}``, with ``adstock_{-1} = 0``. The adstock is
  not normalised, so it stays in GBP: a single pulse of 1 becomes 1, decay, decay^2, ...
* :func:`hill_saturation`: the response to the adstock flattens as the audience is used up,
  ``hill(x) = x^shape / (x^shape + half_saturation^shape)``: 0 at no spend, 1/2 at the half
  saturation point, 1 far beyond it. A shape above 1 gives an S-curve (a threshold to clear
  before spend works), a shape of 1 or less a curve that flattens from the first GBP.

A channel's weekly contribution to sales is then ``beta * hill(adstock(spend))``, with
``beta`` the most the channel could ever add in a week.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.signal import lfilter

__all__ = ["geometric_adstock", "hill_saturation"]


def _check_decay(decay: float) -> float:
    value = float(decay)
    if not 0 <= value < 1:
        raise ValueError(f"decay must be a number in [0, 1), got {decay!r}")
    return value


def geometric_adstock(spend: ArrayLike, decay: float) -> np.ndarray | pd.Series:
    """Carry-over of spend: ``adstock_t = spend_t + decay * adstock_{t-1}`` (in GBP).

    Parameters
    ----------
    spend : array-like or Series
        Spend per period in time order (1-D), or one column per channel (2-D, time first).
    decay : float
        The share of last period's adstock still working this period, in ``[0, 1)``.

    Returns
    -------
    numpy.ndarray or pandas.Series
        The adstock, same shape as ``spend`` (a Series keeps its index and name). The sum of
        the adstock of a single pulse over an infinite horizon is ``1 / (1 - decay)``.

    Examples
    --------
    >>> geometric_adstock([1.0, 0.0, 0.0, 0.0], decay=0.5).tolist()
    [1.0, 0.5, 0.25, 0.125]
    >>> geometric_adstock([100.0, 100.0, 0.0], decay=0.0).tolist()
    [100.0, 100.0, 0.0]
    """
    rate = _check_decay(decay)
    values = np.asarray(spend, dtype=float)
    if values.ndim not in (1, 2):
        raise ValueError(f"spend must be 1-D or 2-D (time first), got shape {values.shape}")
    if not np.isfinite(values).all():
        raise ValueError("spend has missing or infinite values")
    # A first-order recursive filter is exactly the geometric carry-over, computed in C.
    out = lfilter([1.0], [1.0, -rate], values, axis=0)
    if isinstance(spend, pd.Series):
        return pd.Series(out, index=spend.index, name=spend.name)
    return out


def hill_saturation(
    x: ArrayLike, *, half_saturation: float, shape: float
) -> np.ndarray | pd.Series:
    """Diminishing returns: ``x^shape / (x^shape + half_saturation^shape)``, between 0 and 1.

    Parameters
    ----------
    x : array-like or Series
        Non-negative (adstocked) spend.
    half_saturation : float
        The spend at which the response is half its maximum (GBP), positive.
    shape : float
        Steepness, positive: above 1 an S-curve, 1 or less concave from the start.

    Returns
    -------
    numpy.ndarray or pandas.Series
        Values in ``[0, 1)``, increasing in ``x``; a Series keeps its index and name.

    Examples
    --------
    >>> hill_saturation([0.0, 50.0, 100.0, 200.0], half_saturation=100.0, shape=1.0).round(3)
    array([0.   , 0.333, 0.5  , 0.667])
    >>> float(hill_saturation(10.0, half_saturation=10.0, shape=2.5))
    0.5
    """
    k, s = float(half_saturation), float(shape)
    if not (np.isfinite(k) and k > 0):
        raise ValueError(f"half_saturation must be a positive number, got {half_saturation!r}")
    if not (np.isfinite(s) and s > 0):
        raise ValueError(f"shape must be a positive number, got {shape!r}")
    values = np.asarray(x, dtype=float)
    if (values < 0).any():
        raise ValueError("x must be non-negative (spend or adstock)")
    # Written as 1 / (1 + (k / x)^s) to stay finite for large x; x = 0 gives 0 exactly.
    with np.errstate(divide="ignore"):
        out = np.where(values > 0, 1.0 / (1.0 + (k / np.where(values > 0, values, 1.0)) ** s),
                       0.0)
    if isinstance(x, pd.Series):
        return pd.Series(out, index=x.index, name=x.name)
    return out
