"""Self-checks for the Chapter 4 lab (scaling)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from helpers.checks import passed, require
from helpers.scaling import capacity

RATE, TARGET_P99 = 800.0, 0.040  # exercise 3: requests/s and the p99 target (s)
WINDOWS_MS = (0.0, 2.0, 5.0)  # batching windows on offer (0: off)
FIXED, PER_REQUEST, MAX_BATCH = 0.004, 0.0008, 64  # batch cost: fixed + n * per_request (s)
CHECK_SEEDS = (0, 1, 2)
CHECK_REQUESTS = 6000


def service_samples(seed: int = 4) -> np.ndarray:
    """The single-request times (s) 'measured' on the exercise's service: about 6 ms."""
    return np.random.default_rng(seed).lognormal(np.log(0.0055), 0.35, size=400)


def batching_for(window_ms: float) -> capacity.Batching | None:
    """The batching of a window (None when the window is 0: one model call per request)."""
    if window_ms == 0:
        return None
    return capacity.Batching(window_ms / 1000, MAX_BATCH, FIXED, PER_REQUEST)


def exercise_1(erlang_c: Callable[[int, float, float], float]) -> str:
    """`erlang_c(servers, rate, service_rate)`: the chance that a request waits (M/M/c)."""
    cases = [(1, 0.7, 1.0), (2, 1.0, 1.0), (10, 8.0, 1.0), (4, 30.0, 10.0)]
    for servers, rate, mu in cases:
        got = float(erlang_c(servers, rate, mu))
        want = capacity.erlang_c(servers, rate, mu)
        load = rate / (servers * mu)
        require(not (servers > 1 and math.isclose(got, load, rel_tol=1e-6)), 1,
                f"for {servers} servers you returned the utilisation {load:.3f}",
                "with one server P(wait) is the utilisation, with more it is smaller: use "
                "the sum over k < c of A**k / k! and the term A**c / c! / (1 - load).")
        blocked = _erlang_b(servers, rate / mu)
        require(not math.isclose(got, blocked, rel_tol=1e-6), 1,
                f"for {servers} servers you returned Erlang's B formula ({blocked:.4f}), the "
                "chance of being turned away when nobody may wait",
                "divide the last term A**c / c! by (1 - load) in the numerator and the sum.")
        require(math.isclose(got, want, rel_tol=1e-6), 1,
                f"erlang_c({servers}, {rate}, {mu}) = {got:.4f}, expected {want:.4f}",
                "A = rate / service_rate is the offered load; load = A / servers.")
    return passed(1, f"Erlang C is right in all {len(cases)} cases")


def _erlang_b(servers: int, offered: float) -> float:
    """Erlang's B formula (loss system): the plausible mix-up."""
    terms = [offered**k / math.factorial(k) for k in range(servers + 1)]
    return terms[-1] / sum(terms)


def exercise_2(global_batch: Callable[[list[list[int]], int, int], list[int]]) -> str:
    """`global_batch(orders, per_rank, step)`: the rows the ranks process together at `step`."""
    from helpers.scaling import ddp

    for world, step in ((2, 1), (3, 2)):
        orders = [ddp.rank_order(48, world, r, epoch=1, seed=5) for r in range(world)]
        want = sorted(i for order in orders for i in order[step * 4:(step + 1) * 4])
        got = sorted(int(i) for i in global_batch(orders, 4, step))
        require(len(got) == world * 4, 2,
                f"with {world} ranks of 4 rows the global batch has {world * 4} rows, got "
                f"{len(got)}", "take per_rank rows from EVERY rank's order.")
        require(got != sorted(orders[0][step * 4 * world:(step + 1) * 4 * world]), 2,
                "you took a slice of rank 0's order only",
                "each rank contributes its own rows: order[step * per_rank:(step + 1) * "
                "per_rank] for every order in orders.")
        require(got == want, 2, f"{world} ranks, step {step}: got rows {got}, expected {want}",
                "step s of a rank covers positions s * per_rank to (s + 1) * per_rank of its "
                "own order.")
    return passed(2, "the global batch is the union of each rank's slice, for 2 and 3 ranks")


def exercise_3(replicas: int, window_ms: float) -> str:
    """A capacity decision: replicas and batching window for RATE at p99 < TARGET_P99."""
    require(window_ms in WINDOWS_MS, 3, f"window {window_ms} ms is not on offer",
            f"choose one of {WINDOWS_MS} (0 switches batching off).")
    require(isinstance(replicas, (int, np.integer)) and replicas >= 1, 3,
            f"replicas must be a whole number >= 1, got {replicas!r}",
            "round up: a fraction of a replica does not exist.")
    service = capacity.empirical(service_samples())
    p99s = [capacity.p99(capacity.simulate(RATE, service, int(replicas), CHECK_REQUESTS, seed,
                                           batching_for(window_ms))) for seed in CHECK_SEEDS]
    require(max(p99s) < TARGET_P99, 3,
            f"{replicas} replicas with a {window_ms} ms window give a p99 of up to "
            f"{1000 * max(p99s):.0f} ms over {len(CHECK_SEEDS)} seeds, above the "
            f"{1000 * TARGET_P99:.0f} ms target",
            "simulate each option and keep a little headroom: a p99 just under the target "
            "at one seed can be over it at another.")
    best = min(_fewest(w) for w in WINDOWS_MS)
    require(replicas <= best + 1, 3,
            f"{replicas} replicas meet the target, but {best} would (with the best window): "
            "that is money spent on idle machines",
            "compare the windows: batching pays the model's fixed cost once per batch.")
    return passed(3, f"{replicas} replicas with a {window_ms:g} ms window meet p99 < "
                     f"{1000 * TARGET_P99:.0f} ms at {RATE:.0f} requests/s (p99 up to "
                     f"{1000 * max(p99s):.0f} ms); the fewest possible is {best}")


def _fewest(window_ms: float) -> int:
    """The fewest replicas that meet the target at every check seed, for one window."""
    service = capacity.empirical(service_samples())
    count = capacity.replicas_for(RATE, service, TARGET_P99, CHECK_REQUESTS, 0,
                                  batching_for(window_ms))
    while max(capacity.p99(capacity.simulate(RATE, service, count, CHECK_REQUESTS, seed,
                                             batching_for(window_ms)))
              for seed in CHECK_SEEDS) >= TARGET_P99:
        count += 1
    return count
