"""Fixes measured on held-out data: overall, on the failing slice, and in cost (Chapter 7).

The test set picks nothing: every fix is chosen on development data and only scored here, so
a fix that does not help shows up as such. A few hundred test items show only large changes;
`cross_validated_costs` repeats choose-then-verify over folds so that every item is verified
once, by a model and a threshold chosen without it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold

from helpers.erroranalysis import costs, labelerrors


def paired_difference(correct_after, correct_before, n_boot: int = 1000, level: float = 0.95,
                      seed: int = 0) -> tuple[float, float, float]:
    """Mean change after - before on the same items, with a paired bootstrap interval.

    With 0/1 "was it right" flags this is the change in accuracy; with each item's cost
    (`costs.item_costs`), the change in cost per item.
    """
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
    """One row per fix: its scores, and its changes against `baseline` with paired intervals.

    `change` is the change in accuracy (`change_low` .. `change_high` its interval),
    `slice_change` the change on the slice, and `cost_change` the change in cost per 100 items
    (`cost_low` .. `cost_high`), each interval from the same items resampled in pairs.
    """
    if baseline not in predictions:
        raise KeyError(f"baseline {baseline!r} is not among {sorted(predictions)}")
    y, in_slice = np.asarray(y), np.asarray(in_slice, dtype=bool)
    before = y == predictions[baseline]
    cost_before = _item_costs(y, predictions[baseline], cost_fp, cost_fn)
    rows = []
    for name, pred in predictions.items():
        row = {"fix": name, **score(y, pred, in_slice, cost_fp, cost_fn)}
        after = y == np.asarray(pred)
        row["change"], row["change_low"], row["change_high"] = paired_difference(
            after, before, seed=seed)
        row["slice_change"] = after[in_slice].mean() - before[in_slice].mean()
        cost_change = paired_difference(_item_costs(y, pred, cost_fp, cost_fn), cost_before,
                                        seed=seed)
        row["cost_change"], row["cost_low"], row["cost_high"] = (100 * v for v in cost_change)
        rows.append(row)
    return pd.DataFrame(rows).set_index("fix")


def _item_costs(y, pred, cost_fp: float, cost_fn: float) -> np.ndarray:
    """Each item's cost given hard 0/1 predictions."""
    return costs.item_costs(y, np.asarray(pred, dtype=float), 0.5, cost_fp, cost_fn)


def cross_validated_costs(make_model: Callable, X, y, cost_fp: float, cost_fn: float,
                          folds: int = 5, inner_folds: int = 5, repeats: int = 1,
                          seed: int = 0) -> pd.DataFrame:
    """Every item's cost at the threshold 0.5 and at a cost threshold chosen without it.

    The data are split into `folds`; for each fold, the threshold is the cheapest on the other
    folds' out-of-sample probabilities (`inner_folds`-fold cross-validation among them), and a
    model fitted on the other folds predicts the fold. Nothing about an item is used to choose
    the threshold it is scored at, so the pooled costs verify the procedure on all the items.
    With `repeats` > 1 this is done again on other random splits, and each item's costs are
    averaged over them: the result depends less on one split. Rows are the items (in the order
    of `y`); columns: default (the cost at 0.5), chosen, and thresholds (one per repeat, the
    ones chosen without the item).
    """
    y = np.asarray(y)
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    default = np.zeros((repeats, len(y)))
    chosen = np.zeros((repeats, len(y)))
    thresholds = np.zeros((repeats, len(y)))
    for repeat, split_seed in enumerate(np.random.SeedSequence(seed).generate_state(repeats)):
        outer = StratifiedKFold(folds, shuffle=True, random_state=int(split_seed))
        for train, held_out in outer.split(np.zeros(len(y)), y):
            X_train, y_train = X.iloc[train], y[train]
            inner = labelerrors.out_of_sample_proba(make_model, X_train, y_train, inner_folds,
                                                    int(split_seed))[:, 1]
            threshold = costs.best_threshold(y_train, inner, cost_fp, cost_fn)
            proba = make_model().fit(X_train, y_train).predict_proba(X.iloc[held_out])[:, 1]
            thresholds[repeat, held_out] = threshold
            default[repeat, held_out] = costs.item_costs(y[held_out], proba, 0.5, cost_fp,
                                                         cost_fn)
            chosen[repeat, held_out] = costs.item_costs(y[held_out], proba, threshold, cost_fp,
                                                        cost_fn)
    return pd.DataFrame({"default": default.mean(axis=0), "chosen": chosen.mean(axis=0),
                         "thresholds": list(thresholds.T)})
