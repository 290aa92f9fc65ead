"""Is DuckDB or Spark usable here, and a quiet local Spark session.

Spark runs on the Java virtual machine: ``pip install pyspark`` brings Spark, not Java. The
checks below say in one sentence what is missing and how to get it, so that a notebook can
print that sentence and skip its Spark cells instead of failing.

>>> status = engine_status()
>>> sorted(status)
['duckdb', 'spark']
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # pragma: no cover - only for type hints
    from pyspark.sql import SparkSession

__all__ = [
    "JAVA_HELP",
    "SPARK_LOG",
    "SUPPORTED_JAVA",
    "Availability",
    "engine_status",
    "java_version",
    "quiet_spark",
    "spark_session",
]

#: Java major versions that Spark 4 runs on.
SUPPORTED_JAVA: tuple[int, ...] = (17, 21)
#: How to get a Java runtime, one line per package manager.
JAVA_HELP: str = (
    "install Java 17 (or 21): Debian/Ubuntu `sudo apt install openjdk-17-jre-headless`, "
    "Homebrew `brew install openjdk@17`, conda-forge `conda install -c conda-forge openjdk=17`"
    "; or point JAVA_HOME at an existing one"
)


class Availability(NamedTuple):
    """Whether an engine can run here, and a sentence saying why (not)."""

    ok: bool
    message: str


def _java_binary() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def java_version() -> int | None:
    """Major version of the Java runtime Spark would use (``JAVA_HOME``, else ``java`` on the
    ``PATH``), or None if there is none.

    Examples
    --------
    >>> version = java_version()
    >>> version is None or version >= 8
    True
    """
    binary = _java_binary()
    if binary is None:
        return None
    try:
        done = subprocess.run([binary, "-version"], capture_output=True, text=True, timeout=30,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', done.stderr + done.stdout)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2)) if major == 1 and found.group(2) else major  # "1.8" is Java 8


def engine_status() -> dict[str, Availability]:
    """Can this machine run the DuckDB and the Spark cells? One :class:`Availability` each.

    DuckDB needs the ``duckdb`` package; Spark needs ``pyspark`` and a Java 17 or 21 runtime.

    Examples
    --------
    >>> engine_status()["duckdb"].ok in (True, False)
    True
    """
    extra = "install the scale extra: `make scale` or `pip install -e '.[scale]'`"
    status = {}
    if importlib.util.find_spec("duckdb") is None:
        status["duckdb"] = Availability(False, f"DuckDB is not installed: {extra}")
    else:
        status["duckdb"] = Availability(True, "DuckDB is installed")
    if importlib.util.find_spec("pyspark") is None:
        status["spark"] = Availability(False, f"PySpark is not installed: {extra}")
    else:
        java = java_version()
        if java is None:
            status["spark"] = Availability(False, f"Spark needs Java, none found: {JAVA_HELP}")
        elif java not in SUPPORTED_JAVA:
            status["spark"] = Availability(
                False, f"Spark 4 needs Java 17 or 21, found Java {java}: {JAVA_HELP}")
        else:
            status["spark"] = Availability(True, f"PySpark is installed and Java {java} found")
    return status


def quiet_spark() -> None:
    """Keep Python-side Spark chatter out of notebook outputs.

    Silences the py4j loggers and the ``FutureWarning`` and pandas deprecation warnings that
    pyspark's pandas conversion raises under pandas 3 (filters for warnings raised inside
    pyspark only: other warnings still show).
    """
    for name in ("py4j", "py4j.clientserver", "py4j.java_gateway", "pyspark"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark(\..*)?")
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pyspark(\..*)?")
    warnings.filterwarnings("ignore", category=UserWarning, module=r"pyspark\.sql\.pandas.*")


#: Where the Java side of a session started by :func:`spark_session` writes its log.
SPARK_LOG: Path = Path(tempfile.gettempdir()) / "precision-marketing-spark.log"


@contextmanager
def _java_output_to(log: Path) -> Iterator[None]:
    """Send the output of processes started inside the block (the JVM) to ``log``.

    Jupyter shows whatever a kernel's child processes write to its stdout and stderr; the JVM
    inherits both when it starts, so pointing them at a file for that moment keeps Spark's
    own logging out of notebooks for the session's whole life.
    """
    import sys

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, ValueError):  # pragma: no cover - closed or odd streams
            pass
    saved = [os.dup(1), os.dup(2)]
    try:
        with open(log, "ab") as target:
            os.dup2(target.fileno(), 1)
            os.dup2(target.fileno(), 2)
        yield
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved:
            os.close(fd)


def spark_session(app_name: str = "precision-marketing", *, master: str = "local[2]",
                  shuffle_partitions: int = 4, memory: str = "2g") -> SparkSession:
    """A quiet local Spark session for the course (or the running one, if there is one).

    Master ``local[2]`` (two worker threads in this process's JVM), no web UI, no console
    progress bars, log level ERROR, ``shuffle_partitions`` partitions after a shuffle (Spark's
    default of 200 suits a cluster, not a laptop) and the session time zone UTC, so that
    calendar days do not depend on the machine's zone. The Java side's own log goes to
    :data:`SPARK_LOG` (a file in the temporary folder), not to the notebook. On a
    cluster, ``spark-submit`` sets the master and these settings come from its ``--conf``
    flags instead (``tools/spark_pipeline.py``).

    Parameters
    ----------
    app_name : str
        Name shown in Spark's logs.
    master : str, default "local[2]"
        Where to run: ``local[N]`` threads here, ``spark://host:7077``, ``yarn``, ``k8s://...``.
    shuffle_partitions : int, default 4
        ``spark.sql.shuffle.partitions``.
    memory : str, default "2g"
        Driver memory (in local mode the driver does all the work).

    Returns
    -------
    pyspark.sql.SparkSession

    Examples
    --------
    >>> spark = spark_session()  # doctest: +SKIP
    >>> spark.range(3).count()  # doctest: +SKIP
    3
    """
    quiet_spark()
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName(app_name)
        .master(master)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.default.parallelism", str(shuffle_partitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", memory)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    if SparkSession.getActiveSession() is not None:
        spark = builder.getOrCreate()
    else:
        with _java_output_to(SPARK_LOG):
            spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
