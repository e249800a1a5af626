"""Metrics by slice, each with its size and a bootstrap confidence interval (Chapter 7).

An accuracy of 0.70 on 12 people and on 1,200 people are different statements: the interval
says which slices are measured well enough to act on.
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


def metric_frame(y_true, y_pred, groups, metric: Callable | None = None):
    """fairlearn's MetricFrame of `metric` (default accuracy) by the slice labels in `groups`."""
    from fairlearn.metrics import MetricFrame
    from sklearn.metrics import accuracy_score

    return MetricFrame(metrics=metric or accuracy_score, y_true=np.asarray(y_true),
                       y_pred=np.asarray(y_pred), sensitive_features=groups)


def slice_table(y_true, y_pred, groups, n_boot: int = 1000, level: float = 0.95,
                seed: int = 0, min_n: int = 30) -> pd.DataFrame:
    """Accuracy, size, bootstrap interval and gap to overall per slice; `too_small` if n < min_n.

    Below a few dozen items the percentile bootstrap is itself unreliable (a slice with every
    item right gets the interval [1, 1]), so such slices are marked rather than trusted.
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
        inside = correct[(groups == name).to_numpy()]
        low, high = bootstrap_ci(inside, n_boot, level, seed)
        rows.append({groups.name: name, "n": len(inside), "accuracy": accuracy,
                     "low": low, "high": high})
    table = pd.DataFrame(rows).set_index(groups.name)
    table["gap"] = table["accuracy"] - correct.mean()
    table["too_small"] = table["n"] < min_n
    return table.sort_values("accuracy")


def excludes(table: pd.DataFrame, value: float) -> pd.Series:
    """True for the slices whose interval does not contain `value` (e.g. overall accuracy)."""
    return (table["high"] < value) | (table["low"] > value)
