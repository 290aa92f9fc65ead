"""Uplift modelling: who changes their behaviour *because* we contact them.

A response model predicts who will buy; an uplift model predicts how much contacting a
customer changes that probability:

.. math:: \\tau(x) = P(Y = 1 \\mid x, \\text{treated}) - P(Y = 1 \\mid x, \\text{control})

It needs a randomised experiment (here the e-mail campaign with its holdout). The two-model
approach fits one classifier on treated and one on control customers and subtracts their
predictions; :func:`segment_uplift` compares the two groups' means within each segment. The
Qini curve checks a ranking on held-out data, and :func:`qini_interval` puts a bootstrap
interval on its coefficient (``scipy.stats.bootstrap``, resampling customers within each group,
as :func:`bootstrap_indices` and :func:`bootstrap_segment_means` do).

**Argument order.** Every function that takes both the outcome and the treatment flag takes
the outcome first, as scikit-learn puts ``y`` after ``X``: ``TwoModelUplift().fit(X, y,
treatment=t)``, ``qini_curve(y, treatment, scores)``, ``qini_interval(y, treatment, scores)``;
table helpers name the columns instead (``treatment_col=``, ``outcome_col=``). Intervals take a
``confidence_level`` (default ``constants.CONFIDENCE_LEVEL``), bootstraps ``n_resamples``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import chi2, norm
from sklearn.base import BaseEstimator, clone, is_classifier
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from .constants import CONFIDENCE_LEVEL, DEFAULT_SEED
from .evaluation import percentile_bootstrap
from .validation import (
    require_columns,
    require_confidence_level,
    require_frame,
    require_n_resamples,
)


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
    treated_model_, control_model_ : fitted estimators
    treated_rate_, control_rate_ : float
        Observed outcome rates in each group.

    Examples
    --------
    Treated customers with ``x = 0`` buy in 2 of 4 cases, untreated ones in 1 of 4 (uplift
    0.25); with ``x = 1`` it is 3 of 4 against 1 of 4 (uplift 0.5):

    >>> X = np.array([[0]] * 8 + [[1]] * 8)
    >>> t = np.array([1, 1, 1, 1, 0, 0, 0, 0] * 2)
    >>> y = np.array([1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0])
    >>> model = TwoModelUplift(LogisticRegression(C=1e6)).fit(X, y, treatment=t)
    >>> model.predict_uplift([[0], [1]]).round(2).tolist()
    [0.25, 0.5]
    >>> model.treated_rate_, model.control_rate_
    (0.625, 0.25)
    """

    def __init__(self, estimator: BaseEstimator | None = None) -> None:
        self.estimator = estimator

    def fit(self, X: ArrayLike, y: ArrayLike, *, treatment: ArrayLike) -> TwoModelUplift:
        """Fit one model on the treated rows and one on the control rows.

        Parameters
        ----------
        X : array-like or DataFrame
            Features, one row per customer.
        y : array-like
            Outcome per customer (0/1 with a classifier, else a number >= 0).
        treatment : array-like of 0/1
            1 if the customer was treated. Keyword-only, as scikit-learn passes per-sample
            data beside ``y`` (``sample_weight=``), so that a call cannot swap it with ``y``.

        Returns
        -------
        TwoModelUplift
            ``self``, fitted.
        """
        t = _binary(treatment, "treatment")
        base = self.estimator if self.estimator is not None else LogisticRegression(max_iter=1000)
        self.is_classifier_ = is_classifier(base)
        outcome = _binary(y, "y") if self.is_classifier_ else _outcome(y)
        if len(t) != len(outcome) or len(t) != len(X):
            raise ValueError("X, y and treatment must have the same number of rows")
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


def _qini_inputs(y: ArrayLike, treatment: ArrayLike, scores: ArrayLike
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    outcome = _outcome(y)
    t = _binary(treatment, "treatment")
    s = np.asarray(scores, dtype=float)
    if not (len(outcome) == len(t) == len(s)):
        raise ValueError("y, treatment and scores must have the same length")
    if np.isnan(s).any():
        raise ValueError("scores have missing values")
    return outcome, t, s


def _qini_points(outcome: np.ndarray, t: np.ndarray, s: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Customers and treated customers targeted, and Q, after each group of equal scores."""
    order = np.argsort(-s, kind="stable")
    s, outcome, t = s[order], outcome[order], t[order]
    last = np.r_[s[1:] != s[:-1], True]  # the last customer of each group of tied scores
    n_t = np.cumsum(t)[last]
    n_c = np.cumsum(1 - t)[last]
    y_t = np.cumsum(outcome * t)[last]
    y_c = np.cumsum(outcome * (1 - t))[last]
    scaled = np.where(n_c > 0, y_c * n_t / np.maximum(n_c, 1), 0.0)
    return np.r_[0, np.flatnonzero(last) + 1], np.r_[0, n_t], np.r_[0.0, y_t - scaled]


def qini_curve(y: ArrayLike, treatment: ArrayLike, scores: ArrayLike) -> pd.DataFrame:
    """Qini curve: incremental outcomes when targeting the top-scored share of customers.

    Customers are sorted by ``scores`` (highest first). After the first ``n`` customers, with
    :math:`Y_T(n), N_T(n)` the outcomes and count of treated and :math:`Y_C(n), N_C(n)` of
    control customers among them,

    .. math:: Q(n) = Y_T(n) - Y_C(n)\\,\\frac{N_T(n)}{N_C(n)}

    is the number of extra outcomes caused by treating them (control outcomes scaled to the
    treated group's size; 0 while no control customer is among them). A random ordering gives
    the straight line from 0 to :math:`Q(N)`. Outcomes may be 0/1 (buyers) or counts (orders).
    Customers with equal scores are taken together: the curve has one point per distinct
    score, so it does not depend on the row order of ties.

    Parameters
    ----------
    y : array
        Outcome per customer (0/1 or a count), in the same order as ``treatment``.
    treatment : array
        1 if the customer was treated (e.g. e-mailed), 0 if held out.
    scores : array
        Predicted uplift (higher = target first).

    Returns
    -------
    DataFrame
        ``n_targeted`` (customers targeted), ``n_treated`` (treated customers among them,
        :math:`N_T`), ``share_targeted`` (0 to 1), ``incremental`` (:math:`Q`, in outcomes)
        and ``random`` (the line), starting with a row of zeros.

    Examples
    --------
    By score: a treated buyer, a control non-buyer, a control buyer, a treated non-buyer.

    >>> q = qini_curve([1, 0, 0, 1], [1, 1, 0, 0], [0.9, 0.1, 0.8, 0.2])
    >>> q["incremental"].tolist()  # after 3: 1 - 1 x 1/2; after 4: 1 - 1 x 2/2
    [0.0, 1.0, 1.0, 0.5, 0.0]
    """
    outcome, t, s = _qini_inputs(y, treatment, scores)
    n, n_t, q = _qini_points(outcome, t, s)
    share = n / len(outcome)
    return pd.DataFrame({"n_targeted": n, "n_treated": n_t, "share_targeted": share,
                         "incremental": q, "random": share * q[-1]})


#: How :func:`qini_coefficient` can scale the area: per treated customer, or per total increment.
QINI_NORMALIZATIONS: tuple[str, ...] = ("treated", "total")


def _qini_area(share: np.ndarray, q: np.ndarray, n_treated: int, normalize: str) -> float:
    gap = q - share * q[-1]
    area = float(np.sum((gap[1:] + gap[:-1]) / 2 * np.diff(share)))
    if normalize == "treated":
        return area / n_treated
    return area / q[-1] if q[-1] != 0 else float("nan")


def _check_normalize(normalize: str) -> None:
    if normalize not in QINI_NORMALIZATIONS:
        raise ValueError(f"normalize must be one of {QINI_NORMALIZATIONS}, got {normalize!r}")


def qini_coefficient(curve: pd.DataFrame, *, normalize: str = "treated") -> float:
    """Area between the Qini curve and the random line, per treated customer or per increment.

    With :math:`\\phi` the share targeted, :math:`N` the number of customers and the area
    computed with the trapezoidal rule,

    .. math:: q = \\frac{1}{D} \\int_0^1 \\big(Q(\\phi N) - \\phi\\, Q(N)\\big)\\, d\\phi

    ``normalize="treated"`` (default) divides by :math:`D = N_T(N)`, the number of treated
    customers: the curve divided by it ends at the average effect per treated customer, and
    :math:`q` is the extra outcomes per treated customer that ranking gains over random
    targeting, averaged over all targeting depths. ``normalize="total"`` divides by
    :math:`D = Q(N)`, the campaign's total increment; that ratio is unstable (and undefined)
    when :math:`Q(N)` is near 0, as it can be in a bootstrap replicate. 0 means no better than
    random; larger is better.

    Examples
    --------
    >>> curve = qini_curve([1, 0, 0, 1], [1, 1, 0, 0], [0.9, 0.1, 0.8, 0.2])
    >>> qini_coefficient(curve)  # gaps 0, 1, 1, 0.5, 0: area 0.625, over 2 treated
    0.3125
    """
    _check_normalize(normalize)
    require_frame(curve, name="curve")
    require_columns(curve, ["share_targeted", "incremental"], name="curve")
    q = curve["incremental"].to_numpy(dtype=float)
    if normalize == "total" and q[-1] == 0:
        raise ValueError("the campaign caused no incremental outcomes overall: Qini undefined "
                         "with normalize='total'")
    n_treated = 0
    if normalize == "treated":
        require_columns(curve, ["n_treated"], name="curve")
        n_treated = int(curve["n_treated"].iloc[-1])
        if n_treated == 0:
            raise ValueError("column 'n_treated' of curve ends at 0: no treated customers")
    return _qini_area(curve["share_targeted"].to_numpy(dtype=float), q, n_treated, normalize)


def _groups(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers of the treated and of the control customers."""
    return np.flatnonzero(t == 1), np.flatnonzero(t == 0)


def bootstrap_indices(treatment: ArrayLike, *, n_resamples: int,
                      random_state: int | None) -> np.ndarray:
    """Row numbers of ``n_resamples`` bootstrap samples drawn within the treated and control groups.

    Each sample draws, with replacement, as many treated customers as there are from the
    treated group and as many control customers from the control group (a stratified
    bootstrap, as in :func:`helpers.campaigns.bootstrap_campaign`): every sample keeps the
    group sizes, and position ``i`` always holds a customer of the same group as row ``i``.

    The draws are those of ``scipy.stats.bootstrap`` given the treated and the control row
    numbers as two samples with ``rng=np.random.default_rng(random_state)``: all treated
    draws, then all control draws (:func:`qini_interval` resamples exactly these). SciPy
    returns only a statistic's distribution and interval, not the resampled rows, so the rows
    are drawn here with the same calls.

    Returns
    -------
    ndarray of int, shape (n_resamples, n)
        One row of row numbers per sample (use with ``frame.iloc[rows]``).

    Examples
    --------
    >>> t = np.array([1, 0, 1, 1])
    >>> rows = bootstrap_indices(t, n_resamples=100, random_state=0)
    >>> rows.shape, bool((t[rows] == t).all())
    ((100, 4), True)
    """
    t = _binary(treatment, "treatment")
    n_resamples = require_n_resamples(n_resamples)
    rng = np.random.default_rng(random_state)
    rows = np.empty((n_resamples, len(t)), dtype=np.intp)
    for members in _groups(t):
        if len(members):
            rows[:, members] = members[rng.integers(0, len(members),
                                                    size=(n_resamples, len(members)))]
    return rows


def bootstrap_segment_means(
    frame: pd.DataFrame,
    *,
    segment_col: str,
    treatment_col: str,
    value_cols: Sequence[str],
    n_resamples: int,
    random_state: int | None,
) -> pd.DataFrame:
    """Means per segment and group in bootstrap samples of a randomised campaign.

    Each sample is drawn by :func:`bootstrap_indices` (customers drawn with replacement within
    the treated and within the control group). For every sample the result holds what
    ``sample.groupby([segment_col, treatment_col])[value_cols].mean().unstack(treatment_col)``
    gives, computed for all samples at once, so that thousands of replicates take a moment.

    Parameters
    ----------
    frame : DataFrame
        One row per customer of the campaign.
    segment_col, treatment_col : str
        The segment of each customer and the 0/1 treatment flag.
    value_cols : sequence of str
        Numeric columns to average (outcomes, or a covariate such as P(alive)).
    n_resamples : int
        Number of samples (at least ``constants.MIN_BOOTSTRAP_RESAMPLES``).
    random_state : int
        Seed: the same seed gives the same samples as :func:`bootstrap_indices`.

    Returns
    -------
    DataFrame
        Index ``(replicate, segment)``; columns ``(value, group)`` with group 0 (control) and
        1 (treated); NaN where a sample has no customer of a segment in a group.

    Examples
    --------
    >>> df = pd.DataFrame({"seg": ["a", "a", "a", "a"], "t": [1, 1, 0, 0],
    ...                    "y": [1.0, 1.0, 0.0, 0.0]})
    >>> means = bootstrap_segment_means(df, segment_col="seg", treatment_col="t",
    ...                                 value_cols=["y"], n_resamples=100, random_state=0)
    >>> (means[("y", 1)] - means[("y", 0)]).unique().tolist()  # every sample: 1 - 0
    [1.0]
    """
    require_frame(frame, name="frame")
    require_columns(frame, [segment_col, treatment_col, *value_cols], name="frame")
    if not value_cols:
        raise ValueError("value_cols is empty: name at least one column to average")
    if frame[segment_col].isna().any():
        raise ValueError(f"column '{segment_col}' has missing segments")
    t = _binary(frame[treatment_col], treatment_col)
    codes, segments = pd.factorize(frame[segment_col], sort=True)
    rows = bootstrap_indices(t, n_resamples=n_resamples, random_state=random_state)
    n_cells = 2 * len(segments)
    cell = (codes[rows] * 2 + t[rows] + np.arange(len(rows))[:, None] * n_cells).ravel()
    size = len(rows) * n_cells
    counts = np.bincount(cell, minlength=size).astype(float)
    columns = {}
    for column in value_cols:
        values = frame[column].to_numpy(dtype=float)
        if np.isnan(values).any():
            raise ValueError(f"column '{column}' of frame has missing values")
        sums = np.bincount(cell, weights=values[rows].ravel(), minlength=size)
        with np.errstate(invalid="ignore"):
            means = (sums / counts).reshape(-1, 2)  # one row per (replicate, segment)
        columns[(column, 0)], columns[(column, 1)] = means[:, 0], means[:, 1]
    index = pd.MultiIndex.from_product([range(len(rows)), segments],
                                       names=["replicate", segment_col])
    out = pd.DataFrame(columns, index=index)
    out.columns = out.columns.set_names([None, treatment_col])
    return out


def qini_interval(
    y: ArrayLike,
    treatment: ArrayLike,
    scores: Mapping[str, ArrayLike],
    *,
    pairs: Sequence[tuple[str, str]] = (),
    normalize: str = "treated",
    n_resamples: int = 1_000,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | None = DEFAULT_SEED,
) -> pd.DataFrame:
    """Qini coefficients with percentile bootstrap intervals, and paired differences.

    Every resample draws the customers with replacement within the treated and within the
    control group (``scipy.stats.bootstrap`` with the two groups' row numbers as two samples,
    percentile method; the rows :func:`bootstrap_indices` gives for the same seed) and
    recomputes each ranking's coefficient on the *same* sample, so a difference between two
    rankings is judged on paired resamples: two intervals may overlap while the interval of
    their difference excludes 0.

    Parameters
    ----------
    y, treatment : array
        Outcomes and treatment flags, as for :func:`qini_curve`.
    scores : mapping of str to array
        Ranking name -> scores (a DataFrame of score columns works too).
    pairs : sequence of (str, str)
        Pairs ``(a, b)`` whose difference ``a - b`` gets an interval too.
    normalize : {"treated", "total"}
        As for :func:`qini_coefficient`; resamples where it is undefined are left out.
    n_resamples : int, default 1000
        Bootstrap resamples (at least ``constants.MIN_BOOTSTRAP_RESAMPLES``).
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the intervals (quantiles ``(1 - confidence_level) / 2`` and
        ``(1 + confidence_level) / 2`` of the resamples).
    random_state : int
        Seed: the same seed gives the same intervals.

    Returns
    -------
    DataFrame
        One row per ranking, then one per pair (named ``"a - b"``), with ``qini`` (on the
        data as observed), ``low`` and ``high``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x, t = rng.uniform(size=4000), rng.integers(0, 2, 4000)
    >>> y = (rng.uniform(size=4000) < 0.2 + 0.3 * t * x).astype(int)  # uplift grows with x
    >>> out = qini_interval(y, t, {"x": x, "noise": rng.uniform(size=4000)},
    ...                     pairs=[("x", "noise")], n_resamples=200, random_state=1)
    >>> out.index.tolist()
    ['x', 'noise', 'x - noise']
    >>> bool(out.loc["x - noise", "low"] > 0), bool(out.loc["noise", "low"] < 0)
    (True, True)
    """
    _check_normalize(normalize)
    if len(scores) == 0:
        raise ValueError("scores is empty: give at least one ranking")
    columns = {name: _qini_inputs(y, treatment, values) for name, values in scores.items()}
    for a, b in pairs:
        for name in (a, b):
            if name not in columns:
                raise ValueError(f"pair ({a!r}, {b!r}) names {name!r}, which is not in scores")
    outcome, t, _ = next(iter(columns.values()))
    n = len(outcome)
    names = [*columns, *(f"{a} - {b}" for a, b in pairs)]

    def coefficients(rows: np.ndarray | slice) -> list[float]:
        result = {}
        for name, (_, _, s) in columns.items():
            n_targeted, n_t, q = _qini_points(outcome[rows], t[rows], s[rows])
            result[name] = _qini_area(n_targeted / n, q, int(n_t[-1]), normalize)
        for a, b in pairs:
            result[f"{a} - {b}"] = result[a] - result[b]
        return [result[name] for name in names]

    treated, control = _groups(t)
    if min(len(treated), len(control)) < 2:
        raise ValueError(f"treatment has {len(treated)} treated and {len(control)} control "
                         "customers: a bootstrap needs at least two in each group")

    def statistic(treated_rows: np.ndarray, control_rows: np.ndarray,
                  axis: int = -1) -> np.ndarray:
        # one resample per row: put each group's draws back in its own positions
        rows = np.empty((treated_rows.shape[0], n), dtype=np.intp)
        rows[:, treated], rows[:, control] = treated_rows, control_rows
        return np.array([coefficients(sample) for sample in rows]).T

    interval = percentile_bootstrap((treated, control), statistic, n_resamples=n_resamples,
                                    confidence_level=confidence_level,
                                    random_state=random_state)
    out = pd.DataFrame({"qini": coefficients(slice(None)), "low": interval.low,
                        "high": interval.high}, index=names)
    return out.rename_axis("ranking")


def segment_uplift(
    df: pd.DataFrame, *, segment_col: str, treatment_col: str, outcome_col: str,
    confidence_level: float = CONFIDENCE_LEVEL,
) -> pd.DataFrame:
    """Effect of the treatment in each segment: difference of mean outcomes, with its interval.

    Randomisation makes the difference of means within a segment an unbiased estimate of the
    segment's average effect; with few customers per segment it is often more reliable than
    a per-customer model.

    Parameters
    ----------
    df : DataFrame
        One row per customer of a randomised campaign.
    segment_col, treatment_col, outcome_col : str
        The segment, the 0/1 treatment flag and the outcome (0/1 or a count).
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the normal (Wald) interval ``uplift -/+ z se``, with ``z`` the normal's
        ``(1 + confidence_level) / 2`` quantile (1.96 for 95 %).

    Returns
    -------
    DataFrame
        Per segment: ``n_treated``, ``n_control``, ``treated_mean``, ``control_mean``,
        ``uplift`` (difference), ``se`` (standard error, unequal variances) and the
        ``low``/``high`` bounds of the interval.

    Examples
    --------
    >>> df = pd.DataFrame({"seg": ["a"] * 4, "t": [1, 1, 0, 0], "y": [1, 1, 0, 1]})
    >>> segment_uplift(df, segment_col="seg", treatment_col="t", outcome_col="y")["uplift"
    ...                ].tolist()
    [0.5]
    """
    require_frame(df, name="df")
    require_columns(df, [segment_col, treatment_col, outcome_col], name="df")
    z = float(norm.ppf((1 + require_confidence_level(confidence_level)) / 2))
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


def heterogeneity_test(effects: ArrayLike, se: ArrayLike) -> pd.Series:
    """Cochran's Q test: do several independent effect estimates differ by more than chance?

    With estimates :math:`\\hat\\tau_k`, standard errors :math:`s_k` and weights
    :math:`w_k = 1 / s_k^2`,

    .. math:: Q = \\sum_k w_k \\big(\\hat\\tau_k - \\bar\\tau\\big)^2, \\qquad
              \\bar\\tau = \\frac{\\sum_k w_k \\hat\\tau_k}{\\sum_k w_k}

    follows a chi-squared distribution with :math:`K - 1` degrees of freedom when all
    :math:`K` groups share one effect (Cochran 1954). A small p-value says the effects
    differ; a large one only says these data cannot tell them apart.

    Parameters
    ----------
    effects : array-like of float
        One effect estimate per group (e.g. the ``uplift`` column of :func:`segment_uplift`).
    se : array-like of float
        Their standard errors (all > 0), in the same order.

    Returns
    -------
    Series
        ``q``, ``df``, ``p_value`` and ``pooled`` (the inverse-variance weighted mean).

    Raises
    ------
    ValueError
        If the lengths differ, fewer than two groups are given, or a value is missing or a
        standard error not positive.

    Examples
    --------
    >>> test = heterogeneity_test([0.0, 0.2], [0.1, 0.1])  # Q = 2 x 0.1^2 / 0.01 = 2
    >>> round(float(test["q"]), 3), int(test["df"]), round(float(test["p_value"]), 3)
    (2.0, 1, 0.157)
    >>> round(float(test["pooled"]), 3)
    0.1
    """
    tau = np.asarray(effects, dtype=float)
    s = np.asarray(se, dtype=float)
    if tau.ndim != 1 or s.shape != tau.shape:
        raise ValueError("effects and se must be one-dimensional and of the same length")
    if tau.size < 2:
        raise ValueError("effects needs at least two groups to compare")
    if np.isnan(tau).any() or np.isnan(s).any():
        raise ValueError("effects and se must not have missing values")
    if (s <= 0).any():
        raise ValueError("every standard error in se must be positive")
    w = 1 / s**2
    pooled = float(np.sum(w * tau) / np.sum(w))
    q = float(np.sum(w * (tau - pooled) ** 2))
    df = tau.size - 1
    return pd.Series({"q": q, "df": df, "p_value": float(chi2.sf(q, df)), "pooled": pooled})


def qini_at_shares(curve: pd.DataFrame, shares: ArrayLike | int = 10) -> pd.DataFrame:
    """The Qini curve read at a few targeting depths, per treated customer: a smooth summary.

    A curve with one point per customer zig-zags with the noise of single orders; reading it
    at, say, every tenth of the customers (deciles) keeps its shape and drops the jitter.
    Values between the curve's own points are interpolated linearly, as the trapezoidal area
    of :func:`qini_coefficient` assumes.

    Parameters
    ----------
    curve : DataFrame
        A :func:`qini_curve` (``share_targeted``, ``n_treated``, ``incremental``, ``random``).
    shares : int or array-like of float, default 10
        An int ``k`` reads the curve at ``0, 1/k, ..., 1`` (10: deciles); or the shares
        themselves (each between 0 and 1).

    Returns
    -------
    DataFrame
        Index ``share_targeted``; ``incremental`` and ``random`` divided by the number of
        treated customers, i.e. extra outcomes per treated customer, and their difference
        ``gain`` (what the ranking adds over random targeting at that depth).

    Examples
    --------
    >>> curve = qini_curve([1, 0, 0, 1], [1, 1, 0, 0], [0.9, 0.1, 0.8, 0.2])
    >>> qini_at_shares(curve, 2)["incremental"].tolist()  # Q = 0, 1, 0 over 2 treated
    [0.0, 0.5, 0.0]
    """
    require_frame(curve, name="curve")
    require_columns(curve, ["share_targeted", "n_treated", "incremental", "random"],
                    name="curve")
    if isinstance(shares, int | np.integer):
        if shares < 1:
            raise ValueError(f"shares must be at least 1 when an int, got {shares}")
        grid = np.linspace(0, 1, int(shares) + 1)
    else:
        grid = np.asarray(shares, dtype=float)
        if grid.ndim != 1 or grid.size == 0 or (grid < 0).any() or (grid > 1).any():
            raise ValueError("shares must be a non-empty list of shares between 0 and 1")
    n_treated = int(curve["n_treated"].iloc[-1])
    if n_treated == 0:
        raise ValueError("column 'n_treated' of curve ends at 0: no treated customers")
    share = curve["share_targeted"].to_numpy(dtype=float)
    out = pd.DataFrame({
        "incremental": np.interp(grid, share, curve["incremental"].to_numpy(dtype=float)),
        "random": np.interp(grid, share, curve["random"].to_numpy(dtype=float)),
    }, index=pd.Index(grid, name="share_targeted")) / n_treated
    out["gain"] = out["incremental"] - out["random"]
    return out


def effects_per_alive(means: pd.DataFrame, *, outcome_col: str, buyer_col: str,
                      alive_col: str) -> pd.DataFrame:
    """Each segment's extra outcomes and buying rate if treated, per customer still alive.

    Only customers still alive can respond, so a segment's effect is divided by its mean
    probability of being alive (the mean of the treated and of the control group's means):

    .. math:: \\tau_{\\text{alive}} = \\max(\\bar y_T - \\bar y_C, 0) / \\bar p_{\\text{alive}}

    A segment whose treated customers did *worse* gets 0 (an optimistic choice: a contact may
    also put customers off).

    Parameters
    ----------
    means : DataFrame
        Mean per segment (rows) of ``(column, group)`` columns, group 1 treated and 0 control:
        ``frame.groupby([segment, treated])[cols].mean().unstack(treated)``, or
        :func:`bootstrap_segment_means` (rows ``(replicate, segment)``).
    outcome_col, buyer_col, alive_col : str
        The outcome (e.g. orders in 30 days), the 0/1 "bought at all" flag and P(alive).

    Returns
    -------
    DataFrame
        ``uplift_per_alive`` and ``buy_rate_per_alive``, on the rows of ``means``.

    Examples
    --------
    >>> means = pd.DataFrame({("y", 1): [0.6, 0.1], ("y", 0): [0.4, 0.3],
    ...                       ("b", 1): [0.4, 0.1], ("b", 0): [0.3, 0.2],
    ...                       ("p", 1): [0.5, 1.0], ("p", 0): [0.5, 1.0]}, index=["a", "z"])
    >>> effects_per_alive(means, outcome_col="y", buyer_col="b", alive_col="p").round(2)
       uplift_per_alive  buy_rate_per_alive
    a               0.4                 0.8
    z               0.0                 0.1
    """
    require_frame(means, name="means")
    needed = [(c, g) for c in (outcome_col, buyer_col, alive_col) for g in (0, 1)]
    missing = [f"{c} (group {g})" for c, g in needed if (c, g) not in means.columns]
    if missing:
        raise ValueError(f"means has no column {', '.join(missing)}: pass the means per "
                         "segment unstacked by the 0/1 treatment flag")
    alive = (means[(alive_col, 1)] + means[(alive_col, 0)]) / 2
    extra = means[(outcome_col, 1)] - means[(outcome_col, 0)]
    return pd.DataFrame({"uplift_per_alive": extra.clip(lower=0) / alive,
                         "buy_rate_per_alive": means[(buyer_col, 1)] / alive})


def score_by_segment(effects: pd.DataFrame, segment: pd.Series, p_alive: pd.Series
                     ) -> pd.DataFrame:
    """Each customer's uplift and chance of buying if treated, from their segment's effects.

    .. math:: \\hat\\tau_i = \\tau_{\\text{alive}}(s_i) \\, P(\\text{alive})_i, \\qquad
              \\hat p_i = \\min\\big(b_{\\text{alive}}(s_i) \\, P(\\text{alive})_i, 1\\big)

    Parameters
    ----------
    effects : DataFrame
        :func:`effects_per_alive`, one row per segment.
    segment, p_alive : Series
        Each customer's segment and probability of being alive (same index).

    Returns
    -------
    DataFrame
        ``uplift`` and ``p_buy``, on the index of ``segment``.

    Examples
    --------
    >>> effects = pd.DataFrame({"uplift_per_alive": [0.4], "buy_rate_per_alive": [0.8]},
    ...                        index=["a"])
    >>> score_by_segment(effects, pd.Series(["a", "a"]), pd.Series([0.5, 1.0])).values.tolist()
    [[0.2, 0.4], [0.4, 0.8]]
    """
    require_frame(effects, name="effects")
    require_columns(effects, ["uplift_per_alive", "buy_rate_per_alive"], name="effects")
    if not segment.index.equals(p_alive.index):
        raise ValueError("segment and p_alive must have the same index")
    unknown = set(segment.dropna()) - set(effects.index)
    if segment.isna().any() or unknown:
        raise ValueError(f"segment has values with no row in effects: {sorted(map(str, unknown))}"
                         if unknown else "segment has missing values")
    alive = p_alive.to_numpy(dtype=float)
    rows = effects.reindex(segment.to_numpy())
    return pd.DataFrame({
        "uplift": rows["uplift_per_alive"].to_numpy() * alive,
        "p_buy": np.minimum(rows["buy_rate_per_alive"].to_numpy() * alive, 1),
    }, index=segment.index)
