import itertools

import pytest

from helpers import timing


def test_best_of_keeps_the_fastest_call_and_the_last_result(monkeypatch):
    # perf_counter readings: the calls take 5 s, 1 s and 3 s
    clock = iter([0.0, 5.0, 10.0, 11.0, 20.0, 23.0])
    monkeypatch.setattr(timing.time, "perf_counter", lambda: next(clock))
    calls = itertools.count(1)
    best, result = timing.best_of(lambda: next(calls), repeats=3)
    assert best == 1.0
    assert result == 3


def test_best_of_refuses_zero_repeats():
    with pytest.raises(ValueError, match="at least 1"):
        timing.best_of(lambda: None, repeats=0)
