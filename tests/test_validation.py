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
