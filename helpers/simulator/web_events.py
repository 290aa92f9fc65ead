"""Simulated web-analytics events (GA4-style), one row per event.

Sessions come from three sources: online orders (views, add-to-cart, purchase), browsing while
a customer is alive, and clicks on the campaign e-mail; anonymous visitors add traffic that
no customer record matches. A quarter of customers' browsing sessions happen logged out, so
only the device cookie (``user_pseudo_id``) links them to the customer.

:func:`simulate_web_events` runs in three steps: draw the sessions with their cookie, login,
device and traffic source (:func:`_draw_sessions`), the events inside each session
(:func:`_session_events`), then time-stamp them into the export's columns
(:func:`_event_table`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..constants import PERIOD_START
from .behaviour import N_DAYS, Population, sample_items
from .customer_types import CUSTOMER_TYPES

_SOURCES = np.array(
    [("google", "organic"), ("(direct)", "(none)"), ("instagram", "social"), ("google", "cpc")]
)
_SOURCE_P = np.array([0.4, 0.3, 0.15, 0.15])
LOGGED_IN_SHARE = 0.75
SECONDS_BETWEEN_EVENTS = 40


def _cookie_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """GA-like client ids: two random integers joined by a dot."""
    a = rng.integers(100_000_000, 999_999_999, size=n)
    b = rng.integers(1_600_000_000, 1_700_000_000, size=n)
    return np.char.add(np.char.add(a.astype(str), "."), b.astype(str))


@dataclass
class _Sessions:
    """Every web session, sorted by end time, with who, how and from where."""

    frame: pd.DataFrame  # ``customer_idx`` (-1 anonymous), ``kind``, ``order_key``, ``end``
    cookie: np.ndarray  # device cookie (``user_pseudo_id``)
    logged_in: np.ndarray
    device: np.ndarray
    source: np.ndarray
    medium: np.ndarray

    @property
    def customer_idx(self) -> np.ndarray:
        return self.frame["customer_idx"].to_numpy()

    @property
    def is_purchase(self) -> np.ndarray:
        return self.frame["kind"].to_numpy() == "purchase"


def _devices(rng: np.random.Generator, population: Population) -> tuple[np.ndarray, np.ndarray]:
    """Each customer's cookie and device: the young mostly on mobile, some on a tablet."""
    n = len(population.customer_id)
    cookie = _cookie_ids(rng, n)
    device = np.where(
        rng.random(n) < np.clip(1.1 - population.age / 70, 0.2, 0.9), "mobile", "desktop"
    )
    device = np.where(rng.random(n) < 0.08, "tablet", device)
    return cookie, device


def _seconds_after_start(days: np.ndarray) -> pd.DatetimeIndex:
    """Timestamps (second precision) for continuous times in days since ``PERIOD_START``."""
    return PERIOD_START + pd.to_timedelta(np.floor(days * 86_400).astype("int64"), unit="s")


def _purchase_sessions(online_orders: pd.DataFrame) -> pd.DataFrame:
    """One session per web order, ending with the purchase."""
    return pd.DataFrame(
        {
            "customer_idx": online_orders["customer_idx"].to_numpy(),
            "kind": "purchase",
            "order_key": online_orders["order_key"].to_numpy(),
            "end": online_orders["timestamp"].to_numpy(),
        }
    )


def _browse_sessions(
    rng: np.random.Generator, population: Population, death_t: np.ndarray
) -> pd.DataFrame:
    """Sessions without a purchase, at the type's monthly rate, while a buyer is alive."""
    buyers = np.flatnonzero(~np.isnan(population.first_purchase_t))
    start_day = population.signup_day[buyers].astype(float)
    end_day = np.where(np.isnan(death_t[buyers]), N_DAYS, death_t[buyers])
    months = np.maximum(end_day - start_day, 1) / 30.4
    type_rate = np.array([t.browse_sessions_per_month for t in CUSTOMER_TYPES])
    n_browse = rng.poisson(
        type_rate[population.type_id[buyers]] * population.online_share[buyers] * months
    )
    browse_day = rng.uniform(np.repeat(start_day, n_browse), np.repeat(end_day, n_browse))
    return pd.DataFrame(
        {
            "customer_idx": np.repeat(buyers, n_browse),
            "kind": "browse",
            "order_key": -1,
            "end": _seconds_after_start(browse_day),
        }
    )


def _email_sessions(email_clicks: pd.DataFrame) -> pd.DataFrame:
    """One session per click on the campaign e-mail that did not end in a purchase."""
    return pd.DataFrame(
        {
            "customer_idx": email_clicks["customer_idx"].to_numpy(),
            "kind": "email",
            "order_key": -1,
            "end": email_clicks["clicked_at"].to_numpy(),
        }
    )


def _anonymous_sessions(
    rng: np.random.Generator, n_visitors: int
) -> tuple[pd.DataFrame, np.ndarray]:
    """Visitors no customer record matches: their sessions and one cookie per session."""
    n_sessions = 1 + rng.poisson(0.6, size=n_visitors)
    cookie = np.repeat(_cookie_ids(rng, n_visitors), n_sessions)
    day = rng.uniform(0, N_DAYS, size=cookie.size)
    frame = pd.DataFrame(
        {"customer_idx": -1, "kind": "anonymous", "order_key": -1,
         "end": _seconds_after_start(day)}
    )
    return frame, cookie


def _draw_sessions(
    rng: np.random.Generator,
    population: Population,
    online_orders: pd.DataFrame,
    death_t: np.ndarray,
    email_clicks: pd.DataFrame,
) -> _Sessions:
    """All sessions (purchase, browse, e-mail, anonymous), then each one's cookie, login,
    device and traffic source."""
    cookie, device = _devices(rng, population)
    purchase_s = _purchase_sessions(online_orders)
    browse_s = _browse_sessions(rng, population, death_t)
    email_s = _email_sessions(email_clicks)
    anon_s, anon_cookie = _anonymous_sessions(rng, len(population.customer_id) // 4)
    sessions = pd.concat([purchase_s, browse_s, email_s, anon_s], ignore_index=True)
    sessions["end"] = pd.to_datetime(sessions["end"]).astype("datetime64[us]")
    sessions = sessions.sort_values(["end", "kind", "customer_idx"], kind="stable")
    sessions = sessions.reset_index(drop=True)

    n_sessions = len(sessions)
    kind = sessions["kind"].to_numpy()
    cidx = sessions["customer_idx"].to_numpy()
    is_customer = cidx >= 0
    session_cookie = np.where(is_customer, cookie[np.maximum(cidx, 0)], "")
    session_cookie[~is_customer] = anon_cookie[rng.permutation(anon_cookie.size)]
    # purchases need a login; a quarter of other customer sessions stay logged out
    logged_in = is_customer & (
        (kind == "purchase") | (rng.random(n_sessions) < LOGGED_IN_SHARE)
    )
    session_device = np.where(
        is_customer, device[np.maximum(cidx, 0)], rng.choice(["mobile", "desktop"], n_sessions)
    )
    source_idx = rng.choice(len(_SOURCES), size=n_sessions, p=_SOURCE_P)
    email_rows = kind == "email"
    return _Sessions(
        frame=sessions,
        cookie=session_cookie,
        logged_in=logged_in,
        device=session_device,
        source=np.where(email_rows, "newsletter", _SOURCES[source_idx, 0]),
        medium=np.where(email_rows, "email", _SOURCES[source_idx, 1]),
    )


def _session_events(
    rng: np.random.Generator,
    sessions: _Sessions,
    order_lines: pd.DataFrame,
    population: Population,
    weights: np.ndarray,
) -> pd.DataFrame:
    """The events of every session in order: ``session`` (row of ``sessions.frame``),
    ``event_name``, ``stage`` and ``item`` (product index, -1 for none).

    A purchase session views every product bought, adds each to the cart, then pays, and
    views a few extra products; other sessions view at least one product.
    """
    n_sessions = len(sessions.frame)
    is_purchase = sessions.is_purchase
    cidx = sessions.customer_idx
    line_items = order_lines[["order_key", "item"]]
    purchase_rows = np.flatnonzero(is_purchase)
    key_to_session = pd.Series(
        purchase_rows, index=sessions.frame["order_key"].to_numpy()[purchase_rows]
    )
    line_session = key_to_session.reindex(line_items["order_key"].to_numpy()).to_numpy()
    keep = ~np.isnan(line_session)
    line_session = line_session[keep].astype(int)
    line_item = line_items["item"].to_numpy()[keep]

    n_extra_views = rng.poisson(np.where(is_purchase, 0.5, 1.5))
    n_extra_views = np.where(is_purchase, n_extra_views, n_extra_views + 1)
    extra_session = np.repeat(np.arange(n_sessions), n_extra_views)
    extra_customer = cidx[extra_session]
    extra_item = np.empty(extra_session.size, dtype=int)
    known = extra_customer >= 0
    extra_item[known] = sample_items(rng, extra_customer[known], population, weights)
    popularity = weights.mean(axis=0).ravel()
    extra_item[~known] = rng.choice(popularity.size, size=int((~known).sum()),
                                    p=popularity / popularity.sum())

    # order of events inside a session: start (0), views (1), add_to_cart (2), purchase (3)
    parts = [
        (np.arange(n_sessions), "session_start", 0, np.full(n_sessions, -1)),
        (extra_session, "view_item", 1, extra_item),
        (line_session, "view_item", 1, line_item),
        (line_session, "add_to_cart", 2, line_item),
        (purchase_rows, "purchase", 3, np.full(purchase_rows.size, -1)),
    ]
    events = pd.DataFrame(
        {
            "session": np.concatenate([p[0] for p in parts]),
            "event_name": np.concatenate([np.full(p[0].size, p[1]) for p in parts]),
            "stage": np.concatenate([np.full(p[0].size, p[2]) for p in parts]),
            "item": np.concatenate([p[3] for p in parts]),
        }
    )
    return events.sort_values(["session", "stage"], kind="stable").reset_index(drop=True)


def _event_table(
    rng: np.random.Generator,
    events: pd.DataFrame,
    sessions: _Sessions,
    online_orders: pd.DataFrame,
    customer_id: np.ndarray,
    stock_codes: np.ndarray,
) -> pd.DataFrame:
    """Time-stamp the events (``SECONDS_BETWEEN_EVENTS`` apart, ending at the session's end)
    and lay them out as the export's columns, in time order."""
    position = events.groupby("session").cumcount().to_numpy()
    size = events.groupby("session")["stage"].transform("size").to_numpy()
    s = events["session"].to_numpy()
    session_end_us = sessions.frame["end"].to_numpy().astype("datetime64[us]").astype("int64")
    jitter = rng.integers(0, 1_000_000, size=len(events))
    timestamp = (
        session_end_us[s]
        - (size - 1 - position) * SECONDS_BETWEEN_EVENTS * 1_000_000
        + np.where(position == size - 1, 0, jitter)
    )
    # GA4 uses the session's start time in seconds as its session id
    session_id = session_end_us[s] // 1_000_000 - (size - 1) * SECONDS_BETWEEN_EVENTS
    order_invoice = pd.Series(
        online_orders["invoice_no"].to_numpy(), index=online_orders["order_key"].to_numpy()
    )
    session_invoice = np.where(
        sessions.is_purchase,
        order_invoice.reindex(sessions.frame["order_key"].to_numpy()).to_numpy(),
        None,
    )
    is_purchase_event = events["event_name"].to_numpy() == "purchase"
    item = events["item"].to_numpy()
    item_codes = np.where(item >= 0, stock_codes[np.maximum(item, 0)], None)
    cidx = sessions.customer_idx
    user_id = np.where(sessions.logged_in, customer_id[np.maximum(cidx, 0)], -1)[s]
    table = pd.DataFrame(
        {
            "event_timestamp": timestamp.astype("int64"),
            "event_name": events["event_name"].to_numpy(),
            "user_pseudo_id": sessions.cookie[s],
            "user_id": pd.array(np.where(user_id >= 0, user_id, 0), dtype="Int64"),
            "ga_session_id": session_id.astype("int64"),
            "device_category": sessions.device[s],
            "source": sessions.source[s],
            "medium": sessions.medium[s],
            "item_id": item_codes,
            "transaction_id": np.where(is_purchase_event, session_invoice[s], None),
        }
    )
    table.loc[user_id < 0, "user_id"] = pd.NA
    table = table.sort_values(["event_timestamp", "user_pseudo_id"], kind="stable")
    return table.reset_index(drop=True)


def simulate_web_events(
    rng: np.random.Generator,
    population: Population,
    weights: np.ndarray,
    stock_codes: np.ndarray,
    online_orders: pd.DataFrame,
    order_lines: pd.DataFrame,
    death_t: np.ndarray,
    email_clicks: pd.DataFrame,
) -> pd.DataFrame:
    """Simulate the event table: sessions, then the events inside them, then the export.

    Parameters
    ----------
    rng : numpy.random.Generator
        The simulator's generator (draws happen in a fixed order).
    population : Population
        The customers' latent parameters (:func:`~helpers.simulator.behaviour.draw_population`).
    weights : numpy.ndarray
        Product appeal per type and category (:func:`~helpers.simulator.behaviour.item_weights`).
    stock_codes : numpy.ndarray
        Product code of each product index.
    online_orders : DataFrame
        ``order_key``, ``customer_idx``, ``timestamp`` and ``invoice_no`` of web orders.
    order_lines : DataFrame
        ``order_key`` and ``item`` of every order line.
    death_t : numpy.ndarray
        Time (days) after which each customer left; NaN if never.
    email_clicks : DataFrame
        ``customer_idx`` and ``clicked_at`` of campaign e-mail clicks.

    Returns
    -------
    pandas.DataFrame
        Columns ``event_timestamp`` (microseconds since 1970, UTC), ``event_name``,
        ``user_pseudo_id``, ``user_id`` (customer id or missing), ``ga_session_id``,
        ``device_category``, ``source``, ``medium``, ``item_id``, ``transaction_id``.

    Examples
    --------
    >>> from helpers.simulator import make_retailer
    >>> events = make_retailer(n_customers=60, seed=1).sessions
    >>> sorted(events["event_name"].unique())
    ['add_to_cart', 'purchase', 'session_start', 'view_item']
    """
    sessions = _draw_sessions(rng, population, online_orders, death_t, email_clicks)
    events = _session_events(rng, sessions, order_lines, population, weights)
    return _event_table(rng, events, sessions, online_orders, population.customer_id,
                        stock_codes)
