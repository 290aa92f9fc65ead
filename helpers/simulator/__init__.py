"""The simulated retailer: every source table of the course and the answer key, from one seed.

No analysis module imports this package (``tests/test_architecture.py`` checks it): models see
the retailer only through the files it exports, read by :mod:`helpers.sources` and
:mod:`helpers.data`.

=====================  ========================================================================
module                 what
=====================  ========================================================================
``retailer``           :func:`make_retailer` (runs the story in named steps) and the
                       :class:`Retailer` it returns, with the answer key and ``status_at``
``customer_types``     the five latent customer types and their parameters
``behaviour``          the generative story: population, BG/NBD purchase times, baskets
``catalogue``          the 240 products: codes, names, descriptions, list prices
``people``             fictional names, e-mail addresses, phones and cities
``dirt``               the dirt of real exports, injected at documented rates, labelled per row
``web_events``         GA4-style web-analytics sessions and events
``exports``            writers of the four raw sources: SQLite CRM, orders CSV, campaign CSV,
                       web-events JSON Lines
``parquet``            :func:`write_parquet`: a retailer of any size (a million customers and
                       more), streamed block by block to partitioned Parquet files
``channels``           notebook 10: :func:`make_channels` (weekly media spend, sales, the true
                       adstock and Hill response) and its answer key :class:`ChannelTruth`
``journeys``           notebook 10: new customers' true causes and their GA4 sessions export
=====================  ========================================================================

>>> from helpers.simulator import CUSTOMER_TYPES, make_retailer
>>> shop = make_retailer(n_customers=200, seed=1)
>>> bool(shop.truth["true_type"].isin([t.name for t in CUSTOMER_TYPES]).all())
True
"""

from __future__ import annotations

from .channels import ChannelTruth, ChannelWorld, make_channels
from .customer_types import CUSTOMER_TYPES, CustomerType
from .parquet import simulate_block, write_parquet
from .retailer import Retailer, make_retailer

__all__ = ["CUSTOMER_TYPES", "ChannelTruth", "ChannelWorld", "CustomerType", "Retailer",
           "make_channels", "make_retailer", "simulate_block", "write_parquet"]
