"""Replicas of the Chapter 3 service: ``uvicorn --workers N``, measured with locust.

With ``--workers N`` uvicorn opens one listening socket and starts N worker processes that
all accept from it; the kernel hands each new connection to one of them, which is the load
balancer on one machine. Every worker loads its own copy of the model, so memory grows with N.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import psutil

from helpers.scaling import replica_app
from helpers.service import bench, process

ONE_CALL = bench.Mode("one call per request", "/predict", 0.0)


@dataclass(frozen=True)
class ReplicaRun:
    """One load test of a server with `workers` worker processes."""

    workers: int
    users: int
    requests: int
    failures: int
    p50_ms: float
    p99_ms: float
    rps: float
    worker_mb: float  # mean unique memory (USS) of one worker process
    total_mb: float  # the whole process tree: supervisor, workers, helpers


def memory(server: process.Server) -> tuple[list[float], float]:
    """USS in MB of each worker process (the supervisor, when there is no worker), and of all."""
    root = psutil.Process(server.process.pid)
    tree = [root, *root.children(recursive=True)]
    sizes = {p.pid: p.memory_full_info().uss / 1e6 for p in tree}
    workers = [p.pid for p in tree if "multiprocessing.spawn" in " ".join(p.cmdline())
               and "resource_tracker" not in " ".join(p.cmdline())]
    return [sizes[pid] for pid in (workers or [root.pid])], sum(sizes.values())


def start(env: dict[str, str], workers: int, log_dir: Path, timeout: float = 120.0,
          app: str = replica_app.APP,
          ) -> process.Server:
    """Start the service with `workers` worker processes and wait until it is ready."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    extra = ("--workers", str(workers)) if workers > 1 else ()
    server = process.start(env, log_dir, extra, app=app)
    try:
        process.wait_ready(server, timeout)
        _wait_all_workers(server, workers, timeout)
    except BaseException:
        process.stop(server)
        raise
    return server


def _wait_all_workers(server: process.Server, workers: int, timeout: float) -> None:
    """With several workers, /ready answers as soon as one is up: wait for every one to say so."""
    deadline = time.monotonic() + timeout
    pattern = "Application startup complete"
    while server.log_path.read_text(errors="replace").count(pattern) < workers:
        if time.monotonic() > deadline:
            raise process.ServerStartError(f"not all {workers} workers started:\n"
                                           f"{server.log_tail()}")
        time.sleep(0.05)


def load_test(server: process.Server, api_key: str, rows: np.ndarray, users: list[int],
              seconds: float) -> list[bench.LoadResult]:
    """One locust process, one stage per number of clients, one model call per request."""
    stages = bench.plan_stages([ONE_CALL], users)
    with tempfile.TemporaryDirectory(prefix="replicas-") as tmp:
        rows_file = Path(tmp) / "rows.json"
        rows_file.write_text(json.dumps(np.asarray(rows).tolist()))
        return bench.run_locust(server.url, api_key, stages, seconds, 64, rows_file, Path(tmp))


def measure(env: dict[str, str], api_key: str, workers: int, rows: np.ndarray,
            users: list[int], seconds: float, log_dir: Path, samples: int = 0,
            ) -> tuple[list[ReplicaRun], np.ndarray, np.ndarray]:
    """Start N workers, time `samples` single requests, load-test, read memory, stop.

    Returns one `ReplicaRun` per number of clients, the single-request times of /predict and
    of /health (no model: the HTTP part of a request), in seconds.
    """
    server = start(env, workers, log_dir)
    try:
        times = service_times(server, api_key, rows, samples)
        health = health_times(server, samples)
        per_worker, total = memory(server)
        results = load_test(server, api_key, rows, users, seconds)
    finally:
        process.stop(server)
    if server.alive():
        raise RuntimeError(f"server processes survived the stop: {server.alive()}")
    runs = [ReplicaRun(workers, r.users, r.requests, r.failures, r.p50_ms, r.p99_ms, r.rps,
                       float(np.mean(per_worker)), total) for r in results]
    return runs, times, health


def service_times(server: process.Server, api_key: str, rows: np.ndarray, count: int,
                  ) -> np.ndarray:
    """Seconds each of `count` requests took when sent one at a time: the service time."""
    times = []
    with process.client(server, api_key) as http:
        for i in range(count):
            body = {"features": np.asarray(rows[i % len(rows)]).tolist()}
            start = time.perf_counter()
            http.post("/predict", json=body).raise_for_status()
            times.append(time.perf_counter() - start)
    return np.asarray(times)


def health_times(server: process.Server, count: int) -> np.ndarray:
    """Seconds each of `count` GET /health requests took, one at a time: HTTP without a model."""
    times = []
    with process.client(server) as http:
        for _ in range(count):
            start = time.perf_counter()
            http.get("/health").raise_for_status()
            times.append(time.perf_counter() - start)
    return np.asarray(times)
