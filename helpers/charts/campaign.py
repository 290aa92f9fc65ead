"""Charts of notebook 09 (the campaign plan): Qini curves, strategies' profit, the plan.

Every function draws in the course style (:mod:`helpers.plotting`), labels axes in a
marketer's words, formats money as £ and shares as %, and returns what it drew on (an
``Axes``, or the ``Figure`` of a multi-panel chart) so that a test or a notebook can read it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..plotting import GREY, PALETTE, interval_barh, label_bars, money, new_figure
from ..uplift import qini_at_shares
from ..validation import require_columns, require_frame

#: Columns a strategies table needs (:func:`helpers.targeting.compare_strategies`).
PROFIT_COLUMNS: tuple[str, ...] = ("expected_profit", "expected_low", "expected_high")


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = new_figure(figsize=figsize)
    return ax


def plot_qini(
    curves: Mapping[str, pd.DataFrame],
    *,
    qini: pd.Series | None = None,
    highlight: str | None = None,
    shares: int = 10,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Qini curves read at every tenth of the customers, against random targeting.

    Each ranking's :func:`helpers.uplift.qini_curve` is read at ``shares`` + 1 depths
    (:func:`helpers.uplift.qini_at_shares`; deciles by default), so the line shows the
    ranking's shape without the jitter of single orders. The ``highlight`` ranking (default:
    the first) is drawn bold with the area between it and the random line shaded: that area
    is what its Qini coefficient measures. Other rankings are thin lines.

    Parameters
    ----------
    curves : mapping
        Ranking name -> :func:`helpers.uplift.qini_curve` (all on the same customers).
    qini : Series, optional
        Qini coefficient per ranking, added to the legend (``q = 0.024``).
    highlight : str, optional
        The ranking to draw bold and shade (default: the first of ``curves``).
    shares : int, default 10
        Number of equal steps of the share targeted (10: deciles).
    title : str, optional
        The finding, in words (default: a neutral title).
    ax : Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from helpers.uplift import qini_curve
    >>> curve = qini_curve([1, 0, 0, 1], [1, 1, 0, 0], [0.9, 0.1, 0.8, 0.2])
    >>> ax = plot_qini({"model": curve}, shares=2)
    >>> ax.lines[0].get_ydata().tolist(), ax.get_legend().get_texts()[0].get_text()
    ([0.0, 0.5, 0.0], 'model')
    >>> plt.close(ax.figure)
    """
    if not curves:
        raise ValueError("curves is empty: pass at least one Qini curve")
    highlight = next(iter(curves)) if highlight is None else highlight
    if highlight not in curves:
        raise ValueError(f"highlight {highlight!r} is not one of the curves {list(curves)}")
    ax = _axes(ax, (9, 4.5))
    colours = dict(zip(curves, PALETTE, strict=False))
    order = [highlight] + [name for name in curves if name != highlight]
    for name in order:
        points = qini_at_shares(curves[name], shares)
        label = name if qini is None else f"{name} (q = {qini[name]:.3f})"
        bold = name == highlight
        ax.plot(points.index, points["incremental"], color=colours[name], marker="o",
                linewidth=2.5 if bold else 1.2, markersize=6 if bold else 3,
                alpha=1 if bold else 0.8, label=label, zorder=3 if bold else 2)
        if bold:
            best = points
    ax.plot(best.index, best["random"], color=GREY, linestyle="--", label="random targeting")
    ax.fill_between(best.index, best["random"], best["incremental"], color=colours[highlight],
                    alpha=0.15, label="gain over random targeting")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
    ax.set_xlabel("customers targeted (highest predicted uplift first)")
    ax.set_ylabel("extra orders per e-mailed customer")
    ax.set_title(title or "Qini curve: ranked against random targeting")
    ax.legend(loc="lower right")
    return ax


def plot_strategy_profit(
    strategies: pd.DataFrame,
    *,
    true_col: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Each strategy's expected profit (bar) with its 95% interval, and the truth if known.

    Parameters
    ----------
    strategies : DataFrame
        One row per strategy (the index names it): ``expected_profit``, ``expected_low`` and
        ``expected_high`` (:func:`helpers.targeting.compare_strategies`).
    true_col : str, optional
        A column of true profits (answer key), drawn as diamonds.
    title : str, optional
        The finding, in words.
    ax : Axes, optional
        Where to draw (default: a new figure).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> table = pd.DataFrame({"expected_profit": [100.0, -50.0], "expected_low": [20.0, -90.0],
    ...                       "expected_high": [180.0, 10.0], "true": [90.0, 5.0]},
    ...                      index=["plan", "CLV"])
    >>> ax = plot_strategy_profit(table, true_col="true")
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_legend().get_texts()[0].get_text()
    (['CLV', 'plan'], 'true profit (answer key)')
    >>> plt.close(ax.figure)
    """
    require_frame(strategies, name="strategies")
    require_columns(strategies, [*PROFIT_COLUMNS, *([true_col] if true_col else [])],
                    name="strategies")
    ax = _axes(ax, (9, 4))
    interval_barh(ax, strategies["expected_profit"], strategies["expected_low"],
                  strategies["expected_high"])
    if true_col:
        ax.scatter(strategies[true_col], strategies.index, marker="D", s=60, zorder=3,
                   color=PALETTE[1], label="true profit (answer key)")
        ax.legend(loc="upper right")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: money(v)))
    ax.xaxis.set_major_locator(MaxNLocator(5))
    ax.set_xlabel("incremental profit of the campaign (£): bar expected, line 95% interval")
    ax.set_title(title or "Expected incremental profit of each strategy")
    return ax


def plot_campaign_plan(
    mix: pd.Series,
    strategies: pd.DataFrame,
    evidence: pd.DataFrame,
    lines: Sequence[str],
    *,
    title: str,
    strategies_title: str = "Why them: four ways to spend the budget",
    wrap: int = 50,
) -> Figure:
    """The plan on one page: who is e-mailed, why them, the evidence, and the decision.

    Parameters
    ----------
    mix : Series
        Customers e-mailed per persona.
    strategies : DataFrame
        Expected profit and interval per way of choosing (:func:`plot_strategy_profit`).
    evidence : DataFrame
        The test's effect per persona: ``uplift``, ``low``, ``high``
        (:func:`helpers.uplift.segment_uplift`).
    lines : sequence of str
        The decision in a few short lines; the first is printed bold. A line longer than
        ``wrap`` characters is wrapped so that it stays inside its panel.
    title : str
        The figure's title.
    strategies_title : str
        Title of the strategies panel (say which audience its profit figures are for).
    wrap : int, default 50
        Characters per printed line of the decision (the bold first line: ``wrap - 5``).

    Returns
    -------
    Figure
        Four panels: persona mix, strategies, evidence, decision.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> est = pd.DataFrame({"expected_profit": [3.0], "expected_low": [1.0],
    ...                     "expected_high": [5.0]}, index=["plan"])
    >>> evidence = pd.DataFrame({"uplift": [0.1], "low": [0.0], "high": [0.2]}, index=["A"])
    >>> fig = plot_campaign_plan(pd.Series({"A": 10}), est, evidence, ["E-mail 10"],
    ...                          title="Plan")
    >>> len(fig.axes), fig.axes[3].texts[0].get_text()
    (4, 'E-mail 10')
    >>> plt.close(fig)
    """
    require_columns(evidence, ["uplift", "low", "high"], name="evidence")
    fig, axes = new_figure(2, 2, figsize=(13, 8))
    ax = axes[0, 0]
    mix = mix.sort_values()
    ax.barh(mix.index, mix, color=PALETTE[0])
    label_bars(ax)
    ax.margins(x=0.12)
    ax.set_xlabel("customers e-mailed")
    ax.set_title("Who gets the e-mail (by persona)")
    plot_strategy_profit(strategies, ax=axes[0, 1], title=strategies_title)
    axes[0, 1].set_xlabel("expected incremental profit (£; line: 95% interval)")
    axes[0, 1].xaxis.set_major_locator(MaxNLocator(4))
    ax = axes[1, 0]
    interval_barh(ax, evidence["uplift"], evidence["low"], evidence["high"],
                  fmt=lambda v: f"{v:+.2f}")
    ax.set_xlabel("extra orders per customer in 30 days (line: 95% interval)")
    ax.set_title("Evidence: the October test, by persona")
    ax = axes[1, 1]
    ax.axis("off")
    y = 0.95
    for i, text in enumerate(lines):
        text = textwrap.fill(text, width=wrap if i else wrap - 5)  # bold is wider
        ax.text(0.0, y, text, fontsize=12, transform=ax.transAxes, va="top",
                fontweight="bold" if i == 0 else "normal")
        y -= 0.066 * (text.count("\n") + 1) + 0.04
    ax.set_title("The decision", loc="left")
    fig.suptitle(title, fontsize=15)
    return fig
