"""Pruning reaches the requested sparsity; dense sizes stay, sparse and zipped sizes shrink."""

import numpy as np
import pytest

from helpers.compression import models, prune


@pytest.fixture
def model():
    import torch

    torch.manual_seed(0)
    return models.mlp([16, 64, 64, 4])


@pytest.mark.parametrize("amount", [0.0, 0.5, 0.9])
def test_magnitude_prune_reaches_the_sparsity_and_keeps_the_original(model, amount):
    pruned = prune.magnitude_prune(model, amount)
    assert prune.sparsity(pruned) == pytest.approx(amount, abs=0.01)
    assert prune.sparsity(model) == 0.0
    assert "weight_orig" not in dict(pruned.named_parameters())  # made permanent


def test_magnitude_prune_removes_the_smallest_weights(model):
    pruned = prune.magnitude_prune(model, 0.5)
    before = np.concatenate([lay.weight.detach().abs().numpy().ravel()
                             for lay in prune.linear_layers(model)])
    after = np.concatenate([lay.weight.detach().numpy().ravel()
                            for lay in prune.linear_layers(pruned)])
    assert before[after == 0].max() <= before[after != 0].min()


def test_magnitude_prune_rejects_bad_sparsity(model):
    with pytest.raises(ValueError, match="sparsity"):
        prune.magnitude_prune(model, 1.0)


def test_sizes_dense_same_sparse_and_zipped_smaller(model):
    pruned = prune.magnitude_prune(model, 0.9)
    assert abs(prune.dense_bytes(pruned) - prune.dense_bytes(model)) < 200
    assert prune.sparse_bytes(pruned) < 0.3 * prune.sparse_bytes(model)
    assert prune.zipped_bytes(pruned) < 0.5 * prune.zipped_bytes(model)


def test_remove_neurons_shrinks_and_keeps_the_strongest(model):
    import torch

    smaller = prune.remove_neurons(model, 0.25)
    assert models.widths_of(smaller) == [16, 16, 16, 4]
    assert smaller(torch.zeros(3, 16)).shape == (3, 4)
    full = prune.remove_neurons(model, 1.0)
    rows = np.random.default_rng(0).random((5, 16)).astype(np.float32)
    np.testing.assert_allclose(models.logits(full, rows), models.logits(model, rows), atol=1e-5)
    with pytest.raises(ValueError, match="keep"):
        prune.remove_neurons(model, 0.0)


def test_remove_neurons_keeps_the_output_of_dead_neurons_removed():
    import torch

    model = models.mlp([4, 6, 2])
    with torch.no_grad():
        model[0].weight[3:] = 0  # neurons 3..5 have no input weights
        model[0].bias[3:] = -1  # and never fire: removing them changes nothing
    smaller = prune.remove_neurons(model, 0.5)
    rows = np.random.default_rng(1).random((5, 4)).astype(np.float32)
    np.testing.assert_allclose(models.logits(smaller, rows), models.logits(model, rows),
                               atol=1e-6)
