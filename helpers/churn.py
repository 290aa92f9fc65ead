"""Churn prediction: a leak-free customer table and a model pipeline.

Churn is defined from behaviour, with two separate windows around a **cut-off** date:

* the **feature window** is everything dated strictly before the cut-off (orders, web
  events, e-mails), as a model deployed on that morning would see it;
* the **outcome window** is the ``horizon_days`` days starting on the cut-off day:
  ``cutoff <= order date < cutoff + horizon_days``. A customer who places no order in it has
  ``churned = 1``.

Nothing from the outcome window reaches the features (``tests/test_churn.py`` proves it by
changing and shuffling every later row), and the population is fixed at the cut-off:
customers of the CRM table with at least one order before it.

The model is a scikit-learn Pipeline (:func:`churn_pipeline`) that checks the table, prepares
the columns and fits any classifier; :func:`odds_ratio_table` reads a fitted logistic one as
odds ratios. Evaluating its scores (lift, profit of a retention offer, AUC with intervals) is
not churn-specific: see :mod:`helpers.evaluation`.

>>> from helpers import data
>>> table = make_churn_dataset(data.load_processed("orders"), data.load_processed("customers"),
...                            cutoff="2025-07-01")                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from .constants import (
    CATEGORY,
    CHANNEL,
    CUSTOMER_ID,
    INVOICE,
    INVOICE_DATE,
    REVENUE,
)
from .features import order_features, web_features
from .validation import require_columns, require_datetime, require_frame, require_numeric

__all__ = [
    "CAMPAIGN_COLUMNS",
    "CATEGORICAL_FEATURES",
    "CRM_COLUMNS",
    "EVENT_COLUMNS",
    "LABEL",
    "LOG_FEATURES",
    "NUMERIC_FEATURES",
    "CustomerTableCheck",
    "FEATURE_NAMES",
    "churn_pipeline",
    "feature_label",
    "late_cancellations",
    "make_churn_dataset",
    "odds_in_words",
    "odds_ratio_table",
    "snapshot_summary",
    "value_retained",
]

#: Name of the label column: 1 = no order in the outcome window.
LABEL = "churned"
#: CRM columns read from the customer table. Every other column of that table is ignored on
#: purpose: the processed profile also holds recency, frequency... measured at the *analysis*
#: date, which lies after any past cut-off and would leak the outcome.
CRM_COLUMNS: tuple[str, ...] = ("age", "gender", "country", "acquisition_channel",
                                "email_consent", "signup_date")
#: Text columns of :func:`make_churn_dataset`, for one-hot encoding.
CATEGORICAL_FEATURES: tuple[str, ...] = ("gender", "country", "acquisition_channel")
#: Numeric columns of :func:`make_churn_dataset` (web and e-mail ones only when those tables
#: are given), in the order they appear.
NUMERIC_FEATURES: tuple[str, ...] = (
    "recency_days", "tenure_days", "frequency", "monetary", "avg_order_value",
    "avg_days_between_orders", "online_share", "share_electronics", "share_homeandkitchen",
    "share_fashion", "share_beauty", "share_toysandgames", "share_grocery",
    "orders_last_90d", "orders_prev_90d", "spend_last_90d", "spend_prev_90d",
    "orders_per_30d", "expected_orders_missed", "silence_score",
    "web_sessions", "product_views", "web_sessions_last_90d",
    "web_sessions_since_last_purchase",
    "emails_received", "emails_opened", "emails_clicked",
    "age", "email_consent", "days_since_signup",
)
#: Skewed counts and amounts that a linear model reads better on a log scale (``log1p``).
LOG_FEATURES: tuple[str, ...] = (
    "recency_days", "tenure_days", "frequency", "monetary", "avg_order_value",
    "avg_days_between_orders", "orders_last_90d", "orders_prev_90d", "spend_last_90d",
    "spend_prev_90d", "orders_per_30d", "expected_orders_missed", "web_sessions",
    "product_views", "web_sessions_last_90d", "web_sessions_since_last_purchase",
)

#: Plain-English names of the features, for tables and charts a marketer reads (see
#: :func:`feature_label`, which also names one-hot columns and ``share_<category>``).
FEATURE_NAMES: dict[str, str] = {
    "recency_days": "days since the last order",
    "tenure_days": "days since the first order",
    "frequency": "number of orders",
    "monetary": "total spend",
    "avg_order_value": "average order value",
    "avg_days_between_orders": "days between orders",
    "online_share": "share of orders placed online",
    "orders_last_90d": "orders in the last 90 days",
    "orders_prev_90d": "orders in the 90 days before",
    "spend_last_90d": "spend in the last 90 days",
    "spend_prev_90d": "spend in the 90 days before",
    "orders_per_30d": "orders per 30 days",
    "expected_orders_missed": "orders missed at own pace",
    "silence_score": "silence score (quiet for this customer)",
    "web_sessions": "web visits",
    "product_views": "product views",
    "web_sessions_last_90d": "web visits in the last 90 days",
    "web_sessions_since_last_purchase": "web visits since the last order",
    "emails_received": "e-mails received",
    "emails_opened": "e-mails opened",
    "emails_clicked": "e-mails clicked",
    "age": "age",
    "email_consent": "consents to e-mail",
    "days_since_signup": "days since sign-up",
}

#: Columns :func:`make_churn_dataset` reads from the web events (the GA4-style export) and the
#: e-mail log (besides the customer id), by these names.
EVENT_COLUMNS: tuple[str, ...] = ("user_id", "event_timestamp", "event_name", "ga_session_id")
CAMPAIGN_COLUMNS: tuple[str, ...] = ("sent_at", "opened_at", "clicked_at")
#: Length of the two windows the trend features compare (the last 90 days and the 90 before).
TREND_DAYS = 90
#: Days added to the tenure when estimating a purchase rate, so that a customer who bought
#: once last week does not get a rate of one order a week.
RATE_PRIOR_DAYS = 30.0


# --------------------------------------------------------------------------------------------
# the customer table
# --------------------------------------------------------------------------------------------
def _check_cutoff(dates: pd.Series, cutoff: pd.Timestamp, horizon_days: int,
                  data_end: pd.Timestamp | None, date_col: str) -> None:
    """Raise unless both windows lie inside the orders' date range."""
    first = dates.min()
    if data_end is None:
        end = dates.max().normalize() + pd.Timedelta(days=1)
    else:
        end = pd.Timestamp(data_end)
    if cutoff <= first:
        raise ValueError(
            f"cutoff {cutoff.date()} is outside the data: column '{date_col}' starts on "
            f"{first.date()}, so there is no history before the cutoff to build features from"
        )
    window_end = cutoff + pd.Timedelta(days=horizon_days)
    if window_end > end:
        last_ok = (end - pd.Timedelta(days=horizon_days)).date()
        raise ValueError(
            f"cutoff {cutoff.date()} is outside the data: its {horizon_days}-day outcome window "
            f"runs to {window_end.date()} but column '{date_col}' ends before {end.date()}; "
            f"the labels would be incomplete (latest usable cutoff: {last_ok})"
        )


def _window_activity(invoices: pd.DataFrame, cutoff: pd.Timestamp, start_days: int,
                     end_days: int) -> pd.DataFrame:
    """Invoices and spend per customer between ``end_days`` and ``start_days`` before cutoff."""
    lo = cutoff - pd.Timedelta(days=end_days)
    hi = cutoff - pd.Timedelta(days=start_days)
    inside = invoices.loc[(invoices["date"] >= lo) & (invoices["date"] < hi)]
    grouped = inside.groupby(CUSTOMER_ID)["value"]
    return pd.DataFrame({"orders": grouped.size(), "spend": grouped.sum()})


def _web_recent(events: pd.DataFrame, cutoff: pd.Timestamp, last_purchase: pd.Series
                ) -> pd.DataFrame:
    """Logged-in sessions in the last ``TREND_DAYS`` days and since each last purchase."""
    cutoff_us = int(cutoff.value // 1_000)
    past = events.loc[(events["event_timestamp"] < cutoff_us) & events["user_id"].notna()]
    sessions = past.groupby(["user_id", "ga_session_id"], sort=False)["event_timestamp"].min()
    sessions = sessions.rename("start").reset_index()
    sessions["user_id"] = sessions["user_id"].astype("int64")
    recent_from = int((cutoff - pd.Timedelta(days=TREND_DAYS)).value // 1_000)
    last_us = last_purchase.astype("datetime64[us]").astype("int64")
    after = sessions["start"] > sessions["user_id"].map(last_us).to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "web_sessions_last_90d": sessions.loc[sessions["start"] >= recent_from]
            .groupby("user_id").size(),
            "web_sessions_since_last_purchase": sessions.loc[after].groupby("user_id").size(),
        }
    ).rename_axis(CUSTOMER_ID)


def _email_features(campaign: pd.DataFrame, cutoff: pd.Timestamp, customer_col: str
                    ) -> pd.DataFrame:
    """E-mails received, opened and clicked before the cutoff, per customer.

    Only the time-stamped events are used. ``unsubscribed`` has no time stamp and
    ``converted_30d`` / ``revenue_30d`` are outcomes measured over the 30 days after the send,
    so none of them is safe to use at an arbitrary cutoff.
    """
    require_columns(campaign, [customer_col, *CAMPAIGN_COLUMNS], name="campaign")
    known = campaign.loc[campaign[customer_col].notna()]
    counts = {}
    for column, name in (("sent_at", "emails_received"), ("opened_at", "emails_opened"),
                         ("clicked_at", "emails_clicked")):
        when = pd.to_datetime(known[column], utc=True, format="ISO8601").dt.tz_localize(None)
        before = known.loc[when < cutoff]
        counts[name] = before.groupby(customer_col).size()
    table = pd.DataFrame(counts, columns=list(counts))
    table.index = table.index.astype("int64")
    return table.rename_axis(CUSTOMER_ID)


def make_churn_dataset(
    orders: pd.DataFrame,
    customers: pd.DataFrame | None,
    *,
    cutoff: str | pd.Timestamp,
    horizon_days: int = 90,
    events: pd.DataFrame | None = None,
    campaign: pd.DataFrame | None = None,
    data_end: str | pd.Timestamp | None = None,
    with_label: bool = True,
    customer_col: str = CUSTOMER_ID,
    invoice_col: str = INVOICE,
    date_col: str = INVOICE_DATE,
    revenue_col: str = REVENUE,
    channel_col: str | None = CHANNEL,
    category_col: str | None = CATEGORY,
) -> pd.DataFrame:
    """One row per customer: features known before ``cutoff`` and the churn label after it.

    **Population.** Customers of ``customers`` with at least one order dated before
    ``cutoff`` (every customer with such an order when ``customers`` is None); customers who
    have never bought cannot churn and are left out.

    **Label.** ``churned = 1`` if the customer places no order with
    ``cutoff <= invoice_date < cutoff + horizon_days`` (the ``horizon_days`` days starting on
    the cutoff day), else 0.

    **Features** (only rows dated strictly before ``cutoff``):

    - RFM and tenure from :func:`helpers.features.order_features`: ``recency_days``,
      ``tenure_days``, ``frequency``, ``monetary``, ``avg_order_value``,
      ``avg_days_between_orders`` (missing for one-order customers), ``online_share`` and the
      category mix ``share_<category>`` (left out when ``channel_col`` / ``category_col`` is
      None);
    - trend: ``orders_last_90d`` / ``spend_last_90d`` (the 90 days before the cutoff)
      against ``orders_prev_90d`` / ``spend_prev_90d`` (the 90 days before those);
    - rhythm: ``orders_per_30d`` = 30 x frequency / (tenure + 30 days), the customer's own
      purchase rate shrunk a little for new customers, and ``expected_orders_missed`` =
      rate x recency, the orders they would have placed since their last one at their usual
      pace (a large value means an unusually long silence), and ``silence_score`` =
      frequency x ln((tenure + 30) / (days from first to last order + 30)): grows with the
      number of orders and with the share of the customer's life spent silent since the last
      one. It is the shape of the log-odds of having left in the "buy till you die" (BG/NBD)
      model of notebook 07;
    - web (with ``events``): ``web_sessions``, ``product_views``, ``web_sessions_last_90d``
      and ``web_sessions_since_last_purchase`` (logged-in sessions only);
    - e-mail (with ``campaign``): ``emails_received``, ``emails_opened``,
      ``emails_clicked``, counting only sends, opens and clicks time-stamped before the
      cutoff (all zero when the campaign came later);
    - CRM (with ``customers``): ``age``, ``gender``, ``country``, ``acquisition_channel``,
      ``email_consent`` and ``days_since_signup``. The CRM is a current snapshot: in real
      data check that these fields could not have changed after the cutoff (consent, for
      example, can).

    Parameters
    ----------
    orders : DataFrame
        Clean order lines: customer, invoice, date (datetimes), revenue, channel and
        category (names below).
    customers : DataFrame or None
        CRM table with the customer id and the columns in :data:`CRM_COLUMNS`; other columns
        are ignored (the processed profile's RFM columns are measured at the analysis date
        and would leak). None when there is no CRM (a transactions-only export such as the
        Online Retail data): the table then has no CRM features and no categorical column.
    cutoff : str or Timestamp
        The date (midnight) that separates features from outcome.
    horizon_days : int, default 90
        Length of the outcome window in days.
    events : DataFrame, optional
        Web events in the columns of :data:`EVENT_COLUMNS`: ``user_id`` (the customer id),
        ``event_timestamp`` (microseconds since 1970), ``event_name`` and ``ga_session_id``.
    campaign : DataFrame, optional
        E-mail log with the customer id and :data:`CAMPAIGN_COLUMNS`: ``sent_at``,
        ``opened_at``, ``clicked_at`` (ISO text or datetimes, missing when it did not happen).
    data_end : str or Timestamp, optional
        First moment *after* the data; by default the day after the last order. The outcome
        window must end by then.
    with_label : bool, default True
        ``False`` builds the features only, for scoring customers today (the outcome window
        lies in the future): no ``churned`` column, and the cutoff may be the end of the data.
    customer_col : str, default ``constants.CUSTOMER_ID``
        The customer id, in ``orders``, ``customers`` and ``campaign`` alike.
    invoice_col, date_col, revenue_col : str
        Columns of ``orders``, by default the course's (``constants.INVOICE``...).
    channel_col, category_col : str or None
        Sales channel and product category of ``orders``; None when the orders have no such
        column, which leaves ``online_share`` or the ``share_<category>`` columns out.

    Returns
    -------
    DataFrame
        The customer id (named ``customer_col``), the features, and ``churned`` (0/1, unless
        ``with_label=False``), sorted by customer id.

    Raises
    ------
    ValueError
        If a column is missing, dates are not datetimes, ``horizon_days`` is not a positive
        integer, or the cutoff leaves no history before it or an outcome window that runs
        past the data.

    Examples
    --------
    >>> orders = pd.DataFrame({
    ...     "customer_id": [1, 1, 1, 2, 2], "invoice_no": ["a", "b", "c", "d", "e"],
    ...     "invoice_date": pd.to_datetime(["2024-01-05", "2024-02-20", "2024-05-02",
    ...                                     "2024-01-10", "2024-03-15"]),
    ...     "revenue": [20.0, 30.0, 25.0, 15.0, 40.0], "channel": "online",
    ...     "category": "Beauty"})
    >>> crm = pd.DataFrame({"customer_id": [1, 2, 3], "age": [30, 40, 50],
    ...     "gender": ["F", "M", "F"], "country": "France", "acquisition_channel": "organic",
    ...     "email_consent": 1, "signup_date": pd.to_datetime(["2024-01-01"] * 3)})
    >>> table = make_churn_dataset(orders, crm, cutoff="2024-03-01", horizon_days=60)
    >>> table[["customer_id", "frequency", "recency_days", "churned"]]
       customer_id  frequency  recency_days  churned
    0            1          2          10.0        1
    1            2          1          51.0        0

    A transactions-only export (no CRM, channel or category) gives the behaviour columns:

    >>> plain = orders.drop(columns=["channel", "category"])
    >>> table = make_churn_dataset(plain, None, cutoff="2024-03-01", horizon_days=60,
    ...                            channel_col=None, category_col=None)
    >>> table.columns[:6].tolist()
    ['customer_id', 'recency_days', 'tenure_days', 'frequency', 'monetary', 'avg_order_value']
    >>> "age" in table or "online_share" in table
    False
    """
    require_frame(orders, name="orders")
    if customers is not None:
        require_frame(customers, name="customers")
    roles = {customer_col: CUSTOMER_ID, invoice_col: INVOICE, date_col: INVOICE_DATE,
             revenue_col: REVENUE}
    if channel_col is not None:
        roles[channel_col] = CHANNEL
    if category_col is not None:
        roles[category_col] = CATEGORY
    require_columns(orders, list(roles), name="orders")
    if customers is not None:
        require_columns(customers, [customer_col, *CRM_COLUMNS], name="customers")
    dates = require_datetime(orders, date_col, name="orders")
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, int | np.integer) or \
            horizon_days <= 0:
        raise ValueError(f"horizon_days must be a positive whole number, got {horizon_days!r}")
    cutoff = pd.Timestamp(cutoff)
    if with_label:
        _check_cutoff(dates, cutoff, int(horizon_days), data_end, date_col)
    elif cutoff <= dates.min():
        raise ValueError(f"cutoff {cutoff.date()} is outside the data: column "
                         f"'{date_col}' has no history before it")
    # from here on the course's column names: the caller's are restored on the way out
    orders = orders[list(roles)].set_axis(list(roles.values()), axis=1)
    # a missing channel or category gets a placeholder, and its features are dropped below
    left_out = []
    if channel_col is None:
        orders = orders.assign(**{CHANNEL: "unknown"})
        left_out.append("online_share")
    if category_col is None:
        orders = orders.assign(**{CATEGORY: "unknown"})
        left_out += [c for c in NUMERIC_FEATURES if c.startswith("share_")]

    # Sorting the past rows makes every sum independent of the input's row order (floating
    # point addition is not associative: a shuffled export could otherwise move a cent).
    past = orders.loc[dates < cutoff].sort_values(
        [CUSTOMER_ID, INVOICE_DATE, INVOICE, CATEGORY, CHANNEL, REVENUE], kind="stable")
    behaviour = order_features(past, cutoff).drop(columns=left_out)
    if customers is None:
        table = behaviour.sort_index()
    else:
        customers = customers[[customer_col, *CRM_COLUMNS]].set_axis(
            [CUSTOMER_ID, *CRM_COLUMNS], axis=1)
        crm = customers[[CUSTOMER_ID, *CRM_COLUMNS]].set_index(CUSTOMER_ID)
        table = crm.join(behaviour, how="inner").sort_index()

    invoices = past.groupby([CUSTOMER_ID, INVOICE], sort=False).agg(
        date=(INVOICE_DATE, "first"), value=(REVENUE, "sum")).reset_index()
    last = _window_activity(invoices, cutoff, 0, TREND_DAYS)
    prev = _window_activity(invoices, cutoff, TREND_DAYS, 2 * TREND_DAYS)
    table["orders_last_90d"] = last["orders"].reindex(table.index).fillna(0).astype(int)
    table["orders_prev_90d"] = prev["orders"].reindex(table.index).fillna(0).astype(int)
    table["spend_last_90d"] = last["spend"].reindex(table.index).fillna(0.0).round(2)
    table["spend_prev_90d"] = prev["spend"].reindex(table.index).fillna(0.0).round(2)
    rate = table["frequency"] / (table["tenure_days"] + RATE_PRIOR_DAYS)
    table["orders_per_30d"] = (30 * rate).round(4)
    table["expected_orders_missed"] = (rate * table["recency_days"]).round(4)
    active = table["tenure_days"] - table["recency_days"]  # first to last order, days
    table["silence_score"] = (table["frequency"] * np.log(
        (table["tenure_days"] + RATE_PRIOR_DAYS) / (active + RATE_PRIOR_DAYS))).round(4)

    if events is not None:
        require_columns(events, EVENT_COLUMNS, name="events")
        web = web_features(events, cutoff).join(
            _web_recent(events, cutoff, table["last_purchase"]), how="outer")
        web = web.reindex(table.index).fillna(0).astype(int)
        table = table.join(web)
    if campaign is not None:
        email = _email_features(campaign, cutoff, customer_col).reindex(table.index)
        email = email.fillna(0).astype(int)
        table = table.join(email)

    if customers is not None:
        table["age"] = require_numeric(table, "age", name="customers")
        table["email_consent"] = require_numeric(table, "email_consent", name="customers")
        signup = pd.to_datetime(table["signup_date"])
        table["days_since_signup"] = ((cutoff - signup).dt.total_seconds() / 86_400).round(1)

    features = [c for c in NUMERIC_FEATURES if c in table.columns]
    if customers is not None:
        features += list(CATEGORICAL_FEATURES)
    if not with_label:
        return table[features].rename_axis(customer_col).reset_index()
    end = cutoff + pd.Timedelta(days=horizon_days)
    future = orders.loc[(dates >= cutoff) & (dates < end), CUSTOMER_ID]
    table[LABEL] = (~table.index.isin(future.unique())).astype(int)
    return table[features + [LABEL]].rename_axis(customer_col).reset_index()


# --------------------------------------------------------------------------------------------
# the model pipeline
# --------------------------------------------------------------------------------------------
class CustomerTableCheck(TransformerMixin, BaseEstimator):
    """First step of :func:`churn_pipeline`: check a customer table and tidy its types.

    ``fit`` raises ``ValueError`` naming the column if one is missing, holds text in a numeric
    column, or has no value at all (an all-missing feature cannot be imputed or learnt from).
    ``transform`` returns the named columns only: numeric ones as floats, categorical ones as
    text (so that ``1`` and ``"1"`` are one category), missing values kept as NaN for the
    imputers.

    Parameters
    ----------
    numeric, categorical : sequence of str
        Column names.

    Attributes
    ----------
    feature_names_in_ : ndarray of str
        The columns used, numeric first.
    n_features_in_ : int
        Their number.

    Examples
    --------
    >>> X = pd.DataFrame({"age": ["30", None], "tier": [1, "1"]})
    >>> CustomerTableCheck(numeric=["age"], categorical=["tier"]).fit_transform(X)
        age tier
    0  30.0    1
    1   NaN    1
    """

    def __init__(self, *, numeric: Sequence[str] = (), categorical: Sequence[str] = ()
                 ) -> None:
        self.numeric = numeric
        self.categorical = categorical

    def _tidy(self, X: object) -> pd.DataFrame:
        if not isinstance(X, pd.DataFrame):
            raise ValueError(
                f"the customer table must be a pandas DataFrame with named columns, got "
                f"{type(X).__name__}")
        columns = [*self.numeric, *self.categorical]
        require_columns(X, columns, name="the customer table")
        out = {}
        for column in self.numeric:
            if pd.api.types.is_numeric_dtype(X[column]):  # already numbers: no parsing needed
                out[column] = X[column].astype(float)
            else:
                out[column] = require_numeric(X, column, name="the customer table")
        for column in self.categorical:
            values = X[column]
            out[column] = pd.Series(
                np.where(values.isna(), np.nan, values.astype(str)), index=X.index, dtype=object)
        return pd.DataFrame(out, index=X.index, columns=columns)

    def fit(self, X: pd.DataFrame, y: object = None) -> CustomerTableCheck:
        """Check ``X``; raise ``ValueError`` on a missing, non-numeric or empty column."""
        columns = [*self.numeric, *self.categorical]
        if not columns:
            raise ValueError("no feature columns given: pass numeric and/or categorical names")
        overlap = sorted(set(self.numeric) & set(self.categorical))
        if overlap:
            raise ValueError(f"column(s) {overlap} are listed as both numeric and categorical")
        tidy = self._tidy(X)
        if tidy.empty:
            raise ValueError("the customer table is empty: no rows to learn from")
        empty = [c for c in columns if tidy[c].isna().all()]
        if empty:
            raise ValueError(
                f"column(s) {empty} of the customer table have no values (all missing); "
                "drop them from the feature list or fill them")
        self.feature_names_in_ = np.array(columns, dtype=object)
        self.n_features_in_ = len(columns)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        """The named columns, numeric as float and categorical as text."""
        return self._tidy(X)

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Names of the columns ``transform`` returns."""
        return np.array([*self.numeric, *self.categorical], dtype=object)


def _log1p_counts(values: np.ndarray) -> np.ndarray:
    """``log(1 + x)`` for counts and amounts; raises on negative values."""
    values = np.asarray(values, dtype=float)
    if np.nanmin(values, initial=0.0) < 0:
        raise ValueError("a column on the log scale holds negative values; log1p needs x >= 0")
    return np.log1p(values)


def churn_pipeline(
    *,
    numeric: Sequence[str] = (),
    categorical: Sequence[str] = (),
    model: BaseEstimator | None = None,
    log_columns: Sequence[str] = (),
    max_iter: int = 2_000,
) -> Pipeline:
    """An unfitted scikit-learn Pipeline for any customer table: check, prepare, model.

    Steps: ``check`` (:class:`CustomerTableCheck`), then ``prepare``, a ColumnTransformer
    that imputes numeric columns with the median, takes ``log(1 + x)`` of ``log_columns``
    and standardises them, and imputes categorical columns with the most frequent value and
    one-hot encodes them (categories unseen in training become all zeros), then ``model``.

    Parameters
    ----------
    numeric, categorical : sequence of str
        Column names (either may be empty, not both), e.g. :data:`NUMERIC_FEATURES` and
        :data:`CATEGORICAL_FEATURES` as far as the table holds them.
    model : classifier, optional
        Any scikit-learn classifier; default ``LogisticRegression(max_iter=max_iter)``. Its
        hyper-parameters are reachable as ``model__<name>``, e.g. ``model__C``.
    log_columns : sequence of str, default ()
        Numeric columns (counts, amounts, days) to put on a log scale; they must be >= 0.
    max_iter : int, default 2000
        Iterations of the default logistic regression.

    Returns
    -------
    Pipeline
        Unfitted; ``fit(X, y)`` with ``X`` a DataFrame holding the named columns.

    Examples
    --------
    >>> X = pd.DataFrame({"recency_days": [5, 200, 40, np.nan], "country": ["FR", "UK", None,
    ...                   "FR"]})
    >>> pipe = churn_pipeline(numeric=["recency_days"], categorical=["country"]
    ...                       ).fit(X, [0, 1, 0, 1])
    >>> pipe.predict_proba(pd.DataFrame({"recency_days": [300], "country": ["DE"]})).shape
    (1, 2)
    """
    numeric, categorical, log_columns = list(numeric), list(categorical), list(log_columns)
    stray = [c for c in log_columns if c not in numeric]
    if stray:
        raise ValueError(f"log column(s) {stray} are not among the numeric columns")
    linear = [c for c in numeric if c not in log_columns]
    logged = [c for c in numeric if c in log_columns]
    parts = []
    if linear:
        parts.append(("numeric", Pipeline([("impute", SimpleImputer(strategy="median")),
                                           ("scale", StandardScaler())]), linear))
    if logged:
        parts.append(("log", Pipeline([
            ("impute", SimpleImputer(strategy="median")),
            ("log1p", FunctionTransformer(_log1p_counts, feature_names_out="one-to-one")),
            ("scale", StandardScaler()),
        ]), logged))
    if categorical:
        parts.append(("categorical", Pipeline([
            ("impute", SimpleImputer(strategy="most_frequent")),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]), categorical))
    if model is None:
        model = LogisticRegression(max_iter=max_iter)
    elif not isinstance(model, ClassifierMixin) and not hasattr(model, "predict"):
        raise ValueError(f"model must be a scikit-learn classifier, got {type(model).__name__}")
    return Pipeline([
        ("check", CustomerTableCheck(numeric=numeric, categorical=categorical)),
        ("prepare", ColumnTransformer(parts, remainder="drop", verbose_feature_names_out=True)),
        ("model", model),
    ])


def odds_ratio_table(pipeline: Pipeline) -> pd.DataFrame:
    """Coefficients of a fitted :func:`churn_pipeline` with a linear model, as odds ratios.

    Numeric inputs are standardised, so each coefficient is the change in the log-odds of
    churn for **one standard deviation** more of the feature (of ``log(1 + x)`` for the
    ``log_columns``), the others held fixed; the odds ratio is its exponential: above 1
    raises the odds of churning, below 1 lowers them. ``one_sd`` says what one standard
    deviation is in the feature's own units: an amount to add (``linear``) or a factor by
    which ``1 + x`` is multiplied (``log``). One-hot columns are 0/1 and not scaled: their
    odds ratio compares a customer in that category with one in none of the encoded
    categories, so compare them with each other rather than read them alone.

    Parameters
    ----------
    pipeline : Pipeline
        Fitted, with a final step exposing ``coef_`` (e.g. logistic regression).

    Returns
    -------
    DataFrame
        ``feature``, ``scale`` (``linear``, ``log`` or ``one-hot``), ``one_sd``,
        ``coefficient``, ``odds_ratio``, sorted by the size of the effect (largest first).

    Examples
    --------
    >>> X = pd.DataFrame({"recency_days": [5, 200, 40, 300, 10, 150]})
    >>> pipe = churn_pipeline(numeric=["recency_days"]).fit(X, [0, 1, 0, 1, 0, 1])
    >>> odds_ratio_table(pipe)[["feature", "scale"]].to_dict("records")
    [{'feature': 'recency_days', 'scale': 'linear'}]
    """
    if not isinstance(pipeline, Pipeline) or "prepare" not in pipeline.named_steps:
        raise ValueError("pipeline must come from churn_pipeline (steps check, prepare, model)")
    model = pipeline.named_steps["model"]
    if not hasattr(model, "coef_"):
        raise ValueError(
            f"the model ({type(model).__name__}) has no coef_: fit the pipeline first, with a "
            "linear model such as LogisticRegression")
    prepare = pipeline.named_steps["prepare"]
    rows = []
    for name, transformer, columns in prepare.transformers_:
        if name == "remainder":
            continue
        if name == "categorical":
            encoder = transformer.named_steps["onehot"]
            for column, levels in zip(columns, encoder.categories_, strict=True):
                rows += [(f"{column} = {level}", "one-hot", np.nan) for level in levels]
            continue
        sd = transformer.named_steps["scale"].scale_
        one_sd = np.exp(sd) if name == "log" else sd
        rows += [(c, "linear" if name == "numeric" else "log", v)
                 for c, v in zip(columns, one_sd, strict=True)]
    coefs = np.ravel(model.coef_)
    if len(coefs) != len(rows):
        raise ValueError(f"the model has {len(coefs)} coefficients for {len(rows)} inputs")
    table = pd.DataFrame(rows, columns=["feature", "scale", "one_sd"])
    table["coefficient"] = coefs
    table["odds_ratio"] = np.exp(coefs)
    order = np.argsort(-np.abs(coefs), kind="stable")
    return table.iloc[order].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# reading the model and the snapshots in a marketer's words
# --------------------------------------------------------------------------------------------
def feature_label(name: str) -> str:
    """Plain-English name of a feature of :func:`make_churn_dataset` or a one-hot column.

    Known features come from :data:`FEATURE_NAMES`; ``share_<category>`` reads "share spent
    on <category>"; a one-hot column ``"<column> = <level>"`` (as in
    :func:`odds_ratio_table`) reads as the group it marks; anything else is returned with
    underscores replaced by spaces.

    Examples
    --------
    >>> feature_label("silence_score")
    'silence score (quiet for this customer)'
    >>> feature_label("acquisition_channel = paid_search"), feature_label("country = Germany")
    ('acquired by paid search', 'lives in Germany')
    >>> feature_label("share_homeandkitchen"), feature_label("loyalty_tier")
    ('share spent on homeandkitchen', 'loyalty tier')
    """
    if name in FEATURE_NAMES:
        return FEATURE_NAMES[name]
    column, sep, level = name.partition(" = ")
    if sep:
        level = level.replace("_", " ")
        if column == "acquisition_channel":
            return "acquired in a store" if level == "store" else f"acquired by {level}"
        if column == "country":
            return f"lives in {level}"
        return f"{column.replace('_', ' ')}: {level}"
    if name.startswith("share_"):
        return f"share spent on {name.removeprefix('share_').replace('_', ' ')}"
    return name.replace("_", " ")


def snapshot_summary(
    snapshots: Mapping[str, pd.DataFrame],
    *,
    cutoffs: Mapping[str, str | pd.Timestamp],
    horizon_days: int,
    data_start: str | pd.Timestamp,
) -> pd.DataFrame:
    """One row per snapshot of :func:`make_churn_dataset`: its windows, customers and churn.

    Parameters
    ----------
    snapshots : mapping of name -> DataFrame
        Tables of :func:`make_churn_dataset` (with the ``churned`` label), e.g. train and test.
    cutoffs : mapping of name -> date
        The cut-off each table was built at (same names).
    horizon_days : int
        Length of the outcome window.
    data_start : date
        First day of the order history (the start of every feature window).

    Returns
    -------
    DataFrame
        Indexed by snapshot name: "Features from", "Cut-off", "Outcome until" (the last day of
        the outcome window), "Customers", "Churners" and "Churn rate" (formatted as text).

    Examples
    --------
    >>> table = pd.DataFrame({"customer_id": [1, 2, 3, 4], "churned": [1, 0, 0, 1]})
    >>> snapshot_summary({"train": table}, cutoffs={"train": "2025-04-01"}, horizon_days=90,
    ...                  data_start="2024-01-02").loc["train"].astype(str).tolist()
    ['02 Jan 2024', '01 Apr 2025', '29 Jun 2025', '4', '2', '50.0%']
    """
    missing = [name for name in snapshots if name not in cutoffs]
    if missing:
        raise ValueError(f"no cut-off given for snapshot(s) {missing}")
    rows = {}
    for name, table in snapshots.items():
        require_columns(table, [LABEL], name=f"snapshot '{name}'")
        cutoff = pd.Timestamp(cutoffs[name])
        rows[name] = {
            "Features from": f"{pd.Timestamp(data_start):%d %b %Y}",
            "Cut-off": f"{cutoff:%d %b %Y}",
            "Outcome until": f"{cutoff + pd.Timedelta(days=horizon_days - 1):%d %b %Y}",
            "Customers": len(table),
            "Churners": int(table[LABEL].sum()),
            "Churn rate": f"{table[LABEL].mean():.1%}",
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def value_retained(table: pd.DataFrame, *, margin: float, months: int = 12) -> pd.Series:
    """Value of keeping each customer: margin on ``months`` of orders at their past pace (£).

    .. math:: v_i = \\text{margin} \\times \\text{average order value}_i \\times
              \\text{orders per 30 days}_i \\times \\frac{365.25}{30} \\times
              \\frac{\\text{months}}{12}

    Parameters
    ----------
    table : DataFrame
        A table of :func:`make_churn_dataset` (``avg_order_value``, ``orders_per_30d``).
    margin : float
        Gross margin on revenue, in [0, 1].
    months : int, default 12
        Months over which a retained customer is valued.

    Returns
    -------
    Series
        One value per row, in the table's currency, rounded to pence.

    Examples
    --------
    >>> table = pd.DataFrame({"avg_order_value": [50.0, 20.0], "orders_per_30d": [1.0, 0.1]})
    >>> value_retained(table, margin=0.3).tolist()
    [182.63, 7.3]
    """
    require_columns(table, ["avg_order_value", "orders_per_30d"], name="the customer table")
    if isinstance(margin, bool) or not isinstance(margin, int | float | np.number) or \
            not 0 <= margin <= 1:
        raise ValueError(f"margin is a share of revenue in [0, 1], got {margin!r}")
    if isinstance(months, bool) or not isinstance(months, int | np.integer) or months <= 0:
        raise ValueError(f"months must be a positive whole number, got {months!r}")
    aov = require_numeric(table, "avg_order_value", name="the customer table")
    rate = require_numeric(table, "orders_per_30d", name="the customer table")
    orders = rate / 30 * 365.25 * months / 12
    return (margin * aov * orders).round(2).rename("value_retained")


def odds_in_words(odds: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """The table of :func:`odds_ratio_table` as a marketer reads it.

    Each row says what "one standard deviation more" is in the feature's own units and how
    much it changes the odds of churn, in per cent: an odds ratio of 0.75 is "-25%", one of
    3.2 is "+220%".

    Parameters
    ----------
    odds : DataFrame
        Output of :func:`odds_ratio_table` (``feature``, ``scale``, ``one_sd``,
        ``odds_ratio``).
    top : int, optional
        Keep the first ``top`` rows (the table is sorted by the size of the effect).

    Returns
    -------
    DataFrame
        Indexed by "Feature" (plain words): "One standard deviation more" (``+1.84`` for a
        feature used as it is, ``×2.02`` for one on the log scale: 1 + the value multiplied
        by 2.02, "in this group" for a category) and "Odds of churn" (``+220%``).

    Examples
    --------
    >>> odds = pd.DataFrame({"feature": ["silence_score", "frequency", "country = France"],
    ...                      "scale": ["linear", "log", "one-hot"], "one_sd": [1.84, 2.02, None],
    ...                      "odds_ratio": [3.21, 0.6, 1.1]})
    >>> odds_in_words(odds).to_dict("list")["Odds of churn"]
    ['+221%', '-40%', '+10%']
    >>> odds_in_words(odds)["One standard deviation more"].tolist()
    ['+1.84', '×2.02', 'in this group']
    """
    require_columns(odds, ["feature", "scale", "one_sd", "odds_ratio"], name="odds")
    shown = odds if top is None else odds.head(top)

    def step(row: pd.Series) -> str:
        if row["scale"] == "log":
            return f"×{row['one_sd']:.2f}"
        if row["scale"] == "one-hot":
            return "in this group"
        return f"+{row['one_sd']:,.0f}" if row["one_sd"] >= 10 else f"+{row['one_sd']:.2f}"

    return pd.DataFrame({
        "Feature": shown["feature"].map(feature_label).to_numpy(),
        "One standard deviation more": shown.apply(step, axis=1).to_numpy(),
        "Odds of churn": [f"{r - 1:+.0%}" for r in shown["odds_ratio"]],
    }).set_index("Feature")


def late_cancellations(
    returns: pd.DataFrame,
    line_dates: Sequence | np.ndarray | pd.Series,
    cutoffs: Mapping[str, str | pd.Timestamp],
    *,
    customer_col: str = CUSTOMER_ID,
) -> pd.DataFrame:
    """Purchases dated before each cut-off that a cancellation dated on or after it netted.

    A cleaning that nets each cancellation off the purchase it cancels, whatever its date,
    lets a little hindsight into a snapshot's features: a purchase before the cut-off loses
    units to a cancellation after it. This counts that hindsight per cut-off.

    Parameters
    ----------
    returns : DataFrame
        One row per matched cancellation (the ``returns`` table of the cleaning audit):
        ``cancel_row`` and ``purchase_row`` (positions of the two lines in the raw export;
        rows with no ``purchase_row`` are ignored), the customer, ``units`` and
        ``unit_price``.
    line_dates : array-like of datetimes
        The date of every raw line, by position.
    cutoffs : mapping of name -> date
        The cut-offs to check, e.g. ``{"train": ..., "test": ...}``.
    customer_col : str, default ``constants.CUSTOMER_ID``
        The customer id column of ``returns``.

    Returns
    -------
    DataFrame
        Indexed by cut-off name: "Cut-off", "Purchase lines", "Customers", "Cancellations"
        and "Value netted (£)".

    Examples
    --------
    >>> returns = pd.DataFrame({"cancel_row": [2, 3], "purchase_row": [0, 1],
    ...                         "customer_id": [7, 8], "units": [1, 2],
    ...                         "unit_price": [5.0, 1.0]})
    >>> dates = pd.to_datetime(["2025-01-01", "2025-03-01", "2025-02-10", "2025-03-05"])
    >>> late_cancellations(returns, dates, {"train": "2025-02-01"}).loc["train"].astype(str
    ...                                                                 ).tolist()
    ['01 Feb 2025', '1', '1', '1', '5.0']
    """
    require_columns(returns, ["cancel_row", "purchase_row", customer_col, "units",
                              "unit_price"], name="returns")
    matched = returns.dropna(subset=["purchase_row"])
    dates = pd.to_datetime(pd.Series(np.asarray(line_dates))).to_numpy()
    cancelled_on = dates[matched["cancel_row"].to_numpy(dtype="int64")]
    bought_on = dates[matched["purchase_row"].to_numpy(dtype="int64")]
    rows = {}
    for name, cutoff in cutoffs.items():
        cutoff = pd.Timestamp(cutoff)
        late = matched[(bought_on < cutoff) & (cancelled_on >= cutoff)]
        rows[name] = {
            "Cut-off": f"{cutoff:%d %b %Y}",
            "Purchase lines": late["purchase_row"].nunique(),
            "Customers": late[customer_col].nunique(),
            "Cancellations": late["cancel_row"].nunique(),
            "Value netted (£)": round(float((late["units"] * late["unit_price"]).sum()), 2),
        }
    return pd.DataFrame.from_dict(rows, orient="index")
