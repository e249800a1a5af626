"""Before/after scores of fixes and the paired interval of their change."""

import numpy as np
import pytest

from helpers.erroranalysis import verify


def test_paired_difference_of_identical_predictions_is_exactly_zero():
    same = np.array([1, 0, 1, 1], dtype=bool)
    assert verify.paired_difference(same, same) == (0.0, 0.0, 0.0)


def test_paired_difference_covers_a_clear_gain():
    before = np.r_[np.ones(70), np.zeros(30)]
    after = np.r_[np.ones(90), np.zeros(10)]
    change, low, high = verify.paired_difference(after, before, seed=1)
    assert change == pytest.approx(0.2) and 0.1 < low < 0.2 < high < 0.3
    with pytest.raises(ValueError, match="same items"):
        verify.paired_difference(after, before[:50])


def test_before_after_scores_each_fix_against_the_baseline():
    y = np.array([0, 0, 1, 1, 1, 0])
    in_slice = np.array([1, 1, 1, 0, 0, 0], dtype=bool)
    predictions = {"baseline": np.array([1, 0, 0, 1, 1, 0]),
                   "fix": np.array([0, 0, 1, 1, 1, 1])}
    table = verify.before_after(y, predictions, in_slice, cost_fp=5, cost_fn=1,
                                baseline="baseline")
    assert table.loc["baseline", "accuracy"] == pytest.approx(4 / 6)
    assert table.loc["fix", "slice_accuracy"] == 1.0
    assert table.loc["baseline", "cost_per_100"] == pytest.approx(100 * 6 / 6)
    assert table.loc["fix", "slice_change"] == pytest.approx(1 - 1 / 3)
    with pytest.raises(KeyError, match="baseline"):
        verify.before_after(y, predictions, in_slice, 5, 1, baseline="none")
