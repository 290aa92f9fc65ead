"""Tests for helpers.recommend on tiny hand-made logs whose right answers are obvious."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import helpers.recommend as rec
from helpers.constants import TOP_K
from helpers.recommend import (
    ALSRecommender,
    ContentRecommender,
    ItemKNNRecommender,
    PopularityRecommender,
    UserKNNRecommender,
)

A_ITEMS = ["A1", "A2", "A3", "A4"]
B_ITEMS = ["B1", "B2", "B3", "B4"]


def two_groups() -> pd.DataFrame:
    """Users 1-4 buy only A items, users 5-8 only B items; user i lacks exactly one item.

    User 1 lacks A1, user 2 lacks A2, ..., user 5 lacks B1, ... so every sensible
    collaborative model must put that one missing in-group item first.
    """
    rows = []
    for g, items in enumerate([A_ITEMS, B_ITEMS]):
        for j in range(4):
            user = 4 * g + j + 1
            rows += [(user, item) for m, item in enumerate(items) if m != j]
    return pd.DataFrame(rows, columns=["customer", "product"])


def missing_item(user: int) -> str:
    return (A_ITEMS + B_ITEMS)[user - 1]


def items_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "product": A_ITEMS + B_ITEMS + ["A5"],
            "name": ["running shoe"] * 4 + ["green tea"] * 4 + ["trail running shoe"],
            "description": ["light trainers for the gym"] * 4
            + ["organic loose leaf tea"] * 4
            + ["light trainers"],
            "category": ["Shoes"] * 4 + ["Grocery"] * 4 + ["Shoes"],
        }
    )


def fit(model, df=None, **kwargs):
    df = two_groups() if df is None else df
    if isinstance(model, ContentRecommender):
        kwargs.setdefault("items", items_table())
    return model.fit(df, user_col="customer", item_col="product", **kwargs)


COLLABORATIVE = [
    lambda: ItemKNNRecommender(n_neighbors=10),
    lambda: UserKNNRecommender(n_neighbors=10),
    lambda: ALSRecommender(n_factors=4, n_iterations=15, random_state=0),
    lambda: ContentRecommender(),
]
ALL_MODELS = [PopularityRecommender, *COLLABORATIVE]
IDS = ["itemknn", "userknn", "als", "content"]

#: ALS scores are float32 dot products: one user's scores computed in a batch of another shape
#: can differ in the last float32 bits (about 1e-7 at the factors' scale of 1), and a score
#: near 0 makes any relative tolerance too tight. The rankings in these tests do not depend on
#: it: their closest competing scores differ by about 1e-4 or more.
SCORE_ATOL = 1e-6


# --------------------------------------------------------------------------------------------
# the obvious answers
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", COLLABORATIVE, ids=IDS)
def test_recommends_the_missing_in_group_item_first(make):
    model = fit(make())
    recs = model.recommend(range(1, 9), k=1)
    # The content model can also offer A5 (same words as the A items, never bought).
    allowed = {u: {missing_item(u)} for u in range(1, 9)}
    if isinstance(model, ContentRecommender):
        for u in range(1, 5):
            allowed[u].add("A5")
    for user, item in zip(recs["customer"], recs["product"], strict=True):
        assert item in allowed[user], (user, item)


@pytest.mark.parametrize("make", COLLABORATIVE[:2], ids=IDS[:2])
def test_knn_gives_other_group_zero_score(make):
    recs = fit(make()).recommend([1], k=5)
    assert recs["product"].tolist() == ["A1", "B1", "B2", "B3", "B4"]  # zeros by item id
    assert recs["score"].iloc[0] > 0
    assert (recs["score"].iloc[1:] == 0).all()


def test_als_prefers_own_group():
    model = fit(ALSRecommender(n_factors=4, n_iterations=15, random_state=0))
    recs = model.recommend([1, 5], k=1, exclude_seen=False)
    scores = model.user_factors_ @ model.item_factors_.T
    own, other = scores[0, :4], scores[0, 4:]
    assert own.min() > other.max()
    assert recs["product"].str[0].tolist() == ["A", "B"]


def test_content_recommends_cold_start_item_by_text():
    model = fit(ContentRecommender())
    assert "A5" in model.items_  # in the items table, never bought
    assert model.item_popularity_["A5"] == 0
    recs = model.recommend([1], k=2)
    assert set(recs["product"]) == {"A1", "A5"}
    # A1 has exactly the user's text and category, so its cosine with the profile is 1.
    assert recs.loc[recs["product"] == "A1", "score"].item() == pytest.approx(1.0)
    assert (recs["score"] <= 1 + 1e-12).all()


# --------------------------------------------------------------------------------------------
# hand-computed scores
# --------------------------------------------------------------------------------------------
@pytest.fixture
def abc():
    # user 1: a, b;  user 2: a, b;  user 3: a, c
    return pd.DataFrame({"customer": [1, 1, 2, 2, 3, 3], "product": ["a", "b", "a", "b", "a", "c"]})


def test_item_knn_hand_computed(abc):
    # Item columns a=(1,1,1), b=(1,1,0), c=(0,0,1): cos(a,b)=2/sqrt(6), cos(a,c)=1/sqrt(3),
    # cos(b,c)=0. With one neighbour: a->b, b->a, c->a.
    model = fit(ItemKNNRecommender(n_neighbors=1), abc)
    sim = model.similarity_.toarray()
    expected = np.array(
        [[0, 2 / math.sqrt(6), 0], [2 / math.sqrt(6), 0, 0], [1 / math.sqrt(3), 0, 0]]
    )
    np.testing.assert_allclose(sim, expected)
    # User 3 (a, c) scores b through a's neighbour only: 1 * cos(a, b).
    recs = model.recommend([3], k=5)
    assert recs["product"].tolist() == ["b"]
    assert recs["score"].item() == pytest.approx(2 / math.sqrt(6))


def test_item_knn_keeps_top_n_neighbours_sparse():
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {"customer": rng.integers(0, 200, 3000), "product": rng.integers(0, 80, 3000)}
    )
    model = fit(ItemKNNRecommender(n_neighbors=5), df)
    assert sp.issparse(model.similarity_)
    per_row = np.diff(model.similarity_.indptr)
    assert per_row.max() == 5
    assert model.similarity_.diagonal().sum() == 0
    # The kept neighbours are the 5 best of the full cosine matrix.
    x = model.user_item_matrix_.toarray()
    full = (x.T @ x) / np.outer(np.linalg.norm(x, axis=0), np.linalg.norm(x, axis=0))
    np.fill_diagonal(full, 0)
    kept = model.similarity_.toarray()
    for i in range(full.shape[0]):
        fifth_best = np.sort(full[i])[-5]
        assert kept[i][kept[i] > 0].min() == pytest.approx(fifth_best)


def test_user_knn_hand_computed(abc):
    # User rows 1=(1,1,0), 2=(1,1,0), 3=(1,0,1): cos(1,2)=1, cos(1,3)=cos(2,3)=1/2.
    model = fit(UserKNNRecommender(n_neighbors=2), abc)
    np.testing.assert_allclose(
        model.similarity_.toarray(), [[0, 1, 0.5], [1, 0, 0.5], [0.5, 0.5, 0]]
    )
    # User 3 gets b from users 1 and 2: 0.5 + 0.5.  User 1 gets c from user 3: 0.5.
    recs = model.recommend([3, 1], k=5)
    assert recs[["customer", "product"]].values.tolist() == [[3, "b"], [1, "c"]]
    np.testing.assert_allclose(recs["score"], [1.0, 0.5])


def test_popularity_hand_computed(abc):
    model = fit(PopularityRecommender(), abc)
    assert model.scores_.to_dict() == {"a": 3.0, "b": 2.0, "c": 1.0}
    recs = model.recommend([3, 1], k=2)
    assert recs[["customer", "product", "rank", "score"]].values.tolist() == [
        [3, "b", 1, 2.0],
        [1, "c", 1, 1.0],
    ]


# --------------------------------------------------------------------------------------------
# shared behaviour
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("make", ALL_MODELS, ids=["popularity", *IDS])
def test_output_schema_ranks_and_order(make):
    model = fit(make())
    recs = model.recommend([8, 1, 3], k=3)
    assert list(recs.columns) == ["customer", "product", "rank", "score"]
    assert recs["customer"].tolist() == [8] * 3 + [1] * 3 + [3] * 3  # requested order
    assert recs["rank"].tolist() == [1, 2, 3] * 3
    assert recs["rank"].dtype == np.int64 and recs["score"].dtype == np.float64
    assert recs["customer"].dtype == two_groups()["customer"].dtype
    for _, group in recs.groupby("customer"):
        assert group["score"].is_monotonic_decreasing
        assert group["product"].is_unique


@pytest.mark.parametrize("make", ALL_MODELS, ids=["popularity", *IDS])
def test_exclude_seen(make):
    df = two_groups()
    model = fit(make(), df)
    seen = set(map(tuple, df.values.tolist()))
    recs = model.recommend(range(1, 9), k=8)
    assert not any((u, i) in seen for u, i in zip(recs["customer"], recs["product"], strict=True))
    # 8 (or 9 with A5) items, 3 seen each: lists are shorter than k.
    assert recs.groupby("customer").size().max() == len(model.items_) - 3

    everything = model.recommend(range(1, 9), k=20, exclude_seen=False)
    assert (everything.groupby("customer").size() == len(model.items_)).all()


@pytest.mark.parametrize("make", ALL_MODELS, ids=["popularity", *IDS])
def test_exclude_table_replaces_or_extends_seen(make):
    df = two_groups()
    model = fit(make(), df)
    users = list(range(1, 9))
    # The training pairs passed as a table give exactly the exclude_seen=True lists.
    pd.testing.assert_frame_equal(
        model.recommend(users, k=8, exclude_seen=False, exclude=df),
        model.recommend(users, k=8),
    )
    # Extra pairs are left out on top of the seen ones; other users are untouched.
    top = model.recommend([1], k=1)["product"].iloc[0]
    extra = pd.DataFrame({"customer": [1, 77], "product": [top, "not-an-item"]})
    recs = model.recommend([1, 2], k=8, exclude=extra)
    assert top not in set(recs.loc[recs["customer"] == 1, "product"])
    pd.testing.assert_frame_equal(
        recs[recs["customer"] == 2].reset_index(drop=True),
        model.recommend([2], k=8),
        atol=SCORE_ATOL,
    )
    # An empty table changes nothing.
    pd.testing.assert_frame_equal(
        model.recommend(users, k=3, exclude=df.iloc[:0]), model.recommend(users, k=3)
    )


def test_exclude_table_for_unknown_users():
    model = fit(PopularityRecommender())
    # user 99 is unknown: the popularity fallback, minus the excluded pair
    plain = model.recommend([99, 98], k=3)
    recs = model.recommend(
        [99, 98], k=3, exclude=pd.DataFrame({"customer": [99], "product": ["A1"]})
    )
    first = plain.loc[plain["customer"] == 99, "product"].tolist()
    assert recs.loc[recs["customer"] == 99, "product"].tolist() == [*first[1:], "A4"]
    assert recs.loc[recs["customer"] == 98, "product"].tolist() == first
    assert first == ["A1", "A2", "A3"]  # every item has 3 users: ties broken by id


def test_exclude_table_bad_input():
    model = fit(ItemKNNRecommender())
    with pytest.raises(ValueError, match=r"exclude is missing .*'product'"):
        model.recommend([1], exclude=pd.DataFrame({"customer": [1]}))
    with pytest.raises(ValueError, match="column 'customer' holds string ids in exclude"):
        model.recommend([1], exclude=pd.DataFrame({"customer": ["1"], "product": ["A1"]}))
    with pytest.raises(ValueError, match="column 'product' of exclude has 1 missing"):
        model.recommend([1], exclude=pd.DataFrame({"customer": [1], "product": [None]}))
    with pytest.raises(ValueError, match="exclude must be a pandas DataFrame"):
        model.recommend([1], exclude=[(1, "A1")])


def test_exclude_seen_false_puts_seen_group_items_on_top():
    recs = fit(ItemKNNRecommender()).recommend([1], k=4, exclude_seen=False)
    assert set(recs["product"]) == set(A_ITEMS)


@pytest.mark.parametrize("make", ALL_MODELS, ids=["popularity", *IDS])
def test_unknown_users_get_popularity(make):
    df = two_groups()
    df = pd.concat([df, pd.DataFrame({"customer": [9, 10], "product": ["B3", "B3"]})])
    model = fit(make(), df)
    recs = model.recommend([99, 1, 100], k=3)
    fallback = recs[recs["customer"] == 99]
    # B3 has 5 distinct users, every other item 3 (A5 for the content model: 0); ties by id.
    assert fallback["product"].tolist() == ["B3", "A1", "A2"]
    assert fallback["score"].tolist() == [5.0, 3.0, 3.0]
    assert recs[recs["customer"] == 100]["product"].tolist() == ["B3", "A1", "A2"]
    assert recs["customer"].drop_duplicates().tolist() == [99, 1, 100]


def test_duplicates_are_aggregated():
    df = pd.DataFrame(
        {
            "customer": [1, 1, 1, 2, 2, 3],
            "product": ["a", "a", "b", "b", "b", "c"],
            "qty": [2.0, 3.0, 1.0, 1.0, 1.0, 0.5],
        }
    )
    counted = fit(PopularityRecommender(by="weight"), df)
    np.testing.assert_array_equal(
        counted.user_item_matrix_.toarray(), [[2, 1, 0], [0, 2, 0], [0, 0, 1]]
    )
    assert counted.scores_.tolist() == [2.0, 3.0, 1.0]  # rows per item

    weighted = fit(PopularityRecommender(by="weight"), df, weight_col="qty")
    np.testing.assert_array_equal(
        weighted.user_item_matrix_.toarray(), [[5, 1, 0], [0, 2, 0], [0, 0, 0.5]]
    )
    assert weighted.scores_.tolist() == [5.0, 3.0, 0.5]
    assert weighted.recommend([99], k=1)["product"].item() == "a"
    # distinct users per item, whatever the weights
    assert weighted.item_popularity_.tolist() == [1, 2, 1]


def test_zero_weight_pairs_are_dropped():
    df = pd.DataFrame({"customer": [1, 1, 2], "product": ["a", "b", "b"], "w": [0, 1, 1]})
    model = fit(PopularityRecommender(), df, weight_col="w")
    assert model.user_item_matrix_.nnz == 2
    assert model.item_popularity_.tolist() == [0, 2]
    # a is not "seen" by user 1, so it can be recommended to them
    assert model.recommend([1], k=5)["product"].tolist() == ["a"]


def test_string_ids_and_tie_break_by_item_id():
    df = pd.DataFrame({"customer": ["x", "y", "z"], "product": ["c", "b", "a"]})
    recs = fit(PopularityRecommender(), df).recommend(["w"], k=3)
    assert recs["product"].tolist() == ["a", "b", "c"]  # all tied at one user each
    assert recs["customer"].tolist() == ["w"] * 3


def test_recommend_accepts_scalars_series_and_repeats():
    model = fit(ItemKNNRecommender())
    single = model.recommend(1, k=2)
    assert single["customer"].tolist() == [1, 1]
    repeated = model.recommend(pd.Series([1, 1, 2]), k=2)
    assert repeated["customer"].tolist() == [1, 1, 2, 2]
    empty = model.recommend([], k=2)
    assert list(empty.columns) == ["customer", "product", "rank", "score"] and empty.empty


def test_k_larger_than_catalogue():
    recs = fit(PopularityRecommender()).recommend([99], k=100)
    assert len(recs) == 8 and recs["rank"].tolist() == list(range(1, 9))


@pytest.mark.parametrize("make", COLLABORATIVE, ids=IDS)
def test_batches_give_the_same_answer(make, monkeypatch):
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"customer": rng.integers(0, 60, 600), "product": rng.integers(0, 40, 600)})
    if isinstance(make(), ContentRecommender):
        df["product"] = df["product"].map(lambda i: (A_ITEMS + B_ITEMS)[i % 8])
    one_block = fit(make(), df).recommend(range(60), k=5)
    monkeypatch.setattr(rec, "_BLOCK_CELLS", 7 * 40)  # 7 users (or items) per block
    many_blocks = fit(make(), df).recommend(range(60), k=5)
    pd.testing.assert_frame_equal(one_block, many_blocks, rtol=1e-5, atol=SCORE_ATOL)


def test_top_k_matches_brute_force_with_ties():
    rng = np.random.default_rng(3)
    scores = np.round(rng.random((50, 40)), 1)  # many ties
    scores[0] = 0.0
    scores[1, :5] = -np.inf
    cols, vals = rec._top_k(scores, 7)
    for row in range(scores.shape[0]):
        expected = np.lexsort((np.arange(40), -scores[row]))[:7]
        np.testing.assert_array_equal(cols[row], expected)
        np.testing.assert_array_equal(vals[row], scores[row, expected])


def test_als_is_deterministic_with_random_state():
    first = fit(ALSRecommender(n_factors=3, random_state=42))
    second = fit(ALSRecommender(n_factors=3, random_state=42))
    other = fit(ALSRecommender(n_factors=3, random_state=7))
    np.testing.assert_array_equal(first.user_factors_, second.user_factors_)
    np.testing.assert_array_equal(first.item_factors_, second.item_factors_)
    assert not np.allclose(first.item_factors_, other.item_factors_)
    pd.testing.assert_frame_equal(
        first.recommend(range(1, 9), k=4), second.recommend(range(1, 9), k=4)
    )


def test_fit_returns_self_and_sklearn_params():
    model = ItemKNNRecommender(n_neighbors=3)
    assert fit(model) is model
    assert model.get_params() == {"n_neighbors": 3}
    assert model.users_.tolist() == list(range(1, 9))
    assert model.items_.tolist() == A_ITEMS + B_ITEMS
    assert model.user_col_ == "customer" and model.item_col_ == "product"


@pytest.mark.parametrize("make", ALL_MODELS, ids=["popularity", *IDS])
def test_defaults_are_the_course_columns_and_top_k(make):
    """Without column names the course's customer_id and stock_code are used; k = TOP_K."""
    log = pd.DataFrame({"customer_id": np.repeat(np.arange(30), 3),
                        "stock_code": [f"S{(3 * u + j) % 40:02d}" for u in range(30)
                                       for j in range(3)]})
    items = pd.DataFrame({"stock_code": [f"S{i:02d}" for i in range(40)],
                          "name": ["mug"] * 20 + ["lamp"] * 20, "description": "",
                          "category": ["Home"] * 40})
    model = make()
    if isinstance(model, ContentRecommender):
        model.fit(log, items=items)
    else:
        model.fit(log)
    recs = model.recommend([0, 1])
    assert list(recs.columns) == ["customer_id", "stock_code", "rank", "score"]
    assert recs.groupby("customer_id").size().tolist() == [TOP_K, TOP_K]
    with pytest.raises(TypeError, match="positional"):
        model.recommend([0], 3)  # k and the options are keyword-only


def test_als_draws_with_default_rng_and_accepts_a_generator():
    """The initial factors come from np.random.default_rng(random_state)."""
    from_seed = fit(ALSRecommender(n_factors=3, n_iterations=0, random_state=5))
    expected = np.random.default_rng(5).standard_normal((8, 3)) * 0.01
    np.testing.assert_allclose(from_seed.user_factors_, expected, rtol=1e-6)
    from_generator = fit(ALSRecommender(n_factors=3, n_iterations=0,
                                        random_state=np.random.default_rng(5)))
    np.testing.assert_array_equal(from_generator.user_factors_, from_seed.user_factors_)


def test_recommenders_clone_unfitted():
    model = fit(ALSRecommender(n_factors=3, random_state=1))
    copy = clone(model)
    assert copy.get_params() == model.get_params()
    assert not hasattr(copy, "user_factors_")
    with pytest.raises(NotFittedError):
        copy.recommend([1])


# --------------------------------------------------------------------------------------------
# bad input
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d.assign(customer=[np.nan] + d["customer"].tolist()[1:]),
            "'customer' .* 1 missing",
        ),
        (lambda d: d.assign(product=[None] + d["product"].tolist()[1:]), "'product' .* 1 missing"),
        (lambda d: d.assign(customer=["1"] + d["customer"].tolist()[1:]), "'customer' .* mixes id"),
        (lambda d: d.assign(product=[7] + d["product"].tolist()[1:]), "'product' .* mixes id"),
        (lambda d: d.drop(columns="product"), r"missing column\(s\) \['product'\]"),
        (lambda d: d.assign(w=-1.0), "'w' .* negative weight"),
        (lambda d: d.assign(w=np.nan), "'w' .* missing weight"),
        (lambda d: d.assign(w=np.inf), "'w' .* infinite"),
        (lambda d: d.assign(w="lots"), "'w' .* must be numeric"),
        (lambda d: d.iloc[:0], "interactions is empty"),
    ],
)
@pytest.mark.parametrize("make", ALL_MODELS, ids=["popularity", *IDS])
def test_bad_interactions_raise(make, mutate, message):
    df = mutate(two_groups().assign(w=1.0))
    with pytest.raises(ValueError, match=message):
        fit(make(), df, weight_col="w")


@pytest.mark.parametrize("k", [0, -3, 2.5, None, True])
def test_bad_k_raises(k):
    model = fit(ItemKNNRecommender())
    with pytest.raises(ValueError, match="k must be a positive integer"):
        model.recommend([1], k=k)


def test_bad_users_raise():
    model = fit(ItemKNNRecommender())
    with pytest.raises(ValueError, match="'customer' of users has 1 missing"):
        model.recommend([1, None])
    with pytest.raises(ValueError, match="'customer' of users mixes id types"):
        model.recommend([1, "2"])
    with pytest.raises(ValueError, match="string ids in users but number ids"):
        model.recommend(["1"])


def test_other_misuse_raises():
    with pytest.raises(ValueError, match="not fitted"):
        ItemKNNRecommender().recommend([1])
    with pytest.raises(ValueError, match="must differ"):
        ItemKNNRecommender().fit(two_groups(), user_col="customer", item_col="customer")
    with pytest.raises(ValueError, match="must be a pandas DataFrame"):
        ItemKNNRecommender().fit([1, 2], user_col="customer", item_col="product")
    with pytest.raises(ValueError, match="clashes with the output column"):
        ItemKNNRecommender().fit(
            two_groups().rename(columns={"product": "rank"}), user_col="customer", item_col="rank"
        )
    with pytest.raises(ValueError, match="n_neighbors must be an integer >= 1"):
        fit(ItemKNNRecommender(n_neighbors=0))
    with pytest.raises(ValueError, match="by must be"):
        fit(PopularityRecommender(by="revenue"))
    with pytest.raises(ValueError, match="alpha must be a finite number"):
        fit(ALSRecommender(alpha=-1))


def test_content_bad_items_table():
    with pytest.raises(ValueError, match="needs items="):
        fit(ContentRecommender(), items=None)
    with pytest.raises(ValueError, match=r"items is missing column\(s\) \['description'\]"):
        fit(ContentRecommender(), items=items_table().drop(columns="description"))
    dup = pd.concat([items_table(), items_table().iloc[:1]])
    with pytest.raises(ValueError, match="column 'product' of items repeats 1 id"):
        fit(ContentRecommender(), items=dup)
    with pytest.raises(ValueError, match="number ids in items"):
        fit(ContentRecommender(), items=items_table().assign(product=range(9)))
    with pytest.raises(ValueError, match="text_cols must be a list"):
        fit(ContentRecommender(text_cols="name"))


# --------------------------------------------------------------------------------------------
# interaction logs: views, first sessions, buy it again
# --------------------------------------------------------------------------------------------
def test_logged_in_views_keeps_only_view_events_with_a_customer():
    events = pd.DataFrame({
        "event_name": ["view_item", "view_item", "add_to_cart", "view_item"],
        "user_id": [5.0, np.nan, 5.0, 6.0], "item_id": ["A", "B", "A", "C"],
        "user_pseudo_id": ["c1", "c2", "c1", "c3"], "ga_session_id": [11, 12, 11, 13],
        "event_timestamp": [1_000_000, 2_000_000, 3_000_000, 86_400_000_000]})
    views = rec.logged_in_views(events)
    assert views.columns.tolist() == ["customer_id", "stock_code", "session", "view_time"]
    assert views["customer_id"].tolist() == [5, 6]
    assert views["session"].tolist() == ["c1-11", "c3-13"]
    assert views["view_time"].tolist() == [pd.Timestamp("1970-01-01 00:00:01"),
                                           pd.Timestamp("1970-01-02")]
    with pytest.raises(ValueError, match="item_id"):
        rec.logged_in_views(events.drop(columns="item_id"))


def test_first_session_views_keeps_the_first_visit_before_the_first_order():
    t = pd.to_datetime(["2025-01-01 10:00", "2025-01-01 10:05", "2025-01-02 00:00",
                        "2025-01-05 00:00", "2025-01-01 00:00"])
    views = pd.DataFrame({"customer_id": [1, 1, 1, 1, 2], "stock_code": ["A", "A", "B", "C", "D"],
                          "session": ["s1", "s1", "s2", "s3", "s9"], "view_time": t})
    first_order = pd.Series(pd.to_datetime(["2025-01-03", "2024-12-31"]), index=[1, 2])
    out = rec.first_session_views(views, first_order)
    # customer 1: first session s1 (A, viewed twice, kept once); customer 2 ordered before viewing
    assert out.to_dict("list") == {"customer_id": [1], "stock_code": ["A"]}
    with pytest.raises(ValueError, match="Series"):
        rec.first_session_views(views, first_order.to_frame())


def test_buy_it_again_ranks_own_purchases_by_count_then_id():
    log = pd.DataFrame({"customer_id": [1, 1, 1, 1, 2], "stock_code": ["b", "a", "c", "c", "z"]})
    out = rec.buy_it_again(log, k=2)
    assert out[["customer_id", "stock_code", "rank"]].values.tolist() == [
        [1, "c", 1], [1, "a", 2], [2, "z", 1]]
    assert out["score"].tolist() == [2, 1, 1]
    with pytest.raises(ValueError, match="k must be"):
        rec.buy_it_again(log, k=0)



def test_fit_neighbourhood_sizes_equals_one_fit_per_size():
    log = two_groups()
    fit = dict(user_col="customer", item_col="product")
    for template in (ItemKNNRecommender(), UserKNNRecommender()):
        fitted = rec.fit_neighbourhood_sizes(template, log, [1, 3, 6], **fit)
        assert [m.n_neighbors for m in fitted] == [1, 3, 6]
        for model in fitted:
            alone = clone(template).set_params(n_neighbors=model.n_neighbors).fit(log, **fit)
            assert (alone.similarity_ != model.similarity_).nnz == 0
            pd.testing.assert_frame_equal(alone.recommend([1, 5], k=3),
                                          model.recommend([1, 5], k=3))
    with pytest.raises(ValueError, match="ItemKNNRecommender or a UserKNNRecommender"):
        rec.fit_neighbourhood_sizes(PopularityRecommender(), log, [1], **fit)
    with pytest.raises(ValueError, match="empty"):
        rec.fit_neighbourhood_sizes(ItemKNNRecommender(), log, [], **fit)
