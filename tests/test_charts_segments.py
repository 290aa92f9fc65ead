"""Charts of notebook 04: persona names on every axis and legend, values drawn as given."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.charts import segments as charts  # noqa: E402
from helpers.segmentation import elbow_bend, merge_gaps, silhouette_by_segment  # noqa: E402

NAMES = {1: "Premium tech loyalists", 2: "Small-basket occasionals"}


def test_silhouette_plot_names_segments_by_persona_in_order():
    s_i = np.array([0.5, 0.4, 0.1, -0.1, -0.2])
    fig = charts.plot_silhouette(s_i, np.array([1, 1, 2, 2, 2]), NAMES)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == list(NAMES.values())
    assert ax.get_legend().get_texts()[0].get_text() == f"mean {s_i.mean():.2f}"
    plt.close(fig)


def test_silhouette_plot_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="labels"):
        charts.plot_silhouette(np.array([0.1, 0.2]), np.array([1]), NAMES)


def test_silhouette_scan_states_the_gap_and_starts_at_zero():
    sil = pd.Series([0.20, 0.246, 0.237], index=[3, 5, 4])
    fig = charts.plot_silhouette_scan(sil)
    ax = fig.axes[0]
    assert ax.get_title() == "Silhouette peaks at k = 5, 0.009 above k = 4"
    assert ax.get_ylim()[0] == 0
    plt.close(fig)


def test_snake_plot_draws_the_values_with_persona_legend():
    snake = pd.DataFrame({"cluster": [1, 1, 2, 2], "feature": ["f", "g", "f", "g"],
                          "value": [1.5, -0.5, -1.0, 0.25]})
    fig = charts.plot_snake(snake, NAMES, labels={"f": "Orders", "g": "Order value"})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(NAMES.values())
    assert ax.lines[0].get_ydata().tolist() == [1.5, -0.5]
    assert ax.lines[1].get_ydata().tolist() == [-1.0, 0.25]
    plt.close(fig)


def test_type_heatmap_shows_row_shares_as_percent():
    table = pd.DataFrame([[9, 1], [2, 8]], index=["Bargain regulars", "Gift buyers"],
                         columns=[1, 2])
    fig = charts.plot_type_heatmap(table, NAMES, ari=0.5)
    ax = fig.axes[0]
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["10%", "20%", "80%", "90%"]
    assert ax.get_title().startswith("2 of 2 true types")
    plt.close(fig)


def test_distance_weights_bars_equal_the_shares():
    raw = pd.Series({"a": 0.9, "b": 0.1})
    fig = charts.plot_distance_weights(raw, pd.Series({"a": 0.5, "b": 0.5}),
                                       labels={"a": "Spend", "b": "Orders"})
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert widths == pytest.approx([0.9, 0.1])
    assert "Spend holds 90%" in fig.texts[0].get_text()
    plt.close(fig)


def test_elbow_bend_hand_computed():
    elbow, steps = elbow_bend(pd.Series([100.0, 60.0, 30.0, 25.0], index=[2, 3, 4, 5]))
    assert elbow == 4  # saves 30, next saves 5: six times less
    assert steps.loc[4, "times the next"] == pytest.approx(6.0)
    with pytest.raises(ValueError):
        elbow_bend(pd.Series([1.0, 0.5]))


def test_silhouette_by_segment_uses_persona_names():
    table = silhouette_by_segment(np.array([0.5, 0.3, -0.2, 0.1]), np.array([1, 1, 2, 2]),
                                  NAMES)
    assert table.index.tolist() == list(NAMES.values())
    assert table["mean silhouette"].tolist() == pytest.approx([0.4, -0.05])


def test_merge_gaps_and_dendrogram_cut():
    from scipy.cluster.hierarchy import linkage

    tree = linkage(np.array([[0.0], [0.1], [5.0], [5.2], [9.0]]), method="ward")
    gaps = merge_gaps(tree, 3)
    assert gaps["below"] < gaps["cut"] < gaps["above"]
    fig = charts.plot_dendrogram(tree, 3, n_customers=5)
    ax = fig.axes[0]
    assert ax.get_legend().get_texts()[0].get_text() == "cut into 3 groups (one colour each)"
    assert ax.get_ylabel() == "cost of the merge (Ward height)"
    assert ax.get_title().startswith(f"The tree's widest gap argues for {gaps['widest']} groups")
    # below the cut each group has its own colour
    colours = {tuple(c) for coll in ax.collections for c in np.atleast_2d(coll.get_color())}
    assert len(colours) >= 3
    plt.close(fig)


def test_criteria_suptitle_groups_the_picks_and_silhouette_axis_starts_at_zero():
    scores = pd.DataFrame({"silhouette": [0.20, 0.24, 0.23],
                           "calinski_harabasz": [9.0, 8.0, 7.0],
                           "davies_bouldin": [1.5, 1.2, 1.3]}, index=[2, 3, 4])
    fig = charts.plot_criteria(scores)
    assert fig.texts[0].get_text() == ("Silhouette and Davies-Bouldin pick 3; "
                                       "Calinski-Harabasz picks 2")
    assert fig.axes[0].get_ylim()[0] == 0
    plt.close(fig)
    same = scores.assign(calinski_harabasz=[7.0, 9.0, 8.0])
    fig = charts.plot_criteria(same)
    assert fig.texts[0].get_text() == "All three criteria pick k = 3"
    plt.close(fig)


def test_seed_silhouettes_title_says_which_k_moves_with_the_seed():
    runs = pd.DataFrame({4: [0.237, 0.2375, 0.238], 5: [0.22, 0.246, 0.245]})
    fig = charts.plot_seed_silhouettes(runs, runs.max(), seed=42)
    assert fig.axes[0].get_title() == ("4 segments: same silhouette from every seed\n"
                                       "5: 0.220 to 0.246 depending on the seed")
    plt.close(fig)


def test_compare_groupings_names_columns_by_majority_and_orders_diagonally():
    from helpers.segmentation import compare_groupings

    named = ["Tech", "Tech", "Home", "Home", "Home", "Gifts"]
    table = compare_groupings(named, [5, 5, 1, 1, 1, 1], order=["Tech", "Home", "Gifts"])
    assert table.columns.tolist() == ["mostly Tech", "mostly Home"]
    two = compare_groupings(["Tech"] * 5 + ["Home"], [1, 2, 2, 2, 1, 3])
    assert two.columns.tolist() == ["mostly Home", "mostly Tech (larger)", "mostly Tech (smaller)"]
    assert two.sum().tolist() == [1, 3, 2]
    assert table.loc["Gifts"].tolist() == [0, 1]
    with pytest.raises(ValueError, match="Gifts"):
        compare_groupings(named, [1] * 6, order=["Tech", "Home"])
