"""Attribution at scale: 1,000,000 journeys from sessions to a path table to channel credit.

Run from the repository root (``make bench`` runs it)::

    python benchmarks/bench_attribution.py                    # 1,000,000 journeys
    python benchmarks/bench_attribution.py --journeys 100000  # a quicker run
    python benchmarks/bench_attribution.py --store            # refresh the committed file

By default the table goes to ``benchmarks/results/local/attribution.csv`` (git-ignored), so a
``make bench`` never changes the committed ``benchmarks/results/attribution.csv``; ``--store``
writes that one (do it on a quiet machine), ``--out PATH`` anywhere else.

The journeys come from a seeded generator (``--seed``): 7 channels with unequal reach, 1 to 8
touches per journey (uniform), each journey converting with a probability that grows with the
touches of three of the channels (about a quarter convert), so that the channels' credit
differs and many paths are distinct. Each journey becomes one session per touch (a user id, a
start time a random number of hours after the previous one, the channel, the conversion flag on
the last session of converters), about 4.5 sessions per journey.

Each stage runs in a fresh process that first builds its input (untimed):

* ``journey_paths``: :func:`helpers.attribution.journey_paths` on the sessions table;
* ``markov_attribution``, ``shapley_attribution``, ``rule_attribution (time_decay)``: on the
  path table that ``journey_paths`` returns.

``seconds`` is the stage's wall-clock time (best of ``--repeats``), ``cpu_seconds`` its CPU
time; ``peak_memory_mb`` is the process's high-water mark of resident memory during the stage
(``VmHWM``, reset through ``/proc/self/clear_refs`` once the input is built; ``ru_maxrss``,
which includes the building, where that fails) and ``stage_memory_mb`` how far the stage
raised it above the memory in use before it started (input, Python, pandas): the stage's own
working memory. Each row records the machine's ``cores``, the 1-minute
load average just before the stage (``load_avg_1min``) and ``other_cores_busy``, the cores that
*other* processes kept busy on average during the timed run (from ``/proc/stat``, Linux only):
near 0 the stage had the machine to itself, near ``cores`` its time is inflated. Times depend
on the machine and on what else runs on it: say so with every figure.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers.constants import DEFAULT_SEED  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "attribution.csv"  # committed
LOCAL_RESULTS = ROOT / "benchmarks" / "results" / "local" / "attribution.csv"  # git-ignored
CHANNELS = ("paid_search", "social", "display", "email", "organic_search", "direct", "tv")
#: How often each channel is touched (reach), and how much each touch lifts the log-odds of
#: converting: a world in which credit differs between channels.
REACH = np.array([0.25, 0.2, 0.2, 0.1, 0.12, 0.1, 0.03])
LIFT = np.array([0.35, 0.1, 0.0, 0.5, 0.0, 0.2, 0.0])
STAGES = ("journey_paths", "markov_attribution", "shapley_attribution",
          "rule_attribution (time_decay)")


def make_sessions(n_journeys: int, seed: int) -> pd.DataFrame:
    """One row per session of ``n_journeys`` seeded journeys (user, start, channel, flag)."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, 9, size=n_journeys)
    user = np.repeat(np.arange(n_journeys), lengths)
    channel = rng.choice(len(CHANNELS), size=len(user), p=REACH)
    lift = np.bincount(user, weights=LIFT[channel], minlength=n_journeys)
    converts = rng.random(n_journeys) < 1 / (1 + np.exp(2.2 - lift))
    last = np.cumsum(lengths) - 1
    converted = np.zeros(len(user), dtype=np.int8)
    converted[last[converts]] = 1
    # Sessions hours apart, each journey starting on its own day of 2024.
    day = np.repeat(rng.integers(0, 366, size=n_journeys), lengths).astype("timedelta64[D]")
    hours = rng.integers(1, 120, size=len(user))
    first = np.concatenate([[0], last[:-1] + 1])
    offset = np.cumsum(hours) - np.repeat(np.cumsum(hours)[first], lengths)
    start = np.datetime64("2024-01-01") + day + offset.astype("timedelta64[h]")
    return pd.DataFrame({"user_id": user, "session_start": start,
                         "channel": pd.Series(np.array(CHANNELS)[channel], dtype="str"),
                         "converted": converted})


def _status_mb(field: str) -> float:
    """``VmRSS`` (resident memory now) or ``VmHWM`` (its high-water mark) in MB, from /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _reset_peak() -> bool:
    """Reset the high-water mark to the memory in use now (Linux 4.0 and later)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _system_busy_seconds() -> float:
    """CPU time all processes of the machine have used since boot (all cores), from /proc."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _run(stage: str, n_journeys: int, seed: int, repeats: int, queue: mp.Queue) -> None:
    from helpers.attribution import (
        journey_paths,
        markov_attribution,
        rule_attribution,
        shapley_attribution,
    )

    sessions = make_sessions(n_journeys, seed)
    info = {"sessions": len(sessions)}
    if stage != "journey_paths":
        paths = journey_paths(sessions)
        del sessions
        info["distinct_paths"] = len(paths)
    calls = {
        "journey_paths": lambda: journey_paths(sessions),
        "markov_attribution": lambda: markov_attribution(paths),
        "shapley_attribution": lambda: shapley_attribution(paths),
        "rule_attribution (time_decay)": lambda: rule_attribution(paths, rule="time_decay"),
    }
    # Measure the stage, not the building of its input: start the high-water mark afresh.
    reset = _reset_peak()
    rss_before = _status_mb("VmRSS")
    times, cpu, others = [], [], []
    for _ in range(repeats):
        start, start_cpu, start_busy = time.perf_counter(), time.process_time(), \
            _system_busy_seconds()
        result = calls[stage]()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        others.append((_system_busy_seconds() - start_busy - cpu[-1]) / times[-1])
    peak = (_status_mb("VmHWM") if reset
            else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # KiB on Linux
    best = times.index(min(times))
    if stage == "journey_paths":
        info["distinct_paths"] = len(result)
        info["checksum"] = int(result["total_conversions"].sum())
    else:
        info["checksum"] = round(float(result["conversions"].sum()), 6)
    queue.put({**info, "seconds": times[best], "cpu_seconds": cpu[best], "peak_mb": peak,
               "stage_mb": max(peak - rss_before, 0.0),
               "other_cores_busy": max(others[best], 0.0)})


def measure(stage: str, n_journeys: int, seed: int, repeats: int) -> dict:
    """Run one stage in a fresh process; its time, memory and a checksum."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(stage, n_journeys, seed, repeats, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journeys", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    parser.add_argument("--store", action="store_true",
                        help=f"write the committed {RESULTS.relative_to(ROOT)} (default: "
                             f"{LOCAL_RESULTS.relative_to(ROOT)}, git-ignored)")
    parser.add_argument("--out", type=Path, default=None, help="write the table here instead")
    args = parser.parse_args(argv)
    out = args.out or (RESULTS if args.store else LOCAL_RESULTS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows, checksums = [], {}
    for stage in args.stages:
        load = os.getloadavg()[0]
        result = measure(stage, args.journeys, args.seed, args.repeats)
        checksums[stage] = result.pop("checksum")
        rows.append({"stage": stage, "journeys": args.journeys, "sessions": result["sessions"],
                     "distinct_paths": result["distinct_paths"], "channels": len(CHANNELS),
                     "seconds": round(result["seconds"], 2),
                     "cpu_seconds": round(result["cpu_seconds"], 2),
                     "peak_memory_mb": round(result["peak_mb"]),
                     "stage_memory_mb": round(result["stage_mb"]),
                     "cores": cores, "load_avg_1min": round(load, 2),
                     "other_cores_busy": round(result["other_cores_busy"], 2)})
        print(rows[-1], flush=True)
    # Every method credits exactly the conversions that journey_paths counted.
    totals = {round(float(v)) for v in checksums.values()}
    if len(totals) != 1:
        raise SystemExit(f"the stages disagree on the total conversions: {checksums}")
    table = pd.DataFrame(rows)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, lineterminator="\n")
    print(table.to_string(index=False))
    print(f"written {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}"
          f" ({cores} cores; times depend on the machine and its load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
