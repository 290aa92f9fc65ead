"""Churn helpers: hand-computed features, no leakage after the cutoff, the pipeline, the
simulator's answer key, and a clear ValueError for each kind of bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.validation import check_is_fitted

from helpers import data
from helpers.churn import (
    CATEGORICAL_FEATURES,
    LABEL,
    LOG_FEATURES,
    NUMERIC_FEATURES,
    CustomerTableCheck,
    churn_pipeline,
    make_churn_dataset,
    odds_ratio_table,
)

CUTOFF = pd.Timestamp("2024-07-01")


# --------------------------------------------------------------------------------------------
# a tiny shop, small enough to compute every feature by hand
# --------------------------------------------------------------------------------------------
def tiny_orders() -> pd.DataFrame:
    rows = [
        # customer, invoice, date, revenue, channel, category
        (1, "a", "2024-01-01 10:00", 30.0, "online", "Beauty"),
        (1, "a", "2024-01-01 10:00", 10.0, "online", "Grocery"),  # same invoice, 2nd line
        (1, "b", "2024-05-01 10:00", 60.0, "store", "Grocery"),
        (1, "c", "2024-06-21 00:00", 20.0, "online", "Beauty"),
        (2, "d", "2024-02-01 00:00", 50.0, "store", "Fashion"),
        (2, "e", "2024-08-15 12:00", 99.0, "online", "Fashion"),  # in the outcome window
        (3, "f", "2024-07-10 09:00", 25.0, "store", "Toys & Games"),  # first order after cutoff
        (4, "g", "2024-12-30 09:00", 15.0, "store", "Grocery"),  # marks the end of the data
    ]
    frame = pd.DataFrame(rows, columns=["customer_id", "invoice_no", "invoice_date", "revenue",
                                        "channel", "category"])
    frame["invoice_date"] = pd.to_datetime(frame["invoice_date"]).astype("datetime64[us]")
    return frame


def tiny_customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5],
            "age": pd.array([30, pd.NA, 50, 60, 70], dtype="Int64"),
            "gender": ["F", "M", "F", "X", "M"],
            "country": ["France", "Ireland", "France", "Germany", "France"],
            "acquisition_channel": ["organic", "store", "social", "store", "referral"],
            "email_consent": [1, 0, 1, 1, 0],
            "signup_date": pd.to_datetime(["2023-12-01", "2024-01-31", "2024-07-01",
                                           "2024-01-01", "2024-01-01"]),
            # a profile column measured at the analysis date: must be ignored
            "recency_days": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )


def us(text: str) -> int:
    return int(pd.Timestamp(text).value // 1_000)


def tiny_events() -> pd.DataFrame:
    rows = [
        # user, session, time, event
        (1, 11, "2024-03-01 08:00", "session_start"),
        (1, 11, "2024-03-01 08:01", "view_item"),
        (1, 12, "2024-06-25 08:00", "session_start"),  # after the last purchase (21 June)
        (1, 12, "2024-06-25 08:02", "view_item"),
        (1, 13, "2024-07-05 08:00", "session_start"),  # after the cutoff
        (2, 21, "2024-01-31 20:00", "session_start"),
        (2, 21, "2024-01-31 20:05", "view_item"),
        (None, 99, "2024-06-01 12:00", "session_start"),  # anonymous visitor
    ]
    return pd.DataFrame(
        {
            "user_id": pd.array([r[0] for r in rows], dtype="Int64"),
            "ga_session_id": [r[1] for r in rows],
            "event_timestamp": [us(r[2]) for r in rows],
            "event_name": [r[3] for r in rows],
        }
    )


def tiny_campaign() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": pd.array([1, 2, None], dtype="Int64"),
            "sent_at": ["2024-06-01T09:00:00Z", "2024-06-01T09:00:00Z", "2024-06-01T09:00:00Z"],
            "opened_at": ["2024-06-02T09:00:00Z", "2024-07-02T09:00:00Z", None],
            "clicked_at": [None, "2024-07-02T09:05:00Z", None],
        }
    )


def tiny_table(**kwargs) -> pd.DataFrame:
    return make_churn_dataset(tiny_orders(), tiny_customers(), cutoff=CUTOFF,
                              events=tiny_events(), campaign=tiny_campaign(), **kwargs
                              ).set_index("customer_id")


def test_population_and_labels_by_hand():
    table = tiny_table()
    # customers 3 (first order after the cutoff), 4 (after the window) and 5 (never) are out
    assert table.index.tolist() == [1, 2]
    assert table[LABEL].tolist() == [1, 0]  # 1 places no order from 1 July to 28 September
    assert table.columns[-1] == LABEL
    assert list(table.columns[:-1]) == [
        *[c for c in NUMERIC_FEATURES if c in table.columns], *CATEGORICAL_FEATURES]
    assert set(NUMERIC_FEATURES) <= set(table.columns)


def test_features_by_hand():
    one = tiny_table().loc[1]
    assert one["frequency"] == 3 and one["monetary"] == 120.0
    assert one["recency_days"] == 10.0  # 21 June midnight to 1 July
    tenure = (CUTOFF - pd.Timestamp("2024-01-01 10:00")).total_seconds() / 86_400
    assert one["tenure_days"] == pytest.approx(round(tenure, 1))
    # last 90 days = from 2 April: invoices b and c; the 90 before: none
    assert one["orders_last_90d"] == 2 and one["spend_last_90d"] == 80.0
    assert one["orders_prev_90d"] == 0 and one["spend_prev_90d"] == 0.0
    rate = 3 / (one["tenure_days"] + 30)
    assert one["orders_per_30d"] == pytest.approx(30 * rate, abs=1e-4)
    assert one["expected_orders_missed"] == pytest.approx(rate * 10, abs=1e-4)
    assert one["silence_score"] == pytest.approx(
        3 * np.log((one["tenure_days"] + 30) / (one["tenure_days"] - 10 + 30)), abs=1e-4)
    assert one["share_beauty"] == pytest.approx(50 / 120, abs=1e-3)
    assert one["online_share"] == pytest.approx(2 / 3, abs=1e-3)
    # web: 2 sessions before the cutoff (not the one on 5 July), 1 in the last 90 days and
    # after the last purchase
    assert (one["web_sessions"], one["product_views"]) == (2, 2)
    assert one["web_sessions_last_90d"] == 1 and one["web_sessions_since_last_purchase"] == 1
    # e-mail: sent and opened in June; no click
    assert (one["emails_received"], one["emails_opened"], one["emails_clicked"]) == (1, 1, 0)
    assert one["days_since_signup"] == 213.0  # 1 Dec 2023 to 1 Jul 2024
    assert one["gender"] == "F" and one["age"] == 30


def test_second_customer_and_missing_values():
    two = tiny_table().loc[2]
    assert two["frequency"] == 1 and np.isnan(two["avg_days_between_orders"])
    assert np.isnan(two["age"])  # missing in the CRM: left for the pipeline to impute
    assert two["orders_prev_90d"] == 1  # 1 Feb lies 151 days before the cutoff
    # opened and clicked on 2 July, after the cutoff: not known yet
    assert (two["emails_received"], two["emails_opened"], two["emails_clicked"]) == (1, 0, 0)
    assert two["web_sessions"] == 1 and two["web_sessions_since_last_purchase"] == 0


def test_web_and_email_columns_only_when_given():
    table = make_churn_dataset(tiny_orders(), tiny_customers(), cutoff=CUTOFF)
    assert "web_sessions" not in table and "emails_received" not in table
    assert table["recency_days"].tolist() == [10.0, 151.0]  # not the CRM's stale column


def test_transactions_only_without_crm_channel_or_category():
    """A real export (Online Retail): no CRM, no sales channel, no product category."""
    plain = tiny_orders().drop(columns=["channel", "category"])
    table = make_churn_dataset(plain, None, cutoff=CUTOFF, channel_col=None,
                               category_col=None).set_index("customer_id")
    full = tiny_table()
    # every customer with an order before the cutoff, whether or not a CRM knows them
    assert table.index.tolist() == [1, 2]
    assert table[LABEL].tolist() == [1, 0]
    behaviour = [c for c in NUMERIC_FEATURES if c in table.columns]
    assert list(table.columns) == [*behaviour, LABEL]
    assert not any(c.startswith("share_") for c in table.columns)
    for column in ("online_share", "age", "email_consent", "days_since_signup",
                   *CATEGORICAL_FEATURES):
        assert column not in table
    # the behaviour columns are those of the full table, computed the same way
    pd.testing.assert_frame_equal(table[behaviour], full[behaviour])
    assert table.loc[1, "frequency"] == 3 and table.loc[1, "monetary"] == 120.0


def test_transactions_only_table_feeds_the_pipeline():
    plain = tiny_orders().drop(columns=["channel", "category"])
    table = make_churn_dataset(plain, None, cutoff=CUTOFF, channel_col=None, category_col=None)
    numeric = ["recency_days", "frequency", "avg_order_value"]
    fitted = churn_pipeline(numeric=numeric).fit(table, table[LABEL])
    assert fitted.predict_proba(table).shape == (2, 2)


def test_missing_channel_or_category_is_named():
    with pytest.raises(ValueError, match="channel"):
        make_churn_dataset(tiny_orders().drop(columns="channel"), None, cutoff=CUTOFF,
                           category_col=None)
    only_category = make_churn_dataset(tiny_orders().drop(columns="channel"), None,
                                       cutoff=CUTOFF, channel_col=None)
    assert "share_beauty" in only_category and "online_share" not in only_category


# --------------------------------------------------------------------------------------------
# no leakage: whatever happens after the cutoff cannot change a feature
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def processed() -> dict[str, pd.DataFrame]:
    return {name: data.load_processed(name)
            for name in ("orders", "customers", "web_events", "campaign")}


LEAK_CUTOFF = pd.Timestamp("2025-10-15")  # after the campaign's send: e-mail features count


def scramble_after(tables: dict[str, pd.DataFrame], cutoff: pd.Timestamp, seed: int = 0
                   ) -> dict[str, pd.DataFrame]:
    """Change and shuffle every row dated after ``cutoff``; shuffle all row orders."""
    rng = np.random.default_rng(seed)
    orders = tables["orders"].copy()
    late = orders["invoice_date"] >= cutoff
    n = int(late.sum())
    orders.loc[late, "customer_id"] = rng.permutation(orders.loc[late, "customer_id"].to_numpy())
    orders.loc[late, "revenue"] = rng.uniform(1, 5_000, n).round(2)
    orders.loc[late, "category"] = rng.choice(["Beauty", "Electronics"], n)
    orders.loc[late, "channel"] = rng.choice(["online", "store"], n)
    orders.loc[late, "invoice_date"] = cutoff + pd.to_timedelta(
        rng.integers(0, 70 * 86_400, n), unit="s")
    extra = orders.loc[late].head(50).assign(customer_id=10_001, invoice_no="NEW")
    orders = pd.concat([orders, extra]).sample(frac=1, random_state=seed)

    events = tables["web_events"].copy()
    cut_us = int(cutoff.value // 1_000)
    late_e = events["event_timestamp"] >= cut_us
    m = int(late_e.sum())
    events.loc[late_e, "user_id"] = rng.permutation(events.loc[late_e, "user_id"].to_numpy())
    events.loc[late_e, "event_timestamp"] = cut_us + rng.integers(0, 70 * 86_400 * 10**6, m)
    events.loc[late_e, "event_name"] = "view_item"
    events = events.sample(frac=1, random_state=seed)

    campaign = tables["campaign"].copy()
    for column in ("opened_at", "clicked_at"):
        when = pd.to_datetime(campaign[column], utc=True).dt.tz_localize(None)
        after = when >= cutoff
        campaign.loc[after, column] = rng.permutation(campaign.loc[after, column].to_numpy())
        campaign.loc[after & (rng.random(len(campaign)) < 0.5), column] = None
    campaign["converted_30d"] = rng.integers(0, 2, len(campaign))
    campaign["revenue_30d"] = rng.uniform(0, 500, len(campaign))
    campaign = campaign.sample(frac=1, random_state=seed)
    return {"orders": orders, "customers": tables["customers"], "web_events": events,
            "campaign": campaign}


def build(tables: dict[str, pd.DataFrame], cutoff: pd.Timestamp) -> pd.DataFrame:
    return make_churn_dataset(tables["orders"], tables["customers"], cutoff=cutoff,
                              horizon_days=60, events=tables["web_events"],
                              campaign=tables["campaign"])


def test_nothing_after_the_cutoff_reaches_the_features(processed):
    before = build(processed, LEAK_CUTOFF)
    after = build(scramble_after(processed, LEAK_CUTOFF), LEAK_CUTOFF)
    features = before.columns.drop(LABEL)
    pd.testing.assert_frame_equal(before[features], after[features])
    # the scrambling did change the future: the labels moved, the features did not
    assert (before[LABEL] != after[LABEL]).sum() > 100
    # and the e-mail features are not trivially zero at this cutoff
    assert before["emails_opened"].sum() > 100 and before["emails_clicked"].sum() > 10


def test_a_change_before_the_cutoff_does_reach_the_features(processed):
    changed = dict(processed)
    orders = processed["orders"].copy()
    first = orders.index[orders["invoice_date"] < LEAK_CUTOFF][0]
    orders.loc[first, "revenue"] += 1_000
    changed["orders"] = orders
    diff = build(changed, LEAK_CUTOFF).compare(build(processed, LEAK_CUTOFF))
    assert len(diff) == 1  # exactly that customer's row moved


def test_labels_agree_with_the_answer_key(processed, shop):
    cutoff = pd.Timestamp("2025-07-01")
    table = make_churn_dataset(processed["orders"], processed["customers"], cutoff=cutoff)
    status = shop.status_at(cutoff, 90).set_index("customer_id")
    # the population is exactly the customers the simulator had acquired by the cutoff
    acquired = set(status.index[status["acquired"]])
    assert set(table["customer_id"]) == acquired
    oracle = table["customer_id"].map(status["p_no_purchase"])
    assert table[LABEL].mean() == pytest.approx(oracle.mean(), abs=0.02)
    assert roc_auc_score(table[LABEL], oracle) > 0.85


# --------------------------------------------------------------------------------------------
# the pipeline
# --------------------------------------------------------------------------------------------
def hand_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "recency_days": [5.0, 200.0, np.nan, 40.0, 300.0, 10.0],
            "spend": [100.0, 0.0, 50.0, np.nan, 5.0, 80.0],
            "country": ["France", "UK", None, "France", "UK", "France"],
            "tier": [1, 2, 2, None, "2", 1],  # mixed ints and text: one category per value
        }
    )


def test_pipeline_is_unfitted_and_handles_missing_and_unseen_values():
    X, y = hand_table(), np.array([0, 1, 0, 0, 1, 0])
    pipe = churn_pipeline(numeric=["recency_days", "spend"], categorical=["country", "tier"],
                          log_columns=["spend"])
    with pytest.raises(NotFittedError):
        check_is_fitted(pipe)
    pipe.fit(X, y)
    new = pd.DataFrame({"recency_days": [np.nan, 250.0], "spend": [np.nan, 1.0],
                        "country": ["Atlantis", None], "tier": [3, np.nan]})
    proba = pipe.predict_proba(new)[:, 1]
    assert proba.shape == (2,) and ((proba > 0) & (proba < 1)).all()
    prepared = pipe[:-1].transform(new)
    names = list(pipe[:-1].get_feature_names_out())
    frame = pd.DataFrame(prepared, columns=names)
    onehot = [n for n in names if n.startswith("categorical__")]
    assert frame.loc[0, onehot].sum() == 0  # unseen country and tier: all zeros
    # median imputation then scaling: a missing recency sits at the scaled median (40 days)
    scaler = pipe.named_steps["prepare"].named_transformers_["numeric"].named_steps["scale"]
    assert frame.loc[0, "numeric__recency_days"] == pytest.approx(
        (40.0 - scaler.mean_[0]) / scaler.scale_[0])
    # a missing country is imputed with the most frequent one (France)
    assert frame.loc[1, "categorical__country_France"] == 1.0
    assert "categorical__tier_2" in names and "categorical__tier_2.0" not in names


def test_pipeline_takes_other_models_and_tuning():
    X, y = hand_table(), np.array([0, 1, 0, 0, 1, 0])
    tree = churn_pipeline(numeric=["recency_days"], categorical=["country"],
                          model=DecisionTreeClassifier(max_depth=1, random_state=0)).fit(X, y)
    assert tree.predict(X).tolist() == y.tolist()  # recency splits the classes perfectly
    # error_score="raise": by default a fold whose fit fails only scores NaN, and the search
    # would still pick a "best" C
    search = GridSearchCV(churn_pipeline(numeric=["recency_days", "spend"]),
                          {"model__C": [0.1, 1.0]}, cv=2, error_score="raise").fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.best_estimator_.predict_proba(X).shape == (6, 2)


def test_pipeline_on_the_churn_table_learns_something(processed):
    table = make_churn_dataset(processed["orders"], processed["customers"],
                               cutoff="2025-04-01")
    numeric = [c for c in NUMERIC_FEATURES if c in table]
    pipe = churn_pipeline(numeric=numeric, categorical=CATEGORICAL_FEATURES,
                          log_columns=[c for c in LOG_FEATURES if c in numeric])
    pipe.fit(table, table[LABEL])
    assert roc_auc_score(table[LABEL], pipe.predict_proba(table)[:, 1]) > 0.8


# --------------------------------------------------------------------------------------------
# bad input: a ValueError that names the problem
# --------------------------------------------------------------------------------------------
def test_all_missing_feature():
    X = hand_table().assign(spend=np.nan)
    with pytest.raises(ValueError, match=r"\['spend'\].*all missing"):
        churn_pipeline(numeric=["recency_days", "spend"], categorical=["country"]).fit(
            X, [0, 1, 0, 0, 1, 0])
    X = hand_table().assign(country=None)
    with pytest.raises(ValueError, match=r"\['country'\].*all missing"):
        churn_pipeline(numeric=["recency_days"], categorical=["country"]).fit(
            X, [0, 1, 0, 0, 1, 0])


def test_pipeline_missing_or_bad_columns():
    X, y = hand_table(), [0, 1, 0, 0, 1, 0]
    with pytest.raises(ValueError, match=r"missing column\(s\) \['age'\]"):
        churn_pipeline(numeric=["recency_days", "age"], categorical=["country"]).fit(X, y)
    fitted = churn_pipeline(numeric=["recency_days"], categorical=["country"]).fit(X, y)
    with pytest.raises(ValueError, match=r"missing column\(s\) \['country'\]"):
        fitted.predict_proba(X.drop(columns="country"))
    with pytest.raises(ValueError, match="column 'spend' .* must be numeric"):
        churn_pipeline(numeric=["spend"]).fit(X.assign(spend="12,50"), y)
    with pytest.raises(ValueError, match="not among the numeric"):
        churn_pipeline(numeric=["recency_days"], log_columns=["spend"])
    with pytest.raises(ValueError, match="negative"):
        churn_pipeline(numeric=["spend"], log_columns=["spend"]).fit(X.assign(spend=-1.0), y)
    with pytest.raises(ValueError, match="DataFrame"):
        churn_pipeline(numeric=["recency_days"]).fit(X[["recency_days"]].to_numpy(), y)


@pytest.mark.parametrize("cutoff", ["2023-06-01", "2024-01-01", "2024-11-15", "2025-06-01"])
def test_cutoff_outside_the_data(cutoff):
    with pytest.raises(ValueError, match=f"cutoff {cutoff} is outside the data"):
        make_churn_dataset(tiny_orders(), tiny_customers(), cutoff=cutoff)


def test_horizon_must_be_positive_days():
    with pytest.raises(ValueError, match="horizon_days"):
        make_churn_dataset(tiny_orders(), tiny_customers(), cutoff=CUTOFF, horizon_days=0)


@pytest.mark.parametrize(
    ("table", "column"),
    [("orders", "revenue"), ("orders", "invoice_date"), ("customers", "country"),
     ("events", "ga_session_id"), ("campaign", "opened_at")],
)
def test_dataset_missing_columns(table, column):
    kwargs = {"orders": tiny_orders(), "customers": tiny_customers(), "events": tiny_events(),
              "campaign": tiny_campaign()}
    kwargs[table] = kwargs[table].drop(columns=column)
    with pytest.raises(ValueError, match=rf"{table} is missing column\(s\) \['{column}'\]"):
        make_churn_dataset(cutoff=CUTOFF, **kwargs)


def test_dates_must_be_datetimes():
    orders = tiny_orders().assign(invoice_date=lambda d: d["invoice_date"].astype(str))
    with pytest.raises(ValueError, match="column 'invoice_date' of orders must hold datetimes"):
        make_churn_dataset(orders, tiny_customers(), cutoff=CUTOFF)


def test_odds_ratio_table():
    X, y = hand_table(), np.array([0, 1, 0, 0, 1, 0])
    pipe = churn_pipeline(numeric=["recency_days", "spend"], categorical=["country"],
                          log_columns=["spend"])
    with pytest.raises(ValueError, match="no coef_"):
        odds_ratio_table(pipe)
    pipe.fit(X, y)
    table = odds_ratio_table(pipe).set_index("feature")
    assert set(table.index) == {"recency_days", "spend", "country = France", "country = UK"}
    coefs = pipe.named_steps["model"].coef_.ravel()
    assert np.allclose(np.sort(np.abs(table["coefficient"])), np.sort(np.abs(coefs)))
    assert np.allclose(table["odds_ratio"], np.exp(table["coefficient"]))
    recency = X["recency_days"].fillna(X["recency_days"].median())
    assert table.loc["recency_days", "one_sd"] == pytest.approx(recency.std(ddof=0))
    log_spend = np.log1p(X["spend"].fillna(X["spend"].median()))
    assert table.loc["spend", "one_sd"] == pytest.approx(np.exp(log_spend.std(ddof=0)))
    assert table.loc["recency_days", "odds_ratio"] > 1  # long silences go with churn here
    assert table["coefficient"].abs().is_monotonic_decreasing
    tree = churn_pipeline(numeric=["recency_days"], model=DecisionTreeClassifier()).fit(X, y)
    with pytest.raises(ValueError, match="no coef_"):
        odds_ratio_table(tree)


def test_other_column_names_give_the_same_table():
    names = {"customer_id": "client", "invoice_no": "order", "invoice_date": "when",
             "revenue": "amount", "channel": "where", "category": "what"}
    expected = tiny_table().reset_index()
    got = make_churn_dataset(
        tiny_orders().rename(columns=names), tiny_customers().rename(columns=names),
        cutoff=CUTOFF, events=tiny_events(), campaign=tiny_campaign().rename(columns=names),
        customer_col="client", invoice_col="order", date_col="when", revenue_col="amount",
        channel_col="where", category_col="what")
    pd.testing.assert_frame_equal(got, expected.rename(columns={"customer_id": "client"}))
    with pytest.raises(ValueError, match=r"orders is missing column\(s\) \['when'\]"):
        make_churn_dataset(tiny_orders(), tiny_customers(), cutoff=CUTOFF, date_col="when")
    with pytest.raises(ValueError, match="column 'when' starts on"):
        make_churn_dataset(tiny_orders().rename(columns=names),
                           tiny_customers().rename(columns=names), cutoff="2020-01-01",
                           **{f"{role}_col": name for role, name in zip(
                               ["customer", "invoice", "date", "revenue", "channel",
                                "category"], names.values(), strict=True)})


def test_table_check_is_a_clonable_estimator():
    check = CustomerTableCheck(numeric=["recency_days"], categorical=["tier"])
    copy = clone(check)
    assert copy.get_params() == {"numeric": ["recency_days"], "categorical": ["tier"]}
    tidy = copy.fit(hand_table()).transform(hand_table())
    assert tidy.columns.tolist() == ["recency_days", "tier"]
    assert tidy["tier"].tolist()[:3] == ["1", "2", "2"]  # ints and text: one category "2"
    with pytest.raises(TypeError):
        CustomerTableCheck(["recency_days"])  # type: ignore[misc]


def test_features_only_for_scoring_today():
    """Scoring at the end of the data: same features as with a label, no label column."""
    orders = data.load_processed("orders")
    customers = data.load_processed("customers")
    today = make_churn_dataset(orders, customers, cutoff="2026-01-01", with_label=False)
    assert "churned" not in today.columns
    assert len(today) == orders["customer_id"].nunique()
    past = make_churn_dataset(orders, customers, cutoff="2025-07-01")
    again = make_churn_dataset(orders, customers, cutoff="2025-07-01", with_label=False)
    pd.testing.assert_frame_equal(past.drop(columns="churned"), again)
    with pytest.raises(ValueError, match="outside the data"):
        make_churn_dataset(orders, customers, cutoff="2020-01-01", with_label=False)


# --------------------------------------------------------------------------------------------
# reading the model and the snapshots in a marketer's words
# --------------------------------------------------------------------------------------------
def test_feature_label_names_every_feature_in_plain_words():
    from helpers.churn import FEATURE_NAMES, feature_label

    for name in NUMERIC_FEATURES:
        label = feature_label(name)
        assert "_" not in label, f"{name} -> {label}"
    assert set(FEATURE_NAMES) <= set(NUMERIC_FEATURES)
    assert feature_label("acquisition_channel = store") == "acquired in a store"
    assert feature_label("acquisition_channel = paid_search") == "acquired by paid search"
    assert feature_label("country = United Kingdom") == "lives in United Kingdom"
    assert feature_label("gender = F") == "gender: F"
    assert feature_label("share_beauty") == "share spent on beauty"


def test_snapshot_summary_by_hand():
    from helpers.churn import snapshot_summary

    train = pd.DataFrame({"customer_id": [1, 2, 3], LABEL: [1, 0, 0]})
    test = pd.DataFrame({"customer_id": [1, 2, 3, 4], LABEL: [1, 1, 0, 1]})
    table = snapshot_summary({"train": train, "test": test}, horizon_days=30,
                             cutoffs={"train": "2024-03-01", "test": "2024-04-01"},
                             data_start="2024-01-01")
    assert table.index.tolist() == ["train", "test"]
    assert table["Outcome until"].tolist() == ["30 Mar 2024", "30 Apr 2024"]
    assert table["Customers"].tolist() == [3, 4]
    assert table["Churners"].tolist() == [1, 3]
    assert table["Churn rate"].tolist() == ["33.3%", "75.0%"]
    with pytest.raises(ValueError, match="no cut-off given for snapshot"):
        snapshot_summary({"train": train}, cutoffs={}, horizon_days=30, data_start="2024-01-01")
    with pytest.raises(ValueError, match="churned"):
        snapshot_summary({"train": train.drop(columns=LABEL)}, cutoffs={"train": "2024-03-01"},
                         horizon_days=30, data_start="2024-01-01")


def test_value_retained_by_hand_and_bad_settings():
    from helpers.churn import value_retained

    table = pd.DataFrame({"avg_order_value": [40.0, 0.0], "orders_per_30d": [0.5, 2.0]})
    # 0.25 x 40 x (0.5 / 30 x 365.25 x 6 / 12) = 30.4375
    assert value_retained(table, margin=0.25, months=6).tolist() == [30.44, 0.0]
    assert value_retained(table, margin=0.0).eq(0).all()
    with pytest.raises(ValueError, match="margin"):
        value_retained(table, margin=30)
    with pytest.raises(ValueError, match="months"):
        value_retained(table, margin=0.3, months=0)
    with pytest.raises(ValueError, match="orders_per_30d"):
        value_retained(table.drop(columns="orders_per_30d"), margin=0.3)


def test_odds_in_words_reads_the_fitted_table():
    from helpers.churn import odds_in_words

    X = pd.DataFrame({"recency_days": [5, 200, 40, 300, 10, 150, 60, 90],
                      "frequency": [9, 1, 4, 1, 8, 2, 3, 2]})
    pipe = churn_pipeline(numeric=["recency_days", "frequency"],
                          log_columns=["frequency"]).fit(X, [0, 1, 0, 1, 0, 1, 0, 1])
    odds = odds_ratio_table(pipe)
    words = odds_in_words(odds)
    assert words.index.name == "Feature"
    assert set(words.index) == {"days since the last order", "number of orders"}
    for (_, row), (_, said) in zip(odds.iterrows(), words.iterrows(), strict=True):
        assert said["Odds of churn"] == f"{row['odds_ratio'] - 1:+.0%}"
    frequency = words.loc["number of orders", "One standard deviation more"]
    assert frequency == f"×{odds.set_index('feature').loc['frequency', 'one_sd']:.2f}"
    assert len(odds_in_words(odds, top=1)) == 1
    with pytest.raises(ValueError, match="odds_ratio"):
        odds_in_words(odds.drop(columns="odds_ratio"))


def test_late_cancellations_counts_only_hindsight():
    from helpers.churn import late_cancellations

    dates = pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-10", "2025-01-25",
                            "2025-03-01", "2025-01-02"])
    returns = pd.DataFrame({
        "cancel_row": [2, 3, 4, 5], "purchase_row": [0, 1, np.nan, 0],
        "customer_id": [7, 8, 9, 7], "units": [1, 2, 1, 3], "unit_price": [5.0, 1.0, 9.0, 5.0],
    })
    table = late_cancellations(returns, dates, {"early": "2025-01-10", "late": "2025-02-01"})
    # early: purchase 0 (5 Jan) cancelled 10 Feb counts; purchase 1 (20 Jan) is after the
    # cut-off; the unmatched cancellation is ignored; row 5 cancels before the cut-off
    assert table.loc["early", ["Purchase lines", "Customers", "Cancellations"]].tolist() == [
        1, 1, 1]
    assert table.loc["early", "Value netted (£)"] == 5.0
    # late: only the 10 Feb cancellation is dated after 1 Feb
    assert table.loc["late", "Value netted (£)"] == 5.0
    with pytest.raises(ValueError, match="unit_price"):
        late_cancellations(returns.drop(columns="unit_price"), dates, {"x": "2025-01-10"})
