"""Collect the four raw sources into pseudonymous tables ready for cleaning (notebook 01).

The only step that sees personal data: e-mail addresses become keyed-hash (HMAC-SHA256)
tokens, which still join the CRM to the e-mail platform; device cookies become tokens; names
and phone numbers are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .constants import (
    CUSTOMER_ID,
    DEFAULT_PSEUDONYM_KEY,
    EMAIL,
    EMAIL_CONSENT,
    EMAIL_HASH,
    UNSUBSCRIBED,
)
from .privacy import hash_identifier, normalise_email, pseudonymise_customers
from .validation import require_columns, require_frame


def join_coverage(keys: pd.Series, reference: Iterable, *, name: str) -> dict[str, object]:
    """How many rows of a source find their key in a reference table.

    Returns a dict with ``source``, ``rows``, ``missing_key`` (rows without a key),
    ``matched`` and ``match_rate`` (matched / rows with a key).

    >>> join_coverage(pd.Series([1, 2, None]), [1], name="orders")["match_rate"]
    0.5
    """
    reference = set(reference)
    present = keys.notna()
    matched = int(keys[present].isin(reference).sum())
    with_key = int(present.sum())
    return {
        "source": name,
        "rows": len(keys),
        "missing_key": len(keys) - with_key,
        "matched": matched,
        "match_rate": round(matched / with_key, 4) if with_key else 0.0,
    }


def pseudonymise_campaign(
    campaign: pd.DataFrame,
    customers: pd.DataFrame,
    key: str,
    *,
    email_col: str = EMAIL,
    customer_col: str = CUSTOMER_ID,
    hash_col: str = EMAIL_HASH,
) -> pd.DataFrame:
    """Replace the e-mail platform's addresses by the CRM ``customer_id``.

    The address is normalised and hashed with the same key as the CRM, then joined on the
    token; the address itself is dropped. Rows whose token is not in the CRM keep a missing
    ``customer_id`` (none are dropped here; the caller decides).

    Parameters
    ----------
    campaign : DataFrame
        Campaign log with the recipients' e-mail addresses.
    customers : DataFrame
        Pseudonymised CRM with the customer id and the e-mail token.
    key : str
        The pseudonymisation key used for the CRM.
    email_col : str, default ``"email"``
        The address column of ``campaign`` (dropped from the result).
    customer_col, hash_col : str
        The customer id and token columns of ``customers``, by default
        ``constants.CUSTOMER_ID`` and ``constants.EMAIL_HASH``; the id is inserted under the
        same name.

    Examples
    --------
    >>> crm = pd.DataFrame({"customer_id": [7], "email_hash": hash_identifier(
    ...     pd.Series(["ann@example.com"]), "k")})
    >>> log = pd.DataFrame({"email": ["Ann@Example.com ", "bob@example.com"], "variant": "email"})
    >>> pseudonymise_campaign(log, crm, "k")["customer_id"].tolist()
    [7, <NA>]
    """
    require_frame(campaign, name="campaign")
    require_columns(campaign, [email_col], name="campaign")
    require_columns(customers, [customer_col, hash_col], name="customers")
    token = hash_identifier(normalise_email(campaign[email_col]), key)
    lookup = customers.set_index(hash_col)[customer_col]
    out = campaign.drop(columns=[email_col])
    out.insert(1, customer_col, token.map(lookup).astype("Int64"))
    return out


def withdraw_consent(
    customers: pd.DataFrame,
    campaign: pd.DataFrame,
    *,
    customer_col: str = CUSTOMER_ID,
    consent_col: str = EMAIL_CONSENT,
    unsubscribed_col: str = UNSUBSCRIBED,
) -> pd.DataFrame:
    """Set ``email_consent`` to 0 for customers who unsubscribed from a campaign e-mail.

    The CRM export still says ``email_consent = 1`` for recipients who clicked *unsubscribe*
    in the e-mail platform: the two systems were never synchronised. An unsubscribe withdraws
    consent from the send date on, so every later audience must exclude them (GDPR Art. 7(3),
    Art. 21(3)).

    Parameters
    ----------
    customers : DataFrame
        Pseudonymised CRM with the customer id and the consent flag (0/1).
    campaign : DataFrame
        Campaign log keyed by the customer id with the unsubscribe flag (0/1).
    customer_col : str, default ``constants.CUSTOMER_ID``
        The customer id, in both tables.
    consent_col, unsubscribed_col : str
        The consent flag of ``customers`` and the unsubscribe flag of ``campaign``.

    Returns
    -------
    DataFrame
        A copy of ``customers`` with the consent flag 0 for every unsubscribed recipient.

    Examples
    --------
    >>> crm = pd.DataFrame({"customer_id": [1, 2, 3], "email_consent": [1, 1, 0]})
    >>> log = pd.DataFrame({"customer_id": [1, 2], "unsubscribed": [1, 0]})
    >>> withdraw_consent(crm, log)["email_consent"].tolist()
    [0, 1, 0]
    """
    require_columns(customers, [customer_col, consent_col], name="customers")
    require_columns(campaign, [customer_col, unsubscribed_col], name="campaign")
    gone = campaign.loc[campaign[unsubscribed_col] == 1, customer_col].dropna()
    out = customers.copy()
    out.loc[out[customer_col].isin(set(gone)), consent_col] = 0
    return out


def collect_sources(
    raw: dict[str, pd.DataFrame], key: str = DEFAULT_PSEUDONYM_KEY
) -> dict[str, pd.DataFrame]:
    """Pseudonymise and join the raw sources.

    Parameters
    ----------
    raw : dict
        ``customers``, ``products``, ``orders``, ``sessions`` and ``campaign`` as returned by
        :func:`helpers.sources.read_raw`.
    key : str
        Secret pseudonymisation key for the HMAC tokens (the course's fixed default,
        ``constants.DEFAULT_PSEUDONYM_KEY``, only makes runs reproducible: in production the key
        lives outside the code and the data).

    Returns
    -------
    dict of DataFrame
        ``customers`` (no names, phones or e-mail addresses), ``products``, ``orders`` (unchanged:
        they hold no personal data beyond the customer id), ``web_events`` (cookie tokens) and
        ``campaign`` (keyed by ``customer_id``). Recipients who unsubscribed from the
        campaign e-mail have ``email_consent`` 0 in ``customers`` (:func:`withdraw_consent`).

    Examples
    --------
    >>> raw = {"customers": pd.DataFrame({"customer_id": [1], "email": ["ann@example.com"],
    ...                                   "birth_date": ["1990-01-01"], "email_consent": [1]}),
    ...        "products": pd.DataFrame({"stock_code": ["A"]}),
    ...        "orders": pd.DataFrame({"customer_id": [1], "stock_code": ["A"]}),
    ...        "sessions": pd.DataFrame({"user_pseudo_id": ["cookie-1"]}),
    ...        "campaign": pd.DataFrame({"email": ["Ann@Example.com"], "unsubscribed": [1]})}
    >>> out = collect_sources(raw, key="k")
    >>> out["campaign"]["customer_id"].tolist(), out["customers"]["email_consent"].tolist()
    ([1], [0])
    """
    customers = pseudonymise_customers(raw["customers"], key)
    campaign = pseudonymise_campaign(raw["campaign"], customers, key)
    events = raw["sessions"].copy()
    events["user_pseudo_id"] = hash_identifier(events["user_pseudo_id"], key)
    return {
        "customers": withdraw_consent(customers, campaign),
        "products": raw["products"].copy(),
        "orders": raw["orders"].copy(),
        "web_events": events,
        "campaign": campaign,
    }
