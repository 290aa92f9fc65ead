"""Pseudonymisation: replace direct identifiers by salted hashes before any analysis.

A salted hash keeps keys joinable (the same address always gives the same token, in every
source) while nobody without the salt can recompute the token from a guessed address.
Normalise before hashing: ``Ann.Lee@Example.com`` and ``ann.lee@example.com`` are the same
person, and would not join once hashed if the case differed.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from .constants import PII_COLUMNS
from .validation import require_columns, require_frame

TOKEN_LENGTH = 16


def normalise_email(emails: pd.Series) -> pd.Series:
    """Trim and lower-case e-mail addresses (missing values stay missing).

    >>> normalise_email(pd.Series([" Ann.Lee@Example.com"])).tolist()
    ['ann.lee@example.com']
    """
    return emails.str.strip().str.lower()


def hash_identifier(values: pd.Series, salt: str) -> pd.Series:
    """Salted SHA-256 tokens (first 16 hex digits) of identifier values.

    Parameters
    ----------
    values : Series
        Identifiers as text; missing values give missing tokens.
    salt : str
        Secret salt; must not be empty (an unsalted hash of an e-mail can be reversed by
        hashing a list of known addresses).

    Examples
    --------
    >>> hash_identifier(pd.Series(["ann@example.com"]), salt="s").str.len().tolist()
    [16]
    """
    if not isinstance(salt, str) or not salt:
        raise ValueError("salt must be a non-empty string")
    salt_bytes = salt.encode("utf-8")

    def token(value: object) -> object:
        if pd.isna(value):
            return pd.NA
        return hashlib.sha256(salt_bytes + str(value).encode("utf-8")).hexdigest()[
            :TOKEN_LENGTH
        ]

    return values.map(token).astype("str")


def pseudonymise_customers(customers: pd.DataFrame, salt: str) -> pd.DataFrame:
    """Keep only what analysis needs from the CRM, with the e-mail as a salted token.

    Drops names and phone numbers, replaces ``email`` by ``email_hash`` (of the normalised
    address) and ``email_domain`` (needed to spot internal test accounts), and reduces
    ``birth_date`` to ``birth_year`` (data minimisation: the year is enough for age bands).

    Parameters
    ----------
    customers : DataFrame
        CRM table with ``customer_id``, ``email`` and ``birth_date`` (ISO text).
    salt : str
        Secret salt for :func:`hash_identifier`.

    Returns
    -------
    DataFrame
        The CRM without direct identifiers.
    """
    require_frame(customers, name="customers")
    require_columns(customers, ["customer_id", "email", "birth_date"], name="customers")
    email = normalise_email(customers["email"])
    out = customers.drop(columns=[c for c in PII_COLUMNS if c in customers.columns])
    out = out.drop(columns=["birth_date"])
    position = customers.columns.get_loc("customer_id") + 1
    out.insert(position, "email_hash", hash_identifier(email, salt))
    out.insert(position + 1, "email_domain", email.str.split("@").str[-1])
    birth_year = pd.to_numeric(customers["birth_date"].str[:4], errors="coerce")
    out.insert(position + 2, "birth_year", birth_year.astype("Int64"))
    return out
