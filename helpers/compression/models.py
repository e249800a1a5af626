"""The network to compress: a wide MLP on the digits, trained in seconds, cached on disk."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch


def digits_split(seed: int, test_size: float = 0.3) -> tuple[np.ndarray, ...]:
    """scikit-learn's bundled 8x8 digits scaled to 0..1 (float32): X_train, X_test, y_train,
    y_test, split with stratified classes."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    features, labels = load_digits(return_X_y=True)
    features = (features / 16).astype(np.float32)
    return tuple(train_test_split(features, labels, test_size=test_size, stratify=labels,
                                  random_state=seed))


def mlp(widths: Sequence[int]) -> torch.nn.Sequential:
    """Linear layers of the given widths (inputs, hidden..., classes) with ReLU between them."""
    from torch import nn

    if len(widths) < 2 or any(int(w) < 1 for w in widths):
        raise ValueError(f"widths must be at least (inputs, classes), all >= 1; got {widths}")
    layers: list[nn.Module] = []
    for n_in, n_out in pairwise(widths):
        layers += [nn.Linear(int(n_in), int(n_out)), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def widths_of(model: torch.nn.Sequential) -> list[int]:
    """The widths an `mlp` was built with (reads its Linear layers)."""
    from torch import nn

    linears = [layer for layer in model if isinstance(layer, nn.Linear)]
    return [linears[0].in_features, *(layer.out_features for layer in linears)]


def fit(model: torch.nn.Module, features: np.ndarray, labels: np.ndarray, *, epochs: int,
        batch_size: int = 64, lr: float = 1e-3, seed: int = 0, device: str | None = None,
        loss_fn: Callable | None = None) -> torch.nn.Module:
    """Train with Adam on shuffled mini-batches; returns the model on the CPU in eval mode.

    `loss_fn(logits, labels, rows)` replaces cross-entropy (distillation passes its own; `rows`
    are the batch's row indices, to look up the teacher's outputs).
    """
    import torch

    from helpers.device import pick_device

    device = pick_device(device)
    x = torch.as_tensor(features, dtype=torch.float32, device=device)
    y = torch.as_tensor(labels, dtype=torch.long, device=device)
    loss_fn = loss_fn or (lambda logits, target, rows: torch.nn.functional.cross_entropy(
        logits, target))
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(epochs):
        for rows in torch.randperm(len(x), generator=generator).split(batch_size):
            rows = rows.to(device)
            optimizer.zero_grad()
            loss_fn(model(x[rows]), y[rows], rows).backward()
            optimizer.step()
    return model.cpu().eval()


def logits(model: torch.nn.Module, features: np.ndarray) -> np.ndarray:
    """The model's raw scores for float32 rows, on the CPU, without gradients."""
    import torch

    with torch.inference_mode():
        return model(torch.as_tensor(features, dtype=torch.float32)).float().numpy()


def accuracy(scores: np.ndarray, labels: np.ndarray) -> float:
    """Share of rows whose highest score is the true class."""
    scores = np.asarray(scores)
    if scores.ndim != 2 or len(scores) != len(labels):
        raise ValueError(f"expected one row of class scores per label, got shape {scores.shape} "
                         f"for {len(labels)} labels")
    return float(np.mean(scores.argmax(axis=1) == np.asarray(labels)))


def load_or_train(path: str | Path, widths: Sequence[int], train: Callable[[torch.nn.Module],
                  torch.nn.Module]) -> tuple[torch.nn.Sequential, bool]:
    """The checkpoint at `path` if it exists (weights only, never unpickled code), else train.

    `train(model)` trains a fresh `mlp(widths)`; its weights are saved to `path` for next time.
    Returns the model and whether it was trained now. Name the file after everything that
    changes the weights (widths, epochs, seed), so another setting never loads a stale one.
    """
    import torch

    path = Path(path)
    model = mlp(widths)
    if path.exists():
        try:
            model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
            return model.eval(), False
        except (RuntimeError, EOFError, ValueError, pickle.UnpicklingError):  # broken: retrain
            path.unlink()
    model = train(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    torch.save(model.state_dict(), temporary)
    temporary.replace(path)  # atomic: a crash never leaves half a checkpoint
    return model.eval(), True
