"""The data stages rebuild themselves from nothing, deterministically."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import constants, data, schema
from helpers.schema import STAGE_SCHEMAS


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
    collected = {name: data.read_table("interim", name) for name in STAGE_SCHEMAS["interim"]}
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


SMALL = {"n_customers": 400, "seed": 3}


def test_each_stage_records_what_it_was_built_from(data_dir):
    data.ensure_processed(**SMALL)
    assert data.built_from("interim") == data.stage_record("interim", **SMALL)
    record = data.built_from("processed")
    assert record == data.stage_record("processed", **SMALL)
    assert record["as_of"] == f"{constants.AS_OF:%Y-%m-%d}"
    # the key itself never lies next to the data, only a fingerprint of it
    manifest = (data_dir / "interim" / "MANIFEST.json").read_text()
    assert constants.DEFAULT_PSEUDONYM_KEY not in manifest


def test_asking_for_other_inputs_rebuilds_every_stage(data_dir):
    small = data.load_processed("customers", **SMALL)
    other = data.load_processed("customers", n_customers=400, seed=4)
    assert data.built_from("processed")["seed"] == 4
    assert data.built_from("interim")["seed"] == 4
    assert not small.equals(other)
    # the answer key belongs to the data in use: same customers, same signup dates
    # the answer key belongs to the data in use: every customer's number of orders in the
    # cleaned data is the number of orders the simulator truly made for them
    truth = data.load_truth(n_customers=400, seed=4)
    true_orders = truth.true_orders.groupby("customer_id")["invoice_no"].nunique()
    frequency = other.set_index("customer_id")["frequency"]
    assert (frequency.reindex(true_orders.index) == true_orders).all()
    assert set(frequency[frequency > 0].index) == set(true_orders.index)


def test_another_as_of_rebuilds_only_what_depends_on_it(data_dir):
    data.ensure_processed(**SMALL)
    interim_stamp = (data_dir / "interim" / "orders.csv").stat().st_mtime_ns
    data.ensure_processed(**SMALL, as_of="2025-07-01")
    assert data.built_from("processed")["as_of"] == "2025-07-01"
    assert (data_dir / "interim" / "orders.csv").stat().st_mtime_ns == interim_stamp
    orders = data.read_table("processed", "orders")
    assert len(orders) > 0


def test_a_table_written_alone_makes_the_stage_rebuild(data_dir):
    """Overwriting one table (say from another seed) must not pass for the recorded inputs."""
    customers = data.load_processed("customers", **SMALL)
    data.write_table(customers.head(5), "processed", "customers")
    assert data.built_from("processed") is None
    again = data.load_processed("customers", **SMALL)
    pd.testing.assert_frame_equal(again, customers)


def test_write_stage_needs_every_table(data_dir):
    with pytest.raises(ValueError, match="holds the tables"):
        data.write_stage("processed", {"orders": pd.DataFrame()})
    with pytest.raises(ValueError, match="seed must be"):
        data.stage_record("interim", seed=-1)


def test_stored_tables_have_their_schema_types(data_dir):
    data.ensure_processed(**SMALL)
    for stage, tables in STAGE_SCHEMAS.items():
        for name, (dtypes, dates) in tables.items():
            frame = data.read_table(stage, name)
            for column, dtype in dtypes.items():
                assert frame[column].dtype == pd.api.types.pandas_dtype(dtype), (stage, name)
            for column in dates:
                assert frame[column].dtype == "datetime64[us]", (stage, name, column)


def test_every_stored_column_is_in_the_data_dictionary(data_dir):
    """data/README.md (generated from helpers.schema) describes every column a notebook reads."""
    data.ensure_processed(**SMALL)
    raw, derived = schema.RAW_DESCRIPTIONS, schema.DERIVED_DESCRIPTIONS
    described = {
        "customers": set(raw["customers"]) | set(derived["customers (interim)"])
        | set(derived["customers (processed profile)"]),
        "orders": set(raw["orders"]) | set(derived["orders (processed)"]),
        "cleaning_audit": set(raw["orders"]) | set(derived["cleaning_audit (processed)"]),
        "campaign": set(raw["campaign"]) | set(derived["campaign (interim)"]),
        "products": set(raw["products"]),
        "web_events": set(raw["web_events"]),
    }
    for stage in STAGE_SCHEMAS:
        for name in STAGE_SCHEMAS[stage]:
            columns = set(data.read_table(stage, name).columns)
            missing = {c for c in columns - described[name] if not c.startswith("share_")}
            assert not missing, f"{stage}/{name}: no description for {sorted(missing)}"
