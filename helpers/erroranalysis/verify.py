"""Fixes measured on held-out data: overall, on the failing slice, and in cost (Chapter 7).

The test set picks nothing: every fix is chosen on development data and only scored here, so
a fix that does not help shows up as such.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def paired_difference(correct_after, correct_before, n_boot: int = 1000, level: float = 0.95,
                      seed: int = 0) -> tuple[float, float, float]:
    """Accuracy change after - before on the same items, with a paired bootstrap interval."""
    after = np.asarray(correct_after, dtype=float)
    before = np.asarray(correct_before, dtype=float)
    if after.shape != before.shape or after.ndim != 1:
        raise ValueError(f"need two 1-d arrays over the same items, got {after.shape} and "
                         f"{before.shape}")
    rows = np.random.default_rng(seed).integers(0, len(after), size=(n_boot, len(after)))
    diffs = after[rows].mean(axis=1) - before[rows].mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(diffs, [tail, 1 - tail])
    return float(after.mean() - before.mean()), float(low), float(high)


def score(y, pred, in_slice, cost_fp: float, cost_fn: float) -> dict[str, float]:
    """Accuracy overall and in the slice, and the cost per 100 items, of one set of predictions."""
    y, pred, in_slice = np.asarray(y), np.asarray(pred), np.asarray(in_slice, dtype=bool)
    correct = y == pred
    cost = cost_fp * ((pred == 1) & (y == 0)).sum() + cost_fn * ((pred == 0) & (y == 1)).sum()
    return {"accuracy": correct.mean(), "slice_accuracy": correct[in_slice].mean(),
            "cost_per_100": 100 * cost / len(y)}


def before_after(y, predictions: dict[str, np.ndarray], in_slice, cost_fp: float,
                 cost_fn: float, baseline: str, seed: int = 0) -> pd.DataFrame:
    """One row per fix: its scores, the change against `baseline`, and that change's interval."""
    if baseline not in predictions:
        raise KeyError(f"baseline {baseline!r} is not among {sorted(predictions)}")
    y, in_slice = np.asarray(y), np.asarray(in_slice, dtype=bool)
    before = y == predictions[baseline]
    rows = []
    for name, pred in predictions.items():
        row = {"fix": name, **score(y, pred, in_slice, cost_fp, cost_fn)}
        after = y == np.asarray(pred)
        row["change"], row["change_low"], row["change_high"] = paired_difference(
            after, before, seed=seed)
        row["slice_change"] = after[in_slice].mean() - before[in_slice].mean()
        rows.append(row)
    return pd.DataFrame(rows).set_index("fix")
