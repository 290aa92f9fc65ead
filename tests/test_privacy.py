"""Pseudonymisation: stable keyed-hash (HMAC-SHA256) tokens, normalisation, nothing personal
left."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from helpers.collect import (
    collect_sources,
    join_coverage,
    pseudonymise_campaign,
    withdraw_consent,
)
from helpers.constants import PII_COLUMNS
from helpers.privacy import hash_identifier, normalise_email, pseudonymise_customers


def test_token_is_hmac_sha256_as_pythons_hmac_module_computes_it():
    token = hash_identifier(pd.Series(["ann@example.com"]), "pepper").iloc[0]
    assert token == hmac.new(b"pepper", b"ann@example.com", hashlib.sha256).hexdigest()[:16]
    # and not the naive sha256(key + message), which is open to length extension
    assert token != hashlib.sha256(b"pepperann@example.com").hexdigest()[:16]


@pytest.mark.parametrize(
    ("key", "message", "digest"),
    [
        # RFC 4231, test case 1: key 0x0b repeated 20 times
        ("\x0b" * 20, "Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        # RFC 4231, test case 2
        ("Jefe", "what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
    ],
)
def test_rfc4231_test_vectors(key, message, digest):
    assert hash_identifier(pd.Series([message]), key, length=64).iloc[0] == digest
    assert hash_identifier(pd.Series([message]), key).iloc[0] == digest[:16]


def test_key_changes_tokens_and_is_required():
    values = pd.Series(["ann@example.com", "bob@example.com"])
    assert not hash_identifier(values, "a").equals(hash_identifier(values, "b"))
    with pytest.raises(ValueError, match="key"):
        hash_identifier(values, "")
    with pytest.raises(ValueError, match="length"):
        hash_identifier(values, "a", length=65)


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
    # the date of birth stays (an age at a given day needs it); cleaning drops it
    assert out["birth_date"].equals(small_shop.customers["birth_date"])
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
    collected = collect_sources(small_shop.tables(), key="s")
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


def test_unsubscribed_recipients_lose_email_consent(small_shop):
    collected = collect_sources(small_shop.tables(), key="s")
    campaign, customers = collected["campaign"], collected["customers"]
    gone = set(campaign.loc[campaign["unsubscribed"] == 1, "customer_id"])
    consent = customers.set_index("customer_id")["email_consent"]
    assert (consent.loc[sorted(gone)] == 0).all()
    # nobody else's consent changed
    crm = small_shop.customers.set_index("customer_id")["email_consent"]
    others = consent.index.difference(sorted(gone))
    assert consent.loc[others].equals(crm.loc[others])


def test_withdraw_consent_checks_its_columns():
    crm = pd.DataFrame({"customer_id": [1], "email_consent": [1]})
    with pytest.raises(ValueError, match="unsubscribed"):
        withdraw_consent(crm, pd.DataFrame({"customer_id": [1]}))
    with pytest.raises(ValueError, match="email_consent"):
        withdraw_consent(crm.drop(columns="email_consent"),
                         pd.DataFrame({"customer_id": [1], "unsubscribed": [1]}))


def test_other_column_names_join_the_same_way():
    crm = pd.DataFrame({"client": [7, 8], "mail": ["ann@example.com", "Bob@example.com "],
                        "born": ["1990-01-01", "1980-05-05"], "phone": ["1", "2"]})
    out = pseudonymise_customers(crm, "k", customer_col="client", email_col="mail",
                                 hash_col="token", domain_col="domain", birth_date_col="born")
    assert out.columns.tolist() == ["client", "token", "domain", "born"]
    assert out["domain"].tolist() == ["example.com", "example.com"]
    log = pd.DataFrame({"id": [1, 2, 3], "address": ["BOB@example.com", "x@y.z", "ann@example.com"],
                        "unsub": [1, 0, 0]})
    joined = pseudonymise_campaign(log, out, "k", email_col="address", customer_col="client",
                                   hash_col="token")
    assert joined.columns.tolist() == ["id", "client", "unsub"]
    assert joined["client"].tolist() == [8, pd.NA, 7]
    consent = withdraw_consent(out.assign(ok=1), joined, customer_col="client",
                               consent_col="ok", unsubscribed_col="unsub")
    assert consent["ok"].tolist() == [1, 0]  # client 8 unsubscribed


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
