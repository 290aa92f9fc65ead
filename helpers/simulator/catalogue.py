"""The simulated product catalogue: codes, names, categories, description text and prices.

Names and descriptions are built from category vocabularies, so products of one category
share words (which content-based recommenders can learn) and each product still reads like a
real listing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..constants import CATEGORIES

PRODUCTS_PER_CATEGORY = 40

# (code prefix, median price in GBP, nouns, adjectives, detail phrases) per category
_VOCABULARY: dict[str, tuple[str, float, list[str], list[str], list[str]]] = {
    "Electronics": (
        "EL",
        55.0,
        ["headphones", "bluetooth speaker", "power bank", "smartwatch", "tablet stand",
         "usb-c charger", "webcam", "keyboard", "wireless mouse", "e-reader cover"],
        ["wireless", "portable", "compact", "premium", "noise-cancelling", "fast-charging",
         "ergonomic", "smart"],
        ["long battery life", "two-year warranty", "works with phones and laptops",
         "plug and play setup", "high-fidelity sound", "travel friendly"],
    ),
    "Home & Kitchen": (
        "HK",
        22.0,
        ["coffee mug set", "chef knife", "storage jars", "scented candle", "cushion cover",
         "baking tray", "teapot", "photo frame", "bath towel", "table lamp"],
        ["ceramic", "stainless steel", "handmade", "rustic", "scandinavian", "non-stick",
         "vintage", "cosy"],
        ["dishwasher safe", "for a warm living room", "perfect for home cooks",
         "matches any kitchen", "soft cotton finish", "gift boxed"],
    ),
    "Fashion": (
        "FA",
        28.0,
        ["denim jacket", "knit jumper", "trainers", "summer dress", "leather belt",
         "wool scarf", "graphic t-shirt", "ankle boots", "beanie hat", "tote bag"],
        ["oversized", "slim-fit", "organic cotton", "limited edition", "streetwear",
         "classic", "recycled", "pastel"],
        ["on-trend this season", "unisex sizing", "made from recycled fibres",
         "festival ready", "pairs with everything", "machine washable"],
    ),
    "Beauty": (
        "BE",
        14.0,
        ["face serum", "lip balm", "hand cream", "eyeshadow palette", "shampoo bar",
         "body lotion", "perfume", "nail polish", "face mask", "makeup brush set"],
        ["vegan", "hydrating", "fragrance-free", "glow", "natural", "travel-size",
         "cruelty-free", "luxury"],
        ["dermatologist tested", "with hyaluronic acid", "for sensitive skin",
         "long-lasting colour", "refillable packaging", "gift set"],
    ),
    "Toys & Games": (
        "TG",
        19.0,
        ["jigsaw puzzle", "board game", "building blocks", "plush bear", "card game",
         "remote control car", "craft kit", "wooden train set", "science kit", "doll house"],
        ["family", "educational", "wooden", "colourful", "classic", "award-winning",
         "collectible", "deluxe"],
        ["for ages 6 and up", "fun for the whole family", "ideal birthday gift",
         "develops fine motor skills", "christmas favourite", "gift wrapped"],
    ),
    "Grocery": (
        "GR",
        3.5,
        ["ground coffee", "olive oil", "pasta", "breakfast cereal", "green tea",
         "dark chocolate", "rice", "tomato sauce", "granola", "honey"],
        ["organic", "fair-trade", "value", "family-size", "wholegrain", "italian",
         "british", "multipack"],
        ["store cupboard essential", "great value", "everyday staple", "locally sourced",
         "no added sugar", "bulk saver"],
    ),
}


def make_catalogue(rng: np.random.Generator) -> pd.DataFrame:
    """Build the product catalogue.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness (the simulator's generator).

    Returns
    -------
    pandas.DataFrame
        One row per product: ``stock_code``, ``name``, ``category``, ``description`` (a
        sentence of listing text) and ``list_price`` (GBP, ending in .49 or .99).

    Examples
    --------
    >>> catalogue = make_catalogue(np.random.default_rng(0))
    >>> len(catalogue), catalogue["stock_code"].is_unique, catalogue["stock_code"].iloc[0]
    (240, True, 'EL1001')
    """
    rows = []
    for category in CATEGORIES:
        prefix, median_price, nouns, adjectives, details = _VOCABULARY[category]
        for i in range(PRODUCTS_PER_CATEGORY):
            noun = nouns[i % len(nouns)]
            adjective = adjectives[rng.integers(len(adjectives))]
            detail_a, detail_b = rng.choice(len(details), size=2, replace=False)
            name = f"{adjective.capitalize()} {noun}"
            description = (
                f"{adjective.capitalize()} {noun} from our {category.lower()} range: "
                f"{details[detail_a]}, {details[detail_b]}."
            )
            raw_price = median_price * np.exp(rng.normal(0.0, 0.45))
            price = max(np.floor(raw_price) + (0.49 if raw_price % 1 < 0.5 else 0.99), 0.99)
            rows.append((f"{prefix}{1001 + i}", name, category, description, round(price, 2)))
    return pd.DataFrame(
        rows, columns=["stock_code", "name", "category", "description", "list_price"]
    )
