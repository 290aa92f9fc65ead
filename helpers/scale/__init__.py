"""Beyond one machine: the course's pipeline on DuckDB and on Apache Spark (notebook 11).

Nothing here needs DuckDB or PySpark to be *imported*: each function imports its engine when
called, and :func:`engine_status` says whether the engines are usable (PySpark also needs a
Java 17 or 21 runtime). Install them with ``make scale`` (``pip install -e '.[scale]'``).

=================  ===========================================================================
module             what
=================  ===========================================================================
``session``        engine availability, the Java check, a quiet local ``SparkSession``
``duckdb_rfm``     :func:`rfm_duckdb`: the RFM table as SQL over a DataFrame or Parquet/CSV
``spark_rfm``      :func:`rfm_spark`: the RFM table as a Spark DataFrame
``spark_models``   MLlib K-Means, logistic churn and implicit ALS, as functions of a session
=================  ===========================================================================
"""

from .duckdb_rfm import rfm_duckdb, rfm_query, source_relation
from .session import (
    JAVA_HELP,
    SPARK_LOG,
    SUPPORTED_JAVA,
    Availability,
    engine_status,
    java_version,
    quiet_spark,
    spark_session,
)
from .spark_rfm import rfm_spark

__all__ = [
    "JAVA_HELP",
    "SPARK_LOG",
    "SUPPORTED_JAVA",
    "Availability",
    "engine_status",
    "java_version",
    "quiet_spark",
    "rfm_duckdb",
    "rfm_query",
    "rfm_spark",
    "source_relation",
    "spark_session",
]
