"""Turn customer scores into a campaign: whom to contact under a budget, by which rule.

Targeting by **expected incremental profit** contacts a customer when the margin the contact
is expected to *add* exceeds its cost:

.. math:: \\text{profit}_i = \\hat\\tau_i \\times v_i \\times m - c

with :math:`\\hat\\tau_i` the predicted uplift in purchase probability, :math:`v_i` the value
of the purchase it would cause, :math:`m` the margin and :math:`c` the cost of the contact.
Automation rules are data (a table of trigger, condition, action, channel) so that marketers
can read and change them without touching code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .validation import require_columns, require_frame

RULE_COLUMNS: tuple[str, ...] = ("rule", "trigger", "condition", "action", "channel", "offer")


def expected_incremental_profit(
    uplift: ArrayLike, value: ArrayLike, *, margin: float, cost: float
) -> np.ndarray:
    """Expected profit of contacting each customer: uplift x value x margin - cost.

    >>> expected_incremental_profit([0.1, 0.0], [100.0, 100.0], margin=0.3, cost=1.0).tolist()
    [2.0, -1.0]
    """
    if not 0 < margin <= 1:
        raise ValueError(f"margin must be a share in (0, 1], got {margin}")
    if cost < 0:
        raise ValueError(f"cost must be non-negative, got {cost}")
    u = np.asarray(uplift, dtype=float)
    v = np.asarray(value, dtype=float)
    if u.shape != v.shape:
        raise ValueError("uplift and value must have the same length")
    if np.isnan(u).any() or np.isnan(v).any():
        raise ValueError("uplift or value has missing values")
    return u * v * margin - cost


def select_under_budget(scores: ArrayLike, *, cost: float, budget: float,
                        only_positive: bool = False) -> np.ndarray:
    """Boolean mask of the customers to contact: highest scores first, until the budget ends.

    Parameters
    ----------
    scores : array
        What to rank by (higher = contact first).
    cost : float
        Cost per contact (same for everyone).
    budget : float
        Money available; at most ``floor(budget / cost)`` customers are contacted.
    only_positive : bool
        Contact nobody whose score is zero or below (use when scores are expected profits).

    >>> select_under_budget([3.0, -1.0, 5.0], cost=1.0, budget=2.0).tolist()
    [True, False, True]
    """
    if cost <= 0:
        raise ValueError(f"cost must be positive, got {cost}")
    if budget < 0:
        raise ValueError(f"budget must be non-negative, got {budget}")
    s = np.asarray(scores, dtype=float)
    if np.isnan(s).any():
        raise ValueError("scores have missing values")
    n = min(int(budget // cost), len(s))
    order = np.argsort(-s, kind="stable")[:n]
    chosen = np.zeros(len(s), dtype=bool)
    chosen[order] = True
    if only_positive:
        chosen &= s > 0
    return chosen


def assign_holdout(selected: ArrayLike, *, share: float, random_state: int) -> np.ndarray:
    """Pick a random ``share`` of the selected customers to hold out (not contacted).

    A holdout inside every campaign measures its effect and feeds the next uplift model.

    >>> assign_holdout([True, True, False, True], share=0.34, random_state=0).sum()
    np.int64(1)
    """
    if not 0 < share < 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    chosen = np.flatnonzero(np.asarray(selected, dtype=bool))
    n_hold = int(round(share * len(chosen)))
    rng = np.random.default_rng(random_state)
    holdout = np.zeros(len(np.asarray(selected)), dtype=bool)
    holdout[rng.choice(chosen, size=n_hold, replace=False)] = True
    return holdout


def compare_strategies(
    table: pd.DataFrame,
    strategies: Mapping[str, str | None],
    *,
    cost: float,
    budget: float,
    profit_col: str,
    true_profit_col: str | None = None,
    only_positive: Sequence[str] = (),
) -> pd.DataFrame:
    """Contact under the same budget with different rankings and compare the result.

    Parameters
    ----------
    table : DataFrame
        One row per customer.
    strategies : mapping
        Strategy name -> column to rank by; ``None`` contacts everyone the budget allows,
        in table order (the "no targeting" baseline).
    cost, budget : float
        Cost per contact and total budget.
    profit_col : str
        Expected incremental profit of contacting each customer (the model's view).
    true_profit_col : str, optional
        The true incremental profit (answer key) to grade each strategy.
    only_positive : sequence of str
        Strategies that contact nobody whose score is zero or below (rankings by expected
        profit: a contact expected to lose money is not made even if the budget allows).

    Returns
    -------
    DataFrame
        Per strategy: ``contacted``, ``spend``, ``expected_profit`` and, if given,
        ``true_profit``.
    """
    require_frame(table, name="table")
    needed = [profit_col] + [c for c in strategies.values() if c] + (
        [true_profit_col] if true_profit_col else [])
    require_columns(table, needed, name="table")
    rows = []
    for name, column in strategies.items():
        if column is None:
            chosen = np.zeros(len(table), dtype=bool)
            chosen[: min(int(budget // cost), len(table))] = True
        else:
            chosen = select_under_budget(table[column].to_numpy(), cost=cost, budget=budget,
                                         only_positive=name in only_positive)
        row = {
            "strategy": name,
            "contacted": int(chosen.sum()),
            "spend": float(chosen.sum() * cost),
            "expected_profit": float(table.loc[chosen, profit_col].sum()),
        }
        if true_profit_col:
            row["true_profit"] = float(table.loc[chosen, true_profit_col].sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index("strategy")


def apply_rules(table: pd.DataFrame, rules: pd.DataFrame) -> pd.DataFrame:
    """Give each customer the first automation rule whose condition they meet.

    Parameters
    ----------
    table : DataFrame
        One row per customer, with the columns the conditions use.
    rules : DataFrame
        Columns ``rule``, ``trigger``, ``condition`` (a pandas query over ``table``, e.g.
        ``"p_alive < 0.5 and clv_12m > 500"``), ``action``, ``channel``, ``offer``, in
        priority order.

    Returns
    -------
    DataFrame
        ``table`` with ``rule``, ``trigger``, ``action``, ``channel`` and ``offer`` added;
        customers no rule matches get ``rule = "none"`` and ``action = "no action"``.

    Examples
    --------
    >>> rules = pd.DataFrame([{"rule": "R1", "trigger": "weekly", "condition": "x > 1",
    ...     "action": "call", "channel": "phone", "offer": "none"}])
    >>> apply_rules(pd.DataFrame({"x": [0, 2]}), rules)["action"].tolist()
    ['no action', 'call']
    """
    require_frame(table, name="table")
    require_frame(rules, name="rules")
    require_columns(rules, RULE_COLUMNS, name="rules")
    if rules["rule"].duplicated().any():
        raise ValueError("column 'rule' of rules has duplicate names")
    out = table.copy()
    assigned = pd.Series(False, index=table.index)
    for column in RULE_COLUMNS:
        if column != "condition":
            out[column] = "none" if column != "action" else "no action"
    for rule in rules.itertuples(index=False):
        try:
            matches = table.eval(rule.condition)
        except Exception as error:  # pandas raises many kinds; the analyst needs the rule name
            raise ValueError(f"condition of rule '{rule.rule}' cannot be evaluated: {error}"
                             ) from error
        if not pd.api.types.is_bool_dtype(matches):
            raise ValueError(f"condition of rule '{rule.rule}' is not a true/false test")
        new = matches.fillna(False).astype(bool) & ~assigned
        for column in RULE_COLUMNS:
            if column != "condition":
                out.loc[new, column] = getattr(rule, column)
        assigned |= new
    return out


def audience_export(
    table: pd.DataFrame,
    path: str | Path,
    *,
    id_col: str,
    columns: Sequence[str],
    only: pd.Series | None = None,
) -> pd.DataFrame:
    """Write the audience CSV a marketing tool imports: one row per contacted customer.

    Parameters
    ----------
    table : DataFrame
        The next-best-action table.
    path : str or Path
        Where to write (UTF-8, comma-separated, header row, ``\\n`` line ends).
    id_col : str
        The pseudonymous id the tool matches on.
    columns : sequence of str
        Further columns to export (segment, channel, offer, expected value...).
    only : boolean Series, optional
        Which rows to export (default: all).

    Returns
    -------
    DataFrame
        What was written.
    """
    require_frame(table, name="table")
    require_columns(table, [id_col, *columns], name="table")
    rows = table if only is None else table.loc[only]
    if rows[id_col].isna().any() or rows[id_col].duplicated().any():
        raise ValueError(f"column '{id_col}' must be unique and complete in an audience export")
    export = rows[[id_col, *columns]].reset_index(drop=True)
    export.to_csv(path, index=False, lineterminator="\n")
    return export
