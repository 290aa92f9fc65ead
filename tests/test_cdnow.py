"""Tests for helpers.cdnow: the CDNOW files read as data from the lifetimes wheel."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

from helpers import cdnow
from helpers.cdnow import cdnow_path, load_cdnow


@pytest.fixture(scope="module")
def master() -> pd.DataFrame:
    return load_cdnow("master")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return load_cdnow("sample")


def test_master_has_the_published_counts_and_period(master: pd.DataFrame) -> None:
    # Fader and Hardie: 23,570 customers of the 1997 Q1 cohort, followed to 30 June 1998.
    assert master["customer_id"].nunique() == 23_570
    assert len(master) == 69_659
    assert master["date"].min() == pd.Timestamp("1997-01-01")
    assert master["date"].max() == pd.Timestamp("1998-06-30")
    # The whole cohort is acquired in the first quarter of 1997.
    assert master.groupby("customer_id")["date"].min().max() == pd.Timestamp("1997-03-25")
    assert master["customer_id"].min() == 1
    assert master["customer_id"].max() == 23_570


def test_master_columns_and_first_record(master: pd.DataFrame) -> None:
    assert list(master.columns) == ["customer_id", "date", "quantity", "amount"]
    assert pd.api.types.is_integer_dtype(master["customer_id"])
    assert pd.api.types.is_datetime64_any_dtype(master["date"])
    assert pd.api.types.is_integer_dtype(master["quantity"])
    assert pd.api.types.is_float_dtype(master["amount"])
    # First data line of CDNOW_master.txt: " 00001 19970101  1   11.77".
    first = master.iloc[0]
    assert (first["customer_id"], first["date"], first["quantity"], first["amount"]) == (
        1,
        pd.Timestamp("1997-01-01"),
        1,
        11.77,
    )
    assert master["quantity"].min() == 1
    assert (master["amount"] == 0).sum() == 80  # free items, kept as in the file
    assert (master["amount"] >= 0).all()


def test_sample_has_the_published_counts(sample: pd.DataFrame) -> None:
    assert sample["customer_id"].nunique() == 2_357
    assert len(sample) == 6_919
    assert sample["date"].min() == pd.Timestamp("1997-01-01")
    assert sample["date"].max() == pd.Timestamp("1998-06-30")
    assert list(sample.columns) == ["customer_id", "date", "quantity", "amount", "sample_id"]
    # Sample ids run 1..2357 and map one-to-one onto master ids.
    assert sorted(sample["sample_id"].unique()) == list(range(1, 2_358))
    pairs = sample[["sample_id", "customer_id"]].drop_duplicates()
    assert len(pairs) == 2_357
    # First line of CDNOW_sample.txt: " 00004 0001 19970101  2   29.33".
    first = sample.iloc[0]
    assert (first["customer_id"], first["sample_id"], first["quantity"], first["amount"]) == (
        4,
        1,
        2,
        29.33,
    )


def test_sample_records_are_master_records(master: pd.DataFrame, sample: pd.DataFrame) -> None:
    cols = ["customer_id", "date", "quantity", "amount"]
    ours = sample[cols].value_counts()
    theirs = master[master["customer_id"].isin(sample["customer_id"])][cols].value_counts()
    pd.testing.assert_series_equal(ours.sort_index(), theirs.sort_index())


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        load_cdnow("full")  # type: ignore[arg-type]


def test_missing_lifetimes_gives_an_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec

    def no_lifetimes(name: str, *args: object) -> object:
        return None if name == "lifetimes" else real_find_spec(name, *args)

    monkeypatch.setattr(cdnow.importlib.util, "find_spec", no_lifetimes)
    with pytest.raises(ModuleNotFoundError, match="pip install lifetimes"):
        load_cdnow("sample")


def test_path_points_into_the_lifetimes_datasets() -> None:
    path = cdnow_path("master")
    assert path.name == "CDNOW_master.txt"
    assert path.parent.name == "datasets"
    assert path.parent.parent.name == "lifetimes"
