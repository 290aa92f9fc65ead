"""Profile a table column by column: type, gaps, distinct values, examples.

The first thing to do with any new source. Personal-data columns are profiled without
showing their values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from .constants import PII_COLUMNS
from .validation import require_frame

MASK = "<personal data: not shown>"


def profile_table(
    df: pd.DataFrame,
    *,
    descriptions: Mapping[str, str] | None = None,
    hide_values: Iterable[str] = PII_COLUMNS,
    n_examples: int = 3,
) -> pd.DataFrame:
    """One row per column: dtype, non-missing count, missing share, distinct values, examples.

    Parameters
    ----------
    df : DataFrame
        The table to profile.
    descriptions : mapping, optional
        Column -> meaning; adds a ``description`` column (a data dictionary).
    hide_values : iterable of str
        Columns whose examples are masked (personal data).
    n_examples : int
        Number of distinct example values shown.

    Examples
    --------
    >>> profile_table(pd.DataFrame({"a": [1, 1, None]}))["distinct"].tolist()
    [1]
    """
    require_frame(df, name="table")
    hidden = set(hide_values)
    rows = []
    for column in df.columns:
        values = df[column]
        if column in hidden:
            examples = MASK
        else:
            distinct = values.dropna().astype(str).unique()[:n_examples]
            examples = ", ".join(v if len(v) <= 30 else v[:27] + "..." for v in distinct)
        rows.append(
            {
                "column": column,
                "dtype": str(values.dtype),
                "non_missing": int(values.notna().sum()),
                "missing_share": round(float(values.isna().mean()), 3),
                "distinct": int(values.nunique()),
                "examples": examples,
            }
        )
    table = pd.DataFrame(rows).set_index("column")
    if descriptions is not None:
        table.insert(0, "description", [descriptions.get(c, "") for c in table.index])
    return table
