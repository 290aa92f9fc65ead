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
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .validation import require_columns, require_frame


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
    """Two-model (T-learner) uplift estimator.

    With a classifier the outcome is binary and the uplift is a change in probability; with
    a regressor (e.g. a Poisson regression of order counts) it is a change in the expected
    outcome.

    Parameters
    ----------
    estimator : classifier or regressor, optional
        Any scikit-learn estimator (a pipeline too); cloned for each group. Default: a
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
        base = self.estimator if self.estimator is not None else LogisticRegression(max_iter=1000)
        self.is_classifier_ = is_classifier(base)
        outcome = _binary(y, "y") if self.is_classifier_ else _outcome(y)
        if len(t) != len(outcome) or len(t) != len(X):
            raise ValueError("X, treatment and y must have the same number of rows")
        models = {}
        for group in (1, 0):
            rows = t == group
            if len(np.unique(outcome[rows])) < 2:
                label = "treated" if group else "control"
                raise ValueError(f"the {label} group needs at least two different outcomes")
            models[group] = clone(base).fit(_rows(X, rows), outcome[rows])
        self.treated_model_, self.control_model_ = models[1], models[0]
        self.treated_rate_ = float(outcome[t == 1].mean())
        self.control_rate_ = float(outcome[t == 0].mean())
        return self

    def predict_uplift(self, X: ArrayLike) -> np.ndarray:
        """Predicted change in the outcome (probability or expected value) if contacted."""
        check_is_fitted(self, "treated_model_")
        if self.is_classifier_:
            return (
                self.treated_model_.predict_proba(X)[:, 1]
                - self.control_model_.predict_proba(X)[:, 1]
            )
        return self.treated_model_.predict(X) - self.control_model_.predict(X)


def _rows(X: ArrayLike, mask: np.ndarray) -> ArrayLike:
    return X.loc[mask] if isinstance(X, pd.DataFrame) else np.asarray(X)[mask]


def _outcome(values: ArrayLike) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError("y must be a non-empty one-dimensional array")
    if np.isnan(arr).any() or (arr < 0).any():
        raise ValueError("y must hold non-negative outcomes (0/1 or counts) without gaps")
    return arr


def qini_curve(y: ArrayLike, treatment: ArrayLike, scores: ArrayLike) -> pd.DataFrame:
    """Qini curve: incremental outcomes when targeting the top-scored share of customers.

    Customers are sorted by ``scores`` (highest first). After the first ``n`` customers, with
    :math:`Y_T(n), N_T(n)` the outcomes and count of treated and :math:`Y_C(n), N_C(n)` of
    control customers among them,

    .. math:: Q(n) = Y_T(n) - Y_C(n)\\,\\frac{N_T(n)}{N_C(n)}

    is the number of extra outcomes caused by treating them (control outcomes scaled to the
    treated group's size). A random ordering gives the straight line from 0 to :math:`Q(N)`.
    Outcomes may be 0/1 (buyers) or counts (orders).

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
    outcome = _outcome(y)
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


def segment_uplift(
    df: pd.DataFrame, *, segment_col: str, treatment_col: str, outcome_col: str,
    z: float = 1.96,
) -> pd.DataFrame:
    """Effect of the treatment in each segment: difference of mean outcomes, with its interval.

    Randomisation makes the difference of means within a segment an unbiased estimate of the
    segment's average effect; with few customers per segment it is often more reliable than
    a per-customer model.

    Returns
    -------
    DataFrame
        Per segment: ``n_treated``, ``n_control``, ``treated_mean``, ``control_mean``,
        ``uplift`` (difference), ``se`` (standard error, unequal variances) and the
        ``low``/``high`` bounds of the ``z`` interval.

    Examples
    --------
    >>> df = pd.DataFrame({"seg": ["a"] * 4, "t": [1, 1, 0, 0], "y": [1, 1, 0, 1]})
    >>> segment_uplift(df, segment_col="seg", treatment_col="t", outcome_col="y")["uplift"
    ...                ].tolist()
    [0.5]
    """
    require_frame(df, name="df")
    require_columns(df, [segment_col, treatment_col, outcome_col], name="df")
    t = _binary(df[treatment_col], treatment_col)
    y = _outcome(df[outcome_col])
    frame = pd.DataFrame({"segment": df[segment_col].to_numpy(), "t": t, "y": y})
    stats = frame.groupby(["segment", "t"])["y"].agg(["size", "mean", "var"]).unstack("t")
    if stats["size"].isna().any().any() or (stats["size"] < 2).any().any():
        raise ValueError(f"every segment of '{segment_col}' needs at least two treated and two "
                         "control customers")
    out = pd.DataFrame(
        {
            "n_treated": stats[("size", 1)].astype(int),
            "n_control": stats[("size", 0)].astype(int),
            "treated_mean": stats[("mean", 1)],
            "control_mean": stats[("mean", 0)],
        }
    )
    out["uplift"] = out["treated_mean"] - out["control_mean"]
    out["se"] = np.sqrt(stats[("var", 1)] / out["n_treated"] + stats[("var", 0)]
                        / out["n_control"])
    out["low"] = out["uplift"] - z * out["se"]
    out["high"] = out["uplift"] + z * out["se"]
    return out.rename_axis(segment_col)
