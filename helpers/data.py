"""One place to get the course's data, at any stage, rebuilt on demand.

=========  ====================  ===========================================================
stage      folder                made by
=========  ====================  ===========================================================
raw        ``data/raw``          :mod:`helpers.sources`: the simulator's exports, as written
interim    ``data/interim``      notebook 01: pseudonymised and joined (no direct identifiers)
processed  ``data/processed``    notebook 02: cleaned orders, audit, customer profile
=========  ====================  ===========================================================

Any notebook can start from a fresh clone: when a file it needs is missing, the functions
here rebuild it (and what it depends on) deterministically. Nothing is downloaded.

Every stage records what it was built from in its ``MANIFEST.json`` (size and seed of the
simulated retailer; for ``interim`` also a fingerprint of the pseudonymisation key; for
``processed`` also the as-of date). A loader asks for particular inputs (by default the
course's: :data:`~helpers.constants.DEFAULT_N_CUSTOMERS`, ``DEFAULT_SEED``,
``DEFAULT_PSEUDONYM_KEY``, ``AS_OF``) and rebuilds any stage whose record differs, so that no
notebook ever reads one retailer's orders with another's answer key. Running notebook 01 with
``SEED = 3`` therefore builds the seed-3 retailer there; the next notebook, which asks for the
default, rebuilds the default one. To run the whole course on another retailer, change
``DEFAULT_SEED`` in ``helpers/constants.py``.

>>> from helpers import data
>>> orders = data.load_processed("orders")          # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import pandas as pd

from . import constants
from .cleaning import MAX_AGE, MIN_AGE, clean_customers, clean_orders, find_test_accounts
from .collect import collect_sources
from .constants import AS_OF, DEFAULT_N_CUSTOMERS, DEFAULT_PSEUDONYM_KEY, DEFAULT_SEED
from .features import customer_profile
from .schema import STAGE_SCHEMAS
from .simulator import ChannelTruth, Retailer, make_channels, make_retailer
from .sources import (
    CHANNEL_FILES,
    MANIFEST,
    ensure_channels,
    ensure_raw,
    read_channel_csv,
    read_raw,
)
from .validation import require_int_at_least

__all__ = [
    "ensure_interim",
    "ensure_processed",
    "load_interim",
    "load_processed",
    "load_truth",
    "load_channels",
    "load_channel_truth",
    "write_table",
    "write_stage",
    "read_table",
    "built_from",
    "stage_record",
    "prepare_processed",
    "load_cdnow",
    "stage_dir",
    "key_fingerprint",
]

#: Version of the stored tables' layout. Raise it when what a stage holds changes (a column
#: added, a token computed differently), so that folders built by older code are rebuilt.
DATA_FORMAT: int = 3


def stage_dir(stage: str) -> Path:
    """Folder of a stage (``raw``, ``interim`` or ``processed``), read from ``constants`` at
    call time so that tests and forks can point the course at another data folder.

    Examples
    --------
    >>> stage_dir("processed").name
    'processed'
    """
    folders = {"raw": constants.RAW_DIR, "interim": constants.INTERIM_DIR,
               "processed": constants.PROCESSED_DIR}
    if stage not in folders:
        raise ValueError(f"unknown stage '{stage}'; use one of {sorted(folders)}")
    return Path(folders[stage])


def write_table(frame: pd.DataFrame, stage: str, name: str, *, data_dir: Path | None = None
                ) -> Path:
    """Write a table of a stage as CSV (ISO dates, ``\\n`` line ends).

    Writing one table alone forgets the stage's record of its inputs (see
    :func:`write_stage`), so that the next loader rebuilds the stage.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> write_table(pd.DataFrame({"customer_id": [1]}), "processed", "customers",
    ...             data_dir=folder).name
    'customers.csv'
    """
    folder = Path(data_dir) if data_dir else stage_dir(stage)
    folder.mkdir(parents=True, exist_ok=True)
    # A table written on its own no longer matches the stage's record of its inputs: forget
    # the record, so that the next loader rebuilds the stage rather than trusting a mixture.
    (folder / MANIFEST).unlink(missing_ok=True)
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False, lineterminator="\n", date_format="%Y-%m-%d %H:%M:%S")
    return path


def key_fingerprint(key: str) -> str:
    """A short SHA-256 fingerprint of the pseudonymisation key: enough to tell two keys apart,
    useless for recovering it, so the key itself is never written next to the data.

    Examples
    --------
    >>> key_fingerprint("precision-marketing-course") == key_fingerprint("another key")
    False
    >>> len(key_fingerprint("precision-marketing-course"))
    16
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def stage_record(
    stage: str,
    *,
    n_customers: int = DEFAULT_N_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY,
    as_of: pd.Timestamp | str = AS_OF,
    min_age: int = MIN_AGE,
    max_age: int = MAX_AGE,
) -> dict[str, object]:
    """What a stage built from these inputs records about them in its ``MANIFEST.json``.

    ``as_of`` and the plausible-age limits ``min_age``/``max_age`` only matter for
    ``processed``.

    Examples
    --------
    >>> stage_record("interim", seed=3)["seed"]
    3
    >>> stage_record("processed")["as_of"]
    '2026-01-01'
    >>> stage_record("processed", max_age=90)["max_age"]
    90
    """
    if stage not in ("interim", "processed"):
        raise ValueError(f"stage must be 'interim' or 'processed', got {stage!r}")
    n_customers = require_int_at_least(n_customers, "n_customers", minimum=0)
    seed = require_int_at_least(seed, "seed", minimum=0)
    if not isinstance(pseudonym_key, str) or not pseudonym_key:
        raise ValueError("pseudonym_key must be a non-empty string")
    record: dict[str, object] = {"format": DATA_FORMAT, "stage": stage,
                                 "n_customers": n_customers,
                                 "seed": seed,
                                 "key_fingerprint": key_fingerprint(pseudonym_key)}
    if stage == "processed":
        min_age = require_int_at_least(min_age, "min_age", minimum=0)
        max_age = require_int_at_least(max_age, "max_age", minimum=0)
        if min_age >= max_age:
            raise ValueError(f"min_age ({min_age}) must be below max_age ({max_age})")
        record["as_of"] = f"{pd.Timestamp(as_of):%Y-%m-%d}"
        record["min_age"], record["max_age"] = min_age, max_age
    return record


def built_from(stage: str) -> dict[str, object] | None:
    """The record of what the stored ``stage`` was built from, or None if it has none.

    Examples
    --------
    >>> sorted(built_from("interim"))  # doctest: +SKIP
    ['format', 'key_fingerprint', 'n_customers', 'seed', 'stage']
    """
    path = stage_dir(stage) / MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _stage_is(stage: str, record: dict[str, object]) -> bool:
    """Whether the stored stage is complete and was built from exactly ``record``'s inputs."""
    folder = stage_dir(stage)
    complete = all((folder / f"{n}.csv").exists() for n in STAGE_SCHEMAS[stage])
    return complete and built_from(stage) == record


def write_stage(
    stage: str,
    tables: dict[str, pd.DataFrame],
    *,
    n_customers: int = DEFAULT_N_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY,
    as_of: pd.Timestamp | str = AS_OF,
    min_age: int = MIN_AGE,
    max_age: int = MAX_AGE,
) -> dict[str, Path]:
    """Write every table of a stage, then the record of the inputs it was built from.

    Parameters
    ----------
    stage : {"interim", "processed"}
    tables : dict of str to DataFrame
        Exactly the stage's tables (see :data:`helpers.schema.STAGE_SCHEMAS`).
    n_customers, seed, pseudonym_key, as_of, min_age, max_age
        The inputs the tables were built from (``as_of`` and the age limits only matter for
        ``processed``).

    Returns
    -------
    dict of str to Path
        Where each table was written.

    Examples
    --------
    >>> write_stage("processed", {"orders": pd.DataFrame()})
    Traceback (most recent call last):
    ...
    ValueError: the processed stage holds the tables ['campaign', 'cleaning_audit', \
'customers', 'orders', 'products', 'web_events']; got ['orders']
    """
    record = stage_record(stage, n_customers=n_customers, seed=seed,
                          pseudonym_key=pseudonym_key, as_of=as_of, min_age=min_age,
                          max_age=max_age)
    expected, given = set(STAGE_SCHEMAS[stage]), set(tables)
    if expected != given:
        raise ValueError(
            f"the {stage} stage holds the tables {sorted(expected)}; got {sorted(given)}"
        )
    paths = {name: write_table(frame, stage, name) for name, frame in tables.items()}
    (stage_dir(stage) / MANIFEST).write_text(json.dumps(record, indent=2) + "\n",
                                             encoding="utf-8")
    return paths


def read_table(stage: str, name: str, *, data_dir: Path | None = None) -> pd.DataFrame:
    """Read a stored table with its schema's types and parsed dates.

    The types and date columns come from :data:`helpers.schema.STAGE_SCHEMAS`.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"invoice_no": ["007"], "stock_code": ["EL1001"],
    ...                       "customer_id": [10001], "invoice_date": ["2025-03-01 10:00:00"]})
    >>> _ = write_table(table, "processed", "orders", data_dir=folder)
    >>> back = read_table("processed", "orders", data_dir=folder)
    >>> back["invoice_no"].iloc[0], str(back["invoice_date"].dtype)
    ('007', 'datetime64[us]')
    """
    if stage not in STAGE_SCHEMAS:
        raise ValueError(f"unknown stage '{stage}'; stored stages are {sorted(STAGE_SCHEMAS)}")
    if name not in STAGE_SCHEMAS[stage]:
        raise ValueError(
            f"unknown {stage} table '{name}'; known: {sorted(STAGE_SCHEMAS[stage])}"
        )
    folder = Path(data_dir) if data_dir else stage_dir(stage)
    dtypes, dates = STAGE_SCHEMAS[stage][name]
    frame = pd.read_csv(folder / f"{name}.csv", dtype=dtypes, keep_default_na=False,
                        na_values=[""])
    for col in dates:
        frame[col] = pd.to_datetime(frame[col], format="ISO8601").astype("datetime64[us]")
    return frame


def ensure_interim(
    *,
    n_customers: int = DEFAULT_N_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY,
) -> Path:
    """Make sure ``data/interim`` holds the collected tables of the retailer with this size and
    seed, pseudonymised with this key (running notebook 01's steps if it does not).

    Examples
    --------
    >>> ensure_interim(n_customers=400, seed=3).name  # doctest: +SKIP
    'interim'
    """
    inputs = {"n_customers": n_customers, "seed": seed, "pseudonym_key": pseudonym_key}
    record = stage_record("interim", **inputs)
    interim, raw = stage_dir("interim"), stage_dir("raw")
    if _stage_is("interim", record):
        return interim
    ensure_raw(raw, n_customers=n_customers, seed=seed)
    collected = collect_sources(read_raw(raw), pseudonym_key)
    write_stage("interim", collected, **inputs)
    return interim


def prepare_processed(collected: dict[str, pd.DataFrame], *, as_of: pd.Timestamp = AS_OF,
                      min_age: int = MIN_AGE, max_age: int = MAX_AGE
                      ) -> dict[str, pd.DataFrame]:
    """Notebook 02's pipeline: clean CRM and orders, audit, build the customer profile.

    Ages below ``min_age`` or above ``max_age`` are set to missing as impossible
    (:func:`helpers.cleaning.clean_customers`).

    Examples
    --------
    >>> collected = {name: load_interim(name) for name in ("customers", "orders",
    ...              "products", "web_events", "campaign")}  # doctest: +SKIP
    >>> sorted(prepare_processed(collected))  # doctest: +SKIP
    ['campaign', 'cleaning_audit', 'customers', 'orders', 'products', 'web_events']
    """
    test_ids = find_test_accounts(collected["customers"])
    customers, _ = clean_customers(collected["customers"], as_of=as_of,
                                   test_customer_ids=test_ids, min_age=min_age,
                                   max_age=max_age)
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


def ensure_processed(
    *,
    n_customers: int = DEFAULT_N_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY,
    as_of: pd.Timestamp | str = AS_OF,
    min_age: int = MIN_AGE,
    max_age: int = MAX_AGE,
) -> Path:
    """Make sure ``data/processed`` holds notebook 02's outputs for these inputs, rebuilding
    it (and the stages before it) when it is missing or was built from other inputs.

    Examples
    --------
    >>> ensure_processed(n_customers=400, seed=3).name  # doctest: +SKIP
    'processed'
    """
    inputs = {"n_customers": n_customers, "seed": seed, "pseudonym_key": pseudonym_key}
    ages = {"min_age": min_age, "max_age": max_age}
    record = stage_record("processed", **inputs, as_of=as_of, **ages)
    processed = stage_dir("processed")
    if _stage_is("processed", record):
        return processed
    ensure_interim(**inputs)
    collected = {name: read_table("interim", name) for name in STAGE_SCHEMAS["interim"]}
    write_stage("processed", prepare_processed(collected, as_of=pd.Timestamp(as_of), **ages),
                **inputs, as_of=as_of, **ages)
    return processed


def load_interim(
    name: str,
    *,
    n_customers: int = DEFAULT_N_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY,
) -> pd.DataFrame:
    """Load a collected table (``customers``, ``products``, ``orders``, ``web_events``,
    ``campaign``) of the retailer with this size and seed, rebuilding the stage if needed.

    Examples
    --------
    >>> "email_hash" in load_interim("customers", n_customers=400, seed=3)  # doctest: +SKIP
    True
    """
    ensure_interim(n_customers=n_customers, seed=seed, pseudonym_key=pseudonym_key)
    return read_table("interim", name)


def load_processed(
    name: str,
    *,
    n_customers: int = DEFAULT_N_CUSTOMERS,
    seed: int = DEFAULT_SEED,
    pseudonym_key: str = DEFAULT_PSEUDONYM_KEY,
    as_of: pd.Timestamp | str = AS_OF,
    min_age: int = MIN_AGE,
    max_age: int = MAX_AGE,
) -> pd.DataFrame:
    """Load a processed table (``orders``, ``customers``, ``products``, ``web_events``,
    ``campaign``, ``cleaning_audit``) built from these inputs, rebuilding it if needed.

    Examples
    --------
    >>> orders = load_processed("orders", n_customers=400, seed=3)  # doctest: +SKIP
    >>> str(orders["invoice_date"].dtype)  # doctest: +SKIP
    'datetime64[us]'
    """
    ensure_processed(n_customers=n_customers, seed=seed, pseudonym_key=pseudonym_key, as_of=as_of,
                     min_age=min_age, max_age=max_age)
    return read_table("processed", name)


def simulator_fingerprint() -> str:
    """A SHA-256 fingerprint of the simulator's source code: a cached answer key is reused
    only while the code that made it is unchanged.

    Examples
    --------
    >>> len(simulator_fingerprint())
    16
    """
    digest = hashlib.sha256()
    for path in sorted((Path(__file__).parent / "simulator").glob("*.py")):
        digest.update(path.name.encode("utf-8") + path.read_bytes())
    return digest.hexdigest()[:16]


def load_truth(*, n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED) -> Retailer:
    """The simulator's answer key (only for grading methods) of the retailer with this size and
    seed: the same inputs the loaders above default to, so it always belongs to the data that a
    notebook calling them with the same arguments reads.

    The retailer is simulated once and kept in ``data/truth`` (a pickle named by its size, seed
    and :func:`simulator_fingerprint`), so that the notebooks that grade against it do not each
    pay for the simulation again.

    Examples
    --------
    >>> truth = load_truth(n_customers=60, seed=1)
    >>> len(truth.truth), truth.seed
    (60, 1)
    >>> load_truth(n_customers=60, seed=1).truth.equals(truth.truth)  # from the cache
    True
    """
    n_customers = require_int_at_least(n_customers, "n_customers", minimum=0)
    seed = require_int_at_least(seed, "seed", minimum=0)
    folder = constants.DATA_DIR / "truth"
    path = folder / f"retailer_n{n_customers}_seed{seed}_{simulator_fingerprint()}.pkl"
    if path.exists():
        with path.open("rb") as handle:
            return pickle.load(handle)
    retailer = make_retailer(n_customers=n_customers, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")  # a rename is atomic: no reader sees half a file
    with partial.open("wb") as handle:
        pickle.dump(retailer, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    return retailer


def _channel_folder(seed: int) -> Path:
    """Where the channel exports of a seed live: ``data/raw/channels/seed<seed>``."""
    return constants.RAW_DIR / "channels" / f"seed{seed}"


def load_channels(table: str = "spend", *, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """One of notebook 10's channel exports: ``"spend"`` (the media team's weekly spend,
    impressions and clicks per channel, long), ``"sales"`` (weekly sales and new customers) or
    ``"sessions"`` (the GA4 sessions export).

    The three files are simulated once per seed (:func:`helpers.simulator.make_channels`) into
    ``data/raw/channels/seed<seed>/`` and rebuilt when the simulator's code changes
    (:func:`simulator_fingerprint`); they are read with the types of
    :data:`helpers.schema.CHANNEL_DTYPES` (dates as ``datetime64[s]``).

    Raises
    ------
    ValueError
        If ``table`` is not one of the three, or ``seed`` not a non-negative integer.

    Examples
    --------
    >>> spend = load_channels("spend", seed=1)
    >>> spend.shape, str(spend["week_start"].dtype)
    ((520, 5), 'datetime64[s]')
    """
    if table not in CHANNEL_FILES:
        raise ValueError(f"table must be one of {list(CHANNEL_FILES)}, got {table!r}")
    seed = require_int_at_least(seed, "seed", minimum=0)
    folder = _channel_folder(seed)
    paths = ensure_channels(folder, seed=seed, fingerprint=simulator_fingerprint())
    return read_channel_csv(paths[table], table)


def load_channel_truth(*, seed: int = DEFAULT_SEED) -> ChannelTruth:
    """The answer key of notebook 10's channel world of this seed (only for grading): true
    response parameters, baseline, contributions, ROI and marginal ROI, the converters' true
    causes, ``response``, ``gain`` and ``best_reallocation``.

    Simulated once and kept in ``data/truth`` (a pickle named by the seed and
    :func:`simulator_fingerprint`), like :func:`load_truth`; it belongs to the files that
    :func:`load_channels` reads with the same seed.

    Examples
    --------
    >>> truth = load_channel_truth(seed=1)
    >>> truth.contributions.index.tolist()
    ['paid_search', 'social', 'display', 'email', 'tv']
    >>> load_channel_truth(seed=1).params.equals(truth.params)  # from the cache
    True
    """
    seed = require_int_at_least(seed, "seed", minimum=0)
    folder = constants.DATA_DIR / "truth"
    path = folder / f"channels_seed{seed}_{simulator_fingerprint()}.pkl"
    if path.exists():
        with path.open("rb") as handle:
            return pickle.load(handle)
    truth = make_channels(seed=seed).truth
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")  # a rename is atomic: no reader sees half a file
    with partial.open("wb") as handle:
        pickle.dump(truth, handle, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(path)
    return truth


def load_cdnow(kind: str = "master") -> pd.DataFrame:
    """The real CDNOW transactions (see :func:`helpers.cdnow.load_cdnow`).

    Examples
    --------
    >>> load_cdnow("sample")["customer_id"].nunique()
    2357
    """
    from .cdnow import load_cdnow as _load

    return _load(kind)


#: The real data shipped with the course: the first year of UCI Online Retail II (CC BY 4.0,
#: doi:10.24432/C5CG6D; see ``data/README.md``).
ONLINE_RETAIL_FILE: Path = (
    constants.REPO_ROOT / "data" / "real" / "online_retail_II_2009-2010.csv.xz"
)


#: Version of the cached Online Retail stage; raise it when the cleaning or the stored tables
#: change, so that caches built by older code are rebuilt.
ONLINE_RETAIL_FORMAT: int = 2
#: The tables of the cached stage (``processed/online_retail/``), with their dtypes and dates.
ONLINE_RETAIL_TABLES: dict[str, tuple[dict[str, str], list[str]]] = {
    "orders": ({"invoice_no": "str", "stock_code": "str", "description": "str",
                "customer_id": "int64", "country": "str"}, ["invoice_date"]),
    "products": ({"stock_code": "str", "description": "str"}, []),
    "audit": ({"invoice_no": "str", "customer_id": "Int64", "reason": "str"}, []),
    "returns": ({"invoice_no": "str", "stock_code": "str", "customer_id": "Int64",
                 "purchase_row": "Int64", "purchase_invoice": "str"}, []),
    "non_product": ({"invoice_no": "str", "stock_code": "str", "customer_id": "Int64",
                     "description": "str"}, ["invoice_date"]),
}
_ORDER_COLUMNS = ["invoice_no", "stock_code", "description", "quantity", "invoice_date",
                  "unit_price", "revenue", "customer_id", "country"]


def _online_retail_record() -> dict[str, object]:
    data = ONLINE_RETAIL_FILE.read_bytes()
    return {"format": ONLINE_RETAIL_FORMAT, "stage": "online_retail",
            "source": ONLINE_RETAIL_FILE.name, "sha256": hashlib.sha256(data).hexdigest()}


def online_retail_tables() -> dict[str, pd.DataFrame]:
    """Clean the shipped file (:func:`helpers.online_retail.load_online_retail`) into the
    tables the stage caches: ``orders``, ``products``, ``audit``, ``returns``, ``non_product``.

    Examples
    --------
    >>> sorted(online_retail_tables())                                   # doctest: +SKIP
    ['audit', 'non_product', 'orders', 'products', 'returns']
    """
    from .online_retail import load_online_retail as _load

    result = _load(ONLINE_RETAIL_FILE)
    orders = result.clean[_ORDER_COLUMNS].copy()
    described = orders.dropna(subset=["description"])
    products = (
        described.groupby(["stock_code", "description"]).size().rename("n").reset_index()
        .sort_values(["stock_code", "n", "description"], ascending=[True, False, True])
        .drop_duplicates("stock_code")[["stock_code", "description"]]
        .reset_index(drop=True)
    )
    audit = result.audit.assign(reason=result.audit["reason"].astype(str))
    returns = result.returns.assign(outcome=result.returns["outcome"].astype(str))
    return {"orders": orders, "products": products, "audit": audit, "returns": returns,
            "non_product": result.non_product}


def load_online_retail(table: str = "orders") -> pd.DataFrame:
    """The shipped Online Retail II data, cleaned, in the course's standard columns.

    The first call cleans the file (:func:`helpers.online_retail.load_online_retail`, the
    same cleaning and audit as the simulator's exports, about half a minute) and caches the
    tables in ``processed/online_retail/`` with a ``MANIFEST.json`` recording the file's
    checksum and :data:`ONLINE_RETAIL_FORMAT`; later calls read the cache (a second or two)
    and rebuild it when it is missing, incomplete or from another file or format.

    Parameters
    ----------
    table : {"orders", "products", "audit", "returns", "non_product", "raw"}
        ``orders``: product sales of identified customers, net of cancellations
        (``invoice_no``, ``stock_code``, ``description``, ``quantity``, ``invoice_date``,
        ``unit_price``, ``revenue``, ``customer_id``, ``country``). ``products``: one row per
        stock code with its most frequent ``description``. ``audit``, ``returns``,
        ``non_product``: the cleaning's audit (:class:`helpers.cleaning.CleaningResult`).
        ``raw``: every line of the file in the standard columns, uncleaned (not cached).

    Examples
    --------
    >>> orders = load_online_retail("orders")                          # doctest: +SKIP
    """
    from .online_retail import read_online_retail, standardise_online_retail

    if table == "raw":
        return standardise_online_retail(read_online_retail(ONLINE_RETAIL_FILE))
    if table not in ONLINE_RETAIL_TABLES:
        raise ValueError(f"table must be one of {[*ONLINE_RETAIL_TABLES, 'raw']}, got {table!r}")
    folder = Path(constants.PROCESSED_DIR) / "online_retail"
    record = _online_retail_record()
    manifest = folder / MANIFEST
    complete = all((folder / f"{name}.csv").exists() for name in ONLINE_RETAIL_TABLES)
    stored = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else None
    if not complete or stored != record:
        folder.mkdir(parents=True, exist_ok=True)
        manifest.unlink(missing_ok=True)
        for name, frame in online_retail_tables().items():
            frame.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n",
                         date_format="%Y-%m-%d %H:%M:%S")
        manifest.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    dtypes, dates = ONLINE_RETAIL_TABLES[table]
    frame = pd.read_csv(folder / f"{table}.csv", dtype=dtypes, keep_default_na=False,
                        na_values=[""])
    for col in dates:
        frame[col] = pd.to_datetime(frame[col], format="ISO8601").astype("datetime64[us]")
    return frame
