"""Write the retailer's four sources the way the real systems export them.

=================  ======================================  =================================
source             format                                  writer
=================  ======================================  =================================
CRM + catalogue    SQLite database, tables ``customers``   :func:`write_crm`
                   and ``products``
POS / web orders   CSV, text as the tills wrote it         :func:`write_orders_csv`
web analytics      JSON Lines nested like a GA4 export     :func:`write_web_events`
e-mail platform    CSV                                     :func:`write_campaign_csv`
=================  ======================================  =================================

The file names of the raw folder, its ``MANIFEST.json`` and the readers live with the data
access in :mod:`helpers.sources` (:func:`~helpers.sources.write_raw` calls these writers).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd

from ..schema import EVENT_DTYPES


def write_crm(customers: pd.DataFrame, products: pd.DataFrame, path: Path) -> Path:
    """Write the CRM tables ``customers`` and ``products`` into a fresh SQLite file.

    Examples
    --------
    >>> import sqlite3, tempfile
    >>> from pathlib import Path
    >>> from helpers.simulator import make_retailer
    >>> shop = make_retailer(n_customers=60, seed=1)
    >>> path = write_crm(shop.customers, shop.products, Path(tempfile.mkdtemp()) / "crm.sqlite")
    >>> with sqlite3.connect(path) as con:
    ...     con.execute("SELECT COUNT(*) FROM products").fetchone()
    (240,)
    """
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
    """Write order lines as the POS/web-shop CSV export.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> orders = pd.DataFrame({"invoice_no": ["500001"], "quantity": [2]})
    >>> path = write_orders_csv(orders, Path(tempfile.mkdtemp()) / "orders.csv")
    >>> path.read_text()
    'invoice_no,quantity\\n500001,2\\n'
    """
    orders.to_csv(path, index=False, lineterminator="\n")
    return Path(path)


def write_campaign_csv(campaign: pd.DataFrame, path: Path) -> Path:
    """Write the e-mail platform's campaign log.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> log = pd.DataFrame({"variant": ["email", "holdout"], "converted_30d": [1, 0]})
    >>> write_campaign_csv(log, Path(tempfile.mkdtemp()) / "campaign.csv").read_text()
    'variant,converted_30d\\nemail,1\\nholdout,0\\n'
    """
    campaign.to_csv(path, index=False, lineterminator="\n")
    return Path(path)


def _event_record(row: tuple) -> str:
    """One event as a GA4-like JSON object on one line."""
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
    """Write events as JSON Lines nested like a GA4 BigQuery export (one event a line).

    ``events`` holds the columns of :data:`helpers.schema.EVENT_DTYPES`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from helpers.simulator import make_retailer
    >>> shop = make_retailer(n_customers=60, seed=1)
    >>> path = write_web_events(shop.sessions.head(1), Path(tempfile.mkdtemp()) / "ev.jsonl")
    >>> sorted(json.loads(path.read_text()))[:4]
    ['device', 'event_date', 'event_name', 'event_params']
    """
    flat = events[list(EVENT_DTYPES)].astype(object)
    flat = flat.where(flat.notna(), None)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for row in flat.itertuples(index=False, name=None):
            handle.write(_event_record(row))
            handle.write("\n")
    return Path(path)
