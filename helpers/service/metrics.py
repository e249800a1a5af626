"""Prometheus latency metrics: the service records them (Ch. 3), monitoring reads them (Ch. 5).

Server side: each app gets its own registry (two apps in one process never share counters) and
every HTTP request is timed by route and status. Prometheus scrapes ``/metrics``; throughput is
``rate(serving_request_seconds_count[1m])`` and a latency percentile is
``histogram_quantile(0.99, rate(serving_request_seconds_bucket[1m]))``.

Reading side: a histogram stores cumulative counts per upper bound (``le``), not the latencies
themselves, so `quantile` estimates a percentile the way PromQL's ``histogram_quantile`` does:
find the bucket that holds the rank and interpolate linearly inside it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.parser import text_string_to_metric_families
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


@dataclass(frozen=True)
class HistogramReading:
    """Cumulative counts per upper bound (the last bound is +inf), and the sum of observations."""

    bounds: tuple[float, ...]
    cumulative: tuple[float, ...]
    total_seconds: float

    @property
    def count(self) -> float:
        """How many observations (requests) the histogram holds."""
        return self.cumulative[-1] if self.cumulative else 0.0


def read_histogram(text: str, name: str, **labels: str) -> HistogramReading:
    """Sum the series of histogram `name` whose labels include `labels` (e.g. route='/predict')."""
    buckets: dict[float, float] = {}
    total = 0.0
    for family in text_string_to_metric_families(text):
        if family.name != name:
            continue
        for sample in family.samples:
            if any(sample.labels.get(key) != value for key, value in labels.items()):
                continue
            if sample.name == f"{name}_bucket":
                bound = float(sample.labels["le"])
                buckets[bound] = buckets.get(bound, 0.0) + sample.value
            elif sample.name == f"{name}_sum":
                total += sample.value
    if not buckets:
        raise ValueError(f"no histogram {name!r} with labels {labels} on this page; "
                         "check the metric name and that requests were made")
    bounds = tuple(sorted(buckets))
    return HistogramReading(bounds, tuple(buckets[b] for b in bounds), total)


def quantile(histogram: HistogramReading, q: float) -> float:
    """Estimate the q-quantile (0 < q < 1) like PromQL's histogram_quantile."""
    if not 0 < q < 1:
        raise ValueError(f"q must be between 0 and 1, got {q}")
    if histogram.count == 0:
        raise ValueError("the histogram is empty: no request was observed yet")
    rank = q * histogram.count
    lower_bound, lower_count = 0.0, 0.0
    for bound, count in zip(histogram.bounds, histogram.cumulative, strict=True):
        if count >= rank:
            if math.isinf(bound):  # beyond the last finite bucket: report that bucket's bound
                return lower_bound
            inside = (rank - lower_count) / (count - lower_count)
            return lower_bound + (bound - lower_bound) * inside
        lower_bound, lower_count = bound, count
    return lower_bound
