"""Benchmark the foundation: the simulator, the raw exports and the cleaning.

Run: ``python benchmarks/bench_foundation.py`` (or ``make bench``). Each task runs in its own
process so that its peak memory (maximum resident set size) is its own. Times are wall-clock
seconds, best of ``REPEATS`` runs inside that process.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

REPEATS = 3


def task_simulate(n_customers: int) -> dict:
    from helpers.simulator import make_retailer

    best = float("inf")
    for _ in range(REPEATS if n_customers <= 10_000 else 1):
        start = time.perf_counter()
        shop = make_retailer(n_customers=n_customers, seed=42)
        best = min(best, time.perf_counter() - start)
    return {"seconds": best, "order_lines": len(shop.orders), "events": len(shop.sessions)}


def task_raw(n_customers: int) -> dict:
    """Write the four raw exports (with their checksums) and read them back."""
    import tempfile

    from helpers.simulator import make_retailer
    from helpers.sources import read_raw, write_raw

    shop = make_retailer(n_customers=n_customers, seed=42)
    best = float("inf")
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(REPEATS):
            start = time.perf_counter()
            write_raw(shop, folder)
            tables = read_raw(folder)
            best = min(best, time.perf_counter() - start)
    return {"seconds": best, "events": len(tables["sessions"])}


def task_clean(n_lines: int) -> dict:
    from helpers.cleaning import clean_orders
    from helpers.simulator import make_retailer

    shop = make_retailer(n_customers=50_000, seed=42)
    raw = shop.orders.iloc[:n_lines].reset_index(drop=True)
    if len(raw) < n_lines:
        raise SystemExit(f"only {len(raw)} lines simulated")
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = clean_orders(raw, test_customer_ids=shop.test_account_ids)
        best = min(best, time.perf_counter() - start)
    return {"seconds": best, "kept": len(result.clean)}


def run_child(task: str, size: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", task, str(size)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = [
        ("simulator, 5,000 customers", "simulate", 5_000),
        ("simulator, 100,000 customers", "simulate", 100_000),
        ("write_raw + read_raw, 5,000 customers", "raw", 5_000),
        ("clean_orders, 1,000,000 raw lines", "clean", 1_000_000),
    ]
    print(f"{'task':40s} {'seconds':>8s} {'peak MB':>8s}  detail")
    for label, task, size in rows:
        result = run_child(task, size)
        detail = ", ".join(f"{k}={v:,}" for k, v in result.items()
                           if k not in ("seconds", "peak_mb"))
        print(f"{label:40s} {result['seconds']:8.2f} {result['peak_mb']:8.0f}  {detail}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        task, size = sys.argv[2], int(sys.argv[3])
        result = {"simulate": task_simulate, "raw": task_raw, "clean": task_clean}[task](size)
        # ru_maxrss is in kilobytes on Linux
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
    else:
        main()
