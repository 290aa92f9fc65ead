"""Charts of notebook 01 (data collection): how much web traffic we can tie to a customer.

Each function draws in the course style and labels everything in a marketer's words.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from ..plotting import PALETTE, new_figure, percent_axis

LOGGED_IN, ANONYMOUS = "logged in", "anonymous"


def plot_logged_in_share(counts: pd.DataFrame, *, period: str = "") -> plt.Figure:
    """One stacked bar per traffic medium: the share of its sessions logged in or anonymous.

    Each bar says its logged-in share inside and its number of sessions at its end, so that a
    share resting on a few sessions is seen as such.

    Parameters
    ----------
    counts : DataFrame
        Sessions per medium (index), columns ``"logged in"`` and ``"anonymous"``; drawn in
        this order from the bottom up.
    period : str
        The period the sessions cover, for the axis label (e.g. ``"2024-2025"``).

    Returns
    -------
    Figure

    Examples
    --------
    >>> counts = pd.DataFrame({"logged in": [3, 80], "anonymous": [1, 20]},
    ...                       index=["email", "organic"])
    >>> fig = plot_logged_in_share(counts)
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['75% logged in', '4 sessions', '80% logged in', '100 sessions']
    >>> plt.close(fig)
    """
    missing = [c for c in (LOGGED_IN, ANONYMOUS) if c not in counts.columns]
    if missing:
        raise ValueError(f"counts: missing column(s) {missing}")
    totals = counts[[LOGGED_IN, ANONYMOUS]].sum(axis=1)
    if (totals <= 0).any():
        raise ValueError("counts: every medium needs at least one session")
    shares = counts[[LOGGED_IN, ANONYMOUS]].div(totals, axis=0)
    fig, ax = new_figure(figsize=(8, 0.45 * len(shares) + 1.8))
    shares.plot.barh(stacked=True, ax=ax, color=[PALETTE[0], "#BBBBBB"], width=0.7)
    for row, (medium, share) in enumerate(shares[LOGGED_IN].items()):
        ax.text(0.02, row, f"{share:.0%} logged in", va="center", color="white", fontsize=9)
        ax.text(1.01, row, f"{totals[medium]:,} sessions", va="center", fontsize=9)
    ax.set_xlim(0, 1)
    percent_axis(ax, axis="x")
    ax.set_xlabel("share of the medium's web sessions" + (f", {period}" if period else ""))
    ax.set_ylabel("traffic medium")
    overall = counts[LOGGED_IN].sum() / totals.sum()
    ax.set_title(f"{overall:.0%} of web sessions can be tied to a CRM customer", loc="left")
    ax.legend(title=None, loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=2)
    return fig
