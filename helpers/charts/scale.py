"""Charts and tables of notebook 11: pandas, DuckDB and Spark side by side.

* :func:`timing_table`: the benchmark's RFM timings with business labels (one row per size);
* :func:`plot_timings`: time and peak memory per engine against the number of order lines,
  with plain tick labels ("110k (1x)", "2 s", "0.5 GB") and the finding as the title;
* :func:`plot_cluster_agreement`: customers per pair of clusters (scikit-learn x MLlib);
* :func:`plot_engine_roc`: the ROC curves of the same churn model fitted by two libraries.

The timing figures come from ``benchmarks/results/scale_rfm.csv`` (columns ``scale``,
``customers``, ``order_lines``, ``engine``, ``seconds``, ``peak_memory_gb`` and, when
recorded, ``cores``, ``cpu_seconds`` and ``load_avg_1min``).
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt  # noqa: F401 - the examples close their figures
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator
from numpy.typing import ArrayLike

from ..plotting import PALETTE, new_figure
from ..validation import require_columns
from .evaluation import plot_roc

__all__ = [
    "ENGINE_NAMES",
    "engine_name",
    "lines_label",
    "machine_note",
    "plot_cluster_agreement",
    "plot_engine_roc",
    "plot_timings",
    "timing_finding",
    "timing_table",
]

#: How each engine is written for readers, in the order tables and legends show them.
ENGINE_NAMES: dict[str, str] = {"pandas": "pandas", "duckdb": "DuckDB", "spark": "Spark"}
_TIMING_COLUMNS = ["scale", "customers", "order_lines", "engine", "seconds", "peak_memory_gb"]
_NICE = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000]


def engine_name(engine: str) -> str:
    """The reader's name of an engine: ``"duckdb"`` -> ``"DuckDB"`` (others unchanged).

    Examples
    --------
    >>> engine_name("duckdb"), engine_name("spark"), engine_name("polars")
    ('DuckDB', 'Spark', 'polars')
    """
    return ENGINE_NAMES.get(engine, engine)


def lines_label(order_lines: float, scale: str | None = None) -> str:
    """A count of order lines in a few characters, with the scale: ``"1.1M (10x)"``.

    Examples
    --------
    >>> lines_label(109_574, "1x"), lines_label(1_093_632, "10x"), lines_label(10_843_975)
    ('110k (1x)', '1.1M (10x)', '10.8M')
    >>> lines_label(950), lines_label(25_000_000)
    ('950', '25M')
    """
    if order_lines >= 1e6:
        text = f"{order_lines / 1e6:.1f}".removesuffix(".0") + "M"
    elif order_lines >= 1e3:
        text = f"{order_lines / 1e3:.0f}k"
    else:
        text = f"{order_lines:.0f}"
    return f"{text} ({scale})" if scale else text


def _checked(timings: pd.DataFrame) -> pd.DataFrame:
    require_columns(timings, _TIMING_COLUMNS, name="timings")
    if timings.empty:
        raise ValueError("timings is empty: run benchmarks/bench_scale.py first")
    return timings.sort_values(["customers", "engine"])


def _pivot(timings: pd.DataFrame, values: str) -> pd.DataFrame:
    table = _checked(timings).pivot(index=["scale", "order_lines"], columns="engine",
                                    values=values).sort_index(level="order_lines")
    order = [e for e in ENGINE_NAMES if e in table.columns]
    return table[order + [e for e in table.columns if e not in order]]


def timing_table(timings: pd.DataFrame) -> pd.DataFrame:
    """The benchmark as a table to read: one row per size, seconds per engine, plain labels.

    Returns
    -------
    DataFrame
        Index "Scale" ("1x", ...); columns "Customers" and "Order lines" (with thousands
        separators) and "<engine>, seconds" per engine (pandas, DuckDB, Spark), as text.

    Examples
    --------
    >>> t = pd.DataFrame({"scale": ["1x", "1x"], "customers": [5000, 5000],
    ...                   "order_lines": [109574, 109574], "engine": ["duckdb", "pandas"],
    ...                   "seconds": [0.99, 0.291], "peak_memory_gb": [0.2, 0.2]})
    >>> table = timing_table(t)
    >>> list(table.columns)
    ['Customers', 'Order lines', 'pandas, seconds', 'DuckDB, seconds']
    >>> table.loc["1x"].tolist()
    ['5,000', '109,574', '0.29', '0.99']
    """
    timings = _checked(timings)
    sizes = timings.drop_duplicates("scale").set_index("scale")
    seconds = timings.pivot(index="scale", columns="engine", values="seconds")
    table = pd.DataFrame({"Customers": sizes["customers"].map("{:,}".format),
                          "Order lines": sizes["order_lines"].map("{:,}".format)})
    for engine in [e for e in ENGINE_NAMES if e in seconds] + [
            e for e in seconds if e not in ENGINE_NAMES]:
        table[f"{engine_name(engine)}, seconds"] = seconds[engine].reindex(table.index).map(
            lambda v: "" if pd.isna(v) else f"{v:,.2f}")
    return table.rename_axis("Scale")


def timing_finding(timings: pd.DataFrame) -> str:
    """Which engine is fastest at which size, and which is slowest, in one sentence.

    Examples
    --------
    >>> t = pd.DataFrame({"scale": ["1x"] * 3 + ["10x"] * 3, "customers": [1] * 3 + [10] * 3,
    ...                   "order_lines": [100_000] * 3 + [1_000_000] * 3,
    ...                   "engine": ["pandas", "duckdb", "spark"] * 2,
    ...                   "seconds": [0.3, 1.0, 20.0, 5.0, 4.0, 30.0], "peak_memory_gb": 1.0})
    >>> timing_finding(t)
    'pandas is fastest at 100k lines, DuckDB from 1M; Spark is the slowest at every size'
    """
    seconds = _pivot(timings, "seconds")
    fastest = seconds.idxmin(axis=1)
    lines = seconds.index.get_level_values("order_lines")
    parts, previous = [], None
    for engine, n in zip(fastest, lines, strict=True):
        if engine != previous:
            where = f"at {lines_label(n)} lines" if not parts else f"from {lines_label(n)}"
            parts.append(f"{engine_name(engine)} {'is fastest ' if not parts else ''}{where}")
            previous = engine
    if len(parts) == 1:
        parts = [f"{engine_name(previous)} is fastest at every size"]
    text = ", ".join(parts)
    slowest = seconds.idxmax(axis=1).unique()
    if len(slowest) == 1 and len(seconds) > 1:
        text += f"; {engine_name(slowest[0])} is the slowest at every size"
    return text


def machine_note(timings: pd.DataFrame) -> str:
    """Where the timings were measured: cores and load, from the benchmark's file.

    ``load_avg_1min`` is the machine's 1-minute load average before each run;
    ``other_cores_busy`` the cores other processes kept busy, on average, during the runs.

    Examples
    --------
    >>> t = pd.DataFrame({"cores": [2, 2], "load_avg_1min": [0.1, 0.52],
    ...                   "other_cores_busy": [0.01, 0.12]})
    >>> machine_note(t)
    'measured on 2 cores, load average 0.1 to 0.5 before each run, other jobs using up to 0.1 cores'
    >>> machine_note(pd.DataFrame({"x": [1]}))
    'machine and load not recorded'
    """
    if "cores" not in timings or timings["cores"].isna().all():
        return "machine and load not recorded"
    text = f"measured on {int(timings['cores'].max())} cores"
    if "load_avg_1min" in timings and timings["load_avg_1min"].notna().any():
        low, high = timings["load_avg_1min"].min(), timings["load_avg_1min"].max()
        text += f", load average {low:.1f} to {high:.1f} before each run"
    if "other_cores_busy" in timings and timings["other_cores_busy"].notna().any():
        text += f", other jobs using up to {timings['other_cores_busy'].max():.1f} cores"
    return text


def _log_axis(ax: Axes, values: np.ndarray, unit: str) -> None:
    ax.set_yscale("log")
    low, high = np.nanmin(values), np.nanmax(values)
    ticks = [v for v in _NICE if low / 1.5 <= v <= high * 1.5]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g} {unit}"))


def plot_timings(timings: pd.DataFrame) -> Figure:
    """Wall time and peak memory of each engine against the number of order lines.

    Both axes are logarithmic (each size is ten times the last) but labelled in plain words:
    "110k (1x)" lines, "2 s", "0.5 GB". The left title is :func:`timing_finding`, the right
    one names the lightest engine at the largest size; the figure's title says where the
    figures were measured (:func:`machine_note`).

    Examples
    --------
    >>> t = pd.DataFrame({"scale": ["1x"] * 2 + ["10x"] * 2, "customers": [1, 1, 10, 10],
    ...                   "order_lines": [109_574] * 2 + [1_093_632] * 2,
    ...                   "engine": ["pandas", "duckdb"] * 2, "seconds": [0.3, 1.0, 5.0, 4.0],
    ...                   "peak_memory_gb": [0.2, 0.2, 0.4, 0.2]})
    >>> fig = plot_timings(t)
    >>> [t.get_text() for t in fig.axes[0].get_xticklabels()]
    ['110k (1x)', '1.1M (10x)']
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['pandas', 'DuckDB']
    >>> plt.close(fig)
    """
    seconds, memory = _pivot(timings, "seconds"), _pivot(timings, "peak_memory_gb")
    lines = seconds.index.get_level_values("order_lines").to_numpy()
    labels = [lines_label(n, s) for s, n in seconds.index]
    fig, axes = new_figure(1, 2, figsize=(11, 4.4))
    for ax, values, unit, ylabel in [(axes[0], seconds, "s", "wall time, seconds"),
                                     (axes[1], memory, "GB", "peak memory, GB")]:
        for i, engine in enumerate(values.columns):
            ax.plot(lines, values[engine], marker="osD^v"[i % 5], color=PALETTE[i % len(PALETTE)],
                    label=engine_name(engine))
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator(lines))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(
            lambda v, _pos: labels[int(np.argmin(np.abs(lines - v)))]))
        _log_axis(ax, values.to_numpy(dtype=float), unit)
        ax.set(xlabel="order lines (scale: times the course's customers)", ylabel=ylabel)
        ax.legend()
    axes[0].set_title(timing_finding(timings), fontsize=10, loc="left")
    top = memory.iloc[-1].dropna()
    note = " (Spark: with its Java process)" if "spark" in top.index else ""
    axes[1].set_title(f"At {labels[-1]}: {engine_name(top.idxmin())} needs "
                      f"{top.min():.2g} GB,\n{engine_name(top.idxmax())} {top.max():.2g} GB"
                      f"{note}", fontsize=10, loc="left")
    fig.suptitle(f"The RFM table from Parquet files, by engine\n({machine_note(timings)})",
                 fontsize=11)
    return fig


def plot_cluster_agreement(pairs: pd.DataFrame, *, ari: float, rows: str = "scikit-learn",
                           columns: str = "MLlib") -> Axes:
    """Customers per pair of clusters found by two libraries; the diagonal is agreement.

    ``pairs`` is a square count table (``pd.crosstab``) whose clusters are numbered alike
    (1 = highest mean spend in both), so the diagonal holds the customers both put together.

    Examples
    --------
    >>> pairs = pd.DataFrame([[90, 2], [8, 100]], index=[1, 2], columns=[1, 2])
    >>> ax = plot_cluster_agreement(pairs, ari=0.8)
    >>> ax.get_title()
    'MLlib and scikit-learn put 190 of 200 customers (95.0%) in the same cluster (ARI 0.80)'
    >>> plt.close(ax.figure)
    """
    if pairs.empty or pairs.shape[0] != pairs.shape[1]:
        raise ValueError(f"pairs must be a square count table, got shape {pairs.shape}")
    counts = pairs.to_numpy()
    _, ax = new_figure(figsize=(6.5, 5))
    ax.imshow(counts, cmap="Blues", vmax=1.6 * counts.max())
    for (i, j), n in np.ndenumerate(counts):
        ax.text(j, i, f"{n:,}", ha="center", va="center")
    ax.set(xticks=range(counts.shape[1]), xticklabels=pairs.columns,
           yticks=range(counts.shape[0]), yticklabels=pairs.index,
           xlabel=f"{columns} cluster (1 = most spend)",
           ylabel=f"{rows} cluster (1 = most spend)")
    ax.grid(False)
    same, total = int(np.trace(counts)), int(counts.sum())
    ax.set_title(f"{columns} and {rows} put {same:,} of {total:,} customers "
                 f"({same / total:.1%}) in the same cluster (ARI {ari:.2f})", fontsize=10)
    return ax


def plot_engine_roc(y_true: ArrayLike, scores: Mapping[str, ArrayLike], *,
                    snapshot: str | pd.Timestamp | None = None,
                    tolerance: float = 0.005) -> Axes:
    """ROC curves of the same model fitted by several libraries; the title says if they agree.

    The first model is drawn solid, the others dashed on top of it.

    Examples
    --------
    >>> ax = plot_engine_roc([0, 0, 1, 1], {"scikit-learn": [0.1, 0.4, 0.35, 0.8],
    ...                                     "Spark MLlib": [0.1, 0.4, 0.35, 0.8]})
    >>> ax.get_title()
    'Spark MLlib and scikit-learn draw the same ROC curve (AUC 0.750)'
    >>> plt.close(ax.figure)
    """
    from sklearn.metrics import roc_auc_score

    names = list(scores)
    ax = plot_roc(y_true, scores, title=" ")
    for line in ax.get_lines()[1:len(names)]:
        line.set_linestyle("--")
    ax.legend(loc="lower right", fontsize=9)  # again, so that it shows the dashes
    auc = {name: roc_auc_score(np.asarray(y_true), np.asarray(scores[name])) for name in names}
    spread = max(auc.values()) - min(auc.values())
    others = " and ".join(names[1:] + names[:1])
    if spread <= tolerance:
        title = f"{others} draw the same ROC curve (AUC {auc[names[0]]:.3f})"
    else:
        title = "AUC " + ", ".join(f"{name} {value:.3f}" for name, value in auc.items())
    if snapshot is not None:
        title += f"\ntest snapshot of {pd.Timestamp(snapshot):%d %b %Y}"
    ax.set_title(title, fontsize=10)
    return ax
