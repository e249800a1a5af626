"""The Chapter 7 self-checks pass right answers and explain typical wrong ones."""

import numpy as np
import pandas as pd
import pytest

from helpers.checks import CheckFailed
from helpers.checks import ch07 as check


def interval_right(correct, n_boot, seed):
    correct = np.asarray(correct, dtype=float)
    rng = np.random.default_rng(seed)
    means = correct[rng.integers(0, len(correct), size=(n_boot, len(correct)))].mean(axis=1)
    return tuple(np.quantile(means, [0.025, 0.975]))


def test_exercise_1_wants_a_percentile_bootstrap_of_the_mean():
    assert "passed" in check.exercise_1(interval_right)

    def without_replacement(correct, n_boot, seed):
        rng = np.random.default_rng(seed)
        means = [rng.permutation(correct).mean() for _ in range(n_boot)]
        return tuple(np.quantile(means, [0.025, 0.975]))

    def items_not_means(correct, n_boot, seed):
        return tuple(np.quantile(np.asarray(correct, dtype=float), [0.025, 0.975]))

    def two_std_of_items(correct, n_boot, seed):
        correct = np.asarray(correct, dtype=float)
        return correct.mean() - 2 * correct.std(), correct.mean() + 2 * correct.std()

    def unseeded(correct, n_boot, seed):
        return interval_right(correct, n_boot, np.random.randint(1_000_000))

    with pytest.raises(CheckFailed, match="WITH replacement"):
        check.exercise_1(without_replacement)
    with pytest.raises(CheckFailed, match="resampled MEANS"):
        check.exercise_1(items_not_means)
    with pytest.raises(CheckFailed, match="far too wide"):
        check.exercise_1(two_std_of_items)
    with pytest.raises(CheckFailed, match="expected about"):
        check.exercise_1(lambda c, n, s: tuple(np.array(interval_right(c, n, s)) - 0.05))
    with pytest.raises(CheckFailed, match="same seed"):
        check.exercise_1(unseeded)


def test_exercise_2_wants_precision_and_recall_of_the_flags():
    def right(flagged, flipped):
        hits = (flagged & flipped).sum()
        return (hits / flagged.sum() if flagged.any() else float("nan"), hits / flipped.sum())

    assert "passed" in check.exercise_2(right)
    with pytest.raises(CheckFailed, match="swapped"):
        check.exercise_2(lambda f, t: right(f, t)[::-1])
    with pytest.raises(CheckFailed, match="all items"):
        check.exercise_2(lambda f, t: ((f & t).sum() / len(f), (f & t).sum() / t.sum()))
    with pytest.raises(CheckFailed, match="nothing is flagged"):
        check.exercise_2(lambda f, t: ((f & t).sum() / max(f.sum(), 1), (f & t).sum() / t.sum()))


def cheapest(y, p, cost_fp, cost_fn):
    grid = np.round(np.arange(0.01, 1.0, 0.01), 2)
    cost = [cost_fp * ((p >= t) & (y == 0)).sum() + cost_fn * ((p < t) & (y == 1)).sum()
            for t in grid]
    return grid[int(np.argmin(cost))]


def test_exercise_3_wants_the_measured_cheapest_threshold():
    assert "passed" in check.exercise_3(cheapest)
    with pytest.raises(CheckFailed, match="SWAPPED"):
        check.exercise_3(lambda y, p, fp, fn: cheapest(y, p, fn, fp))
    with pytest.raises(CheckFailed, match="not the formula"):
        check.exercise_3(lambda y, p, fp, fn: fp / (fp + fn))
    with pytest.raises(CheckFailed, match="the cheapest costs"):
        check.exercise_3(lambda y, p, fp, fn: 0.5)


RANKED = pd.DataFrame({"errors": [26, 19, 16, 13, 3, 7], "only_this": [7, 9, 2, 5, 0, 7]},
                      index=["independent", "label_issue", "low_confidence", "found_slice",
                             "outlier", "(no tag)"])
HOURS = {"independent": 40, "label_issue": 4, "low_confidence": 16, "found_slice": 24,
         "outlier": 2}
SUCCESS = {"independent": 0.3, "label_issue": 0.3, "low_confidence": 0.2, "found_slice": 0.3,
           "outlier": 0.5}


def per_hour(ranked, hours, success):
    return max(hours, key=lambda c: ranked.loc[c, "errors"] * success[c] / hours[c])


def test_exercise_4_accepts_the_efficient_picks_and_rejects_the_biggest_pile():
    assert "passed" in check.exercise_4(per_hour, RANKED, HOURS, SUCCESS)

    def only_this_basis(ranked, hours, success):
        return max(hours, key=lambda c: ranked.loc[c, "only_this"] * success[c] / hours[c])

    assert "passed" in check.exercise_4(only_this_basis, RANKED, HOURS, SUCCESS)

    def most_errors(ranked, hours, success):
        return ranked.loc[list(hours), "errors"].idxmax()

    def ignores_success(ranked, hours, success):
        return max(hours, key=lambda c: (ranked.loc[c, "errors"] / hours[c], c))

    with pytest.raises(CheckFailed, match="holds the most errors"):
        check.exercise_4(most_errors, RANKED, HOURS, SUCCESS)
    with pytest.raises(CheckFailed, match="too few errors per hour"):
        check.exercise_4(ignores_success, RANKED, HOURS, SUCCESS)
    with pytest.raises(CheckFailed, match="not fixes"):
        check.exercise_4(lambda ranked, hours, success: "(no tag)", RANKED, HOURS, SUCCESS)
