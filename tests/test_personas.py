"""Personas: names follow the profile, not the arbitrary K-Means numbering."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.cluster import KMeans

from helpers import data
from helpers.personas import PERSONAS, SEGMENT_FEATURES, name_segments, persona_actions
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
    names = name_segments(cluster_profile(buyers, labels, list(SEGMENT_FEATURES)))
    assert sorted(names) == sorted(PERSONAS)
    persona = pd.Series(labels).map(names)
    truth = shop.truth.set_index("customer_id")["true_type"].reindex(buyers["customer_id"])
    table = pd.crosstab(persona.to_numpy(), truth.to_numpy(), normalize="index")
    # the largest true type in each persona is the one the persona was written for
    written_for = {
        "Premium tech loyalists": "Loyal big spenders",
        "Store-first household regulars": "Bargain regulars",
        "Mobile fashion fans": "Young trend-seekers",
        "Occasional gift buyers": "Gift buyers",
        "Small-basket occasionals": "One-off bargain hunters",
    }
    assert table.idxmax(axis=1).to_dict() == written_for
    assert (table.max(axis=1) > 0.5).all()
    assert persona_actions().index.tolist() == list(PERSONAS)
