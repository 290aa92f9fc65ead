"""Shared fixtures: simulated retailers built once per test session."""

from __future__ import annotations

import pytest

from helpers.simulator import Retailer, make_retailer


@pytest.fixture(scope="session")
def shop() -> Retailer:
    """The course's default retailer (5,000 customers, seed 42)."""
    return make_retailer()


@pytest.fixture(scope="session")
def small_shop() -> Retailer:
    """A small retailer for quick checks."""
    return make_retailer(n_customers=400, seed=3)
