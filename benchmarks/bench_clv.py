"""Benchmark helpers.clv against lifetimes 0.11.3 in the same run.

1. BG/NBD fit on the full CDNOW master summary (23,570 customers, weekly units):
   ``BetaGeoModel`` vs ``lifetimes.BetaGeoFitter``; target: ours at least as fast, parameters
   equal to a relative 1e-3.
2. ``summary_from_transactions`` (plain pandas ``groupby``: one transaction per customer and
   purchase day, then per customer) vs ``lifetimes.utils.summary_data_from_transaction_data``
   on 1,000,000 synthetic transaction lines; target: ours at least 3x faster, same summary.

Both are timed as the best of 3 runs with ``time.perf_counter`` (about 10 s in all). Run from
the repository root::

    .venv/bin/python benchmarks/bench_clv.py
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from helpers.cdnow import load_cdnow
from helpers.clv import BetaGeoModel, summary_from_transactions

N_LINES = 1_000_000
N_CUSTOMERS = 100_000
N_ORDERS = 300_000  # about 3.3 lines per order, so same-day lines must be merged
SEED = 42


def best_time(func: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Best wall-clock time over ``repeats`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def synthetic_lines(n_lines: int = N_LINES, seed: int = SEED) -> pd.DataFrame:
    """Order lines of a two-year shop: each order has one customer, one timestamp, many lines."""
    rng = np.random.default_rng(seed)
    # Skewed customer activity, as in real shops: a few customers place many orders.
    weights = rng.gamma(0.5, 1.0, N_CUSTOMERS)
    order_customer = rng.choice(N_CUSTOMERS, size=N_ORDERS, p=weights / weights.sum())
    order_time = pd.Timestamp("2024-01-01") + pd.to_timedelta(
        rng.integers(0, 730 * 24 * 3600, N_ORDERS), unit="s"
    )
    line_order = np.sort(rng.integers(0, N_ORDERS, n_lines))
    return pd.DataFrame(
        {
            "customer_id": order_customer[line_order] + 10_000,
            "date": order_time[line_order],
            "amount": rng.gamma(2.0, 12.0, n_lines).round(2),
        }
    )


def bench_fit(lifetimes: object) -> dict[str, object]:
    tx = load_cdnow("master")
    rfm = summary_from_transactions(
        tx, customer_col="customer_id", date_col="date", amount_col="amount"
    )
    x, tx_, T = rfm["frequency"], rfm["recency"], rfm["T"]
    ours_s, ours = best_time(lambda: BetaGeoModel().fit(x, tx_, T), 3)
    theirs_s, theirs = best_time(lambda: lifetimes.BetaGeoFitter().fit(x, tx_, T), 3)
    diff = max(abs(ours.params_[k] / theirs.params_[k] - 1) for k in ("r", "alpha", "a", "b"))
    return {
        "task": f"BG/NBD fit, CDNOW master ({len(rfm):,} customers)",
        "ours_s": ours_s,
        "lifetimes_s": theirs_s,
        "check": f"max rel. param diff {diff:.1e}",
        "ok": diff <= 1e-3 and ours_s <= theirs_s,
    }


def bench_summary(lifetimes_utils: object) -> dict[str, object]:
    lines = synthetic_lines()

    def ours() -> pd.DataFrame:
        return summary_from_transactions(
            lines, customer_col="customer_id", date_col="date", amount_col="amount"
        )

    def theirs() -> pd.DataFrame:
        # freq="D" with freq_multiplier=7: exact fractional weeks, as ours.
        return lifetimes_utils.summary_data_from_transaction_data(
            lines, "customer_id", "date", "amount", freq="D", freq_multiplier=7
        )

    ours_s, ours_df = best_time(ours, 3)
    theirs_s, theirs_df = best_time(theirs, 3)
    theirs_df = theirs_df.loc[ours_df.index]
    diff = float((ours_df.astype(float) - theirs_df).abs().to_numpy().max())
    return {
        "task": f"summary, {len(lines):,} lines ({len(ours_df):,} customers)",
        "ours_s": ours_s,
        "lifetimes_s": theirs_s,
        "check": f"max abs. summary diff {diff:.1e}",
        "ok": diff < 1e-9 and theirs_s >= 3 * ours_s,
    }


def main() -> None:
    try:
        import lifetimes
        import lifetimes.utils
    except ImportError as exc:  # the reference is an optional (course) dependency
        raise SystemExit(f"this benchmark needs lifetimes==0.11.3: {exc}") from exc

    with warnings.catch_warnings():
        # lifetimes 0.11.3 emits pandas deprecation warnings that would drown the table.
        warnings.simplefilter("ignore")
        rows = [bench_fit(lifetimes), bench_summary(lifetimes.utils)]

    print(f"{'task':<48} {'ours (s)':>9} {'lifetimes (s)':>14} {'ratio':>7}  check")
    for row in rows:
        ratio = row["lifetimes_s"] / row["ours_s"]
        status = "OK" if row["ok"] else "MISSED TARGET"
        print(
            f"{row['task']:<48} {row['ours_s']:>9.3f} {row['lifetimes_s']:>14.3f} "
            f"{ratio:>6.1f}x  {row['check']} [{status}]"
        )
    print("ratio = lifetimes time / our time; best of 3 runs each")


if __name__ == "__main__":
    main()
