"""Attribution (notebook 10): which touchpoints get the credit for a conversion.

From sessions to credit in three steps:

1. :func:`channel_from_source_medium`: the course channel of each GA4 session;
2. :func:`journey_paths`: the **path table**, one row per distinct path with its conversions
   and non-converting journeys (the table the field's tools take);
3. a method on the path table, each returning one row per channel with the conversions it is
   credited (they add up to the total) and its share:

   * :func:`rule_attribution`: last touch, last non-direct touch, first touch, linear, time decay;
   * :func:`markov_attribution`: removal effects in a first-order Markov chain (exact);
   * :func:`shapley_attribution`: exact Shapley values over coalitions of channels.

Attribution shares out *observed* conversions among *visible* touches. It is not causal: a
touch that would have happened anyway (a brand search just before buying) earns credit, and a
channel that leaves no trace (TV, posters) earns none. Compare with a marketing-mix model or
an experiment before moving budget.

>>> import pandas as pd
>>> paths = pd.DataFrame({"path": ["search > email", "email"], "total_conversions": [3, 1],
...                       "total_null": [1, 5]})
>>> rule_attribution(paths, rule="linear")["conversions"].to_dict()
{'email': 2.5, 'search': 1.5}
"""

from __future__ import annotations

from .journeys import (
    OTHER_CHANNEL,
    SOURCE_MEDIUM_CHANNELS,
    channel_from_source_medium,
    journey_paths,
)
from .markov import markov_attribution
from .rules import RULES, rule_attribution
from .shapley import MAX_SHAPLEY_CHANNELS, shapley_attribution

__all__ = [
    "MAX_SHAPLEY_CHANNELS",
    "OTHER_CHANNEL",
    "RULES",
    "SOURCE_MEDIUM_CHANNELS",
    "channel_from_source_medium",
    "journey_paths",
    "markov_attribution",
    "rule_attribution",
    "shapley_attribution",
]
