"""Personas: names follow the profile, not the arbitrary K-Means numbering."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans

from helpers import data
from helpers.personas import (
    PERSONA_TYPES,
    PERSONAS,
    SEGMENT_FEATURES,
    name_segments,
    persona_actions,
    persona_grades,
)
from helpers.segmentation import cluster_profile, prepare_features


def toy_profile() -> pd.DataFrame:
    columns = [col for col, _ in PERSONAS.values() if col]
    table = pd.DataFrame(0.1, index=[7, 3, 5, 1, 9], columns=columns)
    for segment, column in zip([7, 3, 5, 1], columns, strict=True):
        table.loc[segment, column] = 0.9
    return table


def test_names_follow_the_profile_whatever_the_numbering():
    names = name_segments(toy_profile())
    assert names.to_dict() == dict(zip([7, 3, 5, 1, 9], PERSONAS, strict=True))


def test_conflicts_are_reported():
    profile = toy_profile()
    profile.loc[7, "share_grocery"] = 0.99  # segment 7 now leads two columns
    with pytest.raises(ValueError, match="do not match the personas"):
        name_segments(profile)
    with pytest.raises(ValueError, match="match no persona"):
        name_segments(pd.concat([toy_profile(), toy_profile().iloc[[4]].rename(index={9: 10})]))


def test_simulator_segments_get_every_persona_and_match_the_true_types(shop):
    profile = data.load_processed("customers")
    buyers = profile[profile["frequency"] > 0].reset_index(drop=True)
    X = prepare_features(buyers, SEGMENT_FEATURES)
    labels = KMeans(n_clusters=len(PERSONAS), n_init=10, random_state=0).fit_predict(X)
    names = name_segments(cluster_profile(buyers, labels, features=list(SEGMENT_FEATURES)))
    assert sorted(names) == sorted(PERSONAS)
    persona = pd.Series(labels).map(names)
    truth = shop.truth.set_index("customer_id")["true_type"].reindex(buyers["customer_id"])
    table = pd.crosstab(persona.to_numpy(), truth.to_numpy(), normalize="index")
    # the largest true type in each persona is the one the persona was written for
    assert table.idxmax(axis=1).to_dict() == PERSONA_TYPES
    assert (table.max(axis=1) > 0.5).all()
    grades = persona_grades(persona, truth)
    assert np.allclose(grades["purity"], table.max(axis=1).reindex(grades.index))
    assert persona_actions().index.tolist() == list(PERSONAS)
    assert set(PERSONA_TYPES) == set(PERSONAS)


def test_persona_grades_hand_computed():
    persona = ["Mobile fashion fans"] * 3 + ["Occasional gift buyers"]
    truth = ["Young trend-seekers", "Young trend-seekers", "Gift buyers", "Gift buyers"]
    grades = persona_grades(persona, truth)
    assert grades.index.tolist() == ["Mobile fashion fans", "Occasional gift buyers"]
    assert grades["customers"].tolist() == [3, 1]
    assert grades["written_for"].tolist() == ["Young trend-seekers", "Gift buyers"]
    assert np.allclose(grades["purity"], [2 / 3, 1.0])
    assert np.allclose(grades["recall"], [1.0, 0.5])
    # a perfect grouping
    perfect = persona_grades(list(PERSONA_TYPES), list(PERSONA_TYPES.values()))
    assert (perfect["purity"] == 1).all() and (perfect["recall"] == 1).all()


def test_persona_grades_bad_input():
    with pytest.raises(ValueError, match="same length"):
        persona_grades(["Mobile fashion fans"], [])
    with pytest.raises(ValueError, match="'Nobody' is not in written_for"):
        persona_grades(["Nobody"], ["Gift buyers"])
    with pytest.raises(ValueError, match="missing"):
        persona_grades([None], ["Gift buyers"])


def test_activity_personas_name_by_what_most_members_do():
    from helpers.personas import activity_personas

    # segment 1: recent, 2 of 3 repeat; segment 2: one-off majority but recent (median 90 days)
    # segment 3: lapsed and one-off
    recency = [5, 10, 40, 60, 90, 120, 400, 500, 300]
    frequency = [4, 1, 6, 1, 1, 3, 1, 1, 2]
    segment = [1, 1, 1, 2, 2, 2, 3, 3, 3]
    table = activity_personas(recency, frequency, segment)
    assert table["persona"].tolist() == ["Recent repeat buyers", "Recent one-off buyers",
                                         "Lapsed one-off buyers"]
    assert table.loc[2, "one-order share"] == pytest.approx(2 / 3)
    assert table.loc[3, "median days since last order"] == 400
    # the thresholds are parameters; exactly half one-order customers is not "one-off"
    assert activity_personas([10, 10], [1, 2], [1, 1])["persona"].iloc[0] == "Recent repeat buyers"
    assert (activity_personas(recency, frequency, segment, lapsed_after_days=60)
            .loc[2, "persona"] == "Lapsed one-off buyers (2)")  # shares a name with 3


def test_activity_personas_rejects_mismatched_input():
    from helpers.personas import activity_personas

    with pytest.raises(ValueError, match="same length"):
        activity_personas([1, 2], [1, 1], [1])
