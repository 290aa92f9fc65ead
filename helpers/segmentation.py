"""Customer segmentation with K-Means: choosing k, profiling clusters, checking stability.

>>> from sklearn.datasets import make_blobs
>>> X, _ = make_blobs(n_samples=300, centers=3, random_state=0)
>>> choose_k(X, range(2, 6)).best_k
3

The functions do not scale features: standardise (or log-transform then standardise) RFM
values before clustering, or monetary value alone will decide the clusters.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import (
    adjusted_rand_score,
    calinski_harabasz_score,
    davies_bouldin_score,
    euclidean_distances,
)
from threadpoolctl import threadpool_limits
from tqdm import tqdm  # plain text bar: tqdm.auto warns in kernels without ipywidgets

from .validation import (
    require_columns,
    require_frame,
    require_matrix,
    require_numeric,
    require_paired_arrays,
)

__all__ = [
    "ARI_BANDS",
    "SILHOUETTE_BANDS",
    "SILHOUETTE_SAMPLE_SIZE",
    "TRANSFORMS",
    "KChoice",
    "SeedRuns",
    "ari_agreement",
    "choose_k",
    "compare_groupings",
    "elbow_bend",
    "merge_gaps",
    "silhouette_by_segment",
    "silhouette_rows",
    "stability_table",
    "cluster_profile",
    "prepare_features",
    "renumber_by_mean",
    "seed_runs",
    "silhouette_scores",
    "silhouette_structure",
    "snake_plot_data",
    "stability_ari",
]

#: Above this many rows, choose_k computes the silhouette on a fixed-seed sample of this size:
#: the exact silhouette needs all pairwise distances (n^2), 2.5e9 of them for 50,000 customers.
SILHOUETTE_SAMPLE_SIZE: int = 10_000

# Rows of the distance matrix computed at a time: 512 x 10,000 float64 is 40 MB.
_CHUNK_ROWS = 512


#: Transforms :func:`prepare_features` knows: ``log`` is log(1 + x), for counts and money
#: (x >= 0); ``sqrt`` is the square root, for shares (x >= 0); ``none`` keeps the value.
TRANSFORMS: dict[str, object] = {"log": np.log1p, "sqrt": np.sqrt, "none": lambda x: x}


def prepare_features(
    df: pd.DataFrame, transforms: Mapping[str, str], *, scale: bool = True
) -> pd.DataFrame:
    """Transform each feature, then standardise it: the matrix K-Means and PCA work on.

    Parameters
    ----------
    df : DataFrame
        One row per customer.
    transforms : mapping of str to str
        Column -> ``"log"`` (log(1 + x)), ``"sqrt"`` or ``"none"``, in the order wanted.
    scale : bool
        Standardise each transformed column to mean 0 and (population) standard deviation 1,
        as ``StandardScaler`` does. ``False`` returns the transformed values.

        Standardising gives every column the same weight in a Euclidean distance. For the
        square roots of shares this is a choice, not a neutral step: the Euclidean distance
        between square-rooted shares is (up to a factor sqrt(2)) the Hellinger distance
        between two mixes, and dividing each column by its own standard deviation turns it
        into a distance that weighs every category equally instead.

    Returns
    -------
    DataFrame
        Same index as ``df``, one column per key of ``transforms`` (same names).

    Raises
    ------
    ValueError
        On a missing, non-numeric or incomplete column, an unknown transform, a negative value
        under ``log`` or ``sqrt``, or (with ``scale``) a column without variation.

    Examples
    --------
    >>> df = pd.DataFrame({"frequency": [0, 1, 3], "online_share": [0.0, 0.5, 1.0]})
    >>> prepare_features(df, {"frequency": "log", "online_share": "none"}, scale=False
    ...                  )["frequency"].round(3).tolist()
    [0.0, 0.693, 1.386]
    """
    name = "df"
    require_frame(df, name=name)
    if not transforms:
        raise ValueError("transforms is empty: map each feature column to a transform")
    unknown = {c: t for c, t in transforms.items() if t not in TRANSFORMS}
    if unknown:
        column, how = next(iter(unknown.items()))
        raise ValueError(
            f"unknown transform {how!r} for column '{column}'; use one of {sorted(TRANSFORMS)}"
        )
    frame = _features_for(df, list(transforms), name)
    out = {}
    for column, how in transforms.items():
        values = frame[column].to_numpy()
        if how in ("log", "sqrt") and (values < 0).any():
            raise ValueError(
                f"column '{column}' of {name} has {int((values < 0).sum())} negative value(s); "
                f"the {how} transform needs values >= 0"
            )
        out[column] = TRANSFORMS[how](values)
    result = pd.DataFrame(out, index=df.index)
    if scale:
        std = result.std(ddof=0)
        flat = std.index[std.to_numpy() == 0].tolist()
        if flat:
            raise ValueError(
                f"column '{flat[0]}' of {name} has zero variance: it cannot be standardised"
            )
        result = (result - result.mean()) / std
    return result


def _fit_kmeans(values: np.ndarray, k: int, n_init: int, seed: int) -> KMeans:
    """Lloyd K-Means on one OpenMP thread.

    A fit on 50,000 x 6 takes milliseconds of CPU, so threads gain little; but when another
    process holds a core (a second notebook, a laptop's background work) sklearn's OpenMP
    threads wait on each other at every iteration, and choose_k was measured 10x slower in
    wall time (19 s instead of 2 s on 2 shared cores).
    """
    with threadpool_limits(limits=1, user_api="openmp"):
        return KMeans(n_clusters=k, n_init=n_init, random_state=seed, algorithm="lloyd").fit(
            values
        )


def _as_matrix(X: object, name: str = "X") -> np.ndarray:
    """``X`` as a 2-D float array, raising on text, NaN or infinite values (naming the column)."""
    return require_matrix(X, name=name, hint="impute or drop them before clustering")


def _check_k(k: object, n_samples: int) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        raise ValueError(f"k must be an integer, got {k!r}")
    if k < 2:
        raise ValueError(f"k must be at least 2 (one cluster is no segmentation), got k={k}")
    if k >= n_samples:
        raise ValueError(f"k={k} must be smaller than the number of samples ({n_samples})")
    return int(k)


def _check_n_init(n_init: object) -> None:
    if isinstance(n_init, bool) or not isinstance(n_init, int | np.integer) or n_init < 1:
        raise ValueError(f"n_init must be a positive integer, got {n_init!r}")


def _silhouette_rows(n: int, sample_size: object, random_state: int, k_max: int
                     ) -> np.ndarray:
    """Sorted rows the silhouette is computed on: all up to ``SILHOUETTE_SAMPLE_SIZE`` (or
    ``sample_size``) rows, else a sample drawn with ``default_rng(random_state)``."""
    if sample_size is None:
        rows = min(n, SILHOUETTE_SAMPLE_SIZE)
    else:
        if isinstance(sample_size, bool) or not isinstance(sample_size, int | np.integer):
            raise ValueError(f"sample_size must be an integer, got {sample_size!r}")
        rows = min(n, int(sample_size))
        if rows <= k_max:
            raise ValueError(
                f"sample_size={sample_size} is too small for k={k_max}: the silhouette "
                "needs more sampled rows than clusters"
            )
    if rows < n:
        return np.sort(np.random.default_rng(random_state).choice(n, size=rows, replace=False))
    return np.arange(n)


def silhouette_scores(X: np.ndarray, labelings: Sequence[np.ndarray]) -> np.ndarray:
    """Mean silhouette of several labelings of the same rows, sharing one distance pass.

    Equal to ``sklearn.metrics.silhouette_score(X, labels)`` for each labeling (the tests
    check it), but the pairwise distances are computed once for all of them instead of once
    per labeling, and the per-cluster sums are one matrix product instead of a Python loop.

    Parameters
    ----------
    X : ndarray, shape (n, p)
        Points (already sampled, if sampling is wanted).
    labelings : sequence of int arrays, each of shape (n,)
        Cluster labels; each labeling needs at least 2 clusters among the rows.

    Returns
    -------
    ndarray
        One silhouette per labeling (NaN where the rows hold fewer than 2 clusters).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> silhouette_scores(X, [np.array([0, 0, 1, 1])]).round(3).tolist()
    [0.9]
    """
    X = np.asarray(X, dtype=float)
    n = X.shape[0]
    one_hots, blocks = [], []
    start = 0
    for labels in labelings:
        codes, uniques = pd.factorize(np.asarray(labels))
        k = len(uniques)
        one_hot = np.zeros((n, k))
        one_hot[np.arange(n), codes] = 1.0
        one_hots.append(one_hot)
        blocks.append((start, k, codes, one_hot.sum(axis=0)))
        start += k
    stacked = np.hstack(one_hots)
    totals = np.zeros(len(blocks))
    for lo in range(0, n, _CHUNK_ROWS):
        hi = min(lo + _CHUNK_ROWS, n)
        distances = euclidean_distances(X[lo:hi], X)
        # The dot-product formula leaves tiny non-zeros on the diagonal; a point is at
        # distance 0 from itself, as in sklearn's silhouette.
        distances[np.arange(hi - lo), np.arange(lo, hi)] = 0.0
        sums = distances @ stacked
        rows = np.arange(hi - lo)
        for b, (offset, k, codes, sizes) in enumerate(blocks):
            if k < 2:
                continue
            own = codes[lo:hi]
            block = sums[:, offset : offset + k]
            own_size = sizes[own]
            with np.errstate(divide="ignore", invalid="ignore"):
                a = block[rows, own] / (own_size - 1)
                means = block / sizes
            means[rows, own] = np.inf
            nearest = means.min(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                s = (nearest - a) / np.maximum(a, nearest)
            # A point alone in its cluster has silhouette 0 by definition.
            totals[b] += np.where(own_size > 1, np.nan_to_num(s), 0.0).sum()
    scores = totals / n
    scores[[k < 2 for _, k, _, _ in blocks]] = np.nan
    return scores


@dataclass
class KChoice:
    """What :func:`choose_k` found.

    Attributes
    ----------
    best_k : int
        The k with the highest silhouette (the smallest such k on a tie).
    scores : DataFrame
        One row per k: ``k``, ``inertia`` (within-cluster sum of squares, for the elbow plot),
        ``silhouette`` (higher is better), ``calinski_harabasz`` (higher is better) and
        ``davies_bouldin`` (lower is better).
    silhouette_rows : int
        How many rows the silhouette was computed on (all, or the sample).
    models : dict of int to KMeans
        The fitted model for each k, so the chosen one need not be refitted.
    """

    best_k: int
    scores: pd.DataFrame
    silhouette_rows: int
    models: dict[int, KMeans] = field(repr=False)


def choose_k(
    X: np.ndarray | pd.DataFrame,
    k_values: Iterable[int] = range(2, 11),
    *,
    random_state: int = 0,
    sample_size: int | None = None,
    n_init: int = 10,
    progress: bool = False,
) -> KChoice:
    """Fit K-Means for each k and score the clusterings, to choose the number of segments.

    Inertia, Calinski-Harabasz and Davies-Bouldin use all rows. The silhouette needs all
    pairwise distances, so it is computed on a sample of ``sample_size`` rows drawn once with
    ``random_state`` (the same rows for every k): by default all rows when there are at most
    :data:`SILHOUETTE_SAMPLE_SIZE` (10,000), else a sample of 10,000.

    Parameters
    ----------
    X : array-like, shape (n, p)
        Features, already scaled. No NaN or infinite values.
    k_values : iterable of int
        Numbers of clusters to try; each at least 2 and below the number of rows.
    random_state : int
        Seed for K-Means and for the silhouette sample.
    sample_size : int, optional
        Rows for the silhouette (all rows if ``sample_size >= n``).
    n_init : int
        K-Means restarts per k (Lloyd's algorithm); the best by inertia is kept.
    progress : bool
        Show a tqdm progress bar over k.

    Returns
    -------
    KChoice
        ``best_k`` (highest silhouette), ``scores``, ``silhouette_rows`` and ``models``.

    Notes
    -----
    K-Means runs on one OpenMP thread (see ``_fit_kmeans``): on a shared machine this was
    several times faster in wall time than sklearn's default threading. On 50,000 x 6 with
    k = 2..10 and ``n_init=10`` the whole call takes about 2-6 s on 2 cores.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=200, centers=[[0, 0], [8, 0], [0, 8], [8, 8]],
    ...                   random_state=1)
    >>> result = choose_k(X, [2, 3, 4, 5])
    >>> result.best_k, result.scores["k"].tolist()
    (4, [2, 3, 4, 5])
    """
    values = _as_matrix(X)
    n = values.shape[0]
    ks = [_check_k(k, n) for k in k_values]
    if not ks:
        raise ValueError("k_values is empty; pass e.g. range(2, 11)")
    if len(set(ks)) != len(ks):
        raise ValueError(f"k_values has duplicates: {ks}")
    _check_n_init(n_init)
    sample = _silhouette_rows(n, sample_size, random_state, max(ks))

    models: dict[int, KMeans] = {}
    records = []
    for k in tqdm(ks, desc="K-Means", unit="k", disable=not progress):
        model = _fit_kmeans(values, k, n_init, random_state)
        labels = model.labels_
        models[k] = model
        records.append(
            {
                "k": k,
                "inertia": float(model.inertia_),
                "calinski_harabasz": float(calinski_harabasz_score(values, labels)),
                "davies_bouldin": float(davies_bouldin_score(values, labels)),
            }
        )
    silhouettes = silhouette_scores(values[sample], [models[k].labels_[sample] for k in ks])
    scores = pd.DataFrame(records)
    scores.insert(2, "silhouette", silhouettes)
    best_k = int(scores.loc[scores["silhouette"].idxmax(), "k"])
    return KChoice(best_k=best_k, scores=scores, silhouette_rows=len(sample), models=models)


def _labels_for(df: pd.DataFrame, labels: object) -> np.ndarray:
    values = np.asarray(labels)
    if values.ndim != 1 or len(values) != len(df):
        raise ValueError(
            f"labels must be one per row of df: got shape {values.shape} for {len(df)} rows"
        )
    if pd.isna(values).any():
        raise ValueError(f"labels has {int(pd.isna(values).sum())} missing value(s)")
    return values


def _features_for(df: pd.DataFrame, features: Sequence[str], name: str) -> pd.DataFrame:
    features = list(features)
    if not features:
        raise ValueError("features is empty: name the columns to profile")
    require_columns(df, features, name=name)
    out = pd.DataFrame({f: require_numeric(df, f, name=name).to_numpy() for f in features})
    missing = out.isna().sum()
    if missing.any():
        column = missing.index[missing.to_numpy() > 0][0]
        raise ValueError(f"column '{column}' of {name} has {int(missing[column])} missing values")
    return out


def cluster_profile(
    df: pd.DataFrame, labels: np.ndarray | pd.Series, *, features: Sequence[str]
) -> pd.DataFrame:
    """Mean of each feature per cluster, with the cluster's size and share of customers.

    Parameters
    ----------
    df : DataFrame
        One row per customer.
    labels : array-like
        Cluster of each row of ``df``, by position (a Series' index is ignored).
    features : sequence of str
        Numeric columns of ``df`` to average.

    Returns
    -------
    DataFrame
        Indexed by cluster (sorted, index named ``cluster``): the feature means, ``size``
        (customers) and ``share`` (size / total, sums to 1).

    Examples
    --------
    >>> df = pd.DataFrame({"recency": [1, 3, 30], "monetary": [100.0, 50.0, 10.0]})
    >>> cluster_profile(df, [0, 0, 1], features=["recency", "monetary"])["monetary"].tolist()
    [75.0, 10.0]
    """
    name = "df"
    frame = _features_for(require_frame(df, name=name), features, name)
    frame["cluster"] = _labels_for(df, labels)
    grouped = frame.groupby("cluster", sort=True)
    profile = grouped[list(features)].mean()
    profile["size"] = grouped.size().astype(np.int64)
    profile["share"] = profile["size"] / len(frame)
    return profile


def snake_plot_data(
    df: pd.DataFrame, labels: np.ndarray | pd.Series, *, features: Sequence[str]
) -> pd.DataFrame:
    """Standardised feature means per cluster, in long format for a snake plot.

    Each feature is z-scored over all rows (population standard deviation, as
    ``StandardScaler`` does) and then averaged per cluster, so 0 is the customer average and
    1 is one standard deviation above it.

    Parameters
    ----------
    df : DataFrame
        One row per customer.
    labels : array-like
        Cluster of each row of ``df``, by position.
    features : sequence of str
        Numeric columns, each with some variation.

    Returns
    -------
    DataFrame
        Columns ``cluster``, ``feature`` and ``value``; one row per cluster and feature,
        clusters sorted, features in the order given. Plot with e.g.
        ``seaborn.lineplot(data=out, x="feature", y="value", hue="cluster")``.

    Examples
    --------
    >>> df = pd.DataFrame({"frequency": [1.0, 3.0]})
    >>> snake_plot_data(df, ["a", "b"], features=["frequency"])["value"].tolist()
    [-1.0, 1.0]
    """
    name = "df"
    frame = _features_for(require_frame(df, name=name), features, name)
    features = list(features)
    std = frame.std(ddof=0)
    flat = std.index[std.to_numpy() == 0].tolist()
    if flat:
        raise ValueError(
            f"column '{flat[0]}' of {name} has zero variance: it cannot be standardised"
        )
    z = (frame - frame.mean()) / std
    z["cluster"] = _labels_for(df, labels)
    means = z.groupby("cluster", sort=True)[features].mean()
    long = means.reset_index().melt(id_vars="cluster", var_name="feature", value_name="value")
    # melt stacks feature by feature; clusters first reads more naturally in a table.
    order = {f: i for i, f in enumerate(features)}
    long["_order"] = long["feature"].map(order)
    long = long.sort_values(["cluster", "_order"], kind="stable").drop(columns="_order")
    return long.reset_index(drop=True)


def _labels_by_seed(values: np.ndarray, k: int, seeds: list, n_init: int) -> dict:
    return {seed: _fit_kmeans(values, k, n_init, seed) for seed in seeds}


def _seed_runs_inputs(X: object, k: object, seeds: Iterable[int], n_init: object
                      ) -> tuple[np.ndarray, int, list[int]]:
    """Check the inputs of a refit per seed: the matrix, k, the seeds and n_init."""
    values = _as_matrix(X)
    k = _check_k(k, values.shape[0])
    _check_n_init(n_init)
    return values, k, _distinct_seeds(seeds)


def _distinct_seeds(seeds: Iterable[int]) -> list[int]:
    seeds = list(dict.fromkeys(seeds))  # a repeated seed would add a trivial ARI of 1
    if len(seeds) < 2:
        raise ValueError(f"seeds must hold at least two distinct seeds, got {seeds}")
    return seeds


def _pairwise_ari(labels: Mapping[int, np.ndarray]) -> pd.Series:
    pairs = list(combinations(labels, 2))
    return pd.Series(
        [adjusted_rand_score(labels[a], labels[b]) for a, b in pairs],
        index=pd.MultiIndex.from_tuples(pairs, names=["seed_a", "seed_b"]),
        name="ari",
    )


def stability_ari(
    X: np.ndarray | pd.DataFrame,
    k: int,
    seeds: Iterable[int] = range(5),
    *,
    n_init: int = 1,
) -> pd.Series:
    """Adjusted Rand index between K-Means runs that differ only in their seed.

    With ``n_init=1`` (default) each run is a single initialisation, so the ARIs show how
    much the segments depend on luck: values near 1 mean the same customers end up together
    whatever the seed; values well below 1 mean k (or the features) do not describe a stable
    structure. :func:`ari_agreement` puts a value into words.

    Parameters
    ----------
    X : array-like, shape (n, p)
        Features, already scaled.
    k : int
        Number of clusters.
    seeds : iterable of int
        At least two distinct seeds.
    n_init : int
        K-Means restarts within each run.

    Returns
    -------
    Series
        Named ``ari``, one value per pair of seeds (MultiIndex ``seed_a``, ``seed_b``). Use
        ``.median()`` for the typical agreement and ``.min()`` for the worst pair.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=150, centers=[[0, 0], [8, 0], [4, 7]], random_state=0)
    >>> float(stability_ari(X, 3, seeds=[0, 1, 2]).min())
    1.0
    """
    values, k, seeds = _seed_runs_inputs(X, k, seeds, n_init)
    models = _labels_by_seed(values, k, seeds, n_init)
    return _pairwise_ari({seed: model.labels_ for seed, model in models.items()})


@dataclass
class SeedRuns:
    """What :func:`seed_runs` found: one K-Means fit per seed.

    Attributes
    ----------
    k : int
        Number of clusters of every fit.
    n_init : int
        Starts within each fit (the best by inertia is kept).
    scores : DataFrame
        Indexed by ``seed``: ``inertia`` and ``silhouette`` (mean silhouette, on the same rows
        for every seed) of each fit.
    labels : dict of int to ndarray
        The labels of each fit, by seed.
    """

    k: int
    n_init: int
    scores: pd.DataFrame
    labels: dict[int, np.ndarray] = field(repr=False)

    def ari(self) -> pd.Series:
        """Adjusted Rand index between every pair of fits, as :func:`stability_ari` gives."""
        return _pairwise_ari(self.labels)


def seed_runs(
    X: np.ndarray | pd.DataFrame,
    k: int,
    seeds: Iterable[int] = range(5),
    *,
    n_init: int = 10,
    random_state: int = 0,
    sample_size: int | None = None,
) -> SeedRuns:
    """Fit K-Means once per seed and score every fit: does the seed change the answer?

    :func:`choose_k` fits each k with one seed. Whether its ranking of two k values would
    survive another seed is a question of local optima: this function refits one k with
    several seeds and returns each fit's inertia and mean silhouette, plus the labels (for
    :meth:`SeedRuns.ari`, the pairwise agreement :func:`stability_ari` reports).

    Parameters
    ----------
    X : array-like, shape (n, p)
        Features, already scaled.
    k : int
        Number of clusters.
    seeds : iterable of int
        At least two distinct seeds.
    n_init : int
        K-Means starts within each fit (10, as :func:`choose_k` uses by default).
    random_state, sample_size : int
        The silhouette's rows: one sample for all seeds, drawn as :func:`choose_k` draws it
        (all rows up to :data:`SILHOUETTE_SAMPLE_SIZE`). With all rows, a seed's fit and
        silhouette are the ones ``choose_k(X, ..., random_state=seed)`` finds for this k.

    Returns
    -------
    SeedRuns
        ``scores`` (inertia and silhouette per seed) and ``labels``.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=150, centers=[[0, 0], [8, 0], [4, 7]], random_state=0)
    >>> runs = seed_runs(X, 3, seeds=[0, 1])
    >>> runs.scores.index.tolist(), float(runs.ari().min())
    ([0, 1], 1.0)
    """
    values, k, seeds = _seed_runs_inputs(X, k, seeds, n_init)
    sample = _silhouette_rows(values.shape[0], sample_size, random_state, k)
    models = _labels_by_seed(values, k, seeds, n_init)
    labels = {seed: model.labels_ for seed, model in models.items()}
    silhouettes = silhouette_scores(values[sample], [labels[seed][sample] for seed in seeds])
    scores = pd.DataFrame(
        {
            "inertia": [float(models[seed].inertia_) for seed in seeds],
            "silhouette": silhouettes,
        },
        index=pd.Index(seeds, name="seed"),
    )
    return SeedRuns(k=k, n_init=int(n_init), scores=scores, labels=labels)


def renumber_by_mean(labels: np.ndarray | pd.Series, values: np.ndarray | pd.Series) -> np.ndarray:
    """Relabel clusters 1, 2, ... by the mean of ``values``, highest first.

    K-Means numbers its clusters arbitrarily (and differently for every seed); numbering
    them by, say, average spend makes "segment 1" mean something and keeps tables comparable.
    Ties between means keep the order of the original labels.

    Parameters
    ----------
    labels : array-like
        Cluster of each row.
    values : array-like
        A number per row (e.g. total spend), same length, no missing values.

    Returns
    -------
    ndarray
        Integer labels 1..k, 1 for the cluster with the highest mean of ``values``.

    Examples
    --------
    >>> renumber_by_mean([0, 0, 1, 2], [10.0, 20.0, 99.0, 1.0]).tolist()
    [2, 2, 1, 3]
    """
    labels, values = require_paired_arrays(labels, values, ("labels", "values"), value_dtype=float)
    means = pd.Series(values).groupby(labels, sort=True).mean()
    order = means.sort_values(ascending=False, kind="stable").index
    mapping = {old: new for new, old in enumerate(order, start=1)}
    return np.array([mapping[label] for label in labels], dtype=np.int64)


#: Kaufman and Rousseeuw's reading of an average silhouette (Finding Groups in Data, 1990):
#: upper bound of each band and what it says about the structure found.
SILHOUETTE_BANDS: tuple[tuple[float, str], ...] = (
    (0.25, "no substantial structure"),
    (0.50, "weak structure, which could be artificial"),
    (0.70, "reasonable structure"),
    (1.00, "strong structure"),
)

#: Steinley's reading of an adjusted Rand index (Psychological Methods 9, 2004): lower bound
#: of each band and the agreement it stands for.
ARI_BANDS: tuple[tuple[float, str], ...] = (
    (0.90, "excellent"),
    (0.80, "good"),
    (0.65, "moderate"),
)


def silhouette_structure(score: float) -> str:
    """Put a mean silhouette into words, with Kaufman and Rousseeuw's bands.

    0.25 or less: no substantial structure; up to 0.50: weak structure, which could be
    artificial; up to 0.70: reasonable; above: strong.

    Parameters
    ----------
    score : float
        A mean silhouette, between -1 and 1.

    Returns
    -------
    str
        The band's description.

    Examples
    --------
    >>> silhouette_structure(0.246)
    'no substantial structure'
    >>> silhouette_structure(0.58)
    'reasonable structure'
    """
    value = _score_in(score, -1.0, 1.0, "score")
    return next(text for bound, text in SILHOUETTE_BANDS if value <= bound)


def ari_agreement(ari: float) -> str:
    """Put an adjusted Rand index into words, with Steinley's bands.

    At least 0.90: excellent agreement; 0.80: good; 0.65: moderate; below: poor.

    Parameters
    ----------
    ari : float
        An adjusted Rand index (at most 1; it can be slightly negative).

    Returns
    -------
    str
        ``"excellent"``, ``"good"``, ``"moderate"`` or ``"poor"``.

    Examples
    --------
    >>> ari_agreement(0.749), ari_agreement(0.986)
    ('moderate', 'excellent')
    """
    value = _score_in(ari, -1.0, 1.0, "ari")
    return next((text for bound, text in ARI_BANDS if value >= bound), "poor")


def _score_in(value: object, low: float, high: float, name: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = np.nan
    if not low <= number <= high:  # also False for NaN
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {value!r}")
    return number


def elbow_bend(inertia: pd.Series) -> tuple[int, pd.DataFrame]:
    """Where the elbow curve bends most: the k after which extra segments save much less.

    Parameters
    ----------
    inertia : Series
        Within-cluster sum of squares, indexed by consecutive k (at least three).

    Returns
    -------
    elbow : int
        The k whose step saves the most compared with the next step.
    steps : DataFrame
        Indexed by k (from the second): ``saved`` (inertia saved by the step from k - 1 to
        k) and ``times the next`` (how many times larger that saving is than the next one).

    Examples
    --------
    >>> elbow, steps = elbow_bend(pd.Series([100.0, 60.0, 30.0, 25.0, 22.0], index=range(2, 7)))
    >>> elbow, steps["saved"].tolist()
    (4, [40.0, 30.0, 5.0, 3.0])
    """
    if not isinstance(inertia, pd.Series) or len(inertia) < 3:
        raise ValueError("inertia must be a Series over at least three values of k")
    saved = -inertia.astype(float).diff().dropna()
    ratio = saved / saved.shift(-1)
    steps = pd.DataFrame({"saved": saved, "times the next": ratio})
    return int(ratio.dropna().idxmax()), steps


def silhouette_rows(n: int, random_state: int = 0) -> np.ndarray:
    """The rows :func:`choose_k` scores the silhouette on: all, or its fixed-seed sample.

    Examples
    --------
    >>> silhouette_rows(4).tolist()
    [0, 1, 2, 3]
    >>> len(silhouette_rows(SILHOUETTE_SAMPLE_SIZE + 5))
    10000
    """
    return _silhouette_rows(int(n), None, random_state, 1)


def silhouette_by_segment(s_i: np.ndarray, labels: np.ndarray,
                          names: Mapping[object, str] | None = None) -> pd.DataFrame:
    """Per segment: customers scored, mean silhouette and share with a negative silhouette.

    Examples
    --------
    >>> silhouette_by_segment(np.array([0.5, 0.3, -0.2, 0.1]), np.array([1, 1, 2, 2]),
    ...                       {1: "A", 2: "B"})["share negative"].tolist()
    [0.0, 0.5]
    """
    s_i, labels = np.asarray(s_i, dtype=float), np.asarray(labels)
    if s_i.shape != labels.shape:
        raise ValueError(f"s_i has shape {s_i.shape} but labels has shape {labels.shape}")
    values = pd.Series(s_i)
    table = pd.DataFrame({"customers scored": values.groupby(labels).size(),
                          "mean silhouette": values.groupby(labels).mean(),
                          "share negative": (values < 0).groupby(labels).mean()})
    if names is not None:
        table = table.rename(index=dict(names))
    return table.rename_axis("segment")


def stability_table(fits: Mapping[tuple[int, int], SeedRuns], *, threshold: float = 0.90
                    ) -> pd.DataFrame:
    """Agreement between seeds for each (k, starts) fit: median and worst pair, verdict.

    Parameters
    ----------
    fits : mapping of (k, n_init) to SeedRuns
        The refits per seed (:func:`seed_runs`).
    threshold : float
        A fit is ``stable`` when its worst pair of seeds reaches this ARI.

    Returns
    -------
    DataFrame
        Indexed by ``k`` and ``starts per fit`` (sorted): ``median ARI``, ``worst pair``,
        ``reading (Steinley)``, ``stable`` ("yes"/"no") and ``silhouette range``.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(n_samples=90, centers=[[0, 0], [8, 0], [4, 7]], random_state=0)
    >>> stability_table({(3, 1): seed_runs(X, 3, seeds=[0, 1], n_init=1)})["stable"].tolist()
    ['yes']
    """
    rows = {}
    for (k, n_init), fit in sorted(fits.items()):
        ari = fit.ari()
        sil = fit.scores["silhouette"]
        rows[(k, n_init)] = {"median ARI": round(float(ari.median()), 3),
                             "worst pair": round(float(ari.min()), 3),
                             "reading (Steinley)": ari_agreement(ari.min()),
                             "stable": "yes" if ari.min() >= threshold else "no",
                             "silhouette range": f"{sil.min():.3f}-{sil.max():.3f}"}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis(["k", "starts per fit"])


def merge_gaps(tree: np.ndarray, k: int, max_groups: int = 10) -> dict[str, float]:
    """Read a Ward tree: the height that cuts it into ``k`` groups, and its widest gap.

    Returns
    -------
    dict
        ``cut`` (midway between the last merge kept and the first made), ``below`` and
        ``above`` (those two merge heights), ``widest`` (the number of groups, 2 to
        ``max_groups``, in the widest height range between merges) and ``gap_low``,
        ``gap_high`` (that range).

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> tree = linkage(np.array([[0.0], [0.1], [5.0], [5.2], [9.0]]), method="ward")
    >>> out = merge_gaps(tree, 2)
    >>> out["widest"], out["below"] < out["cut"] < out["above"]
    (2, True)
    """
    tree = np.asarray(tree, dtype=float)
    if tree.ndim != 2 or tree.shape[1] != 4 or not 2 <= k <= len(tree):
        raise ValueError(f"tree must be a linkage matrix with at least {k} merges")
    heights = tree[::-1, 2]  # merge heights, highest first: below heights[g - 1]: g + 1 groups
    gaps = heights[:-1] - heights[1:]
    widest = int(np.argmax(gaps[: max_groups - 1])) + 2
    below, above = float(tree[-k, 2]), float(tree[-k + 1, 2])
    return {"cut": (below + above) / 2, "below": below, "above": above, "widest": widest,
            "gap_low": float(heights[widest - 1]), "gap_high": float(heights[widest - 2])}


def compare_groupings(segments: pd.Series | np.ndarray, other: np.ndarray | pd.Series, *,
                      order: Sequence[object] | None = None) -> pd.DataFrame:
    """Cross-table of two groupings, the other's groups named by the segment most of each is in.

    A group of the second grouping (another k, another algorithm) has no name of its own;
    calling it "mostly <segment>" says what it is. Rows follow ``order`` (default: sorted) and
    columns follow the rows they mostly hold, so a match shows as a diagonal. Two groups
    mostly in the same segment are told apart by size: "(larger)" and "(smaller)" (with
    three or more: "(largest)", "(2nd largest)"...).

    Parameters
    ----------
    segments : array-like
        Named segment of each customer (rows).
    other : array-like
        Group of each customer in the other grouping (columns).
    order : sequence, optional
        Order of the rows (segment names).

    Returns
    -------
    DataFrame
        Customers per segment (rows) and group (columns).

    Examples
    --------
    >>> t = compare_groupings(["Tech", "Tech", "Home", "Home", "Home"], [7, 7, 3, 3, 7],
    ...                       order=["Tech", "Home"])
    >>> t.columns.tolist(), t.to_numpy().tolist()
    (['mostly Tech', 'mostly Home'], [[2, 0], [1, 2]])
    >>> compare_groupings(["Tech"] * 3 + ["Home"], [1, 2, 2, 3]).columns.tolist()
    ['mostly Home', 'mostly Tech (larger)', 'mostly Tech (smaller)']
    """
    segments, other = require_paired_arrays(segments, other, ("segments", "other"))
    table = pd.crosstab(pd.Series(segments, name="segment"), pd.Series(other, name="group"))
    rows = list(table.index) if order is None else list(order)
    missing = [r for r in table.index if r not in rows]
    if missing:
        raise ValueError(f"order misses the segment {missing[0]!r}")
    table = table.reindex(rows, fill_value=0)
    main = table.idxmax()
    columns = sorted(table.columns, key=lambda g: (rows.index(main[g]), -table[g].sum()))
    table = table[columns]
    table.columns = [f"mostly {main[g]}" + _size_rank(columns, main, table.sum(), g)
                     for g in columns]
    return table.rename_axis(index="segment", columns=None)


def _size_rank(columns: list, main: pd.Series, size: pd.Series, group: object) -> str:
    """'' for the only group mostly in a segment, else ' (larger)', ' (smaller)', ' (3rd)'..."""
    same = [g for g in columns if main[g] == main[group]]
    if len(same) == 1:
        return ""
    rank = same.index(group)  # ``columns`` is sorted by size within a segment
    if len(same) == 2:
        return " (larger)" if rank == 0 else " (smaller)"
    suffix = {1: "nd", 2: "rd"}.get(rank, "th")
    return " (largest)" if rank == 0 else f" ({rank + 1}{suffix} largest)"
