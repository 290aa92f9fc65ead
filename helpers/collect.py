"""Collect the four raw sources into pseudonymous tables ready for cleaning (notebook 01).

The only step that sees personal data: e-mail addresses become keyed-hash (HMAC-SHA256)
tokens, which still join the CRM to the e-mail platform; device cookies become tokens; names
and phone numbers are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .constants import CUSTOMER_ID, DEFAULT_PSEUDONYM_KEY, EMAIL_HASH
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
    campaign: pd.DataFrame, customers: pd.DataFrame, key: str
) -> pd.DataFrame:
    """Replace the e-mail platform's addresses by the CRM ``customer_id``.

    The address is normalised and hashed with the same key as the CRM, then joined on the
    token; the address itself is dropped. Rows whose token is not in the CRM keep a missing
    ``customer_id`` (none are dropped here; the caller decides).

    Parameters
    ----------
    campaign : DataFrame
        Campaign log with an ``email`` column.
    customers : DataFrame
        Pseudonymised CRM with ``customer_id`` and ``email_hash``.
    key : str
        The pseudonymisation key used for the CRM.

    Examples
    --------
    >>> crm = pd.DataFrame({"customer_id": [7], "email_hash": hash_identifier(
    ...     pd.Series(["ann@example.com"]), "k")})
    >>> log = pd.DataFrame({"email": ["Ann@Example.com ", "bob@example.com"], "variant": "email"})
    >>> pseudonymise_campaign(log, crm, "k")["customer_id"].tolist()
    [7, <NA>]
    """
    require_frame(campaign, name="campaign")
    require_columns(campaign, ["email"], name="campaign")
    require_columns(customers, [CUSTOMER_ID, EMAIL_HASH], name="customers")
    token = hash_identifier(normalise_email(campaign["email"]), key)
    lookup = customers.set_index(EMAIL_HASH)[CUSTOMER_ID]
    out = campaign.drop(columns=["email"])
    out.insert(1, CUSTOMER_ID, token.map(lookup).astype("Int64"))
    return out


def withdraw_consent(customers: pd.DataFrame, campaign: pd.DataFrame) -> pd.DataFrame:
    """Set ``email_consent`` to 0 for customers who unsubscribed from a campaign e-mail.

    The CRM export still says ``email_consent = 1`` for recipients who clicked *unsubscribe*
    in the e-mail platform: the two systems were never synchronised. An unsubscribe withdraws
    consent from the send date on, so every later audience must exclude them (GDPR Art. 7(3),
    Art. 21(3)).

    Parameters
    ----------
    customers : DataFrame
        Pseudonymised CRM with ``customer_id`` and ``email_consent``.
    campaign : DataFrame
        Campaign log keyed by ``customer_id`` with ``unsubscribed`` (0/1).

    Returns
    -------
    DataFrame
        A copy of ``customers`` with ``email_consent`` 0 for every unsubscribed recipient.

    Examples
    --------
    >>> crm = pd.DataFrame({"customer_id": [1, 2, 3], "email_consent": [1, 1, 0]})
    >>> log = pd.DataFrame({"customer_id": [1, 2], "unsubscribed": [1, 0]})
    >>> withdraw_consent(crm, log)["email_consent"].tolist()
    [0, 1, 0]
    """
    require_columns(customers, [CUSTOMER_ID, "email_consent"], name="customers")
    require_columns(campaign, [CUSTOMER_ID, "unsubscribed"], name="campaign")
    gone = campaign.loc[campaign["unsubscribed"] == 1, CUSTOMER_ID].dropna()
    out = customers.copy()
    out.loc[out[CUSTOMER_ID].isin(set(gone)), "email_consent"] = 0
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
