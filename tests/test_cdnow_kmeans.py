"""K-Means on the real CDNOW customers: what notebook 04 does with DATASET = "cdnow".

RFM features (recency, frequency, monetary value at 1998-07-01, each log(1 + x) then
standardised) for the 23,570 customers of the CDNOW master file, k = 2..6.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest

from helpers.cdnow import load_cdnow
from helpers.rfm import rfm_table
from helpers.segmentation import SILHOUETTE_SAMPLE_SIZE, KChoice, choose_k, prepare_features

# find_spec, not import: the data files are needed, not lifetimes' code
pytestmark = pytest.mark.skipif(importlib.util.find_spec("lifetimes") is None,
                                reason="the CDNOW files ship inside the lifetimes package")

K_VALUES = range(2, 7)
SEED = 42
TRANSFORMS = {"recency": "log", "frequency": "log", "monetary": "log"}


@pytest.fixture(scope="module")
def rfm() -> pd.DataFrame:
    return rfm_table(load_cdnow("master"), customer_col="customer_id", date_col="date",
                     amount_col="amount", as_of="1998-07-01")


@pytest.fixture(scope="module")
def features(rfm) -> pd.DataFrame:
    return prepare_features(rfm, TRANSFORMS)


@pytest.fixture(scope="module")
def result(features) -> KChoice:
    return choose_k(features, K_VALUES, random_state=SEED)


def test_rfm_features_are_log_scaled(rfm, features):
    assert len(rfm) == 23_570  # every customer bought before the end of June 1998
    assert features.shape == (23_570, 3)
    assert features.columns.tolist() == ["recency", "frequency", "monetary"]
    np.testing.assert_allclose(features.mean(), 0.0, atol=1e-9)
    np.testing.assert_allclose(features.std(ddof=0), 1.0)
    # log then z-score keeps the order of customers on each feature
    assert (features["frequency"].rank() == rfm["frequency"].rank()).all()


def test_scores_table(result):
    scores = result.scores
    assert scores.shape == (len(K_VALUES), 5)
    assert scores.columns.tolist() == ["k", "inertia", "silhouette", "calinski_harabasz",
                                       "davies_bouldin"]
    assert scores["k"].tolist() == list(K_VALUES)
    assert scores["inertia"].is_monotonic_decreasing
    assert scores["silhouette"].between(-1, 1).all()
    assert (scores["calinski_harabasz"] > 0).all() and (scores["davies_bouldin"] > 0).all()
    # 23,570 rows: the silhouette is computed on the fixed-seed sample of 10,000
    assert result.silhouette_rows == SILHOUETTE_SAMPLE_SIZE


def test_best_k_splits_repeat_from_one_off_buyers(rfm, result):
    assert result.best_k in K_VALUES
    assert result.best_k == int(result.scores.loc[result.scores["silhouette"].idxmax(), "k"])
    # CDNOW's clearest structure: recent repeat buyers versus lapsed one-off buyers
    assert result.best_k == 2
    assert result.scores.set_index("k")["silhouette"].loc[2] > 0.5
    labels = result.models[2].labels_
    means = rfm.groupby(labels)[["recency", "frequency"]].mean()
    repeat, one_off = means["frequency"].idxmax(), means["frequency"].idxmin()
    assert means.loc[repeat, "frequency"] > 5 > 2 > means.loc[one_off, "frequency"]
    assert means.loc[repeat, "recency"] < means.loc[one_off, "recency"]
    assert 0.2 < np.mean(labels == repeat) < 0.35  # about 28 % of customers are repeat buyers


def test_deterministic_with_fixed_random_state(features, result):
    again = choose_k(features, K_VALUES, random_state=SEED)
    pd.testing.assert_frame_equal(again.scores, result.scores)
    assert again.best_k == result.best_k
    np.testing.assert_array_equal(again.models[2].labels_, result.models[2].labels_)
