"""The Chapter 5 self-checks pass right answers and explain wrong ones."""

import numpy as np
import pytest

from helpers.checks import CheckFailed
from helpers.checks import ch05 as check
from helpers.monitoring import detection, quality


def quantile_threshold(values, target_rate):
    return float(np.quantile(values, 1 - target_rate))


def test_exercise_1_wants_a_threshold_that_meets_the_false_alarm_target():
    assert "passed" in check.exercise_1(quantile_threshold)
    with pytest.raises(CheckFailed, match=r"(?s)false alarms in .* over the target.*Hint"):
        check.exercise_1(lambda values, target: 0.1)  # the rule of thumb, too low here
    with pytest.raises(CheckFailed, match="finds only"):
        check.exercise_1(lambda values, target: 10 * float(np.max(values)))
    with pytest.raises(CheckFailed, match="one finite number"):
        check.exercise_1(lambda values, target: None)


def median_ratio_check(reference, window):
    ratio = window.median() / reference.median()
    return [c for c in reference.columns if not 0.5 <= ratio[c] <= 2.0]


def range_check(reference, window):
    return sorted({v.column for v in quality.Expectations.learn(reference).check(window)})


def test_exercise_2_wants_unit_changes_in_both_directions():
    assert "passed" in check.exercise_2(median_ratio_check)
    with pytest.raises(CheckFailed, match=r"multiplied by 0.1 gave \[\]"):
        check.exercise_2(range_check)
    with pytest.raises(CheckFailed, match="quiet windows were flagged"):
        check.exercise_2(lambda reference, window: ["mean_radius"])


def policy(consecutive=2, use_lag=True):
    def decide(accuracy, baseline, label_lag):
        alarms = detection.performance_alarms(accuracy, baseline, 0.05,
                                               label_lag if use_lag else 0)
        return detection.AlertRule(consecutive).apply(alarms)

    return decide


def test_exercise_3_wants_patience_but_not_too_much():
    assert "passed" in check.exercise_3(policy())
    with pytest.raises(CheckFailed, match="one bad window triggered retraining"):
        check.exercise_3(policy(consecutive=1))
    with pytest.raises(CheckFailed, match="before the labels"):
        check.exercise_3(policy(use_lag=False))
    with pytest.raises(CheckFailed, match="waited until window 13"):
        check.exercise_3(policy(consecutive=4))
    with pytest.raises(CheckFailed, match="never triggered"):
        check.exercise_3(lambda accuracy, baseline, lag: [False] * len(accuracy))


def feasible(rates, budget, min_detection, max_window):
    ok = rates[(rates.false_alarm_rate <= budget) & (rates.detection_rate >= min_detection)
               & (rates.window <= max_window)]
    return None if ok.empty else (ok.method.iloc[-1], int(ok.window.iloc[-1]))


def first_feasible(rates, *rest):
    return feasible(rates.iloc[::-1], *rest)


def best_detection(rates, budget, min_detection, max_window):
    row = rates.sort_values("detection_rate").iloc[-1]  # ignores the false-alarm budget
    return row.method, int(row.window)


def no_deadline(rates, budget, min_detection, max_window):
    ok = rates[(rates.false_alarm_rate <= budget) & (rates.detection_rate >= min_detection)]
    return None if ok.empty else (ok.method.iloc[-1], int(ok.window.iloc[-1]))


def always_something(rates, budget, min_detection, max_window):
    return feasible(rates, budget, min_detection, max_window) or ("ks", 100)


def test_exercise_4_accepts_every_feasible_choice_and_nothing_else():
    assert "passed" in check.exercise_4(feasible)
    assert "passed" in check.exercise_4(first_feasible)  # another defensible answer
    with pytest.raises(CheckFailed, match="breaks a requirement: false alarms"):
        check.exercise_4(best_detection)
    with pytest.raises(CheckFailed, match=r"too late"):
        check.exercise_4(no_deadline)
    with pytest.raises(CheckFailed, match="no option meets every requirement"):
        check.exercise_4(always_something)
    with pytest.raises(CheckFailed, match="you chose none"):
        check.exercise_4(lambda *args: None)
