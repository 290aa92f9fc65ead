"""Pseudonymisation: replace direct identifiers by keyed-hash tokens before any analysis.

A token is HMAC-SHA256 (RFC 2104) of the identifier under one secret key shared by every
record. It keeps keys joinable (the same address always gives the same token, in every
source) while nobody without the key can recompute a token from a guessed address.

Why HMAC and not a "salted" SHA-256: in password storage a salt is random, different for every
record and stored in the clear next to the hash; one secret value shared by all records is a
*key*, and a keyed hash should use the construction built for it. HMAC is that construction;
the naive ``sha256(key + message)`` is open to length extension (whoever sees a full digest can
compute the digest of a longer message without the key).

Normalise before hashing: ``Ann.Lee@Example.com`` and ``ann.lee@example.com`` are the same
person, and would not join once hashed if the case differed.
"""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd

from .constants import BIRTH_DATE, CUSTOMER_ID, EMAIL, EMAIL_DOMAIN, EMAIL_HASH, PII_COLUMNS
from .validation import require_columns, require_frame

TOKEN_LENGTH = 16


def normalise_email(emails: pd.Series) -> pd.Series:
    """Trim and lower-case e-mail addresses (missing values stay missing).

    >>> normalise_email(pd.Series([" Ann.Lee@Example.com"])).tolist()
    ['ann.lee@example.com']
    """
    return emails.str.strip().str.lower()


def hash_identifier(values: pd.Series, key: str, *, length: int = TOKEN_LENGTH) -> pd.Series:
    """Keyed-hash tokens: HMAC-SHA256 of each value under ``key``, first ``length`` hex digits.

    Parameters
    ----------
    values : Series
        Identifiers as text (normalise e-mail addresses first); missing values give missing
        tokens.
    key : str
        The secret pseudonymisation key (UTF-8), the same for every record and every source so
        that tokens join; in production kept outside the code and the data. Must not be empty:
        an unkeyed hash of an e-mail address can be reversed by hashing a list of known
        addresses.
    length : int, default 16
        Hex digits kept, 1 to 64 (64 is the whole digest). 16 hex digits are 64 bits: no two
        of a few million customers share a token by chance.

    Returns
    -------
    Series of str
        One token per value, index preserved.

    Examples
    --------
    RFC 4231, test case 2 (the whole digest):

    >>> hash_identifier(pd.Series(["what do ya want for nothing?"]), "Jefe", length=64).iloc[0]
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
    >>> tokens = hash_identifier(pd.Series(["ann@example.com", None]), "k")
    >>> len(tokens.iloc[0]), tokens.isna().tolist()
    (16, [False, True])
    """
    if not isinstance(key, str) or not key:
        raise ValueError("key (the pseudonymisation key) must be a non-empty string")
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= 64:
        raise ValueError(f"length must be a whole number from 1 to 64, got {length!r}")
    key_bytes = key.encode("utf-8")

    def token(value: object) -> object:
        if pd.isna(value):
            return pd.NA
        digest = hmac.new(key_bytes, str(value).encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:length]

    return values.map(token).astype("str")


def pseudonymise_customers(
    customers: pd.DataFrame,
    key: str,
    *,
    customer_col: str = CUSTOMER_ID,
    email_col: str = EMAIL,
    hash_col: str = EMAIL_HASH,
    domain_col: str = EMAIL_DOMAIN,
    birth_date_col: str = BIRTH_DATE,
) -> pd.DataFrame:
    """Keep only what analysis needs from the CRM, with the e-mail as a keyed-hash token.

    Drops names and phone numbers and replaces ``email`` by ``email_hash`` (HMAC token of the
    normalised address) and ``email_domain`` (needed to spot internal test accounts). The
    ``birth_date`` stays: an age at a given day needs the whole date (from the year alone an
    age is uncertain by one year); cleaning turns it into an age and drops it.

    Parameters
    ----------
    customers : DataFrame
        CRM table with the customer id, the e-mail address and the birth date (ISO text).
    key : str
        Secret pseudonymisation key for :func:`hash_identifier`.
    customer_col, email_col, birth_date_col : str
        Columns of ``customers``; the token and the domain are inserted after the id.
    hash_col, domain_col : str
        Names of the new token and domain columns (default ``constants.EMAIL_HASH`` and
        ``"email_domain"``).

    Returns
    -------
    DataFrame
        The CRM without direct identifiers.

    Examples
    --------
    >>> crm = pd.DataFrame({"customer_id": [1], "first_name": ["Ann"], "last_name": ["Lee"],
    ...                     "email": [" Ann.Lee@Example.com"], "phone": ["+44 7700 900123"],
    ...                     "birth_date": ["1965-08-15"]})
    >>> pseudonymise_customers(crm, "k").columns.tolist()
    ['customer_id', 'email_hash', 'email_domain', 'birth_date']
    """
    require_frame(customers, name="customers")
    require_columns(customers, [customer_col, email_col, birth_date_col], name="customers")
    email = normalise_email(customers[email_col])
    identifiers = {*PII_COLUMNS, email_col}
    out = customers.drop(columns=[c for c in customers.columns if c in identifiers])
    position = out.columns.get_loc(customer_col) + 1
    out.insert(position, hash_col, hash_identifier(email, key))
    out.insert(position + 1, domain_col, email.str.split("@").str[-1])
    return out
