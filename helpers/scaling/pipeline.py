"""Model parallelism: the layers of one model on two ranks, activations sent between them.

Rank 0 runs the first half of the layers on each micro-batch and sends the activations to
rank 1 (`torch.distributed.send`), which runs the second half and sends the outputs back.
While rank 1 works on micro-batch k, rank 0 already computes micro-batch k + 1: a two-stage
pipeline. No rank ever holds the whole model, which is the reason to split one.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def make_model(features: int, hidden: int, layers: int, seed: int) -> torch.nn.Sequential:
    """A deep MLP: `layers` hidden blocks of Linear + ReLU, then one output."""
    import torch

    torch.manual_seed(seed)
    blocks: list[torch.nn.Module] = []
    width = features
    for _ in range(layers):
        blocks += [torch.nn.Linear(width, hidden), torch.nn.ReLU()]
        width = hidden
    return torch.nn.Sequential(*blocks, torch.nn.Linear(width, 1))


def split(model: torch.nn.Sequential, stages: int = 2) -> list[torch.nn.Sequential]:
    """Cut the model into `stages` consecutive parts with (about) equal numbers of layers."""
    import torch

    children = list(model.children())
    if not 1 <= stages <= len(children):
        raise ValueError(f"cannot split {len(children)} layers into {stages} stages")
    bounds = [round(i * len(children) / stages) for i in range(stages + 1)]
    return [torch.nn.Sequential(*children[a:b]) for a, b in itertools.pairwise(bounds)]


def parameters(module: torch.nn.Module) -> int:
    """Number of parameters a module (or a stage) holds."""
    return sum(p.numel() for p in module.parameters())


def run_stage(model: torch.nn.Sequential, x: torch.Tensor, micro_batches: int,
              ) -> torch.Tensor | None:
    """Inside a rank of a 2-rank group: run my stage; rank 0 returns the model's outputs."""
    import torch
    import torch.distributed as dist

    rank, hidden = dist.get_rank(), model[0].out_features
    stage = split(model, 2)[rank]  # a real job would build only its own stage
    chunks = x.chunk(micro_batches)
    with torch.no_grad():
        if rank == 0:
            sends = [dist.isend(stage(chunk).contiguous(), dst=1) for chunk in chunks]
            outputs = [torch.empty(len(chunk), 1) for chunk in chunks]
            for out in outputs:
                dist.recv(out, src=1)
            for request in sends:
                request.wait()
            return torch.cat(outputs)
        for chunk in chunks:
            activation = torch.empty(len(chunk), hidden)
            dist.recv(activation, src=0)
            dist.send(stage(activation).contiguous(), dst=0)
    return None
