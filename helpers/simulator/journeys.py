"""New customers' journeys and the GA4 sessions export of notebook 10.

Every new customer of the weekly story (:mod:`helpers.simulator.channels`) has a true cause,
drawn in proportion to that week's contributions: the baseline or one media channel. Their
journey is the 1-6 web sessions of the 30 days before the first purchase; about 3.5 times as
many users visit and never buy. The export holds what GA4 records, one row per session
(``user_id``, ``session_start``, ``source``, ``medium``, ``campaign``, ``converted``); the true
cause stays in the answer key. The export is biased against the truth the way real ones are:

- the cause's own touch is seen only with a channel-dependent probability
  (:data:`VISIBILITY`: high for a search click or an e-mail, low for a display view, rare for
  TV, seen only through a vanity URL or QR code);
- a third of online buyers, whatever the cause, close with a brand search ad or come direct
  (:data:`CLOSER_SHARE`), so last touch over-credits paid search and direct;
- the other sessions are passengers, drawn from each week's reach (clicks; TV's impressions
  count for little), organic search and direct;
- a tenth of buyers buy in a store (:data:`STORE_SHARE`), matched to their online user by the
  loyalty card: the journey crosses online and offline and ends with ``(offline) / store``;
- sessions before ``PERIOD_START`` are not in the export (it starts there), so the journeys of
  January 2024's buyers are cut short, as in any real export.

>>> import numpy as np, pandas as pd
>>> from helpers.constants import CHANNEL, CLICKS, IMPRESSIONS, SPEND, WEEK_START
>>> week = pd.Timestamp("2024-03-04")
>>> spend = pd.DataFrame({WEEK_START: week, CHANNEL: ["paid_search", "tv"], SPEND: 1.0,
...                       IMPRESSIONS: [1000, 50000], CLICKS: [40, 0]})
>>> causes = pd.DataFrame({"baseline": [3], "paid_search": [1], "tv": [1]},
...                       index=pd.DatetimeIndex([week], name=WEEK_START))
>>> sessions, converters = simulate_journeys(np.random.default_rng(0), spend, causes)
>>> int(sessions["converted"].sum()), len(converters)
(5, 5)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..constants import (
    CAMPAIGN,
    CHANNEL,
    CLICKS,
    CONVERTED,
    IMPRESSIONS,
    MEDIA_CHANNELS,
    MEDIUM,
    PERIOD_START,
    SESSION_START,
    SOURCE,
    USER_ID,
    WEEK_START,
)

#: Days of sessions before a purchase that belong to its journey.
JOURNEY_DAYS = 30
#: Sessions per journey: 1 + Binomial(5, 0.3), so 1-6 with a mean of 2.5.
MAX_EXTRA_SESSIONS, EXTRA_SESSION_P = 5, 0.3
#: Non-converting users per new customer (Poisson mean per week).
NON_CONVERTERS_PER_CONVERTER = 3.5
#: Probability that the cause's own touch is in the export. For the baseline, its "own" touch
#: is an organic search or a direct visit.
VISIBILITY: dict[str, float] = {
    "baseline": 0.7,
    "paid_search": 0.85,
    "social": 0.5,
    "display": 0.15,
    "email": 0.8,
    "tv": 0.05,
}
#: Share of online buyers whose buying session is a brand search ad or a direct visit, and
#: the part of it that is brand search.
CLOSER_SHARE, BRAND_SEARCH_SHARE = 0.35, 0.6
#: Share of new customers who buy in a store (a loyalty card links them to their online user).
STORE_SHARE = 0.10
#: Passenger sessions: shares of organic search and direct; the rest are media touches in
#: proportion to each week's clicks (TV: its impressions times ``TV_TOUCH_RATE``).
ORGANIC_SHARE, DIRECT_SHARE = 0.25, 0.20
TV_TOUCH_RATE = 0.0005

#: Every channel a session can come from (media, then the others), and its GA4 labels: a list of
#: (source, medium, probability).
TOUCH_CHANNELS = (*MEDIA_CHANNELS, "organic_search", "direct", "store")
_LABELS: dict[str, list[tuple[str, str, float]]] = {
    "paid_search": [("google", "cpc", 0.85), ("bing", "cpc", 0.15)],
    "social": [("facebook", "paid_social", 0.6), ("instagram", "paid_social", 0.4)],
    "display": [("gdn", "display", 0.6), ("criteo", "display", 0.4)],
    "email": [("newsletter", "email", 1.0)],
    "tv": [("tv", "offline", 1.0)],
    "organic_search": [("google", "organic", 1.0)],
    "direct": [("(direct)", "(none)", 1.0)],
    "store": [("(offline)", "store", 1.0)],
}
#: Campaign names: (name, probability) per channel; brand-search closers are "brand_search".
_CAMPAIGNS: dict[str, list[tuple[str, float]]] = {
    "paid_search": [("brand_search", 0.3), ("generic_search", 0.7)],
    "social": [("prospecting", 0.7), ("retargeting", 0.3)],
    "display": [("prospecting", 0.7), ("retargeting", 0.3)],
    "email": [("weekly_newsletter", 1.0)],
    "tv": [("tv_burst", 1.0)],
    "organic_search": [("(organic)", 1.0)],
    "direct": [("(direct)", 1.0)],
    "store": [("(not set)", 1.0)],
}
_WEEK_SECONDS = 7 * 86_400
_CODE = {name: i for i, name in enumerate(TOUCH_CHANNELS)}


def _passenger_mix(spend: pd.DataFrame, weeks: pd.DatetimeIndex) -> np.ndarray:
    """Per week, the probability of each touch channel for a passenger session."""
    wide = spend.pivot(index=WEEK_START, columns=CHANNEL, values=[CLICKS, IMPRESSIONS])
    wide = wide.reindex(weeks).fillna(0.0)
    reach = np.zeros((len(weeks), len(TOUCH_CHANNELS)))
    for channel in MEDIA_CHANNELS:
        if channel == "tv" and (IMPRESSIONS, "tv") in wide.columns:
            reach[:, _CODE[channel]] = TV_TOUCH_RATE * wide[(IMPRESSIONS, "tv")].to_numpy()
        elif (CLICKS, channel) in wide.columns:
            reach[:, _CODE[channel]] = wide[(CLICKS, channel)].to_numpy()
    totals = reach.sum(axis=1, keepdims=True)
    media = np.divide(reach, totals, out=np.zeros_like(reach), where=totals > 0)
    media_share = np.where(totals[:, 0] > 0, 1.0 - ORGANIC_SHARE - DIRECT_SHARE, 0.0)
    mix = media * media_share[:, None]
    rest = 1.0 - media_share  # organic and direct share what media does not take
    mix[:, _CODE["organic_search"]] = rest * ORGANIC_SHARE / (ORGANIC_SHARE + DIRECT_SHARE)
    mix[:, _CODE["direct"]] = rest * DIRECT_SHARE / (ORGANIC_SHARE + DIRECT_SHARE)
    return mix


def _draw_users(rng: np.random.Generator, customers_by_cause: pd.DataFrame) -> pd.DataFrame:
    """One row per user: week, cause (None for non-converters), store buyer, closer, sessions."""
    counts = customers_by_cause.to_numpy()
    causes = np.array(customers_by_cause.columns, dtype=object)
    week_idx, cause_idx = np.nonzero(counts)
    reps = counts[week_idx, cause_idx]
    conv_week = np.repeat(week_idx, reps)
    conv_cause = np.repeat(causes[cause_idx], reps)
    n_conv = len(conv_week)
    non = rng.poisson(NON_CONVERTERS_PER_CONVERTER * counts.sum(axis=1))
    non_week = np.repeat(np.arange(len(counts)), non)
    users = pd.DataFrame({
        "week": np.concatenate([conv_week, non_week]),
        "cause": np.concatenate([conv_cause, np.full(len(non_week), None, dtype=object)]),
        "converter": np.r_[np.ones(n_conv, bool), np.zeros(len(non_week), bool)],
    })
    n = len(users)
    users["store"] = users["converter"] & (rng.random(n) < STORE_SHARE)
    users["closer"] = users["converter"] & ~users["store"] & (rng.random(n) < CLOSER_SHARE)
    users["brand"] = users["closer"] & (rng.random(n) < BRAND_SEARCH_SHARE)
    visibility = users["cause"].map(VISIBILITY).fillna(0.0).to_numpy(float)
    users["visible"] = users["converter"].to_numpy() & (rng.random(n) < visibility)
    sessions = 1 + rng.binomial(MAX_EXTRA_SESSIONS, EXTRA_SESSION_P, n)
    # the closing (or store) session takes the last place: a seen cause needs one before it
    ends_fixed = (users["store"] | users["closer"]).to_numpy()
    sessions = np.where(ends_fixed & users["visible"].to_numpy(), np.maximum(sessions, 2), sessions)
    users["n_sessions"] = sessions
    users["end"] = rng.integers(0, _WEEK_SECONDS, n)  # seconds into the week of the last session
    return users


def _user_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """Distinct random 10-digit numbers: the first part of GA4's pseudo ids."""
    values = rng.integers(1_000_000_000, 2_147_483_647, size=2 * n + 100)
    _, first = np.unique(values, return_index=True)
    return values[np.sort(first)[:n]]  # first occurrences, in the order drawn


def _label(rng: np.random.Generator, codes: np.ndarray, brand: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source, medium and campaign of each session from its channel code."""
    n = len(codes)
    source = np.empty(n, dtype=object)
    medium = np.empty(n, dtype=object)
    campaign = np.empty(n, dtype=object)
    u_label, u_campaign = rng.random(n), rng.random(n)
    for channel, code in _CODE.items():
        rows = np.flatnonzero(codes == code)
        labels = _LABELS[channel]
        cum = np.cumsum([p for *_, p in labels])
        pick = np.minimum(np.searchsorted(cum, u_label[rows], side="right"), len(labels) - 1)
        source[rows] = np.array([s for s, _, _ in labels], dtype=object)[pick]
        medium[rows] = np.array([m for _, m, _ in labels], dtype=object)[pick]
        names = _CAMPAIGNS[channel]
        cum = np.cumsum([p for _, p in names])
        pick = np.minimum(np.searchsorted(cum, u_campaign[rows], side="right"), len(names) - 1)
        campaign[rows] = np.array([c for c, _ in names], dtype=object)[pick]
    campaign[brand] = "brand_search"
    return source, medium, campaign


def simulate_journeys(rng: np.random.Generator, spend: pd.DataFrame,
                      customers_by_cause: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The GA4 sessions export and the converters' true causes.

    Parameters
    ----------
    rng : numpy.random.Generator
    spend : DataFrame
        The long weekly media table (``week_start``, ``channel``, ``impressions``, ``clicks``):
        passengers follow each week's reach.
    customers_by_cause : DataFrame
        New customers per week (index ``week_start``) by true cause (``baseline`` and channels).

    Returns
    -------
    sessions : DataFrame
        ``user_id``, ``session_start`` (to the second), ``source``, ``medium``, ``campaign``,
        ``converted`` (1 on the buying session); sorted by time, then user.
    converters : DataFrame
        One row per new customer: ``user_id``, ``purchase_time``, ``cause``, ``store``,
        ``cause_visible`` (the cause's own touch is in the export); sorted by user_id.
    """
    weeks = pd.DatetimeIndex(customers_by_cause.index)
    users = _draw_users(rng, customers_by_cause)
    n_users = len(users)
    mix = _passenger_mix(spend, weeks)

    # sessions: the last at the user's end time, the others up to 30 days before it
    user = np.repeat(np.arange(n_users), users["n_sessions"].to_numpy())
    n_per = users["n_sessions"].to_numpy()
    first_row = np.r_[0, np.cumsum(n_per)[:-1]]
    position = np.arange(len(user)) - first_row[user]
    is_last = position == n_per[user] - 1
    week_start = weeks.values.astype("datetime64[s]").astype(np.int64)
    end = week_start[users["week"].to_numpy()] + users["end"].to_numpy()
    back = rng.integers(60, JOURNEY_DAYS * 86_400, len(user))  # at least a minute before
    back[is_last] = 0
    # time order within a journey: the earliest session is the one furthest back
    order = np.lexsort((-back, user))
    back = back[order]
    start = end[user] - back

    # channels: passengers of the last session's week, then the closer, the cause and the store
    week_of = users["week"].to_numpy()[user]
    cum = np.cumsum(mix[week_of], axis=1)
    codes = (rng.random(len(user))[:, None] > cum).sum(axis=1)
    codes = np.minimum(codes, _CODE["direct"])
    closer = users["closer"].to_numpy()[user] & is_last
    brand = users["brand"].to_numpy()[user] & is_last
    codes[closer] = np.where(brand[closer], _CODE["paid_search"], _CODE["direct"])
    store = users["store"].to_numpy()[user] & is_last
    codes[store] = _CODE["store"]

    visible = users["visible"].to_numpy()
    free = n_per - (users["store"] | users["closer"]).to_numpy()  # places the cause may take
    slot = np.floor(rng.random(n_users) * np.maximum(free, 1)).astype(np.int64)
    cause = users["cause"].to_numpy()
    own = np.full(n_users, -1)
    for name, code in _CODE.items():
        own[cause == name] = code
    baseline = cause == "baseline"
    own[baseline] = np.where(rng.random(int(baseline.sum())) < 0.5, _CODE["organic_search"],
                             _CODE["direct"])
    seen = np.flatnonzero(visible & (own >= 0))
    codes[first_row[seen] + slot[seen]] = own[seen]
    in_export = start >= PERIOD_START.value // 10**9  # the export starts on PERIOD_START
    # the cause's touch counts as seen only if it falls inside the export
    seen_mask = np.zeros(n_users, dtype=bool)
    seen_mask[seen] = in_export[first_row[seen] + slot[seen]]

    source, medium, campaign = _label(rng, codes, brand)
    a = _user_ids(rng, n_users)
    first_start = start[first_row]
    ids = np.char.add(np.char.add(a.astype(str), "."), first_start.astype(str))
    converted = (users["converter"].to_numpy()[user] & is_last).astype(np.int64)
    sessions = pd.DataFrame({
        USER_ID: pd.array(ids[user], dtype="str"),
        SESSION_START: start.astype("datetime64[s]"),
        SOURCE: pd.array(source, dtype="str"),
        MEDIUM: pd.array(medium, dtype="str"),
        CAMPAIGN: pd.array(campaign, dtype="str"),
        CONVERTED: converted,
    })
    sessions = sessions[in_export].sort_values([SESSION_START, USER_ID], kind="stable")
    sessions = sessions.reset_index(drop=True)

    conv = users["converter"].to_numpy()
    converters = pd.DataFrame({
        USER_ID: pd.array(ids[conv], dtype="str"),
        "purchase_time": end[conv].astype("datetime64[s]"),
        "cause": pd.array(cause[conv].astype(str), dtype="str"),
        "store": users["store"].to_numpy()[conv],
        "cause_visible": seen_mask[conv],
    })
    converters = converters.sort_values(USER_ID, kind="stable").reset_index(drop=True)
    return sessions, converters
