"""Label errors: inject known noise, let cleanlab flag suspects, score what it flagged (Chapter 7).

cleanlab needs each item's predicted probabilities from a model that did NOT train on that
item (out-of-sample, from cross-validation): a model that saw the wrong label has learned it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold, cross_val_predict


def inject_noise(y, rate: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Binary labels with a `rate` fraction flipped at random, and the mask of flipped items."""
    y = np.asarray(y)
    if set(np.unique(y)) - {0, 1}:
        raise ValueError(f"labels must be 0/1, found {sorted(set(np.unique(y)) - {0, 1})}")
    if not 0 <= rate < 0.5:
        raise ValueError(f"rate must be in [0, 0.5), got {rate}: at 0.5 the labels are noise")
    flipped = np.zeros(len(y), dtype=bool)
    flipped[np.random.default_rng(seed).permutation(len(y))[:round(rate * len(y))]] = True
    return np.where(flipped, 1 - y, y), flipped


def out_of_sample_proba(make_model: Callable, X, y, folds: int = 5, seed: int = 0) -> np.ndarray:
    """Class probabilities for every item from a model fitted on the other folds."""
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    return cross_val_predict(make_model(), X, y, cv=cv, method="predict_proba")


def flag(y, proba: np.ndarray) -> np.ndarray:
    """cleanlab's `find_label_issues`: True for items whose label looks wrong."""
    from cleanlab.filter import find_label_issues

    y = np.asarray(y)
    if proba.shape != (len(y), 2):
        raise ValueError(f"proba must have shape ({len(y)}, 2), got {proba.shape}")
    return find_label_issues(labels=y, pred_probs=proba)


def precision_recall(flagged, truth) -> tuple[float, float]:
    """Share of flagged items that are real errors, and share of real errors that were flagged."""
    flagged, truth = np.asarray(flagged, dtype=bool), np.asarray(truth, dtype=bool)
    hits = (flagged & truth).sum()
    precision = hits / flagged.sum() if flagged.any() else float("nan")
    recall = hits / truth.sum() if truth.any() else float("nan")
    return float(precision), float(recall)


def noise_sweep(make_model: Callable, X, y, rates, seed: int = 0,
                folds: int = 5) -> pd.DataFrame:
    """For each noise rate: items flipped, flagged, and cleanlab's precision and recall."""
    rows = []
    for rate in rates:
        noisy, flipped = inject_noise(y, rate, seed)
        flagged = flag(noisy, out_of_sample_proba(make_model, X, noisy, folds, seed))
        precision, recall = precision_recall(flagged, flipped)
        rows.append({"noise_rate": rate, "flipped": int(flipped.sum()),
                     "flagged": int(flagged.sum()), "precision": precision, "recall": recall})
    return pd.DataFrame(rows).set_index("noise_rate")
