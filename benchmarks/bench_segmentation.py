"""Benchmark RFM and the choice of k at realistic sizes.

Run from the repository root::

    python benchmarks/bench_segmentation.py

It times, in one run on the same data:

* ``rfm_table`` on 1,000,000 transaction lines (best of 3), with purchase days and with
  invoice numbers as orders, against ``lifetimes.utils.summary_data_from_transaction_data``
  (the course's reference for the CLV notebook), which does the same group-by work;
* ``choose_k`` on 50,000 customers x 6 features for k = 2..10 (one run: it takes seconds).

Targets: rfm_table <= 0.3 s and >= 3x faster than lifetimes; choose_k <= 10 s. Timings
depend on the machine (and on anything else running on it); the table shows the figures of
this run next to the targets. Total runtime is well under three minutes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.rfm import rfm_table  # noqa: E402
from helpers.segmentation import choose_k  # noqa: E402

N_LINES = 1_000_000
N_CUSTOMERS = 50_000
N_SEGMENT_CUSTOMERS = 50_000
N_FEATURES = 6
SEED = 0


def best_of(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Smallest wall time of ``repeats`` calls (the least disturbed by other processes)."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def make_transactions(rng: np.random.Generator) -> pd.DataFrame:
    """1M lines over two years: skewed customer activity, about 4 lines per invoice."""
    weights = rng.gamma(0.7, size=N_CUSTOMERS)
    customers = rng.choice(N_CUSTOMERS, size=N_LINES, p=weights / weights.sum()) + 10_000
    minutes = rng.integers(0, 730 * 1440, N_LINES)
    invoices = (minutes // 5) * 7 + customers % 7  # lines a few minutes apart share an invoice
    return pd.DataFrame(
        {
            "customer_id": customers,
            "invoice_no": invoices,
            "invoice_date": pd.Timestamp("2024-01-01") + pd.to_timedelta(minutes, unit="min"),
            "revenue": np.round(rng.gamma(2.0, 8.0, N_LINES), 2),
        }
    )


def bench_rfm(rows: list[tuple[str, str, str]]) -> None:
    tx = make_transactions(np.random.default_rng(SEED))
    as_of = pd.Timestamp("2026-01-01")
    cols = {"customer_col": "customer_id", "date_col": "invoice_date", "amount_col": "revenue"}

    t_days, ours = best_of(lambda: rfm_table(tx, **cols, as_of=as_of), 3)
    t_orders, _ = best_of(lambda: rfm_table(tx, **cols, order_col="invoice_no", as_of=as_of), 3)
    rows.append(("rfm_table, 1M lines, orders = purchase days", f"{t_days:.3f} s", "<= 0.3 s"))
    rows.append(("rfm_table, 1M lines, orders = invoice_no", f"{t_orders:.3f} s", "<= 0.3 s"))

    try:
        from lifetimes.utils import summary_data_from_transaction_data
    except Exception as exc:  # any import failure is the finding to report
        rows.append(("lifetimes summary_data_from_transaction_data", f"import failed: {exc}", ""))
        return
    try:
        t_lifetimes, theirs = best_of(
            lambda: summary_data_from_transaction_data(
                tx,
                "customer_id",
                "invoice_date",
                monetary_value_col="revenue",
                observation_period_end=as_of,
                freq="D",
            ),
            3,
        )
    except Exception as exc:  # e.g. an incompatibility with pandas 3
        rows.append(("lifetimes summary_data_from_transaction_data", f"failed: {exc}", ""))
        return
    # Same data, same notion of an order (a purchase day): lifetimes counts repeat days.
    agree = bool(
        (theirs["frequency"].reindex(ours.index).to_numpy() == ours["frequency"] - 1).all()
    )
    rows.append(("lifetimes summary_data_from_transaction_data", f"{t_lifetimes:.3f} s", ""))
    rows.append(
        (
            "speed-up of rfm_table (purchase days) over lifetimes",
            f"{t_lifetimes / t_days:.1f}x (frequencies agree: {agree})",
            ">= 3x",
        )
    )


def bench_choose_k(rows: list[tuple[str, str, str]]) -> None:
    from sklearn.datasets import make_blobs
    from sklearn.preprocessing import StandardScaler

    X, _ = make_blobs(
        n_samples=N_SEGMENT_CUSTOMERS,
        n_features=N_FEATURES,
        centers=5,
        cluster_std=2.0,
        random_state=SEED,
    )
    X = StandardScaler().fit_transform(X)
    t_k, result = best_of(lambda: choose_k(X, range(2, 11), random_state=SEED), 1)
    rows.append(
        (
            f"choose_k, {N_SEGMENT_CUSTOMERS:,} x {N_FEATURES}, k = 2..10, n_init=10",
            f"{t_k:.2f} s (best_k={result.best_k}, silhouette on {result.silhouette_rows:,})",
            "<= 10 s",
        )
    )


def main() -> None:
    start = time.perf_counter()
    rows: list[tuple[str, str, str]] = []
    bench_rfm(rows)
    bench_choose_k(rows)
    widths = [max(len(r[i]) for r in rows + [("what", "result", "target")]) for i in range(3)]
    line = "  ".join("-" * w for w in widths)
    print(line)
    print("  ".join(h.ljust(w) for h, w in zip(("what", "result", "target"), widths, strict=True)))
    print(line)
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    print(line)
    print(
        f"pandas {pd.__version__}, numpy {np.__version__}; "
        f"total {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
