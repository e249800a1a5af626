"""Start a `torchrun` job from a notebook, and check that nothing it started is left.

Worker processes cannot be spawned from a notebook's ``__main__`` (it is not an importable
file), so the training code is a real module and `torchrun` (``python -m
torch.distributed.run``) starts one process per rank, each running that module.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psutil

THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


def torchrun_command(module: str, nproc: int, args: list[str]) -> list[str]:
    """The command line: one machine (--standalone), `nproc` ranks, each running `module`."""
    if nproc < 1:
        raise ValueError(f"nproc must be at least 1, got {nproc}")
    return [sys.executable, "-m", "torch.distributed.run", "--standalone",
            f"--nproc_per_node={nproc}", "-m", module, *args]


def run(module: str, nproc: int, args: list[str], log: Path, timeout: float = 300.0,
        ) -> subprocess.CompletedProcess:
    """Run the job to the end, one thread per rank; raise with the log's tail if it fails."""
    env = {**os.environ, **dict.fromkeys(THREAD_VARS, "1"), "PYTHONUNBUFFERED": "1"}
    with Path(log).open("w") as handle:
        done = subprocess.run(torchrun_command(module, nproc, args), env=env, stdout=handle,
                              stderr=subprocess.STDOUT, timeout=timeout, check=False)
    if done.returncode != 0:
        tail = "\n".join(Path(log).read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"torchrun {module} failed with exit code {done.returncode}; "
                           f"the end of its log:\n{tail}")
    return done


TRACKER = "multiprocessing.resource_tracker"  # one per process that used multiprocessing


def live_children() -> list[psutil.Process]:
    """Processes this process started (recursively) that still run: should be none at the end.

    Python's multiprocessing resource tracker is not counted: it is started once, by the first
    worker process spawned (Dask's), and exits with this process, not before.
    """
    return [child for child in psutil.Process().children(recursive=True)
            if _running(child) and TRACKER not in " ".join(_cmdline(child))]


def _running(process: psutil.Process) -> bool:
    """True unless the process has exited (zombies included)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _cmdline(process: psutil.Process) -> list[str]:
    """The command line, or nothing if the process has gone."""
    try:
        return process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []
