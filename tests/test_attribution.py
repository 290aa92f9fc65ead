"""Attribution: hand-computed cases for every method, the path table, and bad input."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from helpers.attribution import (
    MAX_SHAPLEY_CHANNELS,
    SOURCE_MEDIUM_CHANNELS,
    channel_from_source_medium,
    journey_paths,
    markov_attribution,
    rule_attribution,
    shapley_attribution,
)

# Sums of a few dozen float64 terms of size <= 100: 1e-9 is far above their rounding error.
TOL = 1e-9


def _paths(rows: dict[str, tuple[int, int]]) -> pd.DataFrame:
    """A path table from {path: (conversions, nulls)}."""
    return pd.DataFrame({"path": list(rows), "total_conversions": [c for c, _ in rows.values()],
                         "total_null": [n for _, n in rows.values()]})


def _random_paths(seed: int, n_paths: int = 40, n_channels: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    names = [f"ch{i}" for i in range(n_channels)]
    rows = {}
    for _ in range(n_paths):
        path = " > ".join(rng.choice(names, size=rng.integers(1, 6)))
        rows[path] = (int(rng.integers(0, 20)), int(rng.integers(0, 40)))
    table = _paths(rows)
    table.loc[0, "total_conversions"] += 1  # never a table without conversions
    return table


def _method(name: str):
    if name.startswith("rule:"):
        rule = name.split(":")[1]
        return lambda paths, **kw: rule_attribution(paths, rule=rule, **kw)
    return {"markov": markov_attribution, "shapley": shapley_attribution}[name]


METHODS = ["rule:last", "rule:last_non_direct", "rule:first", "rule:linear", "rule:time_decay",
           "markov", "shapley"]


# --- Markov ------------------------------------------------------------------------------------
# Two channels, three paths:  "a > b": 3 conversions, 1 null;  "a": 1, 1;  "b": 1, 3.
# Transition counts (each path's journeys = conversions + nulls walk its whole path):
#   start -> a: 4 + 2 = 6,  start -> b: 4            => P(start -> a) = 3/5, P(start -> b) = 2/5
#   a -> b: 4,  a -> conversion: 1,  a -> null: 1     => 2/3, 1/6, 1/6
#   b -> conversion: 3 + 1 = 4,  b -> null: 1 + 3 = 4 => 1/2, 1/2
# Probability of conversion from each state (solve x = Q x + r):
#   x_b = 1/2;  x_a = 2/3 * 1/2 + 1/6 = 1/2;  P(conversion) = x_start = 3/5 * 1/2 + 2/5 * 1/2 = 1/2
# Remove a (start -> a goes to null): P = 2/5 * 1/2 = 1/5       => RE_a = 1 - (1/5)/(1/2) = 3/5
# Remove b (a -> b goes to null): x_a = 1/6, P = 3/5 * 1/6 = 1/10 => RE_b = 1 - (1/10)/(1/2) = 4/5
# Credit (5 conversions): a = 5 * (3/5) / (7/5) = 15/7, b = 5 * (4/5) / (7/5) = 20/7.
HAND_MARKOV = _paths({"a > b": (3, 1), "a": (1, 1), "b": (1, 3)})


def test_markov_two_channels_by_hand():
    result = markov_attribution(HAND_MARKOV)
    assert list(result.index) == ["a", "b"]
    assert result.index.name == "channel"
    assert result.attrs["conversion_probability"] == pytest.approx(1 / 2, abs=TOL)
    assert result["removal_effect"].tolist() == pytest.approx([3 / 5, 4 / 5], abs=TOL)
    assert result["conversions"].tolist() == pytest.approx([15 / 7, 20 / 7], abs=TOL)
    assert result["share"].tolist() == pytest.approx([3 / 7, 4 / 7], abs=TOL)


def _markov_by_loops(paths: pd.DataFrame) -> dict[str, float]:
    """Removal effects the slow way: transition counts path by path, absorption by iteration."""
    counts: dict[str, dict[str, float]] = {}
    for path, conv, null in paths[["path", "total_conversions", "total_null"]].itertuples(
            index=False):
        states = ["(start)", *[t.strip() for t in path.split(">")]]
        for a, b in itertools.pairwise(states):
            counts.setdefault(a, {}).setdefault(b, 0.0)
            counts[a][b] += conv + null
        last = counts.setdefault(states[-1], {})
        last["(conversion)"] = last.get("(conversion)", 0.0) + conv
        last["(null)"] = last.get("(null)", 0.0) + null

    def p_conversion(removed: str | None) -> float:
        x = dict.fromkeys(counts, 0.0)
        for _ in range(5_000):  # value iteration; converges geometrically
            for state, outs in counts.items():
                total = sum(outs.values())
                x[state] = sum(w * (1.0 if b == "(conversion)" else x.get(b, 0.0))
                               for b, w in outs.items() if b != removed) / total if total else 0
        return x["(start)"]

    base = p_conversion(None)
    return {c: 1 - p_conversion(c) / base for c in counts if c != "(start)"}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_markov_matches_a_loop_by_loop_computation(seed):
    paths = _random_paths(seed)
    result = markov_attribution(paths)
    expected = _markov_by_loops(paths)
    assert sorted(expected) == list(result.index)
    # Value iteration stops within 1e-12 of the fixed point; removal effects are ratios of
    # probabilities near 0.3, so 1e-8 leaves a wide margin.
    assert result["removal_effect"].to_dict() == pytest.approx(expected, abs=1e-8)


def test_markov_repeated_touches_change_nothing():
    repeated = _paths({"a > a > b": (3, 1), "a": (1, 1), "b > b > b": (1, 3)})
    assert markov_attribution(repeated)["removal_effect"].tolist() == pytest.approx(
        [3 / 5, 4 / 5], abs=TOL)


def test_markov_single_channel_gets_everything():
    result = markov_attribution(_paths({"a": (2, 5), "a > a": (1, 0)}))
    assert result["removal_effect"].tolist() == pytest.approx([1.0], abs=TOL)
    assert result["conversions"].tolist() == pytest.approx([3.0], abs=TOL)


# --- Shapley -----------------------------------------------------------------------------------
# Three channels: conversions by path  "a": 3, "b": 1, "c > c": 2, "a > b": 4, "a > b > c": 6.
# v(S) = conversions of paths whose channels all lie in S:
#   v({}) = 0, v(a) = 3, v(b) = 1, v(c) = 2, v(ab) = 3 + 1 + 4 = 8, v(ac) = 5, v(bc) = 3,
#   v(abc) = 16.  Weights |S|! (2 - |S|)! / 3!: 1/3 for |S| = 0 or 2, 1/6 for |S| = 1.
# phi_a = 1/3 (3 - 0) + 1/6 (8 - 1) + 1/6 (5 - 2) + 1/3 (16 - 3) = 1 + 7/6 + 3/6 + 13/3 = 7
# phi_b = 1/3 (1 - 0) + 1/6 (8 - 3) + 1/6 (3 - 2) + 1/3 (16 - 5) = 1/3 + 5/6 + 1/6 + 11/3 = 5
# phi_c = 1/3 (2 - 0) + 1/6 (5 - 3) + 1/6 (3 - 1) + 1/3 (16 - 8) = 2/3 + 1/3 + 1/3 + 8/3 = 4
HAND_SHAPLEY = _paths({"a": (3, 0), "b": (1, 2), "c > c": (2, 1), "a > b": (4, 9),
                       "a > b > c": (6, 0)})


def test_shapley_three_channels_by_hand():
    result = shapley_attribution(HAND_SHAPLEY)
    assert result["conversions"].to_dict() == pytest.approx({"a": 7, "b": 5, "c": 4}, abs=TOL)
    assert result["share"].tolist() == pytest.approx([7 / 16, 5 / 16, 4 / 16], abs=TOL)


def test_shapley_weights_are_the_textbook_ones():
    # The same hand case with exact fractions from the definition, coalition by coalition.
    conv = {"a": 3, "b": 1, "c": 2, "ab": 4, "abc": 6}

    def v(s: frozenset) -> int:
        return sum(n for p, n in conv.items() if set(p) <= s)

    players = "abc"
    for i, expected in zip(players, (7, 5, 4), strict=True):
        others = [p for p in players if p != i]
        phi = sum(Fraction(math.factorial(k) * math.factorial(2 - k), 6)
                  * (v(frozenset(s) | {i}) - v(frozenset(s)))
                  for k in range(3) for s in itertools.combinations(others, k))
        assert phi == expected


@pytest.mark.parametrize("seed", [0, 1])
def test_shapley_equals_an_equal_split_among_each_paths_channels(seed):
    # Each path is a unanimity game: its conversions go in equal parts to its distinct channels.
    paths = _random_paths(seed, n_channels=7)
    expected: dict[str, float] = {}
    for path, conv in paths[["path", "total_conversions"]].itertuples(index=False):
        channels = {t.strip() for t in path.split(">")}
        for c in channels:
            expected[c] = expected.get(c, 0.0) + conv / len(channels)
    assert shapley_attribution(paths)["conversions"].to_dict() == pytest.approx(expected,
                                                                                  abs=1e-8)


def test_shapley_refuses_too_many_channels():
    n = MAX_SHAPLEY_CHANNELS + 1
    paths = pd.DataFrame({"route": [f"c{i}" for i in range(n)], "total_conversions": 1})
    with pytest.raises(ValueError, match=r"column 'route'.*16 channels"):
        shapley_attribution(paths, path_col="route")
    assert len(shapley_attribution(paths.iloc[:MAX_SHAPLEY_CHANNELS], path_col="route")) == 15


# --- rules -------------------------------------------------------------------------------------
# "a > b": 4 conversions, "c > a > b": 6.
#   last: b = 10.   first: a = 4, c = 6.   linear: a = 4/2 + 6/3 = 4, b = 4, c = 6/3 = 2.
#   time decay, half-life 1 touch (weights 1, 1/2, 1/4 from the last, normalised):
#     "a > b": b 2/3, a 1/3;  "c > a > b": b 4/7, a 2/7, c 1/7
#     a = 4/3 + 12/7 = 64/21, b = 8/3 + 24/7 = 128/21, c = 6/7 = 18/21.
TWO_PATHS = _paths({"a > b": (4, 3), "c > a > b": (6, 0)})
RULE_EXPECTED = {
    "last": {"a": 0, "b": 10, "c": 0},
    "first": {"a": 4, "b": 0, "c": 6},
    "linear": {"a": 4, "b": 4, "c": 2},
    "time_decay": {"a": 64 / 21, "b": 128 / 21, "c": 18 / 21},
}


def test_last_non_direct_skips_direct_visits_by_hand():
    # "a > direct": 5 -> a.  "direct > b > direct > direct": 2 -> b.  "b > a": 1 -> a.
    # "direct > direct": 3 -> direct (nothing else to credit).  "direct > a": 4 -> a.
    paths = _paths({"a > direct": (5, 1), "direct > b > direct > direct": (2, 0),
                    "b > a": (1, 0), "direct > direct": (3, 2), "direct > a": (4, 0)})
    result = rule_attribution(paths, rule="last_non_direct")
    assert result["conversions"].to_dict() == pytest.approx(
        {"a": 10, "b": 2, "direct": 3}, abs=TOL)
    # Without any direct touch it is last touch.
    assert rule_attribution(TWO_PATHS, rule="last_non_direct")["conversions"].to_dict() == (
        pytest.approx(RULE_EXPECTED["last"], abs=TOL))


@pytest.mark.parametrize("rule", list(RULE_EXPECTED))
def test_rules_on_two_paths_by_hand(rule):
    result = rule_attribution(TWO_PATHS, rule=rule)
    assert result["conversions"].to_dict() == pytest.approx(RULE_EXPECTED[rule], abs=TOL)
    assert result["share"].sum() == pytest.approx(1.0, abs=TOL)


def test_linear_counts_each_touch_and_time_decay_follows_its_half_life():
    paths = _paths({"b > c > b": (6, 0)})
    assert rule_attribution(paths, rule="linear")["conversions"].to_dict() == pytest.approx(
        {"b": 4, "c": 2}, abs=TOL)
    # half-life 2 touches: weights 2^(-k/2) for k = 2, 1, 0 steps before the last
    w = np.exp2(-np.array([2, 1, 0]) / 2)
    expected = {"b": 6 * (w[0] + w[2]) / w.sum(), "c": 6 * w[1] / w.sum()}
    decay = rule_attribution(paths, rule="time_decay", half_life=2)
    assert decay["conversions"].to_dict() == pytest.approx(expected, abs=TOL)
    # A very long half-life is linear; a very short one is last touch.
    for half_life, rule in ((1e9, "linear"), (1e-3, "last")):
        limit = rule_attribution(TWO_PATHS, rule="time_decay", half_life=half_life)
        assert limit["conversions"].to_dict() == pytest.approx(
            rule_attribution(TWO_PATHS, rule=rule)["conversions"].to_dict(), abs=1e-6)


# --- what every method shares --------------------------------------------------------------------
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_credited_conversions_sum_to_the_total(method, seed):
    paths = _random_paths(seed)
    result = _method(method)(paths)
    assert result["conversions"].sum() == pytest.approx(paths["total_conversions"].sum(), abs=1e-8)
    assert result["share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert (result["conversions"] >= -TOL).all()
    assert list(result.index) == sorted(result.index)


@pytest.mark.parametrize("method", METHODS)
def test_spaces_around_channels_and_separators_do_not_matter(method):
    spaced = _paths({" a > b ": (3, 1), "a": (1, 1), "b   >b": (1, 3), "c > a": (0, 4)})
    tight = _paths({"a>b": (3, 1), "a": (1, 1), "b>b": (1, 3), "c>a": (0, 4)})
    other_separator = tight.assign(path=tight["path"].str.replace(">", " | "))
    expected = _method(method)(tight)
    pd.testing.assert_frame_equal(_method(method)(spaced), expected)
    pd.testing.assert_frame_equal(_method(method)(tight, separator=" > "), expected)
    pd.testing.assert_frame_equal(_method(method)(other_separator, separator="|"), expected)
    # "c" appears only on a path without conversions: listed, and credited nothing by the
    # methods that look at whole converting paths. The Markov chain forgets where a journey
    # came from, so c -> a -> conversion is a route it credits.
    if method == "markov":
        assert expected.loc["c", "conversions"] > 0.1
    else:
        assert expected.loc["c", "conversions"] == pytest.approx(0.0, abs=TOL)


@pytest.mark.parametrize("method", METHODS)
def test_repeated_rows_add_up(method):
    split = pd.concat([HAND_MARKOV, HAND_MARKOV.iloc[[0]].assign(path="a>b")], ignore_index=True)
    merged = HAND_MARKOV.copy()
    merged.loc[0, ["total_conversions", "total_null"]] *= 2
    pd.testing.assert_frame_equal(_method(method)(split), _method(method)(merged))


@pytest.mark.parametrize("method", METHODS)
def test_user_column_names(method):
    renamed = HAND_MARKOV.rename(columns={"path": "p", "total_conversions": "conv",
                                          "total_null": "lost"})
    names = {"path_col": "p", "conversions_col": "conv"}
    if method == "markov":
        names["nulls_col"] = "lost"
    pd.testing.assert_frame_equal(_method(method)(renamed, **names),
                                  _method(method)(HAND_MARKOV))


@pytest.mark.parametrize("method", METHODS)
def test_any_path_column_dtype_and_index(method):
    expected = _method(method)(HAND_MARKOV)
    for variant in (HAND_MARKOV.astype({"path": "category"}),
                    HAND_MARKOV.astype({"path": object, "total_conversions": float}),
                    HAND_MARKOV.set_index(pd.Index([10, 5, 7])),
                    pd.concat([HAND_MARKOV.iloc[:1], HAND_MARKOV.iloc[1:]])):
        pd.testing.assert_frame_equal(_method(method)(variant), expected)


# --- bad path tables -----------------------------------------------------------------------------
BAD_TABLES = [
    (lambda t: t.drop(columns="path"), r"missing column\(s\) \['path'\]"),
    (lambda t: t.drop(columns="total_conversions"), r"missing column\(s\) \['total_conversions'\]"),
    (lambda t: t.assign(total_conversions=[3, -1, 1]), r"'total_conversions'.*negative"),
    (lambda t: t.assign(total_conversions=[3, 1.5, 1]), r"'total_conversions'.*not whole"),
    (lambda t: t.assign(total_conversions=[3, np.nan, 1]), r"'total_conversions'.*missing"),
    (lambda t: t.assign(total_conversions=["3", "x", "1"]), r"'total_conversions'.*numeric"),
    (lambda t: t.assign(total_conversions=0), r"'total_conversions'.*sums to 0"),
    (lambda t: t.assign(path=["a > b", None, "b"]), r"'path'.*missing path"),
    (lambda t: t.assign(path=["a > b", "", "b"]), r"'path'.*empty"),
    (lambda t: t.assign(path=["a > > b", "a", "b"]), r"'path'.*empty step"),
    (lambda t: t.assign(path=["a > b", "a", "b >"]), r"'path'.*empty step"),
    (lambda t: t.iloc[:0], r"empty"),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("spoil", "message"), BAD_TABLES)
def test_bad_path_tables_are_named(method, spoil, message):
    with pytest.raises(ValueError, match=message):
        _method(method)(spoil(HAND_MARKOV))


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda t: t.drop(columns="total_null"), r"missing column\(s\) \['total_null'\]"),
    (lambda t: t.assign(total_null=[1, -1, 3]), r"'total_null'.*negative"),
    (lambda t: t.assign(total_null=[1, 0.5, 3]), r"'total_null'.*not whole"),
    (lambda t: t.assign(total_null=[1, np.nan, 3]), r"'total_null'.*missing"),
])
def test_markov_checks_the_nulls(spoil, message):
    with pytest.raises(ValueError, match=message):
        markov_attribution(spoil(HAND_MARKOV))
    rule_attribution(spoil(HAND_MARKOV))  # rules and Shapley never read the nulls


def test_bad_settings():
    with pytest.raises(ValueError, match="rule must be one of"):
        rule_attribution(HAND_MARKOV, rule="u_shaped")
    with pytest.raises(ValueError, match="half_life"):
        rule_attribution(HAND_MARKOV, rule="time_decay", half_life=0)
    with pytest.raises(ValueError, match="separator"):
        markov_attribution(HAND_MARKOV, separator="  ")
    with pytest.raises(ValueError, match="DataFrame"):
        shapley_attribution(["a > b"])


# --- journey_paths -------------------------------------------------------------------------------
def _sessions() -> pd.DataFrame:
    rows = [
        # u1: in time order social, email (converts), direct after the purchase (dropped)
        ("u1", "2024-01-03 10:00", "email", 1),
        ("u1", "2024-01-01 09:00", "social", 0),
        ("u1", "2024-01-05 12:00", "direct", 0),
        # u2: never converts
        ("u2", "2024-01-02 08:00", "display", 0),
        ("u2", "2024-01-01 08:00", "display", 0),
        # u3: two ties. At 07:00 two visits without purchase: by channel name (email, tv);
        # at 09:00 a visit and the purchase: the visit first (it happened by the purchase)
        ("u3", "2024-01-01 07:00", "tv", 0),
        ("u3", "2024-01-01 09:00", "paid_search", 1),
        ("u3", "2024-01-01 07:00", "email", 0),
        ("u3", "2024-01-01 09:00", "social", 0),
        # u4: converts on the first visit, buys again later (a second journey, not counted)
        ("u4", "2024-01-01 10:00", "direct", 1),
        ("u4", "2024-01-09 10:00", "paid_search", 1),
        # u5: the same path as u1, but never converts
        ("u5", "2024-01-01 10:00", "social", 0),
        ("u5", "2024-01-02 10:00", "email", 0),
    ]
    frame = pd.DataFrame(rows, columns=["user_id", "session_start", "channel", "converted"])
    frame["session_start"] = pd.to_datetime(frame["session_start"])
    return frame


JOURNEY_TABLE = pd.DataFrame({
    "path": ["direct", "display > display", "email > tv > social > paid_search",
             "social > email"],
    "total_conversions": [1, 0, 1, 1],
    "total_null": [0, 1, 0, 1],
})


def test_journey_paths_by_hand():
    result = journey_paths(_sessions())
    pd.testing.assert_frame_equal(result, JOURNEY_TABLE, check_dtype=False)
    assert (result.dtypes.iloc[1:] == np.int64).all()


@pytest.mark.parametrize("seed", range(5))
def test_journey_paths_does_not_depend_on_row_order(seed):
    shuffled = _sessions().sample(frac=1, random_state=seed)
    pd.testing.assert_frame_equal(journey_paths(shuffled), JOURNEY_TABLE, check_dtype=False)


def test_journey_paths_column_names_separator_and_time_zones():
    sessions = _sessions().rename(columns={"user_id": "visitor", "session_start": "ts",
                                           "channel": "ch", "converted": "bought"})
    sessions["ts"] = sessions["ts"].dt.tz_localize("Europe/London")
    sessions["bought"] = sessions["bought"].astype(bool)
    result = journey_paths(sessions, user_col="visitor", time_col="ts", channel_col="ch",
                           converted_col="bought", separator="|")
    assert result["path"].tolist() == [p.replace(" > ", "|") for p in JOURNEY_TABLE["path"]]
    # the path table feeds every method, whatever the separator
    assert markov_attribution(result, separator="|")["conversions"].sum() == pytest.approx(3)


def test_journey_paths_feeds_the_methods():
    paths = journey_paths(_sessions())
    last = rule_attribution(paths)["conversions"]
    assert last.to_dict() == pytest.approx(
        {"direct": 1, "display": 0, "email": 1, "paid_search": 1, "social": 0, "tv": 0})


def _journey_paths_by_groupby(sessions: pd.DataFrame) -> pd.DataFrame:
    """The same table the slow, obvious way: sort, cut after the first purchase, join."""
    work = sessions.sort_values(["user_id", "session_start", "converted", "channel"])
    before = work.groupby("user_id")["converted"].cumsum() - work["converted"]
    journeys = work[before == 0].groupby("user_id").agg(path=("channel", " > ".join),
                                                        converted=("converted", "max"))
    table = journeys.groupby("path")["converted"].agg(total_conversions="sum",
                                                      total_null="size").reset_index()
    return table.assign(total_null=table["total_null"] - table["total_conversions"])


@pytest.mark.parametrize("seed", [0, 1])
def test_journey_paths_matches_a_groupby_computation(seed):
    rng = np.random.default_rng(seed)
    n = 3_000
    # Few distinct times (ties), purchases anywhere (sessions after them), and a few
    # journeys of 70 sessions, whose paths are too long to be coded as one integer.
    users = np.r_[rng.integers(0, 800, size=n), np.repeat([900, 901, 902], 70)]
    sessions = pd.DataFrame({
        "user_id": users,
        "session_start": pd.Timestamp("2024-01-01")
        + pd.to_timedelta(rng.integers(0, 50, size=len(users)), unit="h"),
        "channel": rng.choice(["a", "b", "c", "dd", "e"], size=len(users)),
        "converted": (rng.random(len(users)) < 0.08).astype(int),
    })
    sessions.loc[sessions["user_id"] >= 900, "converted"] = 0
    result = journey_paths(sessions)
    assert result["path"].str.count(">").max() == 69
    pd.testing.assert_frame_equal(result, _journey_paths_by_groupby(sessions), check_dtype=False)


@pytest.mark.parametrize(("spoil", "message"), [
    (lambda s: s.drop(columns="converted"), r"missing column\(s\) \['converted'\]"),
    (lambda s: s.assign(converted=2), r"'converted'.*0 or 1"),
    (lambda s: s.assign(converted=np.where(s.index == 0, np.nan, 0)), r"'converted'.*0 or 1"),
    (lambda s: s.assign(converted="yes"), r"'converted'.*numeric"),
    (lambda s: s.drop(columns="user_id"), r"missing column\(s\) \['user_id'\]"),
    (lambda s: s.assign(user_id=np.where(s.index == 0, None, s["user_id"])), r"'user_id'"),
    (lambda s: s.assign(session_start="2024-01-01"), r"'session_start'.*datetimes"),
    (lambda s: s.assign(channel=np.where(s.index == 0, None, s["channel"])), r"'channel'"),
    (lambda s: s.assign(channel="a > b"), r"'channel'.*separator"),
    (lambda s: s.assign(channel=" "), r"'channel'.*empty"),
    (lambda s: s.iloc[:0], r"sessions is empty"),
])
def test_journey_paths_bad_input(spoil, message):
    with pytest.raises(ValueError, match=message):
        journey_paths(spoil(_sessions()))


# --- channel_from_source_medium ----------------------------------------------------------------
EXPECTED_CHANNELS = {
    ("google", "cpc"): "paid_search", ("bing", "cpc"): "paid_search",
    ("facebook", "paid_social"): "social", ("instagram", "paid_social"): "social",
    ("gdn", "display"): "display", ("criteo", "display"): "display",
    ("newsletter", "email"): "email", ("tv", "offline"): "tv",
    ("google", "organic"): "organic_search", ("(direct)", "(none)"): "direct",
    ("(offline)", "store"): "store",
}


def test_channel_from_source_medium_every_pair_and_an_unknown_one():
    assert SOURCE_MEDIUM_CHANNELS == EXPECTED_CHANNELS
    pairs = [*EXPECTED_CHANNELS, ("tiktok", "paid_social"), ("tiktok", "paid_social"),
             ("google", "referral")]
    sessions = pd.DataFrame(pairs, columns=["source", "medium"], index=range(10, 10 + len(pairs)))
    result = channel_from_source_medium(sessions)
    assert result.name == "channel"
    assert result.index.equals(sessions.index)  # aligned, nothing dropped
    assert result.tolist() == [*EXPECTED_CHANNELS.values(), "other", "other", "other"]
    assert result.attrs["unknown_pairs"] == {("tiktok", "paid_social"): 2,
                                             ("google", "referral"): 1}


def test_channel_from_source_medium_case_gaps_columns_and_mapping():
    sessions = pd.DataFrame({"src": [" Google", "GOOGLE", None, "newsletter"],
                             "med": ["CPC ", "organic", "cpc", "email"]})
    result = channel_from_source_medium(sessions, source_col="src", medium_col="med")
    assert result.tolist() == ["paid_search", "organic_search", "other", "email"]
    assert result.attrs["unknown_pairs"] == {(None, "cpc"): 1}
    own = channel_from_source_medium(sessions, source_col="src", medium_col="med",
                                     mapping={("Newsletter", "Email"): "crm"})
    assert own.tolist() == ["other", "other", "other", "crm"]
    with pytest.raises(ValueError, match=r"missing column\(s\) \['medium'\]"):
        channel_from_source_medium(sessions.rename(columns={"src": "source"}))
