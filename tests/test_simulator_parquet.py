"""The streamed simulator: layout, determinism, schema and story of ``write_parquet``."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from helpers.cleaning import clean_orders
from helpers.constants import PERIOD_END, PERIOD_START
from helpers.rfm import rfm_table
from helpers.schema import PRODUCT_DTYPES, STAGE_SCHEMAS
from helpers.simulator import simulate_block, write_parquet
from helpers.simulator.parquet import (
    CLEAN_ORDER_DTYPES,
    CUSTOMER_TABLE_DTYPES,
    FIRST_INVOICE,
    INVOICE_BLOCK_STRIDE,
    _catalogue,
    block_seed,
)
from helpers.simulator.retailer import (
    _customer_invoices,
    _draw_people,
    _number_invoices,
    _order_lines,
    _run_campaign,
)

N, BLOCK, SEED = 260, 100, 5  # three blocks: 100, 100 and 60 customers


def read(folder, table):
    """A table read file by file (without the ``block`` column a dataset read adds)."""
    files = sorted((folder / table).glob("block=*/part.parquet"))
    return pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("parquet") / "shop"
    blocks = write_parquet(folder, n_customers=N, seed=SEED, block_size=BLOCK, progress=False)
    return folder, blocks


def test_block_layout_and_row_counts(written):
    folder, blocks = written
    names = ["block=0000", "block=0001", "block=0002"]
    assert sorted(p.name for p in (folder / "orders").iterdir()) == names
    assert sorted(p.name for p in (folder / "customers").iterdir()) == names
    assert blocks["n_customers"].tolist() == [100, 100, 60]
    assert blocks["first_customer_id"].tolist() == [10_001, 10_101, 10_201]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert (manifest["seed"], manifest["n_customers"], manifest["block_size"]) == (SEED, N, BLOCK)
    assert manifest["blocks"] == blocks.to_dict("records")
    for row in blocks.itertuples():
        name = f"block={row.block:04d}"
        orders = pd.read_parquet(folder / "orders" / name / "part.parquet")
        customers = pd.read_parquet(folder / "customers" / name / "part.parquet")
        assert pq.ParquetFile(folder / "orders" / name / "part.parquet").metadata.num_rows \
            == row.n_order_lines == len(orders)
        assert orders["invoice_no"].nunique() == row.n_invoices
        ids = np.arange(row.first_customer_id, row.first_customer_id + row.n_customers)
        assert customers["customer_id"].tolist() == ids.tolist()
        assert orders["customer_id"].isin(ids).all()
        # invoice numbers of block b start at FIRST_INVOICE + b * stride, in time order
        numbers = orders["invoice_no"].astype("int64")
        first = FIRST_INVOICE + row.block * INVOICE_BLOCK_STRIDE
        assert numbers.min() == first and numbers.max() == first + row.n_invoices - 1
        by_number = orders.sort_values(["invoice_no", "invoice_date"])
        assert by_number["invoice_date"].is_monotonic_increasing
    assert len(read(folder, "orders")) == manifest["n_order_lines"]


def test_dtypes_are_those_of_the_processed_orders(written, small_shop):
    folder, _ = written
    orders, customers = read(folder, "orders"), read(folder, "customers")
    processed = clean_orders(small_shop.orders,
                             test_customer_ids=small_shop.test_account_ids).clean
    assert list(orders.columns) == list(processed.columns) == list(CLEAN_ORDER_DTYPES)
    pd.testing.assert_series_equal(orders.dtypes, processed.dtypes)
    stage_dtypes, date_columns = STAGE_SCHEMAS["processed"]["orders"]
    assert all(CLEAN_ORDER_DTYPES[c] == t for c, t in stage_dtypes.items())
    assert all(CLEAN_ORDER_DTYPES[c] == "datetime64[us]" for c in date_columns)
    assert {c: str(t) for c, t in customers.dtypes.items()} == CUSTOMER_TABLE_DTYPES
    products = pd.read_parquet(folder / "products" / "part.parquet")
    assert list(products.columns) == list(PRODUCT_DTYPES) and len(products) == 240
    assert set(orders["stock_code"]) <= set(products["stock_code"])


def test_same_seed_gives_the_same_files_and_another_seed_other_data(written, tmp_path):
    folder, _ = written
    write_parquet(tmp_path / "again", n_customers=N, seed=SEED, block_size=BLOCK,
                  progress=False)
    for file in sorted(folder.rglob("*.parquet")):
        again = tmp_path / "again" / file.relative_to(folder)
        assert hashlib.sha256(file.read_bytes()).digest() == \
            hashlib.sha256(again.read_bytes()).digest(), file.relative_to(folder)
    write_parquet(tmp_path / "other", n_customers=N, seed=SEED + 1, block_size=BLOCK,
                  progress=False)
    assert not read(folder, "orders").equals(read(tmp_path / "other", "orders"))


def test_first_blocks_do_not_depend_on_the_number_of_customers(written):
    folder, _ = written
    alone = simulate_block(1, n_customers=200, seed=SEED, block_size=BLOCK)
    stored = pd.read_parquet(folder / "orders" / "block=0001" / "part.parquet")
    pd.testing.assert_frame_equal(alone["orders"], stored)
    stored = pd.read_parquet(folder / "customers" / "block=0001" / "part.parquet")
    pd.testing.assert_frame_equal(alone["customers"], stored)


def test_a_block_is_the_retailer_steps_run_on_the_block_seed(written):
    """Block 2 is make_retailer's customers, campaign, invoices and order lines steps run on
    a generator seeded with child 3 of SeedSequence(seed), its guests and test accounts aside."""
    folder, _ = written
    products, weights = _catalogue(SEED)
    seeds = np.random.SeedSequence(SEED).spawn(4)
    assert (block_seed(SEED, 2).generate_state(4) == seeds[3].generate_state(4)).all()
    rng = np.random.default_rng(seeds[3])
    world = _draw_people(rng, 60, products, weights, first_id=10_201)
    campaign = _run_campaign(rng, world)
    invoices = _number_invoices(_customer_invoices(rng, world, campaign),
                                first=FIRST_INVOICE + 2 * INVOICE_BLOCK_STRIDE)
    lines, _ = _order_lines(rng, world, invoices)
    stored = pd.read_parquet(folder / "orders" / "block=0002" / "part.parquet")
    assert stored["invoice_no"].tolist() == lines["invoice_no"].astype(str).tolist()
    assert stored["stock_code"].tolist() == lines["stock_code"].tolist()
    assert stored["quantity"].tolist() == lines["quantity"].tolist()
    assert stored["invoice_date"].tolist() == lines["timestamp"].tolist()
    assert stored["customer_id"].tolist() == lines["customer_id"].astype("int64").tolist()
    np.testing.assert_array_equal(stored["revenue"],
                                  (stored["quantity"] * stored["unit_price"]).round(6))


def test_rfm_table_runs_unchanged_and_counts_the_invoices(written):
    folder, blocks = written
    orders = read(folder, "orders")
    rfm = rfm_table(orders, order_col="invoice_no")
    assert rfm["frequency"].sum() == blocks["n_invoices"].sum()
    spend = orders.groupby("customer_id")["revenue"].sum()
    np.testing.assert_allclose(rfm["monetary"], spend.loc[rfm.index], rtol=1e-12)
    assert orders["quantity"].ge(1).all() and orders["unit_price"].gt(0).all()
    assert orders["invoice_date"].between(PERIOD_START, PERIOD_END + pd.Timedelta(days=1)).all()
    assert not orders["outlier"].any()
    assert set(orders["channel"]) == {"online", "store"}


def test_the_story_is_the_default_retailers(shop, tmp_path):
    """Per customer, the streamed retailer buys as the default one: order lines, invoices
    and spend within 12 % (about four standard errors at 5,000 customers each)."""
    blocks = write_parquet(tmp_path / "s", n_customers=5_000, seed=1, block_size=2_500,
                           progress=False)
    streamed = read(tmp_path / "s", "orders")
    default = clean_orders(shop.orders, test_customer_ids=shop.test_account_ids).clean
    for frame in (streamed, default):
        frame["n"] = 1
    per_customer = {
        name: (frame["n"].sum() / 5_000, frame["invoice_no"].nunique() / 5_000,
               frame["revenue"].sum() / 5_000)
        for name, frame in (("streamed", streamed), ("default", default))
    }
    np.testing.assert_allclose(per_customer["streamed"], per_customer["default"], rtol=0.12)
    assert blocks["n_order_lines"].sum() == len(streamed)


def test_progress_bar_ticks_once_per_block(tmp_path, capsys):
    write_parquet(tmp_path / "p", n_customers=150, seed=1, block_size=50)
    assert "3/3" in capsys.readouterr().err
    write_parquet(tmp_path / "q", n_customers=150, seed=1, block_size=50, progress=False)
    assert capsys.readouterr().err == ""


def test_a_block_without_orders_still_has_its_schema(tmp_path):
    # find a seed whose one-customer last block never buys (5 % of customers never do)
    seed = next(s for s in range(500)
                if simulate_block(1, n_customers=51, seed=s, block_size=50)["orders"].empty)
    blocks = write_parquet(tmp_path / "e", n_customers=51, seed=seed, block_size=50,
                           progress=False)
    assert blocks["n_order_lines"].iloc[-1] == 0
    empty = pd.read_parquet(tmp_path / "e" / "orders" / "block=0001" / "part.parquet")
    assert {c: str(t) for c, t in empty.dtypes.items()} == CLEAN_ORDER_DTYPES
    assert len(read(tmp_path / "e", "customers")) == 51


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_customers": 10}, "n_customers must be an integer >= 50"),
        ({"n_customers": 1000.0}, "n_customers must be an integer"),
        ({"n_customers": 100, "seed": -1}, "seed must be"),
        ({"n_customers": 100, "block_size": 10}, "block_size must be"),
        ({"n_customers": 100, "block_size": 2_000_000}, "block_size must be at most"),
        ({"n_customers": 100, "progress": "yes"}, "progress and overwrite"),
    ],
)
def test_bad_sizes_raise_naming_the_setting(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        write_parquet(tmp_path / "x", **kwargs)
    assert not (tmp_path / "x").exists()


def test_bad_paths_raise_naming_the_problem(tmp_path, written):
    file = tmp_path / "file.txt"
    file.write_text("not a folder")
    with pytest.raises(ValueError, match="is a file"):
        write_parquet(file, n_customers=60, progress=False)
    with pytest.raises(ValueError, match="path must be a folder name"):
        write_parquet(None, n_customers=60, progress=False)
    with pytest.raises(ValueError, match="not empty"):
        write_parquet(tmp_path, n_customers=60, progress=False)
    with pytest.raises(ValueError, match="did not write"):
        write_parquet(tmp_path, n_customers=60, progress=False, overwrite=True)
    assert file.exists()
    with pytest.raises(ValueError, match="block must be below 3"):
        simulate_block(3, n_customers=N, seed=SEED, block_size=BLOCK)


def test_overwrite_replaces_an_earlier_output(tmp_path):
    folder = tmp_path / "shop"
    write_parquet(folder, n_customers=150, seed=1, block_size=50, progress=False)
    (folder / "manifest.json").unlink()  # as if interrupted: the manifest is written last
    blocks = write_parquet(folder, n_customers=60, seed=1, block_size=50, progress=False,
                           overwrite=True)
    assert sorted(p.name for p in (folder / "orders").iterdir()) == ["block=0000",
                                                                     "block=0001"]
    assert blocks["n_customers"].tolist() == [50, 10]
    (folder / "orders" / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="notes.txt"):
        write_parquet(folder, n_customers=60, progress=False, overwrite=True)
    assert (folder / "orders" / "notes.txt").exists() and (folder / "manifest.json").exists()
