"""The trade-off table: ratios against the baseline, the Pareto front, and the choice."""

import time

import numpy as np
import pandas as pd
import pytest

from helpers.compression import measure


def table():
    rows = [
        {"variant": "float32", "size_kb": 400, "latency_1_us": 100, "latency_64_us": 1000,
         "accuracy": 0.97},
        {"variant": "int8", "size_kb": 100, "latency_1_us": 40, "latency_64_us": 500,
         "accuracy": 0.968},
        {"variant": "slow int8", "size_kb": 100, "latency_1_us": 300, "latency_64_us": 9000,
         "accuracy": 0.968},
        {"variant": "tiny", "size_kb": 10, "latency_1_us": 30, "latency_64_us": 60,
         "accuracy": 0.90},
    ]
    return measure.trade_off(rows, baseline="float32")


def test_trade_off_ratios_against_the_baseline():
    t = table()
    assert t.loc["int8", "smaller_x"] == 4 and t.loc["int8", "faster_1_x"] == 2.5
    assert t.loc["int8", "accuracy_change_pts"] == pytest.approx(-0.2)
    with pytest.raises(KeyError, match="baseline"):
        measure.trade_off([{"variant": "a", "size_kb": 1, "latency_1_us": 1,
                            "latency_64_us": 1, "accuracy": 1}], baseline="b")


def test_pareto_front_drops_dominated_variants():
    front = measure.pareto_front(table(), ["size_kb", "latency_1_us"])
    assert front.to_dict() == {"float32": True, "int8": True, "slow int8": False, "tiny": True}


def test_choose_respects_limits_and_says_none_when_nothing_fits():
    t = table()
    assert measure.choose(t, min_accuracy=0.95) == "float32"
    assert measure.choose(t, min_accuracy=0.95, max_size_kb=200) == "int8"
    assert measure.choose(t, min_accuracy=0.8, max_size_kb=50) == "tiny"
    assert measure.choose(t, min_accuracy=0.99) is None


def test_latency_times_calls_and_rejects_zero_calls():
    calls = []
    seconds = measure.latency(lambda rows: calls.append(1), np.zeros((1, 2)), repeats=2,
                              calls=3)
    assert len(calls) == 1 + 2 * 3 and seconds >= 0
    slow = []
    measure.latency(lambda rows: slow.append(time.sleep(0.002)), np.zeros((1, 2)), repeats=2,
                    calls=50, run_seconds=0.001)
    assert len(slow) == 1 + 2 * 1  # a slow call is timed once per run, not 50 times
    with pytest.raises(ValueError, match="calls"):
        measure.latency(lambda rows: None, np.zeros((1, 2)), calls=0)


def test_measure_row_and_targets():
    rng = np.random.default_rng(0)
    features, labels = rng.random((70, 3)), rng.integers(0, 3, 70)
    row = measure.measure("oracle", lambda rows: rows, 1024, features, labels, repeats=1)
    assert row["size_kb"] == 1 and 0 <= row["accuracy"] <= 1
    with pytest.raises(ValueError, match="64 test rows"):
        measure.measure("x", lambda rows: rows, 1, features[:10], labels[:10])
    met = measure.targets_met(pd.Series({"smaller_x": 3.9, "faster_1_x": 1.2,
                                         "accuracy_change_pts": -0.2}))
    assert list(met.values()) == [True, False, True]


def test_cost_per_million():
    assert measure.cost_per_million(0.001, 3.6) == pytest.approx(1.0)


def test_best_under_minimizes_within_the_accuracy_floor():
    t = table()
    assert measure.best_under(t, "latency_1_us", 0.95) == "int8"
    assert measure.best_under(t, "size_kb", 0.8) == "tiny"
    assert measure.best_under(t, "size_kb", 0.99) is None


def test_latencies_take_turns_and_measure_all_builds_rows():
    order = []
    predicts = {"a": lambda rows: order.append("a"), "b": lambda rows: order.append("b")}
    seconds = measure.latencies(predicts, np.zeros((1, 2)), repeats=2, calls=1)
    assert set(seconds) == {"a", "b"} and order == ["a", "a", "b", "b"] * 2
    rng = np.random.default_rng(0)
    features, labels = rng.random((70, 3)), rng.integers(0, 3, 70)
    rows = measure.measure_all({"oracle": (lambda r: r, 2048)}, features, labels, repeats=1)
    assert rows[0]["variant"] == "oracle" and rows[0]["size_kb"] == 2
    with pytest.raises(ValueError, match="64 test rows"):
        measure.measure_all({"oracle": (lambda r: r, 1)}, features[:5], labels[:5])


def test_best_under_breaks_ties_by_accuracy():
    t = table()
    t.loc["tiny twin"] = t.loc["tiny"]
    t.loc["tiny twin", "accuracy"] = 0.91
    assert measure.best_under(t, "size_kb", 0.8) == "tiny twin"
