"""Marketing-mix modelling (notebook 10): adstock, saturation, the model and the budget optimiser.

=================  ==========================================================================
module             what
=================  ==========================================================================
``transforms``     :func:`geometric_adstock` (carry-over), :func:`hill_saturation` (diminishing
                   returns)
``weekly``         :func:`weekly_spend_table` (long export -> one row per week, checked),
                   :func:`validate_weekly`
``model``          :class:`MarketingMixModel`: fit, ``decompose``, ``roi`` (with intervals),
                   ``response``
``budget``         :func:`optimise_budget`: the same total budget, reallocated by the model
=================  ==========================================================================
"""

from .budget import optimise_budget
from .model import PARAM_COLUMNS, MarketingMixModel
from .transforms import geometric_adstock, hill_saturation
from .weekly import validate_weekly, weekly_spend_table

__all__ = [
    "PARAM_COLUMNS",
    "MarketingMixModel",
    "geometric_adstock",
    "hill_saturation",
    "optimise_budget",
    "validate_weekly",
    "weekly_spend_table",
]
