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

from .constants import CONFIDENCE_LEVEL, CUSTOMER_ID, INVOICE_DATE, REVENUE
from .validation import require_columns, require_confidence_level, require_frame

RULE_COLUMNS: tuple[str, ...] = ("rule", "trigger", "condition", "action", "channel", "offer")


def expected_incremental_profit(
    uplift: ArrayLike,
    value: ArrayLike,
    *,
    margin: float,
    cost: float,
    voucher: float = 0.0,
    p_buy: ArrayLike | None = None,
) -> np.ndarray:
    """Expected profit of contacting each customer: uplift x value x margin - cost.

    With a ``voucher`` (a share of the order value, paid on the one order it is used for,
    whether the contact caused that order or not) the discount given,
    ``voucher x value x p_buy``, is subtracted too, ``p_buy`` being the chance that the
    customer orders at least once if contacted (and so uses the voucher).

    Arrays broadcast as in NumPy: with ``uplift`` of shape (customers, estimates) and
    ``value`` of shape (customers, 1), each column is the profit under one estimate.

    Examples
    --------
    >>> expected_incremental_profit([0.1, 0.0], [100.0, 100.0], margin=0.3, cost=1.0).tolist()
    [2.0, -1.0]
    >>> expected_incremental_profit([0.1], [100.0], margin=0.3, cost=1.0, voucher=0.05,
    ...                             p_buy=[0.4]).tolist()  # 3 - 0.05 x 100 x 0.4 - 1
    [0.0]
    """
    if not 0 < margin <= 1:
        raise ValueError(f"margin must be a share in (0, 1], got {margin}")
    if cost < 0:
        raise ValueError(f"cost must be non-negative, got {cost}")
    if not 0 <= voucher < 1:
        raise ValueError(f"voucher must be a share in [0, 1), got {voucher}")
    if voucher > 0 and p_buy is None:
        raise ValueError("a voucher needs p_buy, the chance that each customer orders")
    u = np.asarray(uplift, dtype=float)
    v = np.asarray(value, dtype=float)
    p = np.zeros(1) if p_buy is None else np.asarray(p_buy, dtype=float)
    try:
        np.broadcast_shapes(u.shape, v.shape, p.shape)
    except ValueError:
        raise ValueError(f"uplift {u.shape}, value {v.shape} and p_buy {p.shape} must have the "
                         "same length (or broadcast)") from None
    if np.isnan(u).any() or np.isnan(v).any() or np.isnan(p).any():
        raise ValueError("uplift, value or p_buy has missing values")
    return u * v * margin - voucher * v * p - cost


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


def holdout_sizes(n_selected: int, shares: Sequence[float], *, n_per_group: int
                  ) -> pd.DataFrame:
    """How far a holdout of each share of the selected customers goes towards a readable test.

    A test needs ``n_per_group`` customers in each of two equal groups (e.g. from
    :func:`helpers.campaigns.sample_size_per_group`). With ``n_e`` e-mailed and ``n_h`` held
    out, the difference of two rates has the standard error of two equal groups of

    .. math:: n_{\\text{eff}} = \\frac{2\\, n_e\\, n_h}{n_e + n_h}

    customers each (the harmonic mean; it equals ``n_e`` when the groups are equal). Pooling
    ``k`` campaigns of the same kind multiplies it by ``k``.

    Parameters
    ----------
    n_selected : int
        Customers chosen for the campaign (the holdout is drawn from them).
    shares : sequence of float
        Holdout shares to compare, each strictly between 0 and 1.
    n_per_group : int
        Customers per group the test needs.

    Returns
    -------
    DataFrame
        Per share: ``e_mailed``, ``held_out`` (rounded as :func:`assign_holdout` does),
        ``effective_per_group`` and ``campaigns_to_pool`` (how many such campaigns must be
        pooled to reach ``n_per_group``).

    Examples
    --------
    >>> holdout_sizes(1_000, [0.1, 0.5], n_per_group=1_500)  # doctest: +NORMALIZE_WHITESPACE
                   e_mailed  held_out  effective_per_group  campaigns_to_pool
    holdout_share
    0.1                 900       100                180.0                  9
    0.5                 500       500                500.0                  3
    """
    if int(n_selected) != n_selected or n_selected < 2:
        raise ValueError(f"n_selected must be a whole number of at least 2, got {n_selected!r}")
    if int(n_per_group) != n_per_group or n_per_group < 1:
        raise ValueError(f"n_per_group must be a positive whole number, got {n_per_group!r}")
    rows = {}
    for share in shares:
        if not 0 < share < 1:
            raise ValueError(f"every share must be between 0 and 1, got {share}")
        held = int(round(share * n_selected))
        mailed = int(n_selected) - held
        if held == 0 or mailed == 0:
            raise ValueError(f"a share of {share} of {n_selected} leaves a group empty")
        effective = 2 * mailed * held / (mailed + held)
        rows[share] = {"e_mailed": mailed, "held_out": held,
                       "effective_per_group": round(effective, 1),
                       "campaigns_to_pool": int(np.ceil(n_per_group / effective))}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("holdout_share")


def compare_strategies(
    table: pd.DataFrame,
    strategies: Mapping[str, str | None],
    *,
    cost: float,
    budget: float,
    profit_col: str,
    true_profit_col: str | None = None,
    only_positive: Sequence[str] = (),
    profit_draws: ArrayLike | None = None,
    confidence_level: float = CONFIDENCE_LEVEL,
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
    profit_draws : 2-D array or DataFrame, optional
        The expected profit of each customer (rows, in table order) recomputed under each of
        several plausible estimates (columns), e.g. models refitted on bootstrap samples.
        Gives each strategy's ``expected_low`` and ``expected_high``: the
        ``(1 -/+ confidence_level) / 2`` quantiles of its total over the draws. The customers
        chosen stay those chosen by the table's columns.
    confidence_level : float, default ``constants.CONFIDENCE_LEVEL``
        Coverage of that interval.

    Returns
    -------
    DataFrame
        Per strategy: ``contacted``, ``spend``, ``expected_profit``, and, if asked,
        ``expected_low``, ``expected_high`` and ``true_profit``.

    Examples
    --------
    >>> table = pd.DataFrame({"profit": [3.0, -1.0, 2.0], "clv": [10.0, 50.0, 20.0]})
    >>> draws = [[2.0, 4.0], [-1.0, -1.0], [1.0, 3.0]]  # two plausible estimates
    >>> out = compare_strategies(table, {"by profit": "profit", "by CLV": "clv"}, cost=1.0,
    ...                          budget=2.0, profit_col="profit", profit_draws=draws,
    ...                          confidence_level=0.5)
    >>> out[["expected_profit", "expected_low", "expected_high"]]  # doctest: +NORMALIZE_WHITESPACE
               expected_profit  expected_low  expected_high
    strategy
    by profit              5.0           4.0            6.0
    by CLV                 1.0           0.5            1.5
    """
    require_frame(table, name="table")
    needed = [profit_col] + [c for c in strategies.values() if c] + (
        [true_profit_col] if true_profit_col else [])
    require_columns(table, needed, name="table")
    draws = None
    if profit_draws is not None:
        draws = np.asarray(profit_draws, dtype=float)
        if draws.ndim != 2 or draws.shape[0] != len(table) or draws.shape[1] == 0:
            raise ValueError(f"profit_draws must have one row per customer ({len(table)}) and "
                             f"at least one column, got shape {draws.shape}")
        if np.isnan(draws).any():
            raise ValueError("profit_draws has missing values")
    tail = (1 - require_confidence_level(confidence_level)) / 2 * 100
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
        if draws is not None:
            totals = draws[chosen].sum(axis=0)
            row["expected_low"], row["expected_high"] = (
                float(v) for v in np.percentile(totals, [tail, 100 - tail]))
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

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "audience.csv"
    >>> table = pd.DataFrame({"token": ["a1", "b2"], "offer": ["10%", "none"]})
    >>> audience_export(table, path, id_col="token", columns=["offer"],
    ...                 only=table["offer"] != "none")
      token offer
    0    a1   10%
    >>> path.read_text().splitlines()
    ['token,offer', 'a1,10%']
    """
    require_frame(table, name="table")
    require_columns(table, [id_col, *columns], name="table")
    rows = table if only is None else table.loc[only]
    if rows[id_col].isna().any() or rows[id_col].duplicated().any():
        raise ValueError(f"column '{id_col}' must be unique and complete in an audience export")
    export = rows[[id_col, *columns]].reset_index(drop=True)
    export.to_csv(path, index=False, lineterminator="\n")
    return export


def value_as_of(
    invoices: pd.DataFrame,
    date: str | pd.Timestamp,
    *,
    margin: float,
    annual_discount_rate: float,
    single_order_alive: pd.Series | None = None,
    horizon_months: int = 12,
    customer_col: str = CUSTOMER_ID,
    date_col: str = INVOICE_DATE,
    amount_col: str = REVENUE,
) -> pd.DataFrame:
    """P(alive), expected order value and CLV of each customer, from the invoices before ``date``.

    BG/NBD (purchases) and Gamma-Gamma (spend per order, fitted on repeat buyers) are fitted
    on the invoices dated before ``date`` only, so the result is what a model run on that day
    would have seen. The CLV is Gamma-Gamma's discounted margin over ``horizon_months``.

    BG/NBD lets a customer drop out only after a *repeat* purchase, so it gives every
    single-order customer P(alive) = 1; ``single_order_alive`` (e.g. 1 - churn probability
    at ``date``) replaces it for them.

    Parameters
    ----------
    invoices : DataFrame
        One row per invoice: customer, date and value.
    date : date-like
        The decision date; invoices on or after it are ignored.
    margin : float
        Share of revenue kept, for the CLV.
    annual_discount_rate : float
        Yearly discount rate, turned into the monthly one CLV uses.
    single_order_alive : Series, optional
        P(alive) by customer for those with a single order (index: customer id).
    horizon_months : int, default 12
        CLV horizon.
    customer_col, date_col, amount_col : str
        Columns of ``invoices``.

    Returns
    -------
    DataFrame
        Index customer id; ``p_alive``, ``one_order`` (True for single-order customers),
        ``order_value`` and ``clv_12m`` (the CLV over ``horizon_months``).

    Examples
    --------
    >>> from helpers.cdnow import load_cdnow
    >>> cdnow = load_cdnow("sample")
    >>> value = value_as_of(cdnow, "1997-10-01", margin=0.3, annual_discount_rate=0.1,
    ...                     customer_col="customer_id", date_col="date", amount_col="amount")
    >>> list(value.columns), bool(value["p_alive"].between(0, 1).all())
    (['p_alive', 'one_order', 'order_value', 'clv_12m'], True)
    """
    from .clv import BetaGeoModel, GammaGammaModel, summary_from_transactions

    require_frame(invoices, name="invoices")
    require_columns(invoices, [customer_col, date_col, amount_col], name="invoices")
    date = pd.Timestamp(date)
    before = invoices[invoices[date_col] < date]
    if before.empty:
        raise ValueError(f"column '{date_col}' of invoices has no date before {date.date()}")
    summary = summary_from_transactions(
        before, customer_col=customer_col, date_col=date_col, amount_col=amount_col,
        observation_end=date - pd.Timedelta(days=1))
    history = summary["frequency"], summary["recency"], summary["T"]
    bg = BetaGeoModel().fit(*history)
    repeaters = summary["frequency"] > 0
    gg = GammaGammaModel().fit(summary.loc[repeaters, "frequency"],
                               summary.loc[repeaters, "monetary_value"])
    one_order = summary["frequency"] == 0  # no repeat purchase: BG/NBD says alive for sure
    p_alive = pd.Series(np.asarray(bg.probability_alive(*history), dtype=float),
                        index=summary.index)
    if single_order_alive is not None:
        p_alive[one_order] = single_order_alive.reindex(summary.index)[one_order]
    monthly = (1 + annual_discount_rate) ** (1 / 12) - 1
    return pd.DataFrame({
        "p_alive": p_alive,
        "one_order": one_order,
        "order_value": gg.conditional_expected_average_spend(summary["frequency"],
                                                             summary["monetary_value"]),
        "clv_12m": gg.clv(bg, *history, summary["monetary_value"], horizon=horizon_months,
                          discount_rate=monthly, margin=margin),
    })


def profit_draws(
    refits: pd.DataFrame,
    segment: pd.Series,
    p_alive: pd.Series,
    value: pd.Series,
    *,
    margin: float,
    cost: float,
    voucher: float = 0.0,
) -> pd.DataFrame:
    """Each customer's expected incremental profit under each bootstrap refit of the effects.

    The refits hold, per ``(replicate, segment)``, the ``uplift_per_alive`` and
    ``buy_rate_per_alive`` of :func:`helpers.uplift.effects_per_alive`; each customer gets
    their segment's values times their P(alive) (as :func:`helpers.uplift.score_by_segment`)
    and :func:`expected_incremental_profit` turns them into profit.

    Returns
    -------
    DataFrame
        One row per customer (the index of ``segment``), one column per replicate: the input
        ``profit_draws`` of :func:`compare_strategies`.

    Examples
    --------
    >>> refits = pd.DataFrame({"uplift_per_alive": [0.1, 0.2], "buy_rate_per_alive": [0.5, 0.5]},
    ...     index=pd.MultiIndex.from_tuples([(0, "a"), (1, "a")], names=["replicate", "seg"]))
    >>> profit_draws(refits, pd.Series(["a"]), pd.Series([1.0]), pd.Series([100.0]),
    ...              margin=0.3, cost=1.0).round(2).values.tolist()  # 0.1 x 100 x 0.3 - 1, ...
    [[2.0, 5.0]]
    """
    require_frame(refits, name="refits")
    require_columns(refits, ["uplift_per_alive", "buy_rate_per_alive"], name="refits")
    if "replicate" not in refits.index.names:
        raise ValueError("refits needs a 'replicate' index level (bootstrap_segment_means)")
    by_refit = {name: refits[name].unstack("replicate").reindex(segment.to_numpy()).to_numpy()
                for name in ("uplift_per_alive", "buy_rate_per_alive")}
    if np.isnan(by_refit["uplift_per_alive"]).all(axis=1).any():
        raise ValueError("segment has values with no row in refits")
    alive = p_alive.to_numpy(dtype=float)[:, None]  # one column: broadcasts over the refits
    draws = expected_incremental_profit(
        by_refit["uplift_per_alive"] * alive, value.to_numpy(dtype=float)[:, None],
        margin=margin, cost=cost, voucher=voucher,
        p_buy=np.minimum(by_refit["buy_rate_per_alive"] * alive, 1))
    return pd.DataFrame(draws, index=segment.index)


#: The name :func:`compare_with_everyone` gives its reference row.
EVERYONE = "everyone eligible (over budget)"


def compare_with_everyone(
    table: pd.DataFrame,
    strategies: Mapping[str, str | None],
    *,
    cost: float,
    budget: float,
    profit_col: str,
    true_profit_col: str | None = None,
    only_positive: Sequence[str] = (),
    profit_draws: ArrayLike | None = None,
    confidence_level: float = CONFIDENCE_LEVEL,
) -> pd.DataFrame:
    """:func:`compare_strategies` under the budget, after a first row that contacts everyone.

    The first row (:data:`EVERYONE`) is what contacting every customer of ``table`` would
    give, whatever the budget: the reference a budget is judged against. The other arguments
    are those of :func:`compare_strategies` (``only_positive`` applies to the strategies).

    Examples
    --------
    >>> table = pd.DataFrame({"profit": [3.0, -1.0, 2.0]})
    >>> compare_with_everyone(table, {"by profit": "profit"}, cost=1.0, budget=1.0,
    ...                       profit_col="profit")["expected_profit"].tolist()
    [4.0, 3.0]
    """
    shared = {"profit_col": profit_col, "true_profit_col": true_profit_col,
              "profit_draws": profit_draws, "confidence_level": confidence_level}
    everyone = compare_strategies(table, {EVERYONE: None}, cost=cost,
                                  budget=len(table) * cost, **shared)
    within = compare_strategies(table, strategies, cost=cost, budget=budget,
                                only_positive=only_positive, **shared)
    return pd.concat([everyone, within])


#: Business names for the columns of the next-best-action table and the tables built from it.
LABELS: dict[str, str] = {
    "segment": "RFM segment",
    "persona": "Persona",
    "churn_prob": "Churn probability",
    "p_alive": "P(alive)",
    "order_value": "Expected order value (£)",
    "clv_12m": "12-month CLV (£)",
    "recommended": "Recommended products",
    "uplift": "Extra orders if e-mailed",
    "p_buy": "Chance of ordering if e-mailed",
    "expected_profit": "Expected profit (£)",
    "contacted": "Contacted",
    "spend": "Spend (£)",
    "expected_low": "95% low (£)",
    "expected_high": "95% high (£)",
    "true_profit": "True profit (£)",
    "true_ROI": "True ROI",
    "expected ROI": "Expected ROI",
    "affordable": "Affordable e-mails",
    "n_treated": "E-mailed",
    "n_control": "Held out",
    "treated_mean": "Orders (e-mailed)",
    "control_mean": "Orders (held out)",
    "low": "95% low",
    "high": "95% high",
    "e_mailed": "E-mailed",
    "held_out": "Held out",
    "effective_per_group": "Worth (customers per group)",
    "holdout_share": "Holdout share",
}


def spread_table(frame: pd.DataFrame, columns: Sequence[str], *,
                 labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """How a few numeric columns spread over the customers, one row per column, business names.

    Parameters
    ----------
    frame : DataFrame
        One row per customer.
    columns : sequence of str
        Numeric columns to summarise.
    labels : mapping, optional
        Column -> business name (default :data:`LABELS`; unknown columns keep their name).

    Returns
    -------
    DataFrame
        Rows named by ``labels``; columns ``Customers`` (non-missing values), ``Mean``,
        ``10th percentile``, ``Median`` and ``90th percentile``.

    Examples
    --------
    >>> spread_table(pd.DataFrame({"clv_12m": [0.0, 10.0, 20.0]}), ["clv_12m"])
    ... # doctest: +NORMALIZE_WHITESPACE
                      Customers  Mean  10th percentile  Median  90th percentile
    12-month CLV (£)          3  10.0              2.0    10.0             18.0
    """
    require_frame(frame, name="frame")
    require_columns(frame, columns, name="frame")
    names = dict(LABELS if labels is None else labels)
    values = frame[list(columns)].astype(float)
    out = pd.DataFrame({
        "Customers": values.count(),
        "Mean": values.mean(),
        "10th percentile": values.quantile(0.1),
        "Median": values.median(),
        "90th percentile": values.quantile(0.9),
    })
    return out.rename(index=lambda c: names.get(c, c))
