"""The Chapter 9 self-checks pass right answers and explain typical wrong ones."""

import numpy as np
import pandas as pd
import pytest
import torch
import torch.nn.functional as F

from helpers.checks import CheckFailed
from helpers.checks import ch09 as check


def quantize_right(weight):
    scale = np.abs(weight).max() / 127
    return np.round(weight / scale).astype(np.int8), scale


def test_exercise_1_wants_symmetric_rounded_int8():
    assert "passed" in check.exercise_1(quantize_right)
    with pytest.raises(CheckFailed, match="ABSOLUTE"):
        check.exercise_1(lambda w: (np.round(w / (w.max() / 127)).astype(np.int8),
                                    w.max() / 127))
    with pytest.raises(CheckFailed, match="ABSOLUTE"):  # unsigned thinking: 255 steps
        scale = lambda w: np.abs(w).max() / 255  # noqa: E731
        check.exercise_1(lambda w: (np.round(w / scale(w)).astype(np.int8), scale(w)))
    with pytest.raises(CheckFailed, match="round to the nearest"):
        check.exercise_1(lambda w: ((w / (np.abs(w).max() / 127)).astype(np.int8),
                                    np.abs(w).max() / 127))
    with pytest.raises(CheckFailed, match="dtype"):
        check.exercise_1(lambda w: (np.round(w / (np.abs(w).max() / 127)),
                                    np.abs(w).max() / 127))


def test_exercise_2_wants_values_indices_and_row_starts():
    def right(weight):
        return int(np.count_nonzero(weight)) * 8 + (weight.shape[0] + 1) * 4

    assert "passed" in check.exercise_2(right)
    with pytest.raises(CheckFailed, match="dense size"):
        check.exercise_2(lambda w: w.nbytes)
    with pytest.raises(CheckFailed, match="not where they are"):
        check.exercise_2(lambda w: int(np.count_nonzero(w)) * 4)
    with pytest.raises(CheckFailed, match="row starts"):
        check.exercise_2(lambda w: int(np.count_nonzero(w)) * 8)
    with pytest.raises(CheckFailed, match="expected"):  # 8-byte indices
        check.exercise_2(lambda w: int(np.count_nonzero(w)) * 12 + (w.shape[0] + 1) * 8)


def loss_right(student, teacher, labels, t, alpha):
    kl = F.kl_div(F.log_softmax(student / t, 1), F.softmax(teacher / t, 1),
                  reduction="batchmean")
    return alpha * t * t * kl + (1 - alpha) * F.cross_entropy(student, labels)


def test_exercise_3_wants_hintons_loss():
    assert "passed" in check.exercise_3(loss_right)

    def no_t_squared(student, teacher, labels, t, alpha):
        kl = F.kl_div(F.log_softmax(student / t, 1), F.softmax(teacher / t, 1),
                      reduction="batchmean")
        return alpha * kl + (1 - alpha) * F.cross_entropy(student, labels)

    def teacher_not_softened(student, teacher, labels, t, alpha):
        kl = F.kl_div(F.log_softmax(student / t, 1), F.softmax(teacher, 1),
                      reduction="batchmean")
        return alpha * t * t * kl + (1 - alpha) * F.cross_entropy(student, labels)

    def alpha_swapped(student, teacher, labels, t, alpha):
        return loss_right(student, teacher, labels, t, 1 - alpha)

    with pytest.raises(CheckFailed, match="T\\^2"):
        check.exercise_3(no_t_squared)
    with pytest.raises(CheckFailed, match="BOTH"):
        check.exercise_3(teacher_not_softened)
    with pytest.raises(CheckFailed, match="alpha = 0"):
        check.exercise_3(alpha_swapped)
    assert torch.is_tensor(loss_right(torch.zeros(2, 3), torch.zeros(2, 3),
                                      torch.tensor([0, 1]), 2.0, 0.5))


def pick_right(table, max_kb, max_drop_pts):
    floor = table.loc[table["smaller_x"] == 1, "accuracy"].iloc[0] - max_drop_pts / 100
    fits = table[(table["size_kb"] <= max_kb) & (table["accuracy"] >= floor)]
    return None if fits.empty else fits["latency_1_us"].idxmin()


MEASURED = pd.DataFrame({
    "size_kb": [1200.0, 310.0, 300.0, 80.0],
    "latency_1_us": [90.0, 30.0, 28.0, 31.0],
    "accuracy": [0.97, 0.968, 0.969, 0.965],
    "smaller_x": [1.0, 3.9, 4.0, 15.0],
}, index=["torch fp32", "onnx dynamic int8", "onnx static int8", "narrow + onnx int8"])


def test_exercise_4_accepts_every_defensible_pick_and_rejects_wrong_ones():
    assert "passed" in check.exercise_4(pick_right, MEASURED, 400, 1.0)
    # a near-tie is defensible: 31 µs against the fastest 28 µs
    assert "passed" in check.exercise_4(
        lambda t, kb, d: "narrow + onnx int8" if t is MEASURED else pick_right(t, kb, d),
        MEASURED, 400, 1.0)
    assert "passed" in check.exercise_4(pick_right, MEASURED, 10, 1.0)  # None is right here

    def smallest(table, max_kb, max_drop_pts):  # optimises the wrong thing
        floor = table.loc[table["smaller_x"] == 1, "accuracy"].iloc[0] - max_drop_pts / 100
        fits = table[(table["size_kb"] <= max_kb) & (table["accuracy"] >= floor)]
        return None if fits.empty else fits["size_kb"].idxmin()

    def ignores_accuracy(table, max_kb, max_drop_pts):
        fits = table[table["size_kb"] <= max_kb]
        return None if fits.empty else fits["latency_1_us"].idxmin()

    def last_row_when_none(table, max_kb, max_drop_pts):
        return pick_right(table, max_kb, max_drop_pts) or table.index[-1]

    with pytest.raises(CheckFailed, match="fastest within a point is narrow"):
        check.exercise_4(smallest, MEASURED, 400, 1.0)
    with pytest.raises(CheckFailed, match="Exercise 4"):
        check.exercise_4(ignores_accuracy, MEASURED, 400, 1.0)
    with pytest.raises(CheckFailed, match="None"):
        check.exercise_4(last_row_when_none, MEASURED, 400, 1.0)
    slow_pick = MEASURED.copy()
    slow_pick.loc["narrow + onnx int8", "latency_1_us"] = 60.0
    with pytest.raises(CheckFailed, match="slower than"):
        check.exercise_4(lambda t, kb, d: "narrow + onnx int8" if t is slow_pick
                         else pick_right(t, kb, d), slow_pick, 400, 1.0)
    with pytest.raises(CheckFailed, match="does not meet"):
        check.exercise_4(lambda t, kb, d: "torch fp32" if t is MEASURED
                         else pick_right(t, kb, d), MEASURED, 400, 1.0)
