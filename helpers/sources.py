"""The raw stage: the four source exports under ``data/raw/``, written and read back.

=================  =========================  =====================================
source             file under ``data/raw/``   read with
=================  =========================  =====================================
CRM + catalogue    ``crm.sqlite``             SQL (``sqlite3``, standard library)
POS / web orders   ``orders.csv``             ``pandas.read_csv`` with explicit types
web analytics      ``web_events.jsonl``       JSON Lines, nested like a GA4 export
e-mail platform    ``campaign.csv``           ``pandas.read_csv``
=================  =========================  =====================================

Notebook 10's channel exports (media spend, weekly sales, GA4 sessions) are CSV files under
``data/raw/channels/seed<seed>/`` (:data:`CHANNEL_FILES`, :func:`ensure_channels`,
:func:`read_channels`).

The simulator plays the source systems (:mod:`helpers.simulator.exports` writes each format);
this module places the files, records what they were built from in ``MANIFEST.json``
(:func:`write_raw`, :func:`ensure_raw`) and reads them with the types of
:mod:`helpers.schema`. Each reader returns exactly the DataFrame the simulator holds in
memory, so a round trip through the files loses nothing (the tests check it).

>>> import tempfile
>>> from helpers.sources import ensure_raw, read_raw
>>> folder = tempfile.mkdtemp()
>>> sorted(ensure_raw(folder, n_customers=60, seed=1))
['campaign', 'crm', 'orders', 'web_events']
>>> read_raw(folder)["orders"].columns[:3].tolist()
['invoice_no', 'stock_code', 'description']
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd

from .constants import DEFAULT_N_CUSTOMERS, DEFAULT_SEED, RAW_DIR
from .schema import (
    CAMPAIGN_DTYPES,
    CHANNEL_DATE_COLUMNS,
    CHANNEL_DTYPES,
    CUSTOMER_DTYPES,
    EVENT_DTYPES,
    ORDER_DTYPES,
    PRODUCT_DTYPES,
)
from .simulator import ChannelWorld, Retailer, make_channels, make_retailer
from .simulator.exports import write_campaign_csv, write_crm, write_orders_csv, write_web_events

#: File name of each source under ``data/raw/``.
FILES: dict[str, str] = {
    "crm": "crm.sqlite",
    "orders": "orders.csv",
    "web_events": "web_events.jsonl",
    "campaign": "campaign.csv",
}
#: The record of what a stage's files were built from (every stage folder has one).
MANIFEST = "MANIFEST.json"

# --- readers ----------------------------------------------------------------------------
def read_crm_customers(path: Path, query: str = "SELECT * FROM customers ORDER BY customer_id"
                       ) -> pd.DataFrame:
    """Run ``query`` against the CRM database and return the result with the CRM's types.

    Examples
    --------
    >>> import tempfile
    >>> paths = ensure_raw(tempfile.mkdtemp(), n_customers=60, seed=1)
    >>> consenting = read_crm_customers(
    ...     paths["crm"], "SELECT customer_id FROM customers WHERE email_consent = 1")
    >>> str(consenting["customer_id"].dtype)
    'int64'
    """
    with sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True) as con:
        frame = pd.read_sql_query(query, con)
    con.close()
    return frame.astype({c: t for c, t in CUSTOMER_DTYPES.items() if c in frame.columns})


def read_crm_products(path: Path) -> pd.DataFrame:
    """Read the product catalogue from the CRM database.

    Examples
    --------
    >>> import tempfile
    >>> paths = ensure_raw(tempfile.mkdtemp(), n_customers=60, seed=1)
    >>> read_crm_products(paths["crm"]).columns.tolist() == list(PRODUCT_DTYPES)
    True
    """
    with sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True) as con:
        frame = pd.read_sql_query("SELECT * FROM products ORDER BY rowid", con)
    con.close()
    return frame.astype(PRODUCT_DTYPES)


def read_orders_csv(path: Path) -> pd.DataFrame:
    """Read the order-line export, keeping text as text (dates are parsed by cleaning).

    Examples
    --------
    >>> import tempfile
    >>> paths = ensure_raw(tempfile.mkdtemp(), n_customers=60, seed=1)
    >>> str(read_orders_csv(paths["orders"])["customer_id"].dtype)
    'Int64'
    """
    return pd.read_csv(path, dtype=ORDER_DTYPES, keep_default_na=False, na_values={
        "customer_id": [""]})


def read_campaign_csv(path: Path) -> pd.DataFrame:
    """Read the e-mail platform's campaign log.

    Examples
    --------
    >>> import tempfile
    >>> paths = ensure_raw(tempfile.mkdtemp(), n_customers=60, seed=1)
    >>> sorted(read_campaign_csv(paths["campaign"])["variant"].unique())
    ['email', 'holdout']
    """
    return pd.read_csv(path, dtype=CAMPAIGN_DTYPES)


def read_web_events(path: Path) -> pd.DataFrame:
    """Read the JSON Lines export and flatten it to one row per event.

    Examples
    --------
    >>> import tempfile
    >>> paths = ensure_raw(tempfile.mkdtemp(), n_customers=60, seed=1)
    >>> read_web_events(paths["web_events"]).columns.tolist() == list(EVENT_DTYPES)
    True
    """
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
    return frame[list(EVENT_DTYPES)]


# --- the whole set ----------------------------------------------------------------------
def file_checksum(path: Path) -> str:
    """SHA-256 of a raw file; for SQLite, of its SQL dump (independent of page layout).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "empty.csv"
    >>> _ = path.write_bytes(b"")
    >>> file_checksum(path)[:16]
    'e3b0c44298fc1c14'
    """
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


def write_raw(retailer: Retailer, raw_dir: Path = RAW_DIR) -> dict[str, Path]:
    """Write the four raw sources of a :class:`~helpers.simulator.Retailer` to ``raw_dir``.

    Each source is written in its system's format (:mod:`helpers.simulator.exports`) under its
    name in :data:`FILES`; ``MANIFEST.json`` records the seed, size and checksum of each file.

    Examples
    --------
    >>> import tempfile
    >>> from helpers.simulator import make_retailer
    >>> paths = write_raw(make_retailer(n_customers=60, seed=1), tempfile.mkdtemp())
    >>> paths["orders"].name
    'orders.csv'
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
    ``campaign`` (the tables of :meth:`helpers.simulator.Retailer.tables`).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = ensure_raw(folder, n_customers=60, seed=1)
    >>> sorted(read_raw(folder))
    ['campaign', 'customers', 'orders', 'products', 'sessions']
    """
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
    raw_dir: Path = RAW_DIR, *, n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED
) -> dict[str, Path]:
    """Make sure the raw files exist for this size and seed, simulating them if not.

    Returns the paths of the four sources. Nothing is downloaded: missing or stale files are
    rebuilt deterministically by the simulator.

    Examples
    --------
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> paths = ensure_raw(folder, n_customers=60, seed=1)
    >>> json.loads((folder / MANIFEST).read_text())["seed"]
    1
    """
    raw_dir = Path(raw_dir)
    paths = {name: raw_dir / file for name, file in FILES.items()}
    manifest_path = raw_dir / MANIFEST
    if manifest_path.exists() and all(p.exists() for p in paths.values()):
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("seed") == seed and manifest.get("n_customers") == n_customers:
            return paths
    return write_raw(make_retailer(n_customers=n_customers, seed=seed), raw_dir)


# --- notebook 10: the channel exports ---------------------------------------------------
#: File name of each channel export under ``data/raw/channels/seed<seed>/``.
CHANNEL_FILES: dict[str, str] = {
    "spend": "media_spend.csv",
    "sales": "weekly_sales.csv",
    "sessions": "ga4_sessions.csv",
}


def _require_channel_table(table: object) -> str:
    if table not in CHANNEL_FILES:
        raise ValueError(f"table must be one of {list(CHANNEL_FILES)}, got {table!r}")
    return str(table)


def write_channel_csv(frame: pd.DataFrame, table: str, path: Path) -> Path:
    """Write one channel export (``table``: ``spend``, ``sales`` or ``sessions``) as CSV: dates
    as ISO text (the formats of :data:`helpers.schema.CHANNEL_DATE_COLUMNS`), ``\\n`` line
    ends, no index.

    Examples
    --------
    >>> import tempfile
    >>> weekly = pd.DataFrame({"week_start": pd.to_datetime(["2024-01-01"]),
    ...                        "sales": [1250.5], "new_customers": [3]})
    >>> path = write_channel_csv(weekly, "sales", Path(tempfile.mkdtemp()) / "sales.csv")
    >>> path.read_text()
    'week_start,sales,new_customers\\n2024-01-01,1250.5,3\\n'
    """
    table = _require_channel_table(table)
    out = frame.copy()
    for column, fmt in CHANNEL_DATE_COLUMNS[table].items():
        out[column] = out[column].dt.strftime(fmt)
    out.to_csv(path, index=False, lineterminator="\n")
    return Path(path)


def read_channel_csv(path: Path, table: str) -> pd.DataFrame:
    """Read one channel export with the types of :data:`helpers.schema.CHANNEL_DTYPES`
    (dates as ``datetime64[s]``, text as ``str``).

    Examples
    --------
    >>> import tempfile
    >>> weekly = pd.DataFrame({"week_start": pd.to_datetime(["2024-01-01"]),
    ...                        "sales": [1250.5], "new_customers": [3]})
    >>> path = write_channel_csv(weekly, "sales", Path(tempfile.mkdtemp()) / "sales.csv")
    >>> read_channel_csv(path, "sales").dtypes.astype(str).tolist()
    ['datetime64[s]', 'float64', 'int64']
    """
    table = _require_channel_table(table)
    dtypes = CHANNEL_DTYPES[table]
    dates = CHANNEL_DATE_COLUMNS[table]
    frame = pd.read_csv(path, dtype={c: t for c, t in dtypes.items() if c not in dates},
                        keep_default_na=False)
    for column, fmt in dates.items():
        frame[column] = pd.to_datetime(frame[column], format=fmt).astype(dtypes[column])
    return frame[list(dtypes)]


def write_channels(world: ChannelWorld, folder: Path, *, fingerprint: str | None = None
                   ) -> dict[str, Path]:
    """Write the three channel exports of a :class:`~helpers.simulator.ChannelWorld` to
    ``folder`` (names in :data:`CHANNEL_FILES`), with a ``MANIFEST.json`` recording the seed,
    the simulator ``fingerprint`` (if given) and each file's SHA-256.

    Examples
    --------
    >>> import tempfile
    >>> from helpers.simulator import make_channels
    >>> paths = write_channels(make_channels(seed=1), tempfile.mkdtemp())
    >>> sorted(path.name for path in paths.values())
    ['ga4_sessions.csv', 'media_spend.csv', 'weekly_sales.csv']
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / file for name, file in CHANNEL_FILES.items()}
    for name, frame in world.tables().items():
        write_channel_csv(frame, name, paths[name])
    manifest = {
        "seed": world.seed,
        "simulator": fingerprint,
        "sha256": {name: file_checksum(path) for name, path in paths.items()},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return paths


def read_channels(folder: Path) -> dict[str, pd.DataFrame]:
    """Read the three channel exports back: ``spend``, ``sales``, ``sessions`` (the tables of
    :meth:`helpers.simulator.ChannelWorld.tables`, with the same types).

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> _ = ensure_channels(folder, seed=1)
    >>> read_channels(folder)["spend"].columns.tolist()
    ['week_start', 'channel', 'spend', 'impressions', 'clicks']
    """
    folder = Path(folder)
    return {name: read_channel_csv(folder / file, name) for name, file in CHANNEL_FILES.items()}


def ensure_channels(folder: Path, *, seed: int = DEFAULT_SEED, fingerprint: str | None = None
                    ) -> dict[str, Path]:
    """Make sure the channel exports of this seed (and simulator ``fingerprint``, if given)
    are in ``folder``, simulating them if not; returns their paths.

    Examples
    --------
    >>> import json, tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> paths = ensure_channels(folder, seed=1)
    >>> json.loads((folder / MANIFEST).read_text())["seed"]
    1
    """
    folder = Path(folder)
    paths = {name: folder / file for name, file in CHANNEL_FILES.items()}
    manifest_path = folder / MANIFEST
    if manifest_path.exists() and all(p.exists() for p in paths.values()):
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("seed") == seed and manifest.get("simulator") == fingerprint:
            return paths
    return write_channels(make_channels(seed=seed), folder, fingerprint=fingerprint)
