"""Capacity planning: queueing formulas (M/M/1, M/M/c) and a discrete-event simulation of replicas.

The formulas give exact answers for exponential service times; the simulation takes any
measured service-time distribution, micro-batching and a changing number of replicas, and is
tested against the formulas where both apply.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Sampler = Callable[[np.random.Generator], float]  # one service time (seconds) per call


def _check_load(servers: int, rate: float, service_rate: float) -> float:
    """Utilisation rate / (servers * service_rate); a clear error when the queue never empties."""
    if servers < 1 or rate <= 0 or service_rate <= 0:
        raise ValueError(f"need servers >= 1 and positive rates, got servers={servers}, "
                         f"rate={rate}, service_rate={service_rate}")
    load = rate / (servers * service_rate)
    if load >= 1:
        raise ValueError(f"utilisation {load:.2f} >= 1: the queue grows without bound; "
                         f"add servers (at least {math.floor(rate / service_rate) + 1})")
    return load


def erlang_c(servers: int, rate: float, service_rate: float) -> float:
    """Probability that a request has to wait in an M/M/c queue (Erlang's C formula)."""
    load = _check_load(servers, rate, service_rate)
    offered = rate / service_rate
    term, total = 1.0, 1.0  # offered**k / k!, summed for k = 0 .. c-1
    for k in range(1, servers):
        term *= offered / k
        total += term
    last = term * offered / servers / (1 - load)  # offered**c / c! / (1 - load)
    return last / (total + last)


def mmc_mean_response(servers: int, rate: float, service_rate: float) -> float:
    """Mean time in an M/M/c system (wait plus service), in seconds."""
    wait = erlang_c(servers, rate, service_rate) / (servers * service_rate - rate)
    return wait + 1 / service_rate


def mm1_response_quantile(q: float, rate: float, service_rate: float) -> float:
    """The q-quantile of the time in an M/M/1 system: it is exponential with rate mu - lambda."""
    _check_load(1, rate, service_rate)
    return -math.log(1 - q) / (service_rate - rate)


def mmc_wait_quantile(q: float, servers: int, rate: float, service_rate: float) -> float:
    """The q-quantile of the waiting time in an M/M/c queue (0 when most requests never wait)."""
    waits = erlang_c(servers, rate, service_rate)
    if waits <= 1 - q:
        return 0.0
    return math.log(waits / (1 - q)) / (servers * service_rate - rate)


def exponential(mean: float) -> Sampler:
    """Service times drawn from an exponential distribution with this mean (seconds)."""
    return lambda rng: float(rng.exponential(mean))


def empirical(samples: np.ndarray) -> Sampler:
    """Service times drawn (with replacement) from measured ones (seconds)."""
    values = np.asarray(samples, dtype=float)
    if values.size == 0 or np.any(values <= 0) or not np.all(np.isfinite(values)):
        raise ValueError("need at least one positive, finite measured service time")
    return lambda rng: float(values[rng.integers(values.size)])


@dataclass(frozen=True)
class Batching:
    """Micro-batching in a replica: wait up to `window` s for up to `max_batch` requests.

    A batch of n requests costs `fixed + n * per_request` seconds (the model's fixed call cost
    is paid once per batch, the per-request part, HTTP included, once per request).
    """

    window: float
    max_batch: int
    fixed: float
    per_request: float

    def cost(self, n: int) -> float:
        """Seconds one replica spends on a batch of n requests."""
        return self.fixed + n * self.per_request


def _replica(env, queue, service: Sampler, rng, batching: Batching | None, done: list) -> object:
    """One replica: take the oldest request (and, with batching, whatever joins in the window)."""
    while True:
        batch = [(yield queue.get())]
        if batching is None:
            yield env.timeout(service(rng))
        else:
            yield env.timeout(batching.window)
            while queue.items and len(batch) < batching.max_batch:
                batch.append(queue.items.pop(0))
            yield env.timeout(batching.cost(len(batch)))
        for arrived, finished in batch:
            done.append(env.now - arrived)
            if finished is not None:
                finished.succeed()


def simulate(rate: float, service: Sampler, servers: int, requests: int = 20_000, seed: int = 0,
             batching: Batching | None = None, warmup: float = 0.1) -> np.ndarray:
    """Latencies (s) of Poisson arrivals at `rate`/s served FIFO by `servers` replicas.

    The first `warmup` fraction of requests (the queue filling from empty) is dropped.
    """
    from simpy import Environment, Store

    if servers < 1 or rate <= 0 or requests < 10:
        raise ValueError(f"need servers >= 1, rate > 0 and requests >= 10, got {servers}, "
                         f"{rate}, {requests}")
    rng = np.random.default_rng(seed)
    env, done = Environment(), []
    queue = Store(env)
    arrivals = np.cumsum(rng.exponential(1 / rate, size=requests))

    def source():
        for when in arrivals:
            yield env.timeout(when - env.now)
            queue.put((env.now, None))

    for _ in range(servers):
        env.process(_replica(env, queue, service, rng, batching, done))
    env.process(source())
    env.run()  # stops when nothing is left to do: every request answered
    return np.asarray(done[int(warmup * len(done)):])


def simulate_closed(users: int, service: Sampler, servers: int = 1, requests: int = 5_000,
                    seed: int = 0, warmup: float = 0.1) -> np.ndarray:
    """Latencies (s) when `users` clients each send a request as soon as the last one returns.

    This is how a load generator such as locust drives a server (no think time).
    """
    from simpy import Environment, Store

    if users < 1 or servers < 1 or requests < 10:
        raise ValueError(f"need users, servers >= 1 and requests >= 10, got {users}, "
                         f"{servers}, {requests}")
    rng = np.random.default_rng(seed)
    env, done = Environment(), []
    queue = Store(env)

    def user():
        while len(done) < requests:
            finished = env.event()
            queue.put((env.now, finished))
            yield finished

    for _ in range(servers):
        env.process(_replica(env, queue, service, rng, None, done))
    for _ in range(users):
        env.process(user())
    while len(done) < requests:
        env.step()
    return np.asarray(done[int(warmup * requests):requests])


def p99(latencies: np.ndarray) -> float:
    """The 99th percentile of latencies, in the same unit."""
    return float(np.percentile(latencies, 99))


def replicas_for(rate: float, service: Sampler, target_p99: float, requests: int = 10_000,
                 seed: int = 0, batching: Batching | None = None) -> int:
    """The fewest replicas whose simulated p99 latency is below `target_p99` seconds.

    Only counts below 100 % utilisation qualify: above it the queue grows without bound, even
    if a short simulation has not seen it yet.
    """
    rng = np.random.default_rng(seed)
    if batching is None:
        per_replica = 1 / np.mean([service(rng) for _ in range(2_000)])
    else:
        per_replica = batching.max_batch / batching.cost(batching.max_batch)
    low = math.floor(rate / per_replica)  # this many or fewer cannot keep up

    def meets(servers: int) -> bool:
        return p99(simulate(rate, service, servers, requests, seed, batching)) < target_p99

    high = low + 1
    while not meets(high):
        low, high = high, high * 2
        if high > 100_000:
            raise ValueError(f"no replica count up to 100,000 meets p99 < {target_p99} s: the "
                             "target is below the service time itself; make requests cheaper")
    while high - low > 1:  # meets(high) is true, meets(low) false or unknown-and-too-small
        middle = (low + high) // 2
        low, high = (low, middle) if meets(middle) else (middle, high)
    return high


@dataclass(frozen=True)
class Autoscaler:
    """A scaling rule checked every `interval` s; new replicas serve after `cold_start` s.

    `metric` is ``"cpu"`` (desired = ceil(replicas * utilisation / target)) or ``"queue"``
    (desired = ceil(mean requests in the system / target), requests waiting or in service):
    the rule a Kubernetes autoscaler applies to its metric. Utilisation stops at 100 %; the
    number of requests in the system does not, so it also sees the backlog.
    """

    metric: str
    target: float
    interval: float = 5.0
    cold_start: float = 10.0
    min_replicas: int = 1
    max_replicas: int = 100

    def __post_init__(self) -> None:
        if self.metric not in ("cpu", "queue"):
            raise ValueError(f"metric must be 'cpu' or 'queue', got {self.metric!r}")
        if self.target <= 0 or (self.metric == "cpu" and self.target > 1):
            raise ValueError("target must be a utilisation in (0, 1] for 'cpu', a positive "
                             f"number of requests per replica for 'queue'; got {self.target}")

    def desired(self, replicas: int, utilisation: float, in_system: float) -> int:
        """How many replicas the rule asks for, within the bounds."""
        if self.metric == "cpu":
            wanted = math.ceil(replicas * min(utilisation, 1.0) / self.target - 1e-9)
        else:
            wanted = math.ceil(in_system / self.target - 1e-9)
        return min(self.max_replicas, max(self.min_replicas, wanted))


@dataclass
class ScalingRun:
    """What an autoscaling simulation saw: replicas over time, and every request's latency."""

    times: np.ndarray  # when the autoscaler looked (s)
    replicas: np.ndarray  # replicas serving at that time
    arrivals: np.ndarray  # when each answered request arrived (s)
    latencies: np.ndarray  # how long it took (s)

    def replicas_at(self, time: float) -> int:
        """Replicas serving at the last check at or before `time` (s)."""
        before = np.flatnonzero(self.times <= time)
        if before.size == 0:
            raise ValueError(f"no check at or before t = {time} s (first at {self.times[0]} s)")
        return int(self.replicas[before[-1]])

    def p99_between(self, start: float, end: float) -> float:
        """p99 latency of the requests that arrived in [start, end)."""
        return p99(self.latencies[(self.arrivals >= start) & (self.arrivals < end)])


def spike(base: float, peak: float, start: float, end: float) -> Callable[[float], float]:
    """A traffic profile: `base` requests/s, `peak` between `start` and `end` seconds."""
    return lambda t: peak if start <= t < end else base


def simulate_autoscaling(rate_at: Callable[[float], float], service: Sampler,
                         scaler: Autoscaler, duration: float, replicas: int = 1,
                         seed: int = 0, max_rate: float | None = None) -> ScalingRun:
    """Requests arriving at `rate_at(t)`/s for `duration` s, replicas added and removed by rule."""
    from simpy import Environment, Store

    rng = np.random.default_rng(seed)
    grid = np.linspace(0, duration, 200)
    top = max_rate or max(rate_at(t) for t in grid)
    candidates = np.cumsum(rng.exponential(1 / top, size=int(top * duration * 1.2) + 100))
    candidates = candidates[candidates < duration]  # thinning: keep each with rate(t) / top
    keep = rng.random(candidates.size) < np.array([rate_at(t) for t in candidates]) / top
    env = Environment()
    queue = Store(env)
    state = {"busy_time": 0.0, "busy": 0, "serving": 0, "retire": 0}
    seen_at, took, times, counts = [], [], [], []

    def replica():
        state["serving"] += 1
        while state["retire"] == 0:
            arrived = yield queue.get()
            state["busy"] += 1
            cost = service(rng)
            yield env.timeout(cost)
            state["busy"], state["busy_time"] = state["busy"] - 1, state["busy_time"] + cost
            seen_at.append(arrived)
            took.append(env.now - arrived)
        state["retire"] -= 1
        state["serving"] -= 1

    def add(delay: float):
        yield env.timeout(delay)
        env.process(replica())

    def source():
        for when in candidates[keep]:
            yield env.timeout(when - env.now)
            queue.put(env.now)

    def control():
        planned, last_busy, recent = replicas, 0.0, []
        while env.now < duration:
            in_system = 0.0
            for _ in range(10):  # the mean number of requests in the system over the interval
                yield env.timeout(scaler.interval / 10)
                in_system += (len(queue.items) + state["busy"]) / 10
            busy, last_busy = state["busy_time"] - last_busy, state["busy_time"]
            utilisation = busy / max(state["serving"] * scaler.interval, 1e-9)
            recent = [*recent[-2:], scaler.desired(state["serving"], utilisation, in_system)]
            wanted = max(recent)  # scale down only after three low readings in a row
            for _ in range(wanted - planned):
                env.process(add(scaler.cold_start))
            if wanted < planned:
                state["retire"] += planned - wanted
            planned = wanted
            times.append(env.now)
            counts.append(state["serving"])

    for _ in range(replicas):
        env.process(replica())
    env.process(source())
    env.process(control())
    env.run(until=duration * 3)
    return ScalingRun(np.array(times), np.array(counts), np.array(seen_at), np.array(took))
