"""Tests for helpers.segmentation: choosing k, silhouettes, profiles and stability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score

from helpers import segmentation
from helpers.segmentation import (
    ari_agreement,
    choose_k,
    cluster_profile,
    prepare_features,
    renumber_by_mean,
    seed_runs,
    silhouette_scores,
    silhouette_structure,
    snake_plot_data,
    stability_ari,
)

FOUR_CENTRES = [[0, 0], [10, 0], [0, 10], [10, 10]]


@pytest.fixture(scope="module")
def blobs() -> np.ndarray:
    X, _ = make_blobs(n_samples=400, centers=FOUR_CENTRES, cluster_std=1.0, random_state=0)
    return X


def test_choose_k_recovers_four_blobs(blobs):
    result = choose_k(blobs, range(2, 8))
    assert result.best_k == 4
    scores = result.scores
    assert scores.columns.tolist() == [
        "k",
        "inertia",
        "silhouette",
        "calinski_harabasz",
        "davies_bouldin",
    ]
    assert scores["k"].tolist() == [2, 3, 4, 5, 6, 7]
    by_k = scores.set_index("k")
    # every criterion agrees on well-separated blobs
    assert by_k["calinski_harabasz"].idxmax() == 4
    assert by_k["davies_bouldin"].idxmin() == 4
    assert by_k["inertia"].is_monotonic_decreasing
    assert result.silhouette_rows == 400
    assert sorted(result.models) == [2, 3, 4, 5, 6, 7]
    assert len(np.unique(result.models[4].labels_)) == 4


def test_choose_k_is_reproducible(blobs):
    a = choose_k(blobs, [3, 4], n_init=2, random_state=5)
    b = choose_k(blobs, [3, 4], n_init=2, random_state=5)
    pd.testing.assert_frame_equal(a.scores, b.scores)


def test_choose_k_silhouette_on_a_fixed_seed_sample(blobs):
    result = choose_k(blobs, [2, 4], sample_size=150, random_state=3)
    assert result.silhouette_rows == 150
    # the documented sample: 150 rows drawn without replacement by default_rng(random_state)
    rows = np.sort(np.random.default_rng(3).choice(len(blobs), size=150, replace=False))
    for k, got in zip([2, 4], result.scores["silhouette"], strict=True):
        labels = result.models[k].labels_
        assert got == pytest.approx(silhouette_score(blobs[rows], labels[rows]), rel=1e-9)


def test_choose_k_samples_large_inputs_by_default(blobs, monkeypatch):
    monkeypatch.setattr(segmentation, "SILHOUETTE_SAMPLE_SIZE", 100)
    assert choose_k(blobs, [2, 4]).silhouette_rows == 100
    # an explicit sample_size larger than n means all rows
    assert choose_k(blobs, [2, 4], sample_size=10_000).silhouette_rows == 400


def test_choose_k_progress_bar(blobs, capsys):
    choose_k(blobs, [2, 3], n_init=1, progress=True)
    assert "K-Means" in capsys.readouterr().err


def test_choose_k_accepts_dataframe(blobs):
    df = pd.DataFrame(blobs, columns=["recency_z", "monetary_z"])
    assert choose_k(df, [3, 4]).best_k == 4


@pytest.mark.parametrize(
    ("k_values", "message"),
    [
        ([1, 2], r"k must be at least 2"),
        ([2, 400], r"k=400 must be smaller than the number of samples \(400\)"),
        ([], r"k_values is empty"),
        ([2, 2], r"duplicates"),
        ([2.5], r"k must be an integer"),
    ],
)
def test_choose_k_bad_k(blobs, k_values, message):
    with pytest.raises(ValueError, match=message):
        choose_k(blobs, k_values)


def test_choose_k_rejects_nan_and_inf(blobs):
    df = pd.DataFrame(blobs, columns=["recency_z", "monetary_z"])
    df.loc[3, "monetary_z"] = np.nan
    with pytest.raises(ValueError, match=r"1 NaN or infinite value\(s\) in 'monetary_z'"):
        choose_k(df, [2])
    X = blobs.copy()
    X[0, 0] = np.inf
    with pytest.raises(ValueError, match=r"in 'column 0'"):
        choose_k(X, [2])


def test_choose_k_rejects_bad_shapes_and_text(blobs):
    with pytest.raises(ValueError, match="must be 2-D"):
        choose_k(blobs[:, 0], [2])
    with pytest.raises(ValueError, match=r"column 'segment'.*must be numeric"):
        choose_k(pd.DataFrame({"x": [1.0, 2.0, 3.0], "segment": ["a", "b", "c"]}), [2])
    with pytest.raises(ValueError, match="sample_size=3 is too small for k=4"):
        choose_k(blobs, [2, 4], sample_size=3)


def test_silhouette_scores_match_sklearn():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(1_100, 3))  # more rows than one chunk of the distance matrix
    X[1] = X[0]  # duplicate points: zero distances off the diagonal
    labelings = [rng.integers(0, k, len(X)) for k in (2, 3, 7)]
    singleton = np.zeros(len(X), dtype=int)
    singleton[5] = 1  # a cluster of one point has silhouette 0
    labelings.append(singleton)
    got = silhouette_scores(X, labelings)
    expected = [silhouette_score(X, labels) for labels in labelings]
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_silhouette_scores_hand_computed():
    X = np.array([[0.0], [1.0], [10.0], [11.0]])
    # point 0: a = 1, b = (10 + 11) / 2 = 10.5, s = 9.5 / 10.5; by symmetry all four
    # points: 0 and 3 have s = 9.5/10.5, 1 and 2 have a = 1, b = 9.5 -> 8.5/9.5
    expected = (2 * 9.5 / 10.5 + 2 * 8.5 / 9.5) / 4
    assert silhouette_scores(X, [np.array([0, 0, 1, 1])])[0] == pytest.approx(expected)
    assert np.isnan(silhouette_scores(X, [np.zeros(4, dtype=int)])[0])


# --- profiles and snake plots ---------------------------------------------------------------
@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recency": [1.0, 2.0, 3.0, 6.0],
            "monetary": [10.0, 10.0, 20.0, 20.0],
            "name": ["a", "b", "c", "d"],
        },
        index=[10, 11, 12, 13],
    )


def test_cluster_profile_hand_computed(customers):
    profile = cluster_profile(customers, np.array([1, 1, 0, 1]), features=["recency", "monetary"])
    assert profile.index.tolist() == [0, 1]
    assert profile.index.name == "cluster"
    assert profile["recency"].tolist() == [3.0, 3.0]  # (1 + 2 + 6) / 3 = 3
    assert profile["monetary"].tolist() == [20.0, pytest.approx(40 / 3)]
    assert profile["size"].tolist() == [1, 3]
    assert profile["share"].tolist() == [0.25, 0.75]


def test_cluster_profile_uses_labels_by_position(customers):
    labels = pd.Series(["x", "x", "y", "y"], index=[3, 2, 1, 0])  # index ignored
    profile = cluster_profile(customers, labels, features=["recency"])
    assert profile["recency"].tolist() == [1.5, 4.5]


def test_snake_plot_data_hand_computed(customers):
    out = snake_plot_data(customers, ["a", "a", "b", "b"], features=["recency", "monetary"])
    assert out.columns.tolist() == ["cluster", "feature", "value"]
    assert out["cluster"].tolist() == ["a", "a", "b", "b"]
    assert out["feature"].tolist() == ["recency", "monetary", "recency", "monetary"]
    # recency: mean 3, population sd sqrt(3.5); cluster a averages z of 1 and 2 = -1.5 / sd
    sd = np.sqrt(3.5)
    np.testing.assert_allclose(out["value"], [-1.5 / sd, -1.0, 1.5 / sd, 1.0])


def test_profile_helpers_bad_input(customers):
    with pytest.raises(ValueError, match="labels must be one per row of df"):
        cluster_profile(customers, [0, 1], features=["recency"])
    with pytest.raises(ValueError, match=r"missing column\(s\) \['frequency'\]"):
        cluster_profile(customers, [0, 0, 1, 1], features=["frequency"])
    with pytest.raises(ValueError, match=r"column 'name'.*must be numeric"):
        cluster_profile(customers, [0, 0, 1, 1], features=["name"])
    with pytest.raises(ValueError, match="labels has 1 missing value"):
        cluster_profile(customers, [0, 0, 1, None], features=["recency"])
    flat = customers.assign(monetary=5.0)
    with pytest.raises(ValueError, match="column 'monetary' of df has zero variance"):
        snake_plot_data(flat, [0, 0, 1, 1], features=["recency", "monetary"])
    with pytest.raises(ValueError, match=r"column 'recency'.*missing"):
        snake_plot_data(customers.assign(recency=np.nan), [0, 0, 1, 1], features=["recency"])
    with pytest.raises(TypeError):  # the feature columns are named by keyword
        cluster_profile(customers, [0, 0, 1, 1], ["recency"])  # type: ignore[misc]


# --- stability -------------------------------------------------------------------------------
def test_stability_ari_is_one_on_separated_blobs(blobs):
    ari = stability_ari(blobs, 4)
    assert ari.name == "ari"
    assert ari.index.names == ["seed_a", "seed_b"]
    assert len(ari) == 10  # 5 seeds -> 10 pairs
    np.testing.assert_allclose(ari.to_numpy(), 1.0)


def test_stability_ari_drops_without_structure():
    X = np.random.default_rng(0).uniform(size=(300, 2))
    ari = stability_ari(X, 7, seeds=[0, 1, 2, 3])
    assert len(ari) == 6
    assert ari.min() < 0.95


def test_stability_ari_bad_input(blobs):
    with pytest.raises(ValueError, match="at least two distinct seeds"):
        stability_ari(blobs, 4, seeds=[1, 1])
    with pytest.raises(ValueError, match="k must be at least 2"):
        stability_ari(blobs, 1)


# --- preparing features ----------------------------------------------------------------------
def test_prepare_features_hand_computed():
    df = pd.DataFrame(
        {"frequency": [0.0, np.e - 1, np.e**2 - 1], "share": [0.0, 0.25, 1.0], "age": [1, 2, 3]},
        index=[7, 8, 9],
    )
    transforms = {"share": "sqrt", "frequency": "log", "age": "none"}
    raw = prepare_features(df, transforms, scale=False)
    assert raw.columns.tolist() == ["share", "frequency", "age"]  # the order of transforms
    assert raw.index.tolist() == [7, 8, 9]
    np.testing.assert_allclose(raw["frequency"], [0.0, 1.0, 2.0])
    np.testing.assert_allclose(raw["share"], [0.0, 0.5, 1.0])
    np.testing.assert_allclose(raw["age"], [1.0, 2.0, 3.0])
    scaled = prepare_features(df, transforms)
    # 0, 1, 2 has mean 1 and population sd sqrt(2/3)
    np.testing.assert_allclose(scaled["frequency"], np.array([-1.0, 0.0, 1.0]) / np.sqrt(2 / 3))
    np.testing.assert_allclose(scaled.mean(), 0.0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(ddof=0), 1.0)


def test_prepare_features_matches_standard_scaler():
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    df = pd.DataFrame({"monetary": rng.gamma(2.0, 50.0, 200), "x": rng.normal(size=200)})
    got = prepare_features(df, {"monetary": "log", "x": "none"})
    expected = StandardScaler().fit_transform(np.column_stack([np.log1p(df["monetary"]),
                                                               df["x"]]))
    np.testing.assert_allclose(got.to_numpy(), expected, atol=1e-12)


def test_prepare_features_bad_input(customers):
    with pytest.raises(ValueError, match="transforms is empty"):
        prepare_features(customers, {})
    with pytest.raises(ValueError, match="unknown transform 'cube' for column 'recency'"):
        prepare_features(customers, {"recency": "cube"})
    with pytest.raises(ValueError, match=r"missing column\(s\) \['frequency'\]"):
        prepare_features(customers, {"frequency": "log"})
    with pytest.raises(ValueError, match=r"column 'name'.*must be numeric"):
        prepare_features(customers, {"name": "none"})
    with pytest.raises(ValueError, match="column 'recency' of df has 1 negative value"):
        prepare_features(customers.assign(recency=[-1.0, 2.0, 3.0, 4.0]), {"recency": "log"})
    with pytest.raises(ValueError, match="column 'monetary' of df has zero variance"):
        prepare_features(customers.assign(monetary=5.0), {"monetary": "log"})
    # without scaling a constant column is fine
    assert prepare_features(customers.assign(monetary=0.0), {"monetary": "log"},
                            scale=False)["monetary"].eq(0.0).all()
    with pytest.raises(ValueError, match="df is empty"):
        prepare_features(customers.iloc[:0], {"recency": "log"})


def test_seed_runs_match_choose_k_and_stability_ari(blobs):
    runs = seed_runs(blobs, 4, seeds=[0, 1, 2], n_init=2)
    assert runs.k == 4 and runs.n_init == 2
    assert runs.scores.index.tolist() == [0, 1, 2]
    assert runs.scores.columns.tolist() == ["inertia", "silhouette"]
    for seed in (0, 1):
        by_k = choose_k(blobs, [4], n_init=2, random_state=seed).scores.set_index("k")
        assert np.isclose(runs.scores.loc[seed, "silhouette"], by_k.loc[4, "silhouette"])
        assert np.isclose(runs.scores.loc[seed, "inertia"], by_k.loc[4, "inertia"])
    pd.testing.assert_series_equal(
        runs.ari(), stability_ari(blobs, 4, seeds=[0, 1, 2], n_init=2)
    )
    assert all(len(np.unique(labels)) == 4 for labels in runs.labels.values())


def test_seed_runs_sample_and_bad_input(blobs):
    sampled = seed_runs(blobs, 3, seeds=[0, 1], n_init=1, sample_size=100, random_state=3)
    rows = np.sort(np.random.default_rng(3).choice(len(blobs), size=100, replace=False))
    expected = silhouette_score(blobs[rows], sampled.labels[0][rows])
    assert np.isclose(sampled.scores.loc[0, "silhouette"], expected)
    with pytest.raises(ValueError, match="two distinct seeds"):
        seed_runs(blobs, 3, seeds=[1, 1])
    with pytest.raises(ValueError, match="n_init must be a positive integer"):
        seed_runs(blobs, 3, seeds=[0, 1], n_init=0)
    with pytest.raises(ValueError, match="too small"):
        seed_runs(blobs, 3, seeds=[0, 1], sample_size=3)
    with pytest.raises(ValueError, match="sample_size must be an integer"):
        seed_runs(blobs, 3, seeds=[0, 1], sample_size=50.0)
    with pytest.raises(ValueError, match="n_init must be a positive integer"):
        stability_ari(blobs, 3, seeds=[0, 1], n_init=0)


def test_renumber_by_mean():
    assert renumber_by_mean(np.array([0, 0, 1, 2]), [10.0, 20.0, 99.0, 1.0]).tolist() == [
        2, 2, 1, 3]
    # string labels, a tie between means keeps the labels' sorted order
    assert renumber_by_mean(["b", "a", "c"], [5.0, 5.0, 9.0]).tolist() == [3, 2, 1]
    with pytest.raises(ValueError, match="same length"):
        renumber_by_mean([0, 1], [1.0])
    with pytest.raises(ValueError, match="missing"):
        renumber_by_mean([0, 1], [1.0, np.nan])


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (-0.2, "no substantial structure"),
        (0.25, "no substantial structure"),
        (0.2501, "weak structure, which could be artificial"),
        (0.5, "weak structure, which could be artificial"),
        (0.7, "reasonable structure"),
        (0.71, "strong structure"),
        (1.0, "strong structure"),
    ],
)
def test_silhouette_structure_bands(score, text):
    assert silhouette_structure(score) == text


@pytest.mark.parametrize(
    ("ari", "text"),
    [(1.0, "excellent"), (0.9, "excellent"), (0.85, "good"), (0.65, "moderate"),
     (0.6499, "poor"), (-0.05, "poor")],
)
def test_ari_agreement_bands(ari, text):
    assert ari_agreement(ari) == text


@pytest.mark.parametrize("bad", [np.nan, 1.5, -1.5, "high", None])
def test_bands_reject_values_out_of_range(bad):
    with pytest.raises(ValueError, match="must be a number from -1 to 1"):
        silhouette_structure(bad)
    with pytest.raises(ValueError, match="must be a number from -1 to 1"):
        ari_agreement(bad)
