"""Time and memory of the recommenders on a synthetic log of one million interactions.

Run from the repository root::

    python benchmarks/bench_recommend.py            # the full size: 1,000,000 rows
    python benchmarks/bench_recommend.py --scale 0.1  # a quick smoke run

The log has 50,000 users and 5,000 items (string ids, like stock codes). Item popularity is
Zipf-like, and each user leans towards one of 20 taste groups, so the neighbourhood and
factor models have some structure to find. The seed is fixed.

For each model the script measures, in a fresh process, the wall time of ``fit`` plus
``recommend(all users, k=10)`` and the peak resident memory of that process, read from
``resource.getrusage(RUSAGE_SELF).ru_maxrss`` (kernel-reported high-water mark, so it
includes the Python interpreter, the libraries and the interaction table itself; the
"baseline" column is that figure just before fitting). A fresh process per model keeps one
model's peak from hiding another's. The targets are 30 s and 4 GB per model.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

N_INTERACTIONS = 1_000_000
N_USERS = 50_000
N_ITEMS = 5_000
N_GROUPS = 20
ZIPF_EXPONENT = 1.0
SEED = 20240601
K = 10
TARGET_SECONDS = 30.0
TARGET_GB = 4.0

MODELS = {
    "popularity": ("PopularityRecommender", {}),
    "item-knn (n_neighbors=50)": ("ItemKNNRecommender", {"n_neighbors": 50}),
    "als (32 factors, 10 iter)": (
        "ALSRecommender",
        {"n_factors": 32, "n_iterations": 10, "random_state": 0},
    ),
}


def make_interactions(scale: float = 1.0, seed: int = SEED) -> pd.DataFrame:
    """Synthetic purchase log: Zipf item popularity with group-specific tastes.

    Half of each user's interactions follow the global Zipf popularity, half a Zipf ranking
    over their taste group's own shuffled order of the items.
    """
    rng = np.random.default_rng(seed)
    n = int(N_INTERACTIONS * scale)
    n_users = max(int(N_USERS * scale), 10)
    weights = 1.0 / np.arange(1, N_ITEMS + 1) ** ZIPF_EXPONENT
    weights /= weights.sum()

    user_group = rng.integers(N_GROUPS, size=n_users)
    # Active users buy more: log-normal activity, normalised to sampling probabilities.
    activity = rng.lognormal(0.0, 0.8, size=n_users)
    users = rng.choice(n_users, size=n, p=activity / activity.sum())

    global_order = rng.permutation(N_ITEMS)
    group_orders = np.stack([rng.permutation(N_ITEMS) for _ in range(N_GROUPS)])
    popularity_rank = rng.choice(N_ITEMS, size=n, p=weights)
    from_group = rng.random(n) < 0.5
    items = np.where(
        from_group,
        group_orders[user_group[users], popularity_rank],
        global_order[popularity_rank],
    )
    return pd.DataFrame(
        {
            "customer_id": users.astype(np.int64) + 100_000,
            "stock_code": pd.Series(np.char.add("SKU", items.astype(str).astype(object))),
            "quantity": rng.integers(1, 4, size=n),
        }
    )


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _run_one(class_name: str, params: dict, scale: float, queue: mp.Queue) -> None:
    """Child process: build the data, then time fit + recommend for every user."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from helpers import recommend

    df = make_interactions(scale)
    baseline = _peak_rss_mb()
    model = getattr(recommend, class_name)(**params)
    start = time.perf_counter()
    model.fit(df, user_col="customer_id", item_col="stock_code", weight_col="quantity")
    fitted = time.perf_counter()
    recs = model.recommend(model.users_, k=K)
    done = time.perf_counter()
    queue.put(
        {
            "fit_s": fitted - start,
            "recommend_s": done - fitted,
            "total_s": done - start,
            "peak_mb": _peak_rss_mb(),
            "baseline_mb": baseline,
            "n_rows_out": len(recs),
            "n_users": len(model.users_),
            "n_items": len(model.items_),
            "nnz": model.user_item_matrix_.nnz,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full size")
    args = parser.parse_args()

    ctx = mp.get_context("spawn")  # a clean process per model, so peaks do not mix
    rows = []
    for label, (class_name, params) in MODELS.items():
        queue = ctx.Queue()
        proc = ctx.Process(target=_run_one, args=(class_name, params, args.scale, queue))
        proc.start()
        result = queue.get()
        proc.join()
        rows.append({"model": label, **result})
        print(f"done: {label} in {result['total_s']:.1f} s", flush=True)

    first = rows[0]
    print(
        f"\n{int(N_INTERACTIONS * args.scale):,} interactions -> {first['nnz']:,} distinct "
        f"(user, item) pairs, {first['n_users']:,} users x {first['n_items']:,} items; "
        f"top-{K} for every user"
    )
    print("memory = peak RSS of a fresh process (resource.getrusage ru_maxrss)\n")
    header = (
        f"{'model':<28}{'fit s':>8}{'rec s':>8}{'total s':>9}{'baseline MB':>13}"
        f"{'peak MB':>9}  within targets"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        ok = r["total_s"] <= TARGET_SECONDS and r["peak_mb"] <= TARGET_GB * 1024
        print(
            f"{r['model']:<28}{r['fit_s']:>8.1f}{r['recommend_s']:>8.1f}{r['total_s']:>9.1f}"
            f"{r['baseline_mb']:>13.0f}{r['peak_mb']:>9.0f}  {'yes' if ok else 'NO'}"
        )
    print(f"\ntargets: {TARGET_SECONDS:.0f} s and {TARGET_GB:.0f} GB per model")


if __name__ == "__main__":
    main()
