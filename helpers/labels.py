"""Map inconsistent spellings of categorical labels onto one canonical spelling.

The match ignores case, spaces, punctuation and ``&``/``and``, then looks the result up in a
table of known aliases. Labels that match nothing are left as they are and reported, never
guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from .constants import CATEGORIES, CHANNELS, COUNTRIES

COUNTRY_ALIASES: dict[str, str] = {
    "uk": "United Kingdom",
    "greatbritain": "United Kingdom",
    "gb": "United Kingdom",
    "eire": "Ireland",
    "irl": "Ireland",
    "fr": "France",
    "deutschland": "Germany",
    "de": "Germany",
    "thenetherlands": "Netherlands",
    "holland": "Netherlands",
    "nl": "Netherlands",
    # spellings of the real UCI Online Retail export (data/real): "EIRE" is Ireland (above);
    # "Channel Islands", "European Community" and "Unspecified" name no single country and
    # are kept as recorded
    "usa": "United States",
    "unitedstates": "United States",
    "rsa": "South Africa",
    "southafrica": "South Africa",
}
CHANNEL_ALIASES: dict[str, str] = {
    "web": "online",
    "webshop": "online",
    "ecommerce": "online",
    "instore": "store",
    "pos": "store",
    "shop": "store",
}


def label_key(label: str) -> str:
    """Reduce a label to lower-case letters and digits, with ``&`` read as ``and``.

    >>> label_key(" Home & Kitchen ")
    'homeandkitchen'
    """
    return re.sub(r"[^a-z0-9]", "", label.lower().replace("&", "and"))


def standardise_labels(
    values: pd.Series, canonical: Iterable[str], aliases: Mapping[str, str] | None = None
) -> tuple[pd.Series, list[str]]:
    """Map each value to its canonical label.

    Parameters
    ----------
    values : Series
        Labels as recorded.
    canonical : iterable of str
        The allowed spellings.
    aliases : mapping, optional
        Extra keys (as produced by :func:`label_key`) that mean a canonical label.

    Returns
    -------
    standardised : Series
        Canonical labels; unknown labels unchanged.
    unknown : list of str
        Distinct labels that matched nothing (for the analyst to review).

    Examples
    --------
    >>> out, unknown = standardise_labels(pd.Series(["UK", "france"]), ["United Kingdom",
    ...                                   "France"], {"uk": "United Kingdom"})
    >>> out.tolist(), unknown
    (['United Kingdom', 'France'], [])
    """
    lookup = {label_key(c): c for c in canonical}
    lookup.update(aliases or {})
    distinct = pd.Series(values.dropna().unique())
    mapping = {v: lookup.get(label_key(str(v)), v) for v in distinct}
    unknown = sorted(str(v) for v in distinct if label_key(str(v)) not in lookup)
    return values.map(mapping).astype(values.dtype), unknown


def standardise_country(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Canonical country names (see ``constants.COUNTRIES``).

    Examples
    --------
    >>> names, unknown = standardise_country(pd.Series(["UK", "Deutschland", "Narnia"]))
    >>> names.tolist(), unknown
    (['United Kingdom', 'Germany', 'Narnia'], ['Narnia'])
    >>> standardise_country(pd.Series(["EIRE", "USA", "RSA", "Unspecified"]))[0].tolist()
    ['Ireland', 'United States', 'South Africa', 'Unspecified']
    """
    return standardise_labels(values, COUNTRIES, COUNTRY_ALIASES)


def standardise_channel(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Canonical sales channels: ``online`` or ``store``.

    Examples
    --------
    >>> standardise_channel(pd.Series(["Online", "STORE"]))[0].tolist()
    ['online', 'store']
    """
    return standardise_labels(values, CHANNELS, CHANNEL_ALIASES)


def standardise_category(values: pd.Series) -> tuple[pd.Series, list[str]]:
    """Canonical product categories (see ``constants.CATEGORIES``).

    Examples
    --------
    >>> standardise_category(pd.Series(["home and kitchen", "Toys & Games"]))[0].tolist()
    ['Home & Kitchen', 'Toys & Games']
    """
    return standardise_labels(values, CATEGORIES)
