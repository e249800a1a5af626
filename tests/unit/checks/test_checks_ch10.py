"""The Chapter 10 self-checks pass right answers and explain wrong ones."""

import numpy as np
import pytest

from helpers.checks import CheckFailed
from helpers.checks import ch10 as check
from helpers.labeling import deferral


def kappa(a, b):
    labels = np.union1d(a, b)
    p_o = np.mean(a == b)
    p_e = sum(np.mean(a == label) * np.mean(b == label) for label in labels)
    return float((p_o - p_e) / (1 - p_e))


def test_exercise_1_wants_chance_corrected_agreement():
    assert "passed" in check.exercise_1(kappa)
    with pytest.raises(CheckFailed, match=r"(?s)raw agreement.*Hint: subtract"):
        check.exercise_1(lambda a, b: float(np.mean(a == b)))
    uniform_chance = lambda a, b: float(  # noqa: E731
        (np.mean(a == b) - 1 / len(np.union1d(a, b))) / (1 - 1 / len(np.union1d(a, b))))
    with pytest.raises(CheckFailed, match="own label frequencies"):
        check.exercise_1(uniform_chance)
    with pytest.raises(CheckFailed, match="not a finite number"):
        check.exercise_1(lambda a, b: None)


def by_capacity(confidence, correct, capacity):
    curve = deferral.risk_coverage(confidence, correct)
    row = curve[curve["coverage"] >= 1 - capacity].iloc[0]
    return float(row["threshold"]), float(row["coverage"]), float(row["risk"])


def test_exercise_2_wants_the_capacity_used_and_not_exceeded():
    assert "passed" in check.exercise_2(by_capacity)

    def capacity_as_coverage(confidence, correct, capacity):
        return by_capacity(confidence, correct, 1 - capacity) if capacity else by_capacity(
            confidence, correct, 0.0)

    with pytest.raises(CheckFailed, match="more than the team can review"):
        check.exercise_2(capacity_as_coverage)

    def too_careful(confidence, correct, capacity):
        return by_capacity(confidence, correct, capacity / 2)

    with pytest.raises(CheckFailed, match="may defer up to"):
        check.exercise_2(too_careful)
    with pytest.raises(CheckFailed, match=r"expected \(threshold, coverage, risk\)"):
        check.exercise_2(lambda confidence, correct, capacity: 0.5)


def disagreements(store, first, second):
    a, b = store.labels(annotator=first), store.labels(annotator=second)
    return sorted(item for item in a.keys() & b.keys() if a[item] != b[item])


def from_history(store, first, second):
    firsts = {}
    for _, item, action, label, who, _ in store.history():
        if action == "label":
            firsts.setdefault((item, who), label)
    items = {item for item, _ in firsts}
    return sorted(i for i in items
                  if (i, first) in firsts and (i, second) in firsts
                  and firsts[i, first] != firsts[i, second])


def test_exercise_3_wants_current_labels_of_both_annotators():
    assert "passed" in check.exercise_3(disagreements)
    with pytest.raises(CheckFailed, match="ben's latest label agrees"):
        check.exercise_3(from_history)

    def one_sided(store, first, second):
        a, b = store.labels(annotator=first), store.labels(annotator=second)
        return sorted(item for item in a.keys() | b.keys() if a.get(item) != b.get(item))

    with pytest.raises(CheckFailed, match="labeled by only one annotator"):
        check.exercise_3(one_sided)
    with pytest.raises(CheckFailed, match="a list of item ids"):
        check.exercise_3(lambda store, first, second: {"b", "c"})
