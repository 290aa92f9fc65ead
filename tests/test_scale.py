"""helpers.scale: DuckDB and Spark give the RFM table of rfm_table; MLlib matches scikit-learn.

The DuckDB tests run wherever ``duckdb`` is installed; the Spark tests need ``pyspark`` and a
Java 17/21 runtime (CI has both) and share one local session. The skip path (no package, no
Java) is tested by faking what :func:`engine_status` sees.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.constants import REPO_ROOT
from helpers.rfm import rfm_table
from helpers.scale import engine_status, java_version
from helpers.scale import session as scale_session

#: pyspark warns on every pandas conversion that it does not fully support pandas 3 yet
pytestmark = [pytest.mark.filterwarnings("ignore::FutureWarning:pyspark"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark")]
STATUS = engine_status()
needs_duckdb = pytest.mark.skipif(not STATUS["duckdb"].ok, reason=STATUS["duckdb"].message)
needs_spark = pytest.mark.skipif(not STATUS["spark"].ok, reason=STATUS["spark"].message)


def transactions() -> pd.DataFrame:
    """Hand-made lines: a return, two orders on one day, a line on the as-of day."""
    return pd.DataFrame({
        "customer_id": [1, 1, 1, 2, 2, 3, 3],
        "invoice_date": pd.to_datetime(["2025-01-01 10:00", "2025-01-01 18:00", "2025-01-05 09:00",
                                        "2025-01-03 11:00", "2025-01-04 12:00", "2025-01-02 13:00",
                                        "2025-01-10 14:00"]),
        "revenue": [10.0, 5.0, -2.5, 7.0, 3.0, 4.0, 100.0],
        "invoice_no": ["A", "B", "R1", "C", "D", "E", "F"],
    })


EXPECTED = pd.DataFrame(  # as of 2025-01-10: F is on the as-of day and left out
    {"recency": [9, 6, 8], "frequency": [2, 2, 1], "monetary": [12.5, 10.0, 4.0]},
    index=pd.Index([1, 2, 3], name="customer_id"),
)


# --- the skip path ------------------------------------------------------------------------------
def test_status_without_packages(monkeypatch):
    monkeypatch.setattr(scale_session.importlib.util, "find_spec", lambda name: None)
    status = engine_status()
    assert not status["duckdb"].ok and not status["spark"].ok
    assert "make scale" in status["duckdb"].message and "[scale]" in status["spark"].message


@pytest.mark.skipif(not STATUS["spark"].ok and "PySpark is not" in STATUS["spark"].message,
                    reason="pyspark not installed")
def test_status_without_java_says_how_to_get_it(monkeypatch):
    monkeypatch.setattr(scale_session, "_java_binary", lambda: None)
    message = engine_status()["spark"]
    assert not message.ok
    for advice in ("openjdk-17-jre-headless", "brew install openjdk@17",
                   "conda install -c conda-forge openjdk=17"):
        assert advice in message.message


@pytest.mark.skipif(not STATUS["spark"].ok and "PySpark is not" in STATUS["spark"].message,
                    reason="pyspark not installed")
def test_status_with_an_old_java(monkeypatch):
    monkeypatch.setattr(scale_session, "java_version", lambda: 11)
    status = engine_status()["spark"]
    assert not status.ok and "found Java 11" in status.message


@pytest.mark.parametrize(("output", "major"), [
    ('openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', 17),
    ('java version "1.8.0_292"', 8),
    ('openjdk version "21" 2023-09-19', 21),
    ("something else", None),
])
def test_java_version_reads_the_major_version(monkeypatch, output, major):
    monkeypatch.setattr(scale_session, "_java_binary", lambda: "/usr/bin/java")
    monkeypatch.setattr(scale_session.subprocess, "run", lambda *a, **k: subprocess
                        .CompletedProcess(a, 0, stdout="", stderr=output))
    assert java_version() == major


def test_java_version_without_java(monkeypatch):
    monkeypatch.setattr(scale_session, "_java_binary", lambda: None)
    assert java_version() is None


# --- DuckDB -------------------------------------------------------------------------------------
@needs_duckdb
@pytest.mark.parametrize("order_col", [None, "invoice_no"])
@pytest.mark.parametrize("as_of", [None, "2025-01-10", "2025-01-04"])
def test_duckdb_equals_rfm_table(order_col, as_of):
    from helpers.scale import rfm_duckdb

    tx = transactions()
    expected = rfm_table(tx, order_col=order_col, as_of=as_of)
    pd.testing.assert_frame_equal(rfm_duckdb(tx, order_col=order_col, as_of=as_of), expected)


@needs_duckdb
def test_duckdb_hand_computed_values_and_names():
    from helpers.scale import rfm_duckdb

    tx = transactions().rename(columns={"customer_id": "c", "invoice_date": "d", "revenue": "a",
                                        "invoice_no": "o"})
    got = rfm_duckdb(tx, customer_col="c", date_col="d", amount_col="a", order_col="o",
                     as_of="2025-01-10")
    pd.testing.assert_frame_equal(got, EXPECTED.rename_axis("c"))


@needs_duckdb
def test_duckdb_string_ids_and_local_days():
    from helpers.scale import rfm_duckdb

    tx = transactions().assign(customer_id=lambda d: "C" + d["customer_id"].astype(str))
    tx["invoice_date"] = tx["invoice_date"].dt.tz_localize("Europe/Paris")
    pd.testing.assert_frame_equal(rfm_duckdb(tx), rfm_table(tx))


@needs_duckdb
@pytest.mark.parametrize("kind", ["parquet", "csv", "folder", "glob"])
def test_duckdb_reads_files(tmp_path, kind):
    from helpers.scale import rfm_duckdb

    tx = transactions()
    if kind == "csv":
        source = tmp_path / "lines.csv"
        tx.to_csv(source, index=False)
    else:
        for i, part in enumerate([tx.iloc[:4], tx.iloc[4:]]):
            (tmp_path / f"part={i}").mkdir()
            part.to_parquet(tmp_path / f"part={i}" / "lines.parquet", index=False)
        source = {"parquet": tmp_path / "part=0" / "lines.parquet", "folder": tmp_path,
                  "glob": str(tmp_path / "*" / "*.parquet")}[kind]
    lines = tx.iloc[:4] if kind == "parquet" else tx
    got = rfm_duckdb(source, order_col="invoice_no", as_of="2025-01-10")
    pd.testing.assert_frame_equal(got, rfm_table(lines, order_col="invoice_no",
                                                 as_of="2025-01-10"))


@needs_duckdb
@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.drop(columns="revenue"), r"missing column\(s\) \['revenue'\]"),
    (lambda d: d.assign(invoice_date=d["invoice_date"].astype(str)),
     "column 'invoice_date' of transactions must hold datetimes"),
    (lambda d: d.assign(revenue=["x"] * len(d)), "column 'revenue' of transactions must be "
                                                 "numeric"),
    (lambda d: d.iloc[:0], "transactions is empty"),
    (lambda d: d.assign(customer_id=[1, None, 1, 2, 2, 3, 3]),
     "column 'customer_id' of transactions has 1 missing"),
    (lambda d: d.assign(revenue=[1.0, 1.0, -5.0, 1.0, 1.0, 1.0, 1.0]),
     "column 'revenue' of transactions: 1 customer"),
    (lambda d: d.assign(revenue=[1.0, 1.0, 1.0, -7.0, -3.0, 1.0, 1.0]),  # 2 has returns only
     r"column 'revenue' of transactions: 1 customer.*negative net spend"),
    (lambda d: d.assign(revenue=[1.0, 1.0, 1.0, -1e-7, -1e-8, 1.0, 1.0]),  # 2: tiny returns
     r"column 'revenue' of transactions: 1 customer\(s\) have returns but no purchase"),
])
def test_duckdb_bad_frames_raise_like_rfm_table(change, message):
    from helpers.scale import rfm_duckdb

    bad = change(transactions())
    with pytest.raises(ValueError, match=message):
        rfm_table(bad, order_col="invoice_no")
    with pytest.raises(ValueError, match=message):
        rfm_duckdb(bad, order_col="invoice_no")


@needs_duckdb
def test_duckdb_counts_purchase_days_whatever_the_columns_are_called(tmp_path):
    from helpers.scale import rfm_duckdb

    tx = transactions()  # customer 1 bought twice on 2025-01-01: one purchase day
    named_day = tx.rename(columns={"invoice_date": "day"})
    expected = rfm_table(named_day, date_col="day", as_of="2025-01-10")
    assert expected["frequency"].tolist() == [1, 2, 1]
    pd.testing.assert_frame_equal(rfm_duckdb(named_day, date_col="day", as_of="2025-01-10"),
                                  expected)
    tx.assign(day="same text on every line").to_parquet(tmp_path / "with_day.parquet")
    pd.testing.assert_frame_equal(rfm_duckdb(tmp_path / "with_day.parquet", as_of="2025-01-10"),
                                  rfm_table(tx, as_of="2025-01-10"))


@needs_duckdb
def test_duckdb_bad_files_and_dates(tmp_path):
    from helpers.scale import rfm_duckdb

    tx = transactions()
    tx.drop(columns="revenue").to_parquet(tmp_path / "no_amount.parquet")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['revenue'\]"):
        rfm_duckdb(tmp_path / "no_amount.parquet")
    tx.assign(invoice_date=tx["invoice_date"].dt.strftime("%d/%m/%Y")).to_parquet(
        tmp_path / "text_dates.parquet")
    with pytest.raises(ValueError, match="column 'invoice_date' of transactions must hold"):
        rfm_duckdb(tmp_path / "text_dates.parquet")
    tx.iloc[:0].to_parquet(tmp_path / "empty.parquet")
    with pytest.raises(ValueError, match="transactions is empty"):
        rfm_duckdb(tmp_path / "empty.parquet")
    with pytest.raises(ValueError, match="does not exist"):
        rfm_duckdb(tmp_path / "nowhere.parquet")
    with pytest.raises(ValueError, match="not after the first purchase"):
        rfm_duckdb(tx, as_of="2025-01-01")


# --- Spark --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def spark():
    from helpers.scale import spark_session

    return spark_session(shuffle_partitions=2)


@needs_spark
@pytest.mark.parametrize("order_col", [None, "invoice_no"])
def test_spark_equals_rfm_table(spark, order_col):
    from helpers.scale import rfm_spark

    tx = transactions()
    for as_of in (None, "2025-01-10"):
        got = rfm_spark(spark.createDataFrame(tx), order_col=order_col, as_of=as_of)
        assert got.columns == ["customer_id", "recency", "frequency", "monetary"]
        got = got.toPandas().set_index("customer_id")
        pd.testing.assert_frame_equal(got, rfm_table(tx, order_col=order_col, as_of=as_of))


@needs_spark
def test_spark_bad_input_raises_named_errors(spark):
    from helpers.scale import rfm_spark

    tx = transactions()
    with pytest.raises(ValueError, match=r"missing column\(s\) \['revenue'\]"):
        rfm_spark(spark.createDataFrame(tx.drop(columns="revenue")))
    with pytest.raises(ValueError, match="column 'invoice_date' of transactions must hold"):
        rfm_spark(spark.createDataFrame(tx.assign(invoice_date=tx["invoice_date"].astype(str))))
    with pytest.raises(ValueError, match="column 'revenue' of transactions must be numeric"):
        rfm_spark(spark.createDataFrame(tx.assign(revenue=tx["revenue"].astype(str))))
    with pytest.raises(ValueError, match="transactions is empty"):
        rfm_spark(spark.createDataFrame(tx).limit(0))
    with pytest.raises(ValueError, match="column 'customer_id' of transactions has 1 missing"):
        rfm_spark(spark.createDataFrame(tx.assign(customer_id=[1, None, 1, 2, 2, 3, 3])))
    with pytest.raises(ValueError, match="not after the first purchase"):
        rfm_spark(spark.createDataFrame(tx), as_of="2024-12-31")
    with pytest.raises(ValueError, match="must be a Spark DataFrame"):
        rfm_spark(tx)


@needs_spark
def test_spark_kmeans_finds_separated_groups(spark):
    from sklearn.metrics import adjusted_rand_score

    from helpers.scale import spark_models as sm

    rng = np.random.default_rng(0)
    centres = np.array([[1, 1, 10], [30, 5, 500], [200, 1, 20]])
    groups = np.repeat(np.arange(3), 40)
    values = centres[groups] * rng.uniform(0.9, 1.1, size=(len(groups), 3))
    frame = pd.DataFrame(values, columns=["recency", "frequency", "monetary"])
    frame.insert(0, "customer_id", np.arange(len(frame)))
    features = sm.scaled_features(spark.createDataFrame(frame),
                                  ["recency", "frequency", "monetary"])
    scaled = features.toPandas()
    logged = np.log1p(frame["recency"])
    assert np.allclose(scaled["recency"], (logged - logged.mean()) / logged.std(ddof=0))
    labels = sm.kmeans_labels(features, k=3, random_state=1).toPandas()
    assert adjusted_rand_score(groups, labels["cluster"]) == pytest.approx(1.0)


@needs_spark
def test_spark_logistic_matches_scikit_learn(spark):
    from sklearn.metrics import roc_auc_score

    from helpers.churn import churn_pipeline
    from helpers.scale import spark_models as sm

    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=n)
    counts = rng.poisson(3, size=n).astype(float)
    group = rng.choice(["a", "b", "c"], size=n)
    logit = 0.8 * x - 0.4 * np.log1p(counts) + (group == "b")
    frame = pd.DataFrame({"customer_id": np.arange(n), "x": x, "counts": counts, "group": group,
                          "y": (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)})
    sets = {"numeric": ["x", "counts"], "categorical": ["group"], "log_columns": ["counts"]}
    sk = churn_pipeline(**sets).set_params(model__C=0.5).fit(frame, frame["y"])
    model = sm.fit_logistic(spark.createDataFrame(frame), label="y", C=0.5, **sets)
    spark_scores = sm.logistic_scores(model, spark.createDataFrame(frame)).toPandas()
    sk_scores = sk.predict_proba(frame)[:, 1]
    # the same penalised likelihood; only the scaler's n vs n - 1 and the solvers differ
    assert np.abs(spark_scores["score"].to_numpy() - sk_scores).max() < 0.01
    assert roc_auc_score(frame["y"], spark_scores["score"]) == pytest.approx(
        roc_auc_score(frame["y"], sk_scores), abs=0.005)


@needs_spark
def test_spark_als_lists_leave_out_what_was_bought(spark):
    from helpers.scale import spark_models as sm

    # two taste groups: customers 0-9 buy a, b, c; customers 10-19 buy x, y, z
    rows = [(u, item) for u in range(10) for item in "abc"] + \
           [(u, item) for u in range(10, 20) for item in "xyz"]
    rows = [r for r in rows if r not in {(0, "c"), (10, "z")}]
    log = spark.createDataFrame(pd.DataFrame(rows, columns=["customer_id", "stock_code"]))
    model, coded = sm.fit_als(log, n_factors=4, regularization=0.01, alpha=10.0,
                              random_state=0)
    users = spark.createDataFrame(pd.DataFrame({"customer_id": [0, 10]}))
    lists = sm.als_top_k(model, coded, users, k=2).toPandas()
    assert lists.columns.tolist() == ["customer_id", "stock_code", "score", "rank"]
    top = lists[lists["rank"] == 1].set_index("customer_id")["stock_code"]
    assert top.to_dict() == {0: "c", 10: "z"}
    assert not ((lists["customer_id"] == 0) & lists["stock_code"].isin(["a", "b"])).any()
    assert lists.groupby("customer_id")["rank"].apply(list).to_dict() == {0: [1, 2],
                                                                          10: [1, 2]}


@needs_spark
def test_spark_pipeline_runs_with_spark_submit(tmp_path):
    tx = pd.concat([transactions().assign(customer_id=transactions()["customer_id"] + 10 * i)
                    for i in range(4)], ignore_index=True)
    (tmp_path / "orders").mkdir()
    tx.to_parquet(tmp_path / "orders" / "part.parquet", index=False)
    submit = Path(sys.executable).parent / "spark-submit"
    if not submit.exists():
        pytest.skip("spark-submit is not next to this Python")
    done = subprocess.run(
        [str(submit), "--master", "local[2]", "--conf", "spark.ui.enabled=false",
         str(REPO_ROOT / "tools" / "spark_pipeline.py"), "--input", str(tmp_path / "orders"),
         "--output", str(tmp_path / "out"), "--clusters", "2", "--as-of", "2025-01-10"],
        capture_output=True, text=True, timeout=600, check=False,
        env={**os.environ, "PATH": f"{submit.parent}{os.pathsep}{os.environ.get('PATH', '')}",
             "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "12 customers in 2 segments" in done.stdout
    customers = pd.read_parquet(tmp_path / "out" / "customers").set_index("customer_id")
    expected = rfm_table(tx, order_col="invoice_no", as_of="2025-01-10")
    pd.testing.assert_frame_equal(customers[["recency", "frequency", "monetary"]], expected)
    assert set(customers["cluster"]) == {0, 1}
    segments = pd.read_csv(next((tmp_path / "out" / "segments").glob("*.csv")))
    assert segments["customers"].sum() == 12
