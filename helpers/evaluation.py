"""Evaluating any model that scores customers: binary labels (1 = the event, e.g. churned or
bought) and a score per customer (higher = more likely).

* :func:`lift_table` ranks customers by score into equal groups (deciles by default) and
  gives each group's rate, lift and the cumulative gain;
* :func:`expected_profit`, :func:`profit_curve` and :func:`best_threshold` turn scores into a
  contact decision valued with the expected profit of an offer, and
  :func:`break_even_probability` is the event probability above which an offer pays;
* :func:`roc_auc_interval` gives ROC AUC with a bootstrap confidence interval, and
  :func:`paired_auc_difference` the difference between two models' AUCs on the same
  customers, with a paired bootstrap interval;
* :func:`auc_intervals`, :func:`paired_auc_table`, :func:`ranking_metrics`,
  :func:`policy_profits` and :func:`lift_report` put several models or policies side by side
  in one table with business column names;
* :func:`percentile_bootstrap` is the bootstrap behind those intervals (and the Qini
  intervals of :mod:`helpers.uplift`): ``scipy.stats.bootstrap`` with the percentile method,
  leaving out the resamples on which the statistic is undefined.

Nothing here knows where the scores come from: a churn pipeline, a response model, a rule.

>>> lift_table([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], n_bins=2)["lift"].tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import DegenerateDataWarning, bootstrap, quantile, rankdata
from sklearn.metrics import average_precision_score, roc_auc_score

from .constants import CONFIDENCE_LEVEL, DEFAULT_SEED
from .validation import require_columns, require_confidence_level, require_n_resamples

__all__ = [
    "GROUP_NAMES",
    "BootstrapInterval",
    "auc_intervals",
    "best_threshold",
    "break_even_probability",
    "expected_profit",
    "lift_report",
    "lift_table",
    "paired_auc_difference",
    "paired_auc_table",
    "percentile_bootstrap",
    "policy_profits",
    "profit_curve",
    "ranking_metrics",
    "roc_auc_interval",
]

#: What :func:`lift_table` calls its group column, by number of groups (else ``"group"``).
GROUP_NAMES: dict[int, str] = {10: "decile", 5: "quintile", 4: "quartile"}

#: Largest number of resampled values the AUC bootstrap holds at once (``batch`` x customers):
#: 2,000,000 float64 values are 16 MB per array.
_BOOTSTRAP_CELLS = 2_000_000


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------
def _labels_and_scores(y_true: ArrayLike, scores: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Check binary labels with both classes and finite scores of the same length."""
    y = pd.Series(np.asarray(y_true).ravel())
    s = pd.to_numeric(pd.Series(np.asarray(scores).ravel()), errors="coerce")
    if len(y) != len(s):
        raise ValueError(f"y_true has {len(y)} values but scores has {len(s)}")
    if len(y) == 0:
        raise ValueError("y_true is empty: no customers to evaluate")
    values = set(pd.unique(y.dropna()).tolist())
    if y.isna().any() or not values <= {0, 1}:  # True == 1, False == 0
        shown = sorted(map(str, values))[:5] + (["missing"] if y.isna().any() else [])
        raise ValueError(
            f"y_true must be binary (0/1 or False/True: 1 = the event, e.g. churned); found "
            f"values {shown}")
    if len(values) < 2:
        only = int(next(iter(values)))
        raise ValueError(
            f"y_true holds a single class (every value is {only}): lift, AUC and profit need "
            "both classes (e.g. churners and customers who stayed)")
    if s.isna().any() or not np.isfinite(s.to_numpy()).all():
        raise ValueError("scores must be finite numbers without missing values")
    return y.to_numpy(dtype=int), s.to_numpy(dtype=float)


def _second_scores(y: np.ndarray, scores_b: ArrayLike) -> np.ndarray:
    """Check a second model's scores for the same customers as ``y``."""
    b = pd.to_numeric(pd.Series(np.asarray(scores_b).ravel()), errors="coerce")
    if len(b) != len(y):
        raise ValueError(f"scores_b has {len(b)} values but y_true has {len(y)}; score the "
                         "same customers with both models")
    return _labels_and_scores(y, b)[1]


# --------------------------------------------------------------------------------------------
# lift and gains
# --------------------------------------------------------------------------------------------
def lift_table(y_true: ArrayLike, scores: ArrayLike, *, n_bins: int = 10) -> pd.DataFrame:
    """Gains and lift by score group: group 1 holds the highest-scored customers.

    Customers are sorted by score (highest first, ties in input order) and cut into
    ``n_bins`` groups of equal size (sizes differ by at most one).

    Parameters
    ----------
    y_true : array-like of 0/1
        Observed labels (1 = the event, e.g. churned).
    scores : array-like of float
        Model scores, higher = more likely.
    n_bins : int, default 10
        Number of groups. The group column is called ``decile`` for 10 groups, ``quintile``
        for 5, ``quartile`` for 4 and ``group`` otherwise.

    Returns
    -------
    DataFrame
        One row per group: the group number (``decile``, ``quintile``, ``quartile`` or
        ``group``), ``customers``, ``churners`` (customers with label 1), ``churn_rate``,
        ``lift`` (rate / overall rate), ``cumulative_customers`` (share of customers in this
        and the higher groups), ``cumulative_gain`` (share of all label-1 customers they hold)
        and ``cumulative_lift`` (gain / customer share).

    Examples
    --------
    >>> table = lift_table([1, 1, 0, 1, 0, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2], n_bins=4)
    >>> table[["quartile", "churners", "churn_rate", "lift", "cumulative_gain"]]
       quartile  churners  churn_rate  lift  cumulative_gain
    0         1         2         1.0  2.67             0.67
    1         2         1         0.5  1.33             1.00
    2         3         0         0.0  0.00             1.00
    3         4         0         0.0  0.00             1.00
    """
    y, s = _labels_and_scores(y_true, scores)
    if isinstance(n_bins, bool) or not isinstance(n_bins, int | np.integer) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive whole number, got {n_bins!r}")
    if n_bins > len(y):
        raise ValueError(f"n_bins={n_bins} is more than the {len(y)} customers")
    group = GROUP_NAMES.get(int(n_bins), "group")
    order = np.argsort(-s, kind="stable")
    groups = np.empty(len(y), dtype=int)
    for number, members in enumerate(np.array_split(order, n_bins), start=1):
        groups[members] = number
    table = pd.DataFrame({group: groups, "y": y}).groupby(group)["y"].agg(
        customers="size", churners="sum").reset_index()
    overall = y.mean()
    table["churn_rate"] = table["churners"] / table["customers"]
    table["lift"] = table["churn_rate"] / overall
    table["cumulative_customers"] = table["customers"].cumsum() / len(y)
    table["cumulative_gain"] = table["churners"].cumsum() / y.sum()
    table["cumulative_lift"] = table["cumulative_gain"] / table["cumulative_customers"]
    return table.round(2)


# --------------------------------------------------------------------------------------------
# profit of an offer
# --------------------------------------------------------------------------------------------
def _check_economics(offer_cost: float, retention_prob: float) -> None:
    """Raise unless the offer's cost is >= 0 and its success probability lies in [0, 1]."""
    for name, value in (("offer_cost", offer_cost), ("retention_prob", retention_prob)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number) or \
                not np.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if retention_prob > 1:
        raise ValueError(f"retention_prob is a probability in [0, 1], got {retention_prob}")


def _values(value_retained: float | ArrayLike, n: int | None) -> np.ndarray:
    """``value_retained`` as finite amounts >= 0: broadcast to ``n`` customers if one number."""
    if np.ndim(value_retained) == 0:
        values = np.asarray(value_retained, dtype=float)
        values = values if n is None else np.broadcast_to(values, (n,))
    else:
        values = np.asarray(value_retained, dtype=float).ravel()
        if n is not None and values.size != n:
            raise ValueError(
                f"value_retained has {values.size} values but there are {n} customers; give "
                "one number or one value per customer")
    if not np.isfinite(values).all() or (values < 0).any():
        raise ValueError("value_retained must hold finite amounts >= 0, without missing values")
    return values


def _profit_inputs(y: np.ndarray, offer_cost: float, retention_prob: float,
                   value_retained: float | ArrayLike) -> np.ndarray:
    """Check the offer's economics; return the value of retaining each customer."""
    _check_economics(offer_cost, retention_prob)
    return _values(value_retained, y.size)


def expected_profit(
    y_true: ArrayLike,
    contact: ArrayLike,
    *,
    offer_cost: float,
    retention_prob: float,
    value_retained: float | ArrayLike,
) -> float:
    """Expected profit of an offer sent to the customers flagged in ``contact``.

    For each contacted customer *i*

    .. math:: \\pi_i = p_i \\, r \\, v_i - c

    where :math:`p_i` is the probability of the event without the offer (e.g. that *i* would
    churn), :math:`r` the probability that the offer prevents it (``retention_prob``),
    :math:`v_i` the value of preventing it (``value_retained``, e.g. margin on the orders a
    kept customer will place) and :math:`c` the cost of the offer (``offer_cost``), paid for
    everyone contacted. Customers not contacted contribute 0. Evaluated on a test set,
    :math:`p_i` is the observed label (1 if the customer did churn), so the sum is the
    *realised* expected profit: the churners reached, times the chance of saving each, times
    their value, minus the cost of every offer sent.

    Parameters
    ----------
    y_true : array-like of 0/1
        Labels (1 = churned).
    contact : array-like of bool
        Whom the offer goes to.
    offer_cost, retention_prob : float
        Cost per offer (>= 0) and probability that the offer retains a churner (0-1).
    value_retained : float or array-like
        Value of a retained customer, one number or one per customer.

    Returns
    -------
    float

    Examples
    --------
    >>> expected_profit([1, 0, 1], [True, True, False], offer_cost=5, retention_prob=0.5,
    ...                 value_retained=100)
    40.0
    """
    y, _ = _labels_and_scores(y_true, np.zeros(np.size(y_true)))
    values = _profit_inputs(y, offer_cost, retention_prob, value_retained)
    contact = np.asarray(contact).ravel()
    if contact.shape != y.shape:
        raise ValueError(f"contact has {contact.size} values but there are {y.size} customers")
    gain = y * retention_prob * values - offer_cost
    return float(np.round(gain[contact.astype(bool)].sum(), 2))


def break_even_probability(
    *,
    offer_cost: float,
    retention_prob: float,
    value_retained: float | ArrayLike,
) -> float | np.ndarray:
    """Event probability above which an offer pays for itself: :math:`p^* = c / (r\\, v)`.

    The expected profit of contacting a customer with event probability :math:`p`,
    :math:`p\\, r\\, v - c` (see :func:`expected_profit`), is positive exactly when
    :math:`p > c / (r\\, v)`. A value above 1 means the offer never pays for that customer;
    ``inf`` where :math:`r\\, v = 0`.

    Parameters
    ----------
    offer_cost, retention_prob : float
        Cost per offer (>= 0) and probability that the offer retains a churner (0-1).
    value_retained : float or array-like
        Value of a retained customer: one number, or one per customer.

    Returns
    -------
    float or ndarray
        One probability per value given.

    Examples
    --------
    >>> break_even_probability(offer_cost=10, retention_prob=0.2, value_retained=200)
    0.25
    >>> break_even_probability(offer_cost=10, retention_prob=0.2, value_retained=[25, 0]
    ...                        ).tolist()
    [2.0, inf]
    """
    _check_economics(offer_cost, retention_prob)
    gain = _values(value_retained, None) * retention_prob
    with np.errstate(divide="ignore", invalid="ignore"):
        risk = np.where(gain > 0, offer_cost / gain, np.inf)
    return float(risk) if risk.ndim == 0 else risk


def profit_curve(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    offer_cost: float,
    retention_prob: float,
    value_retained: float | ArrayLike,
) -> pd.DataFrame:
    """Expected profit (see :func:`expected_profit`) of contacting everyone scored >= t.

    Parameters
    ----------
    y_true : array-like of 0/1
        Labels (1 = churned).
    scores : array-like of float
        Scores, higher = more likely to churn (ideally calibrated probabilities).
    offer_cost, retention_prob, value_retained
        The offer's economics, as in :func:`expected_profit`.

    Returns
    -------
    DataFrame
        One row per distinct score, highest first, after a first row that contacts nobody
        (``threshold`` = inf): ``threshold``, ``contacted``, ``share_contacted``,
        ``churners_contacted`` and ``expected_profit``.

    Examples
    --------
    >>> profit_curve([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], offer_cost=5, retention_prob=0.5,
    ...              value_retained=100)
       threshold  contacted  share_contacted  churners_contacted  expected_profit
    0        inf          0             0.00                   0              0.0
    1        0.9          1             0.25                   1             45.0
    2        0.8          2             0.50                   1             40.0
    3        0.3          3             0.75                   2             85.0
    4        0.1          4             1.00                   2             80.0
    """
    y, s = _labels_and_scores(y_true, scores)
    values = _profit_inputs(y, offer_cost, retention_prob, value_retained)
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    gain = np.cumsum(y_sorted * retention_prob * values[order] - offer_cost)
    churners = np.cumsum(y_sorted)
    # the last position of each run of equal scores: contact all customers tied at t together
    last = np.r_[np.flatnonzero(np.diff(s_sorted) != 0), len(s_sorted) - 1]
    contacted = last + 1
    return pd.DataFrame(
        {
            "threshold": np.r_[np.inf, s_sorted[last]],
            "contacted": np.r_[0, contacted],
            "share_contacted": np.r_[0.0, contacted / len(y)].round(4),
            "churners_contacted": np.r_[0, churners[last]],
            "expected_profit": np.r_[0.0, gain[last]].round(2),
        }
    )


def best_threshold(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    offer_cost: float,
    retention_prob: float,
    value_retained: float | ArrayLike,
) -> pd.Series:
    """The row of :func:`profit_curve` with the highest expected profit.

    Ties go to the highest threshold (fewest offers). Choose the threshold on data the model
    was not fitted on (e.g. cross-validated predictions) and *evaluate* it on a later test
    set: picking it on the test set itself flatters the profit.

    Returns
    -------
    Series
        ``threshold`` (contact customers scored at or above it; inf = contact nobody),
        ``contacted``, ``share_contacted``, ``churners_contacted``, ``expected_profit``.

    Examples
    --------
    >>> best_threshold([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1], offer_cost=5, retention_prob=0.5,
    ...                value_retained=100)["threshold"]
    np.float64(0.3)
    """
    curve = profit_curve(y_true, scores, offer_cost=offer_cost, retention_prob=retention_prob,
                         value_retained=value_retained)
    return curve.loc[curve["expected_profit"].idxmax()]


# --------------------------------------------------------------------------------------------
# bootstrap intervals
# --------------------------------------------------------------------------------------------
class BootstrapInterval(NamedTuple):
    """What :func:`percentile_bootstrap` returns (one value per output of the statistic)."""

    #: Lower and upper ends of the percentile interval.
    low: float | np.ndarray
    high: float | np.ndarray
    #: Standard deviation of the kept resamples' statistic (``ddof=1``).
    standard_error: float | np.ndarray
    #: Resamples on which the statistic was defined (the ones the interval uses).
    n_kept: int


def percentile_bootstrap(
    data: Sequence[ArrayLike],
    statistic: Callable[..., np.ndarray],
    *,
    n_resamples: int,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | None = DEFAULT_SEED,
    paired: bool = False,
    batch: int | None = None,
    vectorized: bool = True,
) -> BootstrapInterval:
    """Percentile bootstrap interval with ``scipy.stats.bootstrap``, skipping undefined resamples.

    ``scipy.stats.bootstrap(data, statistic, method="percentile", rng=default_rng(random_state),
    ...)`` draws each sample of ``data`` with replacement (all of them on the same rows when
    ``paired``, else each within itself: a stratified bootstrap) and keeps the
    ``(1 - confidence_level) / 2`` and ``(1 + confidence_level) / 2`` quantiles of the
    statistic. A statistic may return NaN where it is undefined on a resample (an AUC on a
    resample holding a single class, say): those resamples are left out of the interval and
    its standard error, instead of making them NaN.

    Parameters
    ----------
    data : sequence of 1-D arrays
        The samples, as for ``scipy.stats.bootstrap``.
    statistic : callable
        ``statistic(*samples, axis=-1)`` (with ``vectorized``) or ``statistic(*samples)``;
        may return several values (an array whose first axis is the output).
    n_resamples : int
        Number of resamples, at least ``constants.MIN_BOOTSTRAP_RESAMPLES``.
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the interval.
    random_state : int or None
        Seed of ``np.random.default_rng``: the same seed gives the same interval.
    paired, batch, vectorized
        Passed to ``scipy.stats.bootstrap`` (``batch`` bounds the resamples held in memory).

    Returns
    -------
    BootstrapInterval
        ``low``, ``high``, ``standard_error`` and ``n_kept``.

    Raises
    ------
    ValueError
        If ``n_resamples`` or ``confidence_level`` is out of range, or the statistic is
        undefined on every resample.

    Examples
    --------
    >>> out = percentile_bootstrap(([4.0, 4.0, 4.0],), np.mean, n_resamples=100)
    >>> float(out.low), float(out.high), out.n_kept
    (4.0, 4.0, 100)
    """
    n_resamples = require_n_resamples(n_resamples)
    confidence_level = require_confidence_level(confidence_level)
    with warnings.catch_warnings():
        # a NaN resample makes scipy's interval NaN and warn; it is recomputed below
        warnings.simplefilter("ignore", DegenerateDataWarning)
        result = bootstrap(
            tuple(np.asarray(sample) for sample in data), statistic,
            n_resamples=n_resamples, batch=batch, vectorized=vectorized, paired=paired,
            confidence_level=confidence_level, method="percentile",
            rng=np.random.default_rng(random_state))
    distribution = np.asarray(result.bootstrap_distribution, dtype=float)
    undefined = np.isnan(distribution)
    if undefined.ndim > 1:  # a resample counts as undefined if any output is
        undefined = np.broadcast_to(undefined.any(axis=tuple(range(undefined.ndim - 1))),
                                    distribution.shape)
    n_kept = int((~undefined).reshape(-1, distribution.shape[-1])[0].sum())
    if n_kept == 0:
        raise ValueError(
            f"the statistic is undefined (NaN) on every one of the {n_resamples} resamples "
            "(an AUC, for one, is undefined on a resample holding a single class)")
    if n_kept == distribution.shape[-1]:
        return BootstrapInterval(result.confidence_interval.low,
                                 result.confidence_interval.high,
                                 result.standard_error, n_kept)
    kept = np.where(undefined, np.nan, distribution)
    alpha = (1 - confidence_level) / 2
    ends = quantile(kept, np.asarray([alpha, 1 - alpha]), axis=-1, nan_policy="omit")
    standard_error = np.nanstd(kept, axis=-1, ddof=1)
    low, high = ends[..., 0], ends[..., 1]
    if low.ndim == 0:
        low, high, standard_error = float(low), float(high), float(standard_error)
    return BootstrapInterval(low, high, standard_error, n_kept)


# --------------------------------------------------------------------------------------------
# ROC AUC with intervals
# --------------------------------------------------------------------------------------------
def _auc_rows(y: np.ndarray, s: np.ndarray, axis: int = -1) -> np.ndarray:
    """ROC AUC along ``axis`` (Mann-Whitney form: mid-ranks for ties); NaN for one class."""
    y, s = np.moveaxis(y, axis, -1), np.moveaxis(s, axis, -1)
    ranks = rankdata(s, axis=-1)
    n_pos = y.sum(axis=-1)
    n_neg = y.shape[-1] - n_pos
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = ((ranks * y).sum(axis=-1) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)
    return np.where((n_pos > 0) & (n_neg > 0), auc, np.nan)


def _score_codes(scores: np.ndarray) -> tuple[np.ndarray, int]:
    """Scores replaced by their dense rank (0, 1, ...: same order, same ties) and the count."""
    codes = rankdata(scores, method="dense").astype(np.int64) - 1
    return codes, int(codes.max()) + 1


def _auc_codes(y: np.ndarray, codes: np.ndarray, n_levels: int, axis: int = -1) -> np.ndarray:
    """ROC AUC along ``axis`` from integer score codes in ``0..n_levels - 1``, by counting.

    The same number as :func:`_auc_rows`, bit for bit: both compute the Mann-Whitney count
    U (each positive scores one per negative below it, one half per tied negative), an exact
    integer or half-integer, divided by ``n_pos * n_neg``. Counting the labels per score code
    (``bincount``) replaces the sort of ``rankdata``, so a resample costs O(n + n_levels)
    instead of O(n log n): the bootstraps below run several times faster.
    """
    y, codes = np.moveaxis(np.asarray(y), axis, -1), np.moveaxis(np.asarray(codes), axis, -1)
    lead = y.shape[:-1]
    rows = int(np.prod(lead, dtype=np.int64))
    positive = y.reshape(rows, -1).astype(bool)
    offset = np.arange(rows, dtype=np.int64)[:, None] * n_levels
    flat = codes.reshape(rows, -1).astype(np.int64) + offset
    size = rows * n_levels
    pos = np.bincount(flat[positive], minlength=size).reshape(rows, n_levels)
    neg = np.bincount(flat[~positive], minlength=size).reshape(rows, n_levels)
    below = np.cumsum(neg, axis=1) - neg  # negatives scored lower than each code
    twice_u = (pos * (2 * below + neg)).sum(axis=1)
    n_pos, n_neg = pos.sum(axis=1), neg.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = twice_u / (2 * n_pos * n_neg)
    return np.where((n_pos > 0) & (n_neg > 0), auc, np.nan).reshape(lead)


def _auc_bootstrap(y: np.ndarray, score_sets: Sequence[np.ndarray], n_resamples: int,
                   confidence_level: float, random_state: int | None) -> BootstrapInterval:
    """Paired percentile bootstrap over customers of one AUC, or of the difference of two.

    Resamples with a single class are skipped. The scores enter as integer codes (their dense
    ranks), which leave every AUC unchanged and let :func:`_auc_codes` count instead of sort.
    """
    coded = [_score_codes(s) for s in score_sets]
    codes = tuple(c for c, _ in coded)
    levels = [m for _, m in coded]

    def statistic(labels: np.ndarray, *samples: np.ndarray, axis: int = -1) -> np.ndarray:
        aucs = [_auc_codes(labels, c, m, axis) for c, m in zip(samples, levels, strict=True)]
        return aucs[0] if len(aucs) == 1 else aucs[0] - aucs[1]

    batch = max(1, _BOOTSTRAP_CELLS // len(y))
    return percentile_bootstrap((y, *codes), statistic, n_resamples=n_resamples,
                                confidence_level=confidence_level, random_state=random_state,
                                paired=True, batch=batch)


def roc_auc_interval(
    y_true: ArrayLike,
    scores: ArrayLike,
    *,
    n_resamples: int = 1_000,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | None = DEFAULT_SEED,
) -> pd.Series:
    """ROC AUC with a percentile bootstrap confidence interval.

    Customers are resampled with replacement ``n_resamples`` times
    (:func:`percentile_bootstrap`, i.e. ``scipy.stats.bootstrap`` with ``paired=True``); the
    interval holds the middle ``confidence_level`` share of the resampled AUCs (resamples with
    a single class are skipped).

    To compare two models on the same customers, do not check whether their intervals
    overlap: use :func:`paired_auc_difference`.

    Parameters
    ----------
    y_true : array-like of 0/1
        Observed labels.
    scores : array-like of float
        Scores (higher = more likely label 1).
    n_resamples : int, default 1000
        Number of resamples (at least ``constants.MIN_BOOTSTRAP_RESAMPLES``).
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the interval.
    random_state : int or None
        Seed of the resampling (``np.random.default_rng``).

    Returns
    -------
    Series
        ``auc``, ``low``, ``high``.

    Examples
    --------
    >>> roc_auc_interval([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], n_resamples=200)["auc"]
    np.float64(0.75)
    """
    y, s = _labels_and_scores(y_true, scores)
    interval = _auc_bootstrap(y, [s], n_resamples, confidence_level, random_state)
    return pd.Series({"auc": roc_auc_score(y, s), "low": float(interval.low),
                      "high": float(interval.high)})


def paired_auc_difference(
    y_true: ArrayLike,
    scores_a: ArrayLike,
    scores_b: ArrayLike,
    *,
    n_resamples: int = 1_000,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | None = DEFAULT_SEED,
) -> pd.Series:
    """Difference in ROC AUC between two models scored on the same customers, with a
    paired percentile bootstrap interval.

    Each bootstrap resample draws customers with replacement and computes **both** AUCs on
    the same draw (``scipy.stats.bootstrap`` with ``paired=True``), so the interval is that
    of the difference

    .. math:: \\Delta = \\mathrm{AUC}_a - \\mathrm{AUC}_b .

    Two models scored on the same customers make many of the same mistakes: their AUCs rise
    and fall together from one sample to the next. Their separate intervals can overlap
    widely while the difference is clearly positive, or not overlap by much while it is not;
    the paired interval answers the question asked. An interval that contains 0 means the
    data cannot tell the two models apart.

    Parameters
    ----------
    y_true : array-like of 0/1
        Observed labels.
    scores_a, scores_b : array-like of float
        Scores of the two models for the same customers, in the same order (higher = more
        likely label 1).
    n_resamples : int, default 1000
        Number of resamples (at least ``constants.MIN_BOOTSTRAP_RESAMPLES``).
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the interval.
    random_state : int or None
        Seed of the resampling (``np.random.default_rng``).

    Returns
    -------
    Series
        ``auc_a``, ``auc_b``, ``difference`` (``auc_a - auc_b`` on all customers), ``low`` and
        ``high`` (the interval of the difference).

    Examples
    --------
    >>> y = [0, 0, 1, 1]
    >>> paired_auc_difference(y, [0.1, 0.4, 0.35, 0.8], [0.1, 0.2, 0.8, 0.9], n_resamples=200
    ...                       )[["auc_a", "auc_b", "difference"]].tolist()
    [0.75, 1.0, -0.25]
    """
    y, a = _labels_and_scores(y_true, scores_a)
    b = _second_scores(y, scores_b)
    interval = _auc_bootstrap(y, [a, b], n_resamples, confidence_level, random_state)
    auc_a, auc_b = roc_auc_score(y, a), roc_auc_score(y, b)
    return pd.Series({"auc_a": auc_a, "auc_b": auc_b, "difference": auc_a - auc_b,
                      "low": float(interval.low), "high": float(interval.high)})


# --------------------------------------------------------------------------------------------
# several models or policies side by side, in business words
# --------------------------------------------------------------------------------------------
def _named_scores(scores: Mapping[str, ArrayLike]) -> dict[str, np.ndarray]:
    if not isinstance(scores, Mapping) or not scores:
        raise ValueError("scores must be a non-empty mapping of model name -> scores")
    return {str(name): np.asarray(s) for name, s in scores.items()}


def lift_report(table: pd.DataFrame, *, event: str = "churners") -> pd.DataFrame:
    """The table of :func:`lift_table` with business column names and formatted numbers.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`lift_table`.
    event : str, default "churners"
        What the customers with label 1 are called (e.g. "buyers").

    Returns
    -------
    DataFrame
        Indexed by the group ("Decile", ...): "Customers", the event count ("Churners"),
        "Rate", "Lift" (``×2.02``), "Customers so far" and "<Event> reached so far"
        (cumulative shares, in per cent).

    Examples
    --------
    >>> report = lift_report(lift_table([1, 1, 0, 0], [0.9, 0.8, 0.3, 0.1], n_bins=2))
    >>> report.columns[:3].tolist(), report.iloc[0, 3:].tolist()
    (['Customers', 'Churners', 'Rate'], ['×2.00', '50%', '100%'])
    >>> report.index.name
    'Group'
    """
    group = str(table.columns[0]) if len(table.columns) else "decile"
    require_columns(table, [group, "customers", "churners", "churn_rate", "lift",
                            "cumulative_customers", "cumulative_gain"], name="table")
    noun = event.strip().capitalize()
    return pd.DataFrame({
        group.capitalize(): table[group].to_numpy(),
        "Customers": table["customers"].to_numpy(),
        noun: table["churners"].to_numpy(),
        "Rate": [f"{v:.0%}" for v in table["churn_rate"]],
        "Lift": [f"×{v:.2f}" for v in table["lift"]],
        "Customers so far": [f"{v:.0%}" for v in table["cumulative_customers"]],
        f"{noun} reached so far": [f"{v:.0%}" for v in table["cumulative_gain"]],
    }).set_index(group.capitalize())


def ranking_metrics(y_true: ArrayLike, scores: Mapping[str, ArrayLike], *,
                    n_bins: int = 10) -> pd.DataFrame:
    """ROC AUC, average precision and top-group lift of several models on the same customers.

    Parameters
    ----------
    y_true : array-like of 0/1
        Observed labels.
    scores : mapping of name -> array-like
        Each model's scores for the same customers (higher = more likely label 1).
    n_bins : int, default 10
        Groups of :func:`lift_table` for the top-group lift (10: the top decile).

    Returns
    -------
    DataFrame
        One row per model (in the order given): "ROC AUC", "Average precision" and
        "Top-decile lift" ("Top-group lift" unless ``n_bins`` is 10, 5 or 4), rounded to 3
        decimals.

    Examples
    --------
    >>> ranking_metrics([0, 0, 1, 1], {"perfect": [0.1, 0.2, 0.8, 0.9],
    ...                                "reversed": [0.9, 0.8, 0.2, 0.1]}, n_bins=2)
              ROC AUC  Average precision  Top-group lift
    perfect       1.0              1.000             2.0
    reversed      0.0              0.417             0.0
    """
    named = _named_scores(scores)
    group = GROUP_NAMES.get(int(n_bins), "group") if isinstance(n_bins, int) else "group"
    rows = {}
    for name, s in named.items():
        y, s = _labels_and_scores(y_true, s)
        rows[name] = {
            "ROC AUC": roc_auc_score(y, s),
            "Average precision": average_precision_score(y, s),
            f"Top-{group} lift": lift_table(y, s, n_bins=n_bins).loc[0, "lift"],
        }
    return pd.DataFrame.from_dict(rows, orient="index").round(3)


def auc_intervals(
    y_true: ArrayLike,
    scores: Mapping[str, ArrayLike],
    *,
    n_resamples: int = 1_000,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | None = DEFAULT_SEED,
) -> pd.DataFrame:
    """ROC AUC with its bootstrap interval (:func:`roc_auc_interval`) for several scores.

    Returns
    -------
    DataFrame
        One row per name: "ROC AUC" and the interval's ends ("95% low", "95% high" at the
        default confidence level), rounded to 3 decimals.

    Examples
    --------
    >>> auc_intervals([0, 0, 1, 1], {"model": [0.1, 0.4, 0.35, 0.8]}, n_resamples=200
    ...               ).columns.tolist()
    ['ROC AUC', '95% low', '95% high']
    """
    level = f"{require_confidence_level(confidence_level):.0%}"
    table = pd.DataFrame({
        name: roc_auc_interval(y_true, s, n_resamples=n_resamples,
                               confidence_level=confidence_level, random_state=random_state)
        for name, s in _named_scores(scores).items()}).T
    table.columns = ["ROC AUC", f"{level} low", f"{level} high"]
    return table.astype(float).round(3)


def paired_auc_table(
    y_true: ArrayLike,
    scores: Mapping[str, ArrayLike],
    *,
    reference: str,
    n_resamples: int = 1_000,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | None = DEFAULT_SEED,
) -> pd.DataFrame:
    """Each model's AUC minus the reference's, with paired intervals and a verdict.

    Every model in ``scores`` other than ``reference`` is compared with it by
    :func:`paired_auc_difference` (same customers, same resamples). The verdict reads the
    interval: "better than <reference>" if it lies wholly above 0, "worse than <reference>" if
    wholly below, else "cannot be told apart".

    Parameters
    ----------
    y_true : array-like of 0/1
        Observed labels.
    scores : mapping of name -> array-like
        Scores of each model for the same customers, the reference included.
    reference : str
        The name in ``scores`` to compare with.
    n_resamples, confidence_level, random_state
        As in :func:`paired_auc_difference`.

    Returns
    -------
    DataFrame
        One row per other model: "AUC minus <reference>", "95% low", "95% high" (rounded to 3
        decimals) and "Verdict".

    Examples
    --------
    >>> y = [0] * 20 + [1] * 20
    >>> table = paired_auc_table(y, {"good": list(range(40)), "coin": [0.5] * 40},
    ...                          reference="coin", n_resamples=200)
    >>> table.loc["good", "Verdict"]
    'better than coin'
    """
    named = _named_scores(scores)
    if reference not in named:
        raise ValueError(f"reference {reference!r} is not among the scores {list(named)}")
    level = f"{require_confidence_level(confidence_level):.0%}"
    rows = {
        name: paired_auc_difference(y_true, s, named[reference], n_resamples=n_resamples,
                                    confidence_level=confidence_level,
                                    random_state=random_state)
        for name, s in named.items() if name != reference}
    table = pd.DataFrame(rows).T[["difference", "low", "high"]].astype(float)
    table.columns = [f"AUC minus {reference}", f"{level} low", f"{level} high"]
    table["Verdict"] = np.select(
        [table[f"{level} low"] > 0, table[f"{level} high"] < 0],
        [f"better than {reference}", f"worse than {reference}"], "cannot be told apart")
    numbers = table.columns[:3]
    table[numbers] = table[numbers].round(3) + 0.0  # + 0.0: no "-0.000"
    return table


def policy_profits(
    y_true: ArrayLike,
    policies: Mapping[str, ArrayLike],
    *,
    offer_cost: float,
    retention_prob: float,
    value_retained: float | ArrayLike,
) -> pd.DataFrame:
    """Customers contacted, churners reached and expected profit of several contact policies.

    Parameters
    ----------
    y_true : array-like of 0/1
        Labels (1 = churned).
    policies : mapping of name -> array-like of bool
        Whom each policy contacts.
    offer_cost, retention_prob, value_retained
        The offer's economics, as in :func:`expected_profit`.

    Returns
    -------
    DataFrame
        One row per policy: "Contacted", "Churners reached" and "Expected profit (£)".

    Examples
    --------
    >>> policy_profits([1, 0, 1], {"all": [True] * 3, "first": [True, False, False]},
    ...                offer_cost=5, retention_prob=0.5, value_retained=100)
           Contacted  Churners reached  Expected profit (£)
    all            3                 2                 85.0
    first          1                 1                 45.0
    """
    y, _ = _labels_and_scores(y_true, np.zeros(np.size(y_true)))
    rows = {}
    for name, contact in policies.items():
        contact = np.asarray(contact, dtype=bool).ravel()
        if contact.shape != y.shape:
            raise ValueError(f"policy {name!r} has {contact.size} values but there are "
                             f"{y.size} customers")
        rows[name] = {
            "Contacted": int(contact.sum()),
            "Churners reached": int(y[contact].sum()),
            "Expected profit (£)": expected_profit(
                y, contact, offer_cost=offer_cost, retention_prob=retention_prob,
                value_retained=value_retained),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
