"""The simulated clients of the load benchmark; locust loads this file (``locust -f``).

Each client is a closed loop: it sends a prediction request, waits for the answer, and sends
the next one at once, so N clients keep at most N requests in flight. One locust process runs
several stages (1, 8, 64 clients, say) one after another: `StagedLoad` changes the number of
clients, resets locust's statistics at each stage start, and writes each stage's figures
(percentiles from locust's own statistics) as one CSV row. Settings come from environment
variables set by `helpers.service.bench`. Importing this module imports locust, which patches
the standard library for gevent: only locust itself should import it.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import time
from pathlib import Path

from locust import FastHttpUser, LoadTestShape, constant, task

FIELDS = ("users", "requests", "failures", "p50_ms", "p95_ms", "p99_ms", "rps")


class PredictClient(FastHttpUser):
    """One client posting rows of the data set to the prediction route, one after another."""

    wait_time = constant(0)

    def on_start(self) -> None:
        rows = json.loads(Path(os.environ["BENCH_ROWS"]).read_text())
        self.bodies = itertools.cycle([{"features": row} for row in rows])
        self.path = os.environ["BENCH_PATH"]
        self.headers = {"X-API-Key": os.environ["BENCH_API_KEY"]}

    @task
    def predict(self) -> None:
        self.client.post(self.path, json=next(self.bodies), headers=self.headers, name="predict")


class StagedLoad(LoadTestShape):
    """Stages of BENCH_SECONDS each, with the client counts in BENCH_USERS (e.g. "1,8,64")."""

    def __init__(self) -> None:
        super().__init__()
        self.users = [int(n) for n in os.environ["BENCH_USERS"].split(",")]
        self.seconds = float(os.environ["BENCH_SECONDS"])
        self.out = Path(os.environ["BENCH_OUT"])
        self.stage, self.stage_start, self.rows = -1, 0.0, []

    def tick(self) -> tuple[int, float] | None:
        stage = int(self.get_run_time() // self.seconds)
        if stage != self.stage:
            self._close_stage()
            if stage >= len(self.users):
                self._write()
                return None
            self.stage, self.stage_start = stage, time.monotonic()
            self.runner.environment.stats.reset_all()
        users = self.users[self.stage]
        return users, float(users * 100)

    def _close_stage(self) -> None:
        """Record the finished stage's figures from locust's statistics."""
        if self.stage < 0:
            return
        total = self.runner.environment.stats.total
        elapsed = time.monotonic() - self.stage_start
        percentile = total.get_response_time_percentile
        done = total.num_requests > 0
        self.rows.append({
            "users": self.users[self.stage], "requests": total.num_requests,
            "failures": total.num_failures,
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
