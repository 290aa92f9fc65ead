"""Charts of notebook 04: transforms, choosing k, silhouettes, profiles and the answer key.

Every chart names segments by their persona (a mapping ``segment -> name``), never by the
arbitrary number K-Means gave them, and labels axes in plain words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..plotting import GREY, PALETTE, label_bars, new_figure, percent_axis

__all__ = [
    "plot_criteria",
    "plot_dendrogram",
    "plot_distance_weights",
    "plot_elbow",
    "plot_seed_silhouettes",
    "plot_silhouette",
    "plot_silhouette_scan",
    "plot_snake",
    "plot_transforms",
    "plot_type_heatmap",
    "segment_colours",
]

_HOW = {"log": "log(1 + x)", "sqrt": "square root", "none": "unchanged"}


def segment_colours(names: Mapping[object, str]) -> dict[object, str]:
    """One course colour per segment, in the order of ``names``.

    Examples
    --------
    >>> segment_colours({1: "Tech fans", 2: "Regulars"}) == {1: PALETTE[0], 2: PALETTE[1]}
    True
    """
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(names)}


def _check_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ValueError(f"{name} has no column '{missing[0]}'")


def plot_transforms(before: pd.DataFrame, after: pd.DataFrame, transforms: Mapping[str, str],
                    *, labels: Mapping[str, str], units: Mapping[str, str]) -> Figure:
    """Histograms of features as recorded (top, grey) and after their transform (bottom).

    Parameters
    ----------
    before, after : DataFrame
        The features as recorded and transformed (not standardised); one column per key of
        ``transforms``.
    transforms : mapping of str to str
        Feature -> ``"log"``, ``"sqrt"`` or ``"none"`` (named under the bottom row).
    labels, units : mapping of str to str
        Plain name of each feature (panel title) and its unit as recorded.

    Examples
    --------
    >>> df = pd.DataFrame({"orders": [1.0, 2.0, 9.0]})
    >>> fig = plot_transforms(df, np.log1p(df), {"orders": "log"}, labels={"orders": "Orders"},
    ...                       units={"orders": "orders"})
    >>> fig.axes[1].get_xlabel()
    'after log(1 + x) (transformed units)'
    >>> plt.close(fig)
    """
    shown = list(transforms)
    _check_columns(before, shown, "before")
    _check_columns(after, shown, "after")
    fig, axes = new_figure(2, len(shown), figsize=(4 * len(shown), 6), squeeze=False)
    for col, feature in enumerate(shown):
        axes[0, col].hist(before[feature], bins=40, color=GREY)
        axes[0, col].set_title(labels[feature])
        axes[0, col].set_xlabel(f"as recorded ({units[feature]})")
        axes[1, col].hist(after[feature], bins=40, color=PALETTE[0])
        axes[1, col].set_xlabel(f"after {_HOW[transforms[feature]]} (transformed units)")
    for row in (0, 1):
        axes[row, 0].set_ylabel("customers")
    zeros = int(max((before[f] == 0).sum() for f in shown))
    fig.suptitle("Skewed values as recorded (top) spread out after the transform (bottom)"
                 + (f"; zeros stay at zero (up to {zeros:,} customers)" if zeros else ""))
    return fig


def plot_distance_weights(raw_share: pd.Series, scaled_share: pd.Series, *,
                          labels: Mapping[str, str]) -> Figure:
    """Each feature's share of the distance between customers, before and after scaling.

    Examples
    --------
    >>> raw = pd.Series({"a": 0.9, "b": 0.1}); scaled = pd.Series({"a": 0.5, "b": 0.5})
    >>> fig = plot_distance_weights(raw, scaled, labels={"a": "Spend", "b": "Orders"})
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Spend', 'Orders']
    >>> plt.close(fig)
    """
    names = [labels[f] for f in raw_share.index]
    fig, (ax_raw, ax_scaled) = new_figure(1, 2, figsize=(11, 0.4 * len(names) + 1.5),
                                          sharey=True, sharex=True)
    ax_raw.barh(names, raw_share.to_numpy(), color=GREY)
    ax_raw.set_title("Features as recorded")
    ax_scaled.barh(names, scaled_share.reindex(raw_share.index).to_numpy(), color=PALETTE[0])
    ax_scaled.set_title("Transformed and standardised")
    for ax in (ax_raw, ax_scaled):
        ax.set_xlabel("share of the distance between customers")
        percent_axis(ax, axis="x")
        label_bars(ax, fmt="{:.1%}")
    ax_raw.set_xlim(0, 1.15)
    ax_raw.invert_yaxis()
    top = raw_share.idxmax()
    fig.suptitle(f"As recorded, {labels[top]} holds {raw_share.max():.0%} of the distance; "
                 "scaled, every feature counts the same")
    return fig


def _k_axis(ax: Axes, ks: Sequence[int]) -> None:
    ax.set_xticks(list(ks))
    ax.set_xlabel("number of segments k")


def plot_elbow(inertia: pd.Series, *, elbow: int | None = None) -> Figure:
    """The elbow plot: within-segment spread (inertia) by number of segments.

    Parameters
    ----------
    inertia : Series
        Indexed by k.
    elbow : int, optional
        The k after which the curve bends most, marked and named in the title.

    Examples
    --------
    >>> fig = plot_elbow(pd.Series([10.0, 4.0, 3.5], index=[2, 3, 4]), elbow=3)
    >>> [int(t) for t in fig.axes[0].get_xticks()]
    [2, 3, 4]
    >>> plt.close(fig)
    """
    fig, ax = new_figure(figsize=(7, 3.8))
    ax.plot(inertia.index, inertia.to_numpy(), marker="o")
    if elbow is not None:
        ax.plot(elbow, inertia[elbow], marker="o", markersize=14, fillstyle="none",
                color=PALETTE[5], label=f"bend at k = {elbow}")
        ax.legend(loc="upper right")
    _k_axis(ax, inertia.index)
    ax.set_ylabel("within-segment spread\n(inertia, squared std. units)")
    ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    ax.set_title("More segments always help; the gain shrinks after the bend"
                 if elbow is not None else "Within-segment spread by number of segments")
    return fig


def plot_silhouette_scan(silhouette: pd.Series) -> Figure:
    """Mean silhouette by k, on an axis from 0, with Kaufman and Rousseeuw's lowest band.

    The highest k is circled and the runner-up boxed; the title states the gap.

    Examples
    --------
    >>> fig = plot_silhouette_scan(pd.Series([0.20, 0.24, 0.23], index=[2, 3, 4]))
    >>> fig.axes[0].get_title()
    'Silhouette peaks at k = 3, 0.010 above k = 4'
    >>> plt.close(fig)
    """
    ranked = silhouette.sort_values(ascending=False, kind="stable")
    best, runner_up = ranked.index[0], ranked.index[1]
    gap = ranked.iloc[0] - ranked.iloc[1]
    fig, ax = new_figure(figsize=(7, 3.8))
    ax.axhspan(0, 0.25, color=GREY, alpha=0.15, label="0.25 or less: no substantial structure")
    ax.plot(silhouette.index, silhouette.to_numpy(), marker="o", label="mean silhouette")
    ax.plot(best, ranked.iloc[0], marker="o", markersize=14, fillstyle="none",
            color=PALETTE[5], label=f"highest: k = {best}")
    ax.plot(runner_up, ranked.iloc[1], marker="s", markersize=12, fillstyle="none",
            color=PALETTE[5], label=f"next: k = {runner_up}")
    ax.set_ylim(0, max(0.5, 1.2 * ranked.iloc[0]))
    _k_axis(ax, silhouette.index)
    ax.set_ylabel("mean silhouette (-1 to 1)")
    ax.set_title(f"Silhouette peaks at k = {best}, {gap:.3f} above k = {runner_up}")
    ax.legend(loc="upper right", fontsize=9)
    return fig


def _seed_finding(by_seed: pd.DataFrame, tolerance: float = 0.002) -> str:
    """One sentence per k: the same silhouette from every seed, or its range."""
    parts = []
    for i, k in enumerate(by_seed.columns):
        low, high = by_seed[k].min(), by_seed[k].max()
        what = f"{k} segments" if i == 0 else str(k)
        parts.append(f"{what}: same silhouette from every seed" if high - low <= tolerance
                     else f"{what}: {low:.3f} to {high:.3f} depending on the seed")
    return "\n".join(parts)


def plot_seed_silhouettes(by_seed: pd.DataFrame, this_run: pd.Series, *, seed: int) -> Figure:
    """Silhouette of each seed's fit for several k (one row of dots per k).

    Parameters
    ----------
    by_seed : DataFrame
        One column per k, one row per seed: the mean silhouette of that fit.
    this_run : Series
        The scan's silhouette for each k (marked with a cross).
    seed : int
        The notebook's seed, named in the legend.

    Examples
    --------
    >>> runs = pd.DataFrame({4: [0.23, 0.23], 5: [0.22, 0.25]})
    >>> fig = plot_seed_silhouettes(runs, pd.Series({4: 0.23, 5: 0.25}), seed=42)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['4 segments', '5 segments']
    >>> fig.axes[0].get_title().splitlines()
    ['4 segments: same silhouette from every seed', '5: 0.220 to 0.250 depending on the seed']
    >>> plt.close(fig)
    """
    ks = sorted(by_seed.columns)
    fig, ax = new_figure(figsize=(8.5, 0.7 * len(ks) + 1.6))
    for i, k in enumerate(ks):
        ax.scatter(by_seed[k], np.full(len(by_seed), i), s=60, alpha=0.5, color=PALETTE[0],
                   label=f"seeds {min(by_seed.index)} to {max(by_seed.index)}" if i == 0 else None)
        ax.scatter(this_run[k], i, marker="x", s=90, color="black",
                   label=f"the scan (SEED = {seed})" if i == 0 else None)
    ax.set_yticks(range(len(ks)), [f"{k} segments" for k in ks])
    ax.set_ylim(-0.6, len(ks) - 0.4)
    ax.set_xlabel("mean silhouette of each seed's 10-start fit (axis zoomed)")
    ax.set_title(_seed_finding(by_seed[ks]), fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)
    return fig


def plot_silhouette(s_i: np.ndarray, labels: np.ndarray, names: Mapping[object, str]
                    ) -> Figure:
    """Silhouette plot: every customer's s(i), sorted within its segment, one colour each.

    Parameters
    ----------
    s_i : ndarray
        Silhouette of each customer.
    labels : ndarray
        Segment of each customer (keys of ``names``).
    names : mapping
        Segment -> persona name, in the order the segments are drawn (top to bottom).

    Examples
    --------
    >>> fig = plot_silhouette(np.array([0.5, 0.4, 0.1, -0.1]), np.array([1, 1, 2, 2]),
    ...                       {1: "Regulars", 2: "Occasionals"})
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Regulars', 'Occasionals']
    >>> plt.close(fig)
    """
    s_i, labels = np.asarray(s_i, dtype=float), np.asarray(labels)
    if s_i.shape != labels.shape:
        raise ValueError(f"s_i has shape {s_i.shape} but labels has shape {labels.shape}")
    colour = segment_colours(names)
    fig, ax = new_figure(figsize=(8, 5))
    y0, middles = 0, []
    gap = max(1, len(s_i) // 100)
    for s in names:
        values = np.sort(s_i[labels == s])
        ax.fill_betweenx(np.arange(y0, y0 + len(values)), 0, values, color=colour[s])
        middles.append(y0 + len(values) / 2)
        y0 += len(values) + gap
    ax.axvline(s_i.mean(), color="black", linestyle="--", label=f"mean {s_i.mean():.2f}")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(middles, list(names.values()))
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("silhouette s(i) of each customer (below 0: closer to another segment)")
    ax.set_ylabel("customers, sorted within segment")
    ax.set_title("Wide shapes are firm segments; thin ones reaching below 0 are weak")
    ax.legend(loc="lower right")
    return fig


def plot_criteria(scores: pd.DataFrame) -> Figure:
    """Silhouette, Calinski-Harabasz and Davies-Bouldin by k, the best of each circled.

    Examples
    --------
    >>> s = pd.DataFrame({"silhouette": [0.2, 0.3], "calinski_harabasz": [9.0, 7.0],
    ...                   "davies_bouldin": [1.5, 1.2]}, index=[2, 3])
    >>> fig = plot_criteria(s)
    >>> [ax.get_title() for ax in fig.axes]
    ['best k = 3', 'best k = 2', 'best k = 3']
    >>> fig.texts[0].get_text(), float(fig.axes[0].get_ylim()[0])
    ('Silhouette and Davies-Bouldin pick 3; Calinski-Harabasz picks 2', 0.0)
    >>> plt.close(fig)
    """
    panels = [("silhouette", "mean silhouette (higher is better)", True),
              ("calinski_harabasz", "Calinski-Harabasz (higher is better)", True),
              ("davies_bouldin", "Davies-Bouldin (lower is better)", False)]
    _check_columns(scores, [p[0] for p in panels], "scores")
    fig, axes = new_figure(1, 3, figsize=(13, 3.8))
    picks: dict[str, int] = {}
    for ax, (column, ylabel, higher) in zip(axes, panels, strict=True):
        values = scores[column]
        best = values.idxmax() if higher else values.idxmin()
        ax.plot(scores.index, values.to_numpy(), marker="o")
        ax.plot(best, values[best], marker="o", markersize=14, fillstyle="none",
                color=PALETTE[5])
        ax.set_title(f"best k = {best}")
        _k_axis(ax, scores.index)
        ax.set_ylabel(ylabel)
        picks[column] = best
    axes[0].set_ylim(0, max(0.5, 1.2 * scores["silhouette"].max()))  # from 0, as in the scan
    fig.suptitle(_criteria_finding(picks))
    return fig


def _criteria_finding(picks: Mapping[str, int]) -> str:
    """'Silhouette picks 5; Calinski-Harabasz and Davies-Bouldin pick 4' (grouped by k)."""
    names = {"silhouette": "Silhouette", "calinski_harabasz": "Calinski-Harabasz",
             "davies_bouldin": "Davies-Bouldin"}
    by_k: dict[int, list[str]] = {}
    for column, k in picks.items():
        by_k.setdefault(k, []).append(names[column])
    if len(by_k) == 1:
        return f"All three criteria pick k = {next(iter(by_k))}"
    return "; ".join(" and ".join(who) + (" picks " if len(who) == 1 else " pick ") + str(k)
                     for k, who in by_k.items())


def plot_snake(snake: pd.DataFrame, names: Mapping[object, str], *,
               labels: Mapping[str, str]) -> Figure:
    """Snake plot: each segment's standardised feature means, one line per persona.

    Parameters
    ----------
    snake : DataFrame
        ``cluster``, ``feature``, ``value`` (as :func:`helpers.segmentation.snake_plot_data`).
    names : mapping
        Segment -> persona name (legend entries).
    labels : mapping of str to str
        Feature -> plain name (tick labels).

    Examples
    --------
    >>> snake = pd.DataFrame({"cluster": [1, 1, 2, 2], "feature": ["f", "g", "f", "g"],
    ...                       "value": [1.0, -1.0, -1.0, 1.0]})
    >>> fig = plot_snake(snake, {1: "Tech fans", 2: "Regulars"}, labels={"f": "F", "g": "G"})
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['Tech fans', 'Regulars']
    >>> plt.close(fig)
    """
    _check_columns(snake, ["cluster", "feature", "value"], "snake")
    colour = segment_colours(names)
    fig, ax = new_figure(figsize=(11, 4.8))
    for s, name in names.items():
        part = snake[snake["cluster"] == s]
        ax.plot([labels[f] for f in part["feature"]], part["value"].to_numpy(), marker="o",
                color=colour[s], label=name)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("segment mean\n(standard deviations from average)")
    ax.set_xlabel("feature (transformed as for K-Means)")
    spread = snake.groupby("feature")["value"].agg(lambda v: v.max() - v.min())
    widest = spread.idxmax()
    top = snake[snake["feature"] == widest].set_index("cluster")["value"]
    ax.set_title(f"The segments differ most in {labels[widest].lower()}: highest for "
                 f"{names[top.idxmax()]}, lowest for {names[top.idxmin()]}", fontsize=11)
    ax.tick_params(axis="x", rotation=30)
    plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), title="segment")
    return fig


def plot_type_heatmap(table: pd.DataFrame, names: Mapping[object, str], *, ari: float
                      ) -> Figure:
    """Where each true type ended up: row shares of a type x segment count table.

    Examples
    --------
    >>> t = pd.DataFrame([[9, 1], [2, 8]], index=["A", "B"], columns=[1, 2])
    >>> fig = plot_type_heatmap(t, {1: "Tech fans", 2: "Regulars"}, ari=0.4)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['Tech fans', 'Regulars']
    >>> plt.close(fig)
    """
    share = table.div(table.sum(axis=1), axis=0).rename(columns=dict(names))
    fig, ax = new_figure(figsize=(9, 4))
    sns.heatmap(share, ax=ax, cmap="Blues", vmin=0, vmax=1, annot=True, fmt=".0%",
                cbar_kws={"label": "share of the true type", "format": "{x:.0%}"})
    ax.set_xlabel("segment found by K-Means")
    ax.set_ylabel("true type (answer key)")
    ax.tick_params(axis="x", rotation=20)
    plt.setp(ax.get_xticklabels(), ha="right", rotation_mode="anchor")
    ax.tick_params(axis="y", rotation=0)
    mostly = int((share.max(axis=1) > 0.6).sum())
    ax.set_title(f"{mostly} of {len(share)} true types land mostly (over 60 %) in one segment "
                 f"(ARI = {ari:.2f})")
    return fig


def plot_dendrogram(tree: np.ndarray, k: int, *, n_customers: int) -> Figure:
    """Ward dendrogram (last 30 merges), the cut into ``k`` groups and the widest gap.

    Parameters
    ----------
    tree : ndarray
        A linkage matrix (``scipy.cluster.hierarchy.linkage``).
    k : int
        Number of groups the dashed line cuts the tree into.
    n_customers : int
        Customers in the tree (named on the x axis).

    Examples
    --------
    >>> from scipy.cluster.hierarchy import linkage
    >>> tree = linkage(np.array([[0.0], [0.1], [5.0], [5.2], [9.0]]), method="ward")
    >>> fig = plot_dendrogram(tree, 2, n_customers=5)
    >>> fig.axes[0].get_legend().get_texts()[0].get_text()
    'cut into 2 groups (one colour each)'
    >>> fig.axes[0].get_ylabel()
    'cost of the merge (Ward height)'
    >>> plt.close(fig)
    """
    from scipy.cluster.hierarchy import dendrogram, set_link_color_palette

    from ..segmentation import merge_gaps

    gaps = merge_gaps(tree, k)
    fig, ax = new_figure(figsize=(10, 4.5))
    set_link_color_palette([c for c in PALETTE if c != PALETTE[1]])
    try:  # below the cut each of the k groups has its own colour; merges above it are grey
        dendrogram(tree, truncate_mode="lastp", p=30, color_threshold=gaps["cut"],
                   above_threshold_color=GREY, no_labels=True, ax=ax)
    finally:
        set_link_color_palette(None)
    ax.axhline(gaps["cut"], color="black", linestyle=":", linewidth=1, zorder=0,
               label=f"cut into {k} groups (one colour each)")
    ax.axhspan(gaps["gap_low"], gaps["gap_high"], color=PALETTE[1], alpha=0.2, zorder=0,
               label=f"widest gap between merges: {gaps['widest']} groups")
    ax.set_xlabel(f"{n_customers:,} sampled customers, in 30 groups (merges below not drawn)")
    ax.set_ylabel("cost of the merge (Ward height)")
    ax.set_title(f"The tree's widest gap argues for {gaps['widest']} groups"
                 + ("" if gaps["widest"] == k else f"; the cut into {k} falls between two "
                    f"close merges ({gaps['below']:.1f} and {gaps['above']:.1f})"),
                 fontsize=11)
    ax.legend(loc="upper right")
    return fig
