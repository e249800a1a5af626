import numpy as np
import pandas as pd
import pytest

from helpers.monitoring import fairness


def test_metric_per_group():
    result = fairness.metric_by_group([1, 1, 0, 0], [1, 0, 0, 0], ["a", "a", "b", "b"])
    assert result.to_dict() == {"a": 0.5, "b": 1.0}
    with pytest.raises(ValueError, match="at least one prediction"):
        fairness.metric_by_group([], [], [])


def test_gap_alert_fires_when_one_group_gets_worse():
    rng = np.random.default_rng(0)
    windows = []
    for index in range(10):
        groups = np.repeat(["a", "b"], 500)
        truth = rng.integers(0, 2, 1000)
        error_b = 0.1 if index < 6 else 0.3  # group b's error rate triples from window 6
        wrong = rng.random(1000) < np.where(groups == "b", error_b, 0.1)
        windows.append(fairness.metric_by_group(truth, np.where(wrong, 1 - truth, truth), groups))
    table = fairness.gap_over_windows(windows)
    assert list(table.columns) == ["a", "b", "gap"]
    alerts = fairness.gap_alerts(table, baseline_windows=4, tolerance=0.1)
    assert alerts == [False] * 6 + [True] * 4


def test_bad_baseline_is_refused():
    table = fairness.gap_over_windows([pd.Series({"a": 1.0, "b": 0.9})])
    with pytest.raises(ValueError, match=r"baseline_windows must be in 1\.\.1"):
        fairness.gap_alerts(table, baseline_windows=3, tolerance=0.1)
