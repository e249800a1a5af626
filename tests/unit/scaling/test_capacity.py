"""The capacity simulation agrees with queueing formulas that have exact answers."""

import math

import numpy as np
import pytest

from helpers.scaling import capacity


def test_erlang_c_matches_known_values():
    # one server: the chance to wait is the utilisation
    assert capacity.erlang_c(1, 0.7, 1.0) == pytest.approx(0.7)
    # two servers at offered load 1: C = 1/3 (textbook value)
    assert capacity.erlang_c(2, 1.0, 1.0) == pytest.approx(1 / 3)
    # a standard table value: 10 agents, 8 Erlangs offered
    assert capacity.erlang_c(10, 8.0, 1.0) == pytest.approx(0.409, abs=1e-3)


def test_overload_is_a_clear_error():
    with pytest.raises(ValueError, match="add servers"):
        capacity.erlang_c(2, 3.0, 1.0)
    with pytest.raises(ValueError, match="positive rates"):
        capacity.mmc_mean_response(0, 1.0, 1.0)


def test_mm1_simulation_matches_the_exponential_response_time():
    latencies = capacity.simulate(0.5, capacity.exponential(1.0), 1, 20_000, seed=3)
    assert latencies.mean() == pytest.approx(1 / (1.0 - 0.5), rel=0.08)
    exact = capacity.mm1_response_quantile(0.99, 0.5, 1.0)
    assert capacity.p99(latencies) == pytest.approx(exact, rel=0.15)


@pytest.mark.parametrize("seed", [0, 1])
def test_mmc_simulation_matches_erlang_c(seed):
    servers, rate = 3, 2.0
    latencies = capacity.simulate(rate, capacity.exponential(1.0), servers, 20_000, seed=seed)
    assert latencies.mean() == pytest.approx(capacity.mmc_mean_response(servers, rate, 1.0),
                                             rel=0.08)


def test_mmc_wait_quantile_is_zero_when_few_requests_wait():
    assert capacity.mmc_wait_quantile(0.5, 10, 2.0, 1.0) == 0.0
    q = capacity.mmc_wait_quantile(0.99, 1, 0.5, 1.0)
    assert q == pytest.approx(math.log(0.5 / 0.01) / 0.5)


def test_closed_loop_with_one_user_never_queues():
    latencies = capacity.simulate_closed(1, capacity.exponential(0.01), 1, 2000, seed=0)
    assert latencies.mean() == pytest.approx(0.01, rel=0.1)
    many = capacity.simulate_closed(8, capacity.exponential(0.01), 1, 2000, seed=0)
    assert many.mean() == pytest.approx(0.08, rel=0.1)  # 8 users share one server


def test_batching_serves_more_per_replica_than_one_call_per_request():
    service = capacity.exponential(0.005)
    batching = capacity.Batching(window=0.002, max_batch=32, fixed=0.004, per_request=0.001)
    plain = capacity.replicas_for(2000, service, 0.1, requests=5000, seed=0)
    batched = capacity.replicas_for(2000, service, 0.1, requests=5000, seed=0, batching=batching)
    assert batched < plain
    assert capacity.p99(capacity.simulate(2000, service, plain, 5000, seed=0)) < 0.1
    fewer = plain - 1  # either overloaded (utilisation >= 1: the queue grows forever) or slow
    assert fewer <= 2000 * 0.005 or \
        capacity.p99(capacity.simulate(2000, service, fewer, 5000, seed=0)) >= 0.1


def test_empirical_sampler_refuses_bad_measurements():
    rng = np.random.default_rng(0)
    assert capacity.empirical(np.array([0.1, 0.2]))(rng) in (0.1, 0.2)
    with pytest.raises(ValueError, match="positive, finite"):
        capacity.empirical(np.array([0.1, float("nan")]))


def test_autoscaler_rule_and_bounds():
    cpu = capacity.Autoscaler("cpu", 0.5, max_replicas=10)
    assert cpu.desired(4, 1.0, 100) == 8  # utilisation caps at 100 %: at most 1/target growth
    queue = capacity.Autoscaler("queue", 0.5, max_replicas=10)
    assert queue.desired(4, 1.0, 100) == 10  # the backlog shows, up to the maximum
    with pytest.raises(ValueError, match="metric"):
        capacity.Autoscaler("memory", 0.5)
    with pytest.raises(ValueError, match="utilisation"):
        capacity.Autoscaler("cpu", 60)


def test_queue_based_scaling_recovers_from_a_spike_faster_than_cpu():
    profile = capacity.spike(100, 400, 30, 60)
    runs = {metric: capacity.simulate_autoscaling(
        profile, capacity.exponential(0.02), capacity.Autoscaler(metric, 0.6, max_replicas=30),
        duration=90, replicas=4, seed=1) for metric in ("cpu", "queue")}
    assert runs["queue"].p99_between(30, 90) < runs["cpu"].p99_between(30, 90)
    assert runs["queue"].replicas_at(45) > runs["cpu"].replicas_at(45)
    with pytest.raises(ValueError, match="no check"):
        runs["cpu"].replicas_at(1)
