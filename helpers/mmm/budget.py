"""The same total budget, reallocated between channels by a fitted marketing-mix model.

Each channel's weekly spend is scaled by a multiplier ``m_c`` (its weekly pattern kept), the
total stays the same (``sum_c m_c S_c = sum_c S_c``) and no channel moves by more than
``max_shift`` (``1 - max_shift <= m_c <= 1 + max_shift``): a planner rarely halves or doubles a
channel at once, and the model knows nothing about spend far from what it has seen. SciPy's
SLSQP maximises the modelled total contribution under those constraints from several starts
(the curves may be S-shaped, so the problem can have several local optima); the plan never
does worse than today's allocation on the model's own response.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from ..constants import CHANNEL
from .model import MarketingMixModel, _adstock_columns, _hill_columns, _on_air

__all__ = ["optimise_budget"]


def _require_max_shift(max_shift: object) -> float:
    if isinstance(max_shift, bool) or not isinstance(max_shift, int | float | np.number):
        raise ValueError(f"max_shift must be a number in [0, 1), got {max_shift!r}")
    value = float(max_shift)
    if not 0 <= value < 1:
        raise ValueError(f"max_shift must be a number in [0, 1), got {max_shift!r}")
    return value


def _starts(spend: np.ndarray, max_shift: float) -> list[np.ndarray]:
    """Today's allocation, then for each channel: as far up, and as far down, as allowed, the
    others moved together to keep the total."""
    n = len(spend)
    starts = [np.ones(n)]
    if n < 2 or max_shift == 0:
        return starts
    for j in range(n):
        for sign in (1.0, -1.0):
            m = np.ones(n)
            m[j] = 1 + sign * max_shift
            others = np.arange(n) != j
            # the others absorb the difference in proportion to their spend, within bounds
            factor = 1 + (spend[j] - m[j] * spend[j]) / spend[others].sum()
            m[others] = np.clip(factor, 1 - max_shift, 1 + max_shift)
            starts.append(m)
    return starts


def optimise_budget(
    model: MarketingMixModel, weekly: pd.DataFrame, *, max_shift: float = 0.5
) -> pd.DataFrame:
    """Reallocate the total spend between channels to maximise the model's contribution.

    Parameters
    ----------
    model : MarketingMixModel
        A fitted model.
    weekly : DataFrame
        The weekly spend to reallocate (the model's spend columns and date column).
    max_shift : float, default 0.5
        How far a channel may move, as a share of its spend, in ``[0, 1)``.

    Returns
    -------
    DataFrame
        Index channel; columns ``spend`` (today's total), ``new_spend``, ``multiplier``,
        ``contribution`` (modelled, today) and ``new_contribution`` (modelled, with the plan),
        the layout of the simulator's ``ChannelTruth.best_reallocation``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> weeks = pd.date_range("2024-01-01", periods=60, freq="7D")
    >>> weekly = pd.DataFrame({"week_start": weeks, "a": rng.uniform(0, 2_000, 60),
    ...                        "b": rng.uniform(0, 2_000, 60)})
    >>> weekly["sales"] = (50_000 + 3 * weekly["a"] + 5_000 * np.sqrt(weekly["b"] / 2_000)
    ...                    + rng.normal(0, 100, 60))
    >>> model = MarketingMixModel().fit(weekly, spend_cols=["a", "b"])
    >>> plan = optimise_budget(model, weekly, max_shift=0.3)
    >>> bool(np.isclose(plan["new_spend"].sum(), plan["spend"].sum()))
    True
    >>> bool(plan["new_contribution"].sum() >= plan["contribution"].sum())
    True
    """
    shift = _require_max_shift(max_shift)
    if not isinstance(model, MarketingMixModel):
        raise ValueError(f"model must be a fitted MarketingMixModel, got {type(model).__name__}")
    _, X = model._spend(weekly)
    spend = X.sum(axis=0)
    scale = model.response(weekly) or 1.0
    params = model.params_
    decay, K = params["decay"].to_numpy(), params["half_saturation"].to_numpy()
    shape, beta = params["shape"].to_numpy(), params["beta"].to_numpy()
    ref = model.reference_spend_
    A = _adstock_columns(X, decay)  # adstock is linear in spend: scaling spend scales it

    def value(m: np.ndarray) -> float:
        return -float((_hill_columns(A * m, K, shape, ref) * beta).sum()) / scale

    def gradient(m: np.ndarray) -> np.ndarray:
        Am = A * m
        H = _hill_columns(Am, K, shape, ref)
        positive = _on_air(Am, ref)
        slope = np.where(positive, shape * H * (1 - H) / np.where(positive, Am, 1.0), 0.0)
        return -(beta * (slope * A).sum(axis=0)) / scale

    budget = {"type": "eq", "fun": lambda m: (m @ spend - spend.sum()) / spend.sum(),
              "jac": lambda m: spend / spend.sum()}
    bounds = [(1 - shift, 1 + shift)] * len(spend)
    best, best_value = np.ones(len(spend)), value(np.ones(len(spend)))
    for start in _starts(spend, shift):
        result = minimize(value, start, jac=gradient, method="SLSQP", bounds=bounds,
                          constraints=[budget], options={"maxiter": 200, "ftol": 1e-12})
        m = np.clip(result.x, 1 - shift, 1 + shift)
        # keep only plans that hold the budget (to 1e-6) and beat the best so far
        if abs(m @ spend / spend.sum() - 1) < 1e-6 and value(m) < best_value:
            best, best_value = m, value(m)
    contribution = (_hill_columns(A, K, shape, ref) * beta).sum(axis=0)
    new_contribution = (_hill_columns(A * best, K, shape, ref) * beta).sum(axis=0)
    return pd.DataFrame(
        {"spend": spend, "new_spend": spend * best, "multiplier": best,
         "contribution": contribution, "new_contribution": new_contribution},
        index=pd.Index(model.spend_cols_, name=CHANNEL),
    )
