"""Latency percentiles from a Prometheus histogram, as PromQL's histogram_quantile gives them."""

import pytest
from prometheus_client import CollectorRegistry, Histogram, generate_latest

from helpers.service import metrics


def page(latencies, route="/predict"):
    registry = CollectorRegistry()
    histogram = Histogram("serving_request_seconds", "latency", ["route", "status"],
                          registry=registry, buckets=(0.01, 0.1, 1.0))
    for seconds in latencies:
        histogram.labels(route, "200").observe(seconds)
    histogram.labels("/health", "200").observe(5.0)  # another route must not be counted
    return generate_latest(registry).decode()


def test_the_histogram_of_one_route_is_read_back():
    read = metrics.read_histogram(page([0.005] * 3 + [0.05] * 7), "serving_request_seconds",
                                     route="/predict")
    assert read.bounds[:3] == (0.01, 0.1, 1.0) and read.cumulative == (3, 10, 10, 10)
    assert read.count == 10 and read.total_seconds == pytest.approx(0.365)


def test_quantiles_interpolate_inside_the_bucket():
    read = metrics.read_histogram(page([0.005] * 3 + [0.05] * 7), "serving_request_seconds",
                                     route="/predict")
    assert metrics.quantile(read, 0.3) == pytest.approx(0.01)  # rank 3: top of bucket 1
    assert metrics.quantile(read, 0.65) == pytest.approx(0.01 + 0.09 * 3.5 / 7)
    slow = metrics.read_histogram(page([9.0]), "serving_request_seconds", route="/predict")
    assert metrics.quantile(slow, 0.5) == 1.0  # beyond the last finite bound


def test_missing_metric_and_bad_quantile_are_explained():
    with pytest.raises(ValueError, match="no histogram 'nope'"):
        metrics.read_histogram(page([0.1]), "nope")
    read = metrics.read_histogram(page([0.1]), "serving_request_seconds")
    with pytest.raises(ValueError, match="between 0 and 1"):
        metrics.quantile(read, 1.5)
