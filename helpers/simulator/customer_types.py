"""The latent customer types behind the simulated retailer.

Each type is a small bundle of parameters: how often its customers buy, how quickly they drop
out, how much they spend, which categories they like, where they shop and who they are. The
simulator draws every customer's own parameters around the values of their type, so the types
overlap a little, as real segments do.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..constants import CATEGORIES


@dataclass(frozen=True)
class CustomerType:
    """Parameters of one latent customer type.

    Attributes
    ----------
    name : str
        Persona name used in the answer key.
    share : float
        Share of newly acquired customers that belong to the type.
    mean_days_between_purchases : float
        Mean time between purchases (days) while the customer is alive; the type's purchase
        rate is its inverse.
    dropout_prob : float
        Mean probability of leaving for good after each repeat purchase (BG/NBD story).
    mean_lines : float
        Mean number of distinct products per order.
    mean_extra_quantity : float
        Mean number of extra units per line (each line has at least one unit).
    category_taste : tuple of float
        Relative liking of each category in ``constants.CATEGORIES`` order.
    online_share : float
        Share of the type's orders placed online (the rest in store).
    browse_sessions_per_month : float
        Web sessions without a purchase per month alive, for an always-online customer.
    age_mean, age_sd : float
        Age distribution (years).
    female_share : float
        Share of customers recorded as female (``F``); 3 % of the rest record ``X``.
    acquisition_channels : dict
        Probability of each acquisition channel.
    email_open_rate : float
        Probability of opening a campaign e-mail.
    campaign_uplift : float
        True increase in the probability of buying within the campaign window caused by the
        e-mail, for a customer of this type who is still alive.
    """

    name: str
    share: float
    mean_days_between_purchases: float
    dropout_prob: float
    mean_lines: float
    mean_extra_quantity: float
    category_taste: tuple[float, ...]
    online_share: float
    browse_sessions_per_month: float
    age_mean: float
    age_sd: float
    female_share: float
    acquisition_channels: dict[str, float]
    email_open_rate: float
    campaign_uplift: float


#: Acquisition channels, in the order used for sampling.
ACQUISITION_CHANNELS: tuple[str, ...] = ("organic", "paid_search", "social", "referral", "store")

CUSTOMER_TYPES: tuple[CustomerType, ...] = (
    CustomerType(
        name="Loyal big spenders",
        share=0.14,
        mean_days_between_purchases=21,
        dropout_prob=0.015,
        mean_lines=3.0,
        mean_extra_quantity=0.5,
        category_taste=(0.38, 0.34, 0.12, 0.06, 0.06, 0.04),
        online_share=0.6,
        browse_sessions_per_month=0.6,
        age_mean=48,
        age_sd=9,
        female_share=0.45,
        acquisition_channels={"organic": 0.35, "referral": 0.3, "store": 0.25, "paid_search": 0.1},
        email_open_rate=0.45,
        campaign_uplift=0.06,
    ),
    CustomerType(
        name="Bargain regulars",
        share=0.24,
        mean_days_between_purchases=26,
        dropout_prob=0.035,
        mean_lines=4.0,
        mean_extra_quantity=1.2,
        category_taste=(0.02, 0.20, 0.03, 0.05, 0.02, 0.68),
        online_share=0.2,
        browse_sessions_per_month=0.15,
        age_mean=57,
        age_sd=11,
        female_share=0.6,
        acquisition_channels={"store": 0.6, "organic": 0.25, "referral": 0.15},
        email_open_rate=0.3,
        campaign_uplift=0.30,
    ),
    CustomerType(
        name="Gift buyers",
        share=0.2,
        mean_days_between_purchases=80,
        dropout_prob=0.12,
        mean_lines=2.0,
        mean_extra_quantity=0.3,
        category_taste=(0.10, 0.08, 0.12, 0.25, 0.42, 0.03),
        online_share=0.5,
        browse_sessions_per_month=0.3,
        age_mean=39,
        age_sd=8,
        female_share=0.55,
        acquisition_channels={"paid_search": 0.45, "social": 0.25, "organic": 0.2, "store": 0.1},
        email_open_rate=0.25,
        campaign_uplift=0.22,
    ),
    CustomerType(
        name="Young trend-seekers",
        share=0.22,
        mean_days_between_purchases=36,
        dropout_prob=0.09,
        mean_lines=2.2,
        mean_extra_quantity=0.2,
        category_taste=(0.06, 0.03, 0.55, 0.32, 0.02, 0.02),
        online_share=0.88,
        browse_sessions_per_month=1.5,
        age_mean=25,
        age_sd=4,
        female_share=0.62,
        acquisition_channels={"social": 0.6, "paid_search": 0.25, "organic": 0.15},
        email_open_rate=0.2,
        campaign_uplift=0.20,
    ),
    CustomerType(
        name="One-off bargain hunters",
        share=0.2,
        mean_days_between_purchases=140,
        dropout_prob=0.4,
        mean_lines=1.5,
        mean_extra_quantity=0.3,
        category_taste=(0.18, 0.22, 0.18, 0.14, 0.14, 0.14),
        online_share=0.65,
        browse_sessions_per_month=0.2,
        age_mean=34,
        age_sd=12,
        female_share=0.5,
        acquisition_channels={"paid_search": 0.55, "social": 0.2, "organic": 0.15, "store": 0.1},
        email_open_rate=0.12,
        campaign_uplift=0.05,
    ),
)

assert all(len(t.category_taste) == len(CATEGORIES) for t in CUSTOMER_TYPES)
assert abs(sum(t.share for t in CUSTOMER_TYPES) - 1) < 1e-9
