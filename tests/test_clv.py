"""Tests for helpers.clv: RFM summaries, BG/NBD, Gamma-Gamma and the simple CLV formula.

Published figures come from Fader, Hardie and Lee (2005a) "Counting your customers the easy
way" (BG/NBD on the CDNOW sample) and (2005b) "RFM and CLV: using iso-value curves"
(Gamma-Gamma on the same customers). The CDNOW files are read from the lifetimes wheel.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import OptimizeResult
from scipy.special import beta, gamma
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from helpers.cdnow import cdnow_path, load_cdnow
from helpers.clv import (
    DAYS_PER_MONTH,
    MAX_ABS_LOG_SHAPE,
    BetaGeoModel,
    ConvergenceError,
    GammaGammaModel,
    _bgnbd_loglik,
    _gamma_gamma_loglik,
    _Histories,
    _stopped_at_the_optimum,
    simple_clv,
    summary_from_transactions,
)

CALIBRATION_END = "1997-09-30"  # 39 weeks after 1997-01-01, as in the papers


def same_to_3_significant_digits(value: float, published: float) -> bool:
    return f"{value:.3g}" == f"{published:.3g}"


def cdnow_sample_summary(time_unit_days: float = 7.0) -> pd.DataFrame:
    """CDNOW sample, 39-week calibration, indexed by the sample id."""
    return summary_from_transactions(
        load_cdnow("sample"),
        customer_col="sample_id",
        date_col="date",
        amount_col="amount",
        calibration_end=CALIBRATION_END,
        time_unit_days=time_unit_days,
    )


@pytest.fixture(scope="module")
def rfm() -> pd.DataFrame:
    """CDNOW sample in weekly units."""
    return cdnow_sample_summary()


@pytest.fixture(scope="module")
def bg(rfm: pd.DataFrame) -> BetaGeoModel:
    return BetaGeoModel().fit(rfm["frequency"], rfm["recency"], rfm["T"])


@pytest.fixture(scope="module")
def gg(rfm: pd.DataFrame) -> GammaGammaModel:
    return GammaGammaModel().fit(rfm["frequency"], rfm["monetary_value"])


@pytest.fixture(scope="module")
def published_summary() -> pd.DataFrame:
    """Hardie's CDNOW sample summary (x, t_x, T, zbar to two decimals), shipped by lifetimes."""
    path = cdnow_path("sample").parent / "cdnow_customers_summary_with_transactions.csv"
    return pd.read_csv(path, index_col="ID")


# --- summary_from_transactions: hand-computed cases ------------------------------------------


@pytest.fixture()
def small_log() -> pd.DataFrame:
    """Four customers; A buys twice on day 0 (one transaction of 15), then days 14 and 28."""
    rows = [
        ("A", "2024-01-01 09:00", 10.0),
        ("A", "2024-01-01 17:30", 5.0),
        ("A", "2024-01-15", 20.0),
        ("A", "2024-01-29", 30.0),
        ("B", "2024-01-08", 50.0),
        ("C", "2024-01-10", 7.0),
        ("C", "2024-01-10", 8.0),
        ("D", "2024-01-20", 12.0),
    ]
    df = pd.DataFrame(rows, columns=["cust", "when", "spend"])
    df["when"] = pd.to_datetime(df["when"], format="ISO8601")
    return df


def summarise(df: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    return summary_from_transactions(
        df, customer_col="cust", date_col="when", amount_col="spend", **kwargs
    )


def test_summary_hand_computed(small_log: pd.DataFrame) -> None:
    s = summarise(small_log)  # period ends on the last purchase, 2024-01-29
    assert list(s.index) == ["A", "B", "C", "D"]
    assert s.index.name == "cust"
    # A: days 0 (15 = 10 + 5), 14, 28 -> 2 repeats, recency 28 d = 4 w, mean repeat (20+30)/2.
    assert s.loc["A"].tolist() == [2, 4.0, 4.0, 25.0]
    assert s.loc["B"].tolist() == [0, 0.0, 3.0, 0.0]  # 21 days before the end
    # C: two purchases on one day are one transaction, so no repeat purchase.
    assert s.loc["C", "frequency"] == 0
    assert s.loc["C", "T"] == pytest.approx(19 / 7)
    assert s.loc["D", "T"] == pytest.approx(9 / 7)
    assert s["frequency"].dtype == np.int64


def test_summary_in_days_and_with_an_earlier_observation_end(small_log: pd.DataFrame) -> None:
    s = summarise(small_log, observation_end="2024-01-20", time_unit_days=1)
    # A's purchase on the 29th is after the end: ignored.
    assert s.loc["A"].tolist() == [1, 14.0, 19.0, 20.0]
    assert s.loc["D"].tolist() == [0, 0.0, 0.0, 0.0]  # first purchase on the last day
    # An observation end after the data only lengthens T.
    later = summarise(small_log, observation_end="2024-02-05", time_unit_days=1)
    assert later.loc["B", "T"] == 28.0


def test_summary_with_calibration_and_holdout(small_log: pd.DataFrame) -> None:
    s = summarise(small_log, calibration_end="2024-01-15")
    # D first buys after the calibration end: excluded.
    assert list(s.index) == ["A", "B", "C"]
    assert s.loc["A", ["frequency", "recency", "T", "monetary_value"]].tolist() == [
        1,
        2.0,
        2.0,
        20.0,
    ]
    assert s.loc["A", ["frequency_holdout", "monetary_value_holdout"]].tolist() == [1, 30.0]
    assert s.loc["B", ["frequency_holdout", "monetary_value_holdout"]].tolist() == [0, 0.0]
    assert s.loc["B", "T"] == 1.0
    assert s.loc["C", "T"] == pytest.approx(5 / 7)
    assert (s["duration_holdout"] == 2.0).all()  # 14 days


def test_summary_without_any_repeat_purchase(small_log: pd.DataFrame) -> None:
    """Every customer bought on one day only: frequency 0 and monetary 0 for all, no error."""
    one_day = small_log[small_log["cust"].isin(["B", "C", "D"])]
    s = summarise(one_day, calibration_end="2024-01-10", observation_end="2024-01-31")
    assert list(s.index) == ["B", "C"]
    assert s["frequency"].tolist() == [0, 0] and s["monetary_value"].tolist() == [0.0, 0.0]
    assert s["frequency_holdout"].tolist() == [0, 0]
    assert s["monetary_value_holdout"].tolist() == [0.0, 0.0]
    assert s["frequency"].dtype == np.int64 and s["monetary_value"].dtype == np.float64


def test_summary_uses_the_course_columns_by_default() -> None:
    orders = pd.DataFrame({"customer_id": [1, 1], "revenue": [5.0, 7.0],
                           "invoice_date": pd.to_datetime(["2024-01-01", "2024-01-08"])})
    assert summary_from_transactions(orders).loc[1].tolist() == [1, 1.0, 1.0, 7.0]


def test_summary_keeps_the_local_calendar_day_of_aware_timestamps() -> None:
    df = pd.DataFrame(
        {
            "cust": [1, 1],
            "when": pd.to_datetime(["2024-03-01 23:30", "2024-03-08 00:15"]).tz_localize(
                "Europe/Paris"
            ),
            "spend": [1.0, 2.0],
        }
    )
    s = summarise(df, time_unit_days=1)
    assert s.loc[1].tolist() == [1, 7.0, 7.0, 2.0]


def test_summary_reproduces_hardies_cdnow_sample_summary(
    rfm: pd.DataFrame, published_summary: pd.DataFrame
) -> None:
    assert len(rfm) == 2_357
    assert (rfm["frequency"] > 0).sum() == 946
    published = published_summary.rename(columns={"T": "T_published"})
    joined = rfm.join(published, how="inner")
    assert len(joined) == 2_357
    assert (joined["frequency"] == joined["x"]).all()
    # The published file rounds to two decimals.
    for ours, theirs in [("recency", "t_x"), ("T", "T_published"), ("monetary_value", "zbar")]:
        assert np.abs(joined[ours] - joined[theirs]).max() <= 0.005 + 1e-9
    # 39 weeks of holdout: 1997-10-01 to 1998-06-30 is 273 days.
    assert (rfm["duration_holdout"] == 39.0).all()


def test_summary_matches_lifetimes_on_the_cdnow_master() -> None:
    utils = pytest.importorskip("lifetimes.utils", reason="lifetimes is the reference")
    tx = load_cdnow("master")
    ours = summary_from_transactions(
        tx, customer_col="customer_id", date_col="date", amount_col="amount"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = utils.summary_data_from_transaction_data(
            tx, "customer_id", "date", "amount", freq="D", freq_multiplier=7
        )
    assert len(ours) == 23_570
    pd.testing.assert_frame_equal(
        ours.astype(float), theirs.loc[ours.index], check_names=False, rtol=1e-12
    )


# --- summary_from_transactions: bad input ----------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda df: df.drop(columns="spend"), r"missing column\(s\) \['spend'\]"),
        (lambda df: df.assign(when=df["when"].astype(str)), "column 'when'.*must hold datetimes"),
        (lambda df: df.assign(spend=["x"] * len(df)), "column 'spend'.*must be numeric"),
        (lambda df: df.assign(spend=np.nan), "column 'spend'.*missing amount"),
        (lambda df: df.assign(cust=None), "column 'cust'.*missing customer id"),
        (lambda df: df.iloc[:0], "transactions is empty"),
    ],
)
def test_summary_rejects_bad_columns(small_log: pd.DataFrame, change, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        summarise(change(small_log))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calibration_end": "2023-12-01"}, "calibration_end 2023-12-01 must fall"),
        ({"calibration_end": "2024-01-29"}, "calibration_end .* before the end"),
        ({"calibration_end": "2024-03-01"}, "calibration_end 2024-03-01 must fall"),
        ({"calibration_end": "not a date"}, "calibration_end must be a date"),
        ({"observation_end": "2023-06-01"}, "observation_end .* before the first purchase"),
        ({"time_unit_days": 0}, "time_unit_days must be a positive number"),
    ],
)
def test_summary_rejects_period_ends_outside_the_data(
    small_log: pd.DataFrame, kwargs: dict, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        summarise(small_log, **kwargs)


# --- BG/NBD on CDNOW: published values -------------------------------------------------------


#: Largest mean score (gradient of the log-likelihood per customer, in log parameters) that
#: still counts as "at the maximum". Fits stop below 1e-7; moving any parameter of either model
#: by 0.1% from its optimum raises the score to 5e-5 or more.
AT_THE_MAXIMUM = 1e-5


def test_bgnbd_reproduces_fader_hardie_lee_2005(rfm: pd.DataFrame, bg: BetaGeoModel) -> None:
    """Fader, Hardie and Lee (2005a), section 5: CDNOW sample, 2,357 customers, 39 weeks.

    Published: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
    """
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    for name, value in published.items():
        assert same_to_3_significant_digits(bg.params_[name], value), name
        # The paper prints three decimals, and they match too.
        assert round(bg.params_[name], 3) == value, name
    assert same_to_3_significant_digits(bg.log_likelihood_, -9582.4)
    assert bg.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)
    # A maximum, whatever the optimiser reported: the score vanishes at the fitted values.
    h = _Histories(*(rfm[c].to_numpy(float) for c in ("frequency", "recency", "T")))
    _, score = _bgnbd_loglik(np.log([bg.params_[k] for k in ("r", "alpha", "a", "b")]), h)
    assert np.abs(score).max() / len(rfm) < AT_THE_MAXIMUM
    assert bg.n_customers_ == 2_357


def test_bgnbd_on_hardies_rounded_summary_gives_the_same_values(
    published_summary: pd.DataFrame,
) -> None:
    model = BetaGeoModel().fit(
        published_summary["x"], published_summary["t_x"], published_summary["T"]
    )
    assert {k: round(v, 3) for k, v in model.params_.items()} == {
        "r": 0.243,
        "alpha": 4.414,
        "a": 0.793,
        "b": 2.426,
    }
    assert model.log_likelihood_ == pytest.approx(-9582.4, abs=0.05)


def test_gamma_gamma_reproduces_the_iso_value_paper(
    rfm: pd.DataFrame, gg: GammaGammaModel
) -> None:
    """Fader, Hardie and Lee (2005b): p = 6.25, q = 3.74, gamma (our v) = 15.44.

    Inputs: the 946 customers of the CDNOW sample with at least one repeat purchase in the
    39-week calibration period (1997-01-01 to 1997-09-30); x = number of repeat transactions
    (same-day purchases merged) and m = mean dollar spend of those repeat transactions
    (the first purchase excluded), unrounded, as computed by summary_from_transactions.
    Customers with x = 0 are passed in and ignored by fit.
    """
    assert gg.n_customers_ == 946
    assert {k: round(v, 2) for k, v in gg.params_.items()} == {
        "p": 6.25,
        "q": 3.74,
        "v": 15.44,
    }
    for name, value in {"p": 6.25, "q": 3.74, "v": 15.44}.items():
        assert same_to_3_significant_digits(gg.params_[name], value), name
    repeaters = rfm[rfm["frequency"] > 0]
    x, m = (repeaters[c].to_numpy(float) for c in ("frequency", "monetary_value"))
    _, score = _gamma_gamma_loglik(np.log([gg.params_[k] for k in ("p", "q", "v")]), x, m)
    assert np.abs(score).max() / len(repeaters) < AT_THE_MAXIMUM


def test_gamma_gamma_on_hardies_rounded_zbar(published_summary: pd.DataFrame) -> None:
    """With zbar rounded to cents (lifetimes' docs input) v comes out 15.45, p and q agree."""
    repeaters = published_summary[published_summary["x"] > 0]
    model = GammaGammaModel().fit(repeaters["x"], repeaters["zbar"])
    assert round(model.params_["p"], 2) == 6.25
    assert round(model.params_["q"], 2) == 3.74
    assert model.params_["v"] == pytest.approx(15.448, abs=5e-4)
    assert same_to_3_significant_digits(model.params_["v"], 15.44)


def test_gamma_gamma_converges_whatever_the_row_order(published_summary: pd.DataFrame) -> None:
    """Row order moves the objective's last bits; the fit must converge to the same optimum.

    Some orders make BFGS stop with "precision loss" (status 2) a step away from the optimum;
    that stop is accepted only because the remaining quasi-Newton step is negligible.
    """
    repeaters = published_summary[published_summary["x"] > 0]
    rng = np.random.default_rng(2005)
    for _ in range(50):
        shuffled = repeaters.iloc[rng.permutation(len(repeaters))]
        model = GammaGammaModel().fit(shuffled["x"], shuffled["zbar"])
        assert model.converged_
        assert model.params_["p"] == pytest.approx(6.2488, abs=5e-4)
        assert model.params_["q"] == pytest.approx(3.7446, abs=5e-4)
        assert model.params_["v"] == pytest.approx(15.4477, abs=5e-4)


def test_bg_nbd_converges_whatever_the_row_order(rfm: pd.DataFrame) -> None:
    rng = np.random.default_rng(2005)
    for _ in range(10):
        shuffled = rfm.iloc[rng.permutation(len(rfm))]
        model = BetaGeoModel().fit(shuffled["frequency"], shuffled["recency"], shuffled["T"])
        published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
        for name, value in published.items():
            assert model.params_[name] == pytest.approx(value, abs=1e-3)


def test_precision_loss_far_from_the_optimum_still_raises() -> None:
    """Status 2 with a large remaining step is a genuine failure, not rounding noise."""
    far = OptimizeResult(status=2, x=np.zeros(3), jac=np.array([0.5, 0.1, 0.0]),
                         hess_inv=np.eye(3))
    near = OptimizeResult(status=2, x=np.zeros(3), jac=np.array([2e-7, 1e-7, 0.0]),
                          hess_inv=np.eye(3))
    failed = OptimizeResult(status=1, x=np.zeros(3), jac=np.zeros(3), hess_inv=np.eye(3))
    assert not _stopped_at_the_optimum(far)
    assert _stopped_at_the_optimum(near)
    assert not _stopped_at_the_optimum(failed)


def test_gamma_gamma_ignores_customers_without_repeat_purchases(
    rfm: pd.DataFrame, gg: GammaGammaModel
) -> None:
    repeaters = rfm[rfm["frequency"] > 0]
    only = GammaGammaModel().fit(repeaters["frequency"], repeaters["monetary_value"])
    assert only.params_ == pytest.approx(gg.params_, rel=1e-12)
    assert only.log_likelihood_ == pytest.approx(gg.log_likelihood_)


# --- cross-check with lifetimes ---------------------------------------------------------------


@pytest.fixture(scope="module")
def lifetimes_fitters():
    lifetimes = pytest.importorskip("lifetimes", reason="lifetimes is the reference")
    return lifetimes.BetaGeoFitter, lifetimes.GammaGammaFitter


def test_same_parameters_as_lifetimes(rfm, bg, gg, lifetimes_fitters) -> None:
    BetaGeoFitter, GammaGammaFitter = lifetimes_fitters
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_bg = BetaGeoFitter().fit(rfm["frequency"], rfm["recency"], rfm["T"])
        repeaters = rfm[rfm["frequency"] > 0]
        theirs_gg = GammaGammaFitter().fit(repeaters["frequency"], repeaters["monetary_value"])
    for name in ("r", "alpha", "a", "b"):
        assert bg.params_[name] == pytest.approx(theirs_bg.params_[name], rel=1e-3)
    for name in ("p", "q", "v"):
        assert gg.params_[name] == pytest.approx(theirs_gg.params_[name], rel=1e-3)


def test_same_penalised_parameters_as_lifetimes(rfm, lifetimes_fitters) -> None:
    BetaGeoFitter, GammaGammaFitter = lifetimes_fitters
    repeaters = rfm[rfm["frequency"] > 0]
    ours_bg = BetaGeoModel(penalizer=0.01).fit(rfm["frequency"], rfm["recency"], rfm["T"])
    ours_gg = GammaGammaModel(penalizer=0.01).fit(
        repeaters["frequency"], repeaters["monetary_value"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_bg = BetaGeoFitter(penalizer_coef=0.01).fit(
            rfm["frequency"], rfm["recency"], rfm["T"]
        )
        theirs_gg = GammaGammaFitter(penalizer_coef=0.01).fit(
            repeaters["frequency"], repeaters["monetary_value"]
        )
    for name in ("r", "alpha", "a", "b"):
        assert ours_bg.params_[name] == pytest.approx(theirs_bg.params_[name], rel=1e-3)
    for name in ("p", "q", "v"):
        assert ours_gg.params_[name] == pytest.approx(theirs_gg.params_[name], rel=1e-3)
    # The penalty shrinks a and b a lot on CDNOW (they are poorly identified).
    assert ours_bg.params_["a"] < 0.5


def test_same_predictions_as_lifetimes(rfm, bg, gg, lifetimes_fitters) -> None:
    BetaGeoFitter, GammaGammaFitter = lifetimes_fitters
    x, tx, T, m = rfm["frequency"], rfm["recency"], rfm["T"], rfm["monetary_value"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs_bg = BetaGeoFitter().fit(x, tx, T)
        repeaters = rfm[rfm["frequency"] > 0]
        theirs_gg = GammaGammaFitter().fit(repeaters["frequency"], repeaters["monetary_value"])
        # Use our parameters in lifetimes so only the formulas are compared.
        theirs_bg.params_[:] = [bg.params_[k] for k in ("r", "alpha", "a", "b")]
        theirs_gg.params_[:] = [gg.params_[k] for k in ("p", "q", "v")]
        expected = theirs_bg.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T)
        alive = theirs_bg.conditional_probability_alive(x, tx, T)
        new = theirs_bg.expected_number_of_purchases_up_to_time(np.array([1.0, 39.0, 78.0]))
        spend = theirs_gg.conditional_expected_average_profit(x, m)
        clv = theirs_gg.customer_lifetime_value(theirs_bg, x, tx, T, m, 12, 0.01, freq="W")
    ours = bg.conditional_expected_number_of_purchases_up_to_time(39, x, tx, T)
    np.testing.assert_allclose(ours, expected, rtol=1e-9)
    np.testing.assert_allclose(bg.probability_alive(x, tx, T), alive, rtol=1e-9)
    np.testing.assert_allclose(
        bg.expected_number_of_purchases_up_to_time([1.0, 39.0, 78.0]), new, rtol=1e-9
    )
    np.testing.assert_allclose(gg.conditional_expected_average_spend(x, m), spend, rtol=1e-9)
    # lifetimes takes a month as 4.345 weeks; this time unit makes our month the same length.
    ours_clv = gg.clv(bg, x, tx, T, m, horizon=12, discount_rate=0.01,
                      time_unit_days=DAYS_PER_MONTH / 4.345)
    np.testing.assert_allclose(ours_clv, clv, rtol=1e-9)
    # With true weeks the months are 0.07% longer and the CLV differs by less than 0.1%.
    np.testing.assert_allclose(gg.clv(bg, x, tx, T, m, horizon=12, discount_rate=0.01), clv,
                               rtol=1e-3)


# --- likelihood and predictions: hand-computed values ------------------------------------------


FD_STEP = 1e-6


def numeric_gradient(f, x0: np.ndarray, h: float = FD_STEP) -> np.ndarray:
    grad = np.zeros_like(x0)
    for i in range(len(x0)):
        step = np.zeros_like(x0)
        step[i] = h
        grad[i] = (f(x0 + step) - f(x0 - step)) / (2 * h)
    return grad


def rounding_noise(log_likelihood: float) -> float:
    """Error a central difference inherits from rounding in the two log-likelihoods.

    Each sum of a few thousand terms is off by a few eps x |LL| (how many depends on the CPU's
    log/exp and on summation order), and the quotient divides that by 2h: allow 20 eps x |LL|
    / h, about 4e-5 for CDNOW's LL of -9,600, far below what a wrong derivative would give.
    """
    return 20 * np.finfo(float).eps * abs(log_likelihood) / FD_STEP


def test_bgnbd_gradient_matches_finite_differences(rfm: pd.DataFrame) -> None:
    h = _Histories(*(rfm[c].to_numpy(float) for c in ("frequency", "recency", "T")))
    point = np.log([0.3, 5.0, 0.7, 2.0])
    ll, analytic = _bgnbd_loglik(point, h)
    numeric = numeric_gradient(lambda p: _bgnbd_loglik(p, h)[0], point)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=rounding_noise(ll))


def test_gamma_gamma_gradient_matches_finite_differences(rfm: pd.DataFrame) -> None:
    rep = rfm[rfm["frequency"] > 0]
    x, m = rep["frequency"].to_numpy(float), rep["monetary_value"].to_numpy(float)
    point = np.log([5.0, 3.0, 20.0])
    ll, analytic = _gamma_gamma_loglik(point, x, m)
    numeric = numeric_gradient(lambda p: _gamma_gamma_loglik(p, x, m)[0], point)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=rounding_noise(ll))


def bgnbd_log_likelihood_as_in_the_paper(
    r: float, alpha: float, a: float, b: float, frequency, recency, T
) -> float:
    """BG/NBD log-likelihood written as Fader, Hardie and Lee (2005), eq. (6), one customer
    at a time: the reference the optimised ``_bgnbd_loglik`` is checked against.

    L(r, alpha, a, b | x, t_x, T) = B(a, b + x) / B(a, b) * P / (alpha + T)^(r + x)
        + [x > 0] B(a + 1, b + x - 1) / B(a, b) * P / (alpha + t_x)^(r + x),
    with P = Gamma(r + x) alpha^r / Gamma(r).

    The first term is "still alive at T", the second "dropped out right after the last
    purchase at t_x". Evaluated literally (no logs), so only for moderate x and T (here x <= 40,
    T <= 100), where every factor stays far inside the range of a float.
    """
    total = 0.0
    for x, t_x, age in zip(frequency, recency, T, strict=True):
        x = int(x)
        purchases = gamma(r + x) * alpha**r / gamma(r)
        alive = beta(a, b + x) / beta(a, b) * purchases / (alpha + age) ** (r + x)
        dropped = 0.0
        if x > 0:
            dropped = beta(a + 1, b + x - 1) / beta(a, b) * purchases / (alpha + t_x) ** (r + x)
        total += math.log(alive + dropped)
    return total


def random_summaries(rng: np.random.Generator, n: int) -> tuple[np.ndarray, ...]:
    """Valid (x, t_x, T): whole x >= 0, 0 <= t_x <= T, and t_x = 0 where x = 0."""
    x = rng.integers(0, 41, n).astype(float)
    x[rng.random(n) < 0.4] = 0.0  # many one-off buyers, as in real data
    T = rng.uniform(0.5, 100.0, n)
    t_x = np.where(x > 0, T * rng.random(n), 0.0)
    return x, t_x, T


#: Agreement required between the optimised and the paper's log-likelihood. Each customer's
#: L is a product of about ten factors, each within a few ulps (SciPy's gamma and beta are
#: accurate to about 1e-15), and the power (alpha + T)^(r + x) multiplies its base's rounding
#: by r + x <= 40: ln L is off by well under 1e-13 per customer. Summed over n customers the
#: error stays under n * 1e-13, below 1e-13 of |LL| since the mean |ln L| per customer is above
#: 1 in these data (CDNOW: 4.1); observed, about 1e-14. A relative 1e-10 leaves room for
#: summation order and CPU-specific log and exp, while one wrong factor moves the total by far
#: more.
LL_RTOL = 1e-10


def test_optimised_loglik_equals_the_papers_equation_on_cdnow(rfm: pd.DataFrame) -> None:
    x, t_x, T = (rfm[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    h = _Histories(x, t_x, T)
    for params in ([0.243, 4.414, 0.793, 2.426], [1.0, 1.0, 1.0, 1.0], [2.5, 30.0, 0.2, 8.0]):
        reference = bgnbd_log_likelihood_as_in_the_paper(*params, x, t_x, T)
        optimised, _ = _bgnbd_loglik(np.log(params), h)
        assert optimised == pytest.approx(reference, rel=LL_RTOL), params
    # At the published parameters the paper's own formula gives the published LL.
    published = bgnbd_log_likelihood_as_in_the_paper(0.243, 4.414, 0.793, 2.426, x, t_x, T)
    assert published == pytest.approx(-9582.4, abs=0.1)


def test_optimised_loglik_equals_the_papers_equation_on_random_summaries() -> None:
    rng = np.random.default_rng(6)
    for _ in range(20):
        x, t_x, T = random_summaries(rng, 50)
        r, a = rng.uniform(0.1, 3.0, 2)
        alpha, b = rng.uniform(0.5, 20.0), rng.uniform(0.5, 10.0)
        reference = bgnbd_log_likelihood_as_in_the_paper(r, alpha, a, b, x, t_x, T)
        optimised, _ = _bgnbd_loglik(np.log([r, alpha, a, b]), _Histories(x, t_x, T))
        assert optimised == pytest.approx(reference, rel=LL_RTOL)


def test_fit_maximises_the_papers_likelihood(rfm: pd.DataFrame, bg: BetaGeoModel) -> None:
    """Independently of the optimised code: moving any fitted parameter by 1% either way
    lowers the paper's log-likelihood (by 0.005 to 0.05 on CDNOW, far above its rounding of
    about 1e-10)."""
    x, t_x, T = (rfm[c].to_numpy(float) for c in ("frequency", "recency", "T"))
    names = ("r", "alpha", "a", "b")
    best = [bg.params_[k] for k in names]
    at_fit = bgnbd_log_likelihood_as_in_the_paper(*best, x, t_x, T)
    assert at_fit == pytest.approx(bg.log_likelihood_, rel=LL_RTOL)
    for i in range(4):
        for factor in (0.99, 1.01):
            moved = list(best)
            moved[i] *= factor
            assert bgnbd_log_likelihood_as_in_the_paper(*moved, x, t_x, T) < at_fit - 1e-4, (
                names[i], factor)


def test_bgnbd_single_customer_likelihood_by_hand() -> None:
    # r = alpha = a = b = 1, x = 1, t_x = 1, T = 3:
    # L = B(1,2)/B(1,1) * G(2)/G(1) * 1/(1+3)^2 + B(2,1)/B(1,1) * G(2)/G(1) * 1/(1+1)^2
    #   = 1/2 * 1/16 + 1/2 * 1/4 = 5/32
    ll, _ = _bgnbd_loglik(
        np.zeros(4), _Histories(np.array([1.0]), np.array([1.0]), np.array([3.0]))
    )
    assert ll == pytest.approx(np.log(5 / 32), rel=1e-12)
    # x = 0, T = 3: L = G(1)/G(1) * 1/(1+3) = 1/4
    ll0, _ = _bgnbd_loglik(np.zeros(4), _Histories(np.zeros(1), np.zeros(1), np.array([3.0])))
    assert ll0 == pytest.approx(np.log(1 / 4), rel=1e-12)


def unit_model() -> BetaGeoModel:
    model = BetaGeoModel()
    model.params_ = {"r": 1.0, "alpha": 1.0, "a": 1.0, "b": 1.0}
    return model


def test_probability_alive_by_hand_and_limits(bg: BetaGeoModel) -> None:
    # Odds of having dropped out: a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) = 1 * (4/2)^2 = 4.
    assert unit_model().probability_alive(1, 1.0, 3.0) == pytest.approx(1 / 5)
    # No repeat purchase: drop-out only happens after a purchase, so still alive.
    assert bg.probability_alive(0, 0.0, 38.86) == 1.0
    np.testing.assert_array_equal(bg.probability_alive([0, 0], [0.0, 0.0], [1.0, 70.0]), 1.0)
    # Bought at the very end of the period: the only doubt is the drop-out right after it.
    p = bg.params_
    assert bg.probability_alive(2, 38.86, 38.86) == pytest.approx(1 / (1 + p["a"] / (p["b"] + 1)))
    # Longer silence since the last purchase -> less likely alive.
    palive = bg.probability_alive(np.full(5, 3), np.full(5, 10.0), [10.0, 20, 30, 40, 50])
    assert (np.diff(palive) < 0).all()


def test_expected_purchases_increase_with_the_horizon(bg: BetaGeoModel) -> None:
    t = np.linspace(0, 104, 27)
    new = bg.expected_number_of_purchases_up_to_time(t)
    assert new[0] == 0.0
    assert (np.diff(new) > 0).all()
    # Close to t = 0 nobody has dropped out yet: E[X(t)] ~ t r / alpha.
    p = bg.params_
    assert bg.expected_number_of_purchases_up_to_time(1e-4) / 1e-4 == pytest.approx(
        p["r"] / p["alpha"], rel=1e-4
    )
    cond = bg.conditional_expected_number_of_purchases_up_to_time(t, 2, 30.43, 38.86)
    assert cond[0] == 0.0
    assert (np.diff(cond) > 0).all()
    # A customer with no history (x = t_x = T = 0) is a new customer.
    np.testing.assert_allclose(
        bg.conditional_expected_number_of_purchases_up_to_time(t, 0, 0.0, 0.0), new, rtol=1e-9
    )


def test_predictions_keep_the_customer_index(rfm: pd.DataFrame, bg: BetaGeoModel) -> None:
    forecast = bg.conditional_expected_number_of_purchases_up_to_time(
        39, rfm["frequency"], rfm["recency"], rfm["T"]
    )
    assert isinstance(forecast, pd.Series)
    assert forecast.index.equals(rfm.index)
    # Sample customer 1 (x = 2, t_x = 30.43, T = 38.86) is expected to buy 1.226 times.
    assert forecast.loc[1] == pytest.approx(1.226, abs=5e-4)
    assert isinstance(bg.probability_alive(2, 30.43, 38.86), float)


def test_conditional_expected_spend_shrinks_towards_the_population_mean(
    gg: GammaGammaModel,
) -> None:
    p, q, v = (gg.params_[k] for k in ("p", "q", "v"))
    population_mean = v * p / (q - 1)
    assert gg.conditional_expected_average_spend(0, 0.0) == pytest.approx(population_mean)
    # x = 2 at m = 50: (v p + p x m) / (p x + q - 1)
    assert gg.conditional_expected_average_spend(2, 50.0) == pytest.approx(
        (v * p + p * 2 * 50.0) / (p * 2 + q - 1)
    )
    # More transactions -> closer to the customer's own mean.
    spends = gg.conditional_expected_average_spend([1, 5, 50], [100.0, 100.0, 100.0])
    assert (np.diff(spends) > 0).all()
    assert population_mean < spends[0] < spends[-1] < 100.0


def test_clv_without_discounting_telescopes(rfm: pd.DataFrame, bg, gg) -> None:
    x, tx, T, m = 2, 30.43, 38.86, 22.35
    spend = gg.conditional_expected_average_spend(x, m)
    twelve_months = 12 * DAYS_PER_MONTH / 7
    purchases = bg.conditional_expected_number_of_purchases_up_to_time(twelve_months, x, tx, T)
    undiscounted = gg.clv(bg, x, tx, T, m, horizon=12, discount_rate=0.0, margin=0.3)
    assert undiscounted == pytest.approx(0.3 * spend * purchases, rel=1e-12)
    discounted = gg.clv(bg, x, tx, T, m, horizon=12, discount_rate=0.01, margin=0.3)
    assert 0.3 * spend * purchases / 1.01**12 < discounted < undiscounted
    # Monthly steps by hand.
    cum = [
        bg.conditional_expected_number_of_purchases_up_to_time(k * DAYS_PER_MONTH / 7, x, tx, T)
        for k in range(13)
    ]
    by_hand = sum((cum[k] - cum[k - 1]) / 1.01**k for k in range(1, 13)) * spend * 0.3
    assert discounted == pytest.approx(by_hand, rel=1e-12)


def test_clv_in_days_equals_clv_in_weeks(rfm: pd.DataFrame, gg: GammaGammaModel) -> None:
    daily = cdnow_sample_summary(time_unit_days=1)
    bg_days = BetaGeoModel().fit(daily["frequency"], daily["recency"], daily["T"])
    bg_weeks = BetaGeoModel().fit(rfm["frequency"], rfm["recency"], rfm["T"])
    assert bg_days.params_["alpha"] == pytest.approx(7 * bg_weeks.params_["alpha"], rel=1e-4)
    row = daily.loc[1]
    in_days = gg.clv(bg_days, row["frequency"], row["recency"], row["T"], 22.35, time_unit_days=1)
    weekly = rfm.loc[1]
    in_weeks = gg.clv(bg_weeks, weekly["frequency"], weekly["recency"], weekly["T"], 22.35)
    assert in_days == pytest.approx(in_weeks, rel=1e-4)


def test_simple_clv_arithmetic() -> None:
    # 50 per order x 4 orders a year x 3 years x 25% margin.
    assert simple_clv(50.0, 4.0, 3.0, 0.25) == 150.0
    assert simple_clv(80.0, 2.5, 4.0, 1.0) == 800.0
    np.testing.assert_allclose(simple_clv([50.0, 20.0], [4.0, 12.0], 3.0, 0.5), [300.0, 360.0])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((-50.0, 4.0, 3.0, 0.25), "column 'aov' has 1 negative"),
        ((50.0, np.nan, 3.0, 0.25), "column 'purchase_frequency' has 1 missing"),
        ((50.0, 4.0, "three", 0.25), "column 'lifespan'.*must be numeric"),
        ((50.0, 4.0, 3.0, 25.0), "column 'margin' must be a share"),
        (([50.0, 20.0], [4.0, 1.0, 2.0], 3.0, 0.25), "must have one length"),
    ],
)
def test_simple_clv_rejects_bad_input(args: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        simple_clv(*args)


# --- models: conventions and bad input ----------------------------------------------------------


def test_fit_returns_self_and_sets_fitted_attributes(rfm: pd.DataFrame) -> None:
    model = BetaGeoModel()
    assert not hasattr(model, "params_")
    assert model.fit(rfm["frequency"], rfm["recency"], rfm["T"]) is model
    assert set(model.params_) == {"r", "alpha", "a", "b"}
    assert model.n_iter_ > 0
    assert model.n_customers_ == len(rfm)
    gg = GammaGammaModel()
    assert gg.fit(rfm["frequency"], rfm["monetary_value"]) is gg


@pytest.mark.parametrize("model_class", [BetaGeoModel, GammaGammaModel])
def test_models_are_scikit_learn_estimators(model_class, rfm: pd.DataFrame) -> None:
    settings = {"penalizer": 0.001, "maxiter": 500, "tol": 1e-6, "on_nonconvergence": "warn"}
    model = model_class(**settings)
    # __init__ stores every setting unchanged under its own name, so get_params sees them.
    assert model.get_params() == settings
    assert repr(model).startswith(f"{model_class.__name__}(")
    if model_class is BetaGeoModel:
        model.fit(rfm["frequency"], rfm["recency"], rfm["T"])
    else:
        model.fit(rfm["frequency"], rfm["monetary_value"])
    copy = clone(model)
    assert copy is not model
    assert copy.get_params() == settings
    assert not hasattr(copy, "params_")  # clone gives an unfitted copy
    with pytest.raises(NotFittedError):
        check_is_fitted(copy)
    check_is_fitted(model)
    assert copy.set_params(penalizer=0.01) is copy and copy.penalizer == 0.01
    assert model.penalizer == 0.001  # the fitted original is untouched


def test_unfitted_models_raise_sklearns_not_fitted_error() -> None:
    with pytest.raises(NotFittedError, match="This BetaGeoModel instance is not fitted yet"):
        BetaGeoModel().probability_alive(1, 1.0, 2.0)
    with pytest.raises(NotFittedError, match="BetaGeoModel instance is not fitted"):
        BetaGeoModel().expected_number_of_purchases_up_to_time(1.0)
    with pytest.raises(NotFittedError, match="BetaGeoModel instance is not fitted"):
        BetaGeoModel().conditional_expected_number_of_purchases_up_to_time(1.0, 1, 1.0, 2.0)
    with pytest.raises(NotFittedError, match="GammaGammaModel instance is not fitted yet"):
        GammaGammaModel().conditional_expected_average_spend(1, 10.0)
    # NotFittedError is a ValueError, like the other "cannot use this yet" errors.
    assert issubclass(NotFittedError, ValueError)


def test_clv_options_are_keyword_only(bg: BetaGeoModel, gg: GammaGammaModel) -> None:
    with pytest.raises(TypeError, match="positional"):
        gg.clv(bg, 2, 30.43, 38.86, 22.35, 12)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("frequency", "recency", "T", "message"),
    [
        ([1, 2], [1.0, 2.0], [3.0, -1.0], "column 'T' has 1 negative"),
        ([1, 2], [4.0, 2.0], [3.0, 3.0], "column 'recency' is larger than column 'T'"),
        ([-1, 2], [1.0, 2.0], [3.0, 3.0], "column 'frequency' has 1 negative"),
        ([1, 2], [-1.0, 2.0], [3.0, 3.0], "column 'recency' has 1 negative"),
        ([1.5, 2], [1.0, 2.0], [3.0, 3.0], "column 'frequency' must hold whole numbers"),
        ([1, np.nan], [1.0, 2.0], [3.0, 3.0], "column 'frequency' has 1 missing"),
        ([1, 2], [1.0, np.nan], [3.0, 3.0], "column 'recency' has 1 missing"),
        ([1, 2], [1.0, 2.0], [3.0, np.inf], "column 'T' has 1 infinite"),
        ([0, 2], [1.0, 2.0], [3.0, 3.0], "'recency' must be 0 .* 'frequency' is 0"),
        ([1, 2], [1.0, 2.0], [3.0, 3.0, 4.0], "must have the same length"),
        ([1, "two"], [1.0, 2.0], [3.0, 3.0], "column 'frequency'.*must be numeric"),
        ([], [], [], "column 'frequency' is empty"),
    ],
)
def test_bgnbd_rejects_bad_input(frequency, recency, T, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BetaGeoModel().fit(frequency, recency, T)


def test_bgnbd_predictions_reject_bad_input(bg: BetaGeoModel) -> None:
    with pytest.raises(ValueError, match="column 't' has 1 negative"):
        bg.conditional_expected_number_of_purchases_up_to_time(-1.0, 1, 1.0, 2.0)
    with pytest.raises(ValueError, match="column 'recency' is larger than column 'T'"):
        bg.probability_alive(1, 5.0, 2.0)
    with pytest.raises(ValueError, match="column 't' has 1 missing"):
        bg.expected_number_of_purchases_up_to_time(np.nan)


@pytest.mark.parametrize(
    ("frequency", "monetary_value", "message"),
    [
        ([1, 2, 3], [10.0, 0.0, 5.0], "column 'monetary_value' is <= 0 for 1 customer"),
        ([1, 2, 3], [10.0, -4.0, 5.0], "column 'monetary_value' is <= 0 for 1 customer"),
        ([1, 2, 3], [10.0, np.nan, 5.0], "column 'monetary_value' has 1 missing"),
        ([1, np.nan, 3], [10.0, 4.0, 5.0], "column 'frequency' has 1 missing"),
        ([0, 0], [0.0, 0.0], "no customer with a repeat purchase"),
        ([1, 2], [10.0, 4.0, 5.0], "must have the same length"),
    ],
)
def test_gamma_gamma_rejects_bad_input(frequency, monetary_value, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        GammaGammaModel().fit(frequency, monetary_value)


def test_clv_rejects_bad_settings(rfm, bg, gg) -> None:
    args = (bg, 2, 30.43, 38.86, 22.35)
    with pytest.raises(ValueError, match="margin must be a share"):
        gg.clv(*args, margin=1.5)
    with pytest.raises(ValueError, match="discount_rate must be a non-negative"):
        gg.clv(*args, discount_rate=-0.1)
    with pytest.raises(ValueError, match="horizon must be a whole number"):
        gg.clv(*args, horizon=0)
    with pytest.raises(ValueError, match="time_unit_days must be a finite number"):
        gg.clv(*args, time_unit_days="week")
    with pytest.raises(ValueError, match="time_unit_days must be a positive number"):
        gg.clv(*args, time_unit_days=-7)
    with pytest.raises(ValueError, match="bgnbd_model must be a fitted BetaGeoModel"):
        gg.clv("model", 2, 30.43, 38.86, 22.35)  # type: ignore[arg-type]
    with pytest.raises(NotFittedError, match="BetaGeoModel instance is not fitted yet"):
        gg.clv(BetaGeoModel(), 2, 30.43, 38.86, 22.35)
    with pytest.raises(NotFittedError, match="GammaGammaModel instance is not fitted yet"):
        GammaGammaModel().clv(bg, 2, 30.43, 38.86, 22.35)


def test_non_convergence_is_reported_not_hidden(rfm: pd.DataFrame) -> None:
    x, tx, T = rfm["frequency"], rfm["recency"], rfm["T"]
    with pytest.raises(ConvergenceError, match="did not converge after 1 iteration"):
        BetaGeoModel(maxiter=1).fit(x, tx, T)
    # ConvergenceError is a ValueError, like every other "cannot use these data" error.
    with pytest.raises(ValueError, match="Try a small penalizer"):
        GammaGammaModel(maxiter=1).fit(x, rfm["monetary_value"])
    with pytest.warns(RuntimeWarning, match="did not converge"):
        model = BetaGeoModel(maxiter=1, on_nonconvergence="warn").fit(x, tx, T)
    assert model.converged_ is False
    assert model.params_["r"] != pytest.approx(0.243, abs=1e-3)
    # A failed refit does not leave the previous, converged parameters behind.
    refit = BetaGeoModel().fit(x, tx, T)
    refit.maxiter = 1
    with pytest.raises(ConvergenceError):
        refit.fit(x, tx, T)
    assert not hasattr(refit, "params_")
    with pytest.raises(NotFittedError):  # n_iter_ of the failed fit does not make it fitted
        check_is_fitted(refit)


def test_no_finite_maximum_is_a_convergence_error() -> None:
    # Four customers cannot identify a and b: the likelihood keeps rising as they grow.
    with pytest.raises(ConvergenceError, match="no finite maximum: a, b"):
        BetaGeoModel().fit([2, 1, 0, 3], [30.0, 2.0, 0.0, 20.0], [38.0] * 4)


def test_no_finite_maximum_raises_whatever_the_last_bits() -> None:
    """On the flat (a, b) ridge BFGS may stop for precision loss with a tiny step, or even
    report success, depending on the last bits of log and exp: the run-off must still raise."""
    rng = np.random.default_rng(0)
    x = np.array([2, 1, 0, 3])
    tx, T = np.array([30.0, 2.0, 0.0, 20.0]), np.full(4, 38.0)
    eps = np.finfo(float).eps
    for _ in range(300):
        order = rng.permutation(4)
        t = tx * (1 + rng.integers(-3, 4, 4) * eps)
        age = T * (1 + rng.integers(-3, 4, 4) * eps)
        t = np.where(x == 0, 0.0, np.minimum(t, age))
        with pytest.raises(ConvergenceError):
            BetaGeoModel().fit(x[order], t[order], age[order])


def test_scale_parameters_may_be_large(rfm: pd.DataFrame) -> None:
    """v is in currency units: spend in pence (x 100) or won (x 1,000) is not a run-off."""
    repeaters = rfm[rfm["frequency"] > 0]
    base = GammaGammaModel().fit(repeaters["frequency"], repeaters["monetary_value"])
    scaled = GammaGammaModel().fit(repeaters["frequency"], repeaters["monetary_value"] * 1_000)
    assert np.log(scaled.params_["v"]) > MAX_ABS_LOG_SHAPE - 1
    assert scaled.params_["v"] == pytest.approx(1_000 * base.params_["v"], rel=1e-4)
    assert scaled.params_["p"] == pytest.approx(base.params_["p"], rel=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"penalizer": -1.0}, "penalizer must be a finite number >= 0"),
        ({"penalizer": "0.1"}, "penalizer must be a number >= 0"),
        ({"maxiter": 0}, "maxiter must be an integer >= 1"),
        ({"maxiter": 10.5}, "maxiter must be an integer >= 1"),
        ({"tol": 0.0}, "tol must be a positive number"),
        ({"on_nonconvergence": "ignore"}, "on_nonconvergence must be 'raise' or 'warn'"),
    ],
)
def test_bad_settings_are_rejected(rfm: pd.DataFrame, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BetaGeoModel(**kwargs).fit(rfm["frequency"], rfm["recency"], rfm["T"])


# --- NBD: BG/NBD without dropout, the fallback where dropout is not identified ---------------


def test_nbd_loglik_is_the_bgnbd_limit_without_dropout():
    from helpers.clv import _nbd_loglik

    x = np.array([0.0, 1.0, 3.0, 7.0])
    tx = np.array([0.0, 4.0, 20.0, 30.0])
    T = np.array([12.0, 25.0, 30.0, 31.0])
    nbd, _ = _nbd_loglik(np.log([0.8, 10.0]), x, T)
    # a -> 0: the dropout term vanishes and BG/NBD's likelihood becomes the NBD one
    bg, _ = _bgnbd_loglik(np.log([0.8, 10.0, 1e-12, 5.0]), _Histories(x, tx, T))
    assert nbd == pytest.approx(bg, abs=1e-8)


def test_nbd_gradient_matches_finite_differences():
    from helpers.clv import _nbd_loglik

    x, T = np.array([0.0, 2.0, 5.0]), np.array([10.0, 20.0, 15.0])
    p = np.log([1.3, 6.0])
    _, grad = _nbd_loglik(p, x, T)
    eps = 1e-6
    numeric = [(_nbd_loglik(p + eps * e, x, T)[0] - _nbd_loglik(p - eps * e, x, T)[0]) / (2 * eps)
               for e in np.eye(2)]
    np.testing.assert_allclose(grad, numeric, rtol=1e-6)


def test_nbd_recovers_the_rates_of_simulated_customers():
    from helpers.clv import NBDModel

    rng = np.random.default_rng(0)
    rate = rng.gamma(2.0, 1 / 8.0, 20_000)  # r = 2, alpha = 8 (rate per week)
    T = rng.uniform(20, 60, 20_000)
    x = rng.poisson(rate * T)
    tx = np.where(x > 0, T * rng.uniform(0.5, 1.0, 20_000), 0.0)
    nbd = NBDModel().fit(x, tx, T)
    assert nbd.params_["r"] == pytest.approx(2.0, rel=0.1)
    assert nbd.params_["alpha"] == pytest.approx(8.0, rel=0.1)
    # the conditional forecast is the posterior mean rate times the horizon
    r, alpha = nbd.params_["r"], nbd.params_["alpha"]
    expected = nbd.conditional_expected_number_of_purchases_up_to_time(10.0, 3, 20.0, 30.0)
    assert expected == pytest.approx((r + 3) / (alpha + 30) * 10)
    assert nbd.probability_alive(x, tx, T).min() == 1.0


def test_fit_purchase_model_falls_back_to_nbd_with_the_reason(monkeypatch):
    from helpers.clv import NBDModel, fit_purchase_model

    rfm = cdnow_sample_summary()
    model, note = fit_purchase_model(rfm["frequency"], rfm["recency"], rfm["T"])
    assert isinstance(model, BetaGeoModel) and note.startswith("BG/NBD fitted")

    def no_maximum(self, *args):
        raise ConvergenceError("BetaGeoModel did not converge after 9 iteration(s): the "
                               "likelihood has no finite maximum: a kept growing or shrinking")

    monkeypatch.setattr(BetaGeoModel, "fit", no_maximum)
    model, note = fit_purchase_model(rfm["frequency"], rfm["recency"], rfm["T"])
    assert isinstance(model, NBDModel)
    assert "a runs off towards 0" in note and "nobody leaves" in note
