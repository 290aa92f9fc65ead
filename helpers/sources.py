"""Write the retailer's raw sources the way real systems export them, and read them back.

=================  =========================  =====================================
source             file under ``data/raw/``   read with
=================  =========================  =====================================
CRM + catalogue    ``crm.sqlite``             SQL (``sqlite3``, standard library)
POS / web orders   ``orders.csv``             ``pandas.read_csv`` with explicit types
web analytics      ``web_events.jsonl``       JSON Lines, nested like a GA4 export
e-mail platform    ``campaign.csv``           ``pandas.read_csv``
=================  =========================  =====================================

Each reader returns exactly the DataFrame the simulator holds in memory, so a round trip
through the files loses nothing (the tests check it).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from .constants import DEFAULT_N_CUSTOMERS, DEFAULT_SEED, RAW_DIR

FILES = {
    "crm": "crm.sqlite",
    "orders": "orders.csv",
    "web_events": "web_events.jsonl",
    "campaign": "campaign.csv",
}
MANIFEST = "MANIFEST.json"

ORDER_DTYPES = {
    "invoice_no": "str",
    "stock_code": "str",
    "description": "str",
    "category": "str",
    "quantity": "int64",
    "invoice_date": "str",
    "unit_price": "float64",
    "customer_id": "Int64",
    "country": "str",
    "channel": "str",
}
CAMPAIGN_DTYPES = {
    "campaign_id": "str",
    "email": "str",
    "variant": "str",
    "sent_at": "str",
    "opened_at": "str",
    "clicked_at": "str",
    "unsubscribed": "int64",
    "converted_30d": "int64",
    "revenue_30d": "float64",
}
CUSTOMER_DTYPES = {
    "customer_id": "int64",
    "first_name": "str",
    "last_name": "str",
    "email": "str",
    "phone": "str",
    "birth_date": "str",
    "gender": "str",
    "city": "str",
    "country": "str",
    "signup_date": "str",
    "acquisition_channel": "str",
    "email_consent": "int64",
    "sms_consent": "int64",
}
EVENT_COLUMNS = [
    "event_timestamp",
    "event_name",
    "user_pseudo_id",
    "user_id",
    "ga_session_id",
    "device_category",
    "source",
    "medium",
    "item_id",
    "transaction_id",
]


# --- writers ----------------------------------------------------------------------------
def write_crm(customers: pd.DataFrame, products: pd.DataFrame, path: Path) -> Path:
    """Write the CRM tables ``customers`` and ``products`` into a fresh SQLite file."""
    path = Path(path)
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as con:
        con.execute(
            """CREATE TABLE customers (
                customer_id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT,
                email TEXT, phone TEXT, birth_date TEXT, gender TEXT, city TEXT,
                country TEXT, signup_date TEXT, acquisition_channel TEXT,
                email_consent INTEGER, sms_consent INTEGER)"""
        )
        con.execute(
            """CREATE TABLE products (
                stock_code TEXT PRIMARY KEY, name TEXT, category TEXT, description TEXT,
                unit_price REAL)"""
        )
        rows = customers.astype(object).where(customers.notna(), None)
        con.executemany(
            f"INSERT INTO customers VALUES ({','.join('?' * customers.shape[1])})",
            rows.itertuples(index=False, name=None),
        )
        con.executemany(
            "INSERT INTO products VALUES (?, ?, ?, ?, ?)",
            products.astype(object).itertuples(index=False, name=None),
        )
    con.close()
    return path


def write_orders_csv(orders: pd.DataFrame, path: Path) -> Path:
    """Write order lines as the POS/web-shop CSV export."""
    orders.to_csv(path, index=False, lineterminator="\n")
    return Path(path)


def write_campaign_csv(campaign: pd.DataFrame, path: Path) -> Path:
    """Write the e-mail platform's campaign log."""
    campaign.to_csv(path, index=False, lineterminator="\n")
    return Path(path)


def _event_record(row: tuple) -> str:
    ts, name, pseudo, user, session, device, source, medium, item, transaction = row
    record = {
        "event_date": pd.Timestamp(ts, unit="us").strftime("%Y%m%d"),
        "event_timestamp": ts,
        "event_name": name,
        "user_pseudo_id": pseudo,
        "user_id": None if user is None else str(user),
        "event_params": {"ga_session_id": session},
        "device": {"category": device},
        "traffic_source": {"source": source, "medium": medium},
        "items": [] if item is None else [{"item_id": item}],
    }
    if transaction is not None:
        record["ecommerce"] = {"transaction_id": transaction}
    return json.dumps(record, separators=(",", ":"))


def write_web_events(events: pd.DataFrame, path: Path) -> Path:
    """Write events as JSON Lines nested like a GA4 BigQuery export (one event a line)."""
    flat = events[EVENT_COLUMNS].astype(object)
    flat = flat.where(flat.notna(), None)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in flat.itertuples(index=False, name=None):
            handle.write(_event_record(row))
            handle.write("\n")
    return Path(path)


# --- readers ----------------------------------------------------------------------------
def read_crm_customers(path: Path, query: str = "SELECT * FROM customers ORDER BY customer_id"
                       ) -> pd.DataFrame:
    """Run ``query`` against the CRM database and return the result with the CRM's types."""
    with sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True) as con:
        frame = pd.read_sql_query(query, con)
    con.close()
    return frame.astype({c: t for c, t in CUSTOMER_DTYPES.items() if c in frame.columns})


def read_crm_products(path: Path) -> pd.DataFrame:
    """Read the product catalogue from the CRM database."""
    with sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True) as con:
        frame = pd.read_sql_query("SELECT * FROM products ORDER BY rowid", con)
    con.close()
    return frame.astype({"stock_code": "str", "name": "str", "category": "str",
                         "description": "str", "unit_price": "float64"})


def read_orders_csv(path: Path) -> pd.DataFrame:
    """Read the order-line export, keeping text as text (dates are parsed by cleaning)."""
    return pd.read_csv(path, dtype=ORDER_DTYPES, keep_default_na=False, na_values={
        "customer_id": [""]})


def read_campaign_csv(path: Path) -> pd.DataFrame:
    """Read the e-mail platform's campaign log."""
    return pd.read_csv(path, dtype=CAMPAIGN_DTYPES)


def read_web_events(path: Path) -> pd.DataFrame:
    """Read the JSON Lines export and flatten it to one row per event."""
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    items = [r["items"][0]["item_id"] if r["items"] else None for r in records]
    frame = pd.DataFrame(
        {
            "event_timestamp": np.array([r["event_timestamp"] for r in records], dtype="int64"),
            "event_name": [r["event_name"] for r in records],
            "user_pseudo_id": [r["user_pseudo_id"] for r in records],
            "user_id": pd.array(
                [None if r["user_id"] is None else int(r["user_id"]) for r in records],
                dtype="Int64",
            ),
            "ga_session_id": np.array(
                [r["event_params"]["ga_session_id"] for r in records], dtype="int64"
            ),
            "device_category": [r["device"]["category"] for r in records],
            "source": [r["traffic_source"]["source"] for r in records],
            "medium": [r["traffic_source"]["medium"] for r in records],
            "item_id": pd.array(items, dtype="str"),
            "transaction_id": pd.array(
                [r.get("ecommerce", {}).get("transaction_id") for r in records], dtype="str"
            ),
        }
    )
    return frame


# --- the whole set ----------------------------------------------------------------------
def file_checksum(path: Path) -> str:
    """SHA-256 of a raw file; for SQLite, of its SQL dump (independent of page layout)."""
    path = Path(path)
    digest = hashlib.sha256()
    if path.suffix == ".sqlite":
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            for line in con.iterdump():
                digest.update(line.encode("utf-8"))
        con.close()
    else:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def write_raw(retailer, raw_dir: Path = RAW_DIR) -> dict[str, Path]:
    """Write the four raw sources of a :class:`~helpers.simulator.Retailer` to ``raw_dir``.

    Also writes ``MANIFEST.json`` with the seed, size and checksum of each file.
    """
    raw_dir = Path(raw_dir)
    raw_dir.mkdir(parents=True, exist_ok=True)
    paths = {name: raw_dir / file for name, file in FILES.items()}
    write_crm(retailer.customers, retailer.products, paths["crm"])
    write_orders_csv(retailer.orders, paths["orders"])
    write_web_events(retailer.sessions, paths["web_events"])
    write_campaign_csv(retailer.campaign, paths["campaign"])
    manifest = {
        "seed": retailer.seed,
        "n_customers": retailer.n_customers,
        "sha256": {name: file_checksum(path) for name, path in paths.items()},
    }
    (raw_dir / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return paths


def read_raw(raw_dir: Path = RAW_DIR) -> dict[str, pd.DataFrame]:
    """Read all raw sources back: ``customers``, ``products``, ``orders``, ``sessions``,
    ``campaign``."""
    raw_dir = Path(raw_dir)
    crm = raw_dir / FILES["crm"]
    return {
        "customers": read_crm_customers(crm),
        "products": read_crm_products(crm),
        "orders": read_orders_csv(raw_dir / FILES["orders"]),
        "sessions": read_web_events(raw_dir / FILES["web_events"]),
        "campaign": read_campaign_csv(raw_dir / FILES["campaign"]),
    }


def ensure_raw(
    raw_dir: Path = RAW_DIR, n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED
) -> dict[str, Path]:
    """Make sure the raw files exist for this size and seed, simulating them if not.

    Returns the paths of the four sources. Nothing is downloaded: missing or stale files are
    rebuilt deterministically by the simulator.
    """
    from .simulator import make_retailer  # local import: the simulator is only needed here

    raw_dir = Path(raw_dir)
    paths = {name: raw_dir / file for name, file in FILES.items()}
    manifest_path = raw_dir / MANIFEST
    if manifest_path.exists() and all(p.exists() for p in paths.values()):
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("seed") == seed and manifest.get("n_customers") == n_customers:
            return paths
    return write_raw(make_retailer(n_customers=n_customers, seed=seed), raw_dir)
