import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient
from sklearn.linear_model import LogisticRegression

from helpers.monitoring import retrain
from helpers.monitoring.quality import Expectations
from helpers.monitoring.stream import Window
from helpers.storage.registry import Registry

NAME = "diagnosis"


def data(flip: bool, seed: int, n: int = 400):
    """Labels follow the sign of feature 0, or its opposite after a concept drift."""
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(n, 3))
    target = (features[:, 0] > 0).astype(int)
    return features, (1 - target) if flip else target


@pytest.fixture
def registry(tmp_path):
    registry = Registry(tmp_path / "registry")
    old = LogisticRegression().fit(*data(flip=False, seed=0))
    version = registry.register(NAME, old, metrics={"accuracy": 1.0}, data_sha256="old")
    registry.promote(NAME, version.version)
    return registry


def test_a_better_challenger_is_promoted_and_the_reason_is_recorded(registry):
    challenger = LogisticRegression().fit(*data(flip=True, seed=1))
    fresh_x, fresh_y = data(flip=True, seed=2)
    decision = retrain.challenge(registry, NAME, challenger, fresh_features=fresh_x,
                                 fresh_target=fresh_y, data_sha256="new", trigger="drift alert")
    assert decision.promoted and decision.challenger_score > 0.9 > decision.champion_score
    assert registry.info(NAME, "champion").version == decision.challenger_version == 2
    assert registry.info(NAME, "challenger").version == 2
    client = MlflowClient(tracking_uri=f"sqlite:///{registry.root}/mlflow.db")
    run_id = client.get_model_version(NAME, "2").run_id
    assert client.get_run(run_id).data.params["decision"].endswith("promoted")
    assert registry.rollback(NAME) == 1


def test_a_worse_challenger_is_registered_but_not_promoted(registry):
    challenger = LogisticRegression().fit(*data(flip=True, seed=1))
    fresh_x, fresh_y = data(flip=False, seed=2)  # the world did not change after all
    decision = retrain.challenge(registry, NAME, challenger, fresh_features=fresh_x,
                                 fresh_target=fresh_y, data_sha256="new", trigger="schedule")
    assert not decision.promoted and "champion kept" in decision.reason
    assert registry.info(NAME, "champion").version == 1
    assert registry.info(NAME, "challenger").version == 2


def test_training_data_that_fails_quality_checks_is_refused_with_the_reason():
    features = pd.DataFrame(data(flip=False, seed=0)[0], columns=["a", "b", "c"])
    expectations = Expectations.learn(features)
    retrain.check_training_data(expectations, features.iloc[:100])  # clean: no error
    broken = features.iloc[:100].copy()
    broken.loc[broken.index[:40], "b"] = np.nan
    with pytest.raises(retrain.TrainingDataRejected, match=r"1 data-quality check.*b: missing") \
            as refused:
        retrain.check_training_data(expectations, broken)
    assert [(v.column, v.check) for v in refused.value.violations] == [("b", "missing")]
    assert "leave the broken windows out" in str(refused.value)


def test_the_gain_interval_is_paired_and_honest_about_small_samples():
    truth = np.array([1, 0] * 25)
    assert retrain.gain_interval(truth, truth, truth) == (0.0, 0.0)
    wrong = 1 - truth
    low, high = retrain.gain_interval(truth, wrong, truth)
    assert low == high == 1.0
    champion = truth.copy()
    champion[:10] = 1 - champion[:10]  # 40 of 50 right
    challenger = truth.copy()
    challenger[10:18] = 1 - challenger[10:18]  # 42 of 50 right: +0.04, on other rows
    low, high = retrain.gain_interval(truth, champion, challenger)
    assert low < 0 < 0.04 < high


def test_a_point_estimate_win_on_a_small_window_is_not_a_promotion(registry):
    champion = registry.load(NAME, "champion")[0]
    challenger = LogisticRegression(C=0.01).fit(*data(flip=False, seed=1))
    candidates = data(flip=False, seed=3, n=5000)[0]
    differ = champion.predict(candidates) != challenger.predict(candidates)
    fresh_x = np.concatenate([candidates[differ][:2], candidates[~differ][:38]])
    fresh_y = challenger.predict(fresh_x)  # the challenger is right on 2 more rows of 40
    decision = retrain.challenge(registry, NAME, challenger, fresh_features=fresh_x,
                                 fresh_target=fresh_y, data_sha256="new", trigger="test")
    assert decision.challenger_score == 1.0 and decision.champion_score == 0.95
    assert decision.gain_low <= 0 < decision.gain_high and not decision.promoted
    assert "interval of the gain" in decision.reason
    assert registry.info(NAME, "champion").version == 1


def windows(n=7, flip_from=3, size=200):
    out = []
    for i in range(n):
        x, y = data(flip=i >= flip_from, seed=10 + i, n=size)
        out.append(Window(i, pd.DataFrame(x, columns=list("abc")), pd.Series(y), i >= flip_from,
                          np.array(["A"] * size)))
    return out


def test_the_loop_retrains_after_a_concept_drift_and_recovers(registry):
    stream = windows()
    champion = registry.load(NAME, "champion")[0]

    def fit(x, y):
        return LogisticRegression().fit(x.to_numpy(), y)

    left_alone, none = retrain.retraining_loop(stream, champion, fit, baseline=1.0, label_lag=1)
    assert none == [] and max(left_alone[3:]) < 0.1
    scores, decisions = retrain.retraining_loop(
        stream, champion, fit, baseline=1.0, label_lag=1, registry=registry, name=NAME,
        expectations=Expectations.learn(stream[0].features), train_windows=1)
    assert registry.info(NAME, decisions[0][1].challenger_version).data_sha256 != "old"
    assert decisions[0][0] == 4  # the labels of window 3 came in 4
    assert any(d.promoted for _, d in decisions) and scores[-1] > 0.9
