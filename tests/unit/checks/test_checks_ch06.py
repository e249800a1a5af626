"""The Chapter 6 self-checks pass right answers and explain typical wrong ones."""

import numpy as np
import pytest

from helpers.checks import CheckFailed
from helpers.checks import ch06 as check


def pick_right(proba, pool_index, k):
    return pool_index[np.argsort(-(1 - proba.max(axis=1)))[:k]]


def pick_positions(proba, pool_index, k):  # the seed sketch's bug
    return np.argsort(-(1 - proba.max(axis=1)))[:k]


def pick_most_confident(proba, pool_index, k):
    return pool_index[np.argsort(1 - proba.max(axis=1))[:k]]


def test_exercise_1_wants_dataset_indices_of_the_least_confident():
    assert "passed" in check.exercise_1(pick_right)
    with pytest.raises(CheckFailed, match=r"(?s)positions in the pool.*Hint: map"):
        check.exercise_1(pick_positions)
    with pytest.raises(CheckFailed, match="MOST confident"):
        check.exercise_1(pick_most_confident)
    with pytest.raises(CheckFailed, match="expected 4 indices"):
        check.exercise_1(lambda proba, pool_index, k: pool_index[:k + 1])


def test_exercise_2_wants_the_margin_of_the_two_best_classes():
    def right(proba):
        ranked = np.sort(proba, axis=1)
        return 1 - (ranked[:, -1] - ranked[:, -2])

    def flipped(proba):
        ranked = np.sort(proba, axis=1)
        return ranked[:, -1] - ranked[:, -2]

    def best_minus_worst(proba):
        return -(proba.max(axis=1) - proba.min(axis=1))

    assert "passed" in check.exercise_2(right)
    with pytest.raises(CheckFailed, match="sign is flipped"):
        check.exercise_2(flipped)
    with pytest.raises(CheckFailed, match=r"(?s)WORST class.*Hint: sort each row"):
        check.exercise_2(best_minus_worst)
    with pytest.raises(CheckFailed, match="one score per row"):
        check.exercise_2(lambda proba: np.sort(proba, axis=1))


def test_exercise_3_wants_the_first_size_reaching_the_target_or_none():
    def right(n_labels, accuracy, target):
        return next((n for n, a in zip(n_labels, accuracy, strict=True) if a >= target), None)

    def last_size_when_missed(n_labels, accuracy, target):
        return next((n for n, a in zip(n_labels, accuracy, strict=True) if a >= target),
                    n_labels[-1])

    def at_best_accuracy(n_labels, accuracy, target):
        return n_labels[int(np.argmax(accuracy))]

    assert "passed" in check.exercise_3(right)
    with pytest.raises(CheckFailed, match=r"(?s)never reaches.*return None"):
        check.exercise_3(last_size_when_missed)
    with pytest.raises(CheckFailed, match="dips after first reaching"):
        check.exercise_3(at_best_accuracy)


def test_exercise_4_wants_hard_items_priced_and_negative_savings_kept():
    def right(labels_active, labels_random, seconds, factor):
        return (labels_random * seconds - labels_active * seconds * factor) / 3600

    assert "passed" in check.exercise_4(right)
    with pytest.raises(CheckFailed, match="take longer"):
        check.exercise_4(lambda a, r, s, f: (r - a) * s / 3600)
    with pytest.raises(CheckFailed, match="LOSE time"):
        check.exercise_4(lambda a, r, s, f: max(0.0, right(a, r, s, f)))
