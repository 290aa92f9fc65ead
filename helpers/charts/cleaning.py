"""Charts of notebook 02: where the raw revenue went, what age cleaning did, the profile.

Each function draws in the course style and labels everything in a marketer's words.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from ..cleaning import REASON_LABELS, REASONS
from ..plotting import GREY, PALETTE, money, new_figure

#: The reasons a cancellation touches: shown as one step, returns net of the cancellations.
RETURN_REASONS: tuple[str, ...] = ("cancellation", "returned", "partly_returned")
RETURNS_LABEL = "Returns, net of cancellations"


def _short_money(value: float, symbol: str = "£") -> str:
    """``£6.0m``, ``£48k`` or ``£924``: an amount short enough for a title."""
    size = abs(value)
    sign = "-" if value < 0 else ""
    if size >= 1e6:
        return f"{sign}{symbol}{size / 1e6:,.1f}m"
    if size == 0:
        return f"{symbol}0"
    if size >= 1e4:
        return f"{sign}{symbol}{size / 1e3:,.0f}k"
    return money(value, symbol)


def waterfall_steps(summary: pd.DataFrame) -> pd.DataFrame:
    """The steps from raw to clean revenue, one per cleaning reason that touched a line.

    Parameters
    ----------
    summary : DataFrame
        ``CleaningResult.summary()``: one row per reason plus ``total``, with the columns
        ``lines`` and ``removed_revenue``.

    Returns
    -------
    DataFrame
        Index: plain-English step names, in the audit's order (the three return reasons
        combined into one step); columns ``lines`` and ``change`` (revenue added to the
        running total: negative where a step removes revenue).

    Examples
    --------
    >>> summary = pd.DataFrame({"lines": [2, 1, 1, 5], "removed_revenue": [30.0, -5.0, 5.0, 0.0]},
    ...                        index=["duplicate", "cancellation", "returned", "kept"])
    >>> waterfall_steps(summary)
                                   lines  change
    Duplicate lines                    2   -30.0
    Returns, net of cancellations      2     0.0
    """
    missing = {"lines", "removed_revenue"} - set(summary.columns)
    if missing:
        raise ValueError(f"summary: missing column(s) {sorted(missing)}")
    rows = summary[["lines", "removed_revenue"]].reindex([r for r in REASONS if r != "kept"])
    rows = rows.fillna(0)
    rows = rows[rows["lines"] > 0]
    steps: dict[str, tuple[int, float]] = {}
    for reason, row in rows.iterrows():
        label = RETURNS_LABEL if reason in RETURN_REASONS else REASON_LABELS[reason]
        lines, change = steps.get(label, (0, 0.0))
        steps[label] = (lines + int(row["lines"]), change - float(row["removed_revenue"]))
    return pd.DataFrame(list(steps.values()), index=list(steps), columns=["lines", "change"])


def plot_revenue_waterfall(summary: pd.DataFrame, *, currency: str = "£",
                           ax: plt.Axes | None = None) -> plt.Figure:
    """A horizontal waterfall from raw to clean revenue, one bar per cleaning reason.

    The first bar is the raw revenue at face value, the last the clean revenue; each bar
    between starts where the previous one ended and is labelled with its change and its lines.
    Red bars remove revenue, green ones add it back (e.g. cancellations without a purchase).

    Parameters
    ----------
    summary : DataFrame
        ``CleaningResult.summary()`` (rows per reason and ``total``; columns ``lines``,
        ``raw_revenue``, ``clean_revenue``, ``removed_revenue``).
    currency : str
        Symbol in the labels.
    ax : Axes, optional
        Where to draw; a new figure if omitted.

    Returns
    -------
    Figure

    Examples
    --------
    >>> summary = pd.DataFrame(
    ...     {"lines": [2, 1, 5, 8], "raw_revenue": [30.0, 200.0, 100.0, 330.0],
    ...      "clean_revenue": [0.0, 2.0, 100.0, 102.0], "removed_revenue": [30.0, 198.0, 0, 228]},
    ...     index=["duplicate", "price_corrected", "kept", "total"])
    >>> fig = plot_revenue_waterfall(summary)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['Raw revenue', 'Duplicate lines', 'Price typos corrected (÷100)', 'Clean revenue']
    >>> plt.close(fig)
    """
    if "total" not in summary.index:
        raise ValueError("summary: no 'total' row (pass CleaningResult.summary())")
    steps = waterfall_steps(summary)
    raw = float(summary.loc["total", "raw_revenue"])
    clean = float(summary.loc["total", "clean_revenue"])
    if ax is None:
        fig, ax = new_figure(figsize=(9, 0.55 * len(steps) + 2.2))
    else:
        fig = ax.figure
    names = ["Raw revenue", *steps.index, "Clean revenue"]
    y = np.arange(len(names))
    change = steps["change"].to_numpy()
    running = raw + np.r_[0.0, change.cumsum()[:-1]] if len(change) else np.array([])
    starts = np.r_[0.0, running, 0.0]
    widths = np.r_[raw, steps["change"].to_numpy(), clean]
    colours = ([PALETTE[0]] + [PALETTE[5] if c < 0 else PALETTE[2] for c in steps["change"]]
               + [PALETTE[0]])
    ax.barh(y, widths, left=starts, color=colours, height=0.6)
    labels = ([money(raw, currency)]
              + [f"{'+' if c > 0 else '−' if c < 0 else ''}{money(abs(c), currency)}"
                 f"  ({n:,} lines)" for n, c in zip(steps["lines"], steps["change"], strict=True)]
              + [money(clean, currency)])
    for yi, left, width, text in zip(y, starts, widths, labels, strict=True):
        ax.text(max(left, left + width) + 0.01 * raw, yi, text, va="center", fontsize=9)
    ends = np.r_[raw, running + change, clean]
    for yi in y[:-1]:  # thin connectors show where the next bar starts
        ax.plot([ends[yi]] * 2, [yi + 0.3, yi + 0.7], color=GREY, linewidth=0.8)
    ax.set_yticks(y, names)
    ax.invert_yaxis()
    ax.set_xlim(0, max(raw, clean, *(starts + np.maximum(widths, 0))) * 1.3)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: _short_money(v, currency)))
    ax.xaxis.set_major_locator(plt.MaxNLocator(4))
    ax.set_xlabel(f"revenue ({currency}), running total after each cleaning step")
    ax.grid(axis="y", visible=False)
    if len(steps):
        largest = steps["change"].abs().idxmax()
        ax.set_title(f"From {_short_money(raw, currency)} raw to {_short_money(clean, currency)} "
                     f"clean revenue\nlargest step: {largest.lower()}", loc="left")
    return fig


def plot_age_cleaning(recorded_age: pd.Series, *, min_age: int, max_age: int,
                      as_of_text: str = "the analysis date", ax: plt.Axes | None = None
                      ) -> plt.Figure:
    """Ages as recorded, stacked by what cleaning did: kept, or impossible and set to missing.

    Parameters
    ----------
    recorded_age : Series
        Age on the as-of day computed from the recorded birth dates (missing where none).
    min_age, max_age : int
        The plausible range; ages outside it are set to missing by the cleaning.
    as_of_text : str
        The day the ages are measured on, for the axis label.
    ax : Axes, optional
        Where to draw; a new figure if omitted.

    Returns
    -------
    Figure

    Examples
    --------
    >>> fig = plot_age_cleaning(pd.Series([30, 40, 41, 120, -3, None]), min_age=16, max_age=100)
    >>> fig.axes[0].get_legend_handles_labels()[1]
    ['kept (3 ages from 16 to 100)', 'set to missing (2 impossible ages)']
    >>> plt.close(fig)
    """
    if ax is None:
        fig, ax = new_figure(figsize=(8, 3.8))
    else:
        fig = ax.figure
    ages = pd.to_numeric(recorded_age, errors="coerce").dropna()
    ok = ages.between(min_age, max_age)
    bins = np.arange(-10, 131, 5)
    kept_label = f"kept ({ok.sum():,} ages from {min_age} to {max_age})"
    ax.hist([ages[ok], ages[~ok].clip(-10, 130)], bins=bins, stacked=True,
            color=[PALETTE[0], PALETTE[5]],
            label=[kept_label, f"set to missing ({(~ok).sum():,} impossible ages)"])
    ax.axvspan(-10, min_age, color=GREY, alpha=0.12, linewidth=0)
    ax.axvspan(max_age, 130, color=GREY, alpha=0.12, linewidth=0)
    ax.set_xlabel(f"age on {as_of_text} (years), from the recorded birth date")
    ax.set_ylabel("customers")
    ax.set_title(f"{(~ok).sum():,} impossible ages (under {min_age} or over {max_age}) "
                 "set to missing; the customers are kept", loc="left")
    ax.legend(loc="upper right")
    return fig
