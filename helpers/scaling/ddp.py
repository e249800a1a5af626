"""Data-parallel training: DistributedDataParallel on gloo, and the one-process run it equals.

Each rank holds a full copy of the model and a disjoint shard of every global batch
(`DistributedSampler`); after the backward pass DDP averages the gradients over the ranks, so
every copy takes the same step as one process would on the whole global batch. `train_single`
is that one process; `train_ranks` runs inside each rank (started by `torchrun`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True)
class Setup:
    """One training run: data size, model width, batch per rank, epochs, learning rate."""

    rows: int = 2048
    features: int = 16
    hidden: int = 64
    per_rank: int = 32
    epochs: int = 2
    lr: float = 0.05
    seed: int = 0


def make_data(setup: Setup) -> tuple[torch.Tensor, torch.Tensor]:
    """A regression data set every rank can make for itself (the same in every process)."""
    import torch

    generator = torch.Generator().manual_seed(setup.seed)
    x = torch.randn(setup.rows, setup.features, generator=generator)
    y = torch.sin(x[:, :1] * 2) + 0.5 * x[:, 1:2] * x[:, 2:3]
    return x, y


def make_model(setup: Setup) -> torch.nn.Module:
    """An MLP with two hidden layers, initialised from the seed (identical on every rank)."""
    import torch

    torch.manual_seed(setup.seed)
    return torch.nn.Sequential(
        torch.nn.Linear(setup.features, setup.hidden), torch.nn.ReLU(),
        torch.nn.Linear(setup.hidden, setup.hidden), torch.nn.ReLU(),
        torch.nn.Linear(setup.hidden, 1))


def rank_order(rows: int, world: int, rank: int, epoch: int, seed: int,
               set_epoch: bool = True) -> list[int]:
    """The sample indices rank `rank` sees in `epoch`, as DistributedSampler hands them out."""
    from torch.utils.data import DistributedSampler

    sampler = DistributedSampler(range(rows), num_replicas=world, rank=rank, shuffle=True,
                                 seed=seed, drop_last=True)
    if set_epoch:
        sampler.set_epoch(epoch)
    return list(sampler)


def global_batches(setup: Setup, world: int, epoch: int) -> list[list[int]]:
    """Step by step, the union of what every rank sees: the global batch of that step."""
    orders = [rank_order(setup.rows, world, r, epoch, setup.seed) for r in range(world)]
    steps = len(orders[0]) // setup.per_rank
    return [[i for order in orders for i in order[s * setup.per_rank:(s + 1) * setup.per_rank]]
            for s in range(steps)]


def check_divisible(setup: Setup, world: int) -> None:
    """Equal shards and full batches on every rank, or a clear error."""
    if setup.rows % (world * setup.per_rank):
        raise ValueError(f"rows ({setup.rows}) must be a multiple of world * per_rank "
                         f"({world} * {setup.per_rank}) so every rank gets full batches")


def train_single(setup: Setup, world: int, device: torch.device | None = None,
                 ) -> tuple[torch.nn.Module, list[float]]:
    """One process, global batch = world * per_rank; returns the model and seconds per epoch."""
    import torch

    check_divisible(setup, world)
    device = device or torch.device("cpu")
    x, y = (t.to(device) for t in make_data(setup))
    model = make_model(setup).to(device)
    optimiser = torch.optim.SGD(model.parameters(), lr=setup.lr)
    seconds = []
    for epoch in range(setup.epochs):
        start = time.perf_counter()
        for batch in global_batches(setup, world, epoch):
            index = torch.tensor(batch, device=device)
            _step(model, optimiser, x[index], y[index])
        seconds.append(time.perf_counter() - start)
    return model.cpu(), seconds


def _step(model, optimiser, x, y) -> None:
    """One SGD step on the mean squared error."""
    import torch

    optimiser.zero_grad()
    torch.nn.functional.mse_loss(model(x), y).backward()
    optimiser.step()


def train_ranks(setup: Setup, set_epoch: bool = True) -> tuple[torch.nn.Module, list[float]]:
    """Inside a rank: DDP over the process group; returns the model and seconds per epoch."""
    import torch
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel
    from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

    world, rank = dist.get_world_size(), dist.get_rank()
    check_divisible(setup, world)
    data = TensorDataset(*make_data(setup))
    sampler = DistributedSampler(data, num_replicas=world, rank=rank, shuffle=True,
                                 seed=setup.seed, drop_last=True)
    loader = DataLoader(data, batch_size=setup.per_rank, sampler=sampler)
    model = DistributedDataParallel(make_model(setup))
    optimiser = torch.optim.SGD(model.parameters(), lr=setup.lr)
    seconds = []
    for epoch in range(setup.epochs):
        if set_epoch:
            sampler.set_epoch(epoch)  # forget this and every epoch repeats epoch 0's order
        dist.barrier()
        start = time.perf_counter()
        for x, y in loader:
            _step(model, optimiser, x, y)
        dist.barrier()
        seconds.append(time.perf_counter() - start)
    return model.module, seconds


def max_weight_difference(a: torch.nn.Module, b: torch.nn.Module) -> float:
    """The largest absolute difference between two models' parameters."""
    return max(float((p - q).abs().max()) for p, q in
               zip(a.state_dict().values(), b.state_dict().values(), strict=True))


def parameter_count(setup: Setup) -> int:
    """Parameters of the model this setup trains."""
    f, h = setup.features, setup.hidden
    return f * h + h + h * h + h + h + 1
