"""Grade methods against the simulator's answer key (never used to fit anything).

Notebooks call these after a method has run, to show how close it came to the truth.
"""

from __future__ import annotations

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
