"""Slice metrics: known accuracies, intervals that cover them and shrink with size."""

import numpy as np
import pandas as pd
import pytest

from helpers.erroranalysis import slices


def test_bootstrap_interval_of_a_constant_is_the_constant():
    assert slices.bootstrap_ci(np.ones(10)) == (1.0, 1.0)


def test_bootstrap_interval_covers_the_mean_and_shrinks_with_more_data():
    small = np.r_[np.ones(8), np.zeros(2)]
    big = np.tile(small, 50)
    low_s, high_s = slices.bootstrap_ci(small, seed=1)
    low_b, high_b = slices.bootstrap_ci(big, seed=1)
    assert low_s <= 0.8 <= high_s and low_b <= 0.8 <= high_b
    assert high_b - low_b < (high_s - low_s) / 3
    # the normal approximation for 500 Bernoulli(0.8) items: about +-0.035
    assert high_b - low_b == pytest.approx(2 * 1.96 * np.sqrt(0.8 * 0.2 / 500), rel=0.15)


def test_bootstrap_refuses_empty_input_and_a_bad_level():
    with pytest.raises(ValueError, match="non-empty"):
        slices.bootstrap_ci([])
    with pytest.raises(ValueError, match="level"):
        slices.bootstrap_ci([1, 0], level=95)


def test_slice_table_gives_known_accuracies_sizes_and_gaps():
    y_true = np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 0])
    y_pred = np.array([1, 1, 1, 0, 0, 0, 1, 1, 1, 0])
    groups = pd.Series(list("aaaabbbbcc"), name="g")
    table = slices.slice_table(y_true, y_pred, groups, n_boot=200)
    assert table.index.tolist() == ["b", "a", "c"]  # worst first
    assert table["accuracy"].tolist() == [0.5, 0.75, 1.0]
    assert table["n"].tolist() == [4, 4, 2]
    assert table.loc["c", "gap"] == pytest.approx(1.0 - 0.7)
    assert (table["gap_low"] <= table["gap"]).all() and (table["gap"] <= table["gap_high"]).all()
    assert (table["low"] <= table["accuracy"]).all() and (table["accuracy"] <= table["high"]).all()
    # two items, both right: the bootstrap interval collapses to [1, 1], so it "excludes" 0.7;
    # that is why tiny slices are marked too small rather than trusted
    assert slices.excludes(table, 0.7).tolist() == [False, False, True]
    assert table["too_small"].tolist() == [True, True, True]
    assert not slices.slice_table(y_true, y_pred, groups, min_n=2)["too_small"].any()
    assert slices.excludes(table, 0.2).tolist() == [False, True, True]  # b: 0 .. 1


def test_slice_table_agrees_with_metric_frame_and_checks_lengths():
    y_true, y_pred = np.array([1, 0, 1, 0]), np.array([1, 1, 1, 0])
    frame = slices.metric_frame(y_true, y_pred, ["x", "x", "y", "y"])
    assert frame.overall == 0.75 and frame.difference() == 0.5
    with pytest.raises(ValueError, match="differ in length"):
        slices.slice_table(y_true, y_pred, ["x", "y"])


def test_gap_interval_covers_the_gap_and_is_narrower_than_the_slice_interval_when_large():
    # a slice of 200 at accuracy 0.80 among 800 others at 0.95: the overall is 0.92
    correct = np.r_[np.tile([1] * 4 + [0], 40), np.tile([1] * 19 + [0], 40)].astype(bool)
    inside = np.r_[np.ones(200), np.zeros(800)].astype(bool)
    low, high = slices.gap_ci(correct, inside, 2000, seed=1)
    gap = 0.80 - 0.92
    assert low < gap < high < 0
    # the gap is (1 - share) * (slice - rest): its spread is about 0.8 * sqrt(0.16/200 + 0.0475/800)
    spread = 0.8 * np.sqrt(0.8 * 0.2 / 200 + 0.95 * 0.05 / 800)
    assert high - low == pytest.approx(2 * 1.96 * spread, rel=0.15)
    slice_low, slice_high = slices.bootstrap_ci(correct[inside], 2000, seed=1)
    assert high - low < slice_high - slice_low
    assert slices.gap_ci(correct, inside, 2000, seed=1) == (low, high)  # seeded


def test_gap_interval_of_everyone_is_zero_and_bad_input_is_refused():
    correct = np.array([1, 0, 1, 1], dtype=bool)
    assert slices.gap_ci(correct, np.ones(4, dtype=bool)) == (0.0, 0.0)
    with pytest.raises(ValueError, match="empty"):
        slices.gap_ci(correct, np.zeros(4, dtype=bool))
    with pytest.raises(ValueError, match="same length"):
        slices.gap_ci(correct, np.ones(3, dtype=bool))
    with pytest.raises(ValueError, match="level"):
        slices.gap_ci(correct, np.array([1, 0, 0, 0], dtype=bool), level=95)


def test_differs_reads_the_sign_of_the_gap_interval():
    table = pd.DataFrame({"gap_low": [-0.2, -0.1, 0.01], "gap_high": [-0.05, 0.1, 0.2]},
                         index=["worse", "unclear", "better"])
    assert slices.differs(table).tolist() == [-1, 0, 1]
