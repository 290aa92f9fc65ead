"""The RFM step on pandas, DuckDB and Spark (local mode) at 1x, 10x and 100x the course's data.

Run from the repository root (``make bench`` runs it; it needs the scale extra and Java)::

    python benchmarks/bench_scale.py                 # 5,000, 50,000 and 500,000 customers
    python benchmarks/bench_scale.py --sizes 1 10    # a quicker run

The data come from :func:`helpers.simulator.write_parquet` (clean order lines as Parquet, one
folder per block of customers), written once under ``--data-dir`` and reused. For each size and
engine a fresh process computes the RFM table from the Parquet folder into a pandas table in
memory (the same table in all three; checked):

* pandas: ``pd.read_parquet`` of the four columns needed, then ``helpers.rfm.rfm_table``;
* DuckDB: ``helpers.scale.rfm_duckdb`` on the folder (it reads the files itself);
* Spark: ``helpers.scale.rfm_spark`` on ``spark.read.parquet``, collected with ``toPandas``,
  in a ``local[2]`` session whose start-up is timed separately (it is paid once per session).

Wall time is the best of ``--repeats`` runs; peak memory is the process's high-water mark
(``ru_maxrss``; for Spark, the largest ``VmHWM`` of the Python process and its Java child, read
from ``/proc`` before the session stops: Linux only). The table is written to
``benchmarks/results/scale_rfm.csv``, which notebook 11 displays. Times depend on the machine
and on what else runs on it: say so with every figure.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.constants import DEFAULT_N_CUSTOMERS, DEFAULT_SEED, INVOICE  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "scale_rfm.csv"
COLUMNS = ["customer_id", "invoice_date", "revenue", INVOICE]


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def _tree_peak_gb(pid: int) -> float:
    """Largest high-water mark (VmHWM) of a process and its descendants, from /proc."""
    peak, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024**2)
        todo.extend(int(child) for child in children)
    return peak


def _run(engine: str, folder: str, repeats: int, queue: mp.Queue) -> None:
    import pandas as pd

    from helpers.rfm import rfm_table
    from helpers.scale import rfm_duckdb, rfm_spark, spark_session

    times, extra, table = [], {}, None
    if engine == "spark":
        start = time.perf_counter()
        spark = spark_session(shuffle_partitions=8, memory="6g")
        extra["startup_seconds"] = time.perf_counter() - start
    for _ in range(repeats):
        start = time.perf_counter()
        if engine == "pandas":
            orders = pd.read_parquet(folder, columns=COLUMNS)
            table = rfm_table(orders, order_col=INVOICE)
            del orders
        elif engine == "duckdb":
            table = rfm_duckdb(folder, order_col=INVOICE)
        else:
            table = (rfm_spark(spark.read.parquet(folder), order_col=INVOICE).toPandas()
                     .set_index("customer_id"))
        times.append(time.perf_counter() - start)
    peak = _peak_gb()
    if engine == "spark":  # the work happens in the Java process started by the session
        peak = max(peak, _tree_peak_gb(os.getpid()))
        spark.stop()
    result = {"seconds": min(times), "peak_gb": peak, **extra,
              "checksum": [int(table["recency"].sum()), int(table["frequency"].sum()),
                           round(float(table["monetary"].sum()), 2), len(table)]}
    queue.put(result)


def measure(engine: str, folder: Path, repeats: int) -> dict:
    """Run one engine on one folder in a fresh process; its time, memory and a checksum."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(engine, str(folder), repeats, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def ensure_data(data_dir: Path, n_customers: int, seed: int) -> Path:
    """The simulated shop of that size under ``data_dir`` (written once, then reused)."""
    from helpers.simulator import write_parquet

    folder = data_dir / f"shop_{n_customers}_{seed}"
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        write_parquet(folder, n_customers=n_customers, seed=seed, progress=True,
                      overwrite=folder.exists())
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100],
                        help="multiples of the course's 5,000 customers")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(tempfile.gettempdir()) / "precision-marketing-bench")
    parser.add_argument("--engines", nargs="+", default=["pandas", "duckdb", "spark"])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    import pandas as pd

    from helpers.scale import engine_status

    status = engine_status()
    engines = [e for e in args.engines
               if e == "pandas" or status["spark" if e == "spark" else e].ok]
    for e in set(args.engines) - set(engines):
        print(f"skipped {e}: {status['spark' if e == 'spark' else e].message}")
    rows = []
    for size in args.sizes:
        n_customers = size * DEFAULT_N_CUSTOMERS
        folder = ensure_data(args.data_dir, n_customers, args.seed)
        n_lines = json.loads((folder / "manifest.json").read_text())["n_order_lines"]
        checksums = {}
        for engine in engines:
            result = measure(engine, folder / "orders", args.repeats)
            checksums[engine] = result.pop("checksum")
            rows.append({"scale": f"{size}x", "customers": n_customers, "order_lines": n_lines,
                         "engine": engine, "seconds": round(result["seconds"], 2),
                         "peak_memory_gb": round(result["peak_gb"], 2),
                         "session_start_seconds": round(result.get("startup_seconds",
                                                                   float("nan")), 1)})
            print(rows[-1], flush=True)
        reference = next(iter(checksums.values()))
        for engine, checksum in checksums.items():
            same = (checksum[:2] + checksum[3:] == reference[:2] + reference[3:]
                    and abs(checksum[2] - reference[2]) < 0.01)
            if not same:
                raise SystemExit(f"{engine} disagrees at {size}x: {checksum} vs {reference}")
    table = pd.DataFrame(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, index=False, lineterminator="\n")
    print(table.to_string(index=False))
    print(f"written {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}"
          f" ({os.cpu_count()} cores; times depend on the machine and its load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
