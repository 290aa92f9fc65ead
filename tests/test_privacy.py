"""Pseudonymisation: stable salted tokens, normalisation, nothing personal left."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from helpers.collect import collect_sources, join_coverage, pseudonymise_campaign
from helpers.constants import PII_COLUMNS
from helpers.privacy import hash_identifier, normalise_email, pseudonymise_customers


def test_token_is_salted_sha256():
    token = hash_identifier(pd.Series(["ann@example.com"]), "pepper").iloc[0]
    assert token == hashlib.sha256(b"pepperann@example.com").hexdigest()[:16]


def test_salt_changes_tokens_and_is_required():
    values = pd.Series(["ann@example.com", "bob@example.com"])
    assert not hash_identifier(values, "a").equals(hash_identifier(values, "b"))
    with pytest.raises(ValueError, match="salt"):
        hash_identifier(values, "")


def test_missing_values_stay_missing():
    out = hash_identifier(pd.Series(["x", None]), "s")
    assert out.isna().tolist() == [False, True]


def test_normalisation_makes_case_variants_join():
    typed = pd.Series([" Ann.Lee@Example.COM", "ann.lee@example.com"])
    tokens = hash_identifier(normalise_email(typed), "s")
    assert tokens.nunique() == 1


def test_pseudonymised_crm_has_no_personal_data(small_shop):
    out = pseudonymise_customers(small_shop.customers, "s")
    assert not set(PII_COLUMNS) & set(out.columns)
    assert "birth_date" not in out.columns
    assert out["birth_year"].dropna().between(1800, 2100).all()
    assert len(out) == len(small_shop.customers)
    assert out["email_hash"].is_unique


def test_campaign_joins_through_tokens(small_shop):
    customers = pseudonymise_customers(small_shop.customers, "s")
    campaign = pseudonymise_campaign(small_shop.campaign, customers, "s")
    assert "email" not in campaign.columns
    assert campaign["customer_id"].notna().all()
    # the join must reproduce the simulator's own assignment of customers to the campaign
    expected = small_shop.truth.loc[small_shop.truth["in_campaign"], "customer_id"]
    assert sorted(campaign["customer_id"].astype(int)) == sorted(expected)


def test_collect_sources_removes_all_personal_values(small_shop):
    collected = collect_sources(small_shop.tables(), salt="s")
    emails = set(small_shop.customers["email"]) | set(small_shop.campaign["email"])
    phones = set(small_shop.customers["phone"].dropna())
    for name, frame in collected.items():
        text = frame.astype(str)
        for column in text.columns:
            values = set(text[column])
            assert not values & emails, f"e-mail left in {name}.{column}"
            assert not values & phones, f"phone left in {name}.{column}"
    cookies = set(small_shop.sessions["user_pseudo_id"])
    assert not cookies & set(collected["web_events"]["user_pseudo_id"])


def test_join_coverage_counts():
    got = join_coverage(pd.Series([1, 2, 3, None]), [1, 2], name="x")
    assert got == {"source": "x", "rows": 4, "missing_key": 1, "matched": 2,
                   "match_rate": pytest.approx(2 / 3, abs=1e-4)}


def test_pseudonymise_rejects_bad_input():
    with pytest.raises(ValueError, match="email"):
        pseudonymise_customers(pd.DataFrame({"customer_id": [1], "birth_date": ["1990-01-01"]}),
                               "s")
    with pytest.raises(ValueError, match="empty"):
        pseudonymise_customers(pd.DataFrame(columns=["customer_id", "email", "birth_date"]), "s")
