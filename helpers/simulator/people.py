"""Fictional personal details for the simulated CRM: names, e-mail addresses, phones, cities.

All addresses use the reserved ``example`` domains and phone numbers sit in the range that
regulators keep for drama, so no simulated record can reach a real person.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FEMALE_NAMES = (
    "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Emily", "Sophie",
    "Aoife", "Chloe", "Lea", "Emma", "Anna", "Sara", "Priya", "Mei", "Fatima", "Zara",
)
MALE_NAMES = (
    "Noah", "Oliver", "George", "Arthur", "Leo", "Harry", "Oscar", "Jack", "Charlie", "Thomas",
    "James", "Liam", "Lucas", "Hugo", "Finn", "Daniel", "Samuel", "Ravi", "Wei", "Yusuf",
)
LAST_NAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Wright", "Murphy", "Kelly", "Walsh", "Martin", "Bernard", "Dubois", "Muller", "Schmidt",
    "Fischer", "de Jong", "Jansen", "Bakker", "Evans", "Thomas", "Roberts", "Khan", "Ali",
    "Chen", "Wang", "Lewis", "Walker", "Hall", "Green", "Clarke", "Hughes", "Edwards",
    "Turner", "Hill", "Moore", "Wood",
)
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example")

#: Country -> (share of customers, cities)
COUNTRY_CITIES: dict[str, tuple[float, tuple[str, ...]]] = {
    "United Kingdom": (0.78, ("London", "Manchester", "Birmingham", "Leeds", "Glasgow",
                              "Bristol", "Edinburgh", "Cardiff")),
    "Ireland": (0.08, ("Dublin", "Cork", "Galway")),
    "France": (0.05, ("Paris", "Lyon", "Lille")),
    "Germany": (0.05, ("Berlin", "Hamburg", "Cologne")),
    "Netherlands": (0.04, ("Amsterdam", "Rotterdam", "Utrecht")),
}


def make_people(
    rng: np.random.Generator, customer_ids: np.ndarray, gender: np.ndarray
) -> pd.DataFrame:
    """Draw names, e-mail, phone, country and city for each customer id.

    First names follow the recorded ``gender`` (``F``, ``M``; ``X`` draws from both lists).

    Returns
    -------
    pandas.DataFrame
        Columns ``first_name``, ``last_name``, ``email``, ``phone``, ``city``, ``country``,
        one row per id, in the order given. E-mail addresses are unique (the customer id is
        part of the local part) and written in lower case.

    Examples
    --------
    >>> people = make_people(np.random.default_rng(0), np.array([10001, 10002]),
    ...                      np.array(["F", "M"]))
    >>> people.columns.tolist()
    ['first_name', 'last_name', 'email', 'phone', 'city', 'country']
    >>> bool(people["email"].str.endswith(EMAIL_DOMAINS).all())
    True
    """
    n = len(customer_ids)
    female = np.array(FEMALE_NAMES)[rng.integers(len(FEMALE_NAMES), size=n)]
    male = np.array(MALE_NAMES)[rng.integers(len(MALE_NAMES), size=n)]
    coin = rng.random(n) < 0.5
    first = np.where((gender == "F") | ((gender == "X") & coin), female, male)
    last = np.array(LAST_NAMES)[rng.integers(len(LAST_NAMES), size=n)]
    domain = np.array(EMAIL_DOMAINS)[rng.integers(len(EMAIL_DOMAINS), size=n)]
    local = pd.Series(first).str.lower() + "." + pd.Series(last).str.lower().str.replace(" ", "")
    email = local + pd.Series(customer_ids).astype(str) + "@" + pd.Series(domain)
    phone = pd.Series(rng.integers(900_000, 1_000_000, size=n)).map(
        lambda d: f"+44 7700 {d // 1000:03d}{d % 1000:03d}"
    )
    countries = list(COUNTRY_CITIES)
    shares = np.array([COUNTRY_CITIES[c][0] for c in countries])
    country_idx = rng.choice(len(countries), size=n, p=shares / shares.sum())
    city_draw = rng.random(n)
    city = [
        COUNTRY_CITIES[countries[ci]][1][int(u * len(COUNTRY_CITIES[countries[ci]][1]))]
        for ci, u in zip(country_idx, city_draw, strict=True)
    ]
    return pd.DataFrame(
        {
            "first_name": first,
            "last_name": last,
            "email": email.to_numpy(),
            "phone": phone.to_numpy(),
            "city": city,
            "country": np.array(countries)[country_idx],
        }
    )
