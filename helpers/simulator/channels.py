"""Marketing channels: weekly media spend, the true sales response and its answer key.

The media team's weekly export (spend, impressions, clicks per channel) and the weekly sales
report of notebook 10 come from one story, simulated week by week over the two years from
:data:`~helpers.constants.PERIOD_START` (104 Monday weeks):

.. math::

    \\text{sales}_t = \\text{baseline}_t
        + \\sum_c \\beta_c\\, \\text{hill}_c(\\text{adstock}_{c,t}) + \\varepsilon_t,
    \\qquad \\text{adstock}_{c,t} = \\text{spend}_{c,t} + \\lambda_c\\, \\text{adstock}_{c,t-1},

with :math:`\\text{hill}(x) = x^s / (x^s + K^s)` (shape :math:`s`, half-saturation :math:`K`
in GBP of adstock), a baseline with trend and a November-December peak, and normal noise of
2% of the baseline. The true parameters are fixed constants (:data:`TRUE_PARAMS`); only the
spend plan, the noise and the customers are drawn from the seed. The transforms are written
out here on purpose: the simulator imports no analysis module, so the course's MMM helper is
checked against an independent implementation.

:func:`make_channels` runs the story from its own seeded stream and returns a
:class:`ChannelWorld`: the three exports (``spend``, ``sales`` and the GA4 ``sessions`` of
:mod:`helpers.simulator.journeys`) and the answer key, a :class:`ChannelTruth`: contributions,
ROI, marginal ROI, new customers by true cause, the response to any budget multipliers and the
best reallocation of the same total budget.

>>> truth = ChannelTruth(params=TRUE_PARAMS.loc[["email"]],
...                      spend=pd.DataFrame({"email": [1000.0, 0.0]}))
>>> round(truth.response({"email": 1.0}), 2)  # beta * (hill(1000) + hill(100))
7653.46
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import optimize

from ..constants import (
    CHANNEL,
    CLICKS,
    DEFAULT_SEED,
    IMPRESSIONS,
    MEDIA_CHANNELS,
    NEW_CUSTOMERS,
    PERIOD_START,
    SALES,
    SPEND,
    WEEK_START,
)
from ..validation import require_int_at_least
from .journeys import simulate_journeys

N_WEEKS = 104
#: Mean weekly baseline sales (GBP) in the first weeks, before trend and season.
BASELINE_LEVEL = 100_000.0
#: Yearly growth of the baseline (linear), and the amplitude of its yearly season.
BASELINE_TREND = 0.08
BASELINE_SEASON = 0.15
#: Day of the year on which the season peaks (1 December: the run-up to Christmas).
SEASON_PEAK_DAY = 335
#: Noise of weekly sales: normal, this share of the week's baseline.
NOISE_SHARE = 0.02
#: New customers per GBP of weekly sales (about 100 a week).
NEW_CUSTOMERS_PER_GBP = 100 / 150_000
#: Step of the central difference behind marginal ROI (relative change of a channel's spend).
MROI_STEP = 1e-4
#: The name of the non-media cause of sales and new customers.
BASELINE = "baseline"

#: The true response parameters per channel: carry-over ``decay`` (lambda), Hill
#: ``half_saturation`` (GBP of adstock) and ``shape``, and ``beta`` (GBP of weekly sales at full
#: saturation). Chosen so that the average ROI at the simulated spend is about paid_search 2.4,
#: social 1.8, display 0.9, email 6 and tv 1.5 (within a few per cent, depending on the seed),
#: with the typical adstock near the middle of each curve.
TRUE_PARAMS: pd.DataFrame = pd.DataFrame(
    {
        "decay": [0.15, 0.35, 0.45, 0.10, 0.60],
        "half_saturation": [8_000.0, 8_000.0, 10_000.0, 1_200.0, 25_000.0],
        "shape": [1.3, 1.6, 1.5, 1.2, 2.0],
        "beta": [35_500.0, 20_500.0, 12_000.0, 15_500.0, 35_500.0],
    },
    index=pd.Index(MEDIA_CHANNELS, name=CHANNEL),
)


@dataclass(frozen=True)
class _Plan:
    """How one channel's weekly spend is planned: level, flighting, season, noise, unit costs."""

    mean_spend: float  # GBP a week over the two years (zeros included)
    on_weeks: tuple[int, int]  # length range of an "on" flight, weeks
    off_weeks: tuple[int, int]  # length range of a gap; (0, 0): always on
    season: float  # extra spend in the season's peak (share)
    noise: float  # sd of the week-to-week log-normal noise
    cpm: float  # GBP per 1,000 impressions (e-mail: per 1,000 sends)
    ctr: float  # clicks per impression (tv: 0, no click trail)
    pauses: int = 0  # go-dark tests of an always-on channel (2-4 weeks at zero spend each)


_PLANS: dict[str, _Plan] = {
    # brand-search holdouts: without weeks near zero an always-on channel's ROI is not
    # identifiable (the intercept absorbs its level), and that is why marketers run them
    "paid_search": _Plan(7_000.0, (104, 104), (0, 0), 0.20, 0.30, 25.0, 0.04, pauses=3),
    "social": _Plan(5_000.0, (4, 12), (1, 4), 0.10, 0.30, 6.0, 0.009),
    "display": _Plan(6_000.0, (3, 10), (2, 6), 0.15, 0.30, 2.5, 0.0015),
    # e-mail: newsletters most weeks, with breaks of 1-3 weeks (holidays, list clean-ups)
    "email": _Plan(1_200.0, (3, 10), (1, 3), 0.25, 0.25, 8.0, 0.025),
    "tv": _Plan(9_000.0, (3, 6), (3, 9), 0.0, 0.15, 12.0, 0.0),
}
#: Length range (weeks) of a go-dark pause.
PAUSE_WEEKS = (2, 4)
#: Budget shifts per channel (a step up or down held for some months) and their factors.
N_SHIFTS = 2
SHIFT_FACTORS = (0.6, 0.7, 1.4, 1.6)
SHIFT_WEEKS = (8, 20)


# --- the true transforms -------------------------------------------------------------------
def adstock(spend: np.ndarray, decay: float) -> np.ndarray:
    """Geometric carry-over along the first axis: ``a_t = x_t + decay * a_{t-1}``, ``a_{-1}=0``.

    Examples
    --------
    >>> adstock(np.array([100.0, 0.0, 0.0]), 0.5).tolist()
    [100.0, 50.0, 25.0]
    """
    spend = np.asarray(spend, dtype=float)
    out = np.empty_like(spend)
    carry = np.zeros(spend.shape[1:])
    for t in range(len(spend)):
        carry = spend[t] + decay * carry
        out[t] = carry
    return out


def hill(x: np.ndarray, half_saturation: float, shape: float) -> np.ndarray:
    """Hill saturation ``x^shape / (x^shape + half_saturation^shape)``: 0.5 at the half point.

    Examples
    --------
    >>> hill(np.array([0.0, 2.0, 4.0]), 2.0, 1.0).tolist()
    [0.0, 0.5, 0.6666666666666666]
    """
    x = np.asarray(x, dtype=float)
    ratio = (x / half_saturation) ** shape  # scale first: no overflow for large spends
    return ratio / (1.0 + ratio)


def _hill_slope(x: np.ndarray, half_saturation: float, shape: float) -> np.ndarray:
    """d hill / dx (for the optimiser's gradient)."""
    x = np.asarray(x, dtype=float)
    ratio = (x / half_saturation) ** shape
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(x > 0, shape * ratio / (x * (1.0 + ratio) ** 2), 0.0)
    return slope


# --- the answer key ------------------------------------------------------------------------
@dataclass(frozen=True)
class ChannelTruth:
    """The answer key of the channel world: true parameters, baseline and contributions.

    Parameters
    ----------
    params : DataFrame
        Index channel; columns ``decay``, ``half_saturation``, ``shape``, ``beta``.
    spend : DataFrame
        Weekly spend (GBP), one column per channel of ``params``, one row per week.
    baseline : Series, optional
        Weekly baseline sales (GBP) by ``week_start`` (what sales would be without media).
    sales : Series, optional
        The observed weekly sales (GBP), for each channel's share of sales.
    customers_by_cause : DataFrame, optional
        New customers per week by true cause (``baseline`` and one column per channel).
    converters : DataFrame, optional
        One row per new customer of the sessions export: ``user_id``, ``cause`` (``baseline``
        or a channel), ``purchase_time``, ``store`` (bought in a store).

    Examples
    --------
    >>> spend = pd.DataFrame({"email": [1000.0] * 4, "tv": [0.0, 20000.0, 20000.0, 0.0]})
    >>> truth = ChannelTruth(params=TRUE_PARAMS.loc[["email", "tv"]], spend=spend)
    >>> truth.contributions["roi"].round(2).to_dict()
    {'email': 7.26, 'tv': 1.23}
    >>> round(truth.gain({"tv": 1.1}), 2)  # 10% more tv, e-mail unchanged
    4805.74
    """

    params: pd.DataFrame
    spend: pd.DataFrame
    baseline: pd.Series | None = None
    sales: pd.Series | None = None
    customers_by_cause: pd.DataFrame | None = None
    converters: pd.DataFrame | None = field(default=None, repr=False)

    @cached_property
    def _adstock(self) -> pd.DataFrame:
        """Each channel's weekly adstock at the simulated spend (linear in spend)."""
        columns = {c: adstock(self.spend[c].to_numpy(float), float(self.params.at[c, "decay"]))
                   for c in self.params.index}
        return pd.DataFrame(columns, index=self.spend.index)

    def _channel_response(self, channel: str, multiplier: float) -> float:
        p = self.params.loc[channel]
        curve = hill(multiplier * self._adstock[channel].to_numpy(),
                     float(p["half_saturation"]), float(p["shape"]))
        return float(p["beta"] * curve.sum())

    def _multipliers(self, multipliers: dict[str, float] | pd.Series | None) -> pd.Series:
        given = pd.Series({} if multipliers is None else dict(multipliers), dtype=float)
        unknown = sorted(set(given.index) - set(self.params.index))
        if unknown:
            raise ValueError(f"multipliers name unknown channel(s) {unknown}; channels: "
                             f"{list(self.params.index)}")
        if (given < 0).any() or not np.isfinite(given).all():
            raise ValueError("multipliers must be finite and non-negative")
        return given.reindex(self.params.index, fill_value=1.0)

    def weekly_contributions(self, multipliers: dict[str, float] | None = None) -> pd.DataFrame:
        """Each channel's true contribution (GBP) per week, one column per channel.

        Examples
        --------
        >>> truth = ChannelTruth(params=TRUE_PARAMS.loc[["email"]],
        ...                      spend=pd.DataFrame({"email": [1000.0, 0.0]}))
        >>> truth.weekly_contributions()["email"].round(1).tolist()
        [6905.6, 747.9]
        """
        m = self._multipliers(multipliers)
        out = {}
        for c in self.params.index:
            p = self.params.loc[c]
            out[c] = p["beta"] * hill(m[c] * self._adstock[c].to_numpy(),
                                      float(p["half_saturation"]), float(p["shape"]))
        return pd.DataFrame(out, index=self.spend.index)

    def response(self, multipliers: dict[str, float] | pd.Series | None = None) -> float:
        """Total true contribution (GBP, all channels, both years) with each channel's weekly
        spend scaled by ``multipliers[channel]`` (missing channels: 1.0, the simulated spend).

        Examples
        --------
        >>> truth = ChannelTruth(params=TRUE_PARAMS.loc[["email"]],
        ...                      spend=pd.DataFrame({"email": [1000.0, 0.0]}))
        >>> round(truth.response({"email": 0.0}), 2)
        0.0
        """
        m = self._multipliers(multipliers)
        return float(sum(self._channel_response(c, m[c]) for c in self.params.index))

    def gain(self, multipliers: dict[str, float] | pd.Series | None = None) -> float:
        """True change in total contribution (GBP) from the multipliers: ``response(m) -
        response()``.

        Examples
        --------
        >>> truth = ChannelTruth(params=TRUE_PARAMS.loc[["email"]],
        ...                      spend=pd.DataFrame({"email": [1000.0, 0.0]}))
        >>> truth.gain({"email": 1.0})
        0.0
        """
        return self.response(multipliers) - self.response()

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """Per channel: ``spend`` and ``contribution`` (GBP over the two years), ``roi``
        (contribution per GBP), ``mroi`` (d contribution / d spend when all the channel's weekly
        spend is scaled by 1 + eps; central difference), ``incremental_customers`` (new
        customers whose true cause is the channel) and ``share`` (of total sales; of total
        baseline plus contributions when no sales are given)."""
        rows = {}
        total = self._total_sales()
        for c in self.params.index:
            spend = float(self.spend[c].sum())
            contribution = self._channel_response(c, 1.0)
            up = self._channel_response(c, 1.0 + MROI_STEP)
            down = self._channel_response(c, 1.0 - MROI_STEP)
            customers = (float(self.customers_by_cause[c].sum())
                         if self.customers_by_cause is not None else np.nan)
            rows[c] = {
                "spend": spend,
                "contribution": contribution,
                "roi": contribution / spend if spend > 0 else np.nan,
                "mroi": (up - down) / (2 * MROI_STEP * spend) if spend > 0 else np.nan,
                "incremental_customers": customers,
                "share": contribution / total if total > 0 else np.nan,
            }
        table = pd.DataFrame.from_dict(rows, orient="index")
        table.index.name = CHANNEL
        return table

    def _total_sales(self) -> float:
        if self.sales is not None:
            return float(self.sales.sum())
        base = float(self.baseline.sum()) if self.baseline is not None else 0.0
        return base + self.response()

    def best_reallocation(self, max_shift: float = 0.5) -> pd.DataFrame:
        """The reallocation of the same total budget that maximises the true total contribution.

        Each channel's weekly spend is scaled by a multiplier ``m_c`` (its weekly pattern kept)
        with ``1 - max_shift <= m_c <= 1 + max_shift`` and ``sum_c m_c S_c = sum_c S_c``. Solved
        with SciPy's SLSQP (analytic gradient) from several starting points; the best solution
        is kept.

        Parameters
        ----------
        max_shift : float, default 0.5
            How far a channel's budget may move, as a share of its current budget; in [0, 1).

        Returns
        -------
        DataFrame
            Index channel; ``spend``, ``new_spend`` (GBP over the two years), ``multiplier``,
            ``contribution``, ``new_contribution`` (GBP).

        Raises
        ------
        ValueError
            If ``max_shift`` is not a number in [0, 1).

        Examples
        --------
        >>> spend = pd.DataFrame({"email": [1000.0] * 4, "tv": [0.0, 20000.0, 20000.0, 0.0]})
        >>> truth = ChannelTruth(params=TRUE_PARAMS.loc[["email", "tv"]], spend=spend)
        >>> plan = truth.best_reallocation(max_shift=0.2)
        >>> plan["multiplier"].round(3).tolist()  # e-mail's marginal GBP earns more than tv's
        [1.2, 0.98]
        """
        max_shift = _require_max_shift(max_shift)
        channels = list(self.params.index)
        budget = self.spend[channels].sum().to_numpy(float)
        m = self._optimal_multipliers(budget, max_shift)
        table = pd.DataFrame(
            {
                "spend": budget,
                "new_spend": m * budget,
                "multiplier": m,
                "contribution": [self._channel_response(c, 1.0) for c in channels],
                "new_contribution": [self._channel_response(c, x)
                                     for c, x in zip(channels, m, strict=True)],
            },
            index=pd.Index(channels, name=CHANNEL),
        )
        return table

    def _optimal_multipliers(self, budget: np.ndarray, max_shift: float) -> np.ndarray:
        channels = list(self.params.index)
        n = len(channels)
        active = budget > 0
        if max_shift == 0 or active.sum() < 2:
            return np.ones(n)
        scale = max(self.response(), 1.0)  # objective of order 1: SLSQP's tolerances fit
        stock = [self._adstock[c].to_numpy() for c in channels]
        p = self.params

        def value(m: np.ndarray) -> float:
            return -sum(p.at[c, "beta"] * hill(m[i] * stock[i], p.at[c, "half_saturation"],
                                               p.at[c, "shape"]).sum()
                        for i, c in enumerate(channels)) / scale

        def gradient(m: np.ndarray) -> np.ndarray:
            return -np.array([p.at[c, "beta"] * (stock[i] * _hill_slope(
                m[i] * stock[i], p.at[c, "half_saturation"], p.at[c, "shape"])).sum()
                for i, c in enumerate(channels)]) / scale

        share = budget / budget.sum()
        bounds = [(1 - max_shift, 1 + max_shift) if a else (1.0, 1.0) for a in active]
        constraint = {"type": "eq", "fun": lambda m: share @ m - 1.0, "jac": lambda m: share}
        best_m, best_v = np.ones(n), value(np.ones(n))
        for start in _feasible_starts(share, active, max_shift):
            result = optimize.minimize(value, start, jac=gradient, method="SLSQP",
                                       bounds=bounds, constraints=[constraint],
                                       options={"maxiter": 500, "ftol": 1e-12})
            m = np.clip(result.x, [b[0] for b in bounds], [b[1] for b in bounds])
            # keep only solutions that honour the budget (the solver may stop early)
            if abs(share @ m - 1.0) < 1e-7 and value(m) < best_v:
                best_m, best_v = m, value(m)
        return best_m


def _feasible_starts(share: np.ndarray, active: np.ndarray, max_shift: float
                     ) -> list[np.ndarray]:
    """All ones, and for each pair of active channels the budget moved fully from one to the
    other (as far as the bounds allow): S-shaped curves can have several local optima."""
    n = len(share)
    starts = [np.ones(n)]
    idx = np.flatnonzero(active)
    for i in idx:
        for j in idx:
            if i == j:
                continue
            m = np.ones(n)
            move = min(max_shift * share[i], max_shift * share[j])  # budget share moved
            m[i] += move / share[i]
            m[j] -= move / share[j]
            starts.append(m)
    return starts


def _require_max_shift(max_shift: object) -> float:
    if isinstance(max_shift, bool) or not isinstance(max_shift, (int, float, np.number)):
        raise ValueError(f"max_shift must be a number in [0, 1), got {max_shift!r}")
    value = float(max_shift)
    if not 0.0 <= value < 1.0:
        raise ValueError(f"max_shift must be in [0, 1) (a share of each channel's budget), "
                         f"got {max_shift!r}")
    return value


# --- the weekly world ----------------------------------------------------------------------
def weeks() -> pd.DatetimeIndex:
    """The 104 Monday week starts from ``PERIOD_START``.

    Examples
    --------
    >>> w = weeks()
    >>> len(w), str(w[0].date()), w[0].day_name()
    (104, '2024-01-01', 'Monday')
    """
    index = pd.date_range(PERIOD_START, periods=N_WEEKS, freq="7D", name=WEEK_START)
    return index.as_unit("s")  # the unit of every date in the channel exports


def _season(index: pd.DatetimeIndex) -> np.ndarray:
    """Yearly cycle in [-1, 1] that peaks on ``SEASON_PEAK_DAY`` (mid-week day of year)."""
    day = (index + pd.Timedelta(days=3)).day_of_year.to_numpy()
    return np.cos(2 * np.pi * (day - SEASON_PEAK_DAY) / 365.25)


def baseline_sales(index: pd.DatetimeIndex) -> pd.Series:
    """The true weekly baseline (GBP): level, linear trend and the yearly season.

    Examples
    --------
    >>> b = baseline_sales(weeks())
    >>> bool(b.idxmax().month in (11, 12)), bool(b.iloc[-1] > b.iloc[0])
    (True, True)
    """
    years = np.arange(len(index)) / 52.0
    values = BASELINE_LEVEL * (1 + BASELINE_TREND * years) * (1 + BASELINE_SEASON * _season(index))
    return pd.Series(values, index=index, name="baseline")


def _flights(rng: np.random.Generator, plan: _Plan, n: int) -> np.ndarray:
    """On/off weeks: alternating flights and gaps of random length, starting at random."""
    if plan.off_weeks == (0, 0):
        return np.ones(n, dtype=bool)
    on = np.zeros(n, dtype=bool)
    t = int(rng.integers(0, plan.off_weeks[1] + 1))
    while t < n:
        length = int(rng.integers(plan.on_weeks[0], plan.on_weeks[1] + 1))
        on[t:t + length] = True
        t += length + int(rng.integers(plan.off_weeks[0], plan.off_weeks[1] + 1))
    return on


def _pauses(rng: np.random.Generator, n_pauses: int, n: int) -> np.ndarray:
    """Go-dark weeks: ``n_pauses`` pauses of 2-4 weeks, one in each equal part of the period
    (so they never overlap)."""
    dark = np.zeros(n, dtype=bool)
    edges = np.linspace(0, n, n_pauses + 1).astype(int)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        length = int(rng.integers(PAUSE_WEEKS[0], PAUSE_WEEKS[1] + 1))
        start = int(rng.integers(lo, hi - length + 1))
        dark[start:start + length] = True
    return dark


def _shifts(rng: np.random.Generator, n: int) -> np.ndarray:
    """Budget shifts: ``N_SHIFTS`` steps up or down, each held for 8-20 weeks."""
    factor = np.ones(n)
    for _ in range(N_SHIFTS):
        length = int(rng.integers(SHIFT_WEEKS[0], SHIFT_WEEKS[1] + 1))
        start = int(rng.integers(0, n - length + 1))
        factor[start:start + length] *= SHIFT_FACTORS[int(rng.integers(len(SHIFT_FACTORS)))]
    return factor


def draw_spend(rng: np.random.Generator, index: pd.DatetimeIndex) -> pd.DataFrame:
    """Weekly spend (GBP, rounded to pence), one column per media channel.

    Each channel: its flighting, its own share of the season, two budget shifts and
    log-normal week-to-week noise, scaled to the plan's mean weekly spend.
    """
    n = len(index)
    season = _season(index)
    columns = {}
    for channel in MEDIA_CHANNELS:
        plan = _PLANS[channel]
        on = _flights(rng, plan, n) & ~_pauses(rng, plan.pauses, n)
        level = (1 + plan.season * season) * _shifts(rng, n)
        noise = np.exp(rng.normal(-0.5 * plan.noise**2, plan.noise, n))
        raw = on * level * noise
        columns[channel] = np.round(raw * plan.mean_spend * n / raw.sum(), 2)
    return pd.DataFrame(columns, index=index)


def _reach(rng: np.random.Generator, spend: pd.DataFrame) -> pd.DataFrame:
    """Long spend table with impressions (e-mail: sends) and clicks (tv: none)."""
    frames = []
    for channel in MEDIA_CHANNELS:
        plan = _PLANS[channel]
        cost = spend[channel].to_numpy()
        cpm = plan.cpm * np.exp(rng.normal(0.0, 0.08, len(cost)))  # prices move week to week
        impressions = np.round(cost / cpm * 1000).astype(np.int64)
        clicks = rng.binomial(impressions, plan.ctr).astype(np.int64)
        frames.append(pd.DataFrame({WEEK_START: spend.index, CHANNEL: channel, SPEND: cost,
                                    IMPRESSIONS: impressions, CLICKS: clicks}))
    table = pd.concat(frames, ignore_index=True)
    table[CHANNEL] = table[CHANNEL].astype("str")
    return table.sort_values([WEEK_START, CHANNEL], kind="stable").reset_index(drop=True)


@dataclass
class WeeklyWorld:
    """The weekly part of the channel world (what the early notebook sections need)."""

    spend: pd.DataFrame  # long
    sales: pd.DataFrame
    truth: ChannelTruth


def simulate_weeks(rng: np.random.Generator) -> WeeklyWorld:
    """Spend, reach, sales, new customers and their causes, week by week (in this order)."""
    index = weeks()
    spend = draw_spend(rng, index)
    long = _reach(rng, spend)
    base = baseline_sales(index)
    truth = ChannelTruth(params=TRUE_PARAMS.copy(), spend=spend, baseline=base)
    effects = truth.weekly_contributions()
    expected = base + effects.sum(axis=1)
    sales = np.round(expected + rng.normal(0.0, NOISE_SHARE * base.to_numpy()), 2)
    new = rng.poisson(NEW_CUSTOMERS_PER_GBP * sales.to_numpy())
    causes = pd.concat([base.rename(BASELINE), effects], axis=1)
    probs = causes.to_numpy() / causes.to_numpy().sum(axis=1, keepdims=True)
    counts = np.array([rng.multinomial(k, p) for k, p in zip(new, probs, strict=True)])
    by_cause = pd.DataFrame(counts, index=index, columns=causes.columns)
    weekly = pd.DataFrame({WEEK_START: index, SALES: sales.to_numpy(),
                           NEW_CUSTOMERS: new.astype(np.int64)})
    truth = ChannelTruth(params=TRUE_PARAMS.copy(), spend=spend, baseline=base,
                         sales=pd.Series(sales.to_numpy(), index=index, name=SALES),
                         customers_by_cause=by_cause)
    return WeeklyWorld(spend=long, sales=weekly, truth=truth)


# --- the whole channel world ---------------------------------------------------------------
#: The channel world's own stream: ``SeedSequence([seed, CHANNEL_STREAM])``, so that adding it
#: left the retailer's draws (``default_rng(seed)``) and its default data byte-identical.
CHANNEL_STREAM = 1014


@dataclass
class ChannelWorld:
    """The channel world of one seed: the three exports and the answer key.

    Attributes
    ----------
    spend : DataFrame
        The media team's export, long: ``week_start``, ``channel``, ``spend`` (GBP),
        ``impressions`` (e-mail: sends), ``clicks`` (0 for tv).
    sales : DataFrame
        The weekly sales report: ``week_start``, ``sales`` (GBP), ``new_customers``.
    sessions : DataFrame
        The GA4 sessions export: ``user_id``, ``session_start``, ``source``, ``medium``,
        ``campaign``, ``converted``.
    truth : ChannelTruth
        The answer key (only for grading).
    seed : int
    """

    spend: pd.DataFrame
    sales: pd.DataFrame
    sessions: pd.DataFrame
    truth: ChannelTruth
    seed: int

    def tables(self) -> dict[str, pd.DataFrame]:
        """The three exports by name: ``spend``, ``sales``, ``sessions``."""
        return {"spend": self.spend, "sales": self.sales, "sessions": self.sessions}


def make_channels(*, seed: int = DEFAULT_SEED) -> ChannelWorld:
    """Simulate the channel world of notebook 10: weekly spend, sales, GA4 sessions, answer key.

    Parameters
    ----------
    seed : int, default 42
        Seed (a non-negative integer) of the world's own stream
        ``SeedSequence([seed, 1014])``: the same seed gives the same tables, byte for byte,
        and the retailer of :func:`make_retailer` is not touched.

    Returns
    -------
    ChannelWorld

    Raises
    ------
    ValueError
        If ``seed`` is not a non-negative integer.

    Examples
    --------
    >>> world = make_channels(seed=42)
    >>> world.spend.shape, world.sales.shape
    ((520, 5), (104, 3))
    >>> world.truth.contributions["roi"].round(1).to_dict()
    {'paid_search': 2.4, 'social': 1.8, 'display': 0.9, 'email': 6.0, 'tv': 1.5}
    """
    seed = require_int_at_least(seed, "seed", minimum=0)
    rng = np.random.default_rng(np.random.SeedSequence([seed, CHANNEL_STREAM]))
    weekly = simulate_weeks(rng)
    # journeys come last, so that their draws never move the weekly tables
    sessions, converters = simulate_journeys(rng, weekly.spend, weekly.truth.customers_by_cause)
    truth = ChannelTruth(params=weekly.truth.params, spend=weekly.truth.spend,
                         baseline=weekly.truth.baseline, sales=weekly.truth.sales,
                         customers_by_cause=weekly.truth.customers_by_cause,
                         converters=converters)
    return ChannelWorld(spend=weekly.spend, sales=weekly.sales, sessions=sessions, truth=truth,
                        seed=seed)
