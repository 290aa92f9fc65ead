"""Tests for helpers.charts.recommend: what each chart draws, its labels and its titles."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import scipy.sparse as sp  # noqa: E402

from helpers.charts.recommend import (  # noqa: E402
    plot_matrix_sparsity,
    plot_model_comparison,
    plot_neighbourhood_scan,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def small_matrix() -> sp.csr_matrix:
    # 4 customers x 3 products: product 0 bought by 4, product 2 by 2, product 1 by 1
    return sp.csr_matrix(np.array([[1, 0, 1], [2, 0, 0], [1, 1, 1], [1, 0, 0]]))


def test_matrix_sparsity_draws_customers_per_product_in_rank_order():
    fig = plot_matrix_sparsity(small_matrix(), k=1)
    ax_u, ax_i = fig.axes
    heights = [p.get_height() for p in ax_i.patches]
    assert heights[:3] == [4, 2, 1]  # all products, most bought first
    assert heights[3:] == [4]  # the one best-seller highlighted
    assert ax_i.texts[0].get_text() == "the 1 best-sellers: each bought by\n100% of the customers"
    assert ax_i.get_legend() is None  # an arrow names them, not a legend
    # products per customer: 2, 1, 3, 1 -> median 1.5, shown rounded
    assert ax_u.get_title() == "Half the customers bought 2 products or fewer"
    assert fig._suptitle.get_text() == "The customer x product matrix is 42% empty"


def test_matrix_sparsity_names_the_reach_of_the_best_sellers_and_marks_a_large_catalogue():
    # 10 customers x 1,200 products; product j is bought by customers 0 .. (j % 10)
    dense = (np.arange(10)[:, None] <= (np.arange(1200) % 10)[None, :]).astype(float)
    fig = plot_matrix_sparsity(sp.csr_matrix(dense), k=2)
    ax_i = fig.axes[1]
    assert ax_i.texts[0].get_text() == "the 2 best-sellers: each bought by\n100% of the customers"
    assert [p.get_width() for p in ax_i.patches] == [3.0, 3.0]  # wide enough to see
    fig = plot_matrix_sparsity(small_matrix(), k=2)  # products bought by 4 and 2 of 4
    assert fig.axes[1].texts[0].get_text() == ("the 2 best-sellers: each bought by\n50% to 100% "
                                               "of the customers")


def test_matrix_sparsity_rejects_dense_or_empty_input():
    with pytest.raises(ValueError, match="sparse"):
        plot_matrix_sparsity(np.ones((2, 2)))
    with pytest.raises(ValueError, match="non-empty"):
        plot_matrix_sparsity(sp.csr_matrix((0, 3)))


def scan() -> pd.DataFrame:
    return pd.DataFrame({"item-kNN": [0.10, 0.19, 0.20], "user-kNN": [0.08, 0.15, 0.20]},
                        index=pd.Index([5, 50, 500], name="neighbours"))


def test_neighbourhood_scan_plots_values_names_and_finding():
    fig = plot_neighbourhood_scan(scan(), baseline=0.05, chosen=50, period="Jul-Sep")
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["item-kNN: products bought together"].get_ydata()) == [0.10, 0.19, 0.20]
    assert list(lines["user-kNN: customers like you"].get_ydata()) == [0.08, 0.15, 0.20]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["5", "50", "500"]
    assert "Jul-Sep" in ax.get_ylabel()
    # user-kNN reaches 0.15 / 0.20 = 75% of its best at n = 50; it is still rising at 500
    assert ax.get_title() == ("n = 50 reaches 75% of the best score; item-kNN and user-kNN "
                              "still rising at n = 500")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-1] == "best-sellers for everyone"
    label = ax.texts[0]  # below the best-seller line, not on it
    assert label.get_text().strip() == "we use n = 50"
    assert label.get_position() == (50, 0.025)


def test_neighbourhood_scan_tolerance_decides_what_still_rises():
    fig = plot_neighbourhood_scan(scan(), baseline=0.05, chosen=50, tolerance=0.02)
    assert fig.axes[0].get_title() == ("n = 50 reaches 75% of the best score; user-kNN still "
                                       "rising at n = 500")


def test_neighbourhood_scan_bad_input():
    with pytest.raises(ValueError, match="chosen size 7"):
        plot_neighbourhood_scan(scan(), baseline=0.05, chosen=7)
    with pytest.raises(ValueError, match="increasing"):
        plot_neighbourhood_scan(scan().iloc[::-1], baseline=0.05, chosen=50)


def test_model_comparison_sorts_by_ndcg_greys_the_baseline_and_labels_money():
    ndcg = pd.Series({"popularity": 0.10, "item-kNN": 0.24, "ALS": 0.27, "content": 0.08})
    money = pd.Series({"popularity": 40_000.0, "item-kNN": 100_000.0, "ALS": 110_000.0,
                       "content": 30_000.0})
    fig = plot_model_comparison(ndcg, money, note="Test Oct-Dec 2025")
    ax_n, ax_m = fig.axes
    names = [t.get_text() for t in ax_n.get_yticklabels()]
    assert names == ["content", "popularity", "item-kNN", "ALS"]  # best at the top
    assert [p.get_width() for p in ax_m.patches] == [money[n] for n in names]
    grey = [name for name, patch in zip(names, ax_n.patches, strict=True)
            if matplotlib.colors.to_hex(patch.get_facecolor()) == "#7f7f7f"]
    assert grey == ["popularity"]
    assert "£110,000" in [t.get_text() for t in ax_m.texts]
    assert ax_m.xaxis.get_major_formatter()(20_000, 0) == "£20k"
    assert "thousand" not in ax_m.get_xlabel()  # the ticks say £20k already
    assert fig._suptitle.get_text() == ("ALS lists point at 2.8 times the revenue of "
                                        "best-sellers for everyone\nTest Oct-Dec 2025")


def test_model_comparison_needs_the_same_models_and_the_baseline():
    ndcg = pd.Series({"popularity": 0.1, "ALS": 0.2})
    with pytest.raises(ValueError, match="same models"):
        plot_model_comparison(ndcg, pd.Series({"popularity": 1.0}))
    with pytest.raises(ValueError, match="'random'"):
        plot_model_comparison(ndcg, ndcg * 10, baseline="random")
