"""Read a latency histogram from a Prometheus /metrics page: percentiles and request counts.

A Prometheus histogram stores cumulative counts per upper bound (``le``), not the latencies
themselves, so a percentile is estimated the way PromQL's ``histogram_quantile`` does it:
find the bucket that holds the rank, and interpolate linearly inside it. (Chapter 5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families


@dataclass(frozen=True)
class Histogram:
    """Cumulative counts per upper bound (the last bound is +inf), and the sum of observations."""

    bounds: tuple[float, ...]
    cumulative: tuple[float, ...]
    total_seconds: float

    @property
    def count(self) -> float:
        """How many observations (requests) the histogram holds."""
        return self.cumulative[-1] if self.cumulative else 0.0


def read_histogram(text: str, name: str, **labels: str) -> Histogram:
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
    return Histogram(bounds, tuple(buckets[b] for b in bounds), total)


def quantile(histogram: Histogram, q: float) -> float:
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
