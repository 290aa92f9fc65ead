"""Tests for helpers.reduction: PCA reconstruction error and the autoencoder."""

from __future__ import annotations

import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA

from helpers.plotting import correlation_circle, new_figure, spread_labels
from helpers.reduction import Autoencoder, pca_reconstruction_error, reconstruction_mse

# Two points on the x axis (variance 2), two on the y axis (variance 0.5).
CROSS = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]])


@pytest.fixture(scope="module")
def correlated() -> np.ndarray:
    """300 rows, 5 standardised features driven by 2 hidden factors plus a little noise."""
    rng = np.random.default_rng(0)
    factors = rng.normal(size=(300, 2))
    X = factors @ rng.normal(size=(2, 5)) + 0.1 * rng.normal(size=(300, 5))
    return (X - X.mean(axis=0)) / X.std(axis=0)


# --- reconstruction_mse ----------------------------------------------------------------------
def test_reconstruction_mse_hand_computed():
    assert reconstruction_mse([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]]) == 0.0
    # squared errors 0, 4, 1, 1 over 4 cells
    assert reconstruction_mse([[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [2.0, 5.0]]) == 1.5


def test_reconstruction_mse_bad_input():
    with pytest.raises(ValueError, match=r"X has shape \(1, 2\) but X_hat has shape \(1, 3\)"):
        reconstruction_mse([[1.0, 2.0]], [[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="X is empty"):
        reconstruction_mse(np.empty((0, 2)), np.empty((0, 2)))


# --- pca_reconstruction_error ----------------------------------------------------------------
def test_pca_error_hand_computed():
    out = pca_reconstruction_error(CROSS, [1, 2])
    assert out.columns.tolist() == ["n_components", "explained_variance", "mse"]
    assert out["n_components"].tolist() == [1, 2]
    # one component keeps x (2 of 2.5 of the variance) and loses y: errors 0, 0, 1, 1 / 8
    np.testing.assert_allclose(out["explained_variance"], [0.8, 1.0])
    np.testing.assert_allclose(out["mse"], [0.25, 0.0], atol=1e-12)


def test_pca_error_all_components_is_perfect(correlated):
    out = pca_reconstruction_error(correlated, range(1, 6))
    assert out["mse"].iloc[-1] == pytest.approx(0.0, abs=1e-20)
    assert out["explained_variance"].iloc[-1] == pytest.approx(1.0)
    assert out["mse"].is_monotonic_decreasing
    assert out["explained_variance"].is_monotonic_increasing


def test_pca_error_equals_unexplained_variance_on_standardised_data(correlated):
    # each standardised feature has (population) variance 1, so the error is the share of
    # variance the components leave out
    out = pca_reconstruction_error(correlated, [1, 2, 3])
    np.testing.assert_allclose(out["mse"], 1 - out["explained_variance"], atol=1e-12)
    # two hidden factors: two components already keep almost everything
    assert out["explained_variance"].iloc[1] > 0.97


def test_pca_error_on_test_rows(correlated):
    train, test = correlated[:200], correlated[200:]
    out = pca_reconstruction_error(train, [2, 5], X_test=test)
    assert out.columns.tolist() == ["n_components", "explained_variance", "mse", "test_mse"]
    pca = PCA(2).fit(train)
    expected = np.mean((test - pca.inverse_transform(pca.transform(test))) ** 2)
    assert out["test_mse"].iloc[0] == pytest.approx(expected)
    assert out["test_mse"].iloc[1] == pytest.approx(0.0, abs=1e-20)


def test_pca_error_accepts_dataframe_and_names_bad_column(correlated):
    df = pd.DataFrame(correlated, columns=list("abcde"))
    pd.testing.assert_frame_equal(pca_reconstruction_error(df, [2]),
                                  pca_reconstruction_error(correlated, [2]))
    df.loc[4, "c"] = np.nan
    with pytest.raises(ValueError, match=r"1 NaN or infinite value\(s\) in 'c'"):
        pca_reconstruction_error(df, [2])


@pytest.mark.parametrize(
    ("ks", "message"),
    [([0], r"from 1 to 2"), ([3], r"from 1 to 2"), ([1.5], "integers"), ([], "is empty")],
)
def test_pca_error_bad_components(ks, message):
    with pytest.raises(ValueError, match=message):
        pca_reconstruction_error(CROSS, ks)


def test_pca_error_bad_test_shape():
    with pytest.raises(ValueError, match="X_test has 3 columns, expected 2"):
        pca_reconstruction_error(CROSS, [1], X_test=np.zeros((2, 3)))


# --- Autoencoder -------------------------------------------------------------------------------
def test_autoencoder_shapes_and_encode_decode_is_predict(correlated):
    ae = Autoencoder(bottleneck=2, hidden=(8,), random_state=1)
    assert ae.fit(correlated) is ae
    assert ae.encode(correlated).shape == (300, 2)
    assert ae.decode(np.zeros((3, 2))).shape == (3, 5)
    # squeezing through the bottleneck by hand gives exactly the network's prediction
    np.testing.assert_allclose(ae.reconstruct(correlated), ae.mlp_.predict(correlated),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(ae.transform(correlated), ae.encode(correlated))
    assert ae.reconstruction_error(correlated) == pytest.approx(
        np.mean((correlated - ae.mlp_.predict(correlated)) ** 2))
    assert ae.n_features_in_ == 5
    assert ae.mlp_.hidden_layer_sizes == (8, 2, 8)
    # converged_ only says that early stopping ended training before max_iter; what was
    # learnt is judged by its values: two numbers per row reconstruct far better than PCA's
    # first component alone (0.02 against 0.15)
    assert ae.converged_ == (ae.n_iter_ < ae.max_iter)
    pca_one = pca_reconstruction_error(correlated, [1])["mse"].iloc[0]
    assert ae.reconstruction_error(correlated) < 0.5 * pca_one


def test_autoencoder_is_deterministic(correlated):
    a = Autoencoder(bottleneck=2, hidden=(8,), random_state=3).fit(correlated)
    b = Autoencoder(bottleneck=2, hidden=(8,), random_state=3).fit(correlated)
    np.testing.assert_array_equal(a.encode(correlated), b.encode(correlated))


def test_linear_autoencoder_cannot_beat_pca(correlated):
    # a linear network with a bottleneck of 2 spans at best PCA's 2-D subspace
    ae = Autoencoder(bottleneck=2, hidden=(), activation="identity", random_state=0).fit(
        correlated)
    pca_mse = pca_reconstruction_error(correlated, [2])["mse"].iloc[0]
    assert ae.reconstruction_error(correlated) >= pca_mse - 1e-9
    assert ae.reconstruction_error(correlated) < pca_mse + 0.05  # and gets close to it


def test_autoencoder_reconstructs_data_on_a_curve_better_than_pca():
    # points on a parabola: one number (t) describes each, but no straight line does
    t = np.random.default_rng(0).uniform(-1, 1, 500)
    X = np.column_stack([t, t**2])
    # one component keeps t and loses t^2: half of var(t^2) = 4/45, i.e. 2/45 per cell
    pca_mse = pca_reconstruction_error(X, [1])["mse"].iloc[0]
    assert pca_mse == pytest.approx(2 / 45, rel=0.1)
    # Training is not convex: a run can stop in a poor solution (about 1 run in 5 here, and
    # which ones depends on the last bits of the arithmetic, so on the machine). Keep the
    # best of up to ten (stopping at the first success): all ten failing is then far less
    # likely than one in a million.
    best = np.inf
    for seed in range(10):
        best = min(best, Autoencoder(bottleneck=1, hidden=(16,), learning_rate_init=0.01,
                                     random_state=seed).fit(X).reconstruction_error(X))
        if best < 0.1 * pca_mse:
            break
    assert best < 0.1 * pca_mse


def test_autoencoder_no_convergence_warning_with_early_stopping(correlated):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Autoencoder(bottleneck=2, hidden=(8,), random_state=0).fit(correlated)


def test_autoencoder_bad_input(correlated):
    with pytest.raises(ValueError, match="bottleneck=5 must be smaller than the number of"):
        Autoencoder(bottleneck=5).fit(correlated)
    with pytest.raises(ValueError, match="positive integers"):
        Autoencoder(bottleneck=0).fit(correlated)
    with pytest.raises(ValueError, match="activation must be one of"):
        Autoencoder(activation="softmax").fit(correlated)
    ae = Autoencoder(bottleneck=2, hidden=(4,)).fit(correlated)
    with pytest.raises(ValueError, match="X has 4 columns, expected 5"):
        ae.encode(correlated[:, :4])
    with pytest.raises(ValueError, match="Z has 3 columns, expected 2"):
        ae.decode(np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"NaN or infinite value\(s\) in 'column 1'"):
        bad = correlated.copy()
        bad[0, 1] = np.inf
        Autoencoder().fit(bad)


# --- correlation circle (helpers.plotting) ------------------------------------------------------
def _overlap(a, b) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.y1, b.y1) > max(a.y0, b.y0)


def test_correlation_circle_draws_pca_correlations_without_overlapping_labels(correlated):
    matplotlib.use("Agg")
    pca = PCA(n_components=2).fit(correlated)
    scores = pca.transform(correlated)
    # eigenvector x sqrt(eigenvalue) is the correlation of each feature with each score
    eigenvalues = pca.explained_variance_ * (len(correlated) - 1) / len(correlated)
    loadings = pca.components_.T * np.sqrt(eigenvalues)
    direct = np.corrcoef(correlated.T, scores.T)[:5, 5:]
    np.testing.assert_allclose(loadings, direct, atol=1e-12)
    # two hidden factors: nearly every feature's arrow reaches the circle
    assert np.all((loadings**2).sum(axis=1) > 0.9)
    frame = pd.DataFrame(loadings, index=[f"feature number {i}" for i in range(5)],
                         columns=["PC1", "PC2"])
    # the same arrow twice and a near twin: their labels must not sit on top of each other
    frame.loc["twin of feature 0"] = frame.iloc[0]
    frame.loc["near twin of feature 0"] = frame.iloc[0] * 0.97
    fig, ax = new_figure(figsize=(5, 5))
    assert correlation_circle(ax, frame) is ax
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert [t.get_text() for t in ax.texts] == list(frame.index)
    assert not any(_overlap(boxes[i], boxes[j])
                   for i in range(len(boxes)) for j in range(i + 1, len(boxes)))
    assert ax.get_aspect() == 1.0
    plt.close(fig)


def test_spread_labels_separates_stacked_labels():
    matplotlib.use("Agg")
    fig, ax = new_figure()
    texts = [ax.text(0.5, 0.5, name) for name in ("a label", "another", "a third one")]
    spread_labels(ax, texts, pad=1)
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts]
    assert not any(_overlap(boxes[i], boxes[j]) for i in range(3) for j in range(i + 1, 3))
    assert len({t.get_position()[0] for t in texts}) == 1  # moved vertically only
    plt.close(fig)


def test_correlation_circle_bad_input():
    matplotlib.use("Agg")
    fig, ax = new_figure()
    with pytest.raises(ValueError, match="exactly two columns"):
        correlation_circle(ax, pd.DataFrame({"PC1": [0.5]}))
    with pytest.raises(ValueError, match="'spend' lie outside"):
        correlation_circle(ax, pd.DataFrame({"PC1": [0.5, 2.5], "PC2": [0.1, 0.2]},
                                            index=["orders", "spend"]))
    with pytest.raises(ValueError, match="missing or non-numeric"):
        correlation_circle(ax, pd.DataFrame({"PC1": [0.5, np.nan], "PC2": [0.1, 0.2]}))
    plt.close(fig)
