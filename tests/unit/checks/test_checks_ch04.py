"""The Chapter 4 self-checks pass right answers and explain typical wrong ones."""

import math

import pytest

from helpers.checks import CheckFailed
from helpers.checks import ch04 as check


def erlang_c_right(servers, rate, service_rate):
    offered = rate / service_rate
    waiting = offered**servers / math.factorial(servers) / (1 - offered / servers)
    return waiting / (sum(offered**k / math.factorial(k) for k in range(servers)) + waiting)


def erlang_b(servers, rate, service_rate):  # forgets the 1 / (1 - load): nobody may wait
    offered = rate / service_rate
    terms = [offered**k / math.factorial(k) for k in range(servers + 1)]
    return terms[-1] / sum(terms)


def test_exercise_1_wants_erlang_c():
    assert "passed" in check.exercise_1(erlang_c_right)
    with pytest.raises(CheckFailed, match="utilisation"):
        check.exercise_1(lambda c, rate, mu: rate / (c * mu))
    with pytest.raises(CheckFailed, match=r"(?s)Erlang's B.*Hint: divide"):
        check.exercise_1(erlang_b)
    with pytest.raises(CheckFailed, match="expected"):
        check.exercise_1(lambda c, rate, mu: 0.5 * erlang_c_right(c, rate, mu))


def test_exercise_2_wants_every_ranks_slice():
    def right(orders, per_rank, step):
        return [i for order in orders for i in order[step * per_rank:(step + 1) * per_rank]]

    def rank_zero_only(orders, per_rank, step):
        world = len(orders)
        return orders[0][step * per_rank * world:(step + 1) * per_rank * world]

    def one_rank(orders, per_rank, step):
        return orders[0][step * per_rank:(step + 1) * per_rank]

    def offset_by_world(orders, per_rank, step):  # skips ahead as if each rank saw everything
        world = len(orders)
        return [i for order in orders
                for i in order[step * per_rank * world:step * per_rank * world + per_rank]]

    assert "passed" in check.exercise_2(right)
    with pytest.raises(CheckFailed, match="rank 0's order only"):
        check.exercise_2(rank_zero_only)
    with pytest.raises(CheckFailed, match="EVERY rank"):
        check.exercise_2(one_rank)
    with pytest.raises(CheckFailed, match="expected"):
        check.exercise_2(offset_by_world)


@pytest.fixture(scope="module")
def cheapest():
    return {window: check._fewest(window) for window in check.WINDOWS_MS}


def test_exercise_3_accepts_every_cheap_enough_plan_that_meets_the_target(cheapest):
    best = min(cheapest.values())
    for window, count in cheapest.items():
        if count <= best + 1:
            assert "passed" in check.exercise_3(count, window)
    window = min(cheapest, key=cheapest.get)
    assert "passed" in check.exercise_3(cheapest[window] + 1, window)  # a little headroom


def test_exercise_3_rejects_plans_that_miss_the_target_or_waste_replicas(cheapest):
    window = min(cheapest, key=cheapest.get)
    with pytest.raises(CheckFailed, match="above the"):
        check.exercise_3(cheapest[window] - 1 or 1, 0.0 if cheapest[window] == 1 else window)
    # utilisation 100 %: rate times the mean service time, no batching
    naive = math.ceil(check.RATE * check.service_samples().mean())
    with pytest.raises(CheckFailed, match="above the"):
        check.exercise_3(naive, 0.0)
    with pytest.raises(CheckFailed, match="money spent"):
        check.exercise_3(cheapest[0.0], 0.0)  # no batching: the target met, at a high price
    with pytest.raises(CheckFailed, match="not on offer"):
        check.exercise_3(3, 3.0)
    with pytest.raises(CheckFailed, match="whole number"):
        check.exercise_3(2.5, 2.0)
