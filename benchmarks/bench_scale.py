"""The RFM step on pandas, DuckDB and Spark (local mode) at 1x, 10x and 100x the course's data.

Run from the repository root (``make bench`` runs it; it needs the scale extra and Java)::

    python benchmarks/bench_scale.py                 # 5,000, 50,000 and 500,000 customers
    python benchmarks/bench_scale.py --sizes 1 10    # a quicker run
    python benchmarks/bench_scale.py --store         # refresh the committed results file

By default the table goes to ``benchmarks/results/local/scale_rfm.csv`` (git-ignored), so a
``make bench`` on your machine never changes the file notebook 11 displays (and whose values
its stored outputs, checked by nbval, show). ``--store`` writes the committed
``benchmarks/results/scale_rfm.csv`` instead: do that only on a quiet machine, then re-execute
notebook 11. ``--out PATH`` writes anywhere else.

The data come from :func:`helpers.simulator.write_parquet` (clean order lines as Parquet, one
folder per block of customers), written once under ``--data-dir`` and reused. For each size and
engine a fresh process computes the RFM table from the Parquet folder into a pandas table in
memory (the same table in all three; checked):

* pandas: ``pd.read_parquet`` of the four columns needed, then ``helpers.rfm.rfm_table``;
* DuckDB: ``helpers.scale.rfm_duckdb`` on the folder (it reads the files itself);
* Spark: ``helpers.scale.rfm_spark`` on ``spark.read.parquet``, collected with ``toPandas``,
  in a ``local[2]`` session whose start-up is timed separately (it is paid once per session).
  On a quiet 2-core machine the start-up takes about 5 s; on a machine loaded by other jobs
  it took 76-89 s (the JVM's start suffers most from competing for the cores), which is why
  each row records the load.

Wall time is the best of ``--repeats`` runs; ``cpu_seconds`` is the CPU time (user + system,
all threads, the Java child included) of that same run, so ``cpu_seconds / seconds`` shows how
many cores the engine kept busy; peak memory is the process's high-water mark (``ru_maxrss``;
for Spark, the largest ``VmHWM`` of the Python process and its Java child, read from ``/proc``
before the session stops: Linux only). Each row also records the machine's ``cores`` and its
1-minute load average just before the engine ran (``load_avg_1min``; it includes the tail of
the benchmark's own previous run) and ``other_cores_busy``, the cores that *other* processes
kept busy on average during the timed run (the machine's CPU time from ``/proc/stat`` minus
the engine's own, per wall-clock second): near 0, the engine had the machine to itself; near
the number of cores, it shared them and its time is inflated. Times depend on the machine
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

RESULTS = ROOT / "benchmarks" / "results" / "scale_rfm.csv"  # committed: notebook 11 shows it
LOCAL_RESULTS = ROOT / "benchmarks" / "results" / "local" / "scale_rfm.csv"  # git-ignored
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


def _tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants so far, from /proc."""
    ticks, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
        todo.extend(int(child) for child in children)
    return ticks / os.sysconf("SC_CLK_TCK")


def _system_busy_seconds() -> float:
    """CPU time all processes of the machine have used since boot (all cores), from /proc."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _run(engine: str, folder: str, repeats: int, queue: mp.Queue) -> None:
    import pandas as pd

    from helpers.rfm import rfm_table
    from helpers.scale import rfm_duckdb, rfm_spark, spark_session

    times, cpu, others, extra, table = [], [], [], {}, None
    if engine == "spark":
        start = time.perf_counter()
        spark = spark_session(shuffle_partitions=8, memory="6g")
        extra["startup_seconds"] = time.perf_counter() - start
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), _tree_cpu_seconds(os.getpid())
        start_busy = _system_busy_seconds()
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
        cpu.append(_tree_cpu_seconds(os.getpid()) - start_cpu)
        others.append((_system_busy_seconds() - start_busy - cpu[-1]) / times[-1])
    peak = _peak_gb()
    if engine == "spark":  # the work happens in the Java process started by the session
        peak = max(peak, _tree_peak_gb(os.getpid()))
        spark.stop()
    best = times.index(min(times))
    result = {"seconds": times[best], "cpu_seconds": cpu[best], "peak_gb": peak,
              "other_cores_busy": max(others[best], 0.0), **extra,
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
    parser.add_argument("--store", action="store_true",
                        help=f"write the committed {RESULTS.relative_to(ROOT)} (default: "
                             f"{LOCAL_RESULTS.relative_to(ROOT)}, git-ignored)")
    parser.add_argument("--out", type=Path, default=None, help="write the table here instead")
    args = parser.parse_args(argv)
    out = args.out or (RESULTS if args.store else LOCAL_RESULTS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

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
            load = os.getloadavg()[0]
            result = measure(engine, folder / "orders", args.repeats)
            checksums[engine] = result.pop("checksum")
            rows.append({"scale": f"{size}x", "customers": n_customers, "order_lines": n_lines,
                         "engine": engine, "seconds": round(result["seconds"], 2),
                         "cpu_seconds": round(result["cpu_seconds"], 2),
                         "peak_memory_gb": round(result["peak_gb"], 2),
                         "session_start_seconds": round(result.get("startup_seconds",
                                                                   float("nan")), 1),
                         "cores": cores, "load_avg_1min": round(load, 2),
                         "other_cores_busy": round(result["other_cores_busy"], 2)})
            print(rows[-1], flush=True)
        reference = next(iter(checksums.values()))
        for engine, checksum in checksums.items():
            same = (checksum[:2] + checksum[3:] == reference[:2] + reference[3:]
                    and abs(checksum[2] - reference[2]) < 0.01)
            if not same:
                raise SystemExit(f"{engine} disagrees at {size}x: {checksum} vs {reference}")
    table = pd.DataFrame(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, lineterminator="\n")
    print(table.to_string(index=False))
    print(f"written {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"
          f" ({cores} cores; times depend on the machine and its load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
