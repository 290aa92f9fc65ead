"""Shared input checks: every message names the column and the problem."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.validation import (
    require_columns,
    require_datetime,
    require_frame,
    require_matrix,
    require_numeric,
    require_transactions,
)


def test_frame_and_columns():
    with pytest.raises(ValueError, match="must be a pandas DataFrame, got list"):
        require_frame([1, 2], name="orders")
    with pytest.raises(ValueError, match="orders is empty"):
        require_frame(pd.DataFrame(), name="orders")
    with pytest.raises(ValueError, match=r"missing column\(s\) \['b'\]"):
        require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], name="orders")


def test_numeric_and_datetime():
    df = pd.DataFrame({"price": ["1.5", None, "x"], "when": ["2024-01-01"] * 3})
    with pytest.raises(ValueError, match="'price' of data must be numeric; 1 value"):
        require_numeric(df, "price")
    assert require_numeric(df.iloc[:2], "price").tolist()[0] == 1.5
    with pytest.raises(ValueError, match="'when' of data must hold datetimes"):
        require_datetime(df, "when")


def test_matrix_names_the_bad_column():
    X = pd.DataFrame({"a": [1.0, 2.0], "b": [np.nan, 1.0]})
    with pytest.raises(ValueError, match=r"1 NaN or infinite value\(s\) in 'b'; impute"):
        require_matrix(X, hint="impute")
    with pytest.raises(ValueError, match="2-D"):
        require_matrix(np.arange(3.0))
    with pytest.raises(ValueError, match="has 2 columns, expected 3"):
        require_matrix(np.ones((2, 2)), n_features=3)
    assert require_matrix([[1, 2], [3, 4]]).dtype == float


def test_transactions():
    tx = pd.DataFrame({"c": [1, None], "d": pd.to_datetime(["2024-01-01", "2024-01-02"]),
                       "a": [1.0, 2.0]})
    with pytest.raises(ValueError, match="'c' of transactions has missing customer ids"):
        require_transactions(tx, customer_col="c", date_col="d", amount_col="a")
    frame, dates, amounts = require_transactions(tx.iloc[:1], customer_col="c", date_col="d",
                                                 amount_col="a")
    assert amounts.tolist() == [1.0] and len(dates) == 1 and len(frame) == 1


def test_numbers_ids_and_k():
    from helpers.validation import (
        id_kind,
        require_finite_number,
        require_ids,
        require_positive_k,
        require_positive_number,
        require_same_id_kind,
    )

    assert require_finite_number("7", "time_unit_days") == 7.0
    with pytest.raises(ValueError, match="time_unit_days must be a finite number"):
        require_finite_number(float("inf"), "time_unit_days")
    with pytest.raises(ValueError, match="margin must be a positive number"):
        require_positive_number(0, "margin")
    assert id_kind(pd.Series([1, 2.0])) == "number"
    assert require_ids(pd.Series(["a", "b"]), "item", "orders") == "string"
    with pytest.raises(ValueError, match="'user' of log has 1 missing id"):
        require_ids(pd.Series([1, None]), "user", "log")
    with pytest.raises(ValueError, match="'user' of log mixes id types"):
        require_ids(pd.Series([1, "a"], dtype=object), "user", "log")
    with pytest.raises(ValueError, match="number ids in a but string ids in b"):
        require_same_id_kind("number", "string", "user", "a", "b")
    assert require_positive_k(3) == 3
    with pytest.raises(ValueError, match="k must be a positive integer"):
        require_positive_k(0)


def test_int_and_number_settings():
    from helpers.validation import require_int_at_least, require_number_at_least

    assert require_int_at_least(np.int64(3), "n_neighbors") == 3
    assert require_int_at_least(0, "n_iterations", minimum=0) == 0
    for bad in (0, -2, 2.0, "3", True, None):
        with pytest.raises(ValueError, match="n_neighbors must be an integer >= 1, got"):
            require_int_at_least(bad, "n_neighbors")
    assert require_number_at_least(2, "alpha") == 2.0
    assert require_number_at_least(np.float32(0.5), "alpha") == 0.5
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0.0, got -1"):
        require_number_at_least(-1, "alpha")
    with pytest.raises(ValueError, match="alpha must be a finite number >= 1, got inf"):
        require_number_at_least(float("inf"), "alpha", minimum=1)
    for bad in ("0.1", True, None, [1.0]):
        with pytest.raises(ValueError, match="alpha must be a number >= 0.0"):
            require_number_at_least(bad, "alpha")


def test_day_numbers_are_local_calendar_days():
    from helpers.validation import day_numbers

    naive = pd.Series(pd.to_datetime(["1970-01-01 00:00", "1970-01-01 23:59", "2026-01-01 12:00"]))
    assert day_numbers(naive).tolist() == [0, 0, 20454]
    assert day_numbers(naive).dtype == np.int64
    # 23:30 in Paris on 1 March is 22:30 UTC: still 1 March, not shifted by the offset.
    late = pd.Series(pd.to_datetime(["2024-03-01 23:30", "2024-03-02 00:30"]))
    paris = late.dt.tz_localize("Europe/Paris")
    assert day_numbers(paris).tolist() == day_numbers(late).tolist() == [19783, 19784]
    assert day_numbers(paris.dt.tz_convert("UTC")).tolist() == [19783, 19783]


def test_require_day():
    from datetime import datetime

    from helpers.validation import require_day

    tokyo = pd.Timestamp("2026-01-01 08:00", tz="Asia/Tokyo")  # 31 Dec 23:00 in UTC
    for value in ("2026-01-01", "2026-01-01 18:30", datetime(2026, 1, 1, 9),
                  np.datetime64("2026-01-01T23:59"), tokyo):
        stamp, day = require_day(value, "as_of")
        assert stamp == pd.Timestamp("2026-01-01") and stamp.tz is None
        assert day == 20454
    for bad in (None, pd.NaT, "someday", [2026, 1, 1], float("nan")):
        with pytest.raises(ValueError, match="cutoff must be a date such as '2026-01-01', got"):
            require_day(bad, "cutoff")
