"""The generative story of the simulated retailer: who the customers are and how they buy.

Purchases follow the BG/NBD "buy till you die" story (Fader, Hardie and Lee 2005): while a
customer is alive they buy at their own Poisson rate; after each repeat purchase they leave
for good with their own probability. Each order's basket comes from the customer's category
tastes, their type's favourite products within a category and a few personal favourites.
Everything here is clean: the dirt of real exports is added later by :mod:`helpers.simulator.dirt`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..constants import CATEGORIES, PERIOD_END, PERIOD_START
from .catalogue import PRODUCTS_PER_CATEGORY
from .customer_types import ACQUISITION_CHANNELS, CUSTOMER_TYPES

N_DAYS = (PERIOD_END - PERIOD_START).days + 1
#: Customers are acquired during the first 21 months, so each is observed for at least three.
ACQUISITION_WINDOW_DAYS = 640
#: Share of CRM sign-ups that never buy anything.
NEVER_BUY_SHARE = 0.05
#: Probability that a basket line is one of the customer's three personal favourites.
FAVOURITE_PROB = 0.3
N_FAVOURITES = 3
#: The first customer number.
FIRST_CUSTOMER_ID = 10_001


@dataclass
class Population:
    """Per-customer latent parameters (arrays aligned with ``customer_id``)."""

    customer_id: np.ndarray
    type_id: np.ndarray
    signup_day: np.ndarray
    first_purchase_t: np.ndarray  # days since PERIOD_START, NaN for never-buyers
    rate: np.ndarray  # purchases per day while alive
    dropout: np.ndarray  # probability of leaving after each repeat purchase
    mean_lines: np.ndarray
    extra_quantity: np.ndarray
    taste: np.ndarray  # (n, n_categories), rows sum to 1
    online_share: np.ndarray
    favourites: np.ndarray  # (n, N_FAVOURITES) product indices
    age: np.ndarray
    gender: np.ndarray
    acquisition_channel: np.ndarray


def item_weights(rng: np.random.Generator) -> np.ndarray:
    """Within-category product weights for each type: shape (types, categories, products).

    A product's appeal mixes a global popularity (Zipf over a random order) with a
    type-specific one, so types share best-sellers but also have their own.

    Examples
    --------
    >>> weights = item_weights(np.random.default_rng(0))
    >>> weights.shape, bool(np.allclose(weights.sum(axis=2), 1))
    ((5, 6, 40), True)
    """
    n_types, n_cats = len(CUSTOMER_TYPES), len(CATEGORIES)
    ranks = np.arange(1, PRODUCTS_PER_CATEGORY + 1)
    zipf = 1.0 / ranks
    weights = np.empty((n_types, n_cats, PRODUCTS_PER_CATEGORY))
    for c in range(n_cats):
        global_part = zipf[rng.permutation(PRODUCTS_PER_CATEGORY)]
        global_part /= global_part.sum()
        for t in range(n_types):
            type_part = zipf[rng.permutation(PRODUCTS_PER_CATEGORY)] ** 1.3
            type_part /= type_part.sum()
            weights[t, c] = 0.35 * global_part + 0.65 * type_part
    return weights


def draw_population(
    rng: np.random.Generator,
    n_customers: int,
    weights: np.ndarray,
    *,
    first_id: int = FIRST_CUSTOMER_ID,
) -> Population:
    """Draw every customer's type, demographics and buying parameters.

    Customers are numbered ``first_id``, ``first_id + 1``, ... (the number takes no draw, so
    a streamed block of customers can start where the previous one ended).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> population = draw_population(rng, 100, item_weights(rng))
    >>> population.taste.shape, population.customer_id[:2].tolist()
    ((100, 6), [10001, 10002])
    """
    shares = np.array([t.share for t in CUSTOMER_TYPES])
    type_id = rng.choice(len(CUSTOMER_TYPES), size=n_customers, p=shares)
    customer_id = np.arange(first_id, first_id + n_customers)

    signup_day = rng.integers(0, ACQUISITION_WINDOW_DAYS, size=n_customers)
    never_buy = rng.random(n_customers) < NEVER_BUY_SHARE
    first_t = signup_day + rng.exponential(3.0, size=n_customers)
    first_t = np.where(never_buy, np.nan, first_t)

    def by_type(attr: str) -> np.ndarray:
        return np.array([getattr(t, attr) for t in CUSTOMER_TYPES], dtype=float)[type_id]

    # Gamma heterogeneity around the type mean (shape 4: a spread of about +-50 %)
    rate = rng.gamma(4.0, 1.0 / 4.0, size=n_customers) / by_type("mean_days_between_purchases")
    mean_p = by_type("dropout_prob")
    beta_a = 3.0
    dropout = rng.beta(beta_a, beta_a * (1 - mean_p) / mean_p)
    mean_lines = by_type("mean_lines") * rng.gamma(8.0, 1 / 8.0, size=n_customers)
    extra_quantity = by_type("mean_extra_quantity") * rng.gamma(3.0, 1 / 3.0, size=n_customers)

    type_taste = np.array([t.category_taste for t in CUSTOMER_TYPES])
    taste = np.vstack([rng.dirichlet(25.0 * type_taste[t]) for t in type_id])
    online_share = rng.beta(
        8 * by_type("online_share"), 8 * (1 - by_type("online_share"))
    )

    age = np.clip(rng.normal(by_type("age_mean"), by_type("age_sd")), 18, 90).round()
    u = rng.random(n_customers)
    female = by_type("female_share")
    gender = np.where(u < female, "F", np.where(u < female + 0.03 * (1 - female), "X", "M"))
    channel_idx = np.empty(n_customers, dtype=int)
    for t, ctype in enumerate(CUSTOMER_TYPES):
        members = np.flatnonzero(type_id == t)
        probs = np.array([ctype.acquisition_channels.get(c, 0.0) for c in ACQUISITION_CHANNELS])
        channel_idx[members] = rng.choice(len(ACQUISITION_CHANNELS), size=len(members), p=probs)

    population = Population(
        customer_id=customer_id,
        type_id=type_id,
        signup_day=signup_day,
        first_purchase_t=first_t,
        rate=rate,
        dropout=dropout,
        mean_lines=mean_lines,
        extra_quantity=extra_quantity,
        taste=taste,
        online_share=online_share,
        favourites=np.zeros((n_customers, N_FAVOURITES), dtype=int),
        age=age,
        gender=gender,
        acquisition_channel=np.array(ACQUISITION_CHANNELS)[channel_idx],
    )
    for j in range(N_FAVOURITES):
        population.favourites[:, j] = sample_items(
            rng, np.arange(n_customers), population, weights, favourite_prob=0.0
        )
    return population


def sample_items(
    rng: np.random.Generator,
    customer_idx: np.ndarray,
    population: Population,
    weights: np.ndarray,
    favourite_prob: float = FAVOURITE_PROB,
) -> np.ndarray:
    """Draw one product index per entry of ``customer_idx`` from that customer's tastes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> weights = item_weights(rng)
    >>> population = draw_population(rng, 100, weights)
    >>> items = sample_items(rng, np.arange(100), population, weights)
    >>> bool(items.min() >= 0 and items.max() < len(CATEGORIES) * PRODUCTS_PER_CATEGORY)
    True
    """
    n = len(customer_idx)
    cumulative = population.taste[customer_idx].cumsum(axis=1)
    category = (cumulative < rng.random(n)[:, None]).sum(axis=1).clip(max=len(CATEGORIES) - 1)
    item = np.empty(n, dtype=int)
    types = population.type_id[customer_idx]
    for t in range(weights.shape[0]):
        for c in range(weights.shape[1]):
            rows = np.flatnonzero((types == t) & (category == c))
            if rows.size:
                item[rows] = c * PRODUCTS_PER_CATEGORY + rng.choice(
                    PRODUCTS_PER_CATEGORY, size=rows.size, p=weights[t, c]
                )
    if favourite_prob > 0:
        use_favourite = rng.random(n) < favourite_prob
        pick = rng.integers(N_FAVOURITES, size=n)
        favourite = population.favourites[customer_idx, pick]
        item = np.where(use_favourite, favourite, item)
    return item


def simulate_purchase_times(
    rng: np.random.Generator, population: Population
) -> tuple[pd.DataFrame, np.ndarray]:
    """Run the BG/NBD process for every customer over the simulated period.

    Returns
    -------
    purchases : pandas.DataFrame
        ``customer_idx`` and ``t`` (days since ``PERIOD_START``, continuous), one row per
        purchase, including each customer's first purchase.
    death_t : numpy.ndarray
        Time of the purchase after which each customer left; NaN if still alive at the end
        of the period (or never bought).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> population = draw_population(rng, 100, item_weights(rng))
    >>> purchases, death_t = simulate_purchase_times(rng, population)
    >>> bool(purchases["t"].lt(N_DAYS).all()), death_t.shape
    (True, (100,))
    """
    n = len(population.customer_id)
    death_t = np.full(n, np.nan)
    buyers = np.flatnonzero(~np.isnan(population.first_purchase_t))
    t = population.first_purchase_t.copy()
    chunks_idx = [buyers]
    chunks_t = [t[buyers]]
    active = buyers
    while active.size:
        t[active] += rng.exponential(1.0 / population.rate[active])
        active = active[t[active] < N_DAYS]
        chunks_idx.append(active)
        chunks_t.append(t[active])
        # leaving happens right after a repeat purchase, as in BG/NBD
        leaves = rng.random(active.size) < population.dropout[active]
        death_t[active[leaves]] = t[active[leaves]]
        active = active[~leaves]
    purchases = pd.DataFrame(
        {"customer_idx": np.concatenate(chunks_idx), "t": np.concatenate(chunks_t)}
    )
    return purchases, death_t


def time_of_day(rng: np.random.Generator, online: np.ndarray) -> np.ndarray:
    """Minutes after midnight: stores trade 9:00-19:59, the web shop peaks in the evening.

    Examples
    --------
    >>> minutes = time_of_day(np.random.default_rng(0), np.zeros(100, dtype=bool))
    >>> bool(minutes.min() >= 9 * 60 and minutes.max() < 20 * 60)
    True
    """
    n = len(online)
    store_minute = rng.integers(9 * 60, 20 * 60, size=n)
    hour_weight = np.array([1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 6, 6, 5, 5, 5, 6, 8, 9, 9, 8, 5, 3])
    web_hour = rng.choice(24, size=n, p=hour_weight / hour_weight.sum())
    web_minute = web_hour * 60 + rng.integers(0, 60, size=n)
    return np.where(online, web_minute, store_minute)


def build_baskets(
    rng: np.random.Generator,
    orders: pd.DataFrame,
    population: Population,
    weights: np.ndarray,
    list_price: np.ndarray,
) -> pd.DataFrame:
    """Fill each order with lines: products from the customer's tastes and quantities.

    ``orders`` needs ``order_key`` and ``customer_idx``. A product drawn twice for one order
    becomes one line with the quantities added, as a till would record it.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> weights = item_weights(rng)
    >>> population = draw_population(rng, 100, weights)
    >>> orders = pd.DataFrame({"order_key": [0, 1], "customer_idx": [0, 1]})
    >>> prices = np.full(len(CATEGORIES) * PRODUCTS_PER_CATEGORY, 9.99)
    >>> lines = build_baskets(rng, orders, population, weights, prices)
    >>> lines.columns.tolist(), bool(lines["quantity"].ge(1).all())
    (['order_key', 'item', 'quantity', 'unit_price'], True)
    """
    cidx = orders["customer_idx"].to_numpy()
    n_lines = 1 + rng.poisson(np.maximum(population.mean_lines[cidx] - 1, 0))
    line_order = np.repeat(np.arange(len(orders)), n_lines)
    line_customer = cidx[line_order]
    item = sample_items(rng, line_customer, population, weights)
    quantity = 1 + rng.poisson(population.extra_quantity[line_customer])
    lines = pd.DataFrame(
        {
            "order_key": orders["order_key"].to_numpy()[line_order],
            "item": item,
            "quantity": quantity,
        }
    )
    lines = lines.groupby(["order_key", "item"], sort=True, as_index=False)["quantity"].sum()
    lines["unit_price"] = list_price[lines["item"].to_numpy()]
    return lines


def expected_order_value(
    population: Population, weights: np.ndarray, list_price: np.ndarray
) -> np.ndarray:
    """Each customer's expected order value (GBP): E[lines] x E[quantity] x E[price].

    The three parts are independent in the generative story, so the product is exact.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> weights = item_weights(rng)
    >>> population = draw_population(rng, 100, weights)
    >>> prices = np.full(len(CATEGORIES) * PRODUCTS_PER_CATEGORY, 10.0)
    >>> value = expected_order_value(population, weights, prices)
    >>> bool(np.allclose(value, 10 * (1 + np.maximum(population.mean_lines - 1, 0))
    ...                  * (1 + population.extra_quantity)))
    True
    """
    n_cats = len(CATEGORIES)
    price_by_cat = list_price.reshape(n_cats, PRODUCTS_PER_CATEGORY)
    # expected price of a non-favourite draw for each type and category
    type_cat_price = (weights * price_by_cat[None, :, :]).sum(axis=2)
    taste_price = (population.taste * type_cat_price[population.type_id]).sum(axis=1)
    favourite_price = list_price[population.favourites].mean(axis=1)
    expected_price = FAVOURITE_PROB * favourite_price + (1 - FAVOURITE_PROB) * taste_price
    expected_lines = 1 + np.maximum(population.mean_lines - 1, 0)
    return expected_lines * (1 + population.extra_quantity) * expected_price
