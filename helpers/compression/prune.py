"""Pruning: zero the smallest weights (unstructured), or remove whole neurons (structured).

Unstructured pruning leaves every matrix its full shape, so a dense kernel does the same work
and a dense file has the same size; only a sparse format or a compressor turns the zeros into
savings. Structured pruning removes rows and columns, so the model itself gets smaller.
"""

from __future__ import annotations

import copy
import io
import zipfile
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch


def linear_layers(model: torch.nn.Module) -> list[torch.nn.Linear]:
    """The model's Linear layers, in order."""
    from torch import nn

    return [module for module in model.modules() if isinstance(module, nn.Linear)]


def magnitude_prune(model: torch.nn.Module, sparsity: float) -> torch.nn.Module:
    """A copy with the `sparsity` share of all Linear weights with the smallest |w| set to 0.

    Global over all layers (`torch.nn.utils.prune.global_unstructured`, L1), then made
    permanent (`prune.remove`), so the copy is a plain model whose weights hold the zeros.
    """
    from torch.nn.utils import prune

    if not 0.0 <= sparsity < 1.0:
        raise ValueError(f"sparsity must be in [0, 1), got {sparsity}")
    pruned = copy.deepcopy(model)
    targets = [(layer, "weight") for layer in linear_layers(pruned)]
    prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=sparsity)
    for layer, name in targets:
        prune.remove(layer, name)
    return pruned


def sparsity(model: torch.nn.Module) -> float:
    """Share of the Linear weights that are exactly zero (biases not counted)."""
    weights = [layer.weight.detach() for layer in linear_layers(model)]
    zeros = sum(int((w == 0).sum()) for w in weights)
    return zeros / sum(w.numel() for w in weights)


def dense_bytes(model: torch.nn.Module) -> int:
    """Size of the state dict as `torch.save` writes it (every zero stored in full)."""
    import torch

    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes


def zipped_bytes(model: torch.nn.Module) -> int:
    """Size of the saved state dict after deflate compression (zeros compress well)."""
    import torch

    raw, packed = io.BytesIO(), io.BytesIO()
    torch.save(model.state_dict(), raw)
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("model.pt", raw.getvalue())
    return packed.getbuffer().nbytes


def sparse_bytes(model: torch.nn.Module) -> int:
    """Bytes to store every weight matrix in CSR form (float32 values, int32 indices) + biases."""
    total = 0
    for layer in linear_layers(model):
        weight = layer.weight.detach().numpy()
        nonzero = int(np.count_nonzero(weight))
        total += nonzero * (4 + 4) + (weight.shape[0] + 1) * 4  # values, columns, row starts
        total += layer.bias.numel() * 4 if layer.bias is not None else 0
    return total


def remove_neurons(model: torch.nn.Sequential, keep: float) -> torch.nn.Sequential:
    """A smaller MLP keeping the `keep` share of each hidden layer's neurons (largest L2 norm).

    A hidden neuron is a row of one Linear layer and a column of the next; both go together,
    so the result is a dense network with narrower layers (`helpers.compression.models.mlp`).
    """
    from helpers.compression.models import mlp

    if not 0.0 < keep <= 1.0:
        raise ValueError(f"keep must be in (0, 1], got {keep}")
    layers = linear_layers(model)
    kept = [np.arange(layers[0].in_features)]
    for layer in layers[:-1]:
        norms = layer.weight.detach().norm(dim=1).numpy()
        count = max(1, round(keep * len(norms)))
        kept.append(np.sort(np.argsort(-norms, kind="stable")[:count]))
    kept.append(np.arange(layers[-1].out_features))
    smaller = mlp([len(index) for index in kept])
    for old, new, rows, cols in zip(layers, linear_layers(smaller), kept[1:], kept[:-1],
                                    strict=True):
        new.weight.data = old.weight.detach()[rows][:, cols].clone()
        new.bias.data = old.bias.detach()[rows].clone()
    return smaller.eval()
