"""Control the sources of run-to-run variation: random seeds and thread counts (Chapter 1)."""

from __future__ import annotations

import os
import random
from dataclasses import asdict, dataclass

import numpy as np

THREAD_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


@dataclass(frozen=True)
class ReproSettings:
    """What `seed_everything` set, so it can be written into a run manifest."""

    seed: int
    threads: int
    torch_seeded: bool
    cuda_deterministic: bool


def limit_threads(threads: int) -> None:
    """Cap BLAS/OpenMP threads now (threadpoolctl) and for child processes (env vars)."""
    from threadpoolctl import threadpool_limits

    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    for var in THREAD_ENV_VARS:
        os.environ[var] = str(threads)
    threadpool_limits(limits=threads)


def seed_everything(seed: int, threads: int = 1, torch: bool = True) -> ReproSettings:
    """Seed python, numpy and (optionally) torch, and limit threads, in one explicit call.

    With CUDA present, torch is also switched to deterministic kernels (see `_seed_torch`).
    """
    if not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    limit_threads(threads)
    random.seed(seed)
    np.random.seed(seed)  # legacy global RNG, still used by some libraries
    cuda_deterministic = _seed_torch(seed, threads) if torch else False
    return ReproSettings(seed, threads, torch_seeded=torch, cuda_deterministic=cuda_deterministic)


def _seed_torch(seed: int, threads: int) -> bool:
    """Seed torch on every device; on CUDA also ask for deterministic kernels.

    The CPU kernels the course uses are deterministic for a fixed thread count. On a GPU,
    some are not (atomic adds), so there we switch torch to its deterministic algorithms,
    which also needs the cuBLAS workspace setting. The switch is skipped on the CPU because
    it imports torch's compiler stack, which costs seconds per process. Returns whether the
    CUDA switch was made.
    """
    import torch as _torch

    _torch.manual_seed(seed)  # also seeds every CUDA device
    _torch.set_num_threads(threads)
    if not _torch.cuda.is_available():
        return False
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    _torch.use_deterministic_algorithms(True)
    _torch.backends.cudnn.benchmark = False
    return True


def settings_dict(settings: ReproSettings) -> dict:
    """The settings as a plain dict (for JSON manifests)."""
    return asdict(settings)
