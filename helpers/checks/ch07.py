"""Self-checks for the Chapter 7 lab (error analysis)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from helpers.checks import passed, require
from helpers.erroranalysis import costs, slices


def exercise_1(slice_interval: Callable[[np.ndarray, int, int], tuple[float, float]]) -> str:
    """`slice_interval(correct, n_boot, seed)`: 95% percentile bootstrap interval of accuracy."""
    correct = np.r_[np.ones(160), np.zeros(40)].astype(bool)  # accuracy 0.8 on 200 items
    got = slice_interval(correct, 2000, 3)
    require(isinstance(got, tuple | list | np.ndarray) and len(got) == 2, 1,
            f"expected (low, high), got {got!r}", "return a pair: the 2.5% and 97.5% quantiles.")
    low, high = (float(v) for v in got)
    want_low, want_high = slices.bootstrap_ci(correct, 2000, 0.95, seed=3)
    require(low < high, 1, f"the interval ({low:.3f}, {high:.3f}) has no width",
            "resample WITH replacement (rng.integers(0, n, size=(n_boot, n))); a permutation "
            "of the same items always has the same mean.")
    require(not (np.isclose(low, 0) and np.isclose(high, 1)), 1,
            f"({low:.3f}, {high:.3f}) are the quantiles of the 0/1 flags themselves",
            "take the quantiles of the n_boot resampled MEANS, not of the items.")
    require(high - low < 0.3, 1, f"({low:.3f}, {high:.3f}) is far too wide for 200 items",
            "the spread of a mean shrinks with n: quantiles of resampled means, not mean +- 2 std "
            "of the items.")
    require(abs(low - want_low) < 0.03 and abs(high - want_high) < 0.03, 1,
            f"got ({low:.3f}, {high:.3f}), expected about ({want_low:.3f}, {want_high:.3f})",
            "a 95% interval keeps the middle 95%: np.quantile(means, [0.025, 0.975]).")
    scores = np.linspace(0, 1, 41)  # continuous values: any change of the draws shows
    require(np.allclose(slice_interval(scores, 200, 3), slice_interval(scores, 200, 3)), 1,
            "two calls with the same seed gave different intervals",
            "draw from np.random.default_rng(seed), not from the global random state.")
    return passed(1, f"accuracy 0.8 on 200 items: ({low:.3f}, {high:.3f}), as expected")


def _nan_or_none(value) -> bool:
    """True for None or a float NaN: an undefined precision."""
    return value is None or (isinstance(value, float | np.floating) and np.isnan(value))


def exercise_2(precision_recall: Callable[[np.ndarray, np.ndarray], tuple[float, float]]) -> str:
    """`precision_recall(flagged, flipped)`: share of flags that are flips, of flips flagged."""
    flagged = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0], dtype=bool)
    flipped = np.array([1, 0, 0, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    precision, recall = precision_recall(flagged, flipped)
    require(not (np.isclose(precision, 0.5) and np.isclose(recall, 0.25)), 2,
            "precision and recall are swapped",
            "precision = hits / flagged items; recall = hits / flipped items.")
    require(not np.isclose(precision, 0.1), 2, "you divided the hits by all items",
            "precision counts only the flagged items: hits / flagged.sum().")
    require(np.isclose(precision, 0.25) and np.isclose(recall, 0.5), 2,
            f"got precision {precision}, recall {recall}; expected 0.25 and 0.5",
            "hits = (flagged & flipped).sum(); precision = hits / flagged.sum(), "
            "recall = hits / flipped.sum().")
    empty = precision_recall(np.zeros(10, dtype=bool), flipped)
    require(_nan_or_none(empty[0]), 2,
            f"with nothing flagged your precision is {empty[0]!r}",
            "precision is undefined when nothing is flagged: return float('nan'), not 0 or 1.")
    return passed(2, "precision 0.25 and recall 0.5 on the known case; nothing flagged: undefined")


def _miscalibrated(seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Labels and over-confident probabilities: the cost-optimal threshold is not the formula's."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, 400)
    score = y * 1.2 + rng.normal(size=400)
    return y, 1 / (1 + np.exp(-3 * (score - 0.6)))


def exercise_3(cheapest_threshold: Callable[[np.ndarray, np.ndarray, float, float], float]) -> str:
    """`cheapest_threshold(y, p, cost_fp, cost_fn)`: the measured threshold of lowest cost."""
    y, p = _miscalibrated()
    for cost_fp, cost_fn in [(4, 1), (1, 4)]:
        got = float(cheapest_threshold(y, p, cost_fp, cost_fn))
        curve = costs.cost_curve(y, p, cost_fp, cost_fn)
        best = curve.min()
        mine = costs.total_cost(y, p, got, cost_fp, cost_fn)
        swapped_best = costs.cost_curve(y, p, cost_fn, cost_fp).min()
        is_swapped = costs.total_cost(y, p, got, cost_fn, cost_fp) <= swapped_best
        require(not (is_swapped and mine > best), 3,
                f"costs ({cost_fp}, {cost_fn}): your threshold {got:.2f} is the best one for the "
                "SWAPPED costs", "a false positive is predicting 1 for a true 0: cost_fp.")
        require(mine <= best + 1e-9, 3,
                f"costs ({cost_fp}, {cost_fn}): threshold {got:.2f} costs {mine:.0f}, the "
                f"cheapest costs {best:.0f}", "price every threshold 0.01 .. 0.99 with the "
                "costs (not accuracy, not the formula) and take the cheapest.")
    return passed(3, "your thresholds are the cheapest ones, for both cost matrices")


def _errors_removed(ranked: pd.DataFrame, hours: dict, success: dict, column: str) -> pd.Series:
    """Expected errors removed per hour of work, per category with an effort estimate."""
    known = [c for c in hours if c in ranked.index]
    return pd.Series({c: ranked.loc[c, column] * success[c] / hours[c] for c in known})


def exercise_4(pick_first: Callable[[pd.DataFrame, dict, dict], str], ranked: pd.DataFrame,
               hours: dict, success: dict) -> str:
    """`pick_first(ranked, hours, success)`: a category worth working on first, per hour."""
    synthetic = pd.DataFrame({"errors": [40, 12, 30, 20], "only_this": [30, 10, 2, 5]},
                             index=["slice", "label_issue", "low_confidence", "(no tag)"])
    cases = [(synthetic, {"slice": 80, "label_issue": 4, "low_confidence": 10},
              {"slice": 0.5, "label_issue": 0.5, "low_confidence": 0.3}), (ranked, hours, success)]
    for table, effort, rate in cases:
        choice = pick_first(table, dict(effort), dict(rate))
        require(choice in effort, 4, f"{choice!r} is not a category with an effort estimate",
                 f"pick one of {sorted(effort)}: '(no tag)' and the confused pairs are not fixes.")
        good = set()
        for column in ("errors", "only_this"):
            per_hour = _errors_removed(table, effort, rate, column)
            good |= set(per_hour.index[per_hour >= 0.8 * per_hour.max()])
        most = table.loc[list(effort), "errors"].idxmax()
        require(choice in good or choice != most, 4,
                f"you picked {choice!r} because it holds the most errors, but its fix takes "
                f"{effort[choice]} hours", "weigh each category's errors by the chance the fix "
                "works and divide by the hours it takes.")
        require(choice in good, 4, f"{choice!r} removes too few errors per hour of work",
                f"defensible first picks here: {sorted(good)} (errors x success / hours, "
                "counting all its errors or only those no other tag explains).")
    return passed(4, f"{choice!r} removes the most errors per hour (or close to it)")
