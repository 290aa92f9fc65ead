"""Charts of notebook 05: named legends, values drawn as given, titles from the numbers."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.charts import pca as charts  # noqa: E402
from helpers.plotting import new_figure  # noqa: E402


def test_scree_title_counts_components_for_the_target():
    e = pd.DataFrame({"share of variance": [0.5, 0.2, 0.2, 0.1],
                      "cumulative share": [0.5, 0.7, 0.9, 1.0]}, index=[1, 2, 3, 4])
    fig = charts.plot_scree(e)
    ax = fig.axes[0]
    assert ax.get_title() == "3 of 4 components keep 80 % of the variance"
    assert [p.get_height() for p in ax.patches] == pytest.approx([0.5, 0.2, 0.2, 0.1])
    plt.close(fig)


def test_scree_rejects_missing_column():
    with pytest.raises(ValueError, match="cumulative share"):
        charts.plot_scree(pd.DataFrame({"share of variance": [1.0]}))


def test_scatter_groups_one_series_per_group_with_names():
    fig, ax = new_figure()
    groups = np.array([2, 1, 2])
    charts.scatter_groups(ax, np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0]), groups,
                          {1: "Tech fans", 2: "Regulars"})
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Tech fans", "Regulars"]
    assert [len(c.get_offsets()) for c in ax.collections] == [1, 2]
    plt.close(fig)


def test_component_map_labels_every_feature_and_segment():
    scores = pd.DataFrame({"PC1": [1.0, -1.0, 0.5], "PC2": [0.5, -0.5, 0.0]})
    corr = pd.DataFrame({"PC1": [0.9, -0.2], "PC2": [0.1, 0.8]}, index=["Orders", "Spend"])
    fig = charts.plot_component_map(scores, corr, np.array([1, 2, 1]), {1: "A", 2: "B"},
                                    shares=pd.Series([0.5, 0.3], index=[1, 2]))
    circle, customers = fig.axes[:2]
    assert sorted(t.get_text() for t in circle.texts) == ["Orders", "Spend"]
    assert [t.get_text() for t in customers.get_legend().get_texts()] == ["A", "B"]
    plt.close(fig)


def test_reconstruction_draws_both_curves():
    e = pd.DataFrame({"mse": [0.5, 0.2, 0.0], "test_mse": [0.55, 0.22, 0.0]}, index=[1, 2, 3])
    fig = charts.plot_reconstruction(e)
    lines = fig.axes[0].get_lines()
    assert lines[0].get_ydata().tolist() == [0.5, 0.2, 0.0]
    assert lines[1].get_ydata().tolist() == [0.55, 0.22, 0.0]
    plt.close(fig)


def test_component_map_puts_each_label_beyond_its_arrow_tip():
    scores = pd.DataFrame({"PC1": [1.0, -1.0, 0.5], "PC2": [0.5, -0.5, 0.0]})
    corr = pd.DataFrame({"PC1": [0.9, 0.2, 0.05], "PC2": [0.1, 0.8, 0.7]},
                        index=["Orders", "Spend", "Tech"])
    fig = charts.plot_component_map(scores, corr, np.array([1, 2, 1]), {1: "A", 2: "B"},
                                    shares=pd.Series([0.5, 0.3], index=[1, 2]))
    circle = fig.axes[0]
    for text in circle.texts:
        x, y = text.get_position()
        tip = corr.loc[text.get_text()].to_numpy()
        assert np.hypot(x, y) > np.hypot(*tip)  # outward
        assert np.dot([x, y], tip) > 0  # same direction
    # near-vertical neighbours hang on opposite sides
    ha = {t.get_text(): t.get_horizontalalignment() for t in circle.texts}
    assert ha["Tech"] == "right" and ha["Spend"] == "left" and ha["Orders"] == "left"
    assert fig.texts[0].get_text().startswith("PC1 runs from Tech to Orders; PC2 from Orders "
                                              "to Spend")
    plt.close(fig)


def test_true_types_take_the_colour_of_their_segment():
    from matplotlib.colors import to_hex

    scores = pd.DataFrame({"PC1": [0.0, 1.0, 2.0], "PC2": [0.0, 1.0, 2.0]})
    names = {1: "Tech fans", 2: "Gift fans"}
    fig = charts.plot_true_types(scores, np.array(["Gifts", "Tech", "Other"]), names,
                                 written_for={"Tech fans": "Tech", "Gift fans": "Gifts"})
    ax = fig.axes[0]
    colour = {t.get_text(): to_hex(h.get_facecolor()[0]) for t, h in
              zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)}
    assert colour["Tech"] == to_hex(charts.PALETTE[0])
    assert colour["Gifts"] == to_hex(charts.PALETTE[1])
    assert colour["Other"] == to_hex(charts.GREY)
    plt.close(fig)


def test_two_summaries_title_says_which_map_does_better():
    xy = np.array([[0.0, 0.0], [1.0, 1.0]])
    fig = charts.plot_two_summaries(xy, xy / 2, np.array([1, 2]), {1: "A", 2: "B"},
                                    test_mse=(0.2, 0.3), silhouette=(0.4, 0.3))
    assert fig.texts[0].get_text() == ("The autoencoder loses more (test MSE 0.30 vs 0.20) and "
                                       "separates the segments less (silhouette 0.30 vs 0.40)")
    plt.close(fig)
