"""Execute a notebook with other values in its ``parameters`` cell, without storing it.

Usage::

    python tools/run_with_parameters.py notebooks/04_kmeans_segmentation.ipynb SEED=3
    python tools/run_with_parameters.py notebooks/03_rfm_analysis.ipynb 'DATASET="cdnow"'
    python tools/run_with_parameters.py --all          # every variant in PARAMETER_VARIANTS

Each ``NAME=VALUE`` is Python source. As papermill does, the values go into a new cell right
after the cell tagged ``parameters``, so the notebook runs exactly as a reader who edited that
cell would see it. The run fails (exit status 1) if any cell raises, an ``assert`` included.
Data are built in the folder named by ``PM_DATA_DIR`` (a temporary folder when it is not set),
so that the stored notebooks and ``data/`` are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
TIMEOUT_SECONDS = 600

#: The documented alternatives that ``make parameters`` (and CI) runs, per notebook: at least
#: two seeds other than the default for every seeded notebook, and every other dataset offered.
PARAMETER_VARIANTS: dict[str, list[dict[str, str]]] = {
    "01_data_collection.ipynb": [{"SEED": "3"}, {"SEED": "7", "N_CUSTOMERS": "2000"},
                                 {"PSEUDONYM_KEY": '"another secret"'}],
    "02_data_cleaning.ipynb": [{"AS_OF": 'pd.Timestamp("2025-07-01")', "MIN_AGE": "18"},
                               {"MAX_AGE": "90"}, {"DATASET": '"online_retail"'}],
    "03_rfm_analysis.ipynb": [{"DATASET": '"cdnow"'}, {"DATASET": '"online_retail"'}],
    "04_kmeans_segmentation.ipynb": [{"SEED": "3"}, {"SEED": "6"}, {"DATASET": '"cdnow"'},
                                     {"DATASET": '"online_retail"'}],
    "05_pca.ipynb": [{"SEED": "0"}, {"SEED": "5"}, {"DATASET": '"cdnow"'},
                     {"DATASET": '"online_retail"'}],
    "06_churn_prediction.ipynb": [{"SEED": "1"}, {"SEED": "8"}, {"OFFER_COST": "25.0"},
                                  {"DATASET": '"online_retail"'},
                                  {"DATASET": '"online_retail"', "SEED": "8"}],
    "07_clv_and_roi.ipynb": [{"SEED": "2"}, {"SEED": "8", "CDNOW_KIND": '"master"'},
                             {"CALIBRATION_END": '"2025-03-31"'}, {"DATASET": '"online_retail"'}],
    "08_recommenders.ipynb": [{"SEED": "4"}, {"SEED": "9"}, {"DATASET": '"online_retail"'}],
    "09_campaign_plan.ipynb": [{"SEED": "3"}, {"SEED": "9", "BUDGET": "300.0"},
                               {"BUDGET": "1200.0", "HOLDOUT_SHARE": "0.25"}],
    "10_channels_and_attribution.ipynb": [{"SEED": "3"}, {"SEED": "9"}, {"MAX_SHIFT": "0.3"},
                                          {"MARGIN": "0.5", "ANNUAL_DISCOUNT_RATE": "0.0",
                                           "N_RESAMPLES": "100"}],
    "11_beyond_one_machine.ipynb": [{"SEED": "3"}, {"SEED": "9", "N_CLUSTERS": "4"},
                                    {"ENGINES": '("duckdb",)'}, {"ENGINES": "()"}],
}


def with_parameters(nb: nbformat.NotebookNode, values: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a cell setting ``values`` right after its parameters cell."""
    copy = nbformat.from_dict(nb)
    index = next((i for i, c in enumerate(copy.cells)
                  if "parameters" in c.metadata.get("tags", [])), None)
    if index is None:
        raise ValueError("the notebook has no cell tagged 'parameters'")
    known = copy.cells[index].source
    for name in values:
        if f"{name} =" not in known and f"{name}," not in known:
            raise ValueError(f"'{name}' is not set in the parameters cell")
    source = "\n".join(f"{name} = {value}" for name, value in values.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    cell.id = "injected-parameters"
    copy.cells.insert(index + 1, cell)
    return copy


def run_variant(path: Path, values: dict[str, str]) -> float:
    """Execute ``path`` with ``values``; return the seconds taken, raise on any failed cell."""
    nb = with_parameters(nbformat.read(path, as_version=4), values)
    client = NotebookClient(nb, timeout=TIMEOUT_SECONDS, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def parse_values(args: list[str]) -> dict[str, str]:
    values = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep or not name.isidentifier():
            raise SystemExit(f"expected NAME=VALUE, got {arg!r}")
        values[name] = value
    return values


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):  # print the usage; never act on a request for help
        print(__doc__)
        return 0
    if not argv:
        print(__doc__)
        return 2
    if argv[0] == "--all":
        jobs = [(NOTEBOOKS / name, values) for name, variants in PARAMETER_VARIANTS.items()
                for values in variants]
    else:
        jobs = [(Path(argv[0]), parse_values(argv[1:]))]
    if "PM_DATA_DIR" not in os.environ:
        # The kernel inherits the environment: every variant builds its data in one scratch
        # folder, where each stage's record of its inputs decides what must be rebuilt.
        os.environ["PM_DATA_DIR"] = tempfile.mkdtemp(prefix="pm-parameters-")
    failed = []
    for path, values in jobs:
        label = f"{path.name} " + " ".join(f"{k}={v}" for k, v in values.items())
        try:
            seconds = run_variant(path, values)
        except CellExecutionError as exc:
            failed.append(label)
            print(f"FAILED {label}\n{str(exc)[-3000:]}", flush=True)
            continue
        print(f"ok     {label:70s} {seconds:6.1f} s", flush=True)
    print(f"{len(jobs) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
