"""The course's customer pipeline as a Spark batch job: order lines -> RFM -> K-Means segments.

Runs unchanged on a laptop and on a cluster; only the ``spark-submit`` command changes::

    # here: two local threads, the Parquet folder notebook 11 writes
    .venv/bin/spark-submit --master "local[2]" tools/spark_pipeline.py \\
        --input data/scale/orders --output /tmp/marketing

    # a cluster: the master URL, object-storage paths and partition settings change
    spark-submit --master yarn --deploy-mode cluster --py-files helpers.zip \\
        --archives env.tar.gz#env --conf spark.pyspark.python=./env/bin/python \\
        --conf spark.sql.shuffle.partitions=400 \\
        tools/spark_pipeline.py --input s3a://bucket/orders/ --output s3a://bucket/marketing/

``helpers`` needs pandas, NumPy and pyarrow on the cluster's Python: ship a packed
environment (``env.tar.gz``, e.g. made with ``venv-pack`` or ``conda-pack``) as above, or use
a platform runtime that has them. Calendar days are cut in UTC (the script sets
``spark.sql.session.timeZone``), whatever the cluster's time zone.

Steps (each a function of :mod:`helpers.scale` taking Spark DataFrames):

1. read the order lines (Parquet, or CSV with ``--format csv``): a folder, a glob or an
   object-storage path;
2. the RFM table (:func:`helpers.scale.rfm_spark`), the rules of notebook 03;
3. ``log(1 + x)`` and standardised RFM features, MLlib K-Means (notebook 04's method);
4. write ``OUTPUT/customers`` (one row per customer: RFM and segment, Parquet) and
   ``OUTPUT/segments`` (one row per segment: size and mean RFM, CSV), and print the latter.

``python tools/spark_pipeline.py ...`` also works: it then starts the course's quiet local
session itself. Exit status 2 with a message when an input column is missing or malformed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from helpers.constants import CUSTOMER_ID, DEFAULT_SEED, INVOICE, INVOICE_DATE, REVENUE  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True,
                        help="order lines: folder, glob or URL (s3a://, gs://, abfss://, hdfs://)")
    parser.add_argument("--output", required=True, help="folder (or URL) for the results")
    parser.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    parser.add_argument("--as-of", default=None,
                        help="analysis day, e.g. 2026-01-01 (default: day after the last order)")
    parser.add_argument("--clusters", type=int, default=5, help="K-Means clusters")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--customer-col", default=CUSTOMER_ID)
    parser.add_argument("--date-col", default=INVOICE_DATE)
    parser.add_argument("--amount-col", default=REVENUE)
    parser.add_argument("--order-col", default=INVOICE,
                        help="invoice id; pass '' to count purchase days as orders")
    return parser.parse_args(argv)


def session():
    """The session spark-submit configured, or the course's local one under plain Python."""
    from pyspark.sql import SparkSession

    from helpers.scale import quiet_spark, spark_session

    quiet_spark()
    if "PYSPARK_GATEWAY_PORT" in os.environ:  # started by spark-submit: its master, its --conf
        spark = SparkSession.builder.appName("spark_pipeline").getOrCreate()
        # calendar days in UTC, as the course's local session: not the cluster's JVM zone
        spark.conf.set("spark.sql.session.timeZone", "UTC")
        spark.sparkContext.setLogLevel("ERROR")
        return spark
    return spark_session(app_name="spark_pipeline")


def run(spark, args: argparse.Namespace) -> dict[str, object]:
    """Run the pipeline in ``spark``; return what it wrote and the segment table (pandas)."""
    from pyspark.sql import functions as sf

    from helpers.scale import rfm_spark
    from helpers.scale import spark_models as sm

    reader = spark.read.option("header", "true").option("inferSchema", "true")
    orders = (reader.csv(args.input) if args.format == "csv" else spark.read.parquet(args.input))
    cols = {"customer_col": args.customer_col, "date_col": args.date_col,
            "amount_col": args.amount_col, "order_col": args.order_col or None}
    rfm = rfm_spark(orders, **cols, as_of=args.as_of).cache()
    features = sm.scaled_features(rfm, ["recency", "frequency", "monetary"],
                                  keep=(args.customer_col,))
    labels = sm.kmeans_labels(features, k=args.clusters, random_state=args.seed,
                              customer_col=args.customer_col)
    customers = rfm.join(labels, args.customer_col).orderBy(args.customer_col)
    segments = (customers.groupBy("cluster")
                .agg(sf.count(sf.lit(1)).alias("customers"),
                     *[sf.round(sf.avg(c), 2).alias(f"mean_{c}")
                       for c in ("recency", "frequency", "monetary")])
                .orderBy(sf.col("mean_monetary").desc()))
    out = args.output.rstrip("/")
    customers.write.mode("overwrite").parquet(f"{out}/customers")
    segments.coalesce(1).write.mode("overwrite").option("header", "true").csv(f"{out}/segments")
    table = segments.toPandas()
    return {"customers": f"{out}/customers", "segments": f"{out}/segments",
            "n_customers": int(table["customers"].sum()), "table": table}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    spark = session()
    try:
        result = run(spark, args)
    except ValueError as error:
        print(f"spark_pipeline: {error}", file=sys.stderr)
        return 2
    print(f"{result['n_customers']:,} customers in {args.clusters} segments "
          f"(segment 0..{args.clusters - 1} as K-Means numbered them):")
    print(result["table"].to_string(index=False))
    print(f"written: {result['customers']} (Parquet), {result['segments']} (CSV)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
