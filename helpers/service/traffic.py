"""Steady background traffic against a server, to prove a change (a hot swap) drops nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
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
    import time

    target, deadline = len(traffic.outcomes) + count, time.monotonic() + timeout
    while len(traffic.outcomes) < target:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(traffic.outcomes)} of {target} requests after {timeout} s")
        time.sleep(0.01)
