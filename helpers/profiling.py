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
    """One row per column: type, filled count, missing (%), distinct values, examples.

    The headers are plain English, for a table a marketer reads: ``type``, ``filled``
    (non-missing values), ``missing (%)``, ``distinct values``, ``examples`` and, with
    ``descriptions``, ``meaning`` first.

    Parameters
    ----------
    df : DataFrame
        The table to profile.
    descriptions : mapping, optional
        Column -> meaning; adds a ``meaning`` column (a data dictionary).
    hide_values : iterable of str
        Columns whose examples are masked (personal data).
    n_examples : int
        Number of distinct example values shown.

    Examples
    --------
    >>> table = profile_table(pd.DataFrame({"a": [1, 1, None]}))
    >>> table.columns.tolist()
    ['type', 'filled', 'missing (%)', 'distinct values', 'examples']
    >>> int(table.loc["a", "filled"]), float(table.loc["a", "missing (%)"])
    (2, 33.3)
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
                "type": str(values.dtype),
                "filled": int(values.notna().sum()),
                "missing (%)": round(100 * float(values.isna().mean()), 1),
                "distinct values": int(values.nunique()),
                "examples": examples,
            }
        )
    table = pd.DataFrame(rows).set_index("column")
    if descriptions is not None:
        table.insert(0, "meaning", [descriptions.get(c, "") for c in table.index])
    return table
