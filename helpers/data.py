"""One place to get the course's data, at any stage, rebuilt on demand.

=========  ====================  ===========================================================
stage      folder                made by
=========  ====================  ===========================================================
raw        ``data/raw``          the simulator (:func:`make_retailer`), as systems export it
interim    ``data/interim``      notebook 01: pseudonymised and joined (no personal data)
processed  ``data/processed``    notebook 02: cleaned orders, audit, customer profile
=========  ====================  ===========================================================

Any notebook can start from a fresh clone: when a file it needs is missing, the functions
here rebuild it (and what it depends on) deterministically. Nothing is downloaded.

>>> from helpers import data
>>> orders = data.load_processed("orders")          # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import constants
from .cleaning import clean_customers, clean_orders, find_test_accounts
from .collect import collect_sources
from .constants import AS_OF, DEFAULT_N_CUSTOMERS, DEFAULT_SALT, DEFAULT_SEED
from .features import customer_profile
from .simulator import Retailer, make_retailer
from .sources import CAMPAIGN_DTYPES, ORDER_DTYPES, ensure_raw, read_raw, write_raw

__all__ = [
    "Retailer",
    "make_retailer",
    "write_raw",
    "read_raw",
    "ensure_raw",
    "ensure_interim",
    "ensure_processed",
    "load_interim",
    "load_processed",
    "load_truth",
    "write_table",
    "read_table",
    "prepare_processed",
    "load_cdnow",
]

_EVENT_DTYPES = {
    "event_timestamp": "int64",
    "event_name": "str",
    "user_pseudo_id": "str",
    "user_id": "Int64",
    "ga_session_id": "int64",
    "device_category": "str",
    "source": "str",
    "medium": "str",
    "item_id": "str",
    "transaction_id": "str",
}
_CAMPAIGN = {**{k: v for k, v in CAMPAIGN_DTYPES.items() if k != "email"}, "customer_id": "Int64"}
_PRODUCTS = {"stock_code": "str", "name": "str", "category": "str", "description": "str",
             "unit_price": "float64"}

#: (dtypes, date columns) of each stored table.
SCHEMAS: dict[str, dict[str, tuple[dict[str, str], list[str]]]] = {
    "interim": {
        "customers": ({"customer_id": "int64", "email_hash": "str", "email_domain": "str",
                       "birth_year": "Int64", "signup_date": "str"}, []),
        "products": (_PRODUCTS, []),
        "orders": (ORDER_DTYPES, []),
        "web_events": (_EVENT_DTYPES, []),
        "campaign": (_CAMPAIGN, []),
    },
    "processed": {
        "customers": ({"customer_id": "int64", "age": "Int64"},
                      ["signup_date", "first_purchase", "last_purchase"]),
        "orders": ({"invoice_no": "str", "stock_code": "str", "customer_id": "int64"},
                   ["invoice_date"]),
        "products": (_PRODUCTS, []),
        "web_events": (_EVENT_DTYPES, []),
        "campaign": (_CAMPAIGN, []),
        "cleaning_audit": ({"invoice_no": "str", "customer_id": "Int64"}, []),
    },
}


def stage_dir(stage: str) -> Path:
    """Folder of a stage (``raw``, ``interim`` or ``processed``), read from ``constants`` at
    call time so that tests and forks can point the course at another data folder."""
    folders = {"raw": constants.RAW_DIR, "interim": constants.INTERIM_DIR,
               "processed": constants.PROCESSED_DIR}
    if stage not in folders:
        raise ValueError(f"unknown stage '{stage}'; use one of {sorted(folders)}")
    return Path(folders[stage])


def write_table(frame: pd.DataFrame, stage: str, name: str, data_dir: Path | None = None
                ) -> Path:
    """Write a table of a stage as CSV (ISO dates, ``\\n`` line ends)."""
    folder = Path(data_dir) if data_dir else stage_dir(stage)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S")
    return path


def read_table(stage: str, name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Read a stored table with its schema's types and parsed dates."""
    if name not in SCHEMAS[stage]:
        raise ValueError(f"unknown {stage} table '{name}'; known: {sorted(SCHEMAS[stage])}")
    folder = Path(data_dir) if data_dir else stage_dir(stage)
    dtypes, dates = SCHEMAS[stage][name]
    frame = pd.read_csv(folder / f"{name}.csv", dtype=dtypes, keep_default_na=False,
                        na_values=[""])
    for col in dates:
        frame[col] = pd.to_datetime(frame[col], format="ISO8601").astype("datetime64[us]")
    return frame


def ensure_interim(
    n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED, salt: str = DEFAULT_SALT
) -> Path:
    """Make sure ``data/interim`` holds the collected tables (running notebook 01's steps)."""
    interim, raw = stage_dir("interim"), stage_dir("raw")
    if all((interim / f"{n}.csv").exists() for n in SCHEMAS["interim"]):
        return interim
    ensure_raw(raw, n_customers=n_customers, seed=seed)
    collected = collect_sources(read_raw(raw), salt)
    for name, frame in collected.items():
        write_table(frame, "interim", name)
    return interim


def prepare_processed(collected: dict[str, pd.DataFrame], as_of: pd.Timestamp = AS_OF
                      ) -> dict[str, pd.DataFrame]:
    """Notebook 02's pipeline: clean CRM and orders, audit, build the customer profile."""
    test_ids = find_test_accounts(collected["customers"])
    customers, _ = clean_customers(collected["customers"], as_of=as_of,
                                   test_customer_ids=test_ids)
    result = clean_orders(collected["orders"], test_customer_ids=test_ids)
    profile = customer_profile(result.clean, customers, collected["web_events"], as_of=as_of)
    campaign = collected["campaign"]
    return {
        "orders": result.clean,
        "cleaning_audit": result.audit,
        "customers": profile,
        "products": collected["products"],
        "web_events": collected["web_events"],
        "campaign": campaign.loc[campaign["customer_id"].notna()].reset_index(drop=True),
    }


def ensure_processed() -> Path:
    """Make sure ``data/processed`` holds notebook 02's outputs, rebuilding what is missing."""
    processed = stage_dir("processed")
    if all((processed / f"{n}.csv").exists() for n in SCHEMAS["processed"]):
        return processed
    ensure_interim()
    collected = {name: read_table("interim", name) for name in SCHEMAS["interim"]}
    for name, frame in prepare_processed(collected).items():
        write_table(frame, "processed", name)
    return processed


def load_interim(name: str) -> pd.DataFrame:
    """Load a collected table (``customers``, ``products``, ``orders``, ``web_events``,
    ``campaign``), rebuilding the interim stage if needed."""
    ensure_interim()
    return read_table("interim", name)


def load_processed(name: str) -> pd.DataFrame:
    """Load a processed table (``orders``, ``customers``, ``products``, ``web_events``,
    ``campaign``, ``cleaning_audit``), rebuilding the processed stage if needed."""
    ensure_processed()
    return read_table("processed", name)


def load_truth(n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED) -> Retailer:
    """The simulator's answer key for the default data (only for grading methods)."""
    return make_retailer(n_customers=n_customers, seed=seed)


def load_cdnow(kind: str = "master") -> pd.DataFrame:
    """The real CDNOW transactions (see :func:`helpers.cdnow.load_cdnow`)."""
    from .cdnow import load_cdnow as _load

    return _load(kind)
