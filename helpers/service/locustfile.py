"""The simulated clients of the load benchmark; locust loads this file (``locust -f``).

Each client is a closed loop: it sends a prediction request, waits for the answer, and sends
the next one at once, so N clients keep at most N requests in flight. One locust process
runs every stage of the benchmark one after another (each serving mode at 1, 8 and 64
clients, say): `StagedLoad` switches the server's mode through its admin route when the mode
changes, sets the number of clients (0 between two modes, to let requests in flight finish),
resets locust's statistics and writes each stage's figures (percentiles from locust's own
statistics) as one CSV row. Locust calls `tick` once a second, so a stage lasts a whole
number of seconds. One process instead of one per mode saves locust's start-up (about 4 s
each). The plan comes from the JSON file named by BENCH_PLAN, written by
`helpers.service.bench`, and is read when the load starts, not at import. Importing this module
imports locust, which patches the standard library for gevent: only locust itself should.
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
import os
import time
from pathlib import Path

from locust import FastHttpUser, LoadTestShape, constant, task

from helpers.service.bench import set_batching
from helpers.service.security import API_KEY_HEADER

FIELDS = ("stage", "users", "requests", "failures", "p50_ms", "p95_ms", "p99_ms", "rps")
CURRENT: dict[str, str] = {}  # the route and method every client calls right now


@functools.cache
def plan() -> dict:
    """The benchmark plan, from the JSON file named by the BENCH_PLAN environment variable."""
    if "BENCH_PLAN" not in os.environ:
        raise RuntimeError("set BENCH_PLAN to a plan file: run the benchmark through "
                           "helpers.service.bench, which writes one")
    return json.loads(Path(os.environ["BENCH_PLAN"]).read_text())


class PredictClient(FastHttpUser):
    """One client sending rows of the data set to the current route, one after another."""

    wait_time = constant(0)

    def on_start(self) -> None:
        rows = json.loads(Path(plan()["rows"]).read_text())
        self.bodies = itertools.cycle([{"features": row} for row in rows])
        self.headers = {API_KEY_HEADER: plan()["api_key"]}

    @task
    def predict(self) -> None:
        if CURRENT["method"] == "GET":
            self.client.get(CURRENT["path"], headers=self.headers, name="predict")
        else:
            self.client.post(CURRENT["path"], json=next(self.bodies), headers=self.headers,
                             name="predict")


class StagedLoad(LoadTestShape):
    """Stages of plan()["seconds"] each, in the order of plan()["stages"]."""

    def __init__(self) -> None:
        super().__init__()
        self.stages: list[dict] = []
        self.seconds, self.out = 1.0, Path()
        self.stage, self.stage_start, self.rows = -1, 0.0, []

    def tick(self) -> tuple[int, float] | None:
        if not self.stages:  # the first tick: read the plan now, not at import
            self.stages, self.seconds = plan()["stages"], float(plan()["seconds"])
            self.out = Path(plan()["out"])
        return self._tick()

    def _tick(self) -> tuple[int, float] | None:
        stage = int(self.get_run_time() // self.seconds)
        if stage != self.stage:
            self._close_stage()
            if stage >= len(self.stages):
                self._write()
                return None
            self._configure(stage)
            self.stage, self.stage_start = stage, time.monotonic()
            self.runner.environment.stats.reset_all()
        users = self.stages[self.stage]["users"]
        return users, float(max(users, 1) * 100)

    def _configure(self, stage: int) -> None:
        """Point clients at the stage's route; switch batching when the mode changes."""
        new = self.stages[stage]
        old = self.stages[self.stage] if self.stage >= 0 else None
        CURRENT.update(path=new["path"], method=new.get("method", "POST"))
        if old is None or old["window_ms"] != new["window_ms"]:
            set_batching(self.runner.environment.host.rstrip("/"), plan()["admin_key"],
                         new["window_ms"], plan()["max_batch"])

    def _close_stage(self) -> None:
        """Record the finished stage's figures from locust's statistics."""
        if self.stage < 0 or self.stages[self.stage]["users"] == 0:
            return
        total = self.runner.environment.stats.total
        elapsed = time.monotonic() - self.stage_start
        percentile = total.get_response_time_percentile
        done = total.num_requests > 0
        self.rows.append({
            "stage": self.stage, "users": self.stages[self.stage]["users"],
            "requests": total.num_requests, "failures": total.num_failures,
            "p50_ms": percentile(0.5) if done else "N/A",
            "p95_ms": percentile(0.95) if done else "N/A",
            "p99_ms": percentile(0.99) if done else "N/A",
            "rps": total.num_requests / elapsed,
        })

    def _write(self) -> None:
        with self.out.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, FIELDS)
            writer.writeheader()
            writer.writerows(self.rows)
