"""Randomised campaigns: treated vs control, incremental revenue, ROI and their uncertainty.

A randomised campaign splits eligible customers at random into a *treated* group (they get the
e-mail) and a *control* or holdout group (they do not). Because the split is random, the
control group shows what the treated group would have done without the e-mail, so

* incremental revenue per customer = mean revenue of the treated - mean revenue of the control,
* incremental revenue (total) = incremental revenue per customer x number of treated customers,
* ROI = (incremental revenue x margin - cost) / cost.

Uncertainty comes from two tools: a percentile **bootstrap** (``scipy.stats.bootstrap``:
resample customers within each group, recompute, keep the middle 95 %) for revenue and ROI, and
the **two-proportion z-test** for the difference in conversion rates. Intervals take a
``confidence_level`` (default ``constants.CONFIDENCE_LEVEL``), bootstraps ``n_resamples``.

>>> import pandas as pd
>>> log = pd.DataFrame({"variant": ["email", "email", "holdout", "holdout"],
...                     "converted_30d": [1, 0, 0, 0], "revenue_30d": [30.0, 0.0, 10.0, 0.0]})
>>> float(incremental_revenue(log)["incremental_per_customer"])  # 30 / 2 - 10 / 2
10.0
>>> roi(incremental_revenue=1_000.0, margin=0.3, cost=200.0)  # (1000 x 0.3 - 200) / 200
0.5
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import norm

from .constants import CONFIDENCE_LEVEL, CONVERTED_30D, DEFAULT_SEED, REVENUE_30D, VARIANT
from .evaluation import percentile_bootstrap
from .validation import (
    require_columns,
    require_confidence_level,
    require_frame,
    require_numeric,
)

__all__ = [
    "DISPLAY_NAMES",
    "GROUP_COL",
    "TREATMENT",
    "CONTROL",
    "CONVERTED_COL",
    "REVENUE_COL",
    "campaign_summary",
    "incremental_revenue",
    "roi",
    "bootstrap_campaign",
    "two_proportion_ztest",
    "conversion_test",
    "sample_size_per_group",
    "sample_size_per_group_mean",
    "roi_decision",
    "ROI_DECISIONS",
]

#: Business names of the columns of :func:`campaign_summary`, for tables a marketer reads.
DISPLAY_NAMES: dict[str, str] = {
    "customers": "Customers",
    "converters": "Converters",
    "conversion_rate": "Conversion rate",
    "revenue": "Revenue (£)",
    "revenue_per_customer": "£ per customer",
    "revenue_per_converter": "£ per converter",
}

#: Column and labels of the course's campaign table (``load_processed("campaign")``).
GROUP_COL = VARIANT
TREATMENT = "email"
CONTROL = "holdout"
CONVERTED_COL = CONVERTED_30D
REVENUE_COL = REVENUE_30D


def _groups(
    log: pd.DataFrame, group_col: str, treatment: str, control: str, columns: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check the campaign log and split it into (treated, control) rows."""
    log = require_frame(log, name="campaign log")
    require_columns(log, [group_col, *columns], name="campaign log")
    labels = set(log[group_col].dropna().unique())
    for label, role in ((treatment, "treatment"), (control, "control")):
        if label not in labels:
            raise ValueError(
                f"column '{group_col}' has no {role} rows labelled {label!r}; "
                f"labels found: {sorted(map(str, labels))}"
            )
    if log[group_col].isna().any():
        raise ValueError(
            f"column '{group_col}' has {int(log[group_col].isna().sum())} missing group label(s)"
        )
    for column in columns:
        values = require_numeric(log, column, name="campaign log")
        if values.isna().any():
            raise ValueError(
                f"column '{column}' of campaign log has {int(values.isna().sum())} missing "
                "value(s); a customer without an outcome must be 0, not missing"
            )
        if (values < 0).any():
            raise ValueError(
                f"column '{column}' of campaign log has {int((values < 0).sum())} negative "
                "value(s)"
            )
    return log.loc[log[group_col] == treatment], log.loc[log[group_col] == control]


def _check_converted(values: pd.Series, column: str) -> None:
    if not values.isin([0, 1]).all():
        raise ValueError(f"column '{column}' must hold 0/1 (or False/True) conversion flags")


def campaign_summary(
    log: pd.DataFrame,
    *,
    group_col: str = GROUP_COL,
    treatment: str = TREATMENT,
    control: str = CONTROL,
    converted_col: str = CONVERTED_COL,
    revenue_col: str = REVENUE_COL,
) -> pd.DataFrame:
    """Customers, conversion rate and revenue per customer of the treated and control groups.

    Parameters
    ----------
    log : pandas.DataFrame
        One row per customer in the campaign (both groups), with the outcome window's
        conversion flag (0/1) and revenue (0 for customers who did not buy).
    group_col, treatment, control : str
        The column holding the group and the labels of the two groups.
    converted_col, revenue_col : str
        Conversion flag and revenue columns.

    Returns
    -------
    pandas.DataFrame
        Index ``[treatment, control]``; columns ``customers``, ``converters``,
        ``conversion_rate``, ``revenue``, ``revenue_per_customer`` and
        ``revenue_per_converter`` (NaN when a group has no converter).

    Examples
    --------
    >>> log = pd.DataFrame({"variant": ["email", "email", "holdout"],
    ...                     "converted_30d": [1, 0, 1], "revenue_30d": [30.0, 0.0, 10.0]})
    >>> campaign_summary(log)["revenue_per_customer"].tolist()
    [15.0, 10.0]
    """
    treated, controls = _groups(log, group_col, treatment, control, [converted_col, revenue_col])
    rows = {}
    for label, part in ((treatment, treated), (control, controls)):
        converted = part[converted_col].astype(float)
        _check_converted(converted, converted_col)
        revenue = part[revenue_col].astype(float)
        converters = int(converted.sum())
        rows[label] = {
            "customers": len(part),
            "converters": converters,
            "conversion_rate": converted.mean(),
            "revenue": revenue.sum(),
            "revenue_per_customer": revenue.mean(),
            "revenue_per_converter": revenue.sum() / converters if converters else np.nan,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = group_col
    return out


def incremental_revenue(
    log: pd.DataFrame,
    *,
    group_col: str = GROUP_COL,
    treatment: str = TREATMENT,
    control: str = CONTROL,
    revenue_col: str = REVENUE_COL,
) -> pd.Series:
    """Incremental revenue of the treatment: per treated customer and in total.

    incremental per customer = mean(revenue | treated) - mean(revenue | control);
    incremental total = incremental per customer x number of treated customers.

    Returns
    -------
    pandas.Series
        ``treated_per_customer``, ``control_per_customer``, ``incremental_per_customer``,
        ``treated_customers`` and ``incremental_total``.

    Examples
    --------
    >>> log = pd.DataFrame({"variant": ["email", "email", "holdout", "holdout"],
    ...                     "revenue_30d": [30.0, 0.0, 10.0, 0.0]})
    >>> float(incremental_revenue(log)["incremental_total"])  # 10 per customer x 2 treated
    20.0
    """
    treated, controls = _groups(log, group_col, treatment, control, [revenue_col])
    t_mean = float(treated[revenue_col].astype(float).mean())
    c_mean = float(controls[revenue_col].astype(float).mean())
    return pd.Series(
        {
            "treated_per_customer": t_mean,
            "control_per_customer": c_mean,
            "incremental_per_customer": t_mean - c_mean,
            "treated_customers": float(len(treated)),
            "incremental_total": (t_mean - c_mean) * len(treated),
        }
    )


def roi(
    incremental_revenue: float | ArrayLike, margin: float, cost: float
) -> float | np.ndarray:
    """Return on investment: (incremental revenue x margin - cost) / cost.

    ROI = 0 means the campaign's extra profit just paid for it; ROI = 1 means every pound spent
    came back with a pound of profit on top; a negative ROI is a loss.

    Parameters
    ----------
    incremental_revenue : float or array-like
        Total incremental revenue (currency), e.g. ``incremental_revenue(log)
        ["incremental_total"]``, or an array of bootstrap replicates.
    margin : float
        Share of revenue kept as profit, between 0 and 1 (product margin net of fulfilment).
    cost : float
        Total campaign cost (currency), > 0.

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> roi(1_000.0, margin=0.3, cost=200.0)
    0.5
    """
    try:
        margin = float(margin)
        cost = float(cost)
    except (TypeError, ValueError) as exc:
        raise ValueError("margin and cost must be numbers") from exc
    if not 0 <= margin <= 1:
        raise ValueError(f"margin must be a share of revenue between 0 and 1, got {margin!r}")
    if not math.isfinite(cost) or cost <= 0:
        raise ValueError(f"cost must be a positive amount, got {cost!r}: ROI divides by it")
    values = np.asarray(incremental_revenue, dtype=float)
    if np.isnan(values).any():
        raise ValueError("incremental_revenue has missing (NaN) value(s)")
    result = (values * margin - cost) / cost
    return float(result) if result.ndim == 0 else result


def bootstrap_campaign(
    log: pd.DataFrame,
    *,
    margin: float,
    cost: float,
    group_col: str = GROUP_COL,
    treatment: str = TREATMENT,
    control: str = CONTROL,
    revenue_col: str = REVENUE_COL,
    n_resamples: int = 2_000,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | None = DEFAULT_SEED,
) -> pd.DataFrame:
    """Percentile bootstrap intervals for incremental revenue and ROI.

    Each resample draws, with replacement, as many treated customers as there are from the
    treated group and as many control customers from the control group (a stratified bootstrap:
    group sizes, hence the campaign's cost, stay fixed), and recomputes incremental revenue per
    customer, its total and the ROI. The interval is the ``(1 - confidence_level) / 2`` and
    ``(1 + confidence_level) / 2`` quantiles of the resamples: ``scipy.stats.bootstrap`` with
    ``method="percentile"`` and ``rng=np.random.default_rng(random_state)``, the two groups as
    two samples (see :func:`helpers.evaluation.percentile_bootstrap`).

    Parameters
    ----------
    log : pandas.DataFrame
        Campaign log, one row per customer.
    margin, cost : float
        As for :func:`roi` (``cost`` is the campaign's total cost).
    group_col, treatment, control, revenue_col : str
        Columns and labels, as for :func:`incremental_revenue`.
    n_resamples : int, default 2000
        Number of bootstrap resamples (at least ``constants.MIN_BOOTSTRAP_RESAMPLES``).
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the interval.
    random_state : int, default ``constants.DEFAULT_SEED``
        Seed: the same seed gives the same interval.

    Returns
    -------
    pandas.DataFrame
        Rows ``incremental_per_customer``, ``incremental_total`` and ``roi``; columns
        ``estimate`` (on the data as observed), ``lower``, ``upper`` and ``std_error`` (the
        resamples' standard deviation).

    Examples
    --------
    >>> log = pd.DataFrame({"variant": ["email"] * 3 + ["holdout"] * 3,
    ...                     "revenue_30d": [10.0, 10.0, 10.0, 4.0, 4.0, 4.0]})
    >>> bootstrap_campaign(log, margin=0.5, cost=3.0).loc["roi"].tolist()  # no variation
    [2.0, 2.0, 2.0, 0.0]
    """
    point = incremental_revenue(
        log, group_col=group_col, treatment=treatment, control=control, revenue_col=revenue_col
    )
    treated = log.loc[log[group_col] == treatment, revenue_col].to_numpy(dtype=float)
    controls = log.loc[log[group_col] == control, revenue_col].to_numpy(dtype=float)
    for label, values in ((treatment, treated), (control, controls)):
        if values.size < 2:
            raise ValueError(f"column '{group_col}' has {values.size} row(s) labelled "
                             f"{label!r}: a bootstrap needs at least two customers per group")

    def statistic(t: np.ndarray, c: np.ndarray, axis: int = -1) -> np.ndarray:
        per_customer = t.mean(axis=axis) - c.mean(axis=axis)
        total = per_customer * treated.size
        return np.stack([per_customer, total, roi(total, margin, cost)])

    interval = percentile_bootstrap((treated, controls), statistic, n_resamples=n_resamples,
                                    confidence_level=confidence_level, random_state=random_state)
    total = point["incremental_total"]
    estimates = [point["incremental_per_customer"], total, roi(total, margin, cost)]
    return pd.DataFrame(
        {
            "estimate": np.asarray(estimates, dtype=float),
            "lower": np.asarray(interval.low, dtype=float),
            "upper": np.asarray(interval.high, dtype=float),
            "std_error": np.asarray(interval.standard_error, dtype=float),
        },
        index=["incremental_per_customer", "incremental_total", "roi"],
    )


def two_proportion_ztest(
    successes_treated: int,
    n_treated: int,
    successes_control: int,
    n_control: int,
    *,
    confidence_level: float = CONFIDENCE_LEVEL,
) -> pd.Series:
    """Two-sided z-test for a difference between two proportions, with its Wald interval.

    With p1 = x1 / n1, p2 = x2 / n2 and the pooled rate p = (x1 + x2) / (n1 + n2):

    * z = (p1 - p2) / sqrt(p (1 - p) (1 / n1 + 1 / n2))  (the standard error under H0: p1 = p2),
    * p-value = 2 (1 - Phi(|z|)),
    * interval = (p1 - p2) -/+ z_crit sqrt(p1 (1 - p1) / n1 + p2 (1 - p2) / n2)  (unpooled).

    The normal approximation needs a handful of successes and failures in each group; with
    fewer than 5 of either, use an exact test instead.

    Parameters
    ----------
    successes_treated, n_treated, successes_control, n_control : int
        Converters and customers of each group.
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the interval (``z_crit`` is the normal's ``(1 + confidence_level) / 2``
        quantile).

    Returns
    -------
    pandas.Series
        ``rate_treated``, ``rate_control``, ``difference``, ``z``, ``p_value``, ``lower``,
        ``upper``.

    Examples
    --------
    >>> out = two_proportion_ztest(60, 200, 40, 200)  # 30% vs 20%
    >>> out[["z", "p_value"]].round(4).tolist()
    [2.3094, 0.0209]
    """
    counts = {
        "successes_treated": successes_treated,
        "n_treated": n_treated,
        "successes_control": successes_control,
        "n_control": n_control,
    }
    for name, value in counts.items():
        try:
            whole = float(value).is_integer() and not isinstance(value, bool)
        except (TypeError, ValueError):
            whole = False
        if not whole or value < 0:
            raise ValueError(f"{name} must be a non-negative whole number, got {value!r}")
    if n_treated == 0 or n_control == 0:
        raise ValueError("n_treated and n_control must be positive: a group is empty")
    if successes_treated > n_treated or successes_control > n_control:
        raise ValueError("successes cannot exceed the number of customers in a group")
    confidence_level = require_confidence_level(confidence_level)
    p1, p2 = successes_treated / n_treated, successes_control / n_control
    pooled = (successes_treated + successes_control) / (n_treated + n_control)
    if pooled in (0.0, 1.0):
        raise ValueError(
            "every customer converted or none did: the difference cannot be tested"
        )
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_treated + 1 / n_control))
    z = (p1 - p2) / se_pooled
    se = math.sqrt(p1 * (1 - p1) / n_treated + p2 * (1 - p2) / n_control)
    z_crit = float(norm.ppf((1 + confidence_level) / 2))
    return pd.Series(
        {
            "rate_treated": p1,
            "rate_control": p2,
            "difference": p1 - p2,
            "z": z,
            "p_value": float(2 * norm.sf(abs(z))),
            "lower": p1 - p2 - z_crit * se,
            "upper": p1 - p2 + z_crit * se,
        }
    )


def conversion_test(
    log: pd.DataFrame,
    *,
    group_col: str = GROUP_COL,
    treatment: str = TREATMENT,
    control: str = CONTROL,
    converted_col: str = CONVERTED_COL,
    confidence_level: float = CONFIDENCE_LEVEL,
) -> pd.Series:
    """:func:`two_proportion_ztest` on a campaign log's conversion flags.

    Parameters
    ----------
    log : pandas.DataFrame
        Campaign log, one row per customer.
    group_col, treatment, control, converted_col : str
        Columns and labels, as for :func:`campaign_summary`.
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of the interval.

    Examples
    --------
    >>> log = pd.DataFrame({"variant": ["email"] * 200 + ["holdout"] * 200,
    ...     "converted_30d": [1] * 60 + [0] * 140 + [1] * 40 + [0] * 160})
    >>> conversion_test(log)[["rate_treated", "rate_control", "difference"]].round(2).tolist()
    [0.3, 0.2, 0.1]
    """
    treated, controls = _groups(log, group_col, treatment, control, [converted_col])
    for part in (treated, controls):
        _check_converted(part[converted_col].astype(float), converted_col)
    return two_proportion_ztest(
        int(treated[converted_col].sum()),
        len(treated),
        int(controls[converted_col].sum()),
        len(controls),
        confidence_level=confidence_level,
    )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _test_quantiles(alpha: float, power: float) -> tuple[float, float]:
    """Check a test's settings; return ``z_(1 - alpha/2)`` and ``z_power``."""
    for name, value in (("alpha", alpha), ("power", power)):
        if not _is_number(value) or not 0 < value < 1:
            raise ValueError(f"{name} must be a number strictly between 0 and 1, got {value!r}")
    return float(norm.ppf(1 - alpha / 2)), float(norm.ppf(power))


def sample_size_per_group(
    base_rate: float,
    uplift: float,
    *,
    alpha: float = 0.05,
    power: float = 0.80,
) -> int:
    """Customers needed in each group to detect a conversion uplift with a two-sided z-test.

    With control rate p1 = ``base_rate``, treated rate p2 = p1 + ``uplift`` and
    p = (p1 + p2) / 2 (Fleiss, Levin and Paik, *Statistical Methods for Rates and
    Proportions*, section 4.2, without continuity correction):

    n = (z_(1 - alpha/2) sqrt(2 p (1 - p)) + z_power sqrt(p1 (1 - p1) + p2 (1 - p2)))^2
    / (p2 - p1)^2, rounded up.

    Parameters
    ----------
    base_rate : float
        Conversion rate expected without the campaign (strictly between 0 and 1).
    uplift : float
        The smallest difference in conversion rate worth detecting, in rate points (0.02 for
        two percentage points); ``base_rate + uplift`` must stay between 0 and 1.
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.80
        Probability of detecting an uplift of that size when it is real.

    Returns
    -------
    int
        Customers per group (treated and control alike).

    Examples
    --------
    >>> sample_size_per_group(0.10, 0.05)  # 10% -> 15%, 5% level, 80% power
    686
    >>> sample_size_per_group(0.10, 0.01) > 10_000  # a small uplift needs many customers
    True
    """
    z_alpha, z_power = _test_quantiles(alpha, power)
    if not _is_number(base_rate) or not 0 < base_rate < 1:
        raise ValueError(
            f"base_rate must be a number strictly between 0 and 1, got {base_rate!r}")
    if not _is_number(uplift) or uplift == 0 or not 0 < base_rate + uplift < 1:
        raise ValueError(
            f"uplift must be non-zero and keep base_rate + uplift between 0 and 1, got {uplift!r}"
        )
    p1, p2 = base_rate, base_rate + uplift
    p_bar = (p1 + p2) / 2
    root = z_alpha * math.sqrt(2 * p_bar * (1 - p_bar)) + z_power * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(root**2 / (p2 - p1) ** 2)


def sample_size_per_group_mean(
    sd: float,
    difference: float,
    *,
    alpha: float = 0.05,
    power: float = 0.80,
) -> int:
    """Customers needed in each group to detect a difference in a mean (revenue per customer).

    For an outcome with standard deviation ``sd`` in both groups, a two-sided z-test at level
    ``alpha`` detects a true difference ``difference`` between the group means with
    probability ``power`` when each group has

    n = 2 (z_(1 - alpha/2) + z_power)^2 sd^2 / difference^2 customers, rounded up.

    It is the revenue counterpart of :func:`sample_size_per_group` (conversion rates). Revenue
    per customer is skewed (most customers spend 0), so its ``sd`` is large and so is ``n``.

    Parameters
    ----------
    sd : float
        Standard deviation of the outcome per customer (e.g. 30-day revenue, in pounds),
        estimated from a past campaign or the same period of an earlier year; > 0.
    difference : float
        The smallest difference in the mean worth detecting (same unit as ``sd``), non-zero.
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.80
        Probability of detecting a difference of that size when it is real.

    Returns
    -------
    int
        Customers per group (treated and control alike).

    Examples
    --------
    >>> sample_size_per_group_mean(sd=100.0, difference=10.0)  # 2 x 2.8016^2 x 100 = 1569.8
    1570
    >>> sample_size_per_group_mean(sd=100.0, difference=5.0)  # half the effect, 4x the test
    6280
    """
    z_alpha, z_power = _test_quantiles(alpha, power)
    if not _is_number(sd) or not math.isfinite(sd) or sd <= 0:
        raise ValueError(f"sd must be a positive number, got {sd!r}")
    if not _is_number(difference) or not math.isfinite(difference) or difference == 0:
        raise ValueError(f"difference must be a non-zero number, got {difference!r}")
    return math.ceil(2 * (z_alpha + z_power) ** 2 * sd**2 / difference**2)


#: What :func:`roi_decision` returns, and what each answer means for the campaign.
ROI_DECISIONS = {
    "pays": "the whole interval is above 0: the campaign is proven to pay",
    "loses money": "the whole interval is below 0: the campaign is proven to lose money",
    "not proven": "the interval contains 0: the test cannot tell a profit from a loss",
}


def roi_decision(lower: float, upper: float) -> str:
    """Read a confidence interval for the ROI as a decision.

    The interval, not the point estimate, decides: ``"pays"`` when its lower end is above 0
    (break-even), ``"loses money"`` when its upper end is below 0, and ``"not proven"`` when
    it contains 0. See ``ROI_DECISIONS`` for a sentence on each.

    Parameters
    ----------
    lower, upper : float
        Ends of the ROI's confidence interval, e.g. from :func:`bootstrap_campaign`.

    Returns
    -------
    str
        ``"pays"``, ``"loses money"`` or ``"not proven"``.

    Examples
    --------
    >>> roi_decision(0.2, 1.5), roi_decision(-2.8, 3.8), roi_decision(-1.0, -0.1)
    ('pays', 'not proven', 'loses money')
    """
    try:
        lower, upper = float(lower), float(upper)
    except (TypeError, ValueError) as exc:
        raise ValueError("lower and upper must be numbers") from exc
    if not (math.isfinite(lower) and math.isfinite(upper)):
        raise ValueError(f"the interval must be finite, got ({lower!r}, {upper!r})")
    if lower > upper:
        raise ValueError(f"lower ({lower!r}) must not exceed upper ({upper!r})")
    if lower > 0:
        return "pays"
    if upper < 0:
        return "loses money"
    return "not proven"
