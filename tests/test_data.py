"""The data stages rebuild themselves from nothing, deterministically."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import constants, data


@pytest.fixture()
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(constants, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(constants, "INTERIM_DIR", tmp_path / "interim")
    monkeypatch.setattr(constants, "PROCESSED_DIR", tmp_path / "processed")
    return tmp_path


def test_processed_stage_rebuilds_from_an_empty_folder(data_dir):
    orders = data.load_processed("orders")
    assert (data_dir / "raw" / "crm.sqlite").exists()
    assert (data_dir / "interim" / "orders.csv").exists()
    profile = data.load_processed("customers")
    assert len(profile) == constants.DEFAULT_N_CUSTOMERS
    assert orders["invoice_date"].dtype == "datetime64[us]"
    assert not orders["outlier"].isna().any()
    # the stored tables equal what the pipeline computes in memory
    collected = {name: data.read_table("interim", name) for name in data.SCHEMAS["interim"]}
    fresh = data.prepare_processed(collected)
    pd.testing.assert_frame_equal(orders, fresh["orders"])
    pd.testing.assert_frame_equal(profile, fresh["customers"], check_dtype=False)
    # a second call reuses the files
    stamp = (data_dir / "processed" / "orders.csv").stat().st_mtime_ns
    data.ensure_processed()
    assert (data_dir / "processed" / "orders.csv").stat().st_mtime_ns == stamp


def test_unknown_names_are_rejected(data_dir):
    with pytest.raises(ValueError, match="unknown processed table 'sales'"):
        data.read_table("processed", "sales")
    with pytest.raises(ValueError, match="unknown stage"):
        data.stage_dir("final")
