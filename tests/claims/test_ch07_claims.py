"""Chapter 7 value checks at three seeds: the claims the lecture asserts hold beyond seed 0."""

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from helpers.erroranalysis import costs, labelerrors, slices, survey


def make_model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ch07_independents_fail_and_the_cost_threshold_pays_on_held_out_data(seed):
    features, vote = survey.load_votes()
    X_dev, X_test, y_dev, y_test = train_test_split(features, vote, test_size=0.3,
                                                    stratify=vote, random_state=seed)
    y_dev, y_test = y_dev.to_numpy(), y_test.to_numpy()
    p_dev = labelerrors.out_of_sample_proba(make_model, X_dev, y_dev, 5, seed)[:, 1]
    pred = (p_dev >= 0.5).astype(int)
    table = slices.slice_table(y_dev, pred, survey.party_group(X_dev["PID"]), 500, seed=seed)
    overall = (pred == y_dev).mean()
    assert slices.excludes(table, overall)["independent"], table
    assert table.loc["independent", "gap"] < -0.04, table

    threshold = costs.best_threshold(y_dev, p_dev, 4, 1)
    p_test = make_model().fit(X_dev, y_dev).predict_proba(X_test)[:, 1]
    saving = 1 - (costs.total_cost(y_test, p_test, threshold, 4, 1)
                  / costs.total_cost(y_test, p_test, 0.5, 4, 1))
    assert saving > 0.1, f"the cost threshold {threshold} saved {saving:.0%} on the test set"

    sweep = labelerrors.noise_sweep(make_model, X_dev, y_dev, [0.05, 0.2], seed)
    assert sweep["precision"].is_monotonic_increasing and (sweep["recall"] > 0.5).all(), sweep
