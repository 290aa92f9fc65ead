"""Customer lifetime value: RFM summaries, the BG/NBD and Gamma-Gamma models, a simple formula.

The probabilistic models follow Fader, Hardie and Lee (2005), "Counting your customers the
easy way: an alternative to the Pareto/NBD model" (BG/NBD, *Marketing Science* 24(2)) and
"RFM and CLV: using iso-value curves for customer base analysis" (Gamma-Gamma spend model,
*Journal of Marketing Research* 42(4)). Both are fitted by maximum likelihood with analytic
gradients; their parameters reproduce the published CDNOW figures (see ``tests/test_clv.py``)
and the ``lifetimes`` package, which is not needed at run time.

Notation: for each customer ``frequency`` (x) is the number of repeat purchases, ``recency``
(t_x) the time from the first to the last purchase and ``T`` the time from the first purchase
to the end of the observation period, all in the same time unit (weeks by default).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.optimize import OptimizeResult, minimize
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from .clv_summary import summary_from_transactions
from .constants import CUSTOMER_ID, INVOICE_DATE
from .validation import (
    require_finite_number,
    require_int_at_least,
    require_number_at_least,
    require_numeric,
    require_positive_number,
)

__all__ = [
    "DAYS_PER_MONTH",
    "BetaGeoModel",
    "ConvergenceError",
    "GammaGammaModel",
    "NBDModel",
    "fit_purchase_model",
    "repeat_purchase_tracking",
    "simple_clv",
    "summary_from_transactions",
]

#: Average length of a month in days, used to turn a CLV horizon in months into model time.
DAYS_PER_MONTH: float = 365.25 / 12

OnNonConvergence = Literal["raise", "warn"]


class ConvergenceError(ValueError):
    """The likelihood maximisation stopped before converging.

    A subclass of ``ValueError`` so that ``except ValueError`` in a notebook catches it along
    with the other "these data cannot be used as they are" errors.
    """


# --- input checks for the models -------------------------------------------------------------


def _as_array(values: ArrayLike, name: str) -> np.ndarray:
    """Return ``values`` as a 1-d float array, raising on text, NaN or infinity."""
    arr = np.asarray(values)
    if arr.ndim > 1:
        raise ValueError(f"column '{name}' must be one-dimensional, got shape {arr.shape}")
    frame = pd.DataFrame({name: np.atleast_1d(arr)})
    if frame.empty:
        raise ValueError(f"column '{name}' is empty: no customers to work on")
    out = require_numeric(frame, name, name="the model input").to_numpy()
    if np.isnan(out).any():
        raise ValueError(f"column '{name}' has {int(np.isnan(out).sum())} missing (NaN) value(s)")
    if np.isinf(out).any():
        raise ValueError(f"column '{name}' has {int(np.isinf(out).sum())} infinite value(s)")
    return out


def _check_nonnegative(arr: np.ndarray, name: str) -> None:
    if (arr < 0).any():
        raise ValueError(
            f"column '{name}' has {int((arr < 0).sum())} negative value(s), e.g. {arr.min()}"
        )


def _check_rft(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x, tx, age = (
        _as_array(v, n) for v, n in ((frequency, "frequency"), (recency, "recency"), (T, "T"))
    )
    try:
        np.broadcast_shapes(x.shape, tx.shape, age.shape)
    except ValueError as exc:
        raise ValueError(
            f"columns 'frequency', 'recency' and 'T' must have the same length, got "
            f"{len(x)}, {len(tx)} and {len(age)}"
        ) from exc
    for arr, name in ((x, "frequency"), (tx, "recency"), (age, "T")):
        _check_nonnegative(arr, name)
    if (x != np.round(x)).any():
        raise ValueError("column 'frequency' must hold whole numbers of repeat purchases")
    # A little slack: summaries saved with two decimals can round t_x above T.
    too_recent = tx > age + 1e-6 * np.maximum(1.0, age)
    if too_recent.any():
        raise ValueError(
            f"column 'recency' is larger than column 'T' for {int(too_recent.sum())} "
            "customer(s): the last purchase cannot be after the end of the period"
        )
    if ((x == 0) & (tx != 0)).any():
        raise ValueError("column 'recency' must be 0 for customers whose 'frequency' is 0")
    return x, tx, age


def _as_time(t: ArrayLike, name: str = "t") -> np.ndarray:
    arr = _as_array(t, name)
    _check_nonnegative(arr, name)
    return arr


def _shape_like(result: np.ndarray, *inputs: object) -> float | np.ndarray | pd.Series:
    """Return a float for scalar inputs and a Series when a Series of that length came in."""
    if all(np.ndim(v) == 0 for v in inputs):
        return float(result.reshape(-1)[0])
    for v in inputs:
        if isinstance(v, pd.Series) and len(v) == result.size:
            return pd.Series(result.reshape(-1), index=v.index)
    return result


# --- maximum likelihood machinery ------------------------------------------------------------


#: Largest remaining quasi-Newton step (in log parameters, so a relative change of the
#: parameters) at which a BFGS stop for "precision loss" still counts as converged.
PRECISION_LOSS_STEP_TOL: float = 1e-5

#: Largest |log| of a unit-free shape parameter in a fit that found a finite maximum.
MAX_ABS_LOG_SHAPE: float = 10.0


def _stopped_at_the_optimum(result: OptimizeResult) -> bool:
    """Whether BFGS stopped for precision loss (status 2) with nothing left to gain.

    Near the optimum the last improvement BFGS tries to confirm can be smaller than the
    objective's rounding noise (about 1e-15 of a mean log-likelihood). Whether the line search
    then fails depends on the last bits of ``log`` and ``exp`` on a given CPU and on summation
    order, so the same data can stop with status 0 on one machine and 2 on another. The step
    BFGS would still take, ``hess_inv @ jac``, tells the two cases apart: at the optimum it is
    about 1e-7 (parameters settled to seven digits); when the search genuinely fails it is
    large, and that still counts as not converged.
    """
    if result.status != 2 or getattr(result, "hess_inv", None) is None:
        return False
    step = np.asarray(result.hess_inv) @ np.asarray(result.jac)
    return bool(np.all(np.isfinite(step)) and np.max(np.abs(step)) <= PRECISION_LOSS_STEP_TOL)


class _MaximumLikelihoodModel(BaseEstimator):
    """Shared fitting loop: minimise a penalised mean negative log-likelihood in log space.

    A scikit-learn estimator: the settings are stored unchanged by ``__init__`` (so
    ``get_params``, ``set_params`` and ``sklearn.base.clone`` work) and checked by ``fit``;
    everything learnt ends in ``_``.
    """

    _param_names: tuple[str, ...] = ()
    #: The unit-free parameters among ``_param_names`` (shape parameters of the mixing laws).
    _shape_params: tuple[str, ...] = ()

    def __init__(
        self,
        penalizer: float = 0.0,
        *,
        maxiter: int = 1000,
        tol: float = 1e-7,
        on_nonconvergence: OnNonConvergence = "raise",
    ) -> None:
        self.penalizer = penalizer
        self.maxiter = maxiter
        self.tol = tol
        self.on_nonconvergence = on_nonconvergence

    def _start_fit(self) -> None:
        """Check the settings and forget any earlier fit (a failed refit leaves nothing stale)."""
        for name in ("params_", "log_likelihood_", "converged_", "n_iter_", "n_customers_"):
            self.__dict__.pop(name, None)
        require_number_at_least(self.penalizer, "penalizer", 0.0)
        require_int_at_least(self.maxiter, "maxiter")
        if require_number_at_least(self.tol, "tol", 0.0) == 0:
            raise ValueError(f"tol must be a positive number, got {self.tol!r}")
        if self.on_nonconvergence not in ("raise", "warn"):
            raise ValueError(
                f"on_nonconvergence must be 'raise' or 'warn', got {self.on_nonconvergence!r}"
            )

    def _minimise(
        self,
        loglik: Callable[[np.ndarray], tuple[float, np.ndarray]],
        n: int,
        x0: np.ndarray,
    ) -> np.ndarray:
        """Maximise ``loglik`` (total log-likelihood and its gradient in log parameters)."""

        # The mean keeps the objective's scale independent of the number of customers, and the
        # ridge penalty on the parameters themselves matches lifetimes' ``penalizer_coef``.
        def objective(log_params: np.ndarray) -> tuple[float, np.ndarray]:
            ll, grad = loglik(log_params)
            params = np.exp(log_params)
            value = -ll / n + self.penalizer * np.sum(params**2)
            gradient = -grad / n + 2.0 * self.penalizer * params**2
            return value, gradient

        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            result = minimize(
                objective,
                x0,
                jac=True,
                method="BFGS",
                options={"maxiter": int(self.maxiter), "gtol": self.tol},
            )
        self.n_iter_ = int(result.nit)
        runaway = self._runaway_parameters(result.x)
        self.converged_ = bool(np.all(np.isfinite(result.x))) and not runaway and (
            bool(result.success) or _stopped_at_the_optimum(result)
        )
        if not self.converged_:
            reason = (
                f"the likelihood has no finite maximum: {', '.join(runaway)} kept growing or "
                "shrinking without bound (too few customers, or too little variety, to "
                "identify them)." if runaway else f"{result.message}"
            )
            message = (
                f"{type(self).__name__} did not converge after {result.nit} iteration(s): "
                f"{reason} Try a small penalizer (e.g. 0.001), a larger maxiter, or "
                "check the inputs for extreme values."
            )
            if self.on_nonconvergence == "raise":
                raise ConvergenceError(message)
            warnings.warn(message, RuntimeWarning, stacklevel=3)
        return result.x

    def _runaway_parameters(self, log_params: np.ndarray) -> list[str]:
        """Unit-free shape parameters that ran off beyond e^+-10 (about 22,000 or 1/22,000).

        Where the likelihood has no finite maximum it keeps rising along a ridge towards a
        limit (for BG/NBD, a and b growing together: every customer has the same dropout
        probability). Depending on the last bits of ``log`` and ``exp`` the optimiser may stop
        anywhere on that ridge and even report success, so the run-off itself is the test.
        Real fits have shape parameters between about 0.1 and 10; scale parameters (alpha in
        time units, v in currency units) are left out because their size depends on the units.
        """
        values = dict(zip(self._param_names, log_params, strict=True))
        return [name for name in self._shape_params
                if not np.isfinite(values[name]) or abs(values[name]) > MAX_ABS_LOG_SHAPE]

    def __sklearn_is_fitted__(self) -> bool:
        """Fitted once ``params_`` exists: a fit that raised ConvergenceError has set
        ``n_iter_`` and ``converged_`` but is not a fit."""
        return hasattr(self, "params_")

    def _params(self) -> tuple[float, ...]:
        """The fitted parameters in ``_param_names`` order; NotFittedError before ``fit``."""
        check_is_fitted(self)
        return tuple(self.params_[k] for k in self._param_names)


# --- BG/NBD ---------------------------------------------------------------------------------


class _Histories:
    """Customer histories with their distinct values pre-indexed.

    Special functions and logarithms are evaluated once per distinct value (a few hundred
    frequencies and ages) instead of once per customer, which makes each likelihood
    evaluation on the 23,570 CDNOW customers about ten times cheaper.
    """

    def __init__(self, x: np.ndarray, tx: np.ndarray, T: np.ndarray) -> None:
        self.x = x
        self.repeat = (x > 0).astype(float)
        # pd.factorize hashes; np.unique would sort, which is several times slower here.
        self.ix, self.ux = pd.factorize(x)
        self.nx = np.bincount(self.ix)
        self.iT, self.uT = pd.factorize(T)
        self.itx, self.utx = pd.factorize(tx)


def _dot(u: np.ndarray, v: np.ndarray) -> float:
    # Not u @ v: a BLAS call per likelihood term is slow when its threads compete for cores.
    return float(np.sum(u * v))


def _bgnbd_loglik(log_params: np.ndarray, h: _Histories) -> tuple[float, np.ndarray]:
    """Total BG/NBD log-likelihood and its gradient with respect to the log parameters.

    Per customer (Fader, Hardie and Lee 2005, eq. 6): ln L = A1 + A2 + ln(e^A3 + d e^A4) with
    d = 1 if x > 0, computed as A3 + d ln(1 + e^(A4 - A3)) so long histories do not underflow.
    """
    r, alpha, a, b = np.exp(log_params)
    ux = h.ux
    # Terms that depend on the customer only through x, evaluated per distinct x.
    A12 = gammaln(r + ux) - gammaln(r) + betaln(a, b + ux) - betaln(a, b)
    # b + x - 1 only matters for repeat buyers; max(x, 1) avoids log(b - 1) for the others.
    b_x1 = b + np.maximum(ux, 1.0) - 1.0
    inv_at, inv_atx = 1.0 / (alpha + h.uT), 1.0 / (alpha + h.utx)
    log_at = np.log(alpha + h.uT)[h.iT]
    log_atx = np.log(alpha + h.utx)[h.itx]
    rx = r + h.x
    A3 = -rx * log_at
    A4 = (np.log(a) - np.log(b_x1))[h.ix] - rx * log_atx
    diff = A4 - A3
    # ln(1 + e^diff) and the logistic of diff from one exp; diff is large for long-lapsed buyers.
    e = np.exp(-np.abs(diff))
    log1pexp = np.maximum(diff, 0.0) + np.log1p(e)
    n = len(h.x)
    ll = _dot(h.nx, A12) + n * r * np.log(alpha) + A3.sum() + _dot(h.repeat, log1pexp)

    # w is each customer's posterior share of "dropped out right after the last purchase".
    w = h.repeat * np.where(diff >= 0, 1.0, e) / (1.0 + e)
    d_ab = digamma(a + b) - digamma(a + b + ux)
    d_r = (
        _dot(h.nx, digamma(r + ux) - digamma(r))
        + n * np.log(alpha)
        - (log_at + w * (log_atx - log_at)).sum()
    )
    d_alpha = n * r / alpha - _dot(rx, (1 - w) * inv_at[h.iT] + w * inv_atx[h.itx])
    d_a = _dot(h.nx, d_ab) + w.sum() / a
    d_b = _dot(h.nx, d_ab + digamma(b + ux) - digamma(b)) - _dot(w, (1.0 / b_x1)[h.ix])
    grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return float(ll), grad


class BetaGeoModel(_MaximumLikelihoodModel):
    """BG/NBD "buy till you die" model of repeat purchasing (Fader, Hardie and Lee 2005).

    While alive a customer buys at a Poisson rate lambda ~ Gamma(r, alpha); after each
    purchase they drop out with probability p ~ Beta(a, b).

    A scikit-learn estimator: ``fit`` returns ``self``, the settings below are checked by
    ``fit`` (not by ``__init__``), ``sklearn.base.clone`` gives an unfitted copy, and the
    prediction methods raise ``sklearn.exceptions.NotFittedError`` (a ``ValueError``) before
    ``fit``.

    Parameters
    ----------
    penalizer : float, default 0
        Ridge penalty ``penalizer * sum(params**2)`` added to the mean negative
        log-likelihood. As in lifetimes, times are rescaled so that the longest ``T`` is 1
        while fitting, so a given penalizer gives the same estimates as
        ``lifetimes.BetaGeoFitter(penalizer_coef=penalizer)``.
    maxiter : int, default 1000
        Maximum number of BFGS iterations (keyword-only, like the two settings below).
    tol : float, default 1e-7
        Gradient tolerance of BFGS, a positive number.
    on_nonconvergence : {"raise", "warn"}, default "raise"
        What to do when the optimiser fails: raise :class:`ConvergenceError` (a
        ``ValueError``), or emit a ``RuntimeWarning`` and keep the last parameters with
        ``converged_ = False``.

    Attributes
    ----------
    params_ : dict
        ``r``, ``alpha`` (in the time unit of the data), ``a``, ``b``.
    log_likelihood_ : float
        Total (not mean) log-likelihood at ``params_``, without the penalty.
    converged_ : bool
        Whether the optimiser reported success.
    n_iter_ : int
        Number of optimiser iterations.
    n_customers_ : int
        Number of customers in the fit.

    Examples
    --------
    >>> from helpers.cdnow import load_cdnow
    >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
    ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
    >>> bg = BetaGeoModel().fit(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> {k: round(v, 3) for k, v in bg.params_.items()}  # Fader, Hardie and Lee (2005)
    {'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}
    """

    _param_names = ("r", "alpha", "a", "b")
    _shape_params = ("r", "a", "b")

    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> BetaGeoModel:
        """Estimate r, alpha, a, b by maximum likelihood.

        Parameters
        ----------
        frequency, recency, T : array-like
            Repeat purchases (whole numbers), time of last purchase and age of each customer,
            e.g. the columns of :func:`summary_from_transactions`.

        Returns
        -------
        BetaGeoModel
            ``self``, fitted.
        """
        self._start_fit()
        x, tx, age = _check_rft(frequency, recency, T)
        x, tx, age = np.broadcast_arrays(x, tx, age)
        # Rescaling time so the longest T is 1 conditions the problem (alpha near 1) and makes
        # the penalizer act as lifetimes' does; only alpha carries the time unit.
        scale = 1.0 / age.max() if age.max() > 0 else 1.0
        scaled = _Histories(x, tx * scale, age * scale)
        log_params = self._minimise(lambda p: _bgnbd_loglik(p, scaled), len(x), np.zeros(4))
        r, alpha, a, b = np.exp(log_params)
        alpha /= scale
        self.params_ = {"r": float(r), "alpha": float(alpha), "a": float(a), "b": float(b)}
        self.log_likelihood_, _ = _bgnbd_loglik(np.log([r, alpha, a, b]), _Histories(x, tx, age))
        self.n_customers_ = int(len(x))
        return self

    def expected_number_of_purchases_up_to_time(
        self, t: ArrayLike
    ) -> float | np.ndarray | pd.Series:
        """Expected repeat purchases in (0, t] of a customer who has just made a first purchase.

        Equation (9) of Fader, Hardie and Lee (2005). Summed over a cohort's first-purchase
        dates it gives the expected cumulative repeat sales of the tracking plot.

        Parameters
        ----------
        t : float or array-like
            Time(s) since the first purchase, in the model's time unit.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            E[X(t)], shaped like ``t``.

        Examples
        --------
        >>> from helpers.cdnow import load_cdnow
        >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
        ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
        >>> bg = BetaGeoModel().fit(rfm["frequency"], rfm["recency"], rfm["T"])
        >>> round(bg.expected_number_of_purchases_up_to_time(39.0), 3)  # new customer, 39 weeks
        1.195
        """
        r, alpha, a, b = self._params()
        tt = _as_time(t)
        hyp = hyp2f1(r, b, a + b - 1, tt / (alpha + tt))
        result = (a + b - 1) / (a - 1) * (1 - hyp * (alpha / (alpha + tt)) ** r)
        return _shape_like(result, t)

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> float | np.ndarray | pd.Series:
        """Expected repeat purchases in the next ``t`` time units given a customer's history.

        Equation (10) of Fader, Hardie and Lee (2005).

        Parameters
        ----------
        t : float or array-like
            Horizon(s) in the model's time unit, broadcast against the customers.
        frequency, recency, T : array-like
            The customers' histories.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            E[Y(t) | x, t_x, T]; a Series indexed like ``frequency`` if that is a Series.

        Examples
        --------
        >>> from helpers.cdnow import load_cdnow
        >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
        ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
        >>> bg = BetaGeoModel().fit(rfm["frequency"], rfm["recency"], rfm["T"])
        >>> round(bg.conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86), 3)
        1.226
        """
        r, alpha, a, b = self._params()
        tt = _as_time(t)
        x, tx, age = _check_rft(frequency, recency, T)
        return _shape_like(
            _conditional_expected(tt, x, tx, age, r, alpha, a, b), frequency, recency, T, t
        )

    def probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> float | np.ndarray | pd.Series:
        """Probability that a customer with this history has not dropped out.

        P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) /
        (alpha + t_x))^(r + x)) (Fader, Hardie and Lee 2005; Hardie's note 021). It is 1 for a
        customer with no repeat purchase: in the BG/NBD story drop-out happens only right
        after a purchase.

        Parameters
        ----------
        frequency, recency, T : array-like
            The customers' histories, in the model's time unit.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Probabilities in [0, 1]; a Series indexed like ``frequency`` if that is a Series.

        Examples
        --------
        >>> from helpers.cdnow import load_cdnow
        >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
        ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
        >>> bg = BetaGeoModel().fit(rfm["frequency"], rfm["recency"], rfm["T"])
        >>> bg.probability_alive(0, 0.0, 38.86), round(bg.probability_alive(2, 30.43, 38.86), 3)
        (1.0, 0.727)
        """
        r, alpha, a, b = self._params()
        x, tx, age = _check_rft(frequency, recency, T)
        log_odds_dead = np.log(a / (b + np.maximum(x, 1) - 1)) + (r + x) * np.log(
            (alpha + age) / (alpha + tx)
        )
        result = np.where(x == 0, 1.0, expit(-log_odds_dead))
        return _shape_like(result, frequency, recency, T)


def _nbd_loglik(log_params: np.ndarray, x: np.ndarray, T: np.ndarray) -> tuple[float, np.ndarray]:
    """Total NBD log-likelihood and its log-space gradient.

    Per customer, the BG/NBD likelihood with no dropout: ln Gamma(r + x) - ln Gamma(r) +
    r ln(alpha) - (r + x) ln(alpha + T), so the two models' log-likelihoods compare directly.
    """
    r, alpha = np.exp(log_params)
    ll = np.sum(gammaln(r + x) - gammaln(r) + r * np.log(alpha) - (r + x) * np.log(alpha + T))
    d_r = np.sum(digamma(r + x) - digamma(r) + np.log(alpha) - np.log(alpha + T))
    d_alpha = np.sum(r / alpha - (r + x) / (alpha + T))
    return float(ll), np.array([d_r * r, d_alpha * alpha])


class NBDModel(_MaximumLikelihoodModel):
    """NBD model of repeat purchasing: BG/NBD without dropout (Ehrenberg 1959).

    Each customer buys at a Poisson rate lambda ~ Gamma(r, alpha) and never leaves. It is the
    limit BG/NBD's likelihood runs to when the data show no customer leaving (``a`` -> 0), e.g.
    on a calibration window too short to see churn, and the honest fallback there: it states
    its assumption (everyone stays) instead of hiding it in a runaway parameter. It has the same
    prediction methods as :class:`BetaGeoModel`, so the same code can use either.

    Parameters
    ----------
    penalizer, maxiter, tol, on_nonconvergence
        As in :class:`BetaGeoModel`.

    Attributes
    ----------
    params_ : dict
        ``r`` and ``alpha`` (in the time unit of the data).
    log_likelihood_, converged_, n_iter_, n_customers_
        As in :class:`BetaGeoModel`.

    Examples
    --------
    >>> nbd = NBDModel().fit([0, 1, 2, 4], [0.0, 5.0, 8.0, 9.0], [10.0, 10.0, 10.0, 10.0])
    >>> round(nbd.params_["r"] / nbd.params_["alpha"], 3)  # mean rate: 7 purchases / 40 weeks
    0.175
    >>> nbd.probability_alive(2, 8.0, 10.0)
    1.0
    """

    _param_names = ("r", "alpha")
    _shape_params = ("r",)

    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> NBDModel:
        """Estimate r and alpha by maximum likelihood (``recency`` is checked, then unused).

        Parameters
        ----------
        frequency, recency, T : array-like
            As in :meth:`BetaGeoModel.fit`.

        Returns
        -------
        NBDModel
            ``self``, fitted.
        """
        self._start_fit()
        x, tx, age = np.broadcast_arrays(*_check_rft(frequency, recency, T))
        if not age.max() > 0:
            raise ValueError("column 'T' must be positive for at least one customer")
        scale = 1.0 / age.max()
        log_params = self._minimise(lambda p: _nbd_loglik(p, x, age * scale), len(x), np.zeros(2))
        r, alpha = np.exp(log_params)
        self.params_ = {"r": float(r), "alpha": float(alpha / scale)}
        self.log_likelihood_, _ = _nbd_loglik(np.log([r, alpha / scale]), x, age)
        self.n_customers_ = int(len(x))
        return self

    def expected_number_of_purchases_up_to_time(
        self, t: ArrayLike
    ) -> float | np.ndarray | pd.Series:
        """Expected repeat purchases in (0, t] of a new customer: ``r / alpha * t``.

        Parameters
        ----------
        t : float or array-like
            Time(s) since the first purchase, in the model's time unit.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            E[X(t)], shaped like ``t``.

        Examples
        --------
        >>> nbd = NBDModel().fit([0, 1, 2, 4], [0.0, 5.0, 8.0, 9.0], [10.0] * 4)
        >>> round(nbd.expected_number_of_purchases_up_to_time(10.0), 2)
        1.75
        """
        r, alpha = self._params()
        return _shape_like(r / alpha * _as_time(t), t)

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> float | np.ndarray | pd.Series:
        """Expected purchases in the next ``t`` given a history: ``(r + x) / (alpha + T) * t``.

        Parameters
        ----------
        t : float or array-like
            Horizon(s) in the model's time unit.
        frequency, recency, T : array-like
            The customers' histories.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            E[Y(t) | x, T]; a Series indexed like ``frequency`` if that is a Series.

        Examples
        --------
        >>> nbd = NBDModel().fit([0, 1, 2, 4], [0.0, 5.0, 8.0, 9.0], [10.0] * 4)
        >>> a = nbd.conditional_expected_number_of_purchases_up_to_time(10, 4, 9.0, 10.0)
        >>> b = nbd.conditional_expected_number_of_purchases_up_to_time(10, 0, 0.0, 10.0)
        >>> bool(a > b)  # more past purchases, more expected
        True
        """
        r, alpha = self._params()
        x, _, age = _check_rft(frequency, recency, T)
        result = (r + x) / (alpha + age) * _as_time(t)
        return _shape_like(result, frequency, recency, T, t)

    def probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> float | np.ndarray | pd.Series:
        """Always 1: the NBD model assumes that nobody leaves.

        Parameters
        ----------
        frequency, recency, T : array-like
            The customers' histories (checked).

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Ones, shaped like the input.

        Examples
        --------
        >>> nbd = NBDModel().fit([0, 1, 2, 4], [0.0, 5.0, 8.0, 9.0], [10.0] * 4)
        >>> nbd.probability_alive(1, 3.0, 10.0)
        1.0
        """
        self._params()
        x, _, _ = _check_rft(frequency, recency, T)
        return _shape_like(np.ones_like(x, dtype=float), frequency, recency, T)


def fit_purchase_model(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> tuple[BetaGeoModel | NBDModel, str]:
    """BG/NBD where its likelihood has a maximum; otherwise the NBD model, with the reason.

    Parameters
    ----------
    frequency, recency, T : array-like
        The customers' histories, as for :meth:`BetaGeoModel.fit`.

    Returns
    -------
    (model, note)
        The fitted model and one sentence saying which one it is and why.

    Examples
    --------
    >>> from helpers.cdnow import load_cdnow
    >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
    ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
    >>> model, note = fit_purchase_model(rfm["frequency"], rfm["recency"], rfm["T"])
    >>> type(model).__name__, note
    ('BetaGeoModel', 'BG/NBD fitted: the data identify both the purchase rate and the dropout')
    """
    try:
        model = BetaGeoModel().fit(frequency, recency, T)
    except ConvergenceError as error:
        runaway = str(error).split("no finite maximum: ")[-1].split(" kept")[0]
        return NBDModel().fit(frequency, recency, T), (
            f"BG/NBD has no maximum-likelihood fit here ({runaway} runs off towards 0: the data "
            "show too little dropout to measure it), so the NBD model is used instead: "
            "the same purchase rates, and the stated assumption that nobody leaves"
        )
    return model, "BG/NBD fitted: the data identify both the purchase rate and the dropout"


def _conditional_expected(
    t: np.ndarray,
    x: np.ndarray,
    tx: np.ndarray,
    T: np.ndarray,
    r: float,
    alpha: float,
    a: float,
    b: float,
) -> np.ndarray:
    """Equation (10) of Fader, Hardie and Lee (2005), vectorised over t and customers."""
    c = a + b + x - 1
    z = t / (alpha + T + t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_hyp = np.log(hyp2f1(r + x, b + x, c, z))
        # For heavy buyers 2F1 overflows; Euler's transformation gives the same value finitely.
        alt = np.log(hyp2f1(a + b - 1 - r, a - 1, c, z)) + (a - 1 - r - x) * np.log1p(-z)
    log_hyp = np.where(np.isfinite(log_hyp), log_hyp, alt)
    numerator = (c / (a - 1)) * (
        -np.expm1(log_hyp + (r + x) * np.log((alpha + T) / (alpha + T + t)))
    )
    # Divided by 1 + odds of having dropped out after the last purchase (P(alive) below).
    ratio = ((alpha + T) / (alpha + tx)) ** (r + x)
    odds_dead = (x > 0) * a / (b + np.maximum(x, 1) - 1) * ratio
    return numerator / (1 + odds_dead)


# --- Gamma-Gamma ----------------------------------------------------------------------------


def _gamma_gamma_loglik(
    log_params: np.ndarray, x: np.ndarray, m: np.ndarray
) -> tuple[float, np.ndarray]:
    """Total Gamma-Gamma log-likelihood of the mean spends m of x transactions, and gradient.

    Density of the mean of x Gamma(p, nu) spends with nu ~ Gamma(q, v) (Fader, Hardie and Lee
    2005b; Hardie's note 025, eq. 1a).
    """
    p, q, v = np.exp(log_params)
    px = p * x
    log_xmv = np.log(x * m + v)
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_xmv
    )
    psi = digamma(px + q)
    d_p = x * (psi - digamma(px) + np.log(m) + np.log(x) - log_xmv)
    d_q = psi - digamma(q) + np.log(v) - log_xmv
    d_v = q / v - (px + q) / (x * m + v)
    grad = np.array([d_p.sum() * p, d_q.sum() * q, d_v.sum() * v])
    return float(ll.sum()), grad


class GammaGammaModel(_MaximumLikelihoodModel):
    """Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee 2005b).

    Each transaction's value is Gamma(p, nu) around the customer's own mean p / nu, with
    nu ~ Gamma(q, v) across customers; spend is assumed independent of purchase frequency.
    A scikit-learn estimator, like :class:`BetaGeoModel`.

    Parameters
    ----------
    penalizer, maxiter, tol, on_nonconvergence
        As for :class:`BetaGeoModel` (no time rescaling here; the penalty is the same as
        ``lifetimes.GammaGammaFitter(penalizer_coef=penalizer)``).

    Attributes
    ----------
    params_ : dict
        ``p``, ``q``, ``v`` (v, called gamma in the paper, is in currency units).
    log_likelihood_ : float
        Total log-likelihood of the repeat customers at ``params_``, without the penalty.
    converged_ : bool
        Whether the optimiser reported success.
    n_customers_ : int
        Number of customers used in the fit (those with ``frequency > 0``).

    Examples
    --------
    >>> from helpers.cdnow import load_cdnow
    >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
    ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
    >>> gg = GammaGammaModel().fit(rfm["frequency"], rfm["monetary_value"])
    >>> {k: round(v, 2) for k, v in gg.params_.items()}  # Fader, Hardie and Lee (2005b)
    {'p': 6.25, 'q': 3.74, 'v': 15.44}
    """

    _param_names = ("p", "q", "v")
    _shape_params = ("p", "q")

    def fit(self, frequency: ArrayLike, monetary_value: ArrayLike) -> GammaGammaModel:
        """Estimate p, q, v from the repeat customers' transaction counts and mean spends.

        Parameters
        ----------
        frequency : array-like
            Number of repeat transactions. Customers with 0 are ignored: they have no spend
            that the model describes.
        monetary_value : array-like
            Mean spend per repeat transaction; must be positive where ``frequency > 0``.

        Returns
        -------
        GammaGammaModel
            ``self``, fitted.
        """
        self._start_fit()
        x, m = _check_spend(frequency, monetary_value)
        repeat = x > 0
        if not repeat.any():
            raise ValueError("column 'frequency' has no customer with a repeat purchase (> 0)")
        x, m = x[repeat], m[repeat]
        log_params = self._minimise(lambda p: _gamma_gamma_loglik(p, x, m), len(x), np.zeros(3))
        p, q, v = np.exp(log_params)
        self.params_ = {"p": float(p), "q": float(q), "v": float(v)}
        self.log_likelihood_, _ = _gamma_gamma_loglik(log_params, x, m)
        self.n_customers_ = int(len(x))
        return self

    def conditional_expected_average_spend(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> float | np.ndarray | pd.Series:
        """Expected spend per future transaction given x transactions of mean spend m.

        E[Z | x, m] = (v p + p x m) / (p x + q - 1): a weighted average of the population mean
        v p / (q - 1) and the customer's own mean (equation 5 of Hardie's note 025). For a
        customer with no repeat purchase it is the population mean.

        Parameters
        ----------
        frequency : array-like
            Number of repeat transactions.
        monetary_value : array-like
            Mean spend per repeat transaction (any value where ``frequency`` is 0).

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            Expected spend per transaction, in the currency of ``monetary_value``.

        Raises
        ------
        ValueError
            If the fitted ``q`` is at most 1, where the population mean does not exist.

        Examples
        --------
        >>> from helpers.cdnow import load_cdnow
        >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
        ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
        >>> gg = GammaGammaModel().fit(rfm["frequency"], rfm["monetary_value"])
        >>> round(gg.conditional_expected_average_spend(0, 0.0), 2)  # population mean
        35.17
        """
        p, q, v = self._params()
        x, m = _check_spend(frequency, monetary_value)
        denominator = p * x + q - 1
        if (denominator <= 0).any():
            raise ValueError(
                f"the fitted q = {q:.3g} <= 1 leaves the expected spend undefined for "
                "customers with few transactions; refit with a penalizer"
            )
        return _shape_like((v * p + p * x * m) / denominator, frequency, monetary_value)

    def clv(
        self,
        bgnbd_model: BetaGeoModel,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        monetary_value: ArrayLike,
        *,
        horizon: int = 12,
        discount_rate: float = 0.01,
        margin: float = 1.0,
        time_unit_days: float = 7.0,
    ) -> float | np.ndarray | pd.Series:
        """Discounted expected value of each customer's purchases over the next months.

        CLV = margin * E[Z | x, m] * sum_{k=1..horizon} (E[Y(k M)] - E[Y((k-1) M)]) /
        (1 + discount_rate)^k, where E[Y(t)] is the BG/NBD conditional expectation and M is
        one month (365.25 / 12 days) in model time units. Each month's expected purchases are
        thus discounted as if paid at the end of that month, as in lifetimes'
        ``customer_lifetime_value`` (which takes a month as 4.345 weeks or 30 days, so its
        figures differ by well under 1%).

        Parameters
        ----------
        bgnbd_model : BetaGeoModel
            A fitted purchase model, in the time unit ``time_unit_days``.
        frequency, recency, T, monetary_value : array-like
            The customers' histories (``monetary_value`` is the mean repeat spend).
        horizon : int, default 12
            Number of months. This and the options below are keyword-only.
        discount_rate : float, default 0.01
            Monthly discount rate (0.01 is about 12.7% a year).
        margin : float, default 1
            Share of spend kept as profit, in [0, 1]; 1 gives a revenue CLV.
        time_unit_days : float, default 7
            Length of the BG/NBD time unit in days.

        Returns
        -------
        float, numpy.ndarray or pandas.Series
            CLV in the currency of ``monetary_value``.

        Examples
        --------
        >>> from helpers.cdnow import load_cdnow
        >>> rfm = summary_from_transactions(load_cdnow("sample"), customer_col="customer_id",
        ...     date_col="date", amount_col="amount", calibration_end="1997-09-30")
        >>> gg = GammaGammaModel().fit(rfm["frequency"], rfm["monetary_value"])
        >>> bg = BetaGeoModel().fit(rfm["frequency"], rfm["recency"], rfm["T"])
        >>> round(gg.clv(bg, 2, 30.43, 38.86, 22.35, horizon=12, margin=0.3), 2)
        10.89
        """
        if not isinstance(bgnbd_model, BetaGeoModel):
            raise ValueError(
                f"bgnbd_model must be a fitted BetaGeoModel, got {type(bgnbd_model).__name__}"
            )
        r, alpha, a, b = bgnbd_model._params()
        if int(horizon) != horizon or horizon < 1:
            raise ValueError(f"horizon must be a whole number of months >= 1, got {horizon!r}")
        if require_finite_number(discount_rate, "discount_rate") < 0:
            raise ValueError(f"discount_rate must be a non-negative number, got {discount_rate!r}")
        _check_margin(margin)
        require_positive_number(time_unit_days, "time_unit_days")
        spend = np.atleast_1d(self.conditional_expected_average_spend(frequency, monetary_value))
        x, tx, age = _check_rft(frequency, recency, T)
        months = np.arange(int(horizon) + 1, dtype=float)[:, None]
        cumulative = _conditional_expected(
            months * DAYS_PER_MONTH / time_unit_days, x, tx, age, r, alpha, a, b
        )
        per_month = np.diff(cumulative, axis=0)
        discounted = (per_month / (1 + discount_rate) ** months[1:]).sum(axis=0)
        result = margin * np.asarray(spend, dtype=float) * discounted
        return _shape_like(result, frequency, recency, T, monetary_value)


def _check_spend(frequency: ArrayLike, monetary_value: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x = _as_array(frequency, "frequency")
    m = _as_array(monetary_value, "monetary_value")
    if x.shape != m.shape and x.size != 1 and m.size != 1:
        raise ValueError(
            f"columns 'frequency' and 'monetary_value' must have the same length, got "
            f"{len(x)} and {len(m)}"
        )
    x, m = np.broadcast_arrays(x, m)
    _check_nonnegative(x, "frequency")
    if (x != np.round(x)).any():
        raise ValueError("column 'frequency' must hold whole numbers of repeat purchases")
    bad = (x > 0) & (m <= 0)
    if bad.any():
        raise ValueError(
            f"column 'monetary_value' is <= 0 for {int(bad.sum())} customer(s) with repeat "
            "purchases; the Gamma-Gamma model needs positive spend (drop returns/zero orders)"
        )
    return x, m


def _check_margin(margin: float) -> None:
    if not 0 <= require_finite_number(margin, "margin") <= 1:
        raise ValueError(f"margin must be a share of revenue between 0 and 1, got {margin!r}")


# --- the back-of-the-envelope formula -------------------------------------------------------


def simple_clv(
    aov: ArrayLike, purchase_frequency: ArrayLike, lifespan: ArrayLike, margin: ArrayLike
) -> float | np.ndarray:
    """Back-of-the-envelope CLV: average order value x frequency x lifespan x margin.

    No discounting and no customer-level uncertainty: a benchmark for the BG/NBD + Gamma-Gamma
    CLV, which predicts each customer from their own history.

    Parameters
    ----------
    aov : float or array-like
        Average order value, in currency per order.
    purchase_frequency : float or array-like
        Orders per unit of time (e.g. per year).
    lifespan : float or array-like
        Expected customer lifespan in the same unit of time (e.g. years).
    margin : float or array-like
        Share of revenue kept as profit, between 0 and 1 (1 for a revenue CLV).

    Returns
    -------
    float or numpy.ndarray
        CLV in currency per customer.

    Examples
    --------
    >>> simple_clv(50.0, 4.0, 3.0, 0.25)  # 50 per order, 4 orders a year, 3 years, 25% margin
    150.0
    """
    arrays = []
    for values, name in (
        (aov, "aov"),
        (purchase_frequency, "purchase_frequency"),
        (lifespan, "lifespan"),
        (margin, "margin"),
    ):
        arr = _as_array(values, name)
        _check_nonnegative(arr, name)
        arrays.append(arr)
    if (arrays[3] > 1).any():
        raise ValueError("column 'margin' must be a share of revenue between 0 and 1")
    try:
        result = arrays[0] * arrays[1] * arrays[2] * arrays[3]
    except ValueError as exc:
        raise ValueError(
            "columns 'aov', 'purchase_frequency', 'lifespan' and 'margin' must have one length"
        ) from exc
    if all(np.ndim(v) == 0 for v in (aov, purchase_frequency, lifespan, margin)):
        return float(result[0])
    return result


def repeat_purchase_tracking(
    orders: pd.DataFrame,
    model: BetaGeoModel | NBDModel,
    *,
    calibration_end: str | pd.Timestamp,
    observation_end: str | pd.Timestamp,
    customers: ArrayLike | None = None,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
) -> pd.DataFrame:
    """Actual and expected repeat purchases of the whole customer base, week by week.

    A customer's purchase days after the first count as repeat purchases (same-day orders are
    one, as in :func:`summary_from_transactions`). The model's expectation for a customer first
    seen ``t`` weeks before a day is E[X(t)], summed over customers by first-purchase day: the
    *unconditional* forecast that ignores what each customer did. Weeks are counted from the
    day after ``calibration_end`` both ways, so the periods after it are exactly the holdout
    (the last one may be shorter than a week: see ``days``).

    Parameters
    ----------
    orders : pandas.DataFrame
        One row per order.
    model : fitted BetaGeoModel or NBDModel, in weeks
    calibration_end, observation_end : date-like
        Last day the model saw; last day of the data.
    customers : array-like, optional
        The customers to follow (e.g. those acquired by ``calibration_end``); default all.
    customer_col, date_col : str
        Columns of the customer id and order date.

    Returns
    -------
    pandas.DataFrame
        ``period_end`` (last day of the period), ``days`` (its length), ``actual`` and
        ``model`` (repeat purchases in the period).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 1, 2], "invoice_date": pd.to_datetime(
    ...     ["2025-01-01", "2025-01-10", "2025-01-20", "2025-01-02"])})
    >>> nbd = NBDModel()
    >>> nbd.params_ = {"r": 1.0, "alpha": 7.0}  # one purchase a week
    >>> table = repeat_purchase_tracking(orders, nbd, calibration_end="2025-01-14",
    ...                                  observation_end="2025-01-28")
    >>> table["actual"].tolist(), table["days"].tolist()
    ([0, 1, 1, 0], [7, 7, 7, 7])
    """
    cal_end, end = pd.Timestamp(calibration_end), pd.Timestamp(observation_end)
    days = orders[[customer_col, date_col]].assign(day=orders[date_col].dt.normalize())
    days = days.drop_duplicates([customer_col, "day"])
    if customers is not None:
        days = days[days[customer_col].isin(pd.Index(customers))]
    first = days.groupby(customer_col)["day"].transform("min")
    origin = first.min()
    repeat_days = np.sort((days.loc[days["day"] > first, "day"] - origin).dt.days.to_numpy())
    first_days = (days.groupby(customer_col)["day"].min() - origin).dt.days.value_counts()
    start = (cal_end - origin).days + 1  # the first holdout day
    stop = (end - origin).days + 1  # the day after the data
    bounds = np.unique(np.r_[0, np.arange(start, 0, -7), np.arange(start, stop, 7), stop])

    def expected(day: int) -> float:
        age_weeks = np.clip(day - first_days.index.to_numpy(), 0, None) / 7
        return float(first_days.to_numpy() @ np.atleast_1d(
            model.expected_number_of_purchases_up_to_time(age_weeks)))

    actual = np.diff(np.searchsorted(repeat_days, bounds, side="left"))
    model_cum = np.array([expected(b) for b in bounds])
    return pd.DataFrame({
        "period_end": origin + pd.to_timedelta(bounds[1:] - 1, unit="D"),
        "days": np.diff(bounds), "actual": actual, "model": np.diff(model_cum)})
