"""Tests for helpers.metrics: hand-computed metric values, the table report, scikit-learn's
NDCG as a cross-check, and the paired bootstrap."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from helpers.metrics import (
    catalogue_coverage,
    hit_rate_at_k,
    hit_revenue,
    intra_list_diversity,
    map_at_k,
    ndcg_at_k,
    ndcg_per_user,
    novelty,
    paired_bootstrap,
    precision_at_k,
    ranking_report,
    recall_at_k,
)

METRICS = [precision_at_k, recall_at_k, ndcg_at_k, map_at_k, hit_rate_at_k]

# One list used for the hand computations: hits at ranks 2 and 4, one relevant item missed.
RECOMMENDED = ["a", "b", "c", "d", "e"]
RELEVANT = {"b", "d", "z"}
D2, D3, D4, D5 = (1 / math.log2(r + 1) for r in (2, 3, 4, 5))  # discounts of ranks 2..5


# --------------------------------------------------------------------------------------------
# per-user metrics
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("k", "expected"),
    [
        # k=5: hits at ranks 2 and 4; ideal list has min(5, 3) = 3 hits on top.
        (
            5,
            {
                "precision": 2 / 5,
                "recall": 2 / 3,
                "ndcg": (D2 + D4) / (1 + D2 + D3),
                "map": (1 / 2 + 2 / 4) / 3,
                "hit": 1.0,
            },
        ),
        # k=3: only the hit at rank 2 counts.
        (
            3,
            {
                "precision": 1 / 3,
                "recall": 1 / 3,
                "ndcg": D2 / (1 + D2 + D3),
                "map": (1 / 2) / 3,
                "hit": 1.0,
            },
        ),
        # k=1: "a" is not relevant.
        (1, {"precision": 0.0, "recall": 0.0, "ndcg": 0.0, "map": 0.0, "hit": 0.0}),
    ],
)
def test_hand_computed_values(k, expected):
    assert precision_at_k(RECOMMENDED, RELEVANT, k) == pytest.approx(expected["precision"])
    assert recall_at_k(RECOMMENDED, RELEVANT, k) == pytest.approx(expected["recall"])
    assert ndcg_at_k(RECOMMENDED, RELEVANT, k) == pytest.approx(expected["ndcg"])
    assert map_at_k(RECOMMENDED, RELEVANT, k) == pytest.approx(expected["map"])
    assert hit_rate_at_k(RECOMMENDED, RELEVANT, k) == expected["hit"]


def test_hand_computed_decimals():
    # The same k=5 figures written out, as a check on the formulas above.
    assert ndcg_at_k(RECOMMENDED, RELEVANT, 5) == pytest.approx(1.061606 / 2.130930, abs=1e-6)
    assert map_at_k(RECOMMENDED, RELEVANT, 5) == pytest.approx(0.333333, abs=1e-6)


def test_perfect_list_scores_one_everywhere():
    relevant = ["x", "y", "z"]
    for metric in METRICS:
        assert metric(relevant, set(relevant), 3) == pytest.approx(1.0), metric.__name__


def test_ideal_dcg_and_ap_use_min_of_k_and_relevant():
    # 5 relevant items but k=2: two hits on top is the best possible, so 1.0 (recall is 2/5).
    relevant = {"a", "b", "c", "d", "e"}
    assert ndcg_at_k(["a", "b"], relevant, 2) == pytest.approx(1.0)
    assert map_at_k(["a", "b"], relevant, 2) == pytest.approx(1.0)
    assert recall_at_k(["a", "b"], relevant, 2) == pytest.approx(2 / 5)


def test_short_list_keeps_k_as_precision_denominator():
    assert precision_at_k(["a"], {"a"}, 3) == pytest.approx(1 / 3)
    assert recall_at_k(["a"], {"a"}, 3) == 1.0
    assert ndcg_at_k(["a"], {"a"}, 3) == 1.0
    assert map_at_k(["a"], {"a"}, 3) == 1.0


@pytest.mark.parametrize("metric", METRICS)
def test_empty_cases_score_zero(metric):
    assert metric([], {"a"}, 5) == 0.0
    assert metric(["a", "b"], set(), 5) == 0.0


def test_works_with_integer_ids_and_arrays():
    assert precision_at_k(np.array([3, 1, 2]), pd.Series([1, 2]), 2) == 0.5


@pytest.mark.parametrize("k", [0, -1, 1.5, True, "3", None])
@pytest.mark.parametrize("metric", METRICS)
def test_bad_k_raises(metric, k):
    with pytest.raises(ValueError, match="k must be a positive integer"):
        metric(["a"], {"a"}, k)


@pytest.mark.parametrize(
    ("recommended", "relevant", "message"),
    [
        (["a", np.nan], {"a"}, "missing"),
        (["a", None], {"a"}, "missing"),
        (["a", 1], {"a"}, "mixes id types"),
        (["a", "b"], {"a", 2}, "mixes id types"),
        (["a", "a"], {"a"}, "more than once"),
        ([1, 2], {"a"}, "never match"),
        ("abc", {"a"}, "list-like"),
    ],
)
def test_bad_lists_raise(recommended, relevant, message):
    with pytest.raises(ValueError, match=message):
        precision_at_k(recommended, relevant, 2)


def test_catalogue_coverage():
    # b and c of a four-item catalogue; "zz" is not in the catalogue and is ignored.
    assert catalogue_coverage(["b", "c", "b", "zz"], ["a", "b", "c", "d"]) == 0.5
    assert catalogue_coverage([], ["a", "b"]) == 0.0
    assert catalogue_coverage(["a", "b"], ["a", "b", "a"]) == 1.0
    with pytest.raises(ValueError, match="catalogue is empty"):
        catalogue_coverage(["a"], [])
    with pytest.raises(ValueError, match="never match"):
        catalogue_coverage([1, 2], ["a", "b"])


# --------------------------------------------------------------------------------------------
# ranking_report
# --------------------------------------------------------------------------------------------
@pytest.fixture
def report_data():
    recs = pd.DataFrame(
        {
            "user": [1, 1, 1, 2, 2, 2, 9],
            "item": ["a", "b", "c", "c", "a", "d", "a"],
            "rank": [1, 2, 3, 1, 2, 3, 1],
        }
    )
    test = pd.DataFrame(
        {
            # user 2's "a" appears twice: relevance is binary, it counts once.
            "user": [1, 1, 2, 2, 3],
            "item": ["b", "z", "a", "a", "a"],
        }
    )
    return recs, test


def test_report_matches_hand_computation(report_data):
    recs, test = report_data
    report = ranking_report(recs, test, user_col="user", item_col="item", k=2)
    # user 1: [a, b] vs {b, z} -> 1 hit at rank 2.  user 2: [c, a] vs {a} -> 1 hit at rank 2.
    # user 3: no recommendations -> zeros.  user 9 is not in test -> ignored.
    expected = {
        "precision": (1 / 2 + 1 / 2 + 0) / 3,
        "recall": (1 / 2 + 1 + 0) / 3,
        "ndcg": (D2 / (1 + D2) + D2 / 1 + 0) / 3,
        "map": ((1 / 2) / 2 + (1 / 2) / 1 + 0) / 3,
        "hit_rate": 2 / 3,
        # top-2 lists of users 1, 2 (and 9) hold a, b, c out of {a, b, c, z}
        "coverage": 3 / 4,
        "n_users": 3.0,
    }
    assert report.name == "@2"
    assert list(report.index) == list(expected)
    for key, value in expected.items():
        assert report[key] == pytest.approx(value), key


def test_report_equals_mean_of_per_user_functions(report_data):
    recs, test = report_data
    report = ranking_report(recs, test, user_col="user", item_col="item", k=3)
    users = test["user"].unique()
    for name, metric in zip(
        ["precision", "recall", "ndcg", "map", "hit_rate"], METRICS, strict=True
    ):
        per_user = [
            metric(
                recs.loc[recs["user"] == u].sort_values("rank")["item"].tolist(),
                set(test.loc[test["user"] == u, "item"]),
                3,
            )
            for u in users
        ]
        assert report[name] == pytest.approx(np.mean(per_user)), name


def test_report_perfect_and_empty_cases():
    test = pd.DataFrame({"u": ["x", "x", "y"], "i": [1, 2, 3]})
    perfect = test.assign(rank=[1, 2, 1])
    report = ranking_report(perfect, test, user_col="u", item_col="i", k=2)
    for key in ["precision", "recall", "ndcg", "map", "hit_rate"]:
        expected = 0.75 if key == "precision" else 1.0  # user y fills 1 of 2 slots
        assert report[key] == pytest.approx(expected), key
    assert report["coverage"] == 1.0

    empty = pd.DataFrame({"u": [], "i": [], "rank": []})
    report = ranking_report(empty, test, user_col="u", item_col="i", k=5)
    assert (report.drop("n_users") == 0).all()
    assert report["n_users"] == 2


def test_report_uses_rank_order_not_row_order_and_cuts_at_k():
    test = pd.DataFrame({"u": [1], "i": ["b"]})
    # Rows are shuffled and ranks have a gap: b is second in rank order, so outside k=1.
    recs = pd.DataFrame({"u": [1, 1, 1], "i": ["c", "b", "a"], "rank": [7, 5, 2]})
    assert ranking_report(recs, test, user_col="u", item_col="i", k=1)["hit_rate"] == 0.0
    report = ranking_report(recs, test, user_col="u", item_col="i", k=2)
    assert report["ndcg"] == pytest.approx(D2)


def test_report_coverage_with_explicit_catalogue(report_data):
    recs, test = report_data
    report = ranking_report(
        recs, test, user_col="user", item_col="item", k=1, catalogue=list("abcdefghij")
    )
    assert report["coverage"] == pytest.approx(2 / 10)  # top-1 items: a, c


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r, t: (r.drop(columns="rank"), t), r"recommendations is missing .*'rank'"),
        (lambda r, t: (r, t.drop(columns="item")), r"test is missing .*'item'"),
        (lambda r, t: (r.assign(item=np.nan), t), "column 'item' of recommendations has"),
        (lambda r, t: (r, t.assign(user=[1, "1", 2, 2, 3])), "column 'user' of test mixes"),
        (lambda r, t: (r.assign(item=range(7)), t), "column 'item' holds number ids"),
        (lambda r, t: (r.assign(rank=0), t), "column 'rank' of recommendations"),
        (lambda r, t: (pd.concat([r, r]), t), "more than once"),
        (lambda r, t: (r, t.iloc[:0]), "test is empty"),
        (lambda r, t: (r["item"], t), "must be a pandas DataFrame"),
    ],
)
def test_report_bad_input(report_data, mutate, message):
    recs, test = mutate(*report_data)
    with pytest.raises(ValueError, match=message):
        ranking_report(recs, test, user_col="user", item_col="item", k=2)


def test_report_bad_k(report_data):
    with pytest.raises(ValueError, match="k must be a positive integer"):
        ranking_report(*report_data, user_col="user", item_col="item", k=0)


# --------------------------------------------------------------------------------------------
# beyond accuracy: hit_revenue, intra_list_diversity, novelty
# --------------------------------------------------------------------------------------------
@pytest.fixture
def money_data(report_data):
    recs, _ = report_data
    test = pd.DataFrame(
        {
            "user": [1, 1, 2, 2, 3],
            "item": ["b", "z", "a", "a", "a"],
            "revenue": [10.0, 7.0, 2.0, 3.0, 100.0],
        }
    )
    return recs, test


def test_hit_revenue_hand_computed(money_data):
    recs, test = money_data
    result = hit_revenue(recs, test, user_col="user", item_col="item", value_col="revenue", k=2)
    # top-2: user 1 [a, b] -> hit b (10); user 2 [c, a] -> both "a" rows (2 + 3);
    # user 3 has no list; user 9 is not in test.
    assert result.name == "@2"
    assert result["revenue"] == pytest.approx(15.0)
    assert result["share"] == pytest.approx(15 / 122)
    assert result["per_user"] == pytest.approx(15 / 3)
    assert result["n_users"] == 3
    # k=1 cuts user 1's "b" and user 2's "a"
    assert hit_revenue(recs, test, user_col="user", item_col="item", value_col="revenue",
                       k=1)["revenue"] == 0.0


def test_hit_revenue_perfect_and_empty(money_data):
    _, test = money_data
    perfect = test[["user", "item"]].drop_duplicates().assign(rank=[1, 2, 1, 1])
    result = hit_revenue(perfect, test, user_col="user", item_col="item",
                         value_col="revenue", k=2)
    assert result["share"] == pytest.approx(1.0)
    empty = pd.DataFrame({"user": [], "item": [], "rank": []})
    result = hit_revenue(empty, test, user_col="user", item_col="item", value_col="revenue",
                         k=2)
    assert result["revenue"] == 0.0 and result["share"] == 0.0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r, t: (r, t.drop(columns="revenue")), r"test is missing .*'revenue'"),
        (lambda r, t: (r, t.assign(revenue="x")), "column 'revenue' of test must be numeric"),
        (lambda r, t: (r, t.assign(revenue=np.nan)), "column 'revenue' of test has 5 missing"),
        (lambda r, t: (r.assign(item=range(7)), t), "column 'item' holds number ids"),
        (lambda r, t: (pd.concat([r, r]), t), "more than once"),
    ],
)
def test_hit_revenue_bad_input(money_data, mutate, message):
    recs, test = mutate(*money_data)
    with pytest.raises(ValueError, match=message):
        hit_revenue(recs, test, user_col="user", item_col="item", value_col="revenue", k=2)


@pytest.fixture
def categories():
    return pd.DataFrame({"item": list("abcdz"), "cat": ["x", "x", "y", "z", "z"]})


def test_intra_list_diversity_hand_computed(report_data, categories):
    recs, _ = report_data

    def ild(k):
        return intra_list_diversity(recs, categories, user_col="user", item_col="item",
                                    category_col="cat", k=k)

    # k=3: user 1 [a, b, c] = x, x, y -> 1 - 2/6; user 2 [c, a, d] = y, x, z -> 1;
    # user 9 [a] has one item and is skipped.
    assert ild(3) == pytest.approx((1 - 2 / 6 + 1) / 2)
    # k=2: user 1 [a, b] same category -> 0; user 2 [c, a] -> 1.
    assert ild(2) == pytest.approx(0.5)
    # k=1: no list has two items.
    assert np.isnan(ild(1))


def test_intra_list_diversity_extremes(categories):
    same = pd.DataFrame({"u": [1, 1], "item": ["a", "b"], "rank": [1, 2]})
    apart = pd.DataFrame({"u": [1, 1, 1], "item": ["a", "c", "d"], "rank": [1, 2, 3]})
    kwargs = {"user_col": "u", "item_col": "item", "category_col": "cat", "k": 10}
    assert intra_list_diversity(same, categories, **kwargs) == 0.0
    assert intra_list_diversity(apart, categories, **kwargs) == 1.0
    empty = pd.DataFrame({"u": [], "item": [], "rank": []})
    assert np.isnan(intra_list_diversity(empty, categories, **kwargs))


def test_intra_list_diversity_bad_input(report_data, categories):
    recs, _ = report_data
    kwargs = {"user_col": "user", "item_col": "item", "category_col": "cat", "k": 3}
    with pytest.raises(ValueError, match=r"1 recommended item\(s\) have no 'cat'"):
        intra_list_diversity(recs, categories[categories["item"] != "d"], **kwargs)
    with pytest.raises(ValueError, match=r"items is missing .*'cat'"):
        intra_list_diversity(recs, categories.drop(columns="cat"), **kwargs)
    with pytest.raises(ValueError, match="repeats ids"):
        intra_list_diversity(recs, pd.concat([categories, categories]), **kwargs)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        intra_list_diversity(recs, categories, **{**kwargs, "k": 0})


def test_novelty_hand_computed(report_data):
    recs, _ = report_data
    # 8 users; a bought by 4 (1 bit), b by 2 (2 bits), c by 1 (3 bits), d by nobody (as if 1:
    # 3 bits). User 8 buys "a" twice: it counts once.
    log = pd.DataFrame(
        {"user": [1, 2, 3, 4, 5, 6, 7, 8, 8], "item": list("aaabbcxaa")}
    )
    result = novelty(recs, log, user_col="user", item_col="item", k=2)
    # top-2 slots: user 1 a, b; user 2 c, a; user 9 a -> (1 + 2 + 3 + 1 + 1) / 5
    assert result == pytest.approx(8 / 5)
    result = novelty(recs, log, user_col="user", item_col="item", k=3)
    # adds user 1's c (3 bits) and user 2's d (3 bits)
    assert result == pytest.approx(14 / 7)


def test_novelty_best_seller_is_zero_and_empty_is_nan():
    log = pd.DataFrame({"u": [1, 2], "i": ["a", "a"]})
    recs = pd.DataFrame({"u": [3], "i": ["a"], "rank": [1]})
    assert novelty(recs, log, user_col="u", item_col="i", k=1) == 0.0
    empty = pd.DataFrame({"u": [], "i": [], "rank": []})
    assert np.isnan(novelty(empty, log, user_col="u", item_col="i", k=1))
    with pytest.raises(ValueError, match="column 'i' holds number ids"):
        novelty(recs.assign(i=[7]), log, user_col="u", item_col="i", k=1)
    with pytest.raises(ValueError, match="interactions is empty"):
        novelty(recs, log.iloc[:0], user_col="u", item_col="i", k=1)


# --------------------------------------------------------------------------------------------
# cross-check with scikit-learn's NDCG
# --------------------------------------------------------------------------------------------
def sklearn_inputs(lists: list[list[int]], relevant: list[set[int]], n_items: int):
    """Turn top-k lists into sklearn.metrics.ndcg_score inputs over the whole catalogue.

    ``ndcg_score`` ranks *every* item by a score; a recommendation list ranks only its own
    items. Each listed item gets a score from len(list) down to 1 by rank, every other item 0,
    and ``y_true`` is 1 for relevant items (binary relevance, as ours). The unlisted items tie
    at 0, and sklearn averages the gain over a tie; with lists of at least k items that tie
    starts below rank k and never counts, so both definitions coincide.
    """
    y_true = np.zeros((len(lists), n_items))
    y_score = np.zeros((len(lists), n_items))
    for u, (items, rel) in enumerate(zip(lists, relevant, strict=True)):
        y_true[u, list(rel)] = 1.0
        y_score[u, items] = np.arange(len(items), 0, -1)
    return y_true, y_score


@pytest.mark.parametrize("k", [1, 3, 5, 10])
def test_ndcg_agrees_with_sklearn(k):
    """Ours divides DCG@k by the DCG of min(k, |relevant|) hits on top; sklearn divides by the
    DCG@k of y_true sorted, which is the same truncation at k. Relevant sets here are up to
    15 items, larger than k, so the truncation matters. Both sum at most k discounts of
    1/log2(r + 1) in float64: they agree to 1e-12."""
    ndcg_score = pytest.importorskip("sklearn.metrics").ndcg_score
    rng = np.random.default_rng(k)
    n_items, n_users = 40, 60
    lists = [rng.permutation(n_items)[: k + int(rng.integers(0, 5))].tolist()
             for _ in range(n_users)]
    relevant = [set(rng.choice(n_items, int(rng.integers(1, 16)), replace=False).tolist())
                for _ in range(n_users)]
    y_true, y_score = sklearn_inputs(lists, relevant, n_items)
    theirs = [ndcg_score(y_true[[u]], y_score[[u]], k=k) for u in range(n_users)]
    ours = [ndcg_at_k(items, rel, k) for items, rel in zip(lists, relevant, strict=True)]
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)

    recs = pd.DataFrame([(u, item, rank + 1) for u, items in enumerate(lists)
                         for rank, item in enumerate(items)], columns=["u", "i", "rank"])
    test = pd.DataFrame([(u, item) for u, rel in enumerate(relevant) for item in rel],
                        columns=["u", "i"])
    per_user = ndcg_per_user(recs, test, user_col="u", item_col="i", k=k)
    np.testing.assert_allclose(per_user.to_numpy(), theirs, rtol=1e-12, atol=1e-12)
    report = ranking_report(recs, test, user_col="u", item_col="i", k=k)
    # ranking_report averages over the test users, as ndcg_score averages over samples.
    assert report["ndcg"] == pytest.approx(ndcg_score(y_true, y_score, k=k), rel=1e-12)


def test_sklearn_credits_a_short_lists_empty_slots_where_we_do_not():
    """The one definitional difference: a list shorter than k. Ours counts an empty slot as a
    miss; in sklearn every unlisted item ties at score 0 and the tie's mean gain fills the
    slots, so sklearn scores the same list higher."""
    ndcg_score = pytest.importorskip("sklearn.metrics").ndcg_score
    y_true, y_score = sklearn_inputs([[0]], [{1, 2}], n_items=4)  # one item listed, k = 3
    ours = ndcg_at_k([0], {1, 2}, k=3)
    assert ours == 0.0
    assert ndcg_score(y_true, y_score, k=3) > 0.0


def test_table_metrics_default_to_the_course_columns_and_top_k():
    recs = pd.DataFrame({"customer_id": [1] * 12, "stock_code": [f"S{i}" for i in range(12)],
                         "rank": range(1, 13)})
    test = pd.DataFrame({"customer_id": [1, 1], "stock_code": ["S9", "S10"],
                         "revenue": [5.0, 7.0]})
    report = ranking_report(recs, test)
    assert report.name == "@10" and report["hit_rate"] == 1.0 and report["recall"] == 0.5
    assert hit_revenue(recs, test)["revenue"] == 5.0  # S10 is at rank 11, past TOP_K
    items = pd.DataFrame({"stock_code": [f"S{i}" for i in range(12)], "category": ["a"] * 12})
    assert intra_list_diversity(recs, items) == 0.0
    assert ndcg_per_user(recs, test).index.tolist() == [1]
    assert novelty(recs, test) >= 0.0


def test_ndcg_per_user_averages_to_ranking_report():
    recs = pd.DataFrame({"u": [1, 1, 1, 2, 2, 3], "i": ["a", "b", "c", "a", "c", "b"],
                         "rank": [1, 2, 3, 1, 2, 1]})
    test = pd.DataFrame({"u": [1, 1, 2, 4], "i": ["b", "c", "d", "a"]})
    per_user = ndcg_per_user(recs, test, user_col="u", item_col="i", k=3)
    report = ranking_report(recs, test, user_col="u", item_col="i", k=3)
    assert per_user.index.tolist() == [1, 2, 4]
    assert per_user.loc[2] == 0.0 and per_user.loc[4] == 0.0  # no hit / no list
    assert per_user.mean() == pytest.approx(report["ndcg"])


def test_paired_bootstrap_interval_and_errors():
    rng = np.random.default_rng(0)
    base = pd.Series(rng.uniform(size=500))
    out = paired_bootstrap(base + 0.05 + rng.normal(0, 0.01, 500), base, random_state=1)
    assert out["lower"] < out["difference"] < out["upper"]
    assert out["lower"] > 0.04 and out["upper"] < 0.06
    assert out["n_users"] == 500
    same = paired_bootstrap(base, base, n_resamples=100, random_state=1)
    assert same["lower"] == same["upper"] == 0.0
    with pytest.raises(ValueError, match="same users"):
        paired_bootstrap(base, base.iloc[:10])
    with pytest.raises(ValueError, match="at least two"):
        paired_bootstrap(base.iloc[:1], base.iloc[:1])
    with pytest.raises(ValueError, match="confidence_level must be a number strictly between"):
        paired_bootstrap(base, base, confidence_level=1.5)
    with pytest.raises(ValueError, match="n_resamples must be an integer of at least 100"):
        paired_bootstrap(base, base, n_resamples=50)


def test_paired_bootstrap_is_the_percentile_interval_of_resampled_mean_differences():
    """By hand: resample users with np.random.default_rng(seed), average, take percentiles.

    SciPy draws the same resamples from the same seed; the interval ends may differ only in
    the last bits of the means (summation order), so they agree to 1e-12.
    """
    rng = np.random.default_rng(3)
    a, b = pd.Series(rng.uniform(size=300)), pd.Series(rng.uniform(size=300))
    out = paired_bootstrap(a, b, n_resamples=500, confidence_level=0.9, random_state=11)
    diff = (a - b).to_numpy()
    draws = np.random.default_rng(11).integers(0, len(diff), size=(500, len(diff)))
    means = diff[draws].mean(axis=1)
    assert out["lower"] == pytest.approx(np.quantile(means, 0.05), abs=1e-12)
    assert out["upper"] == pytest.approx(np.quantile(means, 0.95), abs=1e-12)
    # A narrower level gives a narrower interval around the same difference.
    wide = paired_bootstrap(a, b, n_resamples=500, confidence_level=0.99, random_state=11)
    assert wide["lower"] < out["lower"] < out["difference"] < out["upper"] < wide["upper"]


# --------------------------------------------------------------------------------------------
# teaching aids: NDCG by hand, chance hit rate
# --------------------------------------------------------------------------------------------
def test_ndcg_by_hand_shows_each_step_and_matches_ndcg_per_user():
    from helpers.metrics import ndcg_by_hand, ndcg_per_user

    recs = pd.DataFrame({"u": [1, 1, 1, 2, 2, 2, 3, 3, 3], "i": list("abcabcabc"),
                         "rank": [1, 2, 3] * 3})
    test = pd.DataFrame({"u": [1, 2, 2, 2, 3], "i": ["a", "c", "x", "y", "z"]})
    table = ndcg_by_hand(recs, test, [2, 1, 3], user_col="u", item_col="i", k=3)
    assert table.index.tolist() == [2, 1, 3]
    assert table["products bought"].tolist() == [3, 1, 1]
    assert table["hits at ranks"].tolist() == ["3", "1", "none"]
    # user 2: one hit at rank 3 -> 1/log2(4) = 0.5; ideal: 3 hits on top -> 1 + 0.6309 + 0.5
    assert table.loc[2, "DCG"] == pytest.approx(0.5)
    assert table.loc[2, "ideal DCG"] == pytest.approx(1 + 1 / math.log2(3) + 0.5)
    expected = ndcg_per_user(recs, test, user_col="u", item_col="i", k=3)
    assert table["NDCG@3"].tolist() == pytest.approx(expected.loc[[2, 1, 3]].tolist())


def test_ndcg_by_hand_rejects_users_without_test_rows():
    from helpers.metrics import ndcg_by_hand

    recs = pd.DataFrame({"u": [1], "i": ["a"], "rank": [1]})
    test = pd.DataFrame({"u": [1], "i": ["a"]})
    with pytest.raises(ValueError, match="not in test"):
        ndcg_by_hand(recs, test, [9], user_col="u", item_col="i", k=1)


def test_chance_hit_rate_hand_computed_and_limits():
    from helpers.metrics import chance_hit_rate

    # 1 relevant of 4, 2 draws: 1 - C(3,2)/C(4,2) = 1 - 3/6 = 0.5
    assert chance_hit_rate([1], n_items=4, k=2) == pytest.approx(0.5)
    assert chance_hit_rate([0, 4], n_items=4, k=2) == pytest.approx(0.5)  # never / always
    rng = np.random.default_rng(0)
    draws = [len({0, 1} & set(rng.choice(10, 3, replace=False))) > 0 for _ in range(20_000)]
    assert chance_hit_rate([2], n_items=10, k=3) == pytest.approx(np.mean(draws), abs=0.02)
    with pytest.raises(ValueError, match="n_items"):
        chance_hit_rate([1], n_items=2, k=3)
    with pytest.raises(ValueError, match="between 0"):
        chance_hit_rate([5], n_items=4, k=2)


def test_catalogue_coverage_with_many_string_ids_counts_distinct_items():
    from helpers.metrics import catalogue_coverage

    catalogue = pd.Series([f"P{i}" for i in range(100)], dtype="str")
    recommended = pd.Series(["P1", "P2", "P2"] * 1000 + ["unknown"], dtype="str")
    assert catalogue_coverage(recommended, catalogue) == pytest.approx(0.02)
