"""Benchmark helpers.mmm on the simulator's channel data: fit, ROI with intervals, optimiser.

Notebook 10 fits the model, computes ROI and marginal ROI with bootstrap intervals and
reallocates the budget; the whole notebook must run in 30 s, so these three steps should take
about 6 s or less together. Each step is timed on ``make_channels(seed=42)`` as the best of 3
runs with ``time.perf_counter`` (wall-clock) and ``time.process_time`` (CPU: less disturbed by
other processes on a busy machine). The figures go to ``benchmarks/results/mmm.csv``. Run from
the repository root::

    .venv/bin/python benchmarks/bench_mmm.py
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable
from pathlib import Path

from helpers.constants import DEFAULT_SEED
from helpers.mmm import MarketingMixModel, optimise_budget, weekly_spend_table
from helpers.simulator import make_channels

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "mmm.csv"
#: The notebook's budget for the three steps together (seconds, wall-clock).
TARGET_SECONDS = 6.0
N_RESAMPLES = 200  # the default of MarketingMixModel.roi


def best_time(func: Callable[[], object], repeats: int = 3) -> tuple[float, float, object]:
    """Best wall-clock and best CPU time over ``repeats`` runs, and the last result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        result = func()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - cpu_start)
    return wall, cpu, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-save", action="store_true", help=f"do not write {RESULTS.name}")
    args = parser.parse_args(argv)

    world = make_channels(seed=DEFAULT_SEED)
    weekly = weekly_spend_table(world.spend).merge(world.sales, on="week_start")
    channels = list(world.truth.params.index)

    fit_s, fit_cpu, model = best_time(
        lambda: MarketingMixModel().fit(weekly, spend_cols=channels))
    roi_s, roi_cpu, table = best_time(lambda: model.roi(weekly, n_resamples=N_RESAMPLES))
    opt_s, opt_cpu, plan = best_time(lambda: optimise_budget(model, weekly, max_shift=0.5))

    truth = world.truth.contributions.loc[table.index]
    max_error = float((table["roi"] / truth["roi"] - 1).abs().max())
    best = world.truth.best_reallocation(max_shift=0.5)
    ratio = world.truth.gain(plan["multiplier"].to_dict()) / (
        best["new_contribution"].sum() - best["contribution"].sum())
    rows = [
        {"task": "fit (13 starts)", "seconds": fit_s, "cpu_seconds": fit_cpu},
        {"task": f"roi with intervals ({N_RESAMPLES} block-bootstrap refits)",
         "seconds": roi_s, "cpu_seconds": roi_cpu},
        {"task": "optimise_budget (SLSQP, 11 starts)", "seconds": opt_s, "cpu_seconds": opt_cpu},
    ]
    total = sum(r["seconds"] for r in rows)
    rows.append({"task": "total", "seconds": total,
                 "cpu_seconds": sum(r["cpu_seconds"] for r in rows)})
    print(f"{'task':<52} {'seconds':>8} {'CPU s':>8}")
    for row in rows:
        print(f"{row['task']:<52} {row['seconds']:8.2f} {row['cpu_seconds']:8.2f}")
    print(f"target: total <= {TARGET_SECONDS:.0f} s ({'ok' if total <= TARGET_SECONDS else 'SLOW'})"
          f"; seed {DEFAULT_SEED}: max |ROI error| {max_error:.1%}, "
          f"gain {ratio:.1%} of the true optimum's")
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["task", "seconds", "cpu_seconds", "max_roi_error", "gain_ratio"])
            for row in rows:
                writer.writerow([row["task"], round(row["seconds"], 3),
                                 round(row["cpu_seconds"], 3), round(max_error, 4),
                                 round(ratio, 4)])
        print(f"saved {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
