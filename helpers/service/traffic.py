"""Client traffic against a server: steady background load (to prove a hot swap drops
nothing), simultaneous calls (what a blocked event loop does), and an open-loop burst
(overload, which a closed-loop load generator hides)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx

from helpers.service import process


@dataclass
class Traffic:
    """What the clients saw: one (status code, model version) pair per request."""

    outcomes: list[tuple[int, int | None]] = field(default_factory=list)

    @property
    def failed(self) -> int:
        """Requests that did not get a 200 (errors and dropped connections count)."""
        return sum(status != 200 for status, _ in self.outcomes)

    def versions(self) -> list[int | None]:
        """The model version of each successful answer, in the order they arrived."""
        return [version for status, version in self.outcomes if status == 200]


@contextmanager
def steady_traffic(server: process.Server, api_key: str, body: dict,
                   clients: int = 4) -> Iterator[Traffic]:
    """`clients` threads post `body` to /predict in a loop until the block ends."""
    traffic, stop = Traffic(), threading.Event()

    def client_loop() -> None:
        with process.client(server, api_key) as http:
            while not stop.is_set():
                try:
                    answer = http.post("/predict", json=body)
                    traffic.outcomes.append((answer.status_code, answer.json().get("version")))
                except httpx.HTTPError:
                    traffic.outcomes.append((0, None))  # a dropped request is a failure too

    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    try:
        yield traffic
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


def wait_for_requests(traffic: Traffic, count: int, timeout: float = 30.0) -> None:
    """Block until `traffic` has seen `count` more requests (or fail after `timeout`)."""
    target, deadline = len(traffic.outcomes) + count, time.monotonic() + timeout
    while len(traffic.outcomes) < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(traffic.outcomes)} of {target} requests after {timeout} s")
        time.sleep(0.01)


def simultaneous(url: str, path: str, body: dict, clients: int,
                 probe_after_s: float = 0.01) -> tuple[float, float]:
    """POST `body` to `path` from `clients` threads at once; also GET /health a moment later.

    Returns the wall time until every POST was answered, and how long the /health probe took.
    """
    start = threading.Barrier(clients + 1)

    def post() -> None:
        with httpx.Client(base_url=url, timeout=60) as http:
            http.get("/health")  # connect first, so the POSTs leave together
            start.wait()
            http.post(path, json=body).raise_for_status()

    with ThreadPoolExecutor(clients) as pool, httpx.Client(base_url=url, timeout=60) as probe:
        probe.get("/health")
        calls = [pool.submit(post) for _ in range(clients)]
        start.wait()
        began = time.perf_counter()
        time.sleep(probe_after_s)
        probed = time.perf_counter()
        probe.get("/health").raise_for_status()
        probe_s = time.perf_counter() - probed
        for call in calls:
            call.result()
        return time.perf_counter() - began, probe_s


async def burst(url: str, api_key: str, body: dict, requests: int,
                path: str = "/predict") -> list[tuple[int, float]]:
    """Send `requests` POSTs at the same moment (open loop: no client waits for an answer
    before the others are sent); (status code, seconds) of each, in the order sent."""
    from helpers.service.security import API_KEY_HEADER

    limits = httpx.Limits(max_connections=requests, max_keepalive_connections=requests)
    async with httpx.AsyncClient(base_url=url, headers={API_KEY_HEADER: api_key}, timeout=60,
                                 limits=limits) as http:

        async def one() -> tuple[int, float]:
            started = time.perf_counter()
            answer = await http.post(path, json=body)
            return answer.status_code, time.perf_counter() - started

        return list(await asyncio.gather(*(one() for _ in range(requests))))
