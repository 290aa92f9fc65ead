"""One schema: the simulator writes, the readers read and the dictionary describes the same
columns with the same types."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import constants, schema

RAW_TABLES = {
    "customers": schema.CUSTOMER_DTYPES,
    "products": schema.PRODUCT_DTYPES,
    "orders": schema.ORDER_DTYPES,
    "web_events": schema.EVENT_DTYPES,
    "campaign": schema.CAMPAIGN_DTYPES,
}
#: Retailer.tables() calls the web events "sessions".
SHOP_NAME = {"web_events": "sessions"}


@pytest.mark.parametrize("name", RAW_TABLES)
def test_every_raw_column_is_described(name):
    described = set(schema.RAW_DESCRIPTIONS[name]) - {"event_date"}  # event_date: JSON only
    assert described == set(RAW_TABLES[name])


@pytest.mark.parametrize("name", RAW_TABLES)
def test_the_simulator_makes_the_schema_columns(name, small_shop):
    table = small_shop.tables()[SHOP_NAME.get(name, name)]
    assert table.columns.tolist() == list(RAW_TABLES[name])


@pytest.mark.parametrize("name", ["customers", "products", "orders", "web_events"])
def test_the_simulator_makes_the_schema_types(name, small_shop):
    table = small_shop.tables()[SHOP_NAME.get(name, name)]
    for column, dtype in RAW_TABLES[name].items():
        assert table[column].dtype == pd.api.types.pandas_dtype(dtype), (name, column)


def test_standard_column_names_are_the_export_names():
    standard = [constants.CUSTOMER_ID, constants.INVOICE, constants.STOCK_CODE,
                constants.DESCRIPTION, constants.QUANTITY, constants.INVOICE_DATE,
                constants.UNIT_PRICE, constants.COUNTRY, constants.CHANNEL, constants.CATEGORY]
    assert set(standard) <= set(schema.ORDER_DTYPES)
    assert constants.REVENUE in schema.DERIVED_DESCRIPTIONS["orders (processed)"]
    assert constants.EMAIL_HASH in schema.DERIVED_DESCRIPTIONS["customers (interim)"]
    assert set(constants.PII_COLUMNS) <= set(schema.CUSTOMER_DTYPES)


def test_stages_hold_the_same_tables():
    interim, processed = schema.STAGE_SCHEMAS["interim"], schema.STAGE_SCHEMAS["processed"]
    assert set(interim) == set(RAW_TABLES)
    assert set(processed) == set(interim) | {"cleaning_audit"}
    # collection swaps the e-mail address for the CRM customer number, nothing else
    campaign = interim["campaign"][0]
    assert "email" not in campaign and campaign["customer_id"] == "Int64"
    assert set(campaign) - {"customer_id"} == set(schema.CAMPAIGN_DTYPES) - {"email"}
