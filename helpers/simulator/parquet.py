"""A large simulated retailer, streamed to partitioned Parquet one block of customers at a time.

:func:`~helpers.simulator.make_retailer` holds every table of the retailer in memory (100,000
customers already need several GB). :func:`write_parquet` builds the same story block by block
(``block_size`` customers at a time) and writes each block to disk before drawing the next, so
memory stays flat and time grows linearly with the number of customers. A million customers
(about 22 million order lines) stay well under 2 GB.

What it writes under ``path``::

    path/
    ├── orders/block=0000/part.parquet      clean order lines of the block's customers
    ├── orders/block=0001/part.parquet      ...
    ├── customers/block=0000/part.parquet   one row per customer of the block
    ├── ...
    ├── products/part.parquet               the 240 products (shared by every block)
    └── manifest.json                       seed, sizes and row counts per block

``orders`` holds **clean** order lines: the columns and dtypes of the course's processed
``orders`` table (:data:`CLEAN_ORDER_DTYPES`, what ``helpers.data.load_processed("orders")``
returns), so ``helpers.rfm.rfm_table`` and every analysis helper run on them with their default
column names. What a scale-out pipeline does not need is skipped: the dirt of real exports (and
so cleaning), guest checkouts and internal test accounts, the e-mail platform's log, the CRM's
personal data, web-analytics events and the answer key. ``outlier`` is therefore always False.

Each block runs the named steps of :mod:`helpers.simulator.retailer` (customers, campaign,
invoices, order lines) on its own generator, seeded by child ``block + 1`` of
``numpy.random.SeedSequence(seed)`` (child 0 draws the shared catalogue). A seed and a block size
give the same files on every run, and the first blocks do not depend on ``n_customers``.
Invoice numbers are unique: block ``b`` numbers its invoices in time order from
``FIRST_INVOICE + b * INVOICE_BLOCK_STRIDE``.

>>> import tempfile, pandas as pd
>>> from helpers.simulator import write_parquet
>>> scratch = tempfile.TemporaryDirectory()
>>> blocks = write_parquet(f"{scratch.name}/shop", n_customers=300, seed=1, block_size=200,
...                        progress=False)
>>> blocks["n_customers"].tolist()
[200, 100]
>>> orders = pd.read_parquet(f"{scratch.name}/shop/orders")
>>> len(orders) == int(blocks["n_order_lines"].sum())
True
>>> scratch.cleanup()

Read as a dataset (``pd.read_parquet(path / "orders")``, DuckDB's ``read_parquet`` with
``hive_partitioning``, Spark's ``spark.read.parquet``), the folder names add a ``block``
column; read the files (``orders/*/part.parquet``) to get exactly :data:`CLEAN_ORDER_DTYPES`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm  # plain text bar: tqdm.auto warns in kernels without ipywidgets

from ..constants import (
    CATEGORY,
    CHANNEL,
    COUNTRY,
    CUSTOMER_ID,
    DEFAULT_SEED,
    DESCRIPTION,
    INVOICE,
    INVOICE_DATE,
    QUANTITY,
    REVENUE,
    STOCK_CODE,
    UNIT_PRICE,
)
from ..schema import PRODUCT_DTYPES
from ..validation import require_int_at_least
from .behaviour import FIRST_CUSTOMER_ID
from .retailer import (
    FIRST_INVOICE,
    MIN_N_CUSTOMERS,
    _customer_invoices,
    _draw_people,
    _draw_products,
    _number_invoices,
    _order_lines,
    _run_campaign,
    _signup_dates,
)

#: Customers per block by default: about 230,000 order lines, a few hundred MB at most.
DEFAULT_BLOCK_SIZE = 10_000
#: The largest block: its invoice numbers must stay below the next block's.
MAX_BLOCK_SIZE = 1_000_000
#: Invoice numbers of block ``b`` start at ``FIRST_INVOICE + b * INVOICE_BLOCK_STRIDE``.
INVOICE_BLOCK_STRIDE = 100_000_000
#: Version of the layout written (stored in ``manifest.json``).
LAYOUT_VERSION = 1

#: Columns and dtypes of the clean order lines (as ``helpers.data.load_processed("orders")``).
CLEAN_ORDER_DTYPES: dict[str, str] = {
    INVOICE: "str",
    STOCK_CODE: "str",
    DESCRIPTION: "str",
    QUANTITY: "int64",
    INVOICE_DATE: "datetime64[us]",
    UNIT_PRICE: "float64",
    REVENUE: "float64",
    CUSTOMER_ID: "int64",
    COUNTRY: "str",
    CHANNEL: "str",
    CATEGORY: "str",
    "outlier": "bool",
}
#: Columns and dtypes of the customers table (a personal-data-free subset of the processed
#: ``customers`` table; ``sms_consent`` as in the CRM).
CUSTOMER_TABLE_DTYPES: dict[str, str] = {
    CUSTOMER_ID: "int64",
    "age": "Int64",
    "gender": "str",
    COUNTRY: "str",
    "acquisition_channel": "str",
    "email_consent": "int64",
    "sms_consent": "int64",
    "signup_date": "datetime64[us]",
}

_ARROW_TYPES = {
    "str": pa.string(),
    "int64": pa.int64(),
    "Int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "datetime64[us]": pa.timestamp("us"),
}


def _arrow_schema(dtypes: dict[str, str]) -> pa.Schema:
    return pa.schema([pa.field(name, _ARROW_TYPES[dtype]) for name, dtype in dtypes.items()])


def _block_sizes(n_customers: int, block_size: int) -> list[int]:
    full, rest = divmod(n_customers, block_size)
    return [block_size] * full + ([rest] if rest else [])


def block_seed(seed: int, block: int) -> np.random.SeedSequence:
    """The seed of one block: child ``block + 1`` of ``SeedSequence(seed)`` (child 0 draws the
    catalogue), the same as ``SeedSequence(seed).spawn(block + 2)[block + 1]``.

    Examples
    --------
    >>> a = block_seed(42, 3).generate_state(2)
    >>> b = np.random.SeedSequence(42).spawn(5)[4].generate_state(2)
    >>> bool((a == b).all())
    True
    """
    seed = require_int_at_least(seed, "seed", minimum=0)
    block = require_int_at_least(block, "block", minimum=0)
    return np.random.SeedSequence(seed, spawn_key=(block + 1,))


def _catalogue(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    return _draw_products(np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,))))


def _simulate_block(
    seed: int, block: int, n_block: int, block_size: int, products: pd.DataFrame,
    weights: np.ndarray,
) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(block_seed(seed, block))
    world = _draw_people(rng, n_block, products, weights,
                         first_id=FIRST_CUSTOMER_ID + block * block_size)
    campaign = _run_campaign(rng, world)
    invoices = _number_invoices(_customer_invoices(rng, world, campaign),
                                first=FIRST_INVOICE + block * INVOICE_BLOCK_STRIDE)
    lines, _ = _order_lines(rng, world, invoices)
    lines = lines.reset_index(drop=True)
    quantity = lines["quantity"].astype("int64")
    unit_price = lines["unit_price"].astype("float64")
    orders = pd.DataFrame(
        {
            INVOICE: lines["invoice_no"].astype("int64").astype("str"),
            STOCK_CODE: lines["stock_code"],
            DESCRIPTION: lines["description"],
            QUANTITY: quantity,
            INVOICE_DATE: lines["timestamp"],
            UNIT_PRICE: unit_price,
            # as cleaning computes it: to a millionth of a pound
            REVENUE: (quantity * unit_price).round(6),
            CUSTOMER_ID: lines["customer_id"].astype("int64"),
            COUNTRY: lines["country"],
            CHANNEL: lines["channel"],
            CATEGORY: lines["category"],
            "outlier": np.zeros(len(lines), dtype=bool),
        }
    ).astype(CLEAN_ORDER_DTYPES)
    population = world.population
    customers = pd.DataFrame(
        {
            CUSTOMER_ID: population.customer_id,
            "age": population.age,
            "gender": population.gender,
            COUNTRY: world.people["country"].to_numpy(),
            "acquisition_channel": population.acquisition_channel,
            "email_consent": world.email_consent.astype("int64"),
            "sms_consent": world.sms_consent.astype("int64"),
            "signup_date": pd.Series(_signup_dates(population)).to_numpy(),
        }
    ).astype(CUSTOMER_TABLE_DTYPES)
    return {"orders": orders, "customers": customers}


def _check_sizes(n_customers: object, seed: object, block_size: object) -> tuple[int, int, int]:
    n_customers = require_int_at_least(n_customers, "n_customers", minimum=MIN_N_CUSTOMERS)
    seed = require_int_at_least(seed, "seed", minimum=0)
    block_size = require_int_at_least(block_size, "block_size", minimum=MIN_N_CUSTOMERS)
    if block_size > MAX_BLOCK_SIZE:
        raise ValueError(f"block_size must be at most {MAX_BLOCK_SIZE:,}, got {block_size}")
    return n_customers, seed, block_size


def simulate_block(
    block: int,
    *,
    n_customers: int,
    seed: int = DEFAULT_SEED,
    block_size: int = DEFAULT_BLOCK_SIZE,
) -> dict[str, pd.DataFrame]:
    """One block of the streamed retailer, in memory: what :func:`write_parquet` writes for it.

    Parameters
    ----------
    block : int
        Block number (0 for the first ``block_size`` customers).
    n_customers, seed, block_size : int
        As for :func:`write_parquet`.

    Returns
    -------
    dict of DataFrame
        ``orders`` (:data:`CLEAN_ORDER_DTYPES`) and ``customers``
        (:data:`CUSTOMER_TABLE_DTYPES`) of the block's customers.

    Raises
    ------
    ValueError
        If a size or the seed is invalid, or ``block`` is not a block of ``n_customers``.

    Examples
    --------
    >>> part = simulate_block(1, n_customers=300, seed=1, block_size=200)
    >>> part["customers"]["customer_id"].agg(["min", "max"]).tolist()
    [10201, 10300]
    >>> bool(part["orders"]["customer_id"].between(10201, 10300).all())
    True
    """
    n_customers, seed, block_size = _check_sizes(n_customers, seed, block_size)
    sizes = _block_sizes(n_customers, block_size)
    block = require_int_at_least(block, "block", minimum=0)
    if block >= len(sizes):
        raise ValueError(f"block must be below {len(sizes)} (the number of blocks of "
                         f"{n_customers} customers in blocks of {block_size}), got {block}")
    products, weights = _catalogue(seed)
    return _simulate_block(seed, block, sizes[block], block_size, products, weights)


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of ``folder`` that are not part of a (possibly interrupted) write_parquet
    output: anything but ``manifest.json``, ``products/part.parquet`` and
    ``orders|customers/block=NNNN/part.parquet``."""
    foreign = []
    for entry in folder.iterdir():
        if entry.name == "manifest.json" and entry.is_file():
            continue
        if entry.name == "products" and entry.is_dir():
            foreign += [str(p) for p in entry.iterdir() if p.name != "part.parquet"]
        elif entry.name in ("orders", "customers") and entry.is_dir():
            for block in entry.iterdir():
                if not (block.is_dir() and re.fullmatch(r"block=\d{4,}", block.name)):
                    foreign.append(str(block))
                else:
                    foreign += [str(p) for p in block.iterdir() if p.name != "part.parquet"]
        else:
            foreign.append(str(entry))
    return foreign


def _prepare_folder(path: str | os.PathLike[str], overwrite: bool) -> Path:
    if not isinstance(path, str | os.PathLike) or not str(path).strip():
        raise ValueError(f"path must be a folder name (str or Path), got {path!r}")
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"path {str(folder)!r} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        if not overwrite:
            raise ValueError(f"path {str(folder)!r} is not empty; choose a new folder or pass "
                             "overwrite=True to replace an earlier write_parquet output")
        foreign = _foreign_entries(folder)
        if foreign:
            raise ValueError(f"path {str(folder)!r} holds files write_parquet did not write "
                             f"(e.g. {foreign[0]!r}); it will not delete them")
        for name in ("orders", "customers", "products"):
            shutil.rmtree(folder / name, ignore_errors=True)
        (folder / "manifest.json").unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write(frame: pd.DataFrame, dtypes: dict[str, str], file: Path) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, schema=_arrow_schema(dtypes), preserve_index=False)
    pq.write_table(table, file)


def write_parquet(
    path: str | os.PathLike[str],
    *,
    n_customers: int,
    seed: int = DEFAULT_SEED,
    block_size: int = DEFAULT_BLOCK_SIZE,
    progress: bool = True,
    overwrite: bool = False,
) -> pd.DataFrame:
    """Simulate a retailer of any size and stream it to partitioned Parquet files.

    Blocks of ``block_size`` customers are simulated and written one after the other, so
    memory depends on ``block_size``, not on ``n_customers``. Only clean order lines, customers
    and products are written (see the module docstring for what is skipped and why).

    Parameters
    ----------
    path : str or Path
        Folder to create (it may exist if empty). Receives ``orders/block=NNNN/part.parquet``,
        ``customers/block=NNNN/part.parquet``, ``products/part.parquet`` and ``manifest.json``.
    n_customers : int
        Number of customers, at least ``MIN_N_CUSTOMERS`` (50).
    seed : int, default 42
        Seed (non-negative): the same seed and block size give the same files.
    block_size : int, default 10,000
        Customers per block (between 50 and ``MAX_BLOCK_SIZE``); the last block holds the rest.
    progress : bool, default True
        Show a progress bar (one tick per block).
    overwrite : bool, default False
        Replace an earlier :func:`write_parquet` output in ``path`` (an interrupted one too:
        ``manifest.json`` is written last, so a complete output is one that has it). A folder
        holding any other file is never deleted.

    Returns
    -------
    DataFrame
        One row per block: ``block``, ``first_customer_id``, ``n_customers``, ``n_invoices``
        and ``n_order_lines`` (also stored in ``manifest.json``).

    Raises
    ------
    ValueError
        If ``n_customers``, ``seed`` or ``block_size`` is invalid, or ``path`` is a file, a
        non-empty folder (unless ``overwrite`` and it holds an earlier output) or not a path.

    Examples
    --------
    >>> import tempfile
    >>> scratch = tempfile.TemporaryDirectory()
    >>> blocks = write_parquet(scratch.name, n_customers=120, seed=3, block_size=50,
    ...                        progress=False)
    >>> sorted(p.name for p in (Path(scratch.name) / "orders").iterdir())
    ['block=0000', 'block=0001', 'block=0002']
    >>> blocks["n_customers"].tolist()
    [50, 50, 20]
    >>> scratch.cleanup()
    """
    n_customers, seed, block_size = _check_sizes(n_customers, seed, block_size)
    if not isinstance(progress, bool) or not isinstance(overwrite, bool):
        raise ValueError("progress and overwrite must be True or False")
    folder = _prepare_folder(path, overwrite)
    products, weights = _catalogue(seed)
    _write(products.rename(columns={"list_price": "unit_price"}), PRODUCT_DTYPES,
           folder / "products" / "part.parquet")
    sizes = _block_sizes(n_customers, block_size)
    rows = []
    with tqdm(total=len(sizes), desc="simulated blocks", unit="block",
              disable=not progress) as bar:
        for block, n_block in enumerate(sizes):
            part = _simulate_block(seed, block, n_block, block_size, products, weights)
            name = f"block={block:04d}"
            _write(part["orders"], CLEAN_ORDER_DTYPES, folder / "orders" / name / "part.parquet")
            _write(part["customers"], CUSTOMER_TABLE_DTYPES,
                   folder / "customers" / name / "part.parquet")
            rows.append({
                "block": block,
                "first_customer_id": FIRST_CUSTOMER_ID + block * block_size,
                "n_customers": n_block,
                "n_invoices": int(part["orders"][INVOICE].nunique()),
                "n_order_lines": len(part["orders"]),
            })
            del part
            bar.update(1)
    blocks = pd.DataFrame(rows)
    manifest = {
        "layout_version": LAYOUT_VERSION,
        "seed": seed,
        "n_customers": n_customers,
        "block_size": block_size,
        "n_order_lines": int(blocks["n_order_lines"].sum()),
        "blocks": rows,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return blocks
