"""Tests for helpers.splits: time, per-user random and leave-last-n splits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.splits import leave_last_n_split, random_ratio_split, time_split


@pytest.fixture
def log():
    return pd.DataFrame(
        {
            "user": ["a"] * 5 + ["b"] * 2 + ["c"],
            "item": list("pqrstpqr"),
            "date": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-03-01",
                    "2024-02-01",
                    "2024-03-01",
                    "2024-01-15",
                    "2024-02-10",
                    "2024-01-10",
                    "2024-05-01",
                ]
            ),
        },
        index=[10, 11, 12, 13, 14, 15, 16, 17],
    )


def test_time_split(log):
    train, test = time_split(log, date_col="date", cutoff="2024-02-10")
    assert train.index.tolist() == [10, 12, 14, 16]  # strictly before the cutoff
    assert test.index.tolist() == [11, 13, 15, 17]  # on or after, original order


def test_time_split_bad_input(log):
    with pytest.raises(ValueError, match="leaves the train set empty"):
        time_split(log, date_col="date", cutoff="2020-01-01")
    with pytest.raises(ValueError, match="leaves the test set empty"):
        time_split(log, date_col="date", cutoff="2030-01-01")
    with pytest.raises(ValueError, match="column 'item' of df must hold datetimes"):
        time_split(log, date_col="item", cutoff="2024-02-01")
    with pytest.raises(ValueError, match="missing column"):
        time_split(log, date_col="when", cutoff="2024-02-01")
    with pytest.raises(ValueError, match="cannot be compared"):
        time_split(log, date_col="date", cutoff=pd.Timestamp("2024-02-01", tz="UTC"))


def test_random_ratio_split_counts_and_determinism():
    df = pd.DataFrame({"user": [1] * 10 + [2] * 3 + [3], "x": range(14)})
    train, test = random_ratio_split(df, user_col="user", ratio=0.5, random_state=0)
    # user 1: round(5) = 5 test; user 2: round(1.5) = 2 test; user 3: one row stays in train.
    assert test["user"].value_counts().sort_index().to_dict() == {1: 5, 2: 2}
    assert train["user"].value_counts().sort_index().to_dict() == {1: 5, 2: 1, 3: 1}
    assert sorted(train.index.tolist() + test.index.tolist()) == list(range(14))
    assert train.index.is_monotonic_increasing and test.index.is_monotonic_increasing

    again = random_ratio_split(df, user_col="user", ratio=0.5, random_state=0)
    assert again[1].index.equals(test.index)
    others = [
        random_ratio_split(df, user_col="user", ratio=0.5, random_state=s)[1].index
        for s in range(1, 6)
    ]
    assert any(not idx.equals(test.index) for idx in others)


def test_random_ratio_split_draws_from_default_rng():
    """One uniform key per row from np.random.default_rng(seed); each user's smallest keys
    go to test. A Generator gives the same split as its seed."""
    df = pd.DataFrame({"user": [1] * 6 + [2] * 4})
    _, test = random_ratio_split(df, user_col="user", ratio=0.5, random_state=4)
    keys = np.random.default_rng(4).random(len(df))
    expected = sorted(np.argsort(keys[:6])[:3].tolist() + (6 + np.argsort(keys[6:])[:2]).tolist())
    assert test.index.tolist() == expected
    _, again = random_ratio_split(df, user_col="user", ratio=0.5,
                                  random_state=np.random.default_rng(4))
    assert again.index.equals(test.index)


def test_splits_default_to_the_course_columns():
    orders = pd.DataFrame({"customer_id": [1, 1, 1, 2, 2],
                           "invoice_date": pd.to_datetime(["2024-01-01", "2024-02-01",
                                                           "2024-03-01", "2024-01-05",
                                                           "2024-02-05"])})
    train, test = time_split(orders, cutoff="2024-02-01")
    assert train.index.tolist() == [0, 3] and test.index.tolist() == [1, 2, 4]
    assert leave_last_n_split(orders)[1].index.tolist() == [2, 4]
    assert len(random_ratio_split(orders, ratio=0.5, random_state=0)[1]) == 3  # 2 + 1


def test_random_ratio_split_caps_at_one_training_row():
    df = pd.DataFrame({"user": ["a", "a"]})
    train, test = random_ratio_split(df, user_col="user", ratio=0.9, random_state=1)
    assert len(train) == 1 and len(test) == 1


@pytest.mark.parametrize("ratio", [0, 1, -0.2, 1.5, "0.2", True])
def test_random_ratio_split_bad_ratio(ratio):
    df = pd.DataFrame({"user": [1, 1]})
    with pytest.raises(ValueError, match="ratio must"):
        random_ratio_split(df, user_col="user", ratio=ratio)


def test_random_ratio_split_bad_ids():
    with pytest.raises(ValueError, match="column 'user' of df has 1 missing"):
        random_ratio_split(pd.DataFrame({"user": [1, None]}), user_col="user", ratio=0.5)
    with pytest.raises(ValueError, match="column 'user' of df mixes"):
        random_ratio_split(pd.DataFrame({"user": [1, "1"]}), user_col="user", ratio=0.5)
    with pytest.raises(ValueError, match="missing column"):
        random_ratio_split(pd.DataFrame({"u": [1]}), user_col="user", ratio=0.5)


def test_leave_last_n_split(log):
    train, test = leave_last_n_split(log, user_col="user", date_col="date", n=1)
    # user a: two rows on 2024-03-01 (11 and 13), the later row (13) is the newer one.
    # user b: newest is 15.  user c has a single row and stays in train.
    assert test.index.tolist() == [13, 15]
    assert train.index.tolist() == [10, 11, 12, 14, 16, 17]

    train, test = leave_last_n_split(log, user_col="user", date_col="date", n=2)
    assert test.index.tolist() == [11, 13]  # user b has only 2 rows: all in train
    assert len(train) == 6


def test_leave_last_n_split_timezone_aware(log):
    aware = log.assign(date=log["date"].dt.tz_localize("Europe/London"))
    _, test = leave_last_n_split(aware, user_col="user", date_col="date")
    assert test.index.tolist() == [13, 15]


@pytest.mark.parametrize("n", [0, -1, 1.0, True])
def test_leave_last_n_split_bad_n(log, n):
    with pytest.raises(ValueError, match="n must be an integer >= 1"):
        leave_last_n_split(log, user_col="user", date_col="date", n=n)


def test_leave_last_n_split_bad_columns(log):
    with pytest.raises(ValueError, match="must hold datetimes"):
        leave_last_n_split(log, user_col="user", date_col="item")
    with pytest.raises(ValueError, match="column 'user' of df has 1 missing"):
        leave_last_n_split(log.assign(user=[None] + ["a"] * 7), user_col="user", date_col="date")


