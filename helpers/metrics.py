"""Ranking metrics for top-k recommendations.

Two levels are offered:

* per-user functions (``precision_at_k``, ``recall_at_k``, ``ndcg_at_k``, ``map_at_k``,
  ``hit_rate_at_k``) that take one ordered list of recommended items and the set of items the
  user actually went on to buy, so that each formula can be checked by hand;
* :func:`ranking_report`, which scores a whole recommendation table (as returned by the
  recommenders in :mod:`helpers.recommend`) against a test table in one vectorised pass and
  averages over the test users.
* measures beyond accuracy for a whole recommendation table: :func:`hit_revenue` (money
  spent on recommended items, a price-weighted hit rate), :func:`intra_list_diversity`
  (category mix within a list) and :func:`novelty` (mean self-information of what is
  recommended).

Relevance is binary throughout: an item is relevant to a user if the pair appears in the test
data at least once. Column names default to the course's ``customer_id`` and ``stock_code``
(:mod:`helpers.constants`) and ``k`` to ``constants.TOP_K``.

The train/test splits an evaluation starts from live in :mod:`helpers.splits`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .constants import CATEGORY, CONFIDENCE_LEVEL, CUSTOMER_ID, RANK, REVENUE, STOCK_CODE, TOP_K
from .evaluation import percentile_bootstrap
from .validation import (
    id_kind,
    require_columns,
    require_frame,
    require_ids,
    require_numeric,
    require_positive_k,
    require_same_id_kind,
)

__all__ = [
    "catalogue_coverage",
    "chance_hit_rate",
    "hit_rate_at_k",
    "hit_revenue",
    "intra_list_diversity",
    "map_at_k",
    "ndcg_at_k",
    "ndcg_by_hand",
    "ndcg_per_user",
    "novelty",
    "paired_bootstrap",
    "precision_at_k",
    "ranking_report",
    "recall_at_k",
]


def _as_id_series(values: object, name: str) -> pd.Series:
    """Turn a list-like of ids into a Series, rejecting missing and mixed-type ids."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValueError(f"{name} must be a list-like of item ids, got {type(values).__name__}")
    series = pd.Series(list(values) if isinstance(values, set | frozenset) else values)
    if len(series):
        require_ids(series, name, "the arguments")
    return series


def _prepare_lists(
    recommended: Sequence, relevant: Iterable, k: object
) -> tuple[np.ndarray, int, int]:
    """Validate one user's inputs; return the hit flags of the top k, ``|relevant|`` and k."""
    k = require_positive_k(k)
    rec = _as_id_series(recommended, "recommended")
    rel = _as_id_series(relevant, "relevant")
    if rec.duplicated().any():
        dupes = rec[rec.duplicated()].unique()[:3].tolist()
        raise ValueError(f"recommended lists some items more than once, e.g. {dupes}")
    if len(rec) and len(rel):
        require_same_id_kind(id_kind(rec), id_kind(rel), "item", "recommended", "relevant")
    rel_set = set(rel.tolist())
    hits = np.fromiter((item in rel_set for item in rec.iloc[:k]), dtype=bool)
    return hits, len(rel_set), k


def _discounts(n: int) -> np.ndarray:
    """``1 / log2(rank + 1)`` for ranks 1..n."""
    return 1.0 / np.log2(np.arange(2, n + 2))


def _ideal_dcg(n_relevant: np.ndarray, k: int) -> np.ndarray:
    """DCG of a perfect top-``k`` list per user: ``min(k, n_relevant)`` hits on top."""
    return np.concatenate([[0.0], np.cumsum(_discounts(k))])[np.minimum(n_relevant, k)]


# --------------------------------------------------------------------------------------------
# per-user metrics
# --------------------------------------------------------------------------------------------
def precision_at_k(recommended: Sequence, relevant: Iterable, k: int = TOP_K) -> float:
    """Share of the first ``k`` recommendations that are relevant.

    The denominator is always ``k``, even when fewer than ``k`` items were recommended: an
    empty slot is a missed chance.

    Parameters
    ----------
    recommended : sequence
        Item ids in rank order (best first), without duplicates.
    relevant : iterable
        Item ids the user actually interacted with in the test period.
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> precision_at_k(["a", "b", "c"], {"a", "c", "z"}, k=2)
    0.5
    """
    hits, _, k = _prepare_lists(recommended, relevant, k)
    return float(hits.sum() / k)


def recall_at_k(recommended: Sequence, relevant: Iterable, k: int = TOP_K) -> float:
    """Share of the relevant items found in the first ``k`` recommendations.

    Returns 0 when ``relevant`` is empty (there was nothing to find); :func:`ranking_report`
    never asks about such users.

    Parameters
    ----------
    recommended : sequence
        Item ids in rank order (best first), without duplicates.
    relevant : iterable
        Item ids the user actually interacted with in the test period.
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> recall_at_k(["a", "b", "c"], {"a", "c", "z", "y"}, k=3)
    0.5
    """
    hits, n_relevant, _ = _prepare_lists(recommended, relevant, k)
    return float(hits.sum() / n_relevant) if n_relevant else 0.0


def ndcg_at_k(recommended: Sequence, relevant: Iterable, k: int = TOP_K) -> float:
    """Normalised discounted cumulative gain at ``k`` with binary relevance.

    ``DCG = sum over ranks r <= k of rel_r / log2(r + 1)``; it is divided by the DCG of a
    perfect list, which puts ``min(k, |relevant|)`` relevant items on top. Returns 0 when
    ``relevant`` is empty.

    Parameters
    ----------
    recommended : sequence
        Item ids in rank order (best first), without duplicates.
    relevant : iterable
        Item ids the user actually interacted with in the test period.
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> round(ndcg_at_k(["x", "a"], {"a"}, k=2), 4)  # (1 / log2 3) / (1 / log2 2)
    0.6309
    """
    hits, n_relevant, k = _prepare_lists(recommended, relevant, k)
    if n_relevant == 0:
        return 0.0
    dcg = float((hits * _discounts(len(hits))).sum())
    ideal = float(_discounts(min(k, n_relevant)).sum())
    return dcg / ideal


def map_at_k(recommended: Sequence, relevant: Iterable, k: int = TOP_K) -> float:
    """Average precision at ``k`` for one user (MAP@k is its mean over users).

    ``AP@k = sum over relevant ranks r <= k of precision@r, divided by min(k, |relevant|)``,
    so a list that puts every possible hit on top scores 1. Returns 0 when ``relevant`` is
    empty.

    Parameters
    ----------
    recommended : sequence
        Item ids in rank order (best first), without duplicates.
    relevant : iterable
        Item ids the user actually interacted with in the test period.
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> map_at_k(["a", "x", "b"], {"a", "b"}, k=3)  # (1/1 + 2/3) / 2
    0.8333333333333333
    """
    hits, n_relevant, k = _prepare_lists(recommended, relevant, k)
    if n_relevant == 0:
        return 0.0
    precision_at_rank = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float((precision_at_rank * hits).sum() / min(k, n_relevant))


def hit_rate_at_k(recommended: Sequence, relevant: Iterable, k: int = TOP_K) -> float:
    """1.0 if at least one of the first ``k`` recommendations is relevant, else 0.0.

    Parameters
    ----------
    recommended : sequence
        Item ids in rank order (best first), without duplicates.
    relevant : iterable
        Item ids the user actually interacted with in the test period.
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.

    Returns
    -------
    float
        0.0 or 1.0 (averaged over users it is the hit rate).

    Examples
    --------
    >>> hit_rate_at_k(["x", "a"], {"a"}, k=1)
    0.0
    """
    hits, _, _ = _prepare_lists(recommended, relevant, k)
    return float(hits.any())


def catalogue_coverage(recommended_items: Iterable, catalogue: Iterable) -> float:
    """Share of the catalogue that appears in at least one recommendation list.

    Recommended items that are not in ``catalogue`` are ignored, so the result stays in [0, 1].

    Parameters
    ----------
    recommended_items : iterable
        Every item recommended to anyone, e.g. ``recs["stock_code"]`` (repeats are fine).
    catalogue : iterable
        All items that could have been recommended, e.g. ``products["stock_code"]``.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> catalogue_coverage(["a", "b", "a"], ["a", "b", "c", "d"])
    0.5
    """
    rec = _as_id_series(recommended_items, "recommended_items")
    cat = _as_id_series(catalogue, "catalogue").drop_duplicates()
    if cat.empty:
        raise ValueError("catalogue is empty: coverage needs at least one item")
    if len(rec):
        require_same_id_kind(id_kind(rec), id_kind(cat), "item", "recommended_items", "catalogue")
    # De-duplicate first: ``isin`` on string ids loops over its values in Python.
    return float(cat.isin(pd.unique(rec.to_numpy())).sum() / len(cat))


# --------------------------------------------------------------------------------------------
# table-level report
# --------------------------------------------------------------------------------------------
def ranking_report(
    recommendations: pd.DataFrame,
    test: pd.DataFrame,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    k: int = TOP_K,
    rank_col: str = RANK,
    catalogue: Iterable | None = None,
) -> pd.Series:
    """All ranking metrics at ``k``, averaged over the users of ``test``.

    Each user's list is ordered by ``rank_col`` and cut at ``k``. Users who appear in ``test``
    but have no recommendations count as zeros for every metric (a recommender that cannot
    serve a customer should not look better for it); users who are recommended to but are
    absent from ``test`` are ignored, since nothing is known about what they wanted. Repeated
    (user, item) pairs in ``test`` count once.

    Parameters
    ----------
    recommendations : pandas.DataFrame
        One row per (user, recommended item) with ``user_col``, ``item_col`` and ``rank_col``
        (1 = best), e.g. the output of a recommender's ``recommend``.
    test : pandas.DataFrame
        Held-out interactions with ``user_col`` and ``item_col``.
    user_col, item_col : str, default "customer_id", "stock_code"
        Names of the user and item columns (the same in both tables).
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.
    rank_col : str, default "rank"
        Column of ``recommendations`` giving the position in the list.
    catalogue : iterable, optional
        All recommendable items, used as the denominator of ``coverage``. Defaults to the items
        seen in ``recommendations`` or ``test``, which overstates coverage when many catalogue
        items never appear: pass the real catalogue when you have it.

    Returns
    -------
    pandas.Series
        ``precision``, ``recall``, ``ndcg``, ``map``, ``hit_rate`` (means over test users),
        ``coverage`` (share of the catalogue recommended in some top-k list) and ``n_users``
        (number of test users averaged over). The Series is named ``"@k"``.

    Examples
    --------
    >>> recs = pd.DataFrame({"u": [1, 1], "i": ["a", "b"], "rank": [1, 2]})
    >>> test = pd.DataFrame({"u": [1, 2], "i": ["b", "a"]})
    >>> ranking_report(recs, test, user_col="u", item_col="i", k=2)["hit_rate"]
    np.float64(0.5)
    """
    k = require_positive_k(k)
    # Positions are recomputed from the rank order, so gaps or ties in ranks cannot push
    # items past k or give two items the same discount.
    recs = _lists_against_test(recommendations, test, user_col=user_col, item_col=item_col,
                               rank_col=rank_col, k=k)
    truth = test[[user_col, item_col]].drop_duplicates()
    n_relevant = truth.groupby(user_col, sort=False).size()

    hits = recs.merge(truth.assign(_hit=1.0), on=[user_col, item_col], how="left")
    hits["_hit"] = hits["_hit"].fillna(0.0)
    hits = hits.sort_values([user_col, "_pos"], kind="stable")
    pos = hits["_pos"].to_numpy(dtype=float)
    hit = hits["_hit"].to_numpy()
    cum_hits = hits.groupby(user_col, sort=False)["_hit"].cumsum().to_numpy()
    hits = hits.assign(_dcg=hit / np.log2(pos + 1.0), _prec=hit * cum_hits / pos)
    per_user = hits.groupby(user_col, sort=False)[["_hit", "_dcg", "_prec"]].sum()
    # Users without recommendations get zeros here, as documented.
    per_user = per_user.reindex(n_relevant.index, fill_value=0.0)

    n_rel = n_relevant.to_numpy(dtype=float)
    cutoff = np.minimum(n_rel, k).astype(int)
    ideal = _ideal_dcg(cutoff, k)
    n_hits = per_user["_hit"].to_numpy()

    if catalogue is None:
        catalogue_items = pd.concat([recs[item_col], truth[item_col]], ignore_index=True)
    else:
        catalogue_items = _as_id_series(catalogue, "catalogue")
    coverage = catalogue_coverage(recs[item_col], catalogue_items)

    return pd.Series(
        {
            "precision": float(np.mean(n_hits / k)),
            "recall": float(np.mean(n_hits / n_rel)),
            "ndcg": float(np.mean(per_user["_dcg"].to_numpy() / ideal)),
            "map": float(np.mean(per_user["_prec"].to_numpy() / cutoff)),
            "hit_rate": float(np.mean(n_hits > 0)),
            "coverage": coverage,
            "n_users": float(len(n_rel)),
        },
        name=f"@{k}",
    )


# --------------------------------------------------------------------------------------------
# beyond accuracy: money, diversity, novelty
# --------------------------------------------------------------------------------------------
def _cut_lists(
    recommendations: pd.DataFrame, *, user_col: str, item_col: str, rank_col: str, k: int
) -> pd.DataFrame:
    """Validate a recommendation table and keep each user's first ``k`` items by rank.

    Returns a frame with ``user_col``, ``item_col`` and ``_pos`` (1..k, recomputed from the
    rank order so that gaps or ties in ranks cannot push items past ``k``).
    """
    if not isinstance(recommendations, pd.DataFrame):
        raise ValueError(
            f"recommendations must be a pandas DataFrame, got {type(recommendations).__name__}"
        )
    require_columns(recommendations, [user_col, item_col, rank_col], name="recommendations")
    if recommendations.empty:
        return pd.DataFrame({user_col: [], item_col: [], "_pos": []})
    for col in (user_col, item_col):
        require_ids(recommendations[col], col, "recommendations")
    ranks = pd.to_numeric(recommendations[rank_col], errors="coerce")
    if ranks.isna().any() or (ranks <= 0).any():
        raise ValueError(f"column '{rank_col}' of recommendations must hold positive numbers")
    if recommendations.duplicated([user_col, item_col]).any():
        raise ValueError(
            f"recommendations list the same ({user_col}, {item_col}) pair more than once"
        )
    recs = recommendations[[user_col, item_col]].assign(_rank=ranks.to_numpy())
    recs = recs.sort_values([user_col, "_rank"], kind="stable")
    recs["_pos"] = recs.groupby(user_col, sort=False).cumcount() + 1
    return recs.loc[recs["_pos"] <= k, [user_col, item_col, "_pos"]]


def _lists_against_test(
    recommendations: pd.DataFrame,
    test: pd.DataFrame,
    *,
    user_col: str,
    item_col: str,
    rank_col: str,
    k: int,
    test_cols: Sequence[str] = (),
) -> pd.DataFrame:
    """Check ``test`` and the recommendation table together; return the top-``k`` lists.

    ``test`` needs ``user_col``, ``item_col`` and ``test_cols``; its ids and those of the
    lists must be of one kind each (int ids never match string ids). The lists are as from
    :func:`_cut_lists`.
    """
    require_frame(test, name="test")
    require_columns(test, [user_col, item_col, *test_cols], name="test")
    test_kinds = {c: require_ids(test[c], c, "test") for c in (user_col, item_col)}
    recs = _cut_lists(recommendations, user_col=user_col, item_col=item_col,
                      rank_col=rank_col, k=k)
    if len(recs):
        for col in (user_col, item_col):
            require_same_id_kind(id_kind(recs[col]), test_kinds[col], col, "recommendations",
                                 "test")
    return recs


def hit_revenue(
    recommendations: pd.DataFrame,
    test: pd.DataFrame,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    value_col: str = REVENUE,
    k: int = TOP_K,
    rank_col: str = RANK,
) -> pd.Series:
    """Money the test users actually spent on items that were on their top-``k`` lists.

    A price-weighted hit rate: every test row whose (user, item) pair appears in that user's
    top-``k`` list adds its ``value_col`` (e.g. revenue). It measures what the lists *pointed
    at*, not what they caused: the customers bought these items without seeing the lists.

    Parameters
    ----------
    recommendations : pandas.DataFrame
        One row per (user, recommended item) with ``user_col``, ``item_col`` and ``rank_col``.
    test : pandas.DataFrame
        Held-out rows with ``user_col``, ``item_col`` and the numeric ``value_col``.
    user_col, item_col : str, default "customer_id", "stock_code"
        Names of the user and item columns (the same in both tables).
    value_col : str, default "revenue"
        Numeric column of ``test`` to add up.
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.
    rank_col : str, default "rank"
        Column of ``recommendations`` giving the position in the list.

    Returns
    -------
    pandas.Series
        ``revenue`` (sum of ``value_col`` over the hit rows), ``share`` (that sum over the
        total of ``value_col`` in ``test``), ``per_user`` (revenue divided by the number of
        test users) and ``n_users``. Named ``"@k"``.

    Examples
    --------
    >>> recs = pd.DataFrame({"u": [1, 1, 2], "i": ["a", "b", "a"], "rank": [1, 2, 1]})
    >>> test = pd.DataFrame({"u": [1, 1, 2], "i": ["b", "c", "c"], "v": [10.0, 5.0, 5.0]})
    >>> hit_revenue(recs, test, user_col="u", item_col="i", value_col="v", k=2)["share"]
    np.float64(0.5)
    """
    k = require_positive_k(k)
    recs = _lists_against_test(recommendations, test, user_col=user_col, item_col=item_col,
                               rank_col=rank_col, k=k, test_cols=[value_col])
    values = require_numeric(test, value_col, name="test")
    if values.isna().any():
        raise ValueError(f"column '{value_col}' of test has {int(values.isna().sum())} "
                         "missing value(s)")
    pairs = recs[[user_col, item_col]].assign(_hit=True)
    hit = test[[user_col, item_col]].merge(pairs, on=[user_col, item_col], how="left")["_hit"]
    hit = hit.fillna(False).to_numpy(dtype=bool)
    revenue = float(values.to_numpy()[hit].sum())
    total = float(values.sum())
    n_users = test[user_col].nunique()
    return pd.Series(
        {
            "revenue": revenue,
            "share": revenue / total if total else 0.0,
            "per_user": revenue / n_users,
            "n_users": float(n_users),
        },
        name=f"@{k}",
    )


def intra_list_diversity(
    recommendations: pd.DataFrame,
    items: pd.DataFrame,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    category_col: str = CATEGORY,
    k: int = TOP_K,
    rank_col: str = RANK,
) -> float:
    """Mean share of item pairs in a top-``k`` list that come from different categories.

    For one list ``L`` with ``n_c`` items in category ``c``:
    ``ILD(L) = 1 - sum_c n_c (n_c - 1) / (|L| (|L| - 1))``, 0 when every item shares one
    category and 1 when no two do. Lists with fewer than two items are skipped.

    Parameters
    ----------
    recommendations : pandas.DataFrame
        One row per (user, recommended item) with ``user_col``, ``item_col`` and ``rank_col``.
    items : pandas.DataFrame
        One row per item with ``item_col`` and ``category_col``; every recommended item must
        be in it.
    user_col, item_col, category_col : str, default "customer_id", "stock_code", "category"
        Column names.
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.
    rank_col : str, default "rank"
        Column of ``recommendations`` giving the position in the list.

    Returns
    -------
    float
        Between 0 and 1; NaN when no list has two items.

    Examples
    --------
    >>> recs = pd.DataFrame({"u": [1, 1, 1], "i": ["a", "b", "c"], "rank": [1, 2, 3]})
    >>> items = pd.DataFrame({"i": ["a", "b", "c"], "cat": ["x", "x", "y"]})
    >>> round(intra_list_diversity(recs, items, user_col="u", item_col="i",
    ...                            category_col="cat", k=3), 4)  # 4 of 6 ordered pairs differ
    0.6667
    """
    k = require_positive_k(k)
    require_frame(items, name="items")
    require_columns(items, [item_col, category_col], name="items")
    require_ids(items[item_col], item_col, "items")
    if items[item_col].duplicated().any():
        raise ValueError(f"column '{item_col}' of items repeats ids; keep one row per item")
    recs = _cut_lists(recommendations, user_col=user_col, item_col=item_col,
                      rank_col=rank_col, k=k)
    if recs.empty:
        return float("nan")
    require_same_id_kind(id_kind(recs[item_col]), id_kind(items[item_col]), item_col,
                     "recommendations", "items")
    category = items.set_index(item_col)[category_col]
    cats = category.reindex(recs[item_col].to_numpy())
    if cats.isna().any():
        missing = recs[item_col][cats.isna().to_numpy()].unique()[:3].tolist()
        raise ValueError(
            f"{int(cats.isna().sum())} recommended item(s) have no '{category_col}' in items, "
            f"e.g. {missing}"
        )
    counts = recs.assign(_cat=cats.to_numpy()).groupby([user_col, "_cat"]).size()
    same_pairs = (counts * (counts - 1)).groupby(level=0).sum()
    length = counts.groupby(level=0).sum()
    usable = length >= 2
    if not usable.any():
        return float("nan")
    n = length[usable].to_numpy(dtype=float)
    return float(np.mean(1.0 - same_pairs[usable].to_numpy() / (n * (n - 1))))


def novelty(
    recommendations: pd.DataFrame,
    interactions: pd.DataFrame,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    k: int = TOP_K,
    rank_col: str = RANK,
) -> float:
    """Mean self-information of the recommended items, in bits (Zhou et al. 2010).

    An item bought by a share ``p_i`` of the users in ``interactions`` (usually the training
    data) carries ``-log2(p_i)`` bits: a best-seller that everybody buys carries 0, an item
    bought by one user in 1,024 carries 10. Items nobody in ``interactions`` touched count as
    bought by one user. The result is the mean over every slot of every top-``k`` list.

    Parameters
    ----------
    recommendations : pandas.DataFrame
        One row per (user, recommended item) with ``user_col``, ``item_col`` and ``rank_col``.
    interactions : pandas.DataFrame
        The log that defines popularity, with ``user_col`` and ``item_col``.
    user_col, item_col : str, default "customer_id", "stock_code"
        Column names (the same in both tables).
    k : int, default ``constants.TOP_K`` (10)
        Cut-off, a positive integer.
    rank_col : str, default "rank"
        Column of ``recommendations`` giving the position in the list.

    Returns
    -------
    float
        Bits, at least 0; NaN when there are no recommendations.

    Examples
    --------
    >>> log = pd.DataFrame({"u": [1, 2, 3, 4], "i": ["a", "a", "a", "b"]})
    >>> recs = pd.DataFrame({"u": [9, 9], "i": ["a", "b"], "rank": [1, 2]})
    >>> round(novelty(recs, log, user_col="u", item_col="i", k=2), 4)  # (0.415 + 2) / 2
    1.2075
    """
    k = require_positive_k(k)
    require_frame(interactions, name="interactions")
    require_columns(interactions, [user_col, item_col], name="interactions")
    for col in (user_col, item_col):
        require_ids(interactions[col], col, "interactions")
    recs = _cut_lists(recommendations, user_col=user_col, item_col=item_col,
                      rank_col=rank_col, k=k)
    if recs.empty:
        return float("nan")
    require_same_id_kind(id_kind(recs[item_col]), id_kind(interactions[item_col]), item_col,
                     "recommendations", "interactions")
    n_users = interactions[user_col].nunique()
    buyers = interactions[[user_col, item_col]].drop_duplicates()[item_col].value_counts()
    count = buyers.reindex(recs[item_col].to_numpy()).fillna(0).clip(lower=1).to_numpy()
    return float(np.mean(-np.log2(count / n_users)))


# --------------------------------------------------------------------------------------------
# comparing two recommenders on the same users
# --------------------------------------------------------------------------------------------
def ndcg_per_user(
    recommendations: pd.DataFrame,
    test: pd.DataFrame,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    k: int = TOP_K,
    rank_col: str = RANK,
) -> pd.Series:
    """NDCG@k of every test user, the per-user values that :func:`ranking_report` averages.

    Users of ``test`` without recommendations score 0, as in :func:`ranking_report`.

    Parameters
    ----------
    recommendations, test, user_col, item_col, k, rank_col
        As in :func:`ranking_report`.

    Returns
    -------
    pandas.Series
        NDCG@k indexed by the users of ``test`` (sorted), named ``"ndcg"``.

    Examples
    --------
    >>> recs = pd.DataFrame({"u": [1, 1, 2], "i": ["a", "b", "a"], "rank": [1, 2, 1]})
    >>> test = pd.DataFrame({"u": [1, 2], "i": ["a", "b"]})
    >>> ndcg_per_user(recs, test, user_col="u", item_col="i", k=2).tolist()
    [1.0, 0.0]
    """
    k = require_positive_k(k)
    recs = _lists_against_test(recommendations, test, user_col=user_col, item_col=item_col,
                               rank_col=rank_col, k=k)
    truth = test[[user_col, item_col]].drop_duplicates()
    n_relevant = truth.groupby(user_col).size()
    hits = recs.merge(truth.assign(_hit=1.0), on=[user_col, item_col], how="inner")
    dcg = (1.0 / np.log2(hits["_pos"].to_numpy(dtype=float) + 1.0))
    dcg = pd.Series(dcg, index=hits[user_col].to_numpy()).groupby(level=0).sum()
    dcg = dcg.reindex(n_relevant.index, fill_value=0.0)
    ideal = _ideal_dcg(n_relevant.to_numpy(), k)
    return pd.Series(dcg.to_numpy() / ideal, index=n_relevant.index, name="ndcg")


def paired_bootstrap(
    a: pd.Series,
    b: pd.Series,
    *,
    n_resamples: int = 2000,
    confidence_level: float = CONFIDENCE_LEVEL,
    random_state: int | np.random.Generator | None = None,
) -> pd.Series:
    """Bootstrap interval for the mean per-user difference ``a - b`` on the same users.

    Users are resampled with replacement, each keeping both of their values, so the
    interval reflects how much the *difference* between two models varies across users, not
    each model's own spread (which is much wider and would hide real differences). The
    interval is the percentile bootstrap of the mean per-user difference
    (:func:`helpers.evaluation.percentile_bootstrap`, i.e. ``scipy.stats.bootstrap``).

    Parameters
    ----------
    a, b : pandas.Series
        One value per user (e.g. from :func:`ndcg_per_user`), with the same index; at least
        two users.
    n_resamples : int, default 2000
        Bootstrap resamples, at least ``constants.MIN_BOOTSTRAP_RESAMPLES`` (100).
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL`` (0.95)
        Coverage of the percentile interval, strictly between 0 and 1.
    random_state : int, numpy.random.Generator or None
        Seed of the resampling (``np.random.default_rng(random_state)``).

    Returns
    -------
    pandas.Series
        ``difference`` (mean of ``a - b``), ``lower`` and ``upper`` (percentile interval)
        and ``n_users``.

    Examples
    --------
    >>> a = pd.Series([0.5, 0.6, 0.7, 0.8], index=[1, 2, 3, 4])
    >>> out = paired_bootstrap(a, a - 0.1, n_resamples=200, random_state=0)
    >>> [round(float(out[c]), 3) for c in ["difference", "lower", "upper"]]
    [0.1, 0.1, 0.1]
    """
    for name, s in (("a", a), ("b", b)):
        if not isinstance(s, pd.Series):
            raise ValueError(f"{name} must be a pandas Series, got {type(s).__name__}")
    if len(a) == 0 or not a.index.sort_values().equals(b.index.sort_values()):
        raise ValueError("a and b must be non-empty and hold the same users (index)")
    if len(a) < 2:
        raise ValueError("a and b hold one user; a bootstrap needs at least two")
    diff = (pd.to_numeric(a, errors="coerce") - pd.to_numeric(b, errors="coerce").reindex(
        a.index)).to_numpy(dtype=float)
    if np.isnan(diff).any():
        raise ValueError("a and b must hold numbers without missing values")
    # percentile_bootstrap checks n_resamples and confidence_level.
    interval = percentile_bootstrap((diff,), np.mean, n_resamples=n_resamples,
                                    confidence_level=confidence_level, random_state=random_state)
    return pd.Series({"difference": float(diff.mean()),
                      "lower": float(interval.low),
                      "upper": float(interval.high),
                      "n_users": float(len(diff))})


# --------------------------------------------------------------------------------------------
# teaching aids: NDCG by hand, the hit rate of a random list
# --------------------------------------------------------------------------------------------
def ndcg_by_hand(
    recommendations: pd.DataFrame,
    test: pd.DataFrame,
    users: Iterable,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    k: int = TOP_K,
    rank_col: str = RANK,
) -> pd.DataFrame:
    """NDCG@k of a few users, step by step, in a table a learner can check by hand.

    For each user: how many items they went on to buy (``|T|``), the ranks of the hits in
    their list, ``DCG = sum over hits of 1 / log2(rank + 1)``, the DCG of a perfect list
    (``min(k, |T|)`` hits on top) and their ratio, NDCG@k. The values equal
    :func:`ndcg_per_user`.

    Parameters
    ----------
    recommendations, test, user_col, item_col, k, rank_col
        As in :func:`ranking_report`.
    users : iterable
        The users to show, in this order; each must appear in ``test``.

    Returns
    -------
    pandas.DataFrame
        One row per user (index named ``customer``) with the columns ``products bought``,
        ``hits at ranks``, ``DCG``, ``ideal DCG`` and ``NDCG@k``.

    Examples
    --------
    >>> recs = pd.DataFrame({"u": [1, 1, 1], "i": ["a", "b", "c"], "rank": [1, 2, 3]})
    >>> test = pd.DataFrame({"u": [1, 1], "i": ["b", "z"]})
    >>> row = ndcg_by_hand(recs, test, [1], user_col="u", item_col="i", k=3).iloc[0]
    >>> row["hits at ranks"], round(float(row["DCG"]), 3), round(float(row["ideal DCG"]), 3)
    ('2', 0.631, 1.631)
    """
    k = require_positive_k(k)
    users = list(_as_id_series(users, "users"))
    recs = _lists_against_test(recommendations, test, user_col=user_col, item_col=item_col,
                               rank_col=rank_col, k=k)
    truth = test[[user_col, item_col]].drop_duplicates()
    n_relevant = truth.groupby(user_col).size()
    missing = [u for u in users if u not in n_relevant.index]
    if missing:
        raise ValueError(f"users {missing[:3]} are not in test: nothing to score them on")
    hits = recs.merge(truth, on=[user_col, item_col], how="inner")
    rows = {}
    for user in users:
        ranks = np.sort(hits.loc[hits[user_col] == user, "_pos"].to_numpy(dtype=int))
        dcg = float(np.sum(1.0 / np.log2(ranks + 1.0)))
        ideal = float(_ideal_dcg(np.array([n_relevant[user]]), k)[0])
        rows[user] = {"products bought": int(n_relevant[user]),
                      "hits at ranks": ", ".join(map(str, ranks)) or "none",
                      "DCG": dcg, "ideal DCG": ideal, f"NDCG@{k}": dcg / ideal}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("customer")


def chance_hit_rate(n_relevant: Iterable, n_items: int, k: int = TOP_K) -> float:
    """Expected hit rate@k of a list of ``k`` items drawn at random from ``n_items``.

    A user with ``r`` relevant items among ``n_items`` gets at least one of them in ``k``
    random draws without replacement with probability ``1 - C(n - r, k) / C(n, k)``; the
    result is the mean over users. It is the floor a model must beat when it ranks a small
    set of items (say, this season's launches).

    Parameters
    ----------
    n_relevant : iterable of int
        Number of relevant items of each user, each between 0 and ``n_items``.
    n_items : int
        Size of the pool the list is drawn from, at least ``k``.
    k : int, default ``constants.TOP_K`` (10)
        Length of the list.

    Returns
    -------
    float
        Between 0 and 1.

    Examples
    --------
    >>> round(chance_hit_rate([1, 2], n_items=4, k=2), 4)  # mean of 1/2 and 5/6
    0.6667
    """
    from scipy.special import comb

    k = require_positive_k(k)
    r = np.asarray(list(n_relevant), dtype=float)
    if isinstance(n_items, bool) or not isinstance(n_items, int | np.integer) or n_items < k:
        raise ValueError(f"n_items must be an integer of at least k = {k}, got {n_items!r}")
    if r.size == 0 or (r < 0).any() or (r > n_items).any():
        raise ValueError(f"n_relevant must hold counts between 0 and n_items = {n_items}")
    return float(np.mean(1.0 - comb(n_items - r, k) / comb(n_items, k)))
