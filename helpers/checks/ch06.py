"""Self-checks for the Chapter 6 lab (active learning)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks import passed, require


def _probabilities(n: int, classes: int, seed: int) -> np.ndarray:
    """Random class probabilities, one row per sample (no ties)."""
    raw = np.random.default_rng(seed).gamma(0.5, size=(n, classes))
    return raw / raw.sum(axis=1, keepdims=True)


def exercise_1(pick_uncertain: Callable[[np.ndarray, np.ndarray, int], np.ndarray]) -> str:
    """`pick_uncertain(proba, pool_index, k)`: dataset indices of the k least confident."""
    proba = _probabilities(12, 3, seed=6)
    pool_index = np.array([3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610])
    order = np.argsort(proba.max(axis=1))  # least confident first
    wanted = set(pool_index[order[:4]].tolist())
    got = np.asarray(pick_uncertain(proba, pool_index, 4))
    require(got.shape == (4,), 1, f"expected 4 indices, got an array of shape {got.shape}",
            "return exactly k indices, e.g. with [:k] after sorting.")
    got_set = set(got.tolist())
    require(got_set != set(order[:4].tolist()), 1,
            "you returned positions in the pool (0..11), not dataset indices",
            "map positions back through pool_index: pool_index[positions].")
    require(got_set != set(pool_index[order[-4:]].tolist()), 1,
            "you picked the samples the model is MOST confident about",
            "sort by 1 - proba.max(axis=1) in descending order (np.argsort(-score)).")
    require(got_set == wanted, 1, f"picked {sorted(got_set)}, expected {sorted(wanted)}",
            "least confident = 1 - the largest probability in the row; take the k biggest.")
    return passed(1, f"the 4 least confident samples are dataset rows {sorted(wanted)}")


def exercise_2(margin_score: Callable[[np.ndarray], np.ndarray]) -> str:
    """`margin_score(proba)`: bigger when the two best classes are closer (ask first)."""
    proba = _probabilities(40, 5, seed=7)
    ranked = np.sort(proba, axis=1)
    margin = ranked[:, -1] - ranked[:, -2]
    score = np.asarray(margin_score(proba), dtype=float)
    require(score.shape == (40,), 2, f"expected one score per row (40), got shape {score.shape}",
            "compute along axis=1 so each sample gets one number.")
    spread = ranked[:, -1] - ranked[:, 0]
    require(not np.allclose(np.argsort(score), np.argsort(-spread)), 2,
            "your score uses the best and the WORST class, not the two best",
            "sort each row (np.sort(proba, axis=1)) and use the last two columns.")
    require(not np.allclose(np.argsort(score), np.argsort(margin)), 2,
            "your score is highest for the most certain samples (the sign is flipped)",
            "a small margin means unsure: return -(p1 - p2) or 1 - (p1 - p2).")
    require(np.array_equal(np.argsort(-score, kind="stable"), np.argsort(margin, kind="stable")),
            2, "the order of your scores differs from the order of the margins p1 - p2",
            "p1 and p2 are the largest and second largest probability of each row.")
    return passed(2, "your score ranks all 40 samples exactly by their margin, smallest first")


def exercise_3(labels_to_target: Callable[[list, list, float], int | None]) -> str:
    """`labels_to_target(n_labels, accuracy, target)`: first size reaching it, or None."""
    sizes = [10, 20, 30, 40, 50, 60]
    cases = [
        ([0.5, 0.7, 0.82, 0.79, 0.9, 0.91], 0.8, 30, "the curve dips after first reaching it"),
        ([0.5, 0.7, 0.8, 0.85, 0.9, 0.91], 0.8, 30, "exactly equal to the target counts"),
        ([0.5, 0.6, 0.7, 0.7, 0.75, 0.78], 0.8, None, "a run that never reaches the target"),
        ([0.85, 0.9, 0.91, 0.92, 0.93, 0.94], 0.8, 10, "reached at the first point"),
    ]
    for accuracy, target, expected, what in cases:
        got = labels_to_target(sizes, accuracy, target)
        hint = ("return None when no point reaches the target: 0 or the last size would look "
                "like a real number of labels." if expected is None else
                "walk the curve from the left and return n_labels at the first accuracy >= "
                "target.")
        require(got == expected, 3, f"{what}: got {got!r}, expected {expected!r}", hint)
    return passed(3, f"all {len(cases)} curves give the right number of labels (or None)")


def exercise_4(hours_saved: Callable[[float, float, float, float], float]) -> str:
    """`hours_saved(labels_active, labels_random, seconds_per_label, hard_factor)` in hours."""
    got = hours_saved(600, 1000, 18, 1.5)
    expected = (1000 * 18 - 600 * 18 * 1.5) / 3600
    require(got is not None and np.isfinite(got), 4, f"expected a number, got {got!r}",
            "return the hours as a float.")
    require(not np.isclose(got, (1000 - 600) * 18 / 3600), 4,
            "you left out that uncertain items take longer to label",
            "active labels cost seconds_per_label * hard_factor each; random ones "
            "seconds_per_label.")
    require(np.isclose(got, expected), 4, f"got {got}, expected {expected} hours",
            "hours = (labels_random * s - labels_active * s * hard_factor) / 3600.")
    worse = hours_saved(900, 1000, 18, 1.5)
    require(worse < 0, 4, f"900 hard labels vs 1000 easy ones should LOSE time, got {worse}",
            "do not clip at zero: a negative saving is a real result.")
    return passed(4, f"600 hard labels instead of 1000 easy ones save {expected:.1f} hours; "
                     f"900 would cost {-worse:.1f} hours more")
