"""Every table of the course: its columns, their types and what they mean, in one place.

===========================  ================================================================
name                         what
===========================  ================================================================
``CUSTOMER_DTYPES``          CRM customers (``raw/crm.sqlite``, table ``customers``)
``PRODUCT_DTYPES``           product catalogue (``raw/crm.sqlite``, table ``products``)
``ORDER_DTYPES``             POS and web-shop order lines (``raw/orders.csv``)
``EVENT_DTYPES``             web-analytics events, flattened (``raw/web_events.jsonl``)
``CAMPAIGN_DTYPES``          e-mail platform's campaign log (``raw/campaign.csv``)
``STAGE_SCHEMAS``            types and date columns of the stored ``interim`` and
                             ``processed`` tables (``helpers.data`` reads them with these)
``RAW_DESCRIPTIONS``         meaning and unit of every column of the raw sources
``DERIVED_DESCRIPTIONS``     meaning and unit of the columns notebooks 01 and 02 add
``CHANNEL_DTYPES``           notebook 10's channel exports (``raw/channels/seed<seed>/``):
                             media spend, weekly sales, GA4 sessions; their date columns in
                             ``CHANNEL_DATE_COLUMNS``
``CHANNEL_DESCRIPTIONS``     meaning and unit of every column of the channel exports
===========================  ================================================================

The simulator writes its exports with these types, :mod:`helpers.sources` reads them back with
the same ones, and ``data/README.md`` is generated from the descriptions
(``python tools/data_dictionary.py``), so the three cannot disagree. Column names are those of
the exporting systems; the course's standard names in :mod:`helpers.constants` (``INVOICE``,
``CUSTOMER_ID``...) are the same strings (the tests check it).

>>> from helpers.schema import ORDER_DTYPES, RAW_DESCRIPTIONS
>>> ORDER_DTYPES["customer_id"]
'Int64'
>>> RAW_DESCRIPTIONS["orders"]["unit_price"]
'price per unit, GBP (typos: 100x too high, or 0)'
"""

from __future__ import annotations

# --- the raw sources, as the systems export them ------------------------------------------
#: CRM customers (personal data included), as stored in the CRM's SQLite database.
CUSTOMER_DTYPES: dict[str, str] = {
    "customer_id": "int64",
    "first_name": "str",
    "last_name": "str",
    "email": "str",
    "phone": "str",
    "birth_date": "str",
    "gender": "str",
    "city": "str",
    "country": "str",
    "signup_date": "str",
    "acquisition_channel": "str",
    "email_consent": "int64",
    "sms_consent": "int64",
}
#: The product catalogue, stored beside the CRM tables.
PRODUCT_DTYPES: dict[str, str] = {
    "stock_code": "str",
    "name": "str",
    "category": "str",
    "description": "str",
    "unit_price": "float64",
}
#: Order lines of the POS / web-shop CSV export: text stays text (cleaning parses dates).
ORDER_DTYPES: dict[str, str] = {
    "invoice_no": "str",
    "stock_code": "str",
    "description": "str",
    "category": "str",
    "quantity": "int64",
    "invoice_date": "str",
    "unit_price": "float64",
    "customer_id": "Int64",
    "country": "str",
    "channel": "str",
}
#: Web-analytics events flattened to one row per event (the JSON Lines export nests them).
EVENT_DTYPES: dict[str, str] = {
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
#: The e-mail platform's log of the randomised campaign, keyed by e-mail address.
CAMPAIGN_DTYPES: dict[str, str] = {
    "campaign_id": "str",
    "email": "str",
    "variant": "str",
    "sent_at": "str",
    "opened_at": "str",
    "clicked_at": "str",
    "unsubscribed": "int64",
    "converted_30d": "int64",
    "revenue_30d": "float64",
}

#: Notebook 10's channel exports (:func:`helpers.simulator.make_channels`), by table name.
#: Dates are ISO text in the files and ``datetime64[s]`` in memory (``CHANNEL_DATE_COLUMNS``).
CHANNEL_DTYPES: dict[str, dict[str, str]] = {
    "spend": {
        "week_start": "datetime64[s]",
        "channel": "str",
        "spend": "float64",
        "impressions": "int64",
        "clicks": "int64",
    },
    "sales": {
        "week_start": "datetime64[s]",
        "sales": "float64",
        "new_customers": "int64",
    },
    "sessions": {
        "user_id": "str",
        "session_start": "datetime64[s]",
        "source": "str",
        "medium": "str",
        "campaign": "str",
        "converted": "int64",
    },
}
#: The date columns of each channel export and their text format in the files.
CHANNEL_DATE_COLUMNS: dict[str, dict[str, str]] = {
    "spend": {"week_start": "%Y-%m-%d"},
    "sales": {"week_start": "%Y-%m-%d"},
    "sessions": {"session_start": "%Y-%m-%d %H:%M:%S"},
}

# --- the stored stages ----------------------------------------------------------------------
#: The collected campaign log: the e-mail address is replaced by the CRM customer number.
_COLLECTED_CAMPAIGN: dict[str, str] = {
    **{column: dtype for column, dtype in CAMPAIGN_DTYPES.items() if column != "email"},
    "customer_id": "Int64",
}

#: ``(dtypes, date columns)`` of each stored table, per stage. Columns not listed are left to
#: pandas' inference when read; date columns are parsed as ISO 8601.
STAGE_SCHEMAS: dict[str, dict[str, tuple[dict[str, str], list[str]]]] = {
    "interim": {
        "customers": ({"customer_id": "int64", "email_hash": "str", "email_domain": "str",
                       "birth_date": "str", "signup_date": "str"}, []),
        "products": (PRODUCT_DTYPES, []),
        "orders": (ORDER_DTYPES, []),
        "web_events": (EVENT_DTYPES, []),
        "campaign": (_COLLECTED_CAMPAIGN, []),
    },
    "processed": {
        "customers": ({"customer_id": "int64", "age": "Int64"},
                      ["signup_date", "first_purchase", "last_purchase"]),
        "orders": ({"invoice_no": "str", "stock_code": "str", "customer_id": "int64"},
                   ["invoice_date"]),
        "products": (PRODUCT_DTYPES, []),
        "web_events": (EVENT_DTYPES, []),
        "campaign": (_COLLECTED_CAMPAIGN, []),
        "cleaning_audit": ({"invoice_no": "str", "customer_id": "Int64"}, []),
    },
}

# --- the data dictionary --------------------------------------------------------------------
#: What every column of every raw source means, with units.
RAW_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "customers": {
        "customer_id": "CRM customer number (integer, unique; 99001+ are internal test accounts)",
        "first_name": "first name (personal data)",
        "last_name": "family name (personal data)",
        "email": "e-mail address as typed at sign-up, case not normalised (personal data)",
        "phone": "mobile number, +44 format; empty for some accounts (personal data)",
        "birth_date": "date of birth, ISO text YYYY-MM-DD; some impossible or empty",
        "gender": "F, M or X (not stated / other)",
        "city": "city of the delivery address",
        "country": "country, free text (several spellings of the same country)",
        "signup_date": "date the account was created, ISO text YYYY-MM-DD",
        "acquisition_channel": "how the customer first came: organic, paid_search, social, "
        "referral, store (internal for test accounts)",
        "email_consent": "1 if the customer agreed to marketing e-mail, else 0",
        "sms_consent": "1 if the customer agreed to marketing SMS, else 0",
    },
    "products": {
        "stock_code": "product code: two-letter category prefix and a number",
        "name": "short product name",
        "category": "one of six categories (canonical spelling)",
        "description": "listing text: a sentence describing the product",
        "unit_price": "list price, GBP per unit",
    },
    "orders": {
        "invoice_no": "invoice number (text); prefix C marks a cancellation or return",
        "stock_code": "product code (joins the catalogue)",
        "description": "product name as printed on the receipt",
        "category": "product category as typed at the till (several spellings)",
        "quantity": "units; negative on cancellation lines",
        "invoice_date": "date and time, text: web shop YYYY-MM-DD HH:MM:SS, tills DD/MM/YYYY HH:MM",
        "unit_price": "price per unit, GBP (typos: 100x too high, or 0)",
        "customer_id": "CRM customer number; empty for guest checkouts",
        "country": "country of the customer (several spellings)",
        "channel": "online or store (several spellings)",
    },
    "web_events": {
        "event_date": "event day, YYYYMMDD (JSON only)",
        "event_timestamp": "event time, microseconds since 1970-01-01 UTC",
        "event_name": "session_start, view_item, add_to_cart or purchase",
        "user_pseudo_id": "device cookie id (pseudonymous online identifier)",
        "user_id": "CRM customer number when logged in, else empty",
        "ga_session_id": "session id: the session's start time in seconds",
        "device_category": "mobile, desktop or tablet",
        "source": "traffic source, e.g. google, (direct), instagram, newsletter",
        "medium": "traffic medium: organic, (none), social, cpc, email",
        "item_id": "product code of the item viewed, added or bought",
        "transaction_id": "invoice number on purchase events",
    },
    "campaign": {
        "campaign_id": "campaign code (AUTUMN25)",
        "email": "recipient address, lower case (personal data)",
        "variant": "email (sent) or holdout (randomised control group, not sent)",
        "sent_at": "send time, ISO 8601 UTC; empty for the holdout",
        "opened_at": "first open, ISO 8601 UTC; empty if never opened",
        "clicked_at": "first click, ISO 8601 UTC; empty if never clicked",
        "unsubscribed": "1 if the recipient unsubscribed from this e-mail",
        "converted_30d": "1 if the customer bought within 30 days of the send date",
        "revenue_30d": "revenue from the customer within 30 days of the send date, GBP",
    },
}

#: What the columns that notebooks 01 (collection) and 02 (cleaning) add or change mean.
DERIVED_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "customers (interim)": {
        "email_hash": "HMAC-SHA256 token of the normalised e-mail under the pseudonymisation "
        "key (first 16 hex digits)",
        "email_domain": "domain part of the e-mail (to spot internal test accounts)",
        "email_consent": "as in the CRM, but 0 for recipients who unsubscribed from the "
        "AUTUMN25 e-mail (consent withdrawn on 2025-10-01)",
    },
    "campaign (interim)": {
        "customer_id": "CRM customer number of the recipient, found through the HMAC token of "
        "the normalised e-mail (which replaces the address); empty if none matches (processed "
        "keeps matched recipients only)",
    },
    "orders (processed)": {
        "quantity": "units kept: as bought, less any units a partial return took back",
        "revenue": "quantity x unit price after cleaning, GBP",
        "outlier": "True for extreme lines (bulk quantity or extreme revenue): kept, flagged",
    },
    "customers (processed profile)": {
        "age": "age in whole years (birthdays reached) at the as-of date, 2026-01-01 by "
        "default; empty when impossible or missing (the birth date itself is dropped)",
        "first_purchase": "first clean invoice date",
        "last_purchase": "last clean invoice date",
        "recency_days": "days from the last purchase to the as-of date",
        "tenure_days": "days from the first purchase to the as-of date",
        "frequency": "number of clean invoices",
        "monetary": "total clean revenue, GBP",
        "avg_order_value": "monetary / frequency, GBP",
        "avg_days_between_orders": "mean gap between invoices, days (empty for one order)",
        "online_share": "share of invoices placed online",
        "share_<category>": "share of spend in each of the six categories",
        "web_sessions": "logged-in web sessions",
        "product_views": "logged-in product views",
    },
    "cleaning_audit (processed)": {
        "row": "position of the line in the raw orders export (0-based)",
        "status": "kept or dropped",
        "reason": "the first cleaning rule that applies to the line (see notebook 02)",
        "raw_revenue": "quantity x unit price as exported, GBP (negative on cancellations)",
        "clean_revenue": "the line's revenue after cleaning, GBP (0 when dropped)",
        "returned_units": "units of a purchase line that returns took back (else 0)",
        "labels_fixed": "True if country, channel or category was re-spelled",
        "price_corrected": "True if the price was a typo divided by 100",
        "outlier": "True for extreme kept lines (flagged, not removed)",
    },
}

#: What every column of notebook 10's channel exports means, with units.
CHANNEL_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "spend": {
        "week_start": "Monday the week starts, YYYY-MM-DD (104 weeks from 2024-01-01)",
        "channel": "media channel: paid_search, social, display, email or tv (TV and outdoor)",
        "spend": "media spend of the week, GBP (0 in weeks the channel is off air)",
        "impressions": "ads served (e-mail: messages sent; tv: estimated audience contacts)",
        "clicks": "clicks on the ads (0 for tv: no click trail)",
    },
    "sales": {
        "week_start": "Monday the week starts, YYYY-MM-DD",
        "sales": "total sales of the week, GBP (online and stores)",
        "new_customers": "customers whose first purchase fell in the week",
    },
    "sessions": {
        "user_id": "GA4 pseudonymous user id (device cookie), text",
        "session_start": "start of the web session, YYYY-MM-DD HH:MM:SS (from 2024-01-01)",
        "source": "traffic source as GA4 records it (google, facebook, newsletter, (direct), "
        "(offline) for a store purchase matched by loyalty card...)",
        "medium": "traffic medium (cpc, paid_social, display, email, offline, organic, (none), "
        "store)",
        "campaign": "campaign name ((organic), (direct), (not set) where there is none)",
        "converted": "1 on the session of the user's first purchase, else 0",
    },
}
