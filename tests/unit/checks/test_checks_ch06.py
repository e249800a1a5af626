"""The Chapter 6 self-checks pass right answers and explain typical wrong ones."""

import numpy as np
import pytest

from helpers.checks import CheckFailed
from helpers.checks import ch06 as check


def pick_mixed(proba, pool_index, k, explore, seed):
    n_random = round(explore * k)
    order = np.argsort(-(1 - proba.max(axis=1)), kind="stable")
    uncertain, rest = order[:k - n_random], order[k - n_random:]
    extra = np.random.default_rng(seed).choice(rest, size=n_random, replace=False)
    return pool_index[np.concatenate([uncertain, extra])]


def test_exercise_1_wants_uncertain_and_random_picks_as_dataset_indices():
    assert "passed" in check.exercise_1(pick_mixed)

    def positions(proba, pool_index, k, explore, seed):  # the sketch's bug, again
        return np.searchsorted(pool_index, pick_mixed(proba, pool_index, k, explore, seed))

    def lecture_line(proba, pool_index, k, explore, seed):  # ignores explore
        return pool_index[np.argsort(-(1 - proba.max(axis=1)))[:k]]

    def random_may_repeat(proba, pool_index, k, explore, seed):
        n_random = round(explore * k)
        order = np.argsort(proba.max(axis=1))
        extra = np.random.default_rng(seed).choice(order[:n_random + 1], n_random)
        return pool_index[np.concatenate([order[:k - n_random], extra])]

    def fixed_random(proba, pool_index, k, explore, seed):
        return pick_mixed(proba, pool_index, k, explore, 0)

    with pytest.raises(CheckFailed, match="positions in the pool"):
        check.exercise_1(positions)
    with pytest.raises(CheckFailed, match="not random"):
        check.exercise_1(lambda p, i, k, e, s: lecture_line(p, i, k, e, s))
    with pytest.raises(CheckFailed, match="same sample twice"):
        check.exercise_1(random_may_repeat)
    with pytest.raises(CheckFailed, match="not random"):
        check.exercise_1(fixed_random)
    with pytest.raises(CheckFailed, match="expected 10 indices"):
        check.exercise_1(lambda p, i, k, e, s: i[:k + 1])


def entropy(proba):
    logs = np.log(np.where(proba > 0, proba, 1))
    return -(proba * logs).sum(axis=1)


def test_exercise_2_wants_a_finite_entropy():
    assert "passed" in check.exercise_2(entropy)
    assert "passed" in check.exercise_2(lambda p: entropy(p) / np.log(2))  # bits are fine
    with pytest.raises(CheckFailed, match="nan or inf"):
        check.exercise_2(lambda p: -(p * np.log(p)).sum(axis=1))
    with pytest.raises(CheckFailed, match="sign is flipped"):
        check.exercise_2(lambda p: -entropy(p))
    with pytest.raises(CheckFailed, match="not the entropy"):
        check.exercise_2(lambda p: 1 - p.max(axis=1))  # least confident, not entropy
    with pytest.raises(CheckFailed, match="one score per row"):
        check.exercise_2(lambda p: p)


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


def monthly(saving, labels_per_month, seconds_per_label, hour_cost, hard_factor):
    random_cost = labels_per_month * seconds_per_label / 3600 * hour_cost
    return random_cost * (1 - (1 - np.asarray(saving)) * hard_factor)


def careful(savings, labels_per_month, seconds_per_label, hour_cost, hard_factor,
            engineering_cost, months):
    savings = savings[~np.isnan(savings)]
    costs = (labels_per_month, seconds_per_label, hour_cost, hard_factor)
    pays = monthly(savings, *costs) * months >= engineering_cost
    if pays.all():
        return "build"
    if not pays.any():
        return "skip"
    return "measure more"


def on_the_mean(savings, labels_per_month, seconds_per_label, hour_cost, hard_factor,
                engineering_cost, months):
    mean = np.nanmean(savings)
    costs = (labels_per_month, seconds_per_label, hour_cost, hard_factor)
    return "build" if monthly(mean, *costs) * months >= engineering_cost else "skip"


def test_exercise_4_accepts_every_defensible_decision():
    assert "passed" in check.exercise_4(careful)
    assert "passed" in check.exercise_4(on_the_mean)  # expected value: defensible too
    costs = dict(labels_per_month=40_000, seconds_per_label=12, hour_cost=30, hard_factor=1.5,
                 engineering_cost=5_000, months=12)
    assert "passed" in check.exercise_4(careful, np.array([0.3, 0.5, 0.6]), costs)


def test_exercise_4_rejects_decisions_the_measurements_do_not_support():
    def no_hard_items(savings, labels_per_month, seconds_per_label, hour_cost, hard_factor,
                      engineering_cost, months):
        return on_the_mean(savings, labels_per_month, seconds_per_label, hour_cost, 1.0,
                           engineering_cost, months)

    def best_seed(savings, labels_per_month, seconds_per_label, hour_cost, hard_factor,
                  engineering_cost, months):
        best = np.nanmax(savings)
        costs = (labels_per_month, seconds_per_label, hour_cost, hard_factor)
        return "build" if monthly(best, *costs) * months >= engineering_cost else "skip"

    def any_saving(savings, *args, **kwargs):
        return "build" if np.nanmean(savings) > 0 else "skip"

    with pytest.raises(CheckFailed, match="no seed saves money"):
        check.exercise_4(no_hard_items)
    with pytest.raises(CheckFailed, match="only the luckiest seed"):
        check.exercise_4(best_seed)
    with pytest.raises(CheckFailed, match="no seed saves money"):
        check.exercise_4(any_saving)
    with pytest.raises(CheckFailed, match="every seed repays"):
        check.exercise_4(lambda savings, **costs: "measure more")
    with pytest.raises(CheckFailed, match="return one of"):
        check.exercise_4(lambda savings, **costs: True)
