"""Notebook 10's channel exports in the data layer: written once per seed, read with types."""

from __future__ import annotations

import json
import pickle

import pandas as pd
import pytest

from helpers import constants, data
from helpers.simulator import ChannelTruth, make_channels
from helpers.sources import (
    CHANNEL_FILES,
    MANIFEST,
    ensure_channels,
    read_channel_csv,
    read_channels,
    write_channels,
)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """Every file of these tests goes under tmp_path, never into the repository's data/."""
    monkeypatch.setattr(constants, "DATA_DIR", tmp_path)
    monkeypatch.setattr(constants, "RAW_DIR", tmp_path / "raw")
    return tmp_path


@pytest.fixture(scope="module")
def world():
    return make_channels(seed=5)


def test_a_round_trip_through_the_files_loses_nothing(world, tmp_path):
    write_channels(world, tmp_path)
    tables = read_channels(tmp_path)
    for name, table in world.tables().items():
        pd.testing.assert_frame_equal(tables[name], table)


def test_the_readers_use_the_schema_types(world, tmp_path):
    paths = write_channels(world, tmp_path)
    spend = read_channel_csv(paths["spend"], "spend")
    sessions = read_channel_csv(paths["sessions"], "sessions")
    assert str(spend["week_start"].dtype) == "datetime64[s]"
    assert spend["channel"].dtype == pd.api.types.pandas_dtype("str")
    assert str(sessions["session_start"].dtype) == "datetime64[s]"
    assert sessions["user_id"].dtype == pd.api.types.pandas_dtype("str")
    assert paths["sessions"].read_text().splitlines()[1].count(":") == 2  # to the second


def test_an_unknown_table_is_refused(world, tmp_path, data_dir):
    with pytest.raises(ValueError, match="table"):
        read_channel_csv(tmp_path / "x.csv", "orders")
    with pytest.raises(ValueError, match="table"):
        data.load_channels("orders", seed=5)


def test_load_channels_writes_once_under_raw_channels(data_dir, world):
    spend = data.load_channels("spend", seed=5)
    folder = data_dir / "raw" / "channels" / "seed5"
    assert sorted(p.name for p in folder.iterdir()) == sorted([*CHANNEL_FILES.values(),
                                                               MANIFEST])
    pd.testing.assert_frame_equal(spend, world.spend)
    pd.testing.assert_frame_equal(data.load_channels("sales", seed=5), world.sales)
    pd.testing.assert_frame_equal(data.load_channels("sessions", seed=5), world.sessions)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["seed"] == 5 and manifest["simulator"] == data.simulator_fingerprint()
    # a second call reads the same files: nothing is rewritten
    stamp = (folder / CHANNEL_FILES["spend"]).stat().st_mtime_ns
    data.load_channels("spend", seed=5)
    assert (folder / CHANNEL_FILES["spend"]).stat().st_mtime_ns == stamp


def test_stale_files_are_rebuilt(data_dir, world):
    folder = data_dir / "raw" / "channels" / "seed5"
    ensure_channels(folder, seed=5, fingerprint="old-simulator")
    (folder / CHANNEL_FILES["sales"]).write_text("week_start,sales,new_customers\n")
    pd.testing.assert_frame_equal(data.load_channels("sales", seed=5), world.sales)


def test_load_channel_truth_is_cached_by_seed_and_simulator(data_dir, world):
    truth = data.load_channel_truth(seed=5)
    assert isinstance(truth, ChannelTruth)
    cached = list((data_dir / "truth").glob("channels_seed5_*.pkl"))
    assert [p.name for p in cached] == [f"channels_seed5_{data.simulator_fingerprint()}.pkl"]
    with cached[0].open("rb") as handle:
        pd.testing.assert_frame_equal(pickle.load(handle).contributions, truth.contributions)
    pd.testing.assert_frame_equal(truth.contributions, world.truth.contributions)
    pd.testing.assert_frame_equal(truth.converters, world.truth.converters)
    again = data.load_channel_truth(seed=5)
    assert again.response() == pytest.approx(truth.response())


@pytest.mark.parametrize("bad", [-1, 2.5, "5"])
def test_loaders_refuse_a_bad_seed(data_dir, bad):
    with pytest.raises(ValueError, match="seed"):
        data.load_channels("spend", seed=bad)
    with pytest.raises(ValueError, match="seed"):
        data.load_channel_truth(seed=bad)
