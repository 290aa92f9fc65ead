"""Customer personas for the simulated retailer's K-Means segments.

Notebook 04 finds the segments and names them; the capstone (notebook 09) needs the same
names. Both use this module, so a persona means the same thing everywhere. The names are
attached by rules on the segment profile (which segment buys most electronics, most
groceries...), not by segment number, because K-Means numbers are arbitrary.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .constants import CATEGORIES
from .features import category_column
from .validation import require_columns, require_frame, require_paired_arrays

#: Features (and their transform) that segment the simulator's customers in notebook 04.
#: ``prepare_features`` then standardises every column, the six square-rooted shares too: each
#: category weighs the same in the distance (so the distance is not the Hellinger distance
#: between two baskets, which would weigh categories by how much their shares vary).
SEGMENT_FEATURES: dict[str, str] = {
    **dict.fromkeys((category_column(c) for c in CATEGORIES), "sqrt"),
    "frequency": "log",
    "avg_order_value": "log",
    "online_share": "none",
}

#: Persona -> (the profile column it has the most of, marketing action). The last persona has
#: no defining column: it takes the segment left over.
PERSONAS: dict[str, tuple[str | None, str]] = {
    "Premium tech loyalists": (
        category_column("Electronics"),
        "Early access to new electronics and premium bundles; no discounts needed.",
    ),
    "Store-first household regulars": (
        category_column("Grocery"),
        "In-store loyalty coupons on groceries and home; invite them to click-and-collect.",
    ),
    "Mobile fashion fans": (
        category_column("Fashion"),
        "New-arrival drops on social media and the app; style recommendations.",
    ),
    "Occasional gift buyers": (
        category_column("Toys & Games"),
        "Gift guides and reminders before Christmas and birthdays; gift wrapping.",
    ),
    "Small-basket occasionals": (
        None,
        "Low-cost e-mail only; a free-delivery threshold to lift the basket.",
    ),
}


#: Persona -> the simulator's true customer type it was written for. The answer key: it grades
#: a segmentation (:func:`persona_grades`), it never names one.
PERSONA_TYPES: dict[str, str] = {
    "Premium tech loyalists": "Loyal big spenders",
    "Store-first household regulars": "Bargain regulars",
    "Mobile fashion fans": "Young trend-seekers",
    "Occasional gift buyers": "Gift buyers",
    "Small-basket occasionals": "One-off bargain hunters",
}


def name_segments(
    profile: pd.DataFrame, personas: Mapping[str, tuple[str | None, str]] = PERSONAS
) -> pd.Series:
    """Give each segment of a profile its persona name.

    Parameters
    ----------
    profile : DataFrame
        One row per segment (index = segment label) with the mean of each defining column,
        e.g. from :func:`helpers.segmentation.cluster_profile`.
    personas : mapping
        Persona -> (defining column or ``None``, action), in priority order. A persona with a
        column takes the segment with the highest mean of that column; one persona without
        a column may take the single segment left.

    Returns
    -------
    Series
        Persona name per segment.

    Raises
    ------
    ValueError
        If two personas claim the same segment, or segments and personas do not match up:
        then the segments are not the ones the names were written for.

    Examples
    --------
    >>> p = pd.DataFrame({"a": [0.9, 0.1], "b": [0.2, 0.8]}, index=[1, 2])
    >>> name_segments(p, {"A lovers": ("a", ""), "B lovers": ("b", "")}).tolist()
    ['A lovers', 'B lovers']
    """
    require_frame(profile, name="profile")
    columns = [col for col, _ in personas.values() if col is not None]
    require_columns(profile, columns, name="profile")
    names: dict[object, str] = {}
    leftover_persona = None
    for persona, (column, _) in personas.items():
        if column is None:
            leftover_persona = persona
            continue
        segment = profile[column].idxmax()
        if segment in names:
            raise ValueError(
                f"segment {segment} has the most '{column}' and also defines "
                f"'{names[segment]}': the segments do not match the personas"
            )
        names[segment] = persona
    rest = [s for s in profile.index if s not in names]
    if leftover_persona is not None and len(rest) == 1:
        names[rest[0]] = leftover_persona
    elif rest:
        raise ValueError(f"segments {rest} match no persona: the segments do not match")
    return pd.Series(names, name="persona").reindex(profile.index)


def persona_actions(personas: Mapping[str, tuple[str | None, str]] = PERSONAS) -> pd.Series:
    """The marketing action of each persona.

    Examples
    --------
    >>> persona_actions({"A lovers": ("a", "Send A."), "Others": (None, "E-mail only.")}
    ...                 ).to_dict()
    {'A lovers': 'Send A.', 'Others': 'E-mail only.'}
    """
    return pd.Series({name: action for name, (_, action) in personas.items()}, name="action")


def persona_grades(
    persona: Sequence[str] | pd.Series | np.ndarray,
    true_type: Sequence[str] | pd.Series | np.ndarray,
    written_for: Mapping[str, str] = PERSONA_TYPES,
) -> pd.DataFrame:
    """Grade named segments against the answer key: purity and recall of each persona.

    Parameters
    ----------
    persona : array-like of str
        Persona of each customer (the name of their segment).
    true_type : array-like of str
        True type of each customer (the simulator's answer key), same length.
    written_for : mapping
        Persona -> the true type it was written for.

    Returns
    -------
    DataFrame
        One row per persona present, in the order of ``written_for``: ``customers``,
        ``written_for``, ``purity`` (share of the persona's customers who are of that type)
        and ``recall`` (share of that type's customers who got this persona).

    Raises
    ------
    ValueError
        If the lengths differ, a value is missing or a persona is not in ``written_for``.

    Examples
    --------
    >>> grades = persona_grades(["A", "A", "B", "B"], ["a", "b", "b", "b"],
    ...                         {"A": "a", "B": "b"})
    >>> grades[["purity", "recall"]].values.tolist()
    [[0.5, 1.0], [1.0, 0.6666666666666666]]
    """
    persona, true_type = require_paired_arrays(persona, true_type, ("persona", "true_type"),
                                        first_dtype=object, value_dtype=object)
    unknown = sorted(set(persona) - set(written_for))
    if unknown:
        raise ValueError(f"persona {unknown[0]!r} is not in written_for: no true type to grade")
    rows = []
    for name, target in written_for.items():
        members = persona == name
        if not members.any():
            continue
        of_type = true_type == target
        rows.append(
            {
                "persona": name,
                "customers": int(members.sum()),
                "written_for": target,
                "purity": float((members & of_type).sum() / members.sum()),
                "recall": float((members & of_type).sum() / of_type.sum())
                if of_type.any()
                else np.nan,
            }
        )
    return pd.DataFrame(rows).set_index("persona")


#: Marketing action per (activity, habit) for segments named by :func:`activity_personas`.
ACTIVITY_ACTIONS: dict[tuple[str, str], str] = {
    ("recent", "repeat"): "Reward and retain: loyalty programme, first look at new products.",
    ("recent", "one-off"): "Second-purchase offer within weeks of the first order.",
    ("lapsed", "repeat"): ("Most have left: one cheap automated win-back message; test an "
                           "offer on a random half before paying for more."),
    ("lapsed", "one-off"): "Low-cost reactivation e-mail at most.",
}


def activity_personas(
    recency_days: Sequence[float] | pd.Series | np.ndarray,
    frequency: Sequence[float] | pd.Series | np.ndarray,
    segment: Sequence[int] | pd.Series | np.ndarray,
    *,
    lapsed_after_days: float = 180,
    one_off_above: float = 0.5,
) -> pd.DataFrame:
    """Name segments of recency-frequency-spend data by what most of their members do.

    A segment is "lapsed" only when its median customer has not ordered for more than
    ``lapsed_after_days`` (otherwise "recent"), and "one-off" only when more than
    ``one_off_above`` of its customers have a single order (otherwise "repeat"). Segments
    that would share a name get their segment label appended.

    Returns
    -------
    DataFrame
        One row per segment (sorted): ``median days since last order``, ``one-order share``,
        ``persona`` and ``marketing action`` (from :data:`ACTIVITY_ACTIONS`).

    Examples
    --------
    >>> t = activity_personas([10, 20, 400, 300], [5, 1, 1, 1], [1, 1, 2, 2])
    >>> t["persona"].tolist()
    ['Recent repeat buyers', 'Lapsed one-off buyers']
    >>> activity_personas([10, 20], [1, 1], [1, 2])["persona"].tolist()
    ['Recent one-off buyers (1)', 'Recent one-off buyers (2)']
    """
    recency, freq = require_paired_arrays(recency_days, frequency, ("recency_days", "frequency"),
                                          first_dtype=float, value_dtype=float)
    seg, _ = require_paired_arrays(segment, recency, ("segment", "recency_days"))
    frame = pd.DataFrame({"recency": recency, "one_order": freq <= 1, "segment": seg})
    by = frame.groupby("segment")
    table = pd.DataFrame({"median days since last order": by["recency"].median(),
                          "one-order share": by["one_order"].mean()})
    keys = [("lapsed" if r > lapsed_after_days else "recent",
             "one-off" if share > one_off_above else "repeat")
            for r, share in zip(table["median days since last order"],
                                table["one-order share"], strict=True)]
    names = pd.Series([f"{a.capitalize()} {h} buyers" for a, h in keys], index=table.index)
    twice = names.duplicated(keep=False)
    names[twice] = [f"{n} ({s})" for n, s in zip(names[twice], names.index[twice], strict=True)]
    table["persona"] = names
    table["marketing action"] = [ACTIVITY_ACTIONS[k] for k in keys]
    return table.rename_axis("segment")
