"""A marketing-mix model: weekly sales = baseline + one saturating, carried-over curve per channel.

The model
---------
.. math::

    \\text{sales}_t = \\underbrace{\\gamma_0 + \\gamma_1 t + \\sum_{k=1}^{F}
    (\\gamma_{2k} \\sin 2\\pi k d_t + \\gamma_{2k+1} \\cos 2\\pi k d_t)}_{\\text{baseline}}
    + \\sum_c \\beta_c \\, \\text{hill}(\\text{adstock}(\\text{spend}_c; \\lambda_c); K_c, s_c)
    + \\varepsilon_t

with :math:`t` in years since the first week, :math:`d_t` the share of the year gone and
:math:`F` pairs of yearly Fourier terms (the season). Each channel has four parameters: the
carry-over ``decay`` :math:`\\lambda_c`, the ``half_saturation`` :math:`K_c` (GBP of adstock), the
``shape`` :math:`s_c` of its Hill curve and ``beta`` :math:`\\beta_c`, the most it could add to a
week's sales.

How it is fitted, and why
-------------------------
All parameters are fitted together by non-linear least squares
(``scipy.optimize.least_squares``, trust-region reflective, with the exact Jacobian) within
bounds: decay in ``[0, max_decay]``, shape in ``shape_bounds``, half-saturation between 1/20 and
20 times the channel's typical weekly spend on air, beta >= 0. It starts from 12 deterministic
points (decays 0.1, 0.4, 0.7 x half-saturations 0.7 and 2 times the typical spend x shapes 1
and 2; for each, the baseline and the betas are the linear least-squares answer, with
non-negative betas) and keeps the best. On 104 weeks and 5 channels a fit takes a fraction of a
second.

Why not let the data speak alone? Two years of weekly data are 104 numbers, and the model has
4 parameters a channel. The data show the *slope* of a channel's curve around its usual spend
well (the marginal ROI), but its *level* (the ROI) needs the curve all the way down to zero
spend: only weeks off air show it, and where a channel always spends the intercept absorbs any
level. Left alone, least squares overfits: it finds curves that explain the noise better than
the true ones. So the fit is *penalised*: two ridge terms pull
``log(half_saturation / typical spend)`` towards 0 (the usual spend sits in the middle of the
curve) and ``log(shape)`` towards 0 (no threshold, unless the data show one), with standard
deviations ``half_saturation_prior_sd`` and ``shape_prior_sd``. This is ridge regression on the
transform parameters, or equally a maximum a-posteriori fit with those priors (what Bayesian
MMM tools such as Meridian or PyMC-Marketing do with a full posterior). The penalty is scaled by
the residual standard deviation of an unpenalised first fit, so it weighs like a few weeks of
data and fades where the data are strong (TV in bursts, display with many weeks off air).

What it buys, on the course's simulator (seeds 0-9 and 42): if paid search never paused,
plain least squares would miss its ROI by 55 % on average (up to 185 %) and the penalised fit
by 39 % (up to 77 %): no method finds a level the data do not show, which is why the
simulated media team pauses brand search for a few weeks (a go-dark test) and why MMMs are
calibrated with experiments. With those pauses (the simulator's data), the largest ROI error
over the 11 seeds is 23 % either way, but the reallocation computed from the penalised fit
reaches about 95 % or more of the true optimum's gain (plain least squares: 84 %). The
alternative the issue mentions, ridge regression over transformed spend with the transform
parameters chosen by time-series cross-validation, is the same idea with the transform
parameters searched on a grid instead of fitted. Time-series cross-validation (fit on the first
65, 78 or 91 weeks, predict the next 13) chose one Fourier pair for the season
(``n_fourier=1``) on seeds 42, 3 and 9; use 2 or 3 when the season has a sharper peak.

Intervals
---------
ROI and marginal ROI get percentile intervals from a moving-block bootstrap of the residuals:
blocks of ``block_length`` weeks of the fitted model's residuals are drawn with replacement
(blocks keep the weeks' autocorrelation), added to the fitted sales, and the model is refitted
from its own estimates (a warm start: a handful of iterations each). The intervals carry the
noise of the data, not the model's own assumptions nor the pull of the penalty: if the model
is wrong (a missing channel, a wrong season) they are too narrow. On the simulator (5 channels,
seeds 0-9 and 42) the 95 % intervals held the true ROI in 49 of 55 cases and the true marginal
ROI in 51 of 55. That is why MMMs are calibrated with experiments.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeResult, least_squares, nnls
from scipy.signal import lfilter
from scipy.special import expit
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from ..constants import CHANNEL, CONFIDENCE_LEVEL, DEFAULT_SEED, SALES, WEEK_START
from ..validation import (
    require_confidence_level,
    require_int_at_least,
    require_n_resamples,
    require_number_at_least,
)
from .weekly import validate_weekly

__all__ = ["MarketingMixModel", "PARAM_COLUMNS"]

#: The columns of ``MarketingMixModel.params_`` (as the simulator's ``ChannelTruth.params``).
PARAM_COLUMNS = ("decay", "half_saturation", "shape", "beta")
#: Relative step of the central difference behind marginal ROI.
MROI_STEP = 1e-3
#: Bounds of the half-saturation relative to the channel's typical (on-air) weekly spend, and of
#: beta relative to mean weekly sales: wide enough never to bind on sensible data.
_K_BOUNDS = (0.05, 20.0)
_BETA_MAX = 5.0
_DAYS_PER_YEAR = 365.25
#: Adstock below this share of the typical weekly spend counts as zero (see ``_on_air``).
_ZERO_ADSTOCK = 1e-12


def _adstock_columns(X: np.ndarray, decay: np.ndarray) -> np.ndarray:
    """Geometric adstock of each column with its own decay (a recursive filter, in C)."""
    out = np.empty_like(X)
    for j in range(X.shape[1]):
        out[:, j] = lfilter([1.0], [1.0, -decay[j]], X[:, j])
    return out


def _on_air(A: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Weeks whose adstock counts as positive. A decay near 0 leaves subnormal leftovers such
    as ``spend * 1e-300`` in later weeks; their logarithms and powers would overflow, and their
    Hill value is below 1e-5 for any shape allowed, so they count as zero."""
    return A > _ZERO_ADSTOCK * ref


def _hill_columns(A: np.ndarray, K: np.ndarray, shape: np.ndarray,
                  ref: np.ndarray | None = None) -> np.ndarray:
    """Hill curve of each column; 0 where the adstock is (numerically) 0."""
    positive = _on_air(A, K if ref is None else ref)
    safe = np.where(positive, A, K)
    # 1 / (1 + (K / A)^s) written as the logistic of s * log(A / K): finite for every A > 0.
    return np.where(positive, expit(shape * (np.log(safe) - np.log(K))), 0.0)


def baseline_features(dates: pd.DatetimeIndex, origin: pd.Timestamp, n_fourier: int) -> np.ndarray:
    """Intercept, years since ``origin`` and ``n_fourier`` yearly sine/cosine pairs.

    Examples
    --------
    >>> weeks = pd.date_range("2024-01-01", periods=3, freq="7D")
    >>> baseline_features(weeks, weeks[0], 1).round(3)
    array([[1.   , 0.   , 0.   , 1.   ],
           [1.   , 0.019, 0.12 , 0.993],
           [1.   , 0.038, 0.239, 0.971]])
    """
    years = (dates - origin).days.to_numpy() / _DAYS_PER_YEAR
    season = (dates.day_of_year.to_numpy() - 1) / _DAYS_PER_YEAR
    columns = [np.ones(len(dates)), years]
    for k in range(1, n_fourier + 1):
        columns += [np.sin(2 * np.pi * k * season), np.cos(2 * np.pi * k * season)]
    return np.column_stack(columns)


class _Problem:
    """The least-squares problem on scaled data: residuals and their exact Jacobian.

    Parameters are stacked as ``[decay (C), K / ref (C), shape (C), beta / scale (C), baseline
    coefficients / scale (P)]``; sales are divided by their mean (``scale``) so every number is
    of order one.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, B: np.ndarray, ref: np.ndarray,
                 scale: float, model: MarketingMixModel) -> None:
        self.X, self.B, self.ref, self.scale = X, B, ref, scale
        self.y = y / scale
        self.C = X.shape[1]
        C, P = self.C, B.shape[1]
        low_shape, high_shape = model.shape_bounds
        self.lower = np.r_[np.zeros(C), np.full(C, _K_BOUNDS[0]), np.full(C, low_shape),
                           np.zeros(C), np.full(P, -np.inf)]
        self.upper = np.r_[np.full(C, model.max_decay), np.full(C, _K_BOUNDS[1]),
                           np.full(C, high_shape), np.full(C, _BETA_MAX), np.full(P, np.inf)]
        self.k_sd = model.half_saturation_prior_sd
        self.shape_sd = model.shape_prior_sd
        self.sigma = 0.0  # weight of the penalty; 0 = plain least squares

    def split(self, theta: np.ndarray) -> tuple[np.ndarray, ...]:
        C = self.C
        return theta[:C], theta[C:2 * C], theta[2 * C:3 * C], theta[3 * C:4 * C], theta[4 * C:]

    def curves(self, theta: np.ndarray, X: np.ndarray | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        decay, k_rel, shape, _, _ = self.split(theta)
        A = _adstock_columns(self.X if X is None else X, decay)
        return A, _hill_columns(A, k_rel * self.ref, shape, self.ref)

    def predict(self, theta: np.ndarray) -> np.ndarray:
        _, _, _, beta, gamma = self.split(theta)
        return self.B @ gamma + self.curves(theta)[1] @ beta

    def penalty(self, theta: np.ndarray) -> np.ndarray:
        _, k_rel, shape, _, _ = self.split(theta)
        return self.sigma * np.r_[np.log(k_rel) / self.k_sd, np.log(shape) / self.shape_sd]

    def residuals(self, theta: np.ndarray, y: np.ndarray | None = None) -> np.ndarray:
        r = (self.y if y is None else y) - self.predict(theta)
        return np.r_[r, self.penalty(theta)] if self.sigma > 0 else r

    def jacobian(self, theta: np.ndarray, y: np.ndarray | None = None) -> np.ndarray:
        decay, k_rel, shape, beta, _ = self.split(theta)
        A, H = self.curves(theta)
        K = k_rel * self.ref
        C = self.C
        # d adstock_t / d decay = adstock_{t-1} + decay * d adstock_{t-1} / d decay
        lagged = np.vstack([np.zeros((1, C)), A[:-1]])
        dA = _adstock_columns(lagged, decay)
        positive = _on_air(A, self.ref)
        safe = np.where(positive, A, K)
        slope = H * (1.0 - H)  # d hill / d log(A / K)^shape, 0 off air
        d_decay = beta * np.where(positive, slope * shape / safe, 0.0) * dA
        d_k = beta * (-slope * shape / K) * self.ref
        d_shape = beta * np.where(positive, slope * (np.log(safe) - np.log(K)), 0.0)
        # A safety net: a non-finite derivative (an extreme start) must not stop the solver.
        J = -np.nan_to_num(np.hstack([d_decay, d_k, d_shape, H, self.B]), nan=0.0,
                           posinf=0.0, neginf=0.0)
        if self.sigma <= 0:
            return J
        rows = np.zeros((2 * C, J.shape[1]))
        idx = np.arange(C)
        rows[idx, C + idx] = self.sigma / (self.k_sd * k_rel)
        rows[C + idx, 2 * C + idx] = self.sigma / (self.shape_sd * shape)
        return np.vstack([J, rows])

    def linear_start(self, decay: float, k_rel: float, shape: float) -> np.ndarray:
        """Transform parameters as given; baseline and non-negative betas by least squares."""
        C = self.C
        theta = np.r_[np.full(C, decay), np.full(C, k_rel), np.full(C, shape),
                      np.zeros(C), np.zeros(self.B.shape[1])]
        H = self.curves(theta)[1]
        Q, _ = np.linalg.qr(self.B)  # profile the baseline out, then NNLS for the betas
        beta, _ = nnls(H - Q @ (Q.T @ H), self.y - Q @ (Q.T @ self.y))
        beta = np.minimum(beta, 0.5 * _BETA_MAX)
        gamma = np.linalg.lstsq(self.B, self.y - H @ beta, rcond=None)[0]
        theta[3 * C:4 * C], theta[4 * C:] = beta, gamma
        return np.clip(theta, self.lower + 1e-9, self.upper - 1e-9)

    def solve(self, start: np.ndarray, y: np.ndarray | None = None,
              max_nfev: int | None = None) -> OptimizeResult:
        return least_squares(self.residuals, start, jac=self.jacobian, bounds=(self.lower,
                             self.upper), method="trf", x_scale="jac", args=(y,),
                             max_nfev=max_nfev)


class MarketingMixModel(BaseEstimator):
    """Weekly sales = trend + season + one adstocked, saturating curve per channel.

    Fitted by penalised non-linear least squares; see the module's docstring for the model,
    why it is fitted this way, and what its intervals mean.

    Parameters
    ----------
    n_fourier : int, default 1
        Pairs of yearly sine/cosine terms in the baseline (1 is a single smooth yearly cycle;
        use 2 or 3 for a sharper peak, compare them on held-out weeks).
    max_decay : float, default 0.9
        Upper bound of each channel's carry-over.
    shape_bounds : (float, float), default (0.5, 3.0)
        Bounds of the Hill shape.
    half_saturation_prior_sd : float, default 1.0
        Standard deviation of the penalty on ``log(half_saturation / typical weekly spend)``;
        larger trusts the data more (``float("inf")`` switches this penalty off).
    shape_prior_sd : float, default 0.5
        Standard deviation of the penalty on ``log(shape)``.
    block_length : int, default 4
        Weeks per block in the bootstrap of :meth:`roi`.

    Attributes
    ----------
    params_ : DataFrame
        Index channel; columns ``decay``, ``half_saturation`` (GBP of adstock), ``shape``,
        ``beta`` (GBP a week).
    baseline_coef_ : Series
        Intercept (GBP a week), trend (GBP a week per year), then the Fourier coefficients.
    spend_cols_, target_col_, date_col_ : the columns fitted on.
    residual_sd_ : float
        Standard deviation of the residuals (GBP a week).
    r_squared_ : float
        Share of the weekly sales' variance the model explains.

    Examples
    --------
    >>> from helpers.mmm import geometric_adstock, hill_saturation
    >>> rng = np.random.default_rng(0)
    >>> weeks = pd.date_range("2024-01-01", periods=104, freq="7D")
    >>> tv = rng.gamma(2.0, 5_000.0, 104) * (rng.random(104) < 0.5)
    >>> effect = 30_000 * hill_saturation(geometric_adstock(tv, 0.5), half_saturation=12_000,
    ...                                   shape=1.0)
    >>> weekly = pd.DataFrame({"week_start": weeks, "tv": tv,
    ...                        "sales": 100_000 + effect + rng.normal(0, 1_000, 104)})
    >>> model = MarketingMixModel().fit(weekly, spend_cols=["tv"])
    >>> true_roi = effect.sum() / tv.sum()
    >>> bool(abs(model.roi(weekly, n_resamples=100).loc["tv", "roi"] / true_roi - 1) < 0.1)
    True
    """

    def __init__(
        self,
        *,
        n_fourier: int = 1,
        max_decay: float = 0.9,
        shape_bounds: tuple[float, float] = (0.5, 3.0),
        half_saturation_prior_sd: float = 1.0,
        shape_prior_sd: float = 0.5,
        block_length: int = 4,
    ) -> None:
        self.n_fourier = n_fourier
        self.max_decay = max_decay
        self.shape_bounds = shape_bounds
        self.half_saturation_prior_sd = half_saturation_prior_sd
        self.shape_prior_sd = shape_prior_sd
        self.block_length = block_length

    # --- fitting ---------------------------------------------------------------------------
    def _check_settings(self) -> None:
        require_int_at_least(self.n_fourier, "n_fourier", minimum=0)
        decay = require_number_at_least(self.max_decay, "max_decay", 0.0)
        if decay >= 1:
            raise ValueError(f"max_decay must be in [0, 1), got {self.max_decay!r}")
        low, high = (float(v) for v in self.shape_bounds)
        if not 0 < low < high:
            raise ValueError(f"shape_bounds must be (low, high) with 0 < low < high, got "
                             f"{self.shape_bounds!r}")
        for name in ("half_saturation_prior_sd", "shape_prior_sd"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        require_int_at_least(self.block_length, "block_length", minimum=1)

    def fit(
        self,
        weekly: pd.DataFrame,
        *,
        spend_cols: Sequence[str],
        target_col: str = SALES,
        date_col: str = WEEK_START,
    ) -> MarketingMixModel:
        """Fit the model on a wide weekly table (one row per week, one column per channel).

        Parameters
        ----------
        weekly : DataFrame
            Week starts, spend per channel (GBP) and the target (sales, GBP), e.g.
            :func:`helpers.mmm.weekly_spend_table` merged with the weekly sales.
        spend_cols : sequence of str
            The channels' spend columns.
        target_col : str, default ``constants.SALES``
        date_col : str, default ``constants.WEEK_START``

        Returns
        -------
        MarketingMixModel
            ``self``, fitted.
        """
        self._check_settings()
        spend_cols = list(spend_cols)
        dates, X, y = validate_weekly(weekly, spend_cols=spend_cols, target_col=target_col,
                                      date_col=date_col)
        n_params = 4 * len(spend_cols) + 2 + 2 * self.n_fourier
        if len(y) < n_params + 10:
            raise ValueError(f"weekly has {len(y)} weeks, too few for {n_params} parameters "
                             f"(need at least {n_params + 10})")
        self.spend_cols_, self.target_col_, self.date_col_ = spend_cols, target_col, date_col
        self.origin_ = dates[0]
        # Kept for the bootstrap, which refits on the same weeks.
        self._fit_dates_, self._fit_spend_, self._fit_target_ = dates, X, y
        # The typical week on air: what the half-saturation is measured against.
        self.reference_spend_ = np.array([X[X[:, j] > 0, j].mean() for j in range(X.shape[1])])
        self.scale_ = float(np.mean(np.abs(y))) or 1.0
        problem = self._problem(dates, X, y)
        starts = [problem.linear_start(*point) for point in
                  itertools.product((0.1, 0.4, 0.7), (0.7, 2.0), (1.0, 2.0))]
        # An unpenalised fit from a middle start measures the noise that weighs the penalty.
        first = problem.solve(problem.linear_start(0.4, 1.0, 1.0))
        # (an infinite prior sd makes its penalty 0: both infinite is plain least squares)
        problem.sigma = float(np.sqrt(2 * first.cost / len(y)))
        fits = [problem.solve(start) for start in starts]
        best = min(fits, key=lambda fit: fit.cost)
        self.theta_, self.penalty_weight_ = best.x, problem.sigma
        fitted = problem.predict(best.x) * self.scale_
        self.residuals_ = y - fitted
        self.residual_sd_ = float(np.std(self.residuals_, ddof=0))
        self.r_squared_ = float(1 - np.sum(self.residuals_**2) / np.sum((y - y.mean()) ** 2))
        decay, k_rel, shape, beta, gamma = problem.split(best.x)
        self.params_ = pd.DataFrame(
            {"decay": decay, "half_saturation": k_rel * self.reference_spend_, "shape": shape,
             "beta": beta * self.scale_},
            index=pd.Index(spend_cols, name=CHANNEL),
        )
        names = ["intercept", "trend"] + [f"{f}{k}" for k in range(1, self.n_fourier + 1)
                                          for f in ("sin", "cos")]
        self.baseline_coef_ = pd.Series(gamma * self.scale_, index=names, name="coefficient")
        return self

    def _problem(self, dates: pd.DatetimeIndex, X: np.ndarray, y: np.ndarray) -> _Problem:
        B = baseline_features(dates, self.origin_, self.n_fourier)
        return _Problem(X, y, B, self.reference_spend_, self.scale_, self)

    # --- using the fitted model ------------------------------------------------------------
    def _spend(self, weekly: pd.DataFrame) -> tuple[pd.DatetimeIndex, np.ndarray]:
        check_is_fitted(self, "params_")
        dates, X, _ = validate_weekly(weekly, spend_cols=self.spend_cols_, target_col=None,
                                      date_col=self.date_col_)
        return dates, X

    def _contributions(self, X: np.ndarray, theta: np.ndarray | None = None) -> np.ndarray:
        """Weekly contribution of each channel (GBP), weeks x channels."""
        theta = self.theta_ if theta is None else theta
        C = len(self.spend_cols_)
        decay, k_rel, shape, beta = (theta[i * C:(i + 1) * C] for i in range(4))
        A = _adstock_columns(X, decay)
        return (_hill_columns(A, k_rel * self.reference_spend_, shape, self.reference_spend_)
                * beta * self.scale_)

    def decompose(self, weekly: pd.DataFrame) -> pd.DataFrame:
        """Weekly sales split into the baseline and each channel's contribution (GBP).

        Returns
        -------
        DataFrame
            Index the week starts; columns ``baseline``, one per channel, and ``fitted`` (their
            sum).
        """
        dates, X = self._spend(weekly)
        B = baseline_features(dates, self.origin_, self.n_fourier)
        table = pd.DataFrame(self._contributions(X), index=dates, columns=self.spend_cols_)
        table.insert(0, "baseline", B @ self.baseline_coef_.to_numpy())
        table["fitted"] = table.sum(axis=1)
        return table

    def predict(self, weekly: pd.DataFrame) -> pd.Series:
        """Fitted weekly sales (GBP), indexed by week start."""
        return self.decompose(weekly)["fitted"].rename(self.target_col_)

    def _multipliers(self, multipliers: Mapping[str, float] | pd.Series | None) -> np.ndarray:
        values = dict(multipliers or {})
        unknown = sorted(set(values) - set(self.spend_cols_))
        if unknown:
            raise ValueError(f"multipliers name unknown channel(s) {unknown}; the model's "
                             f"channels are {self.spend_cols_}")
        m = np.array([float(values.get(c, 1.0)) for c in self.spend_cols_])
        if not np.isfinite(m).all() or (m < 0).any():
            raise ValueError(f"multipliers must be finite and non-negative, got {values}")
        return m

    def response(self, weekly: pd.DataFrame,
                 multipliers: Mapping[str, float] | pd.Series | None = None) -> float:
        """Total channel contribution (GBP) with each channel's weekly spend scaled.

        Parameters
        ----------
        weekly : DataFrame
            The weekly spend (the weekly pattern is kept, only its level scaled).
        multipliers : mapping channel -> float, optional
            Missing channels keep 1.0.

        Returns
        -------
        float
            Sum over weeks and channels of the modelled contributions.
        """
        _, X = self._spend(weekly)
        return float(self._contributions(X * self._multipliers(multipliers)).sum())

    def _roi_and_mroi(self, X: np.ndarray, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        total = X.sum(axis=0)
        contribution = self._contributions(X, theta).sum(axis=0)
        up = self._contributions(X * (1 + MROI_STEP), theta).sum(axis=0)
        down = self._contributions(X * (1 - MROI_STEP), theta).sum(axis=0)
        return contribution / total, (up - down) / (2 * MROI_STEP * total)

    def roi(
        self,
        weekly: pd.DataFrame,
        *,
        confidence_level: float = CONFIDENCE_LEVEL,
        n_resamples: int = 200,
        random_state: int | np.random.Generator | None = DEFAULT_SEED,
    ) -> pd.DataFrame:
        """ROI and marginal ROI per channel, with moving-block bootstrap intervals.

        ROI is the channel's modelled contribution over its spend (both summed over the weeks
        of ``weekly``); marginal ROI the extra contribution per extra GBP when all of the
        channel's weekly spend grows in proportion (a central difference). Intervals: the
        residuals of the fit are resampled in blocks of ``block_length`` weeks, added to the
        fitted sales of the fitting weeks, the model refitted from its estimates, and the
        ``(1 -+ confidence_level) / 2`` quantiles of the refits' ROI and marginal ROI kept.

        Parameters
        ----------
        weekly : DataFrame
            The weeks to evaluate on (usually the fitting table).
        confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        n_resamples : int, default 200
            Bootstrap refits (at least ``constants.MIN_BOOTSTRAP_RESAMPLES``).
        random_state : int, Generator or None, default ``constants.DEFAULT_SEED``

        Returns
        -------
        DataFrame
            Index channel; columns ``spend``, ``contribution``, ``roi``, ``roi_low``,
            ``roi_high``, ``mroi``, ``mroi_low``, ``mroi_high``.
        """
        level = require_confidence_level(confidence_level)
        n_resamples = require_n_resamples(n_resamples)
        rng = np.random.default_rng(random_state)
        _, X = self._spend(weekly)
        roi, mroi = self._roi_and_mroi(X, self.theta_)
        draws = self._bootstrap(n_resamples, rng)
        boot = np.array([np.concatenate(self._roi_and_mroi(X, theta)) for theta in draws])
        alpha = (1 - level) / 2
        low, high = np.quantile(boot, [alpha, 1 - alpha], axis=0)
        C = len(self.spend_cols_)
        return pd.DataFrame(
            {"spend": X.sum(axis=0), "contribution": roi * X.sum(axis=0), "roi": roi,
             "roi_low": low[:C], "roi_high": high[:C], "mroi": mroi, "mroi_low": low[C:],
             "mroi_high": high[C:]},
            index=pd.Index(self.spend_cols_, name=CHANNEL),
        )

    def _bootstrap(self, n_resamples: int, rng: np.random.Generator) -> list[np.ndarray]:
        """Parameter vectors refitted on block-resampled residuals (warm starts)."""
        problem = self._problem(self._fit_dates_, self._fit_spend_, self._fit_target_)
        problem.sigma = self.penalty_weight_
        fitted = problem.predict(self.theta_)
        resid = self.residuals_ / self.scale_
        resid = resid - resid.mean()
        n, L = len(resid), min(self.block_length, len(resid))
        n_blocks = -(-n // L)
        draws = []
        for _ in range(n_resamples):
            starts = rng.integers(0, n - L + 1, n_blocks)
            noise = np.concatenate([resid[s:s + L] for s in starts])[:n]
            draws.append(problem.solve(self.theta_, y=fitted + noise, max_nfev=50).x)
        return draws
