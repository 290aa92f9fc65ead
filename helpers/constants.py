"""Shared constants: default seed and sizes, the simulated period, column names and paths.

Every notebook and helper reads its defaults from here, so that changing one value (say the
seed) changes it everywhere at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

# --- reproducibility and sizes -------------------------------------------------------------
DEFAULT_SEED: int = 42
DEFAULT_N_CUSTOMERS: int = 5_000
#: The number of latent customer types in the simulator (what K-Means should recover).
N_CUSTOMER_TYPES: int = 5
#: Length of a recommendation list and the k of the ranking metrics (precision@k, NDCG@k...).
TOP_K: int = 10
#: The fewest bootstrap resamples any helper accepts (``n_resamples``, as in SciPy): fewer give
#: interval ends that move by more than their own rounding from one seed to the next.
MIN_BOOTSTRAP_RESAMPLES: int = 100
#: The default confidence level of every interval (``confidence_level``, as in SciPy).
CONFIDENCE_LEVEL: float = 0.95

# --- the simulated period ------------------------------------------------------------------
#: First day of the two years of trading that the simulator covers.
PERIOD_START: pd.Timestamp = pd.Timestamp("2024-01-01")
#: Last day (inclusive) of the simulated trading period.
PERIOD_END: pd.Timestamp = pd.Timestamp("2025-12-31")
#: The analysis date used throughout the course: the day after the last day of data.
AS_OF: pd.Timestamp = pd.Timestamp("2026-01-01")
#: The day the randomised e-mail campaign is sent, and the length of its outcome window.
CAMPAIGN_DATE: pd.Timestamp = pd.Timestamp("2025-10-01")
CAMPAIGN_WINDOW_DAYS: int = 30
CAMPAIGN_ID: str = "AUTUMN25"

# --- column names of the course's standard tables -------------------------------------------
CUSTOMER_ID = "customer_id"
INVOICE = "invoice_no"
STOCK_CODE = "stock_code"
DESCRIPTION = "description"
QUANTITY = "quantity"
INVOICE_DATE = "invoice_date"
UNIT_PRICE = "unit_price"
COUNTRY = "country"
CHANNEL = "channel"
CATEGORY = "category"
REVENUE = "revenue"
EMAIL_HASH = "email_hash"
PRODUCT_NAME = "name"
#: Recommendation lists: the position of an item in a customer's list (1 = first).
RANK = "rank"
#: The CRM's customer table.
ACQUISITION_CHANNEL = "acquisition_channel"
SIGNUP_DATE = "signup_date"
BIRTH_DATE = "birth_date"
EMAIL = "email"
EMAIL_DOMAIN = "email_domain"
EMAIL_CONSENT = "email_consent"
UNSUBSCRIBED = "unsubscribed"
#: The web-analytics export (GA4 names).
USER_ID = "user_id"
EVENT_TIMESTAMP = "event_timestamp"
EVENT_NAME = "event_name"
SESSION_ID = "ga_session_id"
#: The e-mail platform's campaign log: the arm of each customer and the 30-day outcome.
VARIANT = "variant"
CONVERTED_30D = "converted_30d"
REVENUE_30D = "revenue_30d"
#: Value of a new customer (notebook 07's CLV/CAC): what ``acquisition.new_customer_value``
#: returns per customer.
CUSTOMER_VALUE = "value"

#: Marketing channels (notebook 10): the media team's weekly spend export, the weekly sales
#: report, the web-analytics sessions export (GA4 names) and the attribution path table.
WEEK_START = "week_start"
SPEND = "spend"
IMPRESSIONS = "impressions"
CLICKS = "clicks"
SALES = "sales"
NEW_CUSTOMERS = "new_customers"
SESSION_START = "session_start"
SOURCE = "source"
MEDIUM = "medium"
CAMPAIGN = "campaign"
CONVERTED = "converted"
PATH = "path"
TOTAL_CONVERSIONS = "total_conversions"
TOTAL_NULL = "total_null"

#: Columns that identify a person directly. They never leave notebook 01 unhashed.
PII_COLUMNS: tuple[str, ...] = ("first_name", "last_name", "email", "phone")

#: The canonical spellings that cleaning maps every variant onto.
COUNTRIES: tuple[str, ...] = ("United Kingdom", "Ireland", "France", "Germany", "Netherlands")
CATEGORIES: tuple[str, ...] = (
    "Electronics",
    "Home & Kitchen",
    "Fashion",
    "Beauty",
    "Toys & Games",
    "Grocery",
)
CHANNELS: tuple[str, ...] = ("online", "store")
#: The paid media channels of notebook 10: four online, one offline (TV and outdoor, no clicks).
MEDIA_CHANNELS: tuple[str, ...] = ("paid_search", "social", "display", "email", "tv")

# --- where data lives ----------------------------------------------------------------------
#: The repository root (``helpers`` is installed in editable mode from it).
REPO_ROOT: Path = Path(__file__).resolve().parents[1]
#: Override with the environment variable ``PM_DATA_DIR`` to keep data elsewhere.
DATA_DIR: Path = Path(os.environ.get("PM_DATA_DIR", REPO_ROOT / "data"))
RAW_DIR: Path = DATA_DIR / "raw"
INTERIM_DIR: Path = DATA_DIR / "interim"
PROCESSED_DIR: Path = DATA_DIR / "processed"

#: The secret key of the HMAC-SHA256 tokens with which notebook 01 pseudonymises e-mail
#: addresses. In production the key is a secret kept outside the code (a vault or an environment
#: variable); the course fixes one so that every run gives the same tokens.
DEFAULT_PSEUDONYM_KEY: str = "precision-marketing-course"
