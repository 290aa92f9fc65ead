"""Benchmark the course itself: how long each notebook takes to execute, kernel start included.

Run: ``python benchmarks/bench_notebooks.py [notebook ...]`` (or ``make bench``); naming
notebooks re-times only those and keeps the other rows of the results file. Each notebook
runs top to bottom in a fresh kernel on a temporary copy (the stored notebooks are never
touched), against the data cache in ``data/`` (a first, untimed pass builds it, so the figure
is a learner's second run, not the one-off simulation). Times are wall-clock seconds of the
second pass; run on an otherwise idle machine. The figures go to
``benchmarks/results/notebooks.csv``, which the README's table reports, together with the cell
counts that the course limits (code cells over 12 and over 20 lines).
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RESULTS = ROOT / "benchmarks" / "results" / "notebooks.csv"
TIMEOUT_SECONDS = 600


def code_cell_lengths(nb: nbformat.NotebookNode) -> list[int]:
    """Lines of each code cell (comments included, trailing blank lines not)."""
    return [len(c.source.rstrip().splitlines()) for c in nb.cells if c.cell_type == "code"]


def execute_seconds(path: Path) -> float:
    """Seconds to start a kernel and execute ``path`` top to bottom (outputs discarded)."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT_SECONDS, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def store(rows: list[dict[str, object]]) -> None:
    """Write ``rows`` into the results file, keeping the rows of notebooks not run this time."""
    kept: dict[str, dict[str, object]] = {}
    if RESULTS.exists():
        with RESULTS.open(newline="") as handle:
            kept = {row["notebook"]: row for row in csv.DictReader(handle)}
    kept.update({row["notebook"]: row for row in rows})
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept[name] for name in sorted(kept))


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    for path in paths:  # warm the data cache so that no run pays for the one-off simulation
        execute_seconds(path)
    rows = []
    for path in paths:
        seconds = execute_seconds(path)
        lengths = code_cell_lengths(nbformat.read(path, as_version=4))
        rows.append({"notebook": path.name, "seconds": round(seconds, 1),
                     "code_cells": len(lengths),
                     "cells_over_12_lines": sum(n > 12 for n in lengths),
                     "cells_over_20_lines": sum(n > 20 for n in lengths)})
        print(f"{path.name:40s} {seconds:6.1f} s  {rows[-1]['cells_over_12_lines']:3d} cells "
              f"over 12 lines of {len(lengths)}", flush=True)
    total = sum(r["seconds"] for r in rows)
    print(f"{'these notebooks':40s} {total:6.1f} s")
    store(rows)
    print(f"written: {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
