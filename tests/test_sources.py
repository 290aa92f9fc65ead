"""Raw sources: written like real exports, read back losslessly, same seed same bytes."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest

from helpers import sources
from helpers.simulator import make_retailer

#: sha256 of each raw file for (n_customers, seed). The SQLite file is hashed through its SQL
#: dump, which does not depend on the page layout of the SQLite library that wrote it.
#: If you change the simulator on purpose, update these and say so in the commit message.
PINNED = {
    (400, 3): {
        "crm": "8d1ee0b077c7c11d5de663416662a9a32015c9551cd69cda408c883fc875b548",
        "orders": "b7c4abc1385b90983952a0f2eda762bde26b1f82716aa587106572f940e2c294",
        "web_events": "97c289e4c88df36cedadbc4913238cf38909e15945cd0a3f11ed307c5a135cc1",
        "campaign": "c26951eeab99837d2e645506c8203b8995c4425be388344cdd86f5cbdf380b3b",
    },
    (5000, 42): {
        "crm": "aaebd753beecf71acf1e1e6a80929374a35279b8829ff6f6d5df772979e05afe",
        "orders": "aa3406190000e94084a4a07e249b2c27ed9b9be2ac085fef04091cf09085d5c3",
        "web_events": "608fac3cac25e94dc5d3146817281313c69d23e9ab57353af7d32de73eb1993a",
        "campaign": "37bc926b0a50a5b6a1b44349e720b1c5f28071634882efb78716aa479b206aff",
    },
}


@pytest.fixture(scope="module")
def written(tmp_path_factory, small_shop):
    folder = tmp_path_factory.mktemp("raw")
    return folder, sources.write_raw(small_shop, folder)


def test_round_trip_is_lossless(written, small_shop):
    folder, _ = written
    back = sources.read_raw(folder)
    for name, frame in small_shop.tables().items():
        pd.testing.assert_frame_equal(back[name], frame.reset_index(drop=True), obj=name)


def test_small_checksums_are_pinned(written):
    _, paths = written
    got = {name: sources.file_checksum(path) for name, path in paths.items()}
    assert got == PINNED[(400, 3)]


def test_default_checksums_are_pinned(tmp_path, shop):
    paths = sources.write_raw(shop, tmp_path)
    manifest = json.loads((tmp_path / sources.MANIFEST).read_text())
    assert manifest["sha256"] == PINNED[(5000, 42)]
    assert {name: sources.file_checksum(p) for name, p in paths.items()} == manifest["sha256"]


def test_each_source_has_its_real_format(written):
    _, paths = written
    with sqlite3.connect(paths["crm"]) as con:
        tables = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    assert {"customers", "products"} <= tables
    first = json.loads(paths["web_events"].read_text().splitlines()[0])
    assert {"device", "traffic_source", "event_params", "items"} <= set(first)
    header = paths["orders"].read_text().splitlines()[0].split(",")
    assert header[:3] == ["invoice_no", "stock_code", "description"]
    assert "email" in paths["campaign"].read_text().splitlines()[0]


def test_sql_query_reads_the_crm(written):
    _, paths = written
    frame = sources.read_crm_customers(
        paths["crm"], "SELECT customer_id, email_consent FROM customers WHERE email_consent = 1"
    )
    assert (frame["email_consent"] == 1).all()
    assert frame["customer_id"].dtype == "int64"


def test_ensure_raw_reuses_and_rebuilds(tmp_path):
    paths = sources.ensure_raw(tmp_path, n_customers=120, seed=5)
    stamp = paths["orders"].stat().st_mtime_ns
    assert sources.ensure_raw(tmp_path, n_customers=120, seed=5)["orders"].stat(
    ).st_mtime_ns == stamp
    sources.ensure_raw(tmp_path, n_customers=120, seed=6)
    manifest = json.loads((tmp_path / sources.MANIFEST).read_text())
    assert manifest["seed"] == 6
    expected = make_retailer(n_customers=120, seed=6).orders
    pd.testing.assert_frame_equal(sources.read_orders_csv(paths["orders"]), expected)
