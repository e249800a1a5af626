"""Batch inference on a Dask cluster: partitions made where they are scored, a broadcast model.

The data set is generated partition by partition on the workers (index -> rows, the same rows
wherever it runs), so no process ever holds all of it, exactly as a worker would read its
shard of a table in object storage. Each task returns a small summary of its predictions,
which the caller checks against the same work done in one process.
"""

from __future__ import annotations

import logging
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Partitions:
    """A data set of `count` partitions of `rows` rows and `features` columns, made from `seed`."""

    count: int
    rows: int
    features: int = 20
    seed: int = 0

    def __post_init__(self) -> None:
        if self.count < 1 or self.rows < 1 or self.features < 2:
            raise ValueError(f"need count >= 1, rows >= 1 and features >= 2, got {self}")

    @property
    def total_rows(self) -> int:
        """Rows in the whole data set."""
        return self.count * self.rows

    def make(self, index: int) -> np.ndarray:
        """Partition `index` (0-based): the same rows in any process, on any machine."""
        if not 0 <= index < self.count:
            raise IndexError(f"partition {index} does not exist (0..{self.count - 1})")
        rng = np.random.default_rng([self.seed, index])
        return rng.normal(size=(self.rows, self.features))


def labelled_sample(parts: Partitions, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """A training sample from the same distribution, with a nonlinear label rule."""
    x = np.random.default_rng([parts.seed, 10**6]).normal(size=(rows, parts.features))
    return x, (x[:, 0] * x[:, 1] + np.sin(3 * x[:, 2]) > 0).astype(int)


def score_partition(model: Any, parts: Partitions, index: int) -> tuple[int, int, float]:
    """Make partition `index`, score it: (index, rows predicted positive, sum of probabilities)."""
    proba = model.predict_proba(parts.make(index))[:, 1]
    return index, int((proba >= 0.5).sum()), float(proba.sum())


def score_in_process(model: Any, parts: Partitions) -> list[tuple[int, int, float]]:
    """Every partition, one after the other, in this process: the reference and the baseline."""
    return [score_partition(model, parts, i) for i in range(parts.count)]


@contextmanager
def local_cluster(workers: int, memory_limit: str = "600MB") -> Iterator[Any]:
    """A `distributed.Client` on a LocalCluster of worker processes (one thread each).

    No dashboard (it needs bokeh and would bind a fixed port); everything stops on exit.
    On a real cluster only this function changes: ``Client("tcp://scheduler:8786")``, or
    ``dask_jobqueue.SLURMCluster`` / ``dask_kubernetes.KubeCluster`` in place of LocalCluster.
    """
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, memory_limit=memory_limit,
                           processes=True, dashboard_address=None, host="127.0.0.1",
                           silence_logs=logging.CRITICAL)
    try:
        with Client(cluster) as client:
            yield client
    finally:
        cluster.close()


@dataclass
class Job:
    """Submitted tasks, and the scattered model they read.

    Holding `model` matters: Dask reruns a lost task only while its inputs exist, and a
    scattered object has no recipe to rebuild it. Once the last task that reads it finishes,
    the cluster forgets it, unless someone still holds its future.
    """

    futures: list
    model: Any


def submit_all(client: Any, model: Any, parts: Partitions, scatter: bool = True,
               workers: list[str] | None = None) -> Job:
    """One task per partition; the model sent once to every worker, or with every task.

    `workers` (addresses) restricts the tasks to those workers, e.g. one, to measure scaling
    on the same cluster.
    """
    # hash=False: a fresh key each time, so releasing an earlier scatter cannot cancel this one
    shared = client.scatter(model, broadcast=True, workers=workers, hash=False) if scatter \
        else model
    futures = [client.submit(score_partition, shared, parts, i, pure=False, workers=workers)
               for i in range(parts.count)]
    return Job(futures, shared)


def gather_in_order(client: Any, job: Job, timeout: float = 120) -> list[tuple[int, int, float]]:
    """Results as they complete, then sorted by partition index.

    Fails after `timeout` seconds instead of waiting forever: a worker above 80 % of its
    memory_limit pauses and runs nothing more, which otherwise looks like a hang.
    """
    from distributed import as_completed

    try:
        return sorted(future.result() for future in as_completed(job.futures, timeout=timeout))
    except TimeoutError as error:
        raise TimeoutError(
            f"no result from the cluster in {timeout:.0f} s: a worker may be paused because it "
            "uses over 80 % of its memory_limit; give the workers a higher memory_limit") from error


def rows_per_second(client: Any, model: Any, parts: Partitions, scatter: bool = True,
                    workers: list[str] | None = None,
                    ) -> tuple[float, list[tuple[int, int, float]]]:
    """Score every partition on the cluster; return rows/s (wall clock) and the results."""
    start = time.perf_counter()
    results = gather_in_order(client, submit_all(client, model, parts, scatter, workers))
    return parts.total_rows / (time.perf_counter() - start), results


def warm_up(client: Any, modules: tuple[str, ...] = ("sklearn.ensemble",)) -> None:
    """Import `modules` on every worker now, so no timed run pays for a cold start."""
    import importlib

    for module in modules:
        client.run(importlib.import_module, module)


def worker_pids(client: Any) -> dict[str, int]:
    """Worker address -> process id."""
    return client.run(os.getpid)


def kill_one_worker(client: Any, job: Job, after: int) -> int:
    """Once `after` tasks are done, SIGKILL a worker process that holds work; return its pid."""
    while sum(future.done() for future in job.futures) < after:
        time.sleep(0.01)
    processing = client.processing()
    address = max(processing, key=lambda a: len(processing[a]))
    pid = worker_pids(client)[address]
    os.kill(pid, signal.SIGKILL)
    return pid


def same_results(got: list, expected: list, rtol: float = 1e-9) -> bool:
    """True when every partition is present once with the same counts and probability sums."""
    return len(got) == len(expected) and all(
        a[0] == b[0] and a[1] == b[1] and np.isclose(a[2], b[2], rtol=rtol)
        for a, b in zip(got, expected, strict=True))
