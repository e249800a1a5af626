"""Pick the compute device: CUDA when it is there, else the CPU."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def pick_device(prefer: str | None = None) -> torch.device:
    """Return `prefer` if given, else ``cuda`` when available, else ``cpu``."""
    import torch

    if prefer is not None:
        return torch.device(prefer)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
