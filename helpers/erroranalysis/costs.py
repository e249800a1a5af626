"""Decisions when errors cost different amounts: a threshold from a cost matrix (Chapter 7).

With calibrated probabilities, predicting 1 pays off when ``p * cost_fn > (1 - p) * cost_fp``,
that is above ``cost_fp / (cost_fp + cost_fn)``; measured costs pick the threshold in practice.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _checked(y, proba) -> tuple[np.ndarray, np.ndarray]:
    """0/1 labels and probabilities of class 1 as arrays of the same length."""
    y, proba = np.asarray(y), np.asarray(proba, dtype=float)
    if proba.ndim != 1 or len(proba) != len(y):
        raise ValueError(f"proba must be 1-d P(class 1) per item, got shape {proba.shape} "
                         f"for {len(y)} labels (use predict_proba(X)[:, 1])")
    return y, proba


def item_costs(y, proba, threshold: float, cost_fp: float, cost_fn: float) -> np.ndarray:
    """Each item's cost when predicting 1 where `proba >= threshold` (0 where it is right)."""
    y, proba = _checked(y, proba)
    predicted = proba >= threshold
    return np.where(predicted & (y == 0), float(cost_fp), 0.0) + np.where(
        ~predicted & (y == 1), float(cost_fn), 0.0)


def total_cost(y, proba, threshold: float, cost_fp: float, cost_fn: float) -> float:
    """Cost of predicting 1 where `proba >= threshold`: false positives and negatives priced."""
    return float(item_costs(y, proba, threshold, cost_fp, cost_fn).sum())


def bayes_threshold(cost_fp: float, cost_fn: float) -> float:
    """The threshold that minimises expected cost when probabilities are calibrated."""
    if cost_fp < 0 or cost_fn < 0 or cost_fp + cost_fn == 0:
        raise ValueError(f"costs must be >= 0 and not both 0, got {cost_fp}, {cost_fn}")
    return cost_fp / (cost_fp + cost_fn)


def cost_curve(y, proba, cost_fp: float, cost_fn: float, thresholds=None) -> pd.Series:
    """Total cost at each threshold (default: 0.01 .. 0.99)."""
    thresholds = np.round(np.arange(0.01, 1.0, 0.01), 2) if thresholds is None else thresholds
    costs = [total_cost(y, proba, t, cost_fp, cost_fn) for t in thresholds]
    return pd.Series(costs, index=pd.Index(thresholds, name="threshold"), name="cost")


def best_threshold(y, proba, cost_fp: float, cost_fn: float, thresholds=None) -> float:
    """The threshold of lowest total cost on (y, proba); ties go to the one nearest 0.5."""
    curve = cost_curve(y, proba, cost_fp, cost_fn, thresholds)
    lowest = curve[curve == curve.min()].index.to_numpy(dtype=float)
    return float(lowest[np.argmin(np.abs(lowest - 0.5))])
