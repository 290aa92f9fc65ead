"""Tests for helpers.charts.collection: the logged-in share of web sessions (notebook 01)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.charts.collection import plot_logged_in_share  # noqa: E402


def test_bars_are_the_shares_and_say_the_session_counts():
    counts = pd.DataFrame({"logged in": [30, 600], "anonymous": [10, 400]},
                          index=["email", "organic"])
    fig = plot_logged_in_share(counts, period="2024-2025")
    ax = fig.axes[0]
    logged, anonymous = ax.containers
    assert np.allclose(logged.datavalues, [0.75, 0.6])
    assert np.allclose(anonymous.datavalues, [0.25, 0.4])
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["75% logged in", "40 sessions", "60% logged in", "1,000 sessions"]
    assert ax.get_title(loc="left") == "61% of web sessions can be tied to a CRM customer"
    assert ax.get_xlabel().endswith("2024-2025")
    assert ax.xaxis.get_major_formatter()(0.5, 0) == "50%"
    plt.close(fig)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="anonymous"):
        plot_logged_in_share(pd.DataFrame({"logged in": [1]}))
    with pytest.raises(ValueError, match="at least one session"):
        plot_logged_in_share(pd.DataFrame({"logged in": [0], "anonymous": [0]}))
