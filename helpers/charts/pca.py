"""Charts of notebook 05: scree plot, segment maps, the correlation circle, reconstruction.

Segments are drawn in colour with their persona names in the legend; axes say what a
component or a bottleneck unit is measured in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt  # noqa: F401 (the examples close their figures)
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..plotting import GREY, PALETTE, correlation_circle, new_figure, percent_axis

__all__ = ["plot_component_map", "plot_reconstruction", "plot_scree", "plot_true_types",
           "plot_two_summaries", "scatter_groups", "type_colours"]


def plot_scree(explained: pd.DataFrame, *, target: float = 0.8) -> Figure:
    """Scree plot: each component's share of the variance (bars) and the cumulative share.

    Parameters
    ----------
    explained : DataFrame
        Indexed by component (1, 2, ...): ``share of variance`` and ``cumulative share``.
    target : float
        Share of the variance drawn as a dashed line (and named in the title).

    Examples
    --------
    >>> e = pd.DataFrame({"share of variance": [0.6, 0.3, 0.1],
    ...                   "cumulative share": [0.6, 0.9, 1.0]}, index=[1, 2, 3])
    >>> fig = plot_scree(e)
    >>> fig.axes[0].get_title()
    '2 of 3 components keep 80 % of the variance'
    >>> plt.close(fig)
    """
    missing = {"share of variance", "cumulative share"} - set(explained)
    if missing:
        raise ValueError(f"explained has no column '{sorted(missing)[0]}'")
    needed = int(np.argmax(explained["cumulative share"].to_numpy() >= target - 1e-12) + 1)
    fig, ax = new_figure(figsize=(8, 4))
    ax.bar(explained.index, explained["share of variance"], color=PALETTE[0],
           label="share of each component")
    ax.plot(explained.index, explained["cumulative share"], marker="o", color=PALETTE[1],
            label="cumulative share")
    ax.axhline(target, color=GREY, linestyle="--", label=f"{target:.0%} of the variance")
    ax.set_xticks(list(explained.index))
    ax.set_xlabel("principal component")
    ax.set_ylabel("variance explained")
    percent_axis(ax)
    ax.set_title(f"{needed} of {len(explained)} components keep {target:.0%} of the variance"
                 .replace("%", " %"))
    ax.legend(loc="center right")
    return fig


def scatter_groups(ax: Axes, x: np.ndarray, y: np.ndarray, groups: np.ndarray,
                   names: Mapping[object, str], *, legend_title: str = "segment",
                   colours: Mapping[object, str] | None = None) -> Axes:
    """Scatter customers coloured by group, the legend naming each group.

    Groups take the course palette in the order of ``names`` unless ``colours`` (group ->
    colour) says otherwise.

    Examples
    --------
    >>> fig, ax = new_figure()
    >>> ax = scatter_groups(ax, np.array([0.0, 1.0]), np.array([1.0, 0.0]), np.array([1, 2]),
    ...                     {1: "Tech fans", 2: "Regulars"})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['Tech fans', 'Regulars']
    >>> plt.close(fig)
    """
    x, y, groups = np.asarray(x, dtype=float), np.asarray(y, dtype=float), np.asarray(groups)
    if not x.shape == y.shape == groups.shape:
        raise ValueError(f"x, y and groups must have one value per customer, got shapes "
                         f"{x.shape}, {y.shape}, {groups.shape}")
    for i, (g, name) in enumerate(names.items()):
        mask = groups == g
        colour = PALETTE[i % len(PALETTE)] if colours is None else colours[g]
        ax.scatter(x[mask], y[mask], s=4, alpha=0.4, color=colour, label=name)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.legend(markerscale=4, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              title=legend_title)
    return ax


def plot_component_map(scores: pd.DataFrame, correlations: pd.DataFrame, segment: np.ndarray,
                       names: Mapping[object, str], *, shares: pd.Series) -> Figure:
    """The first two components: correlation circle (left), customers by segment (right).

    Parameters
    ----------
    scores : DataFrame
        Customers' scores, columns ``PC1`` and ``PC2``.
    correlations : DataFrame
        One row per feature (plain names), its correlations with ``PC1`` and ``PC2``.
    segment : ndarray
        Segment of each customer (keys of ``names``).
    names : mapping
        Segment -> persona name.
    shares : Series
        Share of variance of each component, indexed 1, 2, ... (named on the axes).

    Examples
    --------
    >>> sc = pd.DataFrame({"PC1": [1.0, -1.0], "PC2": [0.5, -0.5]})
    >>> corr = pd.DataFrame({"PC1": [0.9, -0.2], "PC2": [0.1, 0.8]}, index=["Orders", "Spend"])
    >>> fig = plot_component_map(sc, corr, np.array([1, 2]), {1: "A", 2: "B"},
    ...                          shares=pd.Series([0.5, 0.3], index=[1, 2]))
    >>> fig.axes[0].get_xlabel(), fig.axes[1].get_xlabel()
    ('correlation with PC1', 'PC1 score (50 % of variance, standard units)')
    >>> plt.close(fig)
    """
    fig, (ax_circle, ax_customers) = new_figure(1, 2, figsize=(15, 6))
    scatter_groups(ax_customers, scores["PC1"], scores["PC2"], segment, names)
    ax_customers.set_xlabel(f"PC1 score ({shares[1]:.0%} of variance, standard units)"
                            .replace("%", " %"))
    ax_customers.set_ylabel(f"PC2 score ({shares[2]:.0%} of variance, standard units)"
                            .replace("%", " %"))
    ax_customers.set_title("Customers, coloured by K-Means segment")
    ax_circle.set_xlabel("correlation with PC1")
    ax_circle.set_ylabel("correlation with PC2")
    ax_circle.set_title("Features: correlation circle")
    pc1, pc2 = correlations["PC1"], correlations["PC2"]
    fig.suptitle(f"PC1 runs from {pc1.idxmin()} to {pc1.idxmax()}; PC2 from {pc2.idxmin()} "
                 f"to {pc2.idxmax()}: the segments lie in different parts of the map")
    correlation_circle(ax_circle, correlations[["PC1", "PC2"]])
    _labels_at_tips(ax_circle, correlations[["PC1", "PC2"]].to_numpy(dtype=float))
    return fig


def _labels_at_tips(ax: Axes, tips: np.ndarray, offset: float = 0.05) -> None:
    """Move each arrow's label just beyond its tip, on the side away from its nearest arrow.

    A label sits outward along its arrow; for a near-vertical arrow it hangs on the side
    away from the arrow closest in angle (near-horizontal: above or below), so that labels
    of neighbouring arrows do not stack.
    """
    angles = np.arctan2(tips[:, 1], tips[:, 0])
    for i, text in enumerate(ax.texts[-len(tips):]):
        x, y = tips[i]
        length = max(np.hypot(x, y), 1e-9)
        cos, sin = x / length, y / length
        gaps = np.abs(np.angle(np.exp(1j * (angles - angles[i]))))
        gaps[i] = np.inf
        near = tips[int(np.argmin(gaps))] if len(tips) > 1 else tips[i]
        ha = "left" if cos > 0.35 else "right" if cos < -0.35 else (
            "right" if near[0] > x else "left")
        va = "bottom" if sin > 0.35 else "top" if sin < -0.35 else (
            "top" if near[1] > y else "bottom")
        text.set_position((x + offset * cos, y + offset * sin))
        text.set_horizontalalignment(ha)
        text.set_verticalalignment(va)


def type_colours(types: Sequence[str], names: Mapping[object, str],
                 written_for: Mapping[str, str]) -> dict[str, str]:
    """Colour of each true type: that of the segment whose persona was written for it.

    A segment takes the palette colour of its position in ``names`` (as in
    :func:`scatter_groups`); a type whose persona names no segment is drawn in grey.

    Examples
    --------
    >>> type_colours(["Gifts", "Tech"], {1: "Tech fans"}, {"Tech fans": "Tech"})
    {'Gifts': '#7F7F7F', 'Tech': '#0072B2'}
    """
    position = {name: i for i, name in enumerate(names.values())}
    colour_of_persona = {p: PALETTE[position[p] % len(PALETTE)] for p in position}
    persona_of_type = {t: p for p, t in written_for.items() if p in colour_of_persona}
    return {t: colour_of_persona[persona_of_type[t]] if t in persona_of_type else GREY
            for t in types}


def plot_true_types(scores: pd.DataFrame, true_type: np.ndarray, names: Mapping[object, str],
                    *, written_for: Mapping[str, str], like: Axes | None = None) -> Figure:
    """Customers on PC1 and PC2 coloured by true type, in their segment's colour.

    Each true type takes the colour of the segment whose persona was written for it, so the
    map reads next to the map by segment; the title names the most spread-out type.

    Parameters
    ----------
    scores : DataFrame
        Columns ``PC1`` and ``PC2``.
    true_type : ndarray
        Each customer's true type (answer key).
    names : mapping
        Segment -> persona name, in the order the segment map used.
    written_for : mapping
        Persona -> the true type it was written for (``personas.PERSONA_TYPES``).
    like : Axes, optional
        Axes whose limits to copy (the map by segment).

    Examples
    --------
    >>> sc = pd.DataFrame({"PC1": [0.0, 0.1, 3.0, -3.0], "PC2": [0.0, 0.1, 2.0, -2.0]})
    >>> fig = plot_true_types(sc, np.array(["Tech", "Tech", "Gifts", "Gifts"]),
    ...                       {1: "Tech fans"}, written_for={"Tech fans": "Tech"})
    >>> fig.axes[0].get_title()
    'True types sit where their segments do; Gifts are spread out the most'
    >>> plt.close(fig)
    """
    true_type = np.asarray(true_type)
    types = sorted(set(true_type))
    fig, ax = new_figure(figsize=(9, 5.5))
    scatter_groups(ax, scores["PC1"], scores["PC2"], true_type, {t: t for t in types},
                   legend_title="true type", colours=type_colours(types, names, written_for))
    spread = scores[["PC1", "PC2"]].groupby(true_type).var().sum(axis=1)
    ax.set(xlabel="PC1 score (standard units)", ylabel="PC2 score (standard units)",
           title=f"True types sit where their segments do; {spread.idxmax()} are spread out "
                 "the most")
    if like is not None:
        ax.set(xlim=like.get_xlim(), ylim=like.get_ylim())
    return fig


def plot_two_summaries(pca_xy: np.ndarray, codes: np.ndarray, segment: np.ndarray,
                       names: Mapping[object, str], *, test_mse: Sequence[float],
                       silhouette: Sequence[float]) -> Figure:
    """The same customers on PCA's two components (left) and two bottleneck units (right).

    ``test_mse`` and ``silhouette`` hold (PCA, autoencoder): the error on new customers and
    the segments' silhouette on each map; the title says which map does better.

    Examples
    --------
    >>> xy = np.array([[0.0, 0.0], [1.0, 1.0]])
    >>> fig = plot_two_summaries(xy, xy / 2, np.array([1, 2]), {1: "A", 2: "B"},
    ...                          test_mse=(0.5, 0.3), silhouette=(0.27, 0.36))
    >>> fig.texts[0].get_text().split(" and ")[0]
    'The autoencoder loses less (test MSE 0.30 vs 0.50)'
    >>> plt.close(fig)
    """
    pca_xy, codes = np.asarray(pca_xy, dtype=float), np.asarray(codes, dtype=float)
    test_mse = [float(v) for v in np.asarray(test_mse, dtype=float)]  # (PCA, autoencoder)
    silhouette = [float(v) for v in np.asarray(silhouette, dtype=float)]
    fig, (ax_pca, ax_ae) = new_figure(1, 2, figsize=(13, 5.2))
    scatter_groups(ax_pca, pca_xy[:, 0], pca_xy[:, 1], segment, names)
    scatter_groups(ax_ae, codes[:, 0], codes[:, 1], segment, names)
    ax_pca.get_legend().remove()
    ax_pca.set(title=f"PCA, 2 components (test MSE {test_mse[0]:.2f})",
               xlabel="PC1 score (standard units)", ylabel="PC2 score (standard units)")
    ax_ae.set(title=f"Autoencoder, 2 bottleneck units (test MSE {test_mse[1]:.2f})",
              xlabel="bottleneck unit 1 (tanh output, -1 to 1)",
              ylabel="bottleneck unit 2 (tanh output, -1 to 1)", xticks=[-1, -0.5, 0, 0.5, 1])
    loses = "less" if test_mse[1] < test_mse[0] else "more"
    separates = "more" if silhouette[1] > silhouette[0] else "less"
    fig.suptitle(f"The autoencoder loses {loses} (test MSE {test_mse[1]:.2f} vs "
                 f"{test_mse[0]:.2f}) and separates the segments {separates} (silhouette "
                 f"{silhouette[1]:.2f} vs {silhouette[0]:.2f})")
    return fig


def plot_reconstruction(errors: pd.DataFrame) -> Figure:
    """Reconstruction error by number of components, on fitted and on new customers.

    Examples
    --------
    >>> e = pd.DataFrame({"mse": [0.5, 0.0], "test_mse": [0.55, 0.0]}, index=[1, 2])
    >>> fig = plot_reconstruction(e)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['customers PCA was fitted on', 'new customers (test set)']
    >>> plt.close(fig)
    """
    missing = {"mse", "test_mse"} - set(errors)
    if missing:
        raise ValueError(f"errors has no column '{sorted(missing)[0]}'")
    fig, ax = new_figure(figsize=(8, 4))
    ax.plot(errors.index, errors["mse"], marker="o", label="customers PCA was fitted on")
    ax.plot(errors.index, errors["test_mse"], marker="s", linestyle="--",
            label="new customers (test set)")
    ax.set_xticks(list(errors.index))
    ax.set_xlabel("number of components kept")
    ax.set_ylabel("reconstruction error\n(MSE, squared std. units)")
    ax.set_title("New customers lose about as much as the fitted ones: PCA hardly overfits")
    ax.legend()
    return fig
