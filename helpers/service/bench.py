"""The serving load benchmark: locust at 1 and 64 clients (or any list) against serving modes.

Modes: a no-op route on the same server (the ceiling: what HTTP, the framework and the load
generator cost with no model at all), then (a) one model call per request, (b) dynamic
micro-batching, (c) the ONNX Runtime backend, (d) micro-batching on ONNX Runtime. One real
headless locust process runs a stage for each mode and number of clients against a real
uvicorn server; locust's statistics of each stage (written as CSV by the locustfile) give
latency percentiles and throughput, and `with_ceiling` puts each mode as a fraction of the
no-op route at the same number of clients, measured in the same run.

Locust's clients are a closed loop (each waits for its answer before sending again), so the
offered load drops when the server slows down: queueing is hidden, not absent. Overload is
shown with an open-loop burst instead (`helpers.service.traffic.burst`).

``python -m helpers.service.bench`` trains a forest, registers it in a temporary registry,
starts the server and prints the table; ``--seconds 30 --trees 300`` for a longer run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpers.service import process
from helpers.timing import best_of

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
USERS = (1, 64)
CEILING = "no-op route (ceiling)"


@dataclass(frozen=True)
class Mode:
    """A way of serving: the route clients call, its method and the batching window (0 = off)."""

    name: str
    path: str
    window_ms: float
    method: str = "POST"


def default_modes(window_ms: float = 5.0) -> list[Mode]:
    """The four modes the chapter compares, then the ceiling (last: locust is warm by then)."""
    return [
        Mode("one call per request", "/predict", 0.0),
        Mode("micro-batching", "/predict", window_ms),
        Mode("onnx runtime", "/predict?backend=onnx", 0.0),
        Mode("batching + onnx", "/predict?backend=onnx", window_ms),
        Mode(CEILING, "/health", 0.0, "GET"),
    ]


@dataclass(frozen=True)
class LoadResult:
    """One locust run: how many requests, how many failed, latency percentiles, throughput."""

    mode: str
    users: int
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float


def parse_stages(path: str | Path) -> list[dict[str, float]]:
    """The rows the locustfile's `StagedLoad` wrote: one per stage (number of clients)."""
    with Path(path).open(newline="") as handle:
        rows = [{key: _number(value) for key, value in row.items()}
                for row in csv.DictReader(handle)]
    if not rows:
        raise ValueError(f"{Path(path).name} has no stage rows: did locust run at all?")
    return rows


def _number(text: str) -> float:
    """A CSV cell as a float; N/A (no request finished in that stage) becomes NaN."""
    return float("nan") if text.strip() in ("", "N/A") else float(text)


def plan_stages(modes: Iterable[Mode], users: Iterable[int]) -> list[dict]:
    """Every mode at every client count, in order: the stages of one locust run.

    Between two modes comes a stage with no clients (users 0, not reported): the requests
    still in flight finish before the next mode's first stage starts measuring.
    """
    stages: list[dict] = []
    for mode in modes:
        if stages:
            stages.append({**stages[-1], "users": 0})
        stages += [{"mode": mode.name, "path": mode.path, "method": mode.method,
                    "window_ms": mode.window_ms, "users": n} for n in sorted(users)]
    return stages


def run_locust(url: str, api_key: str, stages: list[dict], seconds: float, max_batch: int,
               rows_file: Path, workdir: Path, admin_key: str | None = None) -> list[LoadResult]:
    """One headless locust process against `url` that runs all `stages`; parse its CSV."""
    out, plan = workdir / "stages.csv", workdir / "plan.json"
    plan.write_text(json.dumps({"stages": stages, "seconds": seconds, "max_batch": max_batch,
                                "api_key": api_key, "admin_key": admin_key or api_key,
                                "rows": str(rows_file), "out": str(out)}))
    command = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
               "--host", url, "--only-summary", "--loglevel", "ERROR", "--stop-timeout", "5"]
    env = {**os.environ, "BENCH_PLAN": str(plan)}
    timeout = (seconds + 1) * len(stages) + 60
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode not in (0, 1) or not out.exists():  # 1: some requests failed
        raise RuntimeError(f"locust failed ({done.returncode}): {done.stderr[-2000:]}")
    return [_result(stages[int(row.pop("stage"))]["mode"], row) for row in parse_stages(out)]


def _result(mode: str, row: dict[str, float]) -> LoadResult:
    """A parsed CSV row of one stage as a `LoadResult`."""
    return LoadResult(mode, int(row.pop("users")), int(row.pop("requests")),
                      int(row.pop("failures")), **row)


def set_batching(url: str, admin_key: str, window_ms: float, max_batch: int,
                 max_queue: int | None = None) -> dict:
    """Switch the micro-batching window (0: off), batch size and queue bound of the server at
    `url` through its admin route; returns the settings it now uses."""
    import httpx

    from helpers.service.security import API_KEY_HEADER

    config = {"window_ms": window_ms, "max_batch": max_batch, "max_queue": max_queue}
    with httpx.Client(base_url=url, headers={API_KEY_HEADER: admin_key}, timeout=10) as http:
        answer = http.put("/admin/batching", json=config)
        answer.raise_for_status()
        return answer.json()


def benchmark(server: process.Server, api_key: str, rows: np.ndarray,
              users: Iterable[int] = USERS, seconds: float = 2.0,
              modes: list[Mode] | None = None, max_batch: int = 64,
              admin_key: str | None = None) -> list[LoadResult]:
    """Every mode at every client count, in one locust process; batching is off afterwards."""
    stages = plan_stages(modes or default_modes(), users)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        rows_file = Path(tmp) / "rows.json"
        rows_file.write_text(json.dumps(np.asarray(rows).tolist()))
        try:
            return run_locust(server.url, api_key, stages, seconds, max_batch, rows_file,
                              Path(tmp), admin_key)
        finally:
            set_batching(server.url, admin_key or api_key, 0.0, max_batch)


def with_ceiling(table: Any, ceiling: str = CEILING) -> Any:
    """The results table (pandas) with `of_ceiling`: each stage's throughput as a fraction of
    the no-op route's at the same number of clients."""
    noop = table[table["mode"] == ceiling].set_index("users")["rps"]
    return table.assign(of_ceiling=table["rps"] / table["users"].map(noop))


def in_process_rows_per_second(predict: Callable[[np.ndarray], np.ndarray], rows: np.ndarray,
                               repeats: int = 3) -> float:
    """Rows per second when all rows go to the model in one call: the upper limit, no HTTP."""
    best, _ = best_of(lambda: predict(rows), repeats)
    return len(rows) / best


def as_table(results: list[LoadResult]) -> list[dict]:
    """Results as plain dicts (for pandas or printing)."""
    return [asdict(result) for result in results]


def main(argv: list[str] | None = None) -> int:
    """Train, register, serve and benchmark; print one line per run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of each stage")
    parser.add_argument("--users", type=int, nargs="+", default=list(USERS))
    parser.add_argument("--trees", type=int, default=100, help="trees in the random forest")
    parser.add_argument("--window-ms", type=float, default=5.0, help="batching window")
    parser.add_argument("--max-batch", type=int, default=64)
    args = parser.parse_args(argv)
    from sklearn.ensemble import RandomForestClassifier

    from helpers import data, hashing, repro
    from helpers.service.settings import ServiceSettings
    from helpers.storage.registry import Registry

    repro.seed_everything(0, threads=1, torch=False)
    features, target = data.load_wdbc()
    x = features.to_numpy()
    forest = RandomForestClassifier(n_estimators=args.trees, random_state=0).fit(x, target)
    with tempfile.TemporaryDirectory(prefix="bench-registry-") as root:
        registry = Registry(root)
        registry.register("wdbc-forest", forest, metrics={"accuracy": forest.score(x, target)},
                          data_sha256=hashing.sha256_file(data.verified_path(data.WDBC)),
                          onnx_example=x[:1])
        registry.promote("wdbc-forest", 1)
        key, admin = "bench-" + os.urandom(12).hex(), "admin-" + os.urandom(12).hex()
        settings = ServiceSettings(registry=Path(root), model="wdbc-forest", api_key=key,
                                   admin_key=admin)
        with process.serve(settings.to_env(), timeout=180) as server:
            results = benchmark(server, key, x, args.users, args.seconds,
                                default_modes(args.window_ms), args.max_batch, admin)
    import pandas as pd

    table = with_ceiling(pd.DataFrame(as_table(results)))
    print(table.round(3).to_string(index=False))
    upper = in_process_rows_per_second(forest.predict_proba, x)
    print(f"in-process batch prediction (no HTTP): {upper:,.0f} rows/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
