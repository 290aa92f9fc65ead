"""Dimension reduction: PCA reconstruction error, and a small autoencoder to compare with it.

Both answer the same question: if each customer is summarised by ``m`` numbers instead of
``p`` features, how much of the original information is lost? The loss is measured as the
**reconstruction error**, the mean squared difference between the features and their
reconstruction from the ``m`` numbers (on standardised features, PCA's error on the data it
was fitted to equals the share of variance its components leave out).

>>> import numpy as np
>>> X = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
>>> pca_reconstruction_error(X, [1, 2])["mse"].tolist()
[0.25, 0.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.special import expit
from sklearn.base import BaseEstimator
from sklearn.decomposition import PCA
from sklearn.neural_network import MLPRegressor
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .validation import require_matrix

__all__ = ["Autoencoder", "pca_reconstruction_error", "reconstruction_mse"]

_ACTIVATIONS = {
    "identity": lambda z: z,
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "logistic": expit,
}


def _as_matrix(X: object, name: str = "X", n_features: int | None = None) -> np.ndarray:
    """``X`` as a finite 2-D float array (a DataFrame's columns are named in errors)."""
    return require_matrix(X, name=name, n_features=n_features)


def reconstruction_mse(X: object, X_hat: object) -> float:
    """Mean squared difference between features and their reconstruction, over all cells.

    Examples
    --------
    >>> reconstruction_mse([[1.0, 2.0]], [[1.0, 0.0]])
    2.0
    """
    a = _as_matrix(X, "X")
    b = _as_matrix(X_hat, "X_hat")
    if a.shape != b.shape:
        raise ValueError(f"X has shape {a.shape} but X_hat has shape {b.shape}")
    return float(np.mean((a - b) ** 2))


def pca_reconstruction_error(
    X: np.ndarray | pd.DataFrame,
    n_components: Iterable[int],
    *,
    X_test: np.ndarray | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Reconstruction error of PCA with each number of components.

    For each ``m``, PCA with ``m`` components is fitted to ``X``; each row is projected on the
    components and mapped back (``inverse_transform``), and the mean squared difference is
    reported.

    Parameters
    ----------
    X : array-like, shape (n, p)
        Features (usually standardised). No NaN or infinite values.
    n_components : iterable of int
        Numbers of components to try, each between 1 and ``min(n, p)``.
    X_test : array-like, shape (n_test, p), optional
        Rows not used for fitting, to measure the error on new customers too.

    Returns
    -------
    DataFrame
        One row per ``m``: ``n_components``, ``explained_variance`` (cumulative share of
        variance of ``X`` the components capture), ``mse`` (on ``X``) and, with ``X_test``,
        ``test_mse``.

    Examples
    --------
    Two points on the x axis (variance 2) and two on the y axis (variance 0.5): one
    component keeps x, 2 / 2.5 = 80 % of the variance, and loses y (squared errors 0, 0, 1
    and 1 over 8 cells, mean 0.25):

    >>> X = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    >>> pca_reconstruction_error(X, [1, 2])[["explained_variance", "mse"]].round(3).values.tolist()
    [[0.8, 0.25], [1.0, 0.0]]
    """
    values = _as_matrix(X, "X")
    test = None if X_test is None else _as_matrix(X_test, "X_test", n_features=values.shape[1])
    limit = min(values.shape)
    ms = list(n_components)
    if not ms:
        raise ValueError("n_components is empty; pass e.g. range(1, p + 1)")
    for m in ms:
        if isinstance(m, bool) or not isinstance(m, int | np.integer) or not 1 <= m <= limit:
            raise ValueError(
                f"n_components must hold integers from 1 to {limit} (min of rows and "
                f"columns), got {m!r}"
            )
    rows = []
    for m in ms:
        pca = PCA(n_components=int(m), svd_solver="full").fit(values)
        row = {
            "n_components": int(m),
            "explained_variance": float(pca.explained_variance_ratio_.sum()),
            "mse": reconstruction_mse(values, pca.inverse_transform(pca.transform(values))),
        }
        if test is not None:
            row["test_mse"] = reconstruction_mse(test, pca.inverse_transform(pca.transform(test)))
        rows.append(row)
    return pd.DataFrame(rows)


class Autoencoder(BaseEstimator):
    """A small autoencoder: a scikit-learn ``MLPRegressor`` trained to reproduce its input.

    The network is ``p -> hidden -> bottleneck -> reversed(hidden) -> p``. :meth:`encode`
    gives each row's ``bottleneck`` numbers (the non-linear counterpart of PCA scores),
    :meth:`decode` maps such numbers back to the ``p`` features.

    Parameters
    ----------
    bottleneck : int
        Size of the middle layer: how many numbers summarise a customer.
    hidden : sequence of int
        Sizes of the layers between the input and the bottleneck (mirrored after it).
    activation : {"tanh", "relu", "logistic", "identity"}
        Activation of every hidden layer (the bottleneck included); ``"identity"`` makes the
        network linear, so it can do no better than PCA.
    alpha : float
        L2 penalty on the weights.
    batch_size : int
        Rows per gradient step (Adam); all training rows if there are fewer.
    learning_rate_init : float
        Adam's step size.
    max_iter : int
        Maximum passes over the data.
    early_stopping : bool
        Hold out ``validation_fraction`` of the rows and stop when their score has not
        improved for ``n_iter_no_change`` passes.
    validation_fraction : float
        Share of rows held out for early stopping.
    n_iter_no_change : int
        Patience of early stopping (and of the training-loss stopping rule without it).
    random_state : int
        Seed for the weights and the early-stopping split.

    Attributes
    ----------
    mlp_ : MLPRegressor
        The fitted network.
    n_features_in_ : int
        Number of features seen in ``fit``.
    n_iter_ : int
        Passes over the data that training took.
    converged_ : bool
        ``True`` when training stopped by itself before ``max_iter``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> t = rng.uniform(-1, 1, size=(200, 1))
    >>> X = np.hstack([t, 2 * t, -t])              # every row lies on one line
    >>> ae = Autoencoder(bottleneck=1, hidden=(), activation="identity").fit(X)
    >>> ae.encode(X).shape, bool(ae.reconstruction_error(X) < 0.01 * np.mean(X**2))
    ((200, 1), True)
    """

    def __init__(
        self,
        bottleneck: int = 2,
        hidden: Sequence[int] = (16,),
        activation: str = "tanh",
        alpha: float = 1e-4,
        batch_size: int = 256,
        learning_rate_init: float = 0.003,
        max_iter: int = 2000,
        early_stopping: bool = True,
        validation_fraction: float = 0.1,
        n_iter_no_change: int = 20,
        random_state: int = 0,
    ) -> None:
        self.bottleneck = bottleneck
        self.hidden = hidden
        self.activation = activation
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.random_state = random_state

    def _layers(self) -> tuple[int, ...]:
        sizes = [self.bottleneck, *self.hidden]
        if any(isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 1
               for s in sizes):
            raise ValueError(
                f"bottleneck and hidden sizes must be positive integers, got "
                f"bottleneck={self.bottleneck!r}, hidden={self.hidden!r}"
            )
        if self.activation not in _ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {sorted(_ACTIVATIONS)}, got {self.activation!r}"
            )
        hidden = tuple(int(s) for s in self.hidden)
        return (*hidden, int(self.bottleneck), *reversed(hidden))

    def fit(self, X: np.ndarray | pd.DataFrame, y: object = None) -> Autoencoder:
        """Train the network to reproduce ``X`` (``y`` is ignored)."""
        layers = self._layers()
        values = _as_matrix(X, "X")
        if self.bottleneck >= values.shape[1]:
            raise ValueError(
                f"bottleneck={self.bottleneck} must be smaller than the number of features "
                f"({values.shape[1]}), or there is nothing to compress"
            )
        n_train = values.shape[0]
        if self.early_stopping:
            n_train -= int(np.ceil(self.validation_fraction * n_train))
        self.mlp_ = MLPRegressor(
            hidden_layer_sizes=layers,
            activation=self.activation,
            alpha=self.alpha,
            batch_size=max(1, min(int(self.batch_size), n_train)),  # small data: one batch
            learning_rate_init=self.learning_rate_init,
            max_iter=self.max_iter,
            early_stopping=self.early_stopping,
            validation_fraction=self.validation_fraction,
            n_iter_no_change=self.n_iter_no_change,
            random_state=self.random_state,
        )
        # One BLAS thread: the network is tiny, and the result is then the same bit for bit
        # whatever the number of cores.
        with threadpool_limits(limits=1, user_api="blas"):
            self.mlp_.fit(values, values)
        self.n_features_in_ = values.shape[1]
        self.n_iter_ = int(self.mlp_.n_iter_)
        self.converged_ = self.n_iter_ < self.max_iter
        return self

    def _forward(self, values: np.ndarray, start: int, stop: int) -> np.ndarray:
        act = _ACTIVATIONS[self.activation]
        last = len(self.mlp_.coefs_) - 1
        for i in range(start, stop):
            values = values @ self.mlp_.coefs_[i] + self.mlp_.intercepts_[i]
            if i != last:  # the output layer of a regressor is linear
                values = act(values)
        return values

    def encode(self, X: np.ndarray | pd.DataFrame) -> np.ndarray:
        """The ``bottleneck`` numbers of each row, shape (n, bottleneck)."""
        check_is_fitted(self, "mlp_")
        values = _as_matrix(X, "X", n_features=self.n_features_in_)
        return self._forward(values, 0, len(self.hidden) + 1)

    def decode(self, Z: np.ndarray) -> np.ndarray:
        """Features reconstructed from bottleneck values, shape (n, n_features_in_)."""
        check_is_fitted(self, "mlp_")
        codes = _as_matrix(Z, "Z", n_features=int(self.bottleneck))
        return self._forward(codes, len(self.hidden) + 1, len(self.mlp_.coefs_))

    def transform(self, X: np.ndarray | pd.DataFrame) -> np.ndarray:
        """Same as :meth:`encode` (scikit-learn name)."""
        return self.encode(X)

    def reconstruct(self, X: np.ndarray | pd.DataFrame) -> np.ndarray:
        """``decode(encode(X))``: each row squeezed through the bottleneck and back."""
        return self.decode(self.encode(X))

    def reconstruction_error(self, X: np.ndarray | pd.DataFrame) -> float:
        """Mean squared difference between ``X`` and :meth:`reconstruct` of it."""
        return reconstruction_mse(X, self.reconstruct(X))
