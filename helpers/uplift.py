"""Uplift modelling: who changes their behaviour *because* we contact them.

A response model predicts who will buy; an uplift model predicts how much contacting a
customer changes that probability:

.. math:: \\tau(x) = P(Y = 1 \\mid x, \\text{treated}) - P(Y = 1 \\mid x, \\text{control})

It needs a randomised experiment (here the e-mail campaign with its holdout). The two-model
approach fits one classifier on treated and one on control customers and subtracts their
predictions. The Qini curve checks the ranking on held-out data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.base import BaseEstimator, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted


def _binary(values: ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty one-dimensional array")
    if pd.isna(arr).any():
        raise ValueError(f"{name} has missing values")
    unique = set(np.unique(arr).tolist())
    if not unique <= {0, 1}:  # booleans compare equal to 0 and 1
        raise ValueError(f"{name} must hold 0/1 values, found {sorted(unique)[:5]}")
    return arr.astype(int)


class TwoModelUplift(BaseEstimator):
    """Two-model (T-learner) uplift estimator for a binary outcome.

    Parameters
    ----------
    estimator : classifier, optional
        Any scikit-learn classifier with ``predict_proba``; cloned for each group. Default: a
        logistic regression.

    Attributes
    ----------
    treated_model_, control_model_ : fitted classifiers
    treated_rate_, control_rate_ : float
        Observed outcome rates in each group.

    Examples
    --------
    >>> X = np.array([[0], [1], [0], [1], [0], [1], [0], [1]])
    >>> t = np.array([1, 1, 1, 1, 0, 0, 0, 0])
    >>> y = np.array([0, 1, 0, 1, 0, 0, 0, 0])
    >>> model = TwoModelUplift(LogisticRegression(C=100)).fit(X, t, y)
    >>> bool(model.predict_uplift([[1]])[0] > model.predict_uplift([[0]])[0])
    True
    """

    def __init__(self, estimator: BaseEstimator | None = None) -> None:
        self.estimator = estimator

    def fit(self, X: ArrayLike, treatment: ArrayLike, y: ArrayLike) -> TwoModelUplift:
        """Fit one model on the treated rows and one on the control rows."""
        t = _binary(treatment, "treatment")
        outcome = _binary(y, "y")
        if len(t) != len(outcome) or len(t) != len(X):
            raise ValueError("X, treatment and y must have the same number of rows")
        base = self.estimator if self.estimator is not None else LogisticRegression(max_iter=1000)
        models = {}
        for group in (1, 0):
            rows = t == group
            if len(np.unique(outcome[rows])) < 2:
                label = "treated" if group else "control"
                raise ValueError(f"the {label} group needs both outcomes (0 and 1) to fit")
            models[group] = clone(base).fit(_rows(X, rows), outcome[rows])
        self.treated_model_, self.control_model_ = models[1], models[0]
        self.treated_rate_ = float(outcome[t == 1].mean())
        self.control_rate_ = float(outcome[t == 0].mean())
        return self

    def predict_uplift(self, X: ArrayLike) -> np.ndarray:
        """Predicted change in the outcome probability if contacted."""
        check_is_fitted(self, "treated_model_")
        return (
            self.treated_model_.predict_proba(X)[:, 1]
            - self.control_model_.predict_proba(X)[:, 1]
        )


def _rows(X: ArrayLike, mask: np.ndarray) -> ArrayLike:
    return X.loc[mask] if isinstance(X, pd.DataFrame) else np.asarray(X)[mask]


def qini_curve(y: ArrayLike, treatment: ArrayLike, scores: ArrayLike) -> pd.DataFrame:
    """Qini curve: incremental outcomes when targeting the top-scored share of customers.

    Customers are sorted by ``scores`` (highest first). After the first ``n`` customers, with
    :math:`Y_T(n), N_T(n)` the outcomes and count of treated and :math:`Y_C(n), N_C(n)` of
    control customers among them,

    .. math:: Q(n) = Y_T(n) - Y_C(n)\\,\\frac{N_T(n)}{N_C(n)}

    is the number of extra outcomes caused by treating them (control outcomes scaled to the
    treated group's size). A random ordering gives the straight line from 0 to :math:`Q(N)`.

    Returns
    -------
    DataFrame
        ``share_targeted`` (0 to 1), ``incremental`` (:math:`Q`) and ``random`` (the line),
        starting with a row of zeros.

    Examples
    --------
    >>> q = qini_curve([1, 0, 0, 0], [1, 1, 0, 0], [0.9, 0.1, 0.8, 0.2])
    >>> q["incremental"].round(2).tolist()
    [0.0, 1.0, 0.0, 0.0, 1.0]
    """
    outcome = _binary(y, "y")
    t = _binary(treatment, "treatment")
    s = np.asarray(scores, dtype=float)
    if not (len(outcome) == len(t) == len(s)):
        raise ValueError("y, treatment and scores must have the same length")
    if np.isnan(s).any():
        raise ValueError("scores have missing values")
    order = np.argsort(-s, kind="stable")
    outcome, t = outcome[order], t[order]
    n_t = np.cumsum(t)
    n_c = np.cumsum(1 - t)
    y_t = np.cumsum(outcome * t)
    y_c = np.cumsum(outcome * (1 - t))
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = np.where(n_c > 0, y_c * n_t / np.maximum(n_c, 1), 0.0)
    q = np.r_[0.0, y_t - scaled]
    share = np.arange(len(q)) / len(outcome)
    return pd.DataFrame({"share_targeted": share, "incremental": q, "random": share * q[-1]})


def qini_coefficient(curve: pd.DataFrame) -> float:
    """Area between the Qini curve and the random line, as a share of the total increment.

    0 means no better than random; larger is better. Computed with the trapezoidal rule and
    divided by ``Q(N)`` so that it does not depend on the campaign's size.
    """
    total = curve["incremental"].iloc[-1]
    if total == 0:
        raise ValueError("the campaign caused no incremental outcomes overall: Qini undefined")
    gap = (curve["incremental"] - curve["random"]).to_numpy()
    x = curve["share_targeted"].to_numpy()
    return float(np.sum((gap[1:] + gap[:-1]) / 2 * np.diff(x)) / total)
