"""Charts and tables of notebook 11 (helpers.charts.scale): plain labels, engine names as
readers write them, titles that state what the numbers show."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers.charts.scale import (
    lines_label,
    machine_note,
    plot_cluster_agreement,
    plot_engine_roc,
    plot_timings,
    timing_finding,
    timing_table,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def timings() -> pd.DataFrame:
    """The shape of benchmarks/results/scale_rfm.csv, with round numbers."""
    sizes = [("1x", 5_000, 109_574), ("10x", 50_000, 1_093_632), ("100x", 500_000, 10_843_975)]
    seconds = {"pandas": [0.3, 5.0, 60.0], "duckdb": [1.0, 4.0, 20.0], "spark": [9.0, 15.0, 90.0]}
    memory = {"pandas": [0.2, 0.3, 1.7], "duckdb": [0.2, 0.2, 0.4], "spark": [0.7, 1.1, 2.4]}
    rows = [{"scale": s, "customers": c, "order_lines": n, "engine": e,
             "seconds": seconds[e][i], "cpu_seconds": seconds[e][i] * 1.5,
             "peak_memory_gb": memory[e][i], "cores": 2, "load_avg_1min": 0.05 * (i + 1)}
            for i, (s, c, n) in enumerate(sizes) for e in ["spark", "duckdb", "pandas"]]
    return pd.DataFrame(rows)


def test_timing_table_has_business_labels_and_thousands_separators():
    table = timing_table(timings())
    assert table.index.name == "Scale"
    assert table.index.tolist() == ["1x", "10x", "100x"]
    assert list(table.columns) == ["Customers", "Order lines", "pandas, seconds",
                                   "DuckDB, seconds", "Spark, seconds"]
    assert table.loc["100x"].tolist() == ["500,000", "10,843,975", "60.00", "20.00", "90.00"]


def test_finding_names_the_fastest_engine_per_size_and_the_slowest():
    assert timing_finding(timings()) == ("pandas is fastest at 110k lines, DuckDB from 1.1M; "
                                         "Spark is the slowest at every size")
    one_winner = timings().assign(seconds=lambda d: np.where(d["engine"] == "duckdb", 0.1, 1.0))
    assert timing_finding(one_winner).startswith("DuckDB is fastest at every size")


def test_lines_labels_are_plain():
    assert [lines_label(n, s) for s, n in [("1x", 109_574), ("10x", 1_093_632),
                                           ("100x", 10_843_975)]] == [
        "110k (1x)", "1.1M (10x)", "10.8M (100x)"]


def test_timing_chart_plots_the_table_with_plain_ticks():
    fig = plot_timings(timings())
    time_ax, memory_ax = fig.axes
    assert [t.get_text() for t in time_ax.get_xticklabels()] == [
        "110k (1x)", "1.1M (10x)", "10.8M (100x)"]
    assert [t.get_text() for t in time_ax.get_legend().get_texts()] == [
        "pandas", "DuckDB", "Spark"]
    duckdb = time_ax.get_lines()[1]
    assert duckdb.get_ydata().tolist() == [1.0, 4.0, 20.0]
    assert duckdb.get_xdata().tolist() == [109_574, 1_093_632, 10_843_975]
    y_ticks = [t.get_text() for t in time_ax.get_yticklabels()]
    assert "1 s" in y_ticks and "10 s" in y_ticks and all("10^" not in t for t in y_ticks)
    assert "0.5 GB" in [t.get_text() for t in memory_ax.get_yticklabels()]
    assert time_ax.get_title(loc="left") == timing_finding(timings())
    assert memory_ax.get_title(loc="left") == ("At 10.8M (100x): DuckDB needs 0.4 GB,\n"
                                               "Spark 2.4 GB (Spark: with its Java process)")
    assert "2 cores, load average 0.1 to 0.2" in fig.get_suptitle()


def test_machine_note_without_the_columns():
    assert machine_note(timings().drop(columns=["cores", "load_avg_1min"])) == (
        "machine and load not recorded")


def test_timings_without_a_column_raise_a_named_error():
    with pytest.raises(ValueError, match="seconds"):
        plot_timings(timings().drop(columns="seconds"))
    with pytest.raises(ValueError, match="empty"):
        timing_table(timings().iloc[:0])


def test_cluster_agreement_counts_the_diagonal():
    pairs = pd.DataFrame([[50, 3, 0], [2, 40, 0], [0, 0, 5]], index=[1, 2, 3],
                         columns=[1, 2, 3])
    ax = plot_cluster_agreement(pairs, ari=0.9)
    assert ax.get_title() == ("MLlib and scikit-learn put 95 of 100 customers (95.0%) in the "
                              "same cluster (ARI 0.90)")
    assert [t.get_text() for t in ax.texts][:3] == ["50", "3", "0"]
    with pytest.raises(ValueError, match="square"):
        plot_cluster_agreement(pairs.iloc[:2], ari=0.9)


def test_engine_roc_says_whether_the_curves_agree():
    y = [0, 0, 1, 1, 0, 1]
    s = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9]
    ax = plot_engine_roc(y, {"scikit-learn": s, "Spark MLlib": s}, snapshot="2025-07-01")
    assert ax.get_title() == ("Spark MLlib and scikit-learn draw the same ROC curve (AUC 0.889)"
                              "\ntest snapshot of 01 Jul 2025")
    assert [line.get_linestyle() for line in ax.get_lines()[:2]] == ["-", "--"]
    assert [h.get_linestyle() for h in ax.get_legend().get_lines()[:2]] == ["-", "--"]
    worse = plot_engine_roc(y, {"scikit-learn": s, "other": [0.9, 0.1, 0.2, 0.3, 0.4, 0.5]})
    assert worse.get_title().startswith("AUC scikit-learn 0.889, other")
