"""Top-k recommenders for implicit feedback (purchases, clicks), sparse from end to end.

Five models share one interface::

    model = ItemKNNRecommender(n_neighbors=50)
    model.fit(orders, user_col="customer_id", item_col="stock_code", weight_col="quantity")
    recs = model.recommend(customer_ids, k=10)  # columns customer_id, stock_code, rank, score

``user_col`` and ``item_col`` default to the course's ``customer_id`` and ``stock_code``, and
``k`` to ``constants.TOP_K``.

* :class:`PopularityRecommender` - the same best-sellers for everyone (the baseline to beat);
* :class:`ItemKNNRecommender` - "customers who bought this also bought": cosine similarity
  between item columns, top ``n_neighbors`` per item;
* :class:`UserKNNRecommender` - "customers like you bought": cosine similarity between users;
* :class:`ContentRecommender` - TF-IDF on the product text and category, so new products
  that nobody has bought yet can still be recommended;
* :class:`ALSRecommender` - implicit-feedback matrix factorisation (Hu, Koren & Volinsky
  2008), fitted by alternating least squares with a conjugate-gradient inner solver
  (Takacs, Pilaszy & Tikk 2011).

Shared behaviour
----------------
* **Aggregation.** Duplicate (user, item) rows are summed: the weights when ``weight_col`` is
  given, otherwise the number of rows. Weights must be finite and non-negative; pairs whose
  total weight is 0 carry no signal and are dropped (they do not count as "seen").
* **Ids.** Users and items keep their original ids and dtype; the output uses the column names
  given at fit. Ids must not be missing or mix types (say ints and strings in one column).
* **Ranking.** Scores are computed for a batch of users at a time (a dense block of at most a
  few million numbers, never a full user x item matrix). Ties are broken by item id, so
  results are deterministic. With ``exclude_seen=True`` items the user interacted with in
  the training data are never recommended; ``exclude`` adds a table of (user, item) pairs
  to leave out (with ``exclude_seen=False`` it replaces the training data as "seen", e.g.
  to hide purchases but keep items that were only viewed). Lists can then be shorter than
  ``k`` when fewer allowed items remain.
* **Unknown users** (not in the training data) get the popularity ranking: items ordered by
  the number of distinct training users who interacted with them, and that count as
  ``score``. Their scores are therefore not on the same scale as the model's own.
* **Items with no evidence.** Items that a neighbourhood model cannot score for a user (score
  0) are ranked last, by item id, rather than dropped, so lists have ``k`` items whenever
  enough unseen items exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from .constants import (
    CATEGORY,
    CUSTOMER_ID,
    DESCRIPTION,
    EVENT_NAME,
    EVENT_TIMESTAMP,
    PRODUCT_NAME,
    SESSION_ID,
    STOCK_CODE,
    TOP_K,
    USER_ID,
)
from .validation import (
    id_kind,
    require_columns,
    require_frame,
    require_ids,
    require_int_at_least,
    require_number_at_least,
    require_numeric,
    require_positive_k,
    require_same_id_kind,
)

__all__ = [
    "ALSRecommender",
    "ContentRecommender",
    "ItemKNNRecommender",
    "PopularityRecommender",
    "UserKNNRecommender",
    "buy_it_again",
    "first_session_views",
    "fit_neighbourhood_sizes",
    "logged_in_views",
]

# Upper bound on the number of cells in one dense scoring block (rows x items). About 32 MB
# of float64: large enough for numpy to be efficient, small enough to stay far from the 4 GB
# budget even with a few temporaries of the same size.
_BLOCK_CELLS = 4_000_000

_OUTPUT_COLUMNS = ("rank", "score")


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------
def _top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of the k largest entries per row, best first.

    Ties are broken by the smaller column index. Because items are stored sorted by id, that
    is "by item id", which makes every ranking deterministic. ``argpartition`` alone would cut
    a tie at the boundary arbitrarily, hence the explicit threshold-and-count step.
    """
    n_rows, n_cols = scores.shape
    k = min(k, n_cols)
    if n_rows == 0 or k == 0:
        empty = np.empty((n_rows, 0))
        return empty.astype(np.int64), empty
    neg = -scores
    if np.isnan(neg).any():
        neg = np.nan_to_num(neg, nan=np.inf)  # NaN (should not happen) ranks last
    if k < n_cols:
        threshold = np.partition(neg, k - 1, axis=1)[:, k - 1 : k]
    else:
        threshold = neg.max(axis=1, keepdims=True)
    better = neg < threshold
    tied = neg == threshold
    still_needed = k - better.sum(axis=1)
    take = better | tied
    # Only rows with more tied items than free places need the (costlier) running count.
    overflow = np.flatnonzero(tied.sum(axis=1) > still_needed)
    if len(overflow):
        sub = tied[overflow]
        take[overflow] = better[overflow] | (
            sub & (np.cumsum(sub, axis=1) <= still_needed[overflow, None])
        )
    cols = np.nonzero(take)[1].reshape(n_rows, k)  # ascending column order within each row
    vals = np.take_along_axis(scores, cols, axis=1)
    # A stable sort on the score keeps the ascending-id order among equal scores.
    order = np.argsort(-vals, axis=1, kind="stable")
    return np.take_along_axis(cols, order, axis=1), np.take_along_axis(vals, order, axis=1)


def _top_n_sparse(
    dense: np.ndarray, n: int, row_offset: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keep the ``n`` largest positive entries per row of a dense block, as (rows, cols, vals)."""
    cols, vals = _top_k(dense, n)
    rows = np.repeat(np.arange(dense.shape[0]) + row_offset, cols.shape[1])
    keep = vals.ravel() > 0
    return rows[keep], cols.ravel()[keep], vals.ravel()[keep]


def _row_blocks(n_rows: int, n_cols: int) -> Iterable[tuple[int, int]]:
    """Yield ``(start, stop)`` row ranges whose dense blocks have at most ``_BLOCK_CELLS``."""
    step = max(1, _BLOCK_CELLS // max(n_cols, 1))
    for start in range(0, n_rows, step):
        yield start, min(start + step, n_rows)


def _pairwise_top_n(normed: sp.csr_matrix, n_neighbors: int) -> sp.csr_matrix:
    """Sparse cosine similarity between the rows of ``normed``, top ``n_neighbors`` per row.

    ``normed`` must have L2-normalised rows. The full row x row product is never stored: it is
    built one block of rows at a time and pruned straight away. The diagonal (self-similarity)
    is removed.
    """
    n = normed.shape[0]
    transposed = normed.T.tocsr()
    rows, cols, vals = [], [], []
    for start, stop in _row_blocks(n, n):
        block = (normed[start:stop] @ transposed).toarray()
        block[np.arange(stop - start), np.arange(start, stop)] = 0.0
        r, c, v = _top_n_sparse(block, n_neighbors, start)
        rows.append(r)
        cols.append(c)
        vals.append(v)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )


# --------------------------------------------------------------------------------------------
# base class
# --------------------------------------------------------------------------------------------
class _BaseRecommender(BaseEstimator):
    """Data preparation, the fit/recommend protocol and batched top-k ranking.

    Subclasses implement ``_fit_model(matrix)`` and ``_score_block(rows)``, which returns dense
    scores of shape (len(rows), n_items) for known user indices ``rows``.
    """

    # ---- fitting ---------------------------------------------------------------------------
    def fit(
        self,
        interactions: pd.DataFrame,
        *,
        user_col: str = CUSTOMER_ID,
        item_col: str = STOCK_CODE,
        weight_col: str | None = None,
    ) -> _BaseRecommender:
        """Learn from an interaction log.

        Parameters
        ----------
        interactions : pandas.DataFrame
            One row per event (purchase line, click...); duplicates are summed.
        user_col, item_col : str, default "customer_id", "stock_code"
            Names of the user and item id columns; the output of :meth:`recommend` uses them.
        weight_col : str, optional
            Non-negative numeric strength of each event (e.g. quantity). Without it every row
            counts 1.

        Returns
        -------
        self
        """
        self._prepare(interactions, user_col, item_col, weight_col)
        self._fit_model(self.user_item_matrix_)
        return self

    def _prepare(
        self,
        interactions: pd.DataFrame,
        user_col: str,
        item_col: str,
        weight_col: str | None,
        extra_items: pd.Series | None = None,
    ) -> None:
        """Validate, encode ids and build the aggregated sparse user x item matrix."""
        require_frame(interactions, name="interactions")
        if user_col == item_col:
            raise ValueError(f"user_col and item_col are both '{user_col}'; they must differ")
        for col in (user_col, item_col):
            if col in _OUTPUT_COLUMNS:
                raise ValueError(
                    f"column '{col}' of interactions clashes with the output column of the "
                    "same name; rename it before fitting"
                )
        needed = [user_col, item_col] + ([weight_col] if weight_col is not None else [])
        require_columns(interactions, needed, name="interactions")
        user_kind = require_ids(interactions[user_col], user_col, "interactions")
        item_kind = require_ids(interactions[item_col], item_col, "interactions")

        if weight_col is None:
            weights = np.ones(len(interactions))
        else:
            weights = require_numeric(interactions, weight_col, name="interactions").to_numpy()
            if np.isnan(weights).any():
                raise ValueError(
                    f"column '{weight_col}' of interactions has "
                    f"{int(np.isnan(weights).sum())} missing weight(s)"
                )
            if not np.isfinite(weights).all():
                raise ValueError(f"column '{weight_col}' of interactions has infinite weights")
            if (weights < 0).any():
                raise ValueError(
                    f"column '{weight_col}' of interactions has {int((weights < 0).sum())} "
                    "negative weight(s); weights must be >= 0 (drop returns or clip them)"
                )

        user_codes, users = pd.factorize(interactions[user_col], sort=True)
        items_seen = interactions[item_col]
        if extra_items is not None and len(extra_items):
            require_same_id_kind(item_kind, id_kind(extra_items), item_col, "interactions", "items")
            items = pd.Index(pd.unique(pd.concat([items_seen, extra_items], ignore_index=True)))
            items = items.sort_values()
            item_codes = items.get_indexer(items_seen)
        else:
            item_codes, items = pd.factorize(items_seen, sort=True)

        # COO -> CSR sums duplicate (user, item) pairs, which is exactly the aggregation rule.
        matrix = sp.coo_matrix(
            (weights.astype(np.float64), (user_codes, item_codes)),
            shape=(len(users), len(items)),
        ).tocsr()
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        matrix.sort_indices()

        self.user_col_ = user_col
        self.item_col_ = item_col
        self.weight_col_ = weight_col
        self.users_ = pd.Index(users, name=user_col)
        self.items_ = pd.Index(items, name=item_col)
        self._user_kind = user_kind
        self.user_item_matrix_ = matrix
        n_users_per_item = np.bincount(matrix.indices, minlength=len(items))
        self.item_popularity_ = pd.Series(
            n_users_per_item, index=self.items_, name="n_users", dtype=np.int64
        )

    def _fit_model(self, matrix: sp.csr_matrix) -> None:
        raise NotImplementedError

    def _score_block(self, rows: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _fallback_scores(self) -> np.ndarray:
        """Scores used for unknown users: distinct-user popularity."""
        return self.item_popularity_.to_numpy(dtype=np.float64)

    # ---- recommending ----------------------------------------------------------------------
    def recommend(
        self,
        users: object,
        *,
        k: int = TOP_K,
        exclude_seen: bool = True,
        exclude: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Top-``k`` items for each user.

        Parameters
        ----------
        users : scalar or list-like
            User ids. Repeats are served once; order is kept. Users not seen at fit get the
            popularity ranking (see the module notes).
        k : int, default ``constants.TOP_K`` (10)
            Length of each list, a positive integer. This and the options below are
            keyword-only.
        exclude_seen : bool, default True
            Leave out items the user interacted with in the training data.
        exclude : pandas.DataFrame, optional
            Further (user, item) pairs never to recommend, with the ``user_col`` and
            ``item_col`` used at fit; pairs of other users or unknown items are ignored. With
            ``exclude_seen=False`` it replaces the training data as the definition of "seen",
            e.g. to leave out what a customer *bought* when the model also learnt from what
            they *viewed*.

        Returns
        -------
        pandas.DataFrame
            Columns ``<user_col>``, ``<item_col>``, ``rank`` (1 = best) and ``score`` (higher =
            better), sorted by the order of ``users`` and then by rank.

        Examples
        --------
        >>> df = pd.DataFrame({"u": [1, 1, 2], "i": ["a", "b", "a"]})
        >>> PopularityRecommender().fit(df, user_col="u", item_col="i").recommend([2], k=1)
           u  i  rank  score
        0  2  b     1    1.0
        """
        check_is_fitted(self, "user_item_matrix_")
        k = require_positive_k(k)
        requested = self._requested_users(users)
        positions = self.users_.get_indexer(requested)

        parts_pos, parts_item, parts_rank, parts_score = [], [], [], []

        def collect(pos: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> None:
            # -inf marks excluded items that only made the cut because too few were left.
            valid = np.isfinite(vals)
            ranks = np.broadcast_to(np.arange(1, cols.shape[1] + 1), cols.shape)
            parts_pos.append(np.repeat(pos, cols.shape[1])[valid.ravel()])
            parts_item.append(cols[valid])
            parts_rank.append(ranks[valid])
            parts_score.append(vals[valid])

        excluded = self._exclusion_matrix(exclude, requested)

        def drop_excluded(scores: np.ndarray, req_pos: np.ndarray) -> None:
            if excluded is not None:
                block = excluded[req_pos]
                block_rows = np.repeat(np.arange(len(req_pos)), np.diff(block.indptr))
                scores[block_rows, block.indices] = -np.inf

        unknown = np.flatnonzero(positions < 0)
        fallback = self._fallback_scores()
        if len(unknown) and (excluded is None or excluded[unknown].nnz == 0):
            cols, vals = _top_k(fallback[None, :], k)
            collect(unknown, np.repeat(cols, len(unknown), 0), np.repeat(vals, len(unknown), 0))
        elif len(unknown):
            for start, stop in _row_blocks(len(unknown), len(self.items_)):
                req_pos = unknown[start:stop]
                scores = np.tile(fallback.astype(np.float64), (len(req_pos), 1))
                drop_excluded(scores, req_pos)
                cols, vals = _top_k(scores, k)
                collect(req_pos, cols, vals)

        known = np.flatnonzero(positions >= 0)
        matrix = self.user_item_matrix_
        for start, stop in _row_blocks(len(known), len(self.items_)):
            req_pos = known[start:stop]
            rows = positions[req_pos]
            scores = self._score_block(rows)
            if scores.dtype not in (np.float32, np.float64):
                scores = scores.astype(np.float64)
            if exclude_seen:
                seen = matrix[rows]
                seen_rows = np.repeat(np.arange(len(rows)), np.diff(seen.indptr))
                scores[seen_rows, seen.indices] = -np.inf
            drop_excluded(scores, req_pos)
            cols, vals = _top_k(scores, k)
            collect(req_pos, cols, vals)

        return self._assemble(requested, parts_pos, parts_item, parts_rank, parts_score)

    def _exclusion_matrix(
        self, exclude: pd.DataFrame | None, requested: pd.Index
    ) -> sp.csr_matrix | None:
        """Sparse (requested users x items) mask of the pairs in ``exclude``, or None."""
        if exclude is None:
            return None
        if not isinstance(exclude, pd.DataFrame):
            raise ValueError(f"exclude must be a pandas DataFrame, got {type(exclude).__name__}")
        user_col, item_col = self.user_col_, self.item_col_
        require_columns(exclude, [user_col, item_col], name="exclude")
        if exclude.empty or requested.empty:
            return None
        user_kind = require_ids(exclude[user_col], user_col, "exclude")
        item_kind = require_ids(exclude[item_col], item_col, "exclude")
        require_same_id_kind(user_kind, self._user_kind, user_col, "exclude", "the training data")
        require_same_id_kind(item_kind, id_kind(pd.Series(self.items_)), item_col, "exclude",
                         "the training data")
        rows = requested.get_indexer(exclude[user_col])
        cols = self.items_.get_indexer(exclude[item_col])
        keep = (rows >= 0) & (cols >= 0)
        if not keep.any():
            return None
        mask = sp.csr_matrix(
            (np.ones(int(keep.sum())), (rows[keep], cols[keep])),
            shape=(len(requested), len(self.items_)),
        )
        mask.sum_duplicates()
        return mask

    def _requested_users(self, users: object) -> pd.Index:
        """Validate ``users`` and return them de-duplicated, in the order given."""
        if isinstance(users, str | bytes) or np.isscalar(users) or users is None:
            users = [users]
        series = pd.Series(users if isinstance(users, pd.Series | pd.Index) else list(users))
        if series.empty:
            return pd.Index(series)
        kind = require_ids(series, self.user_col_, "users")
        require_same_id_kind(kind, self._user_kind, self.user_col_, "users", "the training data")
        return pd.Index(series.drop_duplicates())

    def _assemble(self, requested, parts_pos, parts_item, parts_rank, parts_score):
        if parts_pos:
            pos = np.concatenate(parts_pos)
            item = np.concatenate(parts_item)
            rank = np.concatenate(parts_rank)
            score = np.concatenate(parts_score)
        else:
            pos = item = rank = np.empty(0, dtype=np.int64)
            score = np.empty(0)
        order = np.lexsort((rank, pos))
        return pd.DataFrame(
            {
                self.user_col_: requested.take(pos[order]),
                self.item_col_: self.items_.take(item[order]),
                "rank": rank[order].astype(np.int64),
                "score": score[order].astype(np.float64),
            }
        )


# --------------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------------
class PopularityRecommender(_BaseRecommender):
    """Recommend the overall best-sellers (minus what each user already has).

    Parameters
    ----------
    by : {"users", "weight"}, default "users"
        ``"users"`` ranks items by the number of distinct users who interacted with them;
        ``"weight"`` by their total (aggregated) weight, e.g. units sold.

    Attributes
    ----------
    scores_ : pandas.Series
        Popularity score per item (index: item id).

    Examples
    --------
    >>> df = pd.DataFrame({"u": [1, 2, 2, 3], "i": ["a", "a", "b", "c"]})
    >>> model = PopularityRecommender().fit(df, user_col="u", item_col="i")
    >>> model.recommend([99], k=2)["i"].tolist()  # an unknown user gets the best-sellers
    ['a', 'b']
    """

    def __init__(self, by: str = "users") -> None:
        self.by = by

    def _fit_model(self, matrix: sp.csr_matrix) -> None:
        if self.by == "users":
            scores = self.item_popularity_.to_numpy(dtype=np.float64)
        elif self.by == "weight":
            scores = np.asarray(matrix.sum(axis=0)).ravel()
        else:
            raise ValueError(f"by must be 'users' or 'weight', got {self.by!r}")
        self.scores_ = pd.Series(scores, index=self.items_, name="score")

    def _fallback_scores(self) -> np.ndarray:
        return self.scores_.to_numpy()

    def _score_block(self, rows: np.ndarray) -> np.ndarray:
        return np.tile(self.scores_.to_numpy(), (len(rows), 1))


class _NeighbourhoodRecommender(_BaseRecommender):
    """Shared by the two kNN models: a sparse top-``n_neighbors`` cosine similarity.

    Subclasses say which rows are compared (``_vectors``: items or users, L2-normalised) and
    how a user's scores follow from the similarity (``_score_block``).
    """

    def __init__(self, n_neighbors: int = 50) -> None:
        self.n_neighbors = n_neighbors

    def _vectors(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        raise NotImplementedError

    def _fit_model(self, matrix: sp.csr_matrix) -> None:
        n_neighbors = require_int_at_least(self.n_neighbors, "n_neighbors")
        self.similarity_ = _pairwise_top_n(self._vectors(matrix), n_neighbors)


class ItemKNNRecommender(_NeighbourhoodRecommender):
    """Item-based collaborative filtering with a sparse top-n cosine neighbourhood.

    Each item keeps only its ``n_neighbors`` most similar items (cosine similarity between the
    item columns of the aggregated user x item matrix). A user's score for item ``j`` is
    ``sum over their items i of weight(u, i) * sim(i, j)``, counting ``j`` only where it is
    among ``i``'s neighbours.

    Parameters
    ----------
    n_neighbors : int, default 50
        Neighbourhood size per item. Smaller is faster and often as accurate.

    Attributes
    ----------
    similarity_ : scipy.sparse.csr_matrix
        Item x item, at most ``n_neighbors`` positive entries per row, zero diagonal.

    Examples
    --------
    >>> df = pd.DataFrame({"u": [1, 1, 2, 2, 3], "i": ["a", "b", "a", "b", "a"]})
    >>> model = ItemKNNRecommender(n_neighbors=5).fit(df, user_col="u", item_col="i")
    >>> model.recommend([3], k=1)["i"].tolist()
    ['b']
    """

    def _vectors(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        return normalize(matrix.T.tocsr(), norm="l2", axis=1)

    def _score_block(self, rows: np.ndarray) -> np.ndarray:
        return (self.user_item_matrix_[rows] @ self.similarity_).toarray()


class UserKNNRecommender(_NeighbourhoodRecommender):
    """User-based collaborative filtering with a sparse top-n cosine neighbourhood.

    Each user keeps their ``n_neighbors`` most similar users (cosine similarity between user
    rows). A user's score for item ``j`` is ``sum over neighbours v of sim(u, v) *
    weight(v, j)``. The similarity is computed at fit one block of users at a time; its cost
    grows with the square of the number of users, so prefer :class:`ItemKNNRecommender` for
    large customer bases.

    Parameters
    ----------
    n_neighbors : int, default 50
        Neighbourhood size per user.

    Attributes
    ----------
    similarity_ : scipy.sparse.csr_matrix
        User x user, at most ``n_neighbors`` positive entries per row, zero diagonal.

    Examples
    --------
    >>> df = pd.DataFrame({"u": [1, 1, 2, 2, 3], "i": ["a", "b", "a", "c", "a"]})
    >>> model = UserKNNRecommender(n_neighbors=1).fit(df, user_col="u", item_col="i")
    >>> model.recommend([3], k=1)["i"].tolist()  # tie between users 1 and 2: user 1 wins
    ['b']
    """

    def _vectors(self, matrix: sp.csr_matrix) -> sp.csr_matrix:
        return normalize(matrix, norm="l2", axis=1)

    def _score_block(self, rows: np.ndarray) -> np.ndarray:
        return (self.similarity_[rows] @ self.user_item_matrix_).toarray()


class ContentRecommender(_BaseRecommender):
    """Content-based recommendations from product text and category (TF-IDF).

    Every item becomes a vector: TF-IDF over its text columns joined together, plus a one-hot
    category block scaled by ``category_weight``, normalised to unit length. A user's profile
    is the weighted sum of the vectors of the items they interacted with, normalised; the
    score of an item is its cosine similarity with that profile (between 0 and 1).

    The items table is data, so it goes to :meth:`fit`; which of its columns to read are
    settings, so they go to the constructor. Items that are in the table but were never
    interacted with are part of the catalogue and can be recommended (the cold-start case
    this model is for). Interacted items missing from the table have no text: they can be
    recommended only through their category, which they lack, so they score 0.

    Parameters
    ----------
    text_cols : sequence of str, default ("name", "description")
        Text columns of the items table; missing text counts as empty.
    category_col : str or None, default "category"
        Category column of the items table, or None to use the text only.
    category_weight : float, default 1.0
        Length of the category block relative to the (unit-length) text block.
    stop_words : "english", list or None, default "english"
        Passed to :class:`sklearn.feature_extraction.text.TfidfVectorizer`.

    Attributes
    ----------
    vectorizer_ : sklearn.feature_extraction.text.TfidfVectorizer
        Fitted on the item text.
    item_features_ : scipy.sparse.csr_matrix
        Item x feature matrix with unit-length rows, aligned with ``items_``.

    Examples
    --------
    >>> items = pd.DataFrame({"i": ["a", "b", "c"], "name": ["red shoe", "red boot", "tea"],
    ...                       "category": ["shoes", "shoes", "food"]})
    >>> df = pd.DataFrame({"u": [1], "i": ["a"]})
    >>> model = ContentRecommender(text_cols=["name"]).fit(
    ...     df, user_col="u", item_col="i", items=items)
    >>> model.recommend([1], k=1)["i"].tolist()
    ['b']
    """

    def __init__(
        self,
        *,
        text_cols: Sequence[str] = (PRODUCT_NAME, DESCRIPTION),
        category_col: str | None = CATEGORY,
        category_weight: float = 1.0,
        stop_words: str | list[str] | None = "english",
    ) -> None:
        self.text_cols = text_cols
        self.category_col = category_col
        self.category_weight = category_weight
        self.stop_words = stop_words

    def fit(
        self,
        interactions: pd.DataFrame,
        *,
        user_col: str = CUSTOMER_ID,
        item_col: str = STOCK_CODE,
        weight_col: str | None = None,
        items: pd.DataFrame | None = None,
    ) -> ContentRecommender:
        """Learn user profiles from an interaction log and item vectors from ``items``.

        Parameters
        ----------
        interactions : pandas.DataFrame
            One row per event; duplicates are summed.
        user_col, item_col : str, default "customer_id", "stock_code"
            Names of the user and item id columns. ``items`` must have ``item_col`` too.
        weight_col : str, optional
            Non-negative numeric strength of each event.
        items : pandas.DataFrame
            Required: one row per item with ``item_col``, the ``text_cols`` and (unless None)
            ``category_col``.

        Returns
        -------
        self
        """
        if isinstance(self.text_cols, str) or not isinstance(self.text_cols, Sequence):
            raise ValueError(f"text_cols must be a list of column names, got {self.text_cols!r}")
        category_weight = require_number_at_least(self.category_weight, "category_weight")
        if items is None:
            raise ValueError("ContentRecommender.fit needs items=<DataFrame with one row per item>")
        require_frame(items, name="items")
        needed = [item_col, *self.text_cols]
        needed += [self.category_col] if self.category_col is not None else []
        require_columns(items, needed, name="items")
        require_ids(items[item_col], item_col, "items")
        dupes = items[item_col][items[item_col].duplicated()]
        if len(dupes):
            raise ValueError(
                f"column '{item_col}' of items repeats {len(dupes)} id(s), e.g. "
                f"{dupes.unique()[:3].tolist()}; keep one row per item"
            )

        self._prepare(interactions, user_col, item_col, weight_col, extra_items=items[item_col])

        table = items.set_index(item_col).reindex(self.items_)
        text = pd.Series("", index=table.index)
        for col in self.text_cols:
            text = text + " " + table[col].fillna("").astype(str)
        self.vectorizer_ = TfidfVectorizer(stop_words=self.stop_words, sublinear_tf=True)
        try:
            blocks = [self.vectorizer_.fit_transform(text.to_numpy())]
        except ValueError as err:  # sklearn's "empty vocabulary"
            raise ValueError(
                f"columns {list(self.text_cols)} of items contain no usable words: {err}"
            ) from err
        if self.category_col is not None and category_weight > 0:
            codes, _ = pd.factorize(table[self.category_col])
            has = codes >= 0
            onehot = sp.csr_matrix(
                (np.full(has.sum(), category_weight), (np.flatnonzero(has), codes[has])),
                shape=(len(codes), max(codes.max() + 1, 1)),
            )
            blocks.append(onehot)
        self.item_features_ = normalize(sp.hstack(blocks).tocsr(), norm="l2", axis=1)
        self._item_features_t = self.item_features_.T.tocsr()
        return self

    def _score_block(self, rows: np.ndarray) -> np.ndarray:
        profiles = normalize(self.user_item_matrix_[rows] @ self.item_features_, axis=1)
        return (profiles @ self._item_features_t).toarray()


class ALSRecommender(_BaseRecommender):
    """Implicit-feedback matrix factorisation by alternating least squares.

    Follows Hu, Koren & Volinsky (2008): every (user, item) cell has a preference ``p = 1`` if
    the pair was observed and 0 otherwise, and a confidence ``c = 1 + alpha * weight``. ALS
    minimises ``sum c (p - x_u . y_i)^2 + regularization * (|x|^2 + |y|^2)`` over *all*
    cells without ever forming the dense matrix (the unobserved cells enter through ``Y'Y``).
    Each half-step is solved approximately for all users (or items) at once with a few
    conjugate-gradient steps warm-started from the previous factors (Takacs, Pilaszy & Tikk
    2011), which keeps the cost linear in the number of interactions.

    Parameters
    ----------
    n_factors : int, default 32
        Length of the user and item vectors.
    regularization : float, default 0.1
        L2 penalty on the factors. Its useful size grows with the confidence mass per user
        (``alpha`` x weights x interactions): the default suits small, course-sized logs, and
        logs of millions of rows need a penalty a hundred times larger or more. Tune it on a
        validation split.
    alpha : float, default 10.0
        Confidence gained per unit of weight. With counts, a few dozen is typical.
    n_iterations : int, default 10
        ALS sweeps (each updates users, then items).
    cg_steps : int, default 3
        Conjugate-gradient steps per half-sweep.
    random_state : int, numpy.random.Generator or None
        Seed of the initial factors, drawn with ``np.random.default_rng(random_state)``; fix
        it for reproducible results.

    Attributes
    ----------
    user_factors_ : numpy.ndarray of shape (n_users, n_factors)
    item_factors_ : numpy.ndarray of shape (n_items, n_factors)
        The score of item ``i`` for user ``u`` is ``user_factors_[u] @ item_factors_[i]``.

    Examples
    --------
    >>> df = pd.DataFrame({"u": [1, 1, 2, 2, 3], "i": ["a", "b", "a", "b", "a"]})
    >>> model = ALSRecommender(n_factors=2, random_state=0)
    >>> model.fit(df, user_col="u", item_col="i").recommend([3], k=1)["i"].tolist()
    ['b']
    """

    def __init__(
        self,
        n_factors: int = 32,
        regularization: float = 0.1,
        alpha: float = 10.0,
        n_iterations: int = 10,
        cg_steps: int = 3,
        random_state: int | np.random.Generator | None = None,
    ) -> None:
        self.n_factors = n_factors
        self.regularization = regularization
        self.alpha = alpha
        self.n_iterations = n_iterations
        self.cg_steps = cg_steps
        self.random_state = random_state

    def _fit_model(self, matrix: sp.csr_matrix) -> None:
        n_factors = require_int_at_least(self.n_factors, "n_factors")
        n_iterations = require_int_at_least(self.n_iterations, "n_iterations", minimum=0)
        cg_steps = require_int_at_least(self.cg_steps, "cg_steps")
        reg = require_number_at_least(self.regularization, "regularization")
        alpha = require_number_at_least(self.alpha, "alpha")
        rng = np.random.default_rng(self.random_state)

        # float32 halves memory and time; CG with warm starts does not need more precision.
        conf_ui = matrix.astype(np.float32)
        conf_ui.data = 1.0 + alpha * conf_ui.data
        conf_iu = conf_ui.T.tocsr()
        n_users, n_items = matrix.shape
        X = (rng.standard_normal((n_users, n_factors)) * 0.01).astype(np.float32)
        Y = (rng.standard_normal((n_items, n_factors)) * 0.01).astype(np.float32)
        # The products are thin (n x f with f ~ 32): BLAS threads cost more than they save,
        # and on a busy 2-core laptop they multiply the CPU time by three.
        with threadpool_limits(limits=1, user_api="blas"):
            for _ in range(n_iterations):
                X = _cg_half_step(conf_ui, X, Y, reg, cg_steps)
                Y = _cg_half_step(conf_iu, Y, X, reg, cg_steps)
        self.user_factors_ = X
        self.item_factors_ = Y

    def _score_block(self, rows: np.ndarray) -> np.ndarray:
        with threadpool_limits(limits=1, user_api="blas"):
            return self.user_factors_[rows] @ self.item_factors_.T


def _cg_half_step(
    conf: sp.csr_matrix, X: np.ndarray, Y: np.ndarray, reg: float, steps: int
) -> np.ndarray:
    """Update every row factor ``x_u`` of ``X`` given the fixed column factors ``Y``.

    Solves ``(Y'Y + reg I + Y' (C_u - I) Y) x_u = Y' C_u p_u`` for all rows at once; the row
    systems are independent, so the CG scalars are per row and everything is vectorised over
    the non-zeros of ``conf``.
    """
    n_rows, n_factors = X.shape
    gram = Y.T @ Y + reg * np.eye(n_factors, dtype=np.float32)
    row_of_nnz = np.repeat(np.arange(n_rows), np.diff(conf.indptr))
    Y_nnz = Y[conf.indices]  # (nnz, f): reused by every CG step below
    extra = conf.data - 1.0  # c - 1, the confidence above the baseline of unobserved cells

    def apply_a(P: np.ndarray) -> np.ndarray:
        dots = np.einsum("ij,ij->i", Y_nnz, P[row_of_nnz])
        weighted = sp.csr_matrix((extra * dots, conf.indices, conf.indptr), shape=conf.shape)
        return P @ gram + weighted @ Y

    # Right-hand side: sum of c * y_i over observed items (p = 1 there, 0 elsewhere).
    rhs = conf @ Y
    X = X.copy()
    resid = rhs - apply_a(X)
    direction = resid.copy()
    rs_old = np.einsum("ij,ij->i", resid, resid)
    for _ in range(steps):
        a_dir = apply_a(direction)
        curvature = np.einsum("ij,ij->i", direction, a_dir)
        step = np.divide(rs_old, curvature, out=np.zeros_like(rs_old), where=curvature > 0)
        X += step[:, None] * direction
        resid -= step[:, None] * a_dir
        rs_new = np.einsum("ij,ij->i", resid, resid)
        beta = np.divide(rs_new, rs_old, out=np.zeros_like(rs_new), where=rs_old > 0)
        direction = resid + beta[:, None] * direction
        rs_old = rs_new
    return X


# --------------------------------------------------------------------------------------------
# interaction logs for the recommenders
# --------------------------------------------------------------------------------------------
def logged_in_views(events: pd.DataFrame) -> pd.DataFrame:
    """Product views of logged-in customers from a GA4-style web events table.

    Keeps the ``view_item`` events that carry a ``user_id`` (the customer id of a logged-in
    visitor) and returns one row per view with the columns ``customer_id``, ``stock_code``,
    ``session`` (device cookie and session number, one id per visit) and ``view_time``.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``event_name``, ``user_id``, ``item_id``, ``user_pseudo_id``,
        ``ga_session_id`` and ``event_timestamp`` (microseconds since 1970), as in
        ``load_processed("web_events")``.

    Returns
    -------
    pandas.DataFrame
        The course's column names, ready for a recommender's ``fit``.

    Examples
    --------
    >>> events = pd.DataFrame({"event_name": ["view_item", "view_item", "purchase"],
    ...                        "user_id": [7.0, None, 7.0], "item_id": ["A", "B", "A"],
    ...                        "user_pseudo_id": ["c1", "c2", "c1"], "ga_session_id": [1, 1, 1],
    ...                        "event_timestamp": [0, 1, 2]})
    >>> logged_in_views(events)
       customer_id stock_code session  view_time
    0            7          A    c1-1 1970-01-01
    """
    needed = [EVENT_NAME, USER_ID, "item_id", "user_pseudo_id", SESSION_ID, EVENT_TIMESTAMP]
    require_frame(events, name="events")
    require_columns(events, needed, name="events")
    keep = events[(events[EVENT_NAME] == "view_item") & events[USER_ID].notna()]
    return pd.DataFrame(
        {
            CUSTOMER_ID: keep[USER_ID].astype("int64").to_numpy(),
            STOCK_CODE: keep["item_id"].to_numpy(),
            "session": (keep["user_pseudo_id"].astype(str) + "-"
                        + keep[SESSION_ID].astype(str)).to_numpy(),
            "view_time": pd.to_datetime(keep[EVENT_TIMESTAMP], unit="us").to_numpy(),
        }
    )


def first_session_views(
    views: pd.DataFrame,
    first_order: pd.Series,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
) -> pd.DataFrame:
    """What each newcomer viewed in their first web visit, before their first order.

    For every user in ``first_order`` (index: user, value: time of the first order) this
    keeps the views that came before that order, takes the session of the earliest of them
    and returns the distinct (user, item) pairs viewed in it: all that a shop knows about a
    visitor who is about to buy for the first time.

    Parameters
    ----------
    views : pandas.DataFrame
        One row per view with ``user_col``, ``item_col``, ``session`` and ``view_time``
        (as from :func:`logged_in_views`).
    first_order : pandas.Series
        Time of each newcomer's first order, indexed by user.
    user_col, item_col : str, default "customer_id", "stock_code"
        Names of the user and item columns of ``views``.

    Returns
    -------
    pandas.DataFrame
        Columns ``user_col`` and ``item_col``, one row per distinct pair.

    Examples
    --------
    >>> views = pd.DataFrame({"customer_id": [1, 1, 1, 2], "stock_code": ["A", "B", "C", "A"],
    ...                       "session": ["s1", "s1", "s2", "s3"],
    ...                       "view_time": pd.to_datetime(["2025-01-01", "2025-01-01",
    ...                                                    "2025-01-02", "2025-02-01"])})
    >>> first = pd.Series(pd.to_datetime(["2025-01-03", "2025-01-15"]), index=[1, 2])
    >>> first_session_views(views, first)["stock_code"].tolist()  # user 2 ordered first
    ['A', 'B']
    """
    require_frame(views, name="views")
    require_columns(views, [user_col, item_col, "session", "view_time"], name="views")
    if not isinstance(first_order, pd.Series):
        raise ValueError("first_order must be a pandas Series of times indexed by user")
    mine = views[views[user_col].isin(first_order.index)]
    before = mine[mine["view_time"] < mine[user_col].map(first_order)]
    first_session = (before.sort_values("view_time", kind="stable")
                     .groupby(user_col)["session"].first())
    in_first = before["session"].eq(before[user_col].map(first_session))
    return before.loc[in_first, [user_col, item_col]].drop_duplicates().reset_index(drop=True)


def buy_it_again(
    interactions: pd.DataFrame,
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    k: int = TOP_K,
) -> pd.DataFrame:
    """Each user's own most-bought items, most rows first: the "buy it again" baseline.

    Parameters
    ----------
    interactions : pandas.DataFrame
        One row per purchase line with ``user_col`` and ``item_col``.
    user_col, item_col : str, default "customer_id", "stock_code"
        Column names.
    k : int, default ``constants.TOP_K`` (10)
        Length of each list; ties are broken by item id.

    Returns
    -------
    pandas.DataFrame
        Columns ``user_col``, ``item_col``, ``score`` (rows of the pair) and ``rank``, as
        from a recommender's ``recommend``.

    Examples
    --------
    >>> log = pd.DataFrame({"u": [1, 1, 1, 2], "i": ["b", "a", "a", "c"]})
    >>> buy_it_again(log, user_col="u", item_col="i", k=1)["i"].tolist()
    ['a', 'c']
    """
    k = require_positive_k(k)
    require_frame(interactions, name="interactions")
    require_columns(interactions, [user_col, item_col], name="interactions")
    again = (interactions.groupby([user_col, item_col]).size().rename("score").reset_index()
             .sort_values([user_col, "score", item_col], ascending=[True, False, True]))
    again["rank"] = again.groupby(user_col).cumcount() + 1
    return again[again["rank"] <= k].reset_index(drop=True)


def fit_neighbourhood_sizes(
    model: ItemKNNRecommender | UserKNNRecommender,
    interactions: pd.DataFrame,
    sizes: Sequence[int],
    *,
    user_col: str = CUSTOMER_ID,
    item_col: str = STOCK_CODE,
    weight_col: str | None = None,
) -> list[ItemKNNRecommender | UserKNNRecommender]:
    """Fit a kNN model once per neighbourhood size, computing the similarities only once.

    Neighbourhoods are nested: the ``n`` most similar items (or users) of a row are the first
    ``n`` of its ``max(sizes)`` most similar ones, in the same order (score, then id). So the
    model is fitted once with the largest size and each smaller one keeps the first ``n``
    neighbours of every row: the same models as separate fits, in a fraction of the time.

    Parameters
    ----------
    model : ItemKNNRecommender or UserKNNRecommender
        An unfitted template; its ``n_neighbors`` is replaced by each size.
    interactions : pandas.DataFrame
        As in ``fit``.
    sizes : sequence of int
        Neighbourhood sizes, each at least 1.
    user_col, item_col, weight_col
        As in ``fit``.

    Returns
    -------
    list
        One fitted model per size, in the order of ``sizes``.

    Examples
    --------
    >>> df = pd.DataFrame({"u": [1, 1, 2, 2, 3], "i": ["a", "b", "a", "c", "a"]})
    >>> fitted = fit_neighbourhood_sizes(ItemKNNRecommender(), df, [1, 2], user_col="u",
    ...                                  item_col="i")
    >>> [m.n_neighbors for m in fitted], [m.similarity_.nnz for m in fitted]
    ([1, 2], [3, 4])
    """
    if not isinstance(model, _NeighbourhoodRecommender):
        raise ValueError("model must be an ItemKNNRecommender or a UserKNNRecommender")
    sizes = [require_int_at_least(n, "sizes") for n in sizes]
    if not sizes:
        raise ValueError("sizes is empty: give at least one neighbourhood size")
    largest = clone(model).set_params(n_neighbors=max(sizes))
    largest.fit(interactions, user_col=user_col, item_col=item_col, weight_col=weight_col)
    sim = largest.similarity_.tocoo()
    # every stored entry, best first within its row: score descending, then column (= id)
    order = np.lexsort((sim.col, -sim.data, sim.row))
    rows, cols, vals = sim.row[order], sim.col[order], sim.data[order]
    starts = np.searchsorted(rows, rows, side="left")
    position = np.arange(len(rows)) - starts  # 0 = the most similar neighbour of the row
    fitted = []
    for n in sizes:
        keep = position < n
        one = clone(largest).set_params(n_neighbors=n)
        one.__dict__.update({k: v for k, v in largest.__dict__.items() if k.endswith("_")
                             or k.startswith("_")})
        one.similarity_ = sp.csr_matrix((vals[keep], (rows[keep], cols[keep])),
                                        shape=sim.shape)
        fitted.append(one)
    return fitted
