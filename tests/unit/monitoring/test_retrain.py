import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient
from sklearn.linear_model import LogisticRegression

from helpers.monitoring import retrain
from helpers.monitoring.quality import Expectations
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
