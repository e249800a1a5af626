"""A small torch classifier whose every source of randomness is an explicit seed (Chapter 1)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn

from helpers.device import pick_device


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of `train_mlp`; small so a run takes a fraction of a second."""

    hidden: int = 16
    epochs: int = 30
    batch_size: int = 64
    lr: float = 0.01

    def as_dict(self) -> dict:
        """Plain dict, for manifests."""
        return asdict(self)


class Standardize(nn.Module):
    """Scale features with the training set's mean and std, stored inside the model."""

    def __init__(self, mean: np.ndarray, std: np.ndarray) -> None:
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.as_tensor(np.where(std > 0, std, 1.0)).float())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x - self.mean) / self.std


def split(
    features: np.ndarray, target: np.ndarray, split_seed: int, test_size: float = 0.25
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stratified train/test split whose randomness is its own seed."""
    return train_test_split(
        features, target, test_size=test_size, random_state=split_seed, stratify=target
    )


def mlp(scale: Standardize, hidden: int, n_classes: int) -> nn.Sequential:
    """The course's classifier: standardize, one hidden ReLU layer, class scores."""
    n_features = scale.mean.shape[0]
    return nn.Sequential(scale, nn.Linear(n_features, hidden), nn.ReLU(),
                         nn.Linear(hidden, n_classes))


def load_mlp(state: dict[str, torch.Tensor]) -> nn.Sequential:
    """An `mlp` with saved weights (``model.state_dict()``), its shapes read from them."""
    hidden, n_features = state["1.weight"].shape
    scale = Standardize(np.zeros(n_features), np.ones(n_features))
    model = mlp(scale, hidden, state["3.weight"].shape[0])
    model.load_state_dict(state)
    return model.eval()


def train_mlp(
    x_train: np.ndarray,
    y_train: np.ndarray,
    seed: int,
    config: TrainConfig = TrainConfig(),
    device: torch.device | None = None,
) -> nn.Module:
    """Train a one-hidden-layer MLP; `seed` fixes the initial weights and the batch order."""
    device = device or pick_device()
    x_train = np.asarray(x_train, dtype=np.float32)
    torch.manual_seed(seed)
    n_classes = int(np.max(y_train)) + 1
    scale = Standardize(x_train.mean(axis=0), x_train.std(axis=0))
    model = mlp(scale, config.hidden, n_classes).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
    inputs = torch.as_tensor(x_train, device=device)
    labels = torch.as_tensor(np.asarray(y_train), dtype=torch.long, device=device)
    order_rng = torch.Generator().manual_seed(seed)
    for _ in range(config.epochs):
        for batch in torch.randperm(len(inputs), generator=order_rng).split(config.batch_size):
            batch = batch.to(device)
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(inputs[batch]), labels[batch])
            loss.backward()
            optimizer.step()
    return model.eval()


@torch.no_grad()
def predict(model: nn.Module, features: np.ndarray) -> np.ndarray:
    """Class predictions as a numpy array."""
    device = next(model.parameters()).device
    inputs = torch.as_tensor(np.asarray(features, dtype=np.float32), device=device)
    return model(inputs).argmax(dim=1).cpu().numpy()


def accuracy(model: nn.Module, features: np.ndarray, target: np.ndarray) -> float:
    """Fraction of correct predictions."""
    return float(np.mean(predict(model, features) == np.asarray(target)))


def train_and_score(
    features: np.ndarray,
    target: np.ndarray,
    *,
    split_seed: int,
    init_seed: int,
    config: TrainConfig = TrainConfig(),
) -> tuple[nn.Module, float]:
    """Split, train and return the model with its test accuracy: one full experiment."""
    x_train, x_test, y_train, y_test = split(features, target, split_seed)
    model = train_mlp(x_train, y_train, seed=init_seed, config=config)
    return model, accuracy(model, x_test, y_test)
