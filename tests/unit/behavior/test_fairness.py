"""Group metrics agree with fairlearn; intervals, the flip test and mitigation behave."""

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import demographic_parity_difference, equalized_odds_difference
from sklearn.linear_model import LogisticRegression

from helpers.behavior import fairness


def sample(seed=0, n=400):
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, 2, n)
    y_true = (rng.random(n) < 0.3 + 0.2 * groups).astype(int)
    y_pred = (rng.random(n) < 0.2 + 0.4 * groups).astype(int)
    return y_true, y_pred, groups


@pytest.mark.parametrize("seed", range(5))
def test_gaps_match_fairlearn(seed):
    y_true, y_pred, groups = sample(seed)
    ours = fairness.gaps(y_true, y_pred, groups)
    assert ours["demographic parity difference"] == pytest.approx(
        demographic_parity_difference(y_true, y_pred, sensitive_features=groups))
    assert ours["equalized odds difference"] == pytest.approx(
        equalized_odds_difference(y_true, y_pred, sensitive_features=groups))


def test_group_metrics_has_one_row_per_group():
    y_true, y_pred, groups = sample()
    table = fairness.group_metrics(y_true, y_pred, groups)
    assert list(table.index) == [0, 1]
    assert table.loc[1, "selection rate"] == pytest.approx(y_pred[groups == 1].mean())


def test_bootstrap_interval_contains_the_value_and_narrows_with_data():
    small = fairness.bootstrap(fairness.gaps, sample(n=200), seed=0, rounds=100)
    large = fairness.bootstrap(fairness.gaps, sample(n=4000), seed=0, rounds=100)
    assert (small["low"] <= small["value"]).all() and (small["value"] <= small["high"]).all()
    width = lambda t: t["high"] - t["low"]  # noqa: E731
    assert (width(large) < width(small)).all()
    with pytest.raises(ValueError, match="at least 10"):
        fairness.bootstrap(fairness.gaps, sample(), seed=0, rounds=3)


def test_flip_rate_is_zero_for_a_model_that_ignores_the_column():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.normal(size=300), "physlm": rng.integers(0, 2, 300)})
    y = (frame["x"] + 2 * frame["physlm"] > 1).astype(int)
    aware = LogisticRegression().fit(frame, y)
    blind = LogisticRegression().fit(frame.assign(physlm=0), y)
    assert fairness.flip_rate(aware, frame) > 0.2
    assert fairness.flip_rate(blind, frame) == 0.0
    with pytest.raises(KeyError, match="no column 'sex'"):
        fairness.flip_rate(aware, frame, "sex")


def test_load_health_has_a_binary_sensitive_attribute():
    features, target = fairness.load_health()
    assert set(features[fairness.SENSITIVE].unique()) == {0, 1}
    assert len(features) == len(target) > 19_000
    assert 0.2 < target.mean() < 0.35


def test_mitigation_closes_the_equalized_odds_gap():
    features, target = fairness.load_health()
    features, target = features.iloc[:6000], target.iloc[:6000]
    blind = features.drop(columns=fairness.SENSITIVE)
    model = fairness.classifier(0).fit(blind, target)
    groups = features[fairness.SENSITIVE]
    before = fairness.gaps(target, model.predict(blind), groups)
    fair = fairness.mitigate(model, blind, target, groups, seed=0)
    after = fairness.gaps(target, fair.predict(blind, sensitive_features=groups,
                                                random_state=0), groups)
    assert after["equalized odds difference"] < before["equalized odds difference"] / 2


def test_an_unaware_classifier_takes_the_column_but_ignores_it():
    features, target = fairness.load_health()
    features, target = features.iloc[:3000], target.iloc[:3000]
    blind = fairness.classifier(0, ignore=(fairness.SENSITIVE,)).fit(features, target)
    aware = fairness.classifier(0).fit(features, target)
    assert fairness.flip_rate(blind, features) == 0.0
    assert fairness.flip_rate(aware, features) > 0.05
