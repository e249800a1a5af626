"""Before/after scores of fixes and the paired interval of their change."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from helpers.erroranalysis import costs, verify


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
    # baseline: a false positive (5) and a false negative (1); fix: one false positive
    assert table.loc["fix", "cost_change"] == pytest.approx(100 * (5 - 6) / 6)
    assert table.loc["baseline", ["cost_change", "cost_low", "cost_high"]].tolist() == [0, 0, 0]
    assert table.loc["fix", "cost_low"] <= table.loc["fix", "cost_change"] <= table.loc[
        "fix", "cost_high"]
    with pytest.raises(KeyError, match="baseline"):
        verify.before_after(y, predictions, in_slice, 5, 1, baseline="none")


def test_paired_difference_of_costs_per_item():
    before = np.r_[np.full(20, 4.0), np.zeros(80)]
    after = np.r_[np.full(10, 4.0), np.ones(10), np.zeros(80)]
    change, low, high = verify.paired_difference(after, before, seed=0)
    assert change == pytest.approx(-0.3) and low < -0.3 < high < 0


def test_cross_validated_costs_score_every_item_once_at_a_threshold_chosen_without_it():
    X, y = make_classification(400, n_features=4, class_sep=0.8, random_state=0)
    X = pd.DataFrame(X)

    def make_model():
        return LogisticRegression(max_iter=500)

    table = verify.cross_validated_costs(make_model, X, y, cost_fp=4, cost_fn=1, folds=4,
                                         inner_folds=3, seed=0)
    assert len(table) == len(y) and not table[["default", "chosen"]].isna().any().any()
    thresholds = np.concatenate(table["thresholds"].to_numpy())
    assert 1 < len(np.unique(thresholds)) <= 4  # one threshold per fold
    # false positives cost 4 times more: the chosen thresholds lie above 0.5, and pay
    assert (thresholds > 0.5).all()
    assert table["chosen"].sum() < table["default"].sum()
    # the items that got one fold's threshold: their costs at 0.5 are those of a model fitted
    # on all the other items
    fold = np.flatnonzero(thresholds == thresholds[0])
    others = np.setdiff1d(np.arange(len(y)), fold)
    proba = make_model().fit(X.iloc[others], y[others]).predict_proba(X.iloc[fold])[:, 1]
    assert table.loc[fold, "default"].tolist() == costs.item_costs(y[fold], proba, 0.5, 4,
                                                                   1).tolist()
    again = verify.cross_validated_costs(make_model, X, y, 4, 1, 4, 3, seed=0)
    pd.testing.assert_frame_equal(table.drop(columns="thresholds"),
                                  again.drop(columns="thresholds"))


def test_cross_validated_costs_average_each_item_over_repeats():
    X, y = make_classification(300, n_features=4, class_sep=0.8, random_state=1)
    X = pd.DataFrame(X)

    def make_model():
        return LogisticRegression(max_iter=500)

    table = verify.cross_validated_costs(make_model, X, y, 4, 1, folds=3, inner_folds=3,
                                         repeats=3, seed=2)
    assert table["thresholds"].map(len).eq(3).all()
    # an item's mean cost over 3 repeats is a multiple of 1/3 of a cost, at most the dearer one
    assert np.allclose((3 * table["chosen"]) % 1, 0) and table["chosen"].max() <= 4
    with pytest.raises(ValueError, match="repeats"):
        verify.cross_validated_costs(make_model, X, y, 4, 1, repeats=0)
