"""Benchmark the streamed simulator: time and peak memory at 100,000 and 1,000,000 customers.

Run: ``python benchmarks/bench_simulator_scale.py`` (or ``make bench``); ``--quick`` runs 10,000
and 100,000 customers instead (a minute or two), ``--sizes 20000 200000`` any sizes. Each size
runs :func:`helpers.simulator.write_parquet` in its own process, so its peak memory (maximum
resident set size, ``ru_maxrss``) is its own, into a temporary folder deleted afterwards.
Times are seconds of one run: wall-clock, and CPU (user + system, which other processes on a
busy machine disturb less).

The scaling exponent between two sizes is ``log(t2 / t1) / log(n2 / n1)``: 1 means time grows
linearly with customers (the goal is 1.1 or less), 2 quadratically. It is computed from the
wall-clock and from the CPU times. The figures go to ``benchmarks/results/simulator_scale.csv``
(one row per size, the exponents on every row).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "simulator_scale.csv"
FULL_SIZES = (100_000, 1_000_000)
QUICK_SIZES = (10_000, 100_000)
#: The issue's targets: peak memory at a million customers, and the scaling exponent.
PEAK_MB_LIMIT = 2_048
EXPONENT_LIMIT = 1.1


def task_write(n_customers: int, folder: str) -> dict:
    """Write ``n_customers`` to ``folder`` and report time, rows and size on disk."""
    from helpers.simulator import write_parquet

    start, cpu_start = time.perf_counter(), time.process_time()
    blocks = write_parquet(Path(folder) / "shop", n_customers=n_customers, seed=42,
                           progress=False)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    size = sum(p.stat().st_size for p in Path(folder).rglob("*.parquet"))
    return {"seconds": seconds, "cpu_seconds": cpu,
            "order_lines": int(blocks["n_order_lines"].sum()),
            "blocks": len(blocks), "disk_mb": size / 2**20}


def run_child(n_customers: int, scratch: str | None) -> dict:
    folder = tempfile.mkdtemp(prefix="sim_scale_", dir=scratch)
    try:
        out = subprocess.run([sys.executable, __file__, "--child", str(n_customers), folder],
                             capture_output=True, text=True, check=True, cwd=ROOT)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def exponent(rows: list[dict], key: str = "seconds") -> float:
    """Scaling exponent of ``key`` between the smallest and the largest size.

    >>> exponent([{"n_customers": 10, "seconds": 2.0}, {"n_customers": 100, "seconds": 20.0}])
    1.0
    """
    if len(rows) < 2:
        return float("nan")
    small, large = rows[0], rows[-1]
    return math.log(large[key] / small[key]) / math.log(
        large["n_customers"] / small["n_customers"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"sizes {QUICK_SIZES} instead of {FULL_SIZES}")
    parser.add_argument("--sizes", type=int, nargs="+", help="customer counts to run")
    parser.add_argument("--scratch", help="folder for the temporary Parquet files")
    parser.add_argument("--no-save", action="store_true", help=f"do not write {RESULTS.name}")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES))

    print(f"{'customers':>10s} {'order lines':>12s} {'blocks':>6s} {'seconds':>8s} "
          f"{'CPU s':>8s} {'peak MB':>8s} {'disk MB':>8s}")
    rows = []
    for n in sizes:
        result = {"n_customers": n, **run_child(n, args.scratch)}
        rows.append(result)
        print(f"{n:10,d} {result['order_lines']:12,d} {result['blocks']:6d} "
              f"{result['seconds']:8.1f} {result['cpu_seconds']:8.1f} "
              f"{result['peak_mb']:8.0f} {result['disk_mb']:8.0f}", flush=True)
    slope, cpu_slope = exponent(rows), exponent(rows, "cpu_seconds")
    print(f"scaling exponent {sizes[0]:,} -> {sizes[-1]:,} customers: {slope:.2f} wall-clock, "
          f"{cpu_slope:.2f} CPU (target <= {EXPONENT_LIMIT}); "
          f"peak memory target < {PEAK_MB_LIMIT} MB")
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["n_customers", "order_lines", "blocks", "seconds", "cpu_seconds",
                             "peak_mb", "disk_mb", "scaling_exponent", "cpu_scaling_exponent"])
            for row in rows:
                writer.writerow([row["n_customers"], row["order_lines"], row["blocks"],
                                 round(row["seconds"], 1), round(row["cpu_seconds"], 1),
                                 round(row["peak_mb"]), round(row["disk_mb"]),
                                 round(slope, 3), round(cpu_slope, 3)])
        print(f"saved {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        sys.path.insert(0, str(ROOT))
        result = task_write(int(sys.argv[2]), sys.argv[3])
        # ru_maxrss is in kilobytes on Linux
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
    else:
        main()
