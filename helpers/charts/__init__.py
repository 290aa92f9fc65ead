"""Named, tested charts the notebooks draw: one module per course topic.

Each function takes tables the course's helpers produce, draws on a matplotlib ``Axes`` (or
returns a new figure) in the course style (:mod:`helpers.plotting`) and labels everything in
a marketer's words: business names, money and percentages formatted, no snake_case.
"""
