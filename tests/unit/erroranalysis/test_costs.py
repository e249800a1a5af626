"""Cost-based thresholds: known costs, the Bayes threshold, and the search."""

import numpy as np
import pytest

from helpers.erroranalysis import costs

Y = np.array([0, 0, 0, 1, 1, 1])
P = np.array([0.1, 0.6, 0.7, 0.4, 0.8, 0.9])


def test_total_cost_counts_false_positives_and_negatives_at_their_price():
    assert costs.total_cost(Y, P, 0.5, cost_fp=5, cost_fn=1) == 2 * 5 + 1 * 1
    assert costs.total_cost(Y, P, 0.75, cost_fp=5, cost_fn=1) == 0 * 5 + 1 * 1


def test_item_costs_price_each_item_and_add_up_to_the_total():
    each = costs.item_costs(Y, P, 0.5, cost_fp=5, cost_fn=1)
    assert each.tolist() == [0, 5, 5, 1, 0, 0]
    assert each.sum() == costs.total_cost(Y, P, 0.5, 5, 1)


def test_bayes_threshold():
    assert costs.bayes_threshold(1, 1) == 0.5
    assert costs.bayes_threshold(4, 1) == 0.8
    with pytest.raises(ValueError, match="costs"):
        costs.bayes_threshold(-1, 1)


def test_best_threshold_moves_up_when_false_positives_are_expensive():
    assert costs.best_threshold(Y, P, 5, 1) == pytest.approx(0.71)  # lowest cost, nearest 0.5
    assert costs.best_threshold(Y, P, 1, 5) == pytest.approx(0.4)  # misses are dear: lower
    curve = costs.cost_curve(Y, P, 5, 1)
    assert curve.min() == 1 and curve.loc[0.5] == 11


def test_bad_probabilities_are_refused():
    with pytest.raises(ValueError, match="predict_proba"):
        costs.total_cost(Y, np.c_[1 - P, P], 0.5, 1, 1)
