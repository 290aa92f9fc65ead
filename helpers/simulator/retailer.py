"""The simulated retailer: one seeded call builds every source table and the answer key.

>>> from helpers.simulator import make_retailer
>>> shop = make_retailer(n_customers=200, seed=1)
>>> sorted(shop.tables())
['campaign', 'customers', 'orders', 'products', 'sessions']

:func:`make_retailer` runs the story in named steps, each drawing from one shared generator in
a fixed order (so one seed gives the same tables, byte for byte):

1. :func:`_draw_customers`: catalogue, product appeal, customers, purchase times, people and
   marketing consent;
2. :func:`_run_campaign`: randomise the e-mail campaign and decide who responds;
3. :func:`_draw_invoices`: customers' invoices (campaign responses included), guest checkouts
   and internal test accounts, numbered in time order;
4. :func:`_order_lines`: fill every invoice with products and quantities;
5. :func:`~helpers.simulator.dirt.dirty_orders`: the POS/web-shop export with its dirt;
6. :func:`_email_platform`: opens, clicks and unsubscribes, and the platform's campaign log;
7. :func:`_crm_export`: the CRM table with its dirt and the test accounts;
8. :func:`_web_analytics`: the web-analytics events;
9. :func:`_answer_key`: what is true about each customer, for grading only.

The story behind the data is described in ``data/README.md``; the answer key (``truth``,
``line_truth``, ``true_orders`` and :meth:`Retailer.status_at`) exists only to grade methods.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..constants import (
    CAMPAIGN_DATE,
    CAMPAIGN_ID,
    CAMPAIGN_WINDOW_DAYS,
    DEFAULT_N_CUSTOMERS,
    DEFAULT_SEED,
    PERIOD_START,
)
from ..schema import CUSTOMER_DTYPES
from ..validation import require_int_at_least
from .behaviour import (
    FIRST_CUSTOMER_ID,
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
from .customer_types import CUSTOMER_TYPES
from .dirt import dirty_customers, dirty_orders
from .people import make_people
from .web_events import simulate_web_events

#: The smallest retailer :func:`make_retailer` builds (fewer leave some types nearly empty).
MIN_N_CUSTOMERS = 50
EMAIL_CONSENT_SHARE = 0.72
SMS_CONSENT_SHARE = 0.35
GUEST_ORDER_SHARE = 0.04
N_TEST_ACCOUNTS = 8
FIRST_TEST_ACCOUNT_ID = 99_001
FIRST_INVOICE = 500_001
#: The campaign e-mail leaves the platform at 9:00 on the campaign date (within 30 minutes).
CAMPAIGN_SEND_TIME = CAMPAIGN_DATE + pd.Timedelta(hours=9)


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
    seed, n_customers : int
        The inputs the retailer was built from.
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
        """The five source tables by name (not the answer key).

        Examples
        --------
        >>> sorted(make_retailer(n_customers=60, seed=1).tables())
        ['campaign', 'customers', 'orders', 'products', 'sessions']
        """
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

        Examples
        --------
        >>> status = make_retailer(n_customers=200, seed=1).status_at("2025-06-01")
        >>> bool(status.loc[status["acquired"], "p_alive"].between(0, 1).all())
        True
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


@dataclass
class _World:
    """Step 1's draws, which every later step reads: the latent world of the retailer."""

    products: pd.DataFrame  # catalogue with ``list_price``
    weights: np.ndarray  # product appeal per type and category (see ``item_weights``)
    population: Population
    purchases: pd.DataFrame  # ``customer_idx`` and continuous ``t`` of every regular purchase
    death_t: np.ndarray  # purchase time after which each customer left (NaN: never left)
    people: pd.DataFrame  # names, e-mail, phone, city, country
    email_consent: np.ndarray
    sms_consent: np.ndarray

    @property
    def n(self) -> int:
        return len(self.population.customer_id)

    @property
    def list_price(self) -> np.ndarray:
        return self.products["list_price"].to_numpy()

    @property
    def popularity(self) -> np.ndarray:
        """Overall product popularity (sums to 1): what guests and test accounts buy."""
        popularity = self.weights.mean(axis=0).ravel()
        return popularity / popularity.sum()


def _test_account_ids(world: _World) -> np.ndarray:
    """The test accounts' ids: 99001-99008, or the next free thousand above the last customer
    id when a large retailer's customers already reach 99001 (ids never collide)."""
    ids = world.population.customer_id
    last = int(ids.max()) if len(ids) else 0
    first = FIRST_TEST_ACCOUNT_ID if last < FIRST_TEST_ACCOUNT_ID else (last // 1000 + 1) * 1000 + 1
    return np.arange(first, first + N_TEST_ACCOUNTS)


def _campaign_day() -> int:
    return (CAMPAIGN_DATE - PERIOD_START).days


def _signup_dates(population: Population) -> pd.DatetimeIndex:
    return PERIOD_START + pd.to_timedelta(population.signup_day, unit="D")


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


# --- 1. customers -----------------------------------------------------------------------------
def _draw_products(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """The catalogue (with ``list_price``) and each type's product appeal."""
    products = make_catalogue(rng)
    return products, item_weights(rng)


def _draw_customers(rng: np.random.Generator, n_customers: int) -> _World:
    """Catalogue, product appeal, customers and their purchase times, people, consent."""
    products, weights = _draw_products(rng)
    return _draw_people(rng, n_customers, products, weights)


def _draw_people(
    rng: np.random.Generator,
    n_customers: int,
    products: pd.DataFrame,
    weights: np.ndarray,
    *,
    first_id: int = FIRST_CUSTOMER_ID,
) -> _World:
    """Customers (numbered from ``first_id``) of a given catalogue: their purchase times,
    people and consent."""
    population = draw_population(rng, n_customers, weights, first_id=first_id)
    purchases, death_t = simulate_purchase_times(rng, population)
    people = make_people(rng, population.customer_id, population.gender)
    email_consent = rng.random(n_customers) < EMAIL_CONSENT_SHARE
    sms_consent = rng.random(n_customers) < SMS_CONSENT_SHARE
    return _World(products=products, weights=weights, population=population,
                      purchases=purchases, death_t=death_t, people=people,
                      email_consent=email_consent, sms_consent=sms_consent)


# --- 2. campaign ------------------------------------------------------------------------------
def _run_campaign(rng: np.random.Generator, world: _World) -> pd.DataFrame:
    """Randomise consenting customers signed up by the campaign date into e-mail and holdout;
    decide who responds (alive treated customers, with their type's uplift)."""
    population = world.population
    c = _campaign_day()
    eligible = world.email_consent & (population.signup_day < c)
    members = np.flatnonzero(eligible)
    treated = np.zeros(world.n, dtype=bool)
    treated[members[rng.permutation(members.size)[: members.size // 2]]] = True
    first = population.first_purchase_t
    alive = ~np.isnan(first) & (first < c) & ~(world.death_t <= c)
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


# --- 3. invoices ------------------------------------------------------------------------------
def _customer_invoices(
    rng: np.random.Generator, world: _World, campaign: pd.DataFrame
) -> pd.DataFrame:
    """Real customers' invoices: their regular purchases, then the campaign responses."""
    purchases = world.purchases
    responders = np.flatnonzero(campaign["responds"].to_numpy())
    response_t = _campaign_day() + rng.uniform(0, CAMPAIGN_WINDOW_DAYS, size=responders.size)
    orders = pd.DataFrame(
        {
            "customer_idx": np.r_[purchases["customer_idx"].to_numpy(), responders],
            "purchase_t": np.r_[purchases["t"].to_numpy(), response_t],
            "campaign_driven": np.r_[
                np.zeros(len(purchases), bool), np.ones(responders.size, bool)
            ],
        }
    )
    online = rng.random(len(orders)) < world.population.online_share[
        orders["customer_idx"].to_numpy()
    ]
    # a campaign response is a click through to the web shop
    orders["online"] = online | orders["campaign_driven"].to_numpy()
    orders["timestamp"] = _timestamps(
        rng, orders["purchase_t"].to_numpy(), orders["online"].to_numpy()
    )
    orders["source"] = "customer"
    return orders


def _guest_invoices(rng: np.random.Generator, n_guest: int) -> pd.DataFrame:
    """Store walk-ins who check out without a customer number."""
    orders = pd.DataFrame(
        {"customer_idx": -1, "purchase_t": rng.uniform(0, N_DAYS, size=n_guest)}
    )
    orders["online"] = False
    orders["timestamp"] = _timestamps(rng, orders["purchase_t"].to_numpy(),
                                      orders["online"].to_numpy())
    orders["source"] = "guest"
    return orders


def _test_account_invoices(rng: np.random.Generator) -> pd.DataFrame:
    """A few web orders from each internal test account (``customer_idx`` -2, -3, ...)."""
    n_orders = rng.integers(4, 13, size=N_TEST_ACCOUNTS)
    orders = pd.DataFrame(
        {
            "customer_idx": np.repeat(-2 - np.arange(N_TEST_ACCOUNTS), n_orders),
            "purchase_t": rng.uniform(30, N_DAYS, size=n_orders.sum()),
        }
    )
    orders["online"] = True
    orders["timestamp"] = _timestamps(rng, orders["purchase_t"].to_numpy(),
                                      orders["online"].to_numpy())
    orders["source"] = "test_account"
    return orders


def _draw_invoices(
    rng: np.random.Generator, world: _World, campaign: pd.DataFrame
) -> pd.DataFrame:
    """Every invoice, one row each: ``order_key`` (position), ``customer_idx`` (-1 guest, -2...
    test accounts), ``purchase_t``, ``campaign_driven``, ``online``, ``timestamp``, ``source``
    and ``invoice_no`` (numbered in time order)."""
    customer = _customer_invoices(rng, world, campaign)
    guest = _guest_invoices(rng, int(round(GUEST_ORDER_SHARE * len(customer))))
    test = _test_account_invoices(rng)
    invoices = pd.concat([customer, guest, test], ignore_index=True)
    invoices["campaign_driven"] = invoices["campaign_driven"].fillna(False).astype(bool)
    return _number_invoices(invoices)


def _number_invoices(invoices: pd.DataFrame, first: int = FIRST_INVOICE) -> pd.DataFrame:
    """Give each invoice its ``order_key`` (position) and ``invoice_no`` (from ``first``, in
    time order)."""
    invoices["order_key"] = np.arange(len(invoices))
    invoices = invoices.sort_values(["timestamp", "order_key"], kind="stable")
    invoices["invoice_no"] = first + np.arange(len(invoices))
    return invoices.sort_values("order_key").reset_index(drop=True)


# --- 4. order lines ---------------------------------------------------------------------------
def _order_lines(
    rng: np.random.Generator, world: _World, invoices: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fill the invoices with products.

    Returns the clean order lines in export order (with the invoice's columns, ids, country,
    channel and product attributes) and the customers' basket lines (``order_key``, ``item``),
    which the web-analytics step turns into product views.
    """
    source = invoices["source"].to_numpy()
    list_price = world.list_price
    customer_lines = build_baskets(rng, invoices.loc[source == "customer"], world.population,
                                   world.weights, list_price)
    other_lines = pd.concat(
        [
            _simple_lines(rng, invoices.loc[source == "guest", "order_key"].to_numpy(),
                          world.popularity, 2.0),
            _simple_lines(rng, invoices.loc[source == "test_account", "order_key"].to_numpy(),
                          world.popularity, 1.5),
        ]
    )
    other_lines["unit_price"] = list_price[other_lines["item"].to_numpy()]
    lines = pd.concat([customer_lines, other_lines], ignore_index=True)
    lines = lines.merge(invoices, on="order_key", how="left", validate="many_to_one")
    cidx = lines["customer_idx"].to_numpy()
    customer_id = np.where(
        cidx >= 0,
        world.population.customer_id[np.maximum(cidx, 0)],
        _test_account_ids(world)[np.maximum(-2 - cidx, 0)],
    )
    lines["customer_id"] = pd.array(customer_id, dtype="Int64")
    lines.loc[cidx == -1, "customer_id"] = pd.NA
    country = world.people["country"].to_numpy()
    lines["country"] = np.where(cidx >= 0, country[np.maximum(cidx, 0)], "United Kingdom")
    lines["channel"] = np.where(lines["online"], "online", "store")
    item = lines["item"].to_numpy()
    products = world.products
    lines["stock_code"] = products["stock_code"].to_numpy()[item]
    lines["description"] = products["name"].to_numpy()[item]
    lines["category"] = products["category"].to_numpy()[item]
    lines = lines.sort_values(["timestamp", "invoice_no", "stock_code"], kind="stable")
    return lines, customer_lines


def _true_orders(lines: pd.DataFrame) -> pd.DataFrame:
    """The clean invoices of real customers (before any dirt), with their value in GBP."""
    customer_lines = lines.loc[lines["source"] == "customer"].assign(
        line_value=lambda d: d["quantity"] * d["unit_price"]
    )
    orders = customer_lines.groupby("invoice_no", as_index=False).agg(
        customer_id=("customer_id", "first"),
        timestamp=("timestamp", "first"),
        purchase_t=("purchase_t", "first"),
        channel=("channel", "first"),
        campaign_driven=("campaign_driven", "first"),
        value=("line_value", "sum"),
    )
    orders["value"] = orders["value"].round(2)
    return orders


# --- 6. e-mail platform -----------------------------------------------------------------------
def _iso(values: pd.Series, mask: np.ndarray) -> np.ndarray:
    """ISO 8601 UTC text where ``mask`` holds, else None."""
    text = pd.Series(values).dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy().astype(object)
    text[~mask] = None
    return text


def _email_platform(
    rng: np.random.Generator,
    world: _World,
    campaign: pd.DataFrame,
    invoices: pd.DataFrame,
    true_orders: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Send times, opens, clicks and unsubscribes, and the platform's export.

    Returns the campaign log (one row per campaign member, keyed by e-mail address, with the
    30-day outcome the platform attributes) and the clicks that did not lead to a purchase
    (``customer_idx``, ``clicked_at``), which start web sessions.
    """
    n = world.n
    window = true_orders.loc[
        (true_orders["timestamp"] >= CAMPAIGN_SEND_TIME)
        & (true_orders["timestamp"]
           < CAMPAIGN_SEND_TIME + pd.Timedelta(days=CAMPAIGN_WINDOW_DAYS))
    ].groupby("customer_id")["value"].agg(["size", "sum"])

    open_rate = np.array([t.email_open_rate for t in CUSTOMER_TYPES])[world.population.type_id]
    responds = campaign["responds"].to_numpy()
    treated = campaign["treated"].to_numpy()
    opened = treated & (rng.random(n) < np.where(responds, 0.9, open_rate))
    clicked = opened & (rng.random(n) < np.where(responds, 0.8, 0.2))
    unsubscribed = opened & ~clicked & (rng.random(n) < 0.04)
    send_delay = pd.to_timedelta(rng.integers(0, 1_800, size=n), unit="s")
    sent_time = CAMPAIGN_SEND_TIME + send_delay
    open_time = sent_time + pd.to_timedelta(
        np.floor(rng.exponential(8 * 3600, size=n)).astype("int64"), unit="s"
    )
    # a responder clicked 20 minutes before the purchase the click led to
    response_time = pd.Series(pd.NaT, index=range(n), dtype="datetime64[us]")
    response_rows = invoices.loc[invoices["campaign_driven"]]
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
    outcome = window.reindex(world.population.customer_id)
    log = pd.DataFrame(
        {
            "campaign_id": CAMPAIGN_ID,
            "email": world.people["email"].to_numpy(),
            "variant": np.where(treated, "email", "holdout"),
            "sent_at": _iso(pd.Series(sent_time), treated),
            "opened_at": _iso(open_time, opened),
            "clicked_at": _iso(click_time, clicked),
            "unsubscribed": unsubscribed.astype(int),
            "converted_30d": (outcome["size"].fillna(0).to_numpy() > 0).astype(int),
            "revenue_30d": outcome["sum"].fillna(0.0).round(2).to_numpy(),
        }
    ).iloc[members].reset_index(drop=True)
    browse_clicks = clicked & ~responds
    email_clicks = pd.DataFrame(
        {"customer_idx": np.flatnonzero(browse_clicks),
         "clicked_at": click_time[browse_clicks].to_numpy()}
    )
    return log, email_clicks


# --- 7. CRM -----------------------------------------------------------------------------------
def _crm_export(rng: np.random.Generator, world: _World) -> tuple[pd.DataFrame, pd.Series]:
    """The CRM's customers table (dirt included, test accounts appended) and the answer key's
    mark of impossible birth dates."""
    population, people, n = world.population, world.people, world.n
    birth_year = 2024 - population.age.astype(int)
    birth = pd.to_datetime(
        pd.DataFrame({"year": birth_year, "month": rng.integers(1, 13, n),
                      "day": rng.integers(1, 29, n)})
    )
    crm = pd.DataFrame(
        {
            "customer_id": population.customer_id,
            "first_name": people["first_name"],
            "last_name": people["last_name"],
            "email": people["email"],
            "phone": people["phone"],
            "birth_date": birth.dt.strftime("%Y-%m-%d"),
            "gender": population.gender,
            "city": people["city"],
            "country": people["country"],
            "signup_date": pd.Series(_signup_dates(population)).dt.strftime("%Y-%m-%d"),
            "acquisition_channel": population.acquisition_channel,
            "email_consent": world.email_consent.astype(int),
            "sms_consent": world.sms_consent.astype(int),
        }
    )
    crm, impossible_age = dirty_customers(rng, crm)
    test_rows = pd.DataFrame(
        {
            "customer_id": _test_account_ids(world),
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
    return crm, impossible_age


# --- 8. web analytics -------------------------------------------------------------------------
def _web_analytics(
    rng: np.random.Generator,
    world: _World,
    invoices: pd.DataFrame,
    customer_lines: pd.DataFrame,
    email_clicks: pd.DataFrame,
) -> pd.DataFrame:
    """The web-analytics events of customers' web orders, browsing, e-mail clicks and
    anonymous visitors (see :func:`~helpers.simulator.web_events.simulate_web_events`)."""
    web = (invoices["source"].to_numpy() == "customer") & invoices["online"].to_numpy()
    online_orders = invoices.loc[web, ["order_key", "customer_idx", "timestamp",
                                       "invoice_no"]].copy()
    online_orders["invoice_no"] = online_orders["invoice_no"].astype(str)
    return simulate_web_events(
        rng, world.population, world.weights, world.products["stock_code"].to_numpy(),
        online_orders, customer_lines, world.death_t, email_clicks,
    )


# --- 9. answer key ----------------------------------------------------------------------------
def _answer_key(
    world: _World, campaign: pd.DataFrame, impossible_age: pd.Series
) -> pd.DataFrame:
    """What is true about each real customer: type, buying parameters, dropout, campaign."""
    population, death_t = world.population, world.death_t
    first_purchase = PERIOD_START + pd.to_timedelta(
        np.floor(np.nan_to_num(population.first_purchase_t, nan=0)), unit="D"
    )
    dropout_date = PERIOD_START + pd.to_timedelta(
        np.floor(np.nan_to_num(death_t, nan=0)), unit="D"
    )
    aov = expected_order_value(population, world.weights, world.list_price)
    true_uplift = campaign["true_uplift"].to_numpy()
    return pd.DataFrame(
        {
            "customer_id": population.customer_id,
            "true_type_id": population.type_id,
            "true_type": np.array([t.name for t in CUSTOMER_TYPES])[population.type_id],
            "signup_date": pd.Series(_signup_dates(population)).astype("datetime64[us]"),
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
            "treated": campaign["treated"].to_numpy(),
            "alive_at_campaign": campaign["alive_at_campaign"].to_numpy(),
            "true_uplift": true_uplift,
            "true_conversion_uplift": true_uplift
            * np.exp(-population.rate * CAMPAIGN_WINDOW_DAYS),
            "true_incremental_revenue": true_uplift * aov,
        }
    )


def make_retailer(
    *, n_customers: int = DEFAULT_N_CUSTOMERS, seed: int = DEFAULT_SEED
) -> Retailer:
    """Simulate the retailer: CRM, catalogue, orders, web events, campaign and answer key.

    Parameters
    ----------
    n_customers : int, default 5000
        Number of CRM customers (test accounts come on top); at least ``MIN_N_CUSTOMERS`` (50).
    seed : int, default 42
        Seed of the random generator (a non-negative integer): the same seed gives the same
        tables, byte for byte.

    Returns
    -------
    Retailer

    Raises
    ------
    ValueError
        If ``n_customers`` is not an integer of at least 50, or ``seed`` not a non-negative
        integer.

    Examples
    --------
    >>> shop = make_retailer(n_customers=300, seed=7)
    >>> shop.customers["customer_id"].is_unique
    True
    >>> len(shop.truth), len(shop.customers) - len(shop.truth)
    (300, 8)
    """
    n_customers = require_int_at_least(n_customers, "n_customers", minimum=MIN_N_CUSTOMERS)
    seed = require_int_at_least(seed, "seed", minimum=0)
    rng = np.random.default_rng(seed)
    world = _draw_customers(rng, n_customers)
    campaign = _run_campaign(rng, world)
    invoices = _draw_invoices(rng, world, campaign)
    lines, customer_lines = _order_lines(rng, world, invoices)
    raw_orders = dirty_orders(rng, lines)
    true_orders = _true_orders(lines)
    campaign_log, email_clicks = _email_platform(rng, world, campaign, invoices, true_orders)
    crm, impossible_age = _crm_export(rng, world)
    sessions = _web_analytics(rng, world, invoices, customer_lines, email_clicks)
    truth = _answer_key(world, campaign, impossible_age)
    line_truth = raw_orders.pop("dirt")
    return Retailer(
        customers=crm,
        products=world.products.rename(columns={"list_price": "unit_price"}),
        orders=raw_orders,
        sessions=sessions,
        campaign=campaign_log,
        truth=truth,
        line_truth=line_truth,
        true_orders=true_orders,
        test_account_ids=_test_account_ids(world).tolist(),
        seed=seed,
        n_customers=n_customers,
    )
