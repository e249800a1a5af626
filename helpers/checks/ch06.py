"""Self-checks for the Chapter 6 lab (active learning)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from helpers.checks import passed, require

DECISIONS = ("build", "skip", "measure more")


def _probabilities(n: int, classes: int, seed: int) -> np.ndarray:
    """Random class probabilities, one row per sample (no ties)."""
    raw = np.random.default_rng(seed).gamma(0.5, size=(n, classes))
    return raw / raw.sum(axis=1, keepdims=True)


def exercise_1(pick_mixed: Callable[[np.ndarray, np.ndarray, int, float, int], np.ndarray]) -> str:
    """`pick_mixed(proba, pool_index, k, explore, seed)`: uncertain picks plus random ones."""
    proba = _probabilities(40, 3, seed=6)
    pool_index = np.arange(100, 140) * 7  # dataset indices of the 40 unlabeled samples
    order = np.argsort(proba.max(axis=1))  # least confident first
    k, explore = 10, 0.3
    got = np.asarray(pick_mixed(proba, pool_index, k, explore, 0))
    require(got.shape == (k,), 1, f"expected {k} indices, got an array of shape {got.shape}",
            "return exactly k dataset indices: the uncertain ones and the random ones together.")
    require(set(got.tolist()) <= set(pool_index.tolist()), 1,
            "some of your indices are positions in the pool, not dataset indices",
            "map positions back through pool_index: pool_index[positions].")
    require(len(set(got.tolist())) == k, 1, "your batch asks for the same sample twice",
            "draw the random part from the samples NOT already picked as uncertain.")
    n_uncertain = k - round(explore * k)
    wanted = set(pool_index[order[:n_uncertain]].tolist())
    require(wanted <= set(got.tolist()), 1,
            f"the {n_uncertain} least confident samples are not all in your batch",
            "k - round(explore * k) picks go by uncertainty (1 - max probability), the rest at "
            "random.")
    rest = [set(np.asarray(pick_mixed(proba, pool_index, k, explore, s)).tolist()) - wanted
            for s in range(1, 6)]
    require(len({frozenset(r) for r in rest}) > 1, 1,
            "the random part is the same for every seed: it is not random",
            "use np.random.default_rng(seed).choice(..., replace=False) on the remaining ones.")
    require(all(len(r) == k - n_uncertain for r in rest), 1,
            f"with explore={explore} the batch should hold {k - n_uncertain} random picks",
            "round(explore * k) of the k picks are random, and none repeats an uncertain one.")
    only = set(np.asarray(pick_mixed(proba, pool_index, k, 0.0, 0)).tolist())
    require(only == set(pool_index[order[:k]].tolist()), 1,
            "with explore=0 the batch should be the k least confident samples",
            "round(0 * k) = 0 random picks: the whole batch goes by uncertainty.")
    return passed(1, f"{n_uncertain} uncertain and {k - n_uncertain} random picks, as dataset "
                     "indices, never the same sample twice")


def exercise_2(entropy_score: Callable[[np.ndarray], np.ndarray]) -> str:
    """`entropy_score(proba)`: entropy of each row, finite even when some p are exactly 0."""
    proba = _probabilities(30, 4, seed=7)
    proba[:5] = [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.25] * 4, [0.9, 0.1, 0, 0], [0.7, 0.1, 0.1, 0.1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = -np.sum(np.where(proba > 0, proba * np.log(np.where(proba > 0, proba, 1)), 0),
                           axis=1)
        score = np.asarray(entropy_score(proba.copy()), dtype=float)
    require(score.shape == (30,), 2, f"expected one score per row (30), got shape {score.shape}",
            "sum over axis=1 so each sample gets one number.")
    require(np.isfinite(score).all(), 2,
            f"{int((~np.isfinite(score)).sum())} rows give nan or inf: 0 * log(0) is nan in numpy",
            "a class with p = 0 adds nothing to the entropy: leave it out (np.where(p > 0, ...)).")
    require(not np.allclose(np.argsort(score), np.argsort(-expected)), 2,
            "your score is highest for the most certain samples (the sign is flipped)",
            "entropy is -sum(p * log p); the minus makes it positive, and biggest when unsure.")
    scale = expected[2] / score[2] if score[2] else 0.0
    require(score[0] == 0 and np.allclose(score * scale, expected), 2,
            "your score is not the entropy of the rows (a one-hot row must score 0, the uniform "
            "row the most)", "sum -p * log(p) over ALL the classes of a row, not just the top one.")
    return passed(2, "finite for rows with zeros, 0 for a certain row, biggest for a uniform one")


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


def _monthly(saving, costs: dict) -> np.ndarray:
    """Money saved per month at each saving (the lab's cost model)."""
    random_cost = costs["labels_per_month"] * costs["seconds_per_label"] / 3600 * costs["hour_cost"]
    return random_cost * (1 - (1 - np.asarray(saving, dtype=float)) * costs["hard_factor"])


def defensible(savings: np.ndarray, costs: dict) -> set[str]:
    """The decisions the measured per-seed savings support, under the lab's cost model."""
    savings = np.asarray(savings, dtype=float)
    savings = savings[~np.isnan(savings)]
    budget = costs["engineering_cost"] / costs["months"]  # saving per month needed to repay it
    pays = _monthly(savings, costs) >= budget
    if savings.size == 0:
        return {"measure more"}
    if pays.all():
        return {"build"}
    if not pays.any():
        return {"skip"}
    return {"build", "measure more"} if _monthly(savings.mean(), costs) >= budget else {
        "skip", "measure more"}


SCENARIOS = [  # (what it tests, savings per seed, costs)
    ("every seed repays the engineering", [0.45, 0.5, 0.55, 0.6],
     dict(labels_per_month=40_000, seconds_per_label=12, hour_cost=30, hard_factor=1.2,
          engineering_cost=5_000, months=12)),
    ("hard items take so long that no seed saves money", [0.25, 0.3, 0.2, 0.15],
     dict(labels_per_month=40_000, seconds_per_label=12, hour_cost=30, hard_factor=1.5,
          engineering_cost=1_000, months=12)),
    ("the mean repays it but two seeds do not", [0.1, 0.3, 0.55, 0.6, 0.65],
     dict(labels_per_month=40_000, seconds_per_label=12, hour_cost=30, hard_factor=1.0,
          engineering_cost=20_000, months=12)),
    ("only the luckiest seed repays it", [0.05, 0.1, 0.15, 0.6, np.nan],
     dict(labels_per_month=40_000, seconds_per_label=12, hour_cost=30, hard_factor=1.0,
          engineering_cost=20_000, months=12)),
    ("a small team: the saving is real but too small to repay the work", [0.4, 0.45, 0.5],
     dict(labels_per_month=2_000, seconds_per_label=12, hour_cost=30, hard_factor=1.2,
          engineering_cost=5_000, months=12)),
]


def exercise_4(decide: Callable[..., str], measured: np.ndarray | None = None,
               costs: dict | None = None) -> str:
    """`decide(savings, **costs)` -> "build", "skip" or "measure more", defensibly."""
    cases = list(SCENARIOS)
    if measured is not None and costs is not None:
        cases.append(("your own measurement", list(measured), costs))
    for what, savings, scenario in cases:
        got = decide(np.array(savings, dtype=float), **scenario)
        require(got in DECISIONS, 4, f"{what}: got {got!r}", f"return one of {DECISIONS}.")
        allowed = defensible(np.array(savings, dtype=float), scenario)
        require(got in allowed, 4,
                f"{what}: you said {got!r}, but the measurements support only "
                f"{' or '.join(repr(a) for a in sorted(allowed))}",
                "price every seed's saving per month (hard items cost hard_factor times the "
                "time), compare it with engineering_cost / months, and decide on how many seeds "
                "repay it: all, none, or some (then the mean decides between 'build'/'skip' "
                "and 'measure more').")
    return passed(4, f"a defensible decision in all {len(cases)} situations")
