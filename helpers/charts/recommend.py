"""Charts of notebook 08 (recommenders): how empty the matrix is, how many neighbours, who wins.

Each function draws one figure in the course style and returns it; the notebook adds
``plt.show()``. Labels are in a marketer's words, titles state the finding.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from matplotlib.figure import Figure

from ..constants import TOP_K
from ..plotting import GREY, PALETTE, currency_axis, label_bars, new_figure

__all__ = ["plot_matrix_sparsity", "plot_model_comparison", "plot_neighbourhood_scan"]

#: Plain-English names of the two neighbourhood models, for legends.
KNN_LABELS = {"item-kNN": "item-kNN: products bought together",
              "user-kNN": "user-kNN: customers like you"}


def plot_matrix_sparsity(user_item: sp.spmatrix, *, k: int = TOP_K) -> Figure:
    """Two histograms: products per customer, and customers per product (best-sellers marked).

    An arrow points at the ``k`` best-sellers and says which share of the customers bought
    each of them (a legend would point at a hairline in a catalogue of thousands).

    Parameters
    ----------
    user_item : scipy.sparse matrix
        Customers x products, non-zero where the customer bought the product (e.g. a
        recommender's ``user_item_matrix_``).
    k : int, default ``constants.TOP_K`` (10)
        Number of best-sellers to highlight.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> matrix = sp.csr_matrix(np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1]]))
    >>> fig = plot_matrix_sparsity(matrix, k=1)
    >>> [round(p.get_height()) for p in fig.axes[1].patches[3:]]  # the best-seller: 3 buyers
    [3]
    >>> fig.axes[1].texts[0].get_text()  # an arrow names the best-sellers and their reach
    'the 1 best-sellers: each bought by\\n100% of the customers'
    >>> plt.close(fig)
    """
    if not sp.issparse(user_item) or user_item.shape[0] == 0 or user_item.shape[1] == 0:
        raise ValueError("user_item must be a non-empty scipy sparse matrix")
    matrix = sp.csr_matrix(user_item)
    matrix.eliminate_zeros()
    n_items = matrix.shape[1]
    per_customer = np.diff(matrix.indptr)
    per_item = np.sort(np.bincount(matrix.indices, minlength=n_items))[::-1]
    fig, (ax_u, ax_i) = new_figure(1, 2, figsize=(11, 4))
    cap, width = (60, 1) if n_items <= 1000 else (300, 5)  # a large catalogue: longer lists
    ax_u.hist(np.minimum(per_customer, cap), bins=np.arange(0.5, cap + 1.5, width),
              color=PALETTE[0])
    ax_u.set_xlabel(f"different products bought ({cap} = {cap} or more)")
    ax_u.set_ylabel("customers")
    ax_u.set_title(f"Half the customers bought {np.median(per_customer):.0f} products or fewer")
    ranks = np.arange(1, n_items + 1)
    if n_items > 1000:  # thousands of bars draw slowly: fill the area under the same profile
        ax_i.fill_between(ranks, per_item, step="mid", color=PALETTE[4])
    else:
        ax_i.bar(ranks, per_item, width=1.0, color=PALETTE[4], linewidth=0)
    top = min(k, n_items)
    ax_i.bar(ranks[:top], per_item[:top], width=max(1.0, n_items / 400), color=PALETTE[5],
             linewidth=0)
    shares = per_item[:top] / matrix.shape[0]
    # an arrow and words rather than a legend: in a large catalogue the top ranks are a hairline
    span = (f"{shares.max():.0%}" if f"{shares.min():.0%}" == f"{shares.max():.0%}"
            else f"{shares.min():.0%} to {shares.max():.0%}")
    ax_i.annotate(f"the {top} best-sellers: each bought by\n{span} of the customers",
                  xy=(ranks[top - 1], per_item[top - 1]),
                  xytext=(0.3, 0.8), textcoords="axes fraction", va="center",
                  color=PALETTE[5], arrowprops={"arrowstyle": "->", "color": PALETTE[5]})
    ax_i.set_xlabel("products, from most to least bought (rank)")
    ax_i.set_ylabel("customers who bought it")
    ax_i.set_title("A few products are bought by many")
    density = matrix.nnz / (matrix.shape[0] * n_items)
    fig.suptitle(f"The customer x product matrix is {1 - density:.0%} empty")
    return fig


def plot_neighbourhood_scan(
    scores: pd.DataFrame,
    *,
    baseline: float,
    chosen: int,
    period: str = "validation period",
    k: int = TOP_K,
    tolerance: float = 0.0,
) -> Figure:
    """Validation NDCG against neighbourhood size, one line per model, the chosen size marked.

    The title states the finding: the share of each model's best score that the chosen size
    reaches, and whether the best lies at the largest size tried (then the scan should go on).

    Parameters
    ----------
    scores : pandas.DataFrame
        Index: neighbourhood sizes (increasing, positive); one column of NDCG@k per model
        (``"item-kNN"``, ``"user-kNN"`` get plain-English legend names).
    baseline : float
        NDCG@k of the best-seller list on the same period, drawn as a dashed line.
    chosen : int
        The size kept; must be in the index.
    period : str, default "validation period"
        Says on the y axis which period was scored, e.g. ``"Jul-Sep 2025"``.
    k : int, default ``constants.TOP_K`` (10)
        The cut-off of NDCG, for the label.
    tolerance : float, default 0.0
        A model counts as still rising when its score at the largest size beats the one
        before by more than this.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> scan = pd.DataFrame({"item-kNN": [0.1, 0.2, 0.2]}, index=[5, 50, 500])
    >>> fig = plot_neighbourhood_scan(scan, baseline=0.05, chosen=50)
    >>> fig.axes[0].get_title()
    'n = 50 reaches 100% of the best score'
    >>> plt.close(fig)
    """
    if scores.empty or chosen not in scores.index:
        raise ValueError(f"scores must be non-empty and have the chosen size {chosen} in its "
                         "index")
    sizes = scores.index.to_numpy()
    if (sizes <= 0).any() or not scores.index.is_monotonic_increasing:
        raise ValueError("the index of scores must hold increasing positive sizes")
    share = scores.loc[chosen] / scores.max()
    at_edge = [name for name, col in scores.items()
               if len(col) > 1 and col.iloc[-1] > col.iloc[-2] + tolerance]
    fig, ax = new_figure(figsize=(8, 4.8))
    for (name, col), colour, marker in zip(scores.items(), PALETTE, "osD^v", strict=False):
        ax.plot(sizes, col, marker=marker, color=colour, label=KNN_LABELS.get(name, name))
        ax.plot([chosen], [col[chosen]], marker="o", markersize=14, markerfacecolor="none",
                markeredgecolor="black", linestyle="none")
    ax.axhline(baseline, color=GREY, linestyle="--", label="best-sellers for everyone")
    # below the best-seller line, left of the legend, with an arrow up to the lower circle
    ax.annotate(f"we use n = {chosen} ", (chosen, scores.loc[chosen].min()),
                xytext=(chosen, baseline / 2), ha="right", va="center",
                arrowprops={"arrowstyle": "->", "color": "black", "shrinkB": 8,
                            "relpos": (1.0, 0.5)})
    ax.set_xscale("log")
    ax.set_xticks(sizes, labels=[str(n) for n in sizes])
    ax.minorticks_off()
    ax.set_ylim(0, scores.max().max() * 1.15)
    ax.set_xlabel("neighbours kept per product or customer (n, log scale)")
    ax.set_ylabel(f"ranking quality, NDCG@{k}\n({period})")
    title = f"n = {chosen} reaches {share.min():.0%} of the best score"
    if at_edge:
        title += f"; {' and '.join(at_edge)} still rising at n = {sizes[-1]}"
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2)  # clear of the lines
    return fig


def plot_model_comparison(
    ndcg: pd.Series,
    revenue: pd.Series,
    *,
    baseline: str = "popularity",
    k: int = TOP_K,
    note: str | None = None,
) -> Figure:
    """Two bar charts side by side: NDCG@k and the revenue each model's lists pointed at.

    Models are sorted by NDCG (best on top); the baseline is grey. The title states how much
    more revenue the best model's lists pointed at than the baseline's.

    Parameters
    ----------
    ndcg, revenue : pandas.Series
        One value per model (same index): NDCG@k and money in pounds.
    baseline : str, default "popularity"
        The model drawn in grey and compared against in the title.
    k : int, default ``constants.TOP_K`` (10)
        The cut-off, for the label.
    note : str, optional
        A second title line, e.g. the test period and the number of customers.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig = plot_model_comparison(pd.Series({"popularity": 0.1, "ALS": 0.3}),
    ...                             pd.Series({"popularity": 1000.0, "ALS": 2500.0}))
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['popularity', 'ALS']
    >>> fig.texts[0].get_text()
    'ALS lists point at 2.5 times the revenue of best-sellers for everyone'
    >>> plt.close(fig)
    """
    if baseline not in ndcg.index or not ndcg.index.sort_values().equals(
            revenue.index.sort_values()):
        raise ValueError(f"ndcg and revenue must hold the same models, including '{baseline}'")
    order = ndcg.sort_values(kind="stable").index
    colours = [GREY if name == baseline else PALETTE[0] for name in order]
    fig, (ax_n, ax_m) = new_figure(1, 2, figsize=(11, 4.2), sharey=True)
    ax_n.barh(order, ndcg[order], color=colours)
    ax_n.set_xlabel(f"NDCG@{k} (0 = no hit, 1 = perfect list)")
    ax_n.set_title("Ranking quality")
    label_bars(ax_n, fmt="{:.3f}")
    ax_m.barh(order, revenue[order], color=colours)
    ax_m.set_xlabel("test-period spend on listed products")
    ax_m.set_title("Revenue the lists pointed at")
    currency_axis(ax_m, axis="x", thousands=True)
    label_bars(ax_m, fmt="£{:,.0f}")
    ax_n.set_xlim(0, ndcg.max() * 1.25)
    ax_m.set_xlim(0, revenue.max() * 1.3)
    best = ndcg.idxmax()
    ratio = revenue[best] / revenue[baseline] if revenue[baseline] else float("inf")
    fig.suptitle(f"{best} lists point at {ratio:.1f} times the revenue of best-sellers for "
                 "everyone" + (f"\n{note}" if note else ""))
    return fig
