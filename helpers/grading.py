"""Grade methods against the simulator's answer key (never used to fit anything).

Notebooks call these after a method has run, to show how close it came to the truth.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

#: The audit reason that cleaning should give each kind of injected problem.
EXPECTED_REASON: dict[str, str] = {
    "clean": "kept",
    "bulk_quantity": "kept",
    "duplicate": "duplicate",
    "cancellation": "cancellation",
    "returned": "returned",
    "guest": "missing_customer_id",
    "price_x100": "price_corrected",
    "price_zero": "zero_price",
    "test_account": "test_account",
}


def grade_cleaning(audit: pd.DataFrame, line_truth: pd.Series) -> pd.DataFrame:
    """Injected problems versus what the cleaning audit found, kind by kind.

    Parameters
    ----------
    audit : DataFrame
        ``CleaningResult.audit`` of the raw export (``row`` = raw position).
    line_truth : Series
        ``Retailer.line_truth``: the injected problem of each raw row.

    Returns
    -------
    DataFrame
        Per kind of injected problem: ``injected`` rows, the ``expected_reason``, ``found``
        (rows of that kind given the expected reason), ``other_rows_with_reason`` (rows of
        other kinds given that reason: false alarms) and ``outliers_flagged``.

    Examples
    --------
    >>> audit = pd.DataFrame({"row": [0, 1, 2], "outlier": [False, False, False],
    ...                       "reason": ["kept", "duplicate", "duplicate"]})
    >>> truth = pd.Series(["clean", "duplicate", "clean"])  # row 2 was not a duplicate
    >>> grade_cleaning(audit, truth).loc["duplicate", ["rows", "found",
    ...                                                "other_rows_with_reason"]].tolist()
    [1, 1, 1]
    """
    if len(audit) != len(line_truth):
        raise ValueError(
            f"audit has {len(audit)} rows but the answer key has {len(line_truth)}: "
            "grade the audit of the unmodified raw export"
        )
    truth = line_truth.reset_index(drop=True).reindex(audit["row"].to_numpy()).to_numpy()
    reason = audit["reason"].astype(str).to_numpy()
    expected_for_row = pd.Series(truth).map(EXPECTED_REASON).to_numpy()
    rows = []
    for kind, expected in EXPECTED_REASON.items():
        is_kind = truth == kind
        same_reason_other_kind = (reason == expected) & (expected_for_row != expected)
        rows.append(
            {
                "injected": kind,
                "rows": int(is_kind.sum()),
                "expected_reason": expected,
                "found": int((is_kind & (reason == expected)).sum()),
                "other_rows_with_reason": int(same_reason_other_kind.sum()),
                "outliers_flagged": int((is_kind & audit["outlier"].to_numpy()).sum()),
            }
        )
    return pd.DataFrame(rows).set_index("injected")


def true_campaign_profit(
    key: pd.DataFrame,
    alive: pd.Series,
    type_uplift: Mapping[str, float],
    *,
    margin: float,
    cost: float,
    voucher: float,
    window_days: int,
) -> pd.Series:
    """The true incremental profit of e-mailing each customer, from the answer key.

    The same formula as the analyst's expected profit, with the true values: a customer alive
    on the decision date gains their true type's ``campaign_uplift`` in orders,
    :math:`\\tau_i`; they would have bought anyway with probability
    :math:`a_i = 1 - e^{-\\lambda_i w}` (purchase rate :math:`\\lambda_i` per day, window
    :math:`w` days), so they use the voucher with probability
    :math:`p_i = 1 - (1 - \\tau_i)(1 - a_i)`; a customer already gone gains and uses nothing:

    .. math:: \\text{profit}_i = \\tau_i v_i m - \\text{voucher} \\times v_i p_i - c

    Parameters
    ----------
    key : DataFrame
        The answer key indexed by customer: ``true_type``, ``purchase_rate_per_day`` and
        ``expected_order_value``.
    alive : Series
        True (or 1) if the customer is alive on the decision date, by customer.
    type_uplift : mapping
        True extra orders the e-mail causes per customer type.
    margin, cost, voucher : float
        As in :func:`helpers.targeting.expected_incremental_profit`.
    window_days : int
        Days the voucher and the effect last.

    Returns
    -------
    Series
        True incremental profit by customer (the index of ``key``).

    Examples
    --------
    >>> key = pd.DataFrame({"true_type": ["A", "A"], "purchase_rate_per_day": [0.0, 0.0],
    ...                     "expected_order_value": [100.0, 100.0]}, index=[1, 2])
    >>> true_campaign_profit(key, pd.Series([True, False], index=[1, 2]), {"A": 0.2},
    ...                      margin=0.3, cost=1.0, voucher=0.05, window_days=30).tolist()
    [4.0, -1.0]
    """
    needed = ["true_type", "purchase_rate_per_day", "expected_order_value"]
    missing = [c for c in needed if c not in key.columns]
    if missing:
        raise ValueError(f"key has no column {', '.join(map(repr, missing))}")
    unknown = set(key["true_type"]) - set(type_uplift.keys())
    if unknown:
        raise ValueError(f"column 'true_type' of key has types with no uplift: {sorted(unknown)}")
    is_alive = alive.reindex(key.index).fillna(False).astype(float)
    extra = is_alive * key["true_type"].map(dict(type_uplift.items())).astype(float)
    buys_anyway = 1 - np.exp(-key["purchase_rate_per_day"] * window_days)
    p_buy = is_alive * (1 - (1 - extra) * (1 - buys_anyway))
    value = key["expected_order_value"]
    return extra * value * margin - voucher * value * p_buy - cost
