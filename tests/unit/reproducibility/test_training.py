import numpy as np
import pytest

from helpers import data, hashing, repro
from helpers.reproducibility import training


@pytest.fixture(scope="module")
def wdbc():
    features, target = data.load_wdbc()
    return features.to_numpy(), target.to_numpy()


def test_same_seeds_give_bit_identical_models(wdbc):
    repro.seed_everything(0)
    first, acc1 = training.train_and_score(*wdbc, split_seed=0, init_seed=0)
    second, acc2 = training.train_and_score(*wdbc, split_seed=0, init_seed=0)
    assert hashing.sha256_state_dict(first) == hashing.sha256_state_dict(second)
    assert acc1 == acc2


def test_init_seed_changes_the_model(wdbc):
    repro.seed_everything(0)
    first, _ = training.train_and_score(*wdbc, split_seed=0, init_seed=0)
    other, _ = training.train_and_score(*wdbc, split_seed=0, init_seed=1)
    assert hashing.sha256_state_dict(first) != hashing.sha256_state_dict(other)


def test_model_learns_the_task(wdbc):
    repro.seed_everything(0)
    _, score = training.train_and_score(*wdbc, split_seed=0, init_seed=0)
    assert score > 0.9


def test_standardisation_is_stored_in_the_model(wdbc):
    features, target = wdbc
    model = training.train_mlp(features[:100], target[:100], seed=0,
                               config=training.TrainConfig(epochs=1))
    assert "0.mean" in model.state_dict()
    np.testing.assert_allclose(model.state_dict()["0.mean"].cpu().numpy(),
                               features[:100].mean(axis=0), rtol=1e-5)


def test_constant_feature_does_not_divide_by_zero():
    features = np.ones((20, 2), dtype=np.float32)
    features[:, 1] = np.arange(20)
    target = (np.arange(20) > 9).astype(int)
    model = training.train_mlp(features, target, seed=0, config=training.TrainConfig(epochs=2))
    assert np.isfinite(training.predict(model, features)).all()
