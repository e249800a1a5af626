"""Serve ONNX models (say, the float32 original and its int8 copy) on a real uvicorn process.

The app is `helpers.compression.app`. `serve` starts it the way Chapter 3 starts its service,
and reuses that chapter's process helpers: port 0 (the OS picks a free port), a readiness
probe, and a clean stop of the process and its children.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

MODELS_ENV = "COMPRESSION_MODELS"  # JSON: {name: [path of an ONNX file, its sha256]}

APP = "helpers.compression.app:create_app"


@contextmanager
def serve(models: Mapping[str, tuple[str | Path, str]], timeout: float = 60.0) -> Iterator[Any]:
    """Start the app on 127.0.0.1 with a free port; yield Chapter 3's `Server`; always stop it."""
    from helpers.service import process

    spec = {name: [str(Path(path).resolve()), digest] for name, (path, digest) in models.items()}
    env = {MODELS_ENV: json.dumps(spec), "OMP_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory(prefix="compression-serve-") as folder:
        server = process.start(env, Path(folder), app=APP)
        try:
            process.wait_ready(server, timeout)
            yield server
        finally:
            process.stop(server)


def served_latency(client: Any, name: str, rows: np.ndarray, requests: int) -> tuple[float,
                                                                                      list[int]]:
    """Best seconds per request over `requests` POSTs of `rows`, and the last answer's classes."""
    from helpers.timing import best_of

    body = {"rows": np.asarray(rows, dtype=float).tolist()}

    def call() -> list[int]:
        answer = client.post(f"/predict/{name}", json=body)
        answer.raise_for_status()
        return answer.json()["predictions"]

    call()  # warm-up
    seconds, predictions = best_of(call, requests)
    return seconds, predictions


def served_throughput(client: Any, name: str, rows: np.ndarray, seconds: float) -> float:
    """Rows answered per second by one client sending `rows` back to back for `seconds`."""
    body = {"rows": np.asarray(rows, dtype=float).tolist()}
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        client.post(f"/predict/{name}", json=body).raise_for_status()
        done += len(rows)
    return done / (time.perf_counter() - start)


def served_in_turns(client: Any, names: list[str], rows: np.ndarray, requests: int,
                    seconds: float) -> dict[str, dict[str, float]]:
    """Per model: best seconds per request over `requests` requests, and rows per second over
    about `seconds` of back-to-back requests; the models take turns request by request, so a
    busy moment on the machine slows them all alike."""
    body = {"rows": np.asarray(rows, dtype=float).tolist()}
    best = dict.fromkeys(names, np.inf)
    busy, done = dict.fromkeys(names, 0.0), dict.fromkeys(names, 0)
    for name in names:  # warm-up
        client.post(f"/predict/{name}", json=body).raise_for_status()
    deadline = time.perf_counter() + seconds * len(names)
    count = 0
    while count < requests or time.perf_counter() < deadline:
        for name in names:
            start = time.perf_counter()
            client.post(f"/predict/{name}", json=body).raise_for_status()
            took = time.perf_counter() - start
            best[name] = min(best[name], took)
            busy[name] += took
            done[name] += len(rows)
        count += 1
    return {name: {"seconds": best[name], "rows_per_s": done[name] / busy[name]}
            for name in names}
