"""The simulated retailer: one seeded call builds every source table and the answer key.

>>> from helpers.simulator import make_retailer
>>> shop = make_retailer(n_customers=200, seed=1)
>>> sorted(shop.tables())
['campaign', 'customers', 'orders', 'products', 'sessions']

The story behind the data is described in ``data/README.md``; the answer key (``truth``,
``line_truth``, ``true_orders`` and :meth:`Retailer.status_at`) exists only to grade methods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .behaviour import (
    N_DAYS,
    Population,
    build_baskets,
    draw_population,
    expected_order_value,
    item_weights,
    simulate_purchase_times,
    time_of_day,
)
from .catalogue import make_catalogue
from .constants import (
    CAMPAIGN_DATE,
    CAMPAIGN_ID,
    CAMPAIGN_WINDOW_DAYS,
    DEFAULT_N_CUSTOMERS,
    DEFAULT_SEED,
    PERIOD_START,
)
from .customer_types import CUSTOMER_TYPES
from .dirt import dirty_customers, dirty_orders
from .people import make_people
from .sources import CUSTOMER_DTYPES
from .web_events import simulate_web_events

EMAIL_CONSENT_SHARE = 0.72
SMS_CONSENT_SHARE = 0.35
GUEST_ORDER_SHARE = 0.04
N_TEST_ACCOUNTS = 8
FIRST_INVOICE = 500_001


@dataclass
class Retailer:
    """Everything the simulator made: the five source tables and the answer key.

    Attributes
    ----------
    customers : DataFrame
        CRM export with PII (as stored in the CRM's SQLite database).
    products : DataFrame
        Product catalogue (stored beside the CRM tables).
    orders : DataFrame
        POS and web-shop order lines as the CSV export holds them, dirt included.
    sessions : DataFrame
        Web-analytics events, one row per event (flattened from the JSON Lines export).
    campaign : DataFrame
        E-mail platform log of the randomised campaign, keyed by e-mail address.
    truth : DataFrame
        Answer key per real customer: type, buying parameters, dropout date, campaign effect.
    line_truth : Series
        The injected problem of each row of ``orders`` (``clean`` if none).
    true_orders : DataFrame
        The clean invoices of real customers (before any dirt), for grading.
    test_account_ids : list of int
        Internal test accounts planted in the CRM.
    """

    customers: pd.DataFrame
    products: pd.DataFrame
    orders: pd.DataFrame
    sessions: pd.DataFrame
    campaign: pd.DataFrame
    truth: pd.DataFrame
    line_truth: pd.Series
    true_orders: pd.DataFrame
    test_account_ids: list[int]
    seed: int
    n_customers: int

    def tables(self) -> dict[str, pd.DataFrame]:
        """The five source tables by name (not the answer key)."""
        return {
            "customers": self.customers,
            "products": self.products,
            "orders": self.orders,
            "sessions": self.sessions,
            "campaign": self.campaign,
        }

    def status_at(self, cutoff: str | pd.Timestamp, horizon_days: int = 90) -> pd.DataFrame:
        """True state of every customer at ``cutoff`` and what the next days hold.

        Parameters
        ----------
        cutoff : str or Timestamp
            The date (midnight) at which to judge.
        horizon_days : int
            Length of the future window, in days.

        Returns
        -------
        DataFrame
            Per customer: ``acquired`` (first purchase before the cutoff), ``alive`` (has not
            dropped out), ``p_alive`` (probability of being alive given the true parameters and
            the purchase history only, i.e. the best any model could know),
            ``expected_purchases`` and ``expected_value`` over the horizon, and
            ``p_no_purchase`` (the Bayes-optimal churn probability for that window).
        """
        cutoff = pd.Timestamp(cutoff)
        c = (cutoff - PERIOD_START).days
        truth = self.truth
        buys = self.true_orders.loc[
            ~self.true_orders["campaign_driven"] & (self.true_orders["purchase_t"] < c)
        ]
        grouped = buys.groupby("customer_id")["purchase_t"]
        first, last, count = grouped.min(), grouped.max(), grouped.size()
        ids = truth["customer_id"]
        first = first.reindex(ids).to_numpy()
        last = last.reindex(ids).to_numpy()
        repeats = count.reindex(ids).fillna(0).to_numpy() - 1
        acquired = ~np.isnan(first)
        rate = truth["purchase_rate_per_day"].to_numpy()
        p = truth["dropout_prob"].to_numpy()
        death = truth["dropout_t"].to_numpy()
        alive = acquired & ~(death < c)
        with np.errstate(over="ignore", invalid="ignore"):
            odds_dead = np.where(repeats > 0, p / (1 - p) * np.exp(rate * (c - last)), 0.0)
            p_alive = np.where(acquired, 1.0 / (1.0 + odds_dead), 0.0)
        expected_if_alive = (1 - np.exp(-rate * p * horizon_days)) / p
        expected = p_alive * expected_if_alive
        p_none = 1 - p_alive + p_alive * np.exp(-rate * horizon_days)
        return pd.DataFrame(
            {
                "customer_id": ids.to_numpy(),
                "acquired": acquired,
                "alive": alive,
                "p_alive": p_alive,
                "expected_purchases": np.where(acquired, expected, 0.0),
                "expected_value": np.where(
                    acquired, expected * truth["expected_order_value"].to_numpy(), 0.0
                ),
                "p_no_purchase": np.where(acquired, p_none, np.nan),
            }
        )


def _timestamps(rng: np.random.Generator, t: np.ndarray, online: np.ndarray) -> pd.Series:
    """Calendar timestamps (minute precision) for continuous purchase times ``t`` (days)."""
    minutes = np.floor(t).astype("int64") * 1440 + time_of_day(rng, online)
    return pd.Series(
        (PERIOD_START + pd.to_timedelta(minutes, unit="m")).astype("datetime64[us]")
    )


def _simple_lines(
    rng: np.random.Generator, order_keys: np.ndarray, popularity: np.ndarray, mean_lines: float
) -> pd.DataFrame:
    """Baskets for guests and test accounts: popular products, one or two units."""
    n_lines = 1 + rng.poisson(mean_lines - 1, size=len(order_keys))
    keys = np.repeat(order_keys, n_lines)
    item = rng.choice(popularity.size, size=keys.size, p=popularity)
    quantity = 1 + rng.poisson(0.3, size=keys.size)
    lines = pd.DataFrame({"order_key": keys, "item": item, "quantity": quantity})
    return lines.groupby(["order_key", "item"], sort=True, as_index=False)["quantity"].sum()


def _run_campaign(
    rng: np.random.Generator,
    population: Population,
    death_t: np.ndarray,
    eligible: np.ndarray,
) -> pd.DataFrame:
    """Randomise eligible customers into e-mail and holdout; decide who responds."""
    c = (CAMPAIGN_DATE - PERIOD_START).days
    members = np.flatnonzero(eligible)
    treated = np.zeros(len(population.customer_id), dtype=bool)
    treated[members[rng.permutation(members.size)[: members.size // 2]]] = True
    first = population.first_purchase_t
    alive = ~np.isnan(first) & (first < c) & ~(death_t <= c)
    uplift = np.array([t.campaign_uplift for t in CUSTOMER_TYPES])[population.type_id]
    true_uplift = np.where(eligible & alive, uplift, 0.0)
    responds = treated & (rng.random(treated.size) < true_uplift)
    return pd.DataFrame(
        {
            "eligible": eligible,
            "treated": treated,
            "alive_at_campaign": alive,
            "true_uplift": true_uplift,
            "responds": responds,
        }
    )


def make_retailer(n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED) -> Retailer:
    """Simulate the retailer: CRM, catalogue, orders, web events, campaign and answer key.

    Parameters
    ----------
    n_customers : int, default 5000
        Number of CRM customers (test accounts come on top).
    seed : int, default 42
        Seed of the random generator: the same seed gives the same tables, byte for byte.

    Returns
    -------
    Retailer

    Examples
    --------
    >>> shop = make_retailer(n_customers=300, seed=7)
    >>> shop.customers["customer_id"].is_unique
    True
    """
    if not isinstance(n_customers, int | np.integer) or n_customers < 50:
        raise ValueError(f"n_customers must be an integer of at least 50, got {n_customers!r}")
    rng = np.random.default_rng(seed)
    products = make_catalogue(rng)
    list_price = products["list_price"].to_numpy()
    weights = item_weights(rng)
    population = draw_population(rng, n_customers, weights)
    purchases, death_t = simulate_purchase_times(rng, population)
    people = make_people(rng, population.customer_id, population.gender)
    email_consent = rng.random(n_customers) < EMAIL_CONSENT_SHARE
    sms_consent = rng.random(n_customers) < SMS_CONSENT_SHARE
    campaign_day = (CAMPAIGN_DATE - PERIOD_START).days
    campaign = _run_campaign(
        rng, population, death_t, email_consent & (population.signup_day < campaign_day)
    )

    # --- invoices: customers (incl. campaign responses), guests, test accounts -------------
    responders = np.flatnonzero(campaign["responds"].to_numpy())
    response_t = campaign_day + rng.uniform(0, CAMPAIGN_WINDOW_DAYS, size=responders.size)
    customer_orders = pd.DataFrame(
        {
            "customer_idx": np.r_[purchases["customer_idx"].to_numpy(), responders],
            "purchase_t": np.r_[purchases["t"].to_numpy(), response_t],
            "campaign_driven": np.r_[
                np.zeros(len(purchases), bool), np.ones(responders.size, bool)
            ],
        }
    )
    online = rng.random(len(customer_orders)) < population.online_share[
        customer_orders["customer_idx"].to_numpy()
    ]
    customer_orders["online"] = online | customer_orders["campaign_driven"].to_numpy()
    customer_orders["timestamp"] = _timestamps(
        rng, customer_orders["purchase_t"].to_numpy(), customer_orders["online"].to_numpy()
    )
    customer_orders["source"] = "customer"

    popularity = weights.mean(axis=0).ravel()
    popularity /= popularity.sum()
    n_guest = int(round(GUEST_ORDER_SHARE * len(customer_orders)))
    guest_orders = pd.DataFrame(
        {"customer_idx": -1, "purchase_t": rng.uniform(0, N_DAYS, size=n_guest)}
    )
    guest_orders["online"] = False
    guest_orders["timestamp"] = _timestamps(rng, guest_orders["purchase_t"].to_numpy(),
                                            guest_orders["online"].to_numpy())
    guest_orders["source"] = "guest"

    test_ids = np.arange(99_001, 99_001 + N_TEST_ACCOUNTS)
    n_test_orders = rng.integers(4, 13, size=N_TEST_ACCOUNTS)
    test_orders = pd.DataFrame(
        {
            "customer_idx": np.repeat(-2 - np.arange(N_TEST_ACCOUNTS), n_test_orders),
            "purchase_t": rng.uniform(30, N_DAYS, size=n_test_orders.sum()),
        }
    )
    test_orders["online"] = True
    test_orders["timestamp"] = _timestamps(rng, test_orders["purchase_t"].to_numpy(),
                                           test_orders["online"].to_numpy())
    test_orders["source"] = "test_account"

    invoices = pd.concat([customer_orders, guest_orders, test_orders], ignore_index=True)
    invoices["campaign_driven"] = invoices["campaign_driven"].fillna(False).astype(bool)
    invoices["order_key"] = np.arange(len(invoices))
    invoices = invoices.sort_values(["timestamp", "order_key"], kind="stable")
    invoices["invoice_no"] = FIRST_INVOICE + np.arange(len(invoices))
    invoices = invoices.sort_values("order_key").reset_index(drop=True)

    is_cust = invoices["source"].to_numpy() == "customer"
    customer_lines = build_baskets(rng, invoices.loc[is_cust], population, weights, list_price)
    other_lines = pd.concat(
        [
            _simple_lines(rng, invoices.loc[invoices["source"] == "guest", "order_key"].to_numpy(),
                          popularity, 2.0),
            _simple_lines(rng, invoices.loc[invoices["source"] == "test_account", "order_key"]
                          .to_numpy(), popularity, 1.5),
        ]
    )
    other_lines["unit_price"] = list_price[other_lines["item"].to_numpy()]
    lines = pd.concat([customer_lines, other_lines], ignore_index=True)
    lines = lines.merge(invoices, on="order_key", how="left", validate="many_to_one")
    cidx = lines["customer_idx"].to_numpy()
    customer_id = np.where(
        cidx >= 0, population.customer_id[np.maximum(cidx, 0)], test_ids[np.maximum(-2 - cidx, 0)]
    )
    lines["customer_id"] = pd.array(customer_id, dtype="Int64")
    lines.loc[cidx == -1, "customer_id"] = pd.NA
    country = people["country"].to_numpy()
    lines["country"] = np.where(cidx >= 0, country[np.maximum(cidx, 0)], "United Kingdom")
    lines["channel"] = np.where(lines["online"], "online", "store")
    item = lines["item"].to_numpy()
    lines["stock_code"] = products["stock_code"].to_numpy()[item]
    lines["description"] = products["name"].to_numpy()[item]
    lines["category"] = products["category"].to_numpy()[item]
    lines = lines.sort_values(["timestamp", "invoice_no", "stock_code"], kind="stable")
    raw_orders = dirty_orders(rng, lines)

    # --- true invoices and campaign outcomes -------------------------------------------
    lines["line_value"] = lines["quantity"] * lines["unit_price"]
    true_orders = (
        lines.loc[lines["source"] == "customer"]
        .groupby("invoice_no", as_index=False)
        .agg(
            customer_id=("customer_id", "first"),
            timestamp=("timestamp", "first"),
            purchase_t=("purchase_t", "first"),
            channel=("channel", "first"),
            campaign_driven=("campaign_driven", "first"),
            value=("line_value", "sum"),
        )
    )
    true_orders["value"] = true_orders["value"].round(2)
    sent_at = CAMPAIGN_DATE + pd.Timedelta(hours=9)
    window = true_orders.loc[
        (true_orders["timestamp"] >= sent_at)
        & (true_orders["timestamp"] < sent_at + pd.Timedelta(days=CAMPAIGN_WINDOW_DAYS))
    ].groupby("customer_id")["value"].agg(["size", "sum"])

    # --- opens and clicks, then the e-mail platform's export ----------------------------
    n = n_customers
    open_rate = np.array([t.email_open_rate for t in CUSTOMER_TYPES])[population.type_id]
    responds = campaign["responds"].to_numpy()
    treated = campaign["treated"].to_numpy()
    opened = treated & (rng.random(n) < np.where(responds, 0.9, open_rate))
    clicked = opened & (rng.random(n) < np.where(responds, 0.8, 0.2))
    unsubscribed = opened & ~clicked & (rng.random(n) < 0.04)
    send_delay = pd.to_timedelta(rng.integers(0, 1_800, size=n), unit="s")
    sent_time = sent_at + send_delay
    open_time = sent_time + pd.to_timedelta(
        np.floor(rng.exponential(8 * 3600, size=n)).astype("int64"), unit="s"
    )
    response_time = pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]")
    response_rows = customer_orders.loc[customer_orders["campaign_driven"]]
    response_time.iloc[response_rows["customer_idx"].to_numpy()] = response_rows[
        "timestamp"
    ].to_numpy()
    click_time = np.where(
        responds,
        response_time - pd.Timedelta(minutes=20),
        open_time + pd.to_timedelta(rng.integers(5, 600, size=n), unit="s"),
    )
    click_time = pd.Series(pd.to_datetime(click_time)).astype("datetime64[us]")
    open_time = pd.Series(open_time).where(
        ~responds, pd.Series(np.minimum(open_time, click_time - pd.Timedelta(minutes=1)))
    )
    members = np.flatnonzero(campaign["eligible"].to_numpy())

    def iso(values: pd.Series, mask: np.ndarray) -> np.ndarray:
        text = pd.Series(values).dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy().astype(object)
        text[~mask] = None
        return text

    ids = population.customer_id
    outcome = window.reindex(ids)
    campaign_log = pd.DataFrame(
        {
            "campaign_id": CAMPAIGN_ID,
            "email": people["email"].to_numpy(),
            "variant": np.where(treated, "email", "holdout"),
            "sent_at": iso(pd.Series(sent_time), treated),
            "opened_at": iso(open_time, opened),
            "clicked_at": iso(click_time, clicked),
            "unsubscribed": unsubscribed.astype(int),
            "converted_30d": (outcome["size"].fillna(0).to_numpy() > 0).astype(int),
            "revenue_30d": outcome["sum"].fillna(0.0).round(2).to_numpy(),
        }
    ).iloc[members].reset_index(drop=True)

    # --- CRM ------------------------------------------------------------------------------
    signup = PERIOD_START + pd.to_timedelta(population.signup_day, unit="D")
    birth_year = 2024 - population.age.astype(int)
    birth = pd.to_datetime(
        pd.DataFrame({"year": birth_year, "month": rng.integers(1, 13, n),
                      "day": rng.integers(1, 29, n)})
    )
    crm = pd.DataFrame(
        {
            "customer_id": ids,
            "first_name": people["first_name"],
            "last_name": people["last_name"],
            "email": people["email"],
            "phone": people["phone"],
            "birth_date": birth.dt.strftime("%Y-%m-%d"),
            "gender": population.gender,
            "city": people["city"],
            "country": people["country"],
            "signup_date": pd.Series(signup).dt.strftime("%Y-%m-%d"),
            "acquisition_channel": population.acquisition_channel,
            "email_consent": email_consent.astype(int),
            "sms_consent": sms_consent.astype(int),
        }
    )
    crm, impossible_age = dirty_customers(rng, crm)
    test_rows = pd.DataFrame(
        {
            "customer_id": test_ids,
            "first_name": "Test",
            "last_name": [f"Account {i + 1}" for i in range(N_TEST_ACCOUNTS)],
            "email": [f"qa+{i + 1:02d}@retailer-test.example" for i in range(N_TEST_ACCOUNTS)],
            "phone": None,
            "birth_date": "1990-01-01",
            "gender": "X",
            "city": "London",
            "country": "United Kingdom",
            "signup_date": "2024-01-15",
            "acquisition_channel": "internal",
            "email_consent": 0,
            "sms_consent": 0,
        }
    )
    crm = pd.concat([crm, test_rows], ignore_index=True).astype(CUSTOMER_DTYPES)

    # --- web analytics ----------------------------------------------------------------
    online_orders = invoices.loc[is_cust & invoices["online"].to_numpy(),
                                 ["order_key", "customer_idx", "timestamp", "invoice_no"]].copy()
    online_orders["invoice_no"] = online_orders["invoice_no"].astype(str)
    email_clicks = pd.DataFrame(
        {"customer_idx": np.flatnonzero(clicked & ~responds), "clicked_at":
         click_time[clicked & ~responds].to_numpy()}
    )
    sessions = simulate_web_events(
        rng, population, weights, products["stock_code"].to_numpy(), online_orders,
        customer_lines, death_t, email_clicks,
    )

    # --- answer key ---------------------------------------------------------------------
    first_purchase = PERIOD_START + pd.to_timedelta(
        np.floor(np.nan_to_num(population.first_purchase_t, nan=0)), unit="D"
    )
    dropout_date = PERIOD_START + pd.to_timedelta(
        np.floor(np.nan_to_num(death_t, nan=0)), unit="D"
    )
    aov = expected_order_value(population, weights, list_price)
    truth = pd.DataFrame(
        {
            "customer_id": ids,
            "true_type_id": population.type_id,
            "true_type": np.array([t.name for t in CUSTOMER_TYPES])[population.type_id],
            "signup_date": pd.Series(signup).astype("datetime64[us]"),
            "first_purchase_date": pd.Series(first_purchase).astype("datetime64[us]").where(
                ~np.isnan(population.first_purchase_t)),
            "purchase_rate_per_day": population.rate,
            "dropout_prob": population.dropout,
            "expected_order_value": aov,
            "dropout_t": death_t,
            "dropout_date": pd.Series(dropout_date).astype("datetime64[us]").where(
                ~np.isnan(death_t)),
            "alive_at_end": ~np.isnan(population.first_purchase_t) & np.isnan(death_t),
            "impossible_age": impossible_age.to_numpy(),
            "in_campaign": campaign["eligible"].to_numpy(),
            "treated": treated,
            "alive_at_campaign": campaign["alive_at_campaign"].to_numpy(),
            "true_uplift": campaign["true_uplift"].to_numpy(),
            "true_conversion_uplift": campaign["true_uplift"].to_numpy()
            * np.exp(-population.rate * CAMPAIGN_WINDOW_DAYS),
            "true_incremental_revenue": campaign["true_uplift"].to_numpy() * aov,
        }
    )
    line_truth = raw_orders.pop("dirt")
    return Retailer(
        customers=crm,
        products=products.rename(columns={"list_price": "unit_price"}),
        orders=raw_orders,
        sessions=sessions,
        campaign=campaign_log,
        truth=truth,
        line_truth=line_truth,
        true_orders=true_orders,
        test_account_ids=test_ids.tolist(),
        seed=seed,
        n_customers=n_customers,
    )
