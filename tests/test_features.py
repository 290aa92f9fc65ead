"""The customer profile: hand-computed values, and no leakage from after ``as_of``."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.features import customer_profile, order_features, web_features

AS_OF = pd.Timestamp("2024-02-01")


def orders() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 2, 2],
            "invoice_no": ["a", "a", "b", "c", "z"],
            "invoice_date": pd.to_datetime(["2024-01-01 12:00", "2024-01-01 12:00",
                                            "2024-01-11 12:00", "2024-01-21 12:00",
                                            "2024-03-01 12:00"]).astype("datetime64[us]"),
            "revenue": [10.0, 30.0, 20.0, 5.0, 1000.0],
            "channel": ["online", "online", "store", "store", "online"],
            "category": ["Grocery", "Beauty", "Grocery", "Fashion", "Electronics"],
        }
    )


def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "age": [30, 40, 50],
            "gender": ["F", "M", "X"],
            "country": ["France", "Ireland", "Germany"],
            "acquisition_channel": ["organic", "store", "social"],
            "email_consent": [1, 0, 1],
            "signup_date": pd.to_datetime(["2023-12-01"] * 3),
        }
    )


def test_order_features_by_hand():
    got = order_features(orders(), AS_OF)
    one = got.loc[1]
    assert one["frequency"] == 2
    assert one["monetary"] == 60.0
    assert one["avg_order_value"] == 30.0
    assert one["recency_days"] == pytest.approx(20.5)
    assert one["tenure_days"] == pytest.approx(30.5)
    assert one["avg_days_between_orders"] == pytest.approx(10.0)
    assert one["online_share"] == 0.5
    assert one["share_grocery"] == pytest.approx(0.5)
    assert one["share_beauty"] == pytest.approx(0.5)
    two = got.loc[2]
    assert two["frequency"] == 1 and two["monetary"] == 5.0
    assert pd.isna(two["avg_days_between_orders"])
    assert two["share_electronics"] == 0.0  # the March order lies after as_of


def test_nothing_after_as_of_reaches_the_features():
    base = orders()
    changed = base.copy()
    future = changed["invoice_date"] >= AS_OF
    changed.loc[future, "revenue"] = 123456.0
    changed.loc[future, "category"] = "Grocery"
    pd.testing.assert_frame_equal(order_features(base, AS_OF), order_features(changed, AS_OF))


def test_profile_keeps_customers_who_never_bought():
    profile = customer_profile(orders(), customers(), None, as_of=AS_OF)
    assert profile["customer_id"].tolist() == [1, 2, 3]
    assert profile.loc[2, "frequency"] == 0
    assert profile.loc[2, "monetary"] == 0.0
    assert pd.isna(profile.loc[2, "last_purchase"])


def test_profile_leaves_out_customers_who_signed_up_on_or_after_as_of():
    later = customers().assign(signup_date=pd.to_datetime(["2023-12-01", "2024-02-01",
                                                           "2024-03-01"]))
    profile = customer_profile(orders(), later, None, as_of=AS_OF)
    assert profile["customer_id"].tolist() == [1]
    with pytest.raises(ValueError, match="signup_date"):
        customer_profile(orders(), later.assign(signup_date=pd.NaT), None, as_of=AS_OF)


def test_web_features_count_logged_in_sessions_before_as_of():
    ts = lambda text: int(pd.Timestamp(text).value // 1000)  # noqa: E731
    events = pd.DataFrame(
        {
            "user_id": pd.array([1, 1, 1, None, 1], dtype="Int64"),
            "event_timestamp": [ts("2024-01-05"), ts("2024-01-05"), ts("2024-01-09"),
                                ts("2024-01-09"), ts("2024-03-01")],
            "event_name": ["session_start", "view_item", "view_item", "view_item",
                           "view_item"],
            "ga_session_id": [10, 10, 11, 12, 13],
        }
    )
    got = web_features(events, AS_OF)
    assert got.loc[1, "web_sessions"] == 2
    assert got.loc[1, "product_views"] == 2


def test_bad_input():
    with pytest.raises(ValueError, match="before as_of"):
        order_features(orders(), pd.Timestamp("2020-01-01"))
    with pytest.raises(ValueError, match="must hold datetimes"):
        order_features(orders().assign(invoice_date="2024-01-01"), AS_OF)
    with pytest.raises(ValueError, match="missing column"):
        customer_profile(orders(), customers().drop(columns="age"), None, as_of=AS_OF)
