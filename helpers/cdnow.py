"""The CDNOW transactions: real purchase histories used to check the CLV models against print.

CDNOW was an online CD shop. Fader and Hardie's papers use the 23,570 people who made their
first purchase in the first quarter of 1997, followed until the end of June 1998, and a 1/10
systematic sample of them (2,357 customers). The ``lifetimes`` package ships both files; this
module reads them *as data* (it never imports ``lifetimes`` code), so the course needs no
download and the published parameter values can be reproduced exactly.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Literal

import pandas as pd

#: File name inside ``lifetimes/datasets`` for each kind of CDNOW extract.
CDNOW_FILES: dict[str, str] = {"master": "CDNOW_master.txt", "sample": "CDNOW_sample.txt"}


def cdnow_path(kind: Literal["master", "sample"] = "master") -> Path:
    """Return the path of a CDNOW file inside the installed ``lifetimes`` package.

    Parameters
    ----------
    kind : {"master", "sample"}
        ``"master"`` for all 23,570 customers, ``"sample"`` for the 2,357-customer sample.

    Returns
    -------
    pathlib.Path
        The text file, e.g. ``.../site-packages/lifetimes/datasets/CDNOW_master.txt``.

    Raises
    ------
    ValueError
        If ``kind`` is not one of the two extracts.
    ModuleNotFoundError
        If ``lifetimes`` is not installed.

    Examples
    --------
    >>> cdnow_path("sample").name
    'CDNOW_sample.txt'
    """
    if kind not in CDNOW_FILES:
        raise ValueError(f"kind must be one of {sorted(CDNOW_FILES)}, got {kind!r}")
    # find_spec locates a top-level package without executing it: the data are needed, not
    # lifetimes' code (which may not import cleanly under recent pandas).
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "load_cdnow reads the CDNOW files shipped inside the 'lifetimes' package, which is "
            "not installed; install it with `pip install lifetimes==0.11.3` "
            "(or the course extra: `pip install -e .[course]`)"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "datasets" / CDNOW_FILES[kind]
    if not path.is_file():
        raise FileNotFoundError(f"the installed lifetimes package has no {path}")
    return path


def load_cdnow(kind: Literal["master", "sample"] = "master") -> pd.DataFrame:
    """Load the CDNOW transactions (one row per purchase record, 1997-01-01 to 1998-06-30).

    Parameters
    ----------
    kind : {"master", "sample"}
        ``"master"``: 69,659 records of 23,570 customers. ``"sample"``: 6,919 records of the
        2,357 customers of Fader and Hardie's 1/10 sample.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (int, the master-file id), ``date`` (datetime64), ``quantity``
        (number of CDs, int) and ``amount`` (dollars, float), in file order. For
        ``kind="sample"`` there is one more column, ``sample_id`` (int, 1 to 2,357): the id
        used by Fader and Hardie's published sample summaries (and by lifetimes'
        ``cdnow_customers_summary*.csv``), so results can be joined to them.

    Raises
    ------
    ModuleNotFoundError
        If ``lifetimes`` (which ships the files) is not installed.

    Notes
    -----
    A customer can have several records on one day; they are kept as they are in the file.
    :func:`helpers.clv.summary_from_transactions` merges same-day purchases into one
    transaction, as the published analyses do. 80 master records have an amount of $0.

    Examples
    --------
    >>> tx = load_cdnow("sample")
    >>> tx["customer_id"].nunique(), len(tx)
    (2357, 6919)
    """
    path = cdnow_path(kind)
    if kind == "master":
        # The master file has a header line: "customer_id date number_of_cds dollar_value".
        raw = pd.read_csv(
            path,
            sep=r"\s+",
            header=0,
            names=["customer_id", "date", "quantity", "amount"],
            dtype={"customer_id": "int64", "date": "str", "quantity": "int64", "amount": "float64"},
        )
    else:
        # The sample has no header and two ids: the master id, then the sample's own id.
        raw = pd.read_csv(
            path,
            sep=r"\s+",
            header=None,
            names=["customer_id", "sample_id", "date", "quantity", "amount"],
            dtype={
                "customer_id": "int64",
                "sample_id": "int64",
                "date": "str",
                "quantity": "int64",
                "amount": "float64",
            },
        )
    raw["date"] = pd.to_datetime(raw["date"], format="%Y%m%d")
    columns = ["customer_id", "date", "quantity", "amount"]
    if kind == "sample":
        columns.append("sample_id")
    return raw[columns]
