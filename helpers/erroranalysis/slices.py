"""Metrics by slice, each with its size and a bootstrap confidence interval (Chapter 7).

An accuracy of 0.70 on 12 people and on 1,200 people are different statements: the interval
says which slices are measured well enough to act on. Whether a slice differs from everyone is a
question about its gap to the overall accuracy, so the gap gets an interval of its own
(`gap_ci`): the overall accuracy is an estimate too, and it contains the slice.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd


def bootstrap_ci(values, n_boot: int = 1000, level: float = 0.95,
                 seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval for the mean of `values` (e.g. 0/1 'was it right')."""
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or len(values) == 0:
        raise ValueError(f"need a non-empty 1-d array of values, got shape {values.shape}")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level}")
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n_boot, len(values)))].mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def gap_ci(correct, inside, n_boot: int = 1000, level: float = 0.95,
           seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap interval of a slice's accuracy minus the overall accuracy.

    `correct` holds every item's 0/1 "was it right", `inside` marks the slice's items. The slice
    and the rest are resampled separately (with replacement, each at its own size) and the
    overall accuracy is recomputed from both in every resample, so the interval carries the
    uncertainty of both sides of the comparison.
    """
    correct = np.asarray(correct, dtype=float)
    inside = np.asarray(inside, dtype=bool)
    if correct.ndim != 1 or correct.shape != inside.shape:
        raise ValueError(f"correct and inside must be 1-d and of the same length, got shapes "
                         f"{correct.shape} and {inside.shape}")
    if not inside.any():
        raise ValueError("the slice is empty: `inside` marks no item")
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level}")
    if inside.all():
        return 0.0, 0.0  # the slice is everyone: no gap
    rng = np.random.default_rng(seed)
    slice_, rest = correct[inside], correct[~inside]
    in_slice = slice_[rng.integers(0, len(slice_), size=(n_boot, len(slice_)))].mean(axis=1)
    in_rest = rest[rng.integers(0, len(rest), size=(n_boot, len(rest)))].mean(axis=1)
    gaps = in_slice - (len(slice_) * in_slice + len(rest) * in_rest) / len(correct)
    tail = (1 - level) / 2
    low, high = np.quantile(gaps, [tail, 1 - tail])
    return float(low), float(high)


def metric_frame(y_true, y_pred, groups, metric: Callable | None = None):
    """fairlearn's MetricFrame of `metric` (default accuracy) by the slice labels in `groups`."""
    from fairlearn.metrics import MetricFrame
    from sklearn.metrics import accuracy_score

    return MetricFrame(metrics=metric or accuracy_score, y_true=np.asarray(y_true),
                       y_pred=np.asarray(y_pred), sensitive_features=groups)


def slice_table(y_true, y_pred, groups, n_boot: int = 1000, level: float = 0.95,
                seed: int = 0, min_n: int = 30) -> pd.DataFrame:
    """Accuracy, size, bootstrap interval and gap to overall per slice; `too_small` if n < min_n.

    `low` and `high` bound the slice's accuracy; `gap_low` and `gap_high` bound its gap to the
    overall accuracy (`gap_ci`), the interval to read when asking whether a slice differs
    (`differs`). Below a few dozen items the percentile bootstrap is itself unreliable (a slice
    with every item right gets the interval [1, 1]), so such slices are marked rather than
    trusted.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    groups = pd.Series(np.asarray(groups), name=getattr(groups, "name", None) or "slice")
    if not len(y_true) == len(y_pred) == len(groups):
        raise ValueError(f"y_true, y_pred and groups differ in length: "
                         f"{len(y_true)}, {len(y_pred)}, {len(groups)}")
    correct = y_true == y_pred
    by_group = metric_frame(y_true, y_pred, groups).by_group
    rows = []
    for name, accuracy in by_group.items():
        mask = (groups == name).to_numpy()
        low, high = bootstrap_ci(correct[mask], n_boot, level, seed)
        gap_low, gap_high = gap_ci(correct, mask, n_boot, level, seed)
        rows.append({groups.name: name, "n": int(mask.sum()), "accuracy": accuracy,
                     "low": low, "high": high, "gap": accuracy - correct.mean(),
                     "gap_low": gap_low, "gap_high": gap_high})
    table = pd.DataFrame(rows).set_index(groups.name)
    table["too_small"] = table["n"] < min_n
    return table.sort_values("accuracy")


def excludes(table: pd.DataFrame, value: float) -> pd.Series:
    """True for the slices whose accuracy interval does not contain `value`.

    Against the overall accuracy this is only a rough check: it treats the overall as exact and
    ignores that the slice is part of it. `differs` asks the question properly.
    """
    return (table["high"] < value) | (table["low"] > value)


def differs(table: pd.DataFrame) -> pd.Series:
    """-1 for slices whose gap interval lies below 0, +1 above 0, 0 where it includes 0."""
    sign = np.where(table["gap_high"] < 0, -1, np.where(table["gap_low"] > 0, 1, 0))
    return pd.Series(sign, index=table.index, name="differs")
