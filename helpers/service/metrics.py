"""Prometheus metrics of the service: latency and count of every request, by route and status.

Each app gets its own registry (two apps in one process never share counters). Prometheus
scrapes ``/metrics``; throughput is ``rate(serving_request_seconds_count[1m])`` and a
latency percentile is ``histogram_quantile(0.99, rate(serving_request_seconds_bucket[1m]))``.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Only known routes become label values, so random paths cannot blow up the label set.
ROUTES = frozenset({"/predict", "/predict/batch", "/metadata", "/health", "/ready",
                    "/admin/reload", "/admin/batching", "/metrics"})
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def request_histogram(registry: CollectorRegistry) -> Histogram:
    """The latency histogram, labelled by route and HTTP status."""
    return Histogram("serving_request_seconds", "Time to answer one HTTP request",
                     ["route", "status"], registry=registry, buckets=BUCKETS)


class RequestMetrics:
    """ASGI middleware: time each HTTP request and record it with its route and status."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app, self.histogram = app, histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = scope["path"] if scope["path"] in ROUTES else "other"
            self.histogram.labels(route, str(status)).observe(time.perf_counter() - started)
