"""The chapter's MLP: shapes, training that learns, a checkpoint that is reused, not retrained."""

import numpy as np
import pytest
import torch

from helpers.compression import models


def blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    features = rng.normal(size=(n, 8)).astype(np.float32) + 3 * np.eye(8)[labels].astype(
        np.float32)
    return features, labels


def test_mlp_has_the_requested_widths_and_rejects_bad_ones():
    model = models.mlp([8, 16, 3])
    assert models.widths_of(model) == [8, 16, 3]
    assert model(torch.zeros(2, 8)).shape == (2, 3)
    with pytest.raises(ValueError, match="at least"):
        models.mlp([8])


def test_fit_learns_separable_blobs():
    features, labels = blobs()
    model = models.fit(models.mlp([8, 16, 3]), features, labels, epochs=30, lr=1e-2, seed=0,
                       device="cpu")
    assert models.accuracy(models.logits(model, features), labels) > 0.9
    assert not model.training


def test_fit_is_deterministic_for_a_seed():
    features, labels = blobs()
    runs = [models.logits(models.fit(models.mlp([8, 4, 3]), features, labels, epochs=2,
                                     seed=3, device="cpu"), features)
            for _ in range(2) if torch.manual_seed(0) is not None]
    np.testing.assert_array_equal(runs[0], runs[1])


def test_accuracy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="one row of class scores per label"):
        models.accuracy(np.zeros(5), np.zeros(5))


def test_load_or_train_trains_once_then_loads(tmp_path):
    features, labels = blobs()
    calls = []

    def train(model):
        calls.append(1)
        return models.fit(model, features, labels, epochs=1, seed=0, device="cpu")

    path = tmp_path / "ch09" / "mlp.pt"
    first, trained = models.load_or_train(path, [8, 4, 3], train)
    second, trained_again = models.load_or_train(path, [8, 4, 3], train)
    assert (trained, trained_again, len(calls)) == (True, False, 1)
    np.testing.assert_array_equal(models.logits(first, features), models.logits(second, features))
    path.write_bytes(b"not a checkpoint")
    _, retrained = models.load_or_train(path, [8, 4, 3], train)
    assert retrained and len(calls) == 2


def test_digits_split_is_scaled_and_stratified():
    x_train, x_test, _, y_test = models.digits_split(0)
    assert x_train.dtype == np.float32 and x_train.min() >= 0 and x_train.max() <= 1
    assert len(x_train) + len(x_test) == 1797 and set(y_test) == set(range(10))
