"""The quality metrics a production monitor tracks once labels arrive (Chapter 5).

Classification: accuracy, precision, recall and F1 of the positive class. Regression: root mean
squared error (RMSE, in the target's units, punishes large misses) and mean absolute error
(MAE, the typical miss). One call gives all of them for one window, as a dict ready for a table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score

Metric = Callable[[np.ndarray, np.ndarray], float]  # metric(y_true, y_pred), higher is better


def _pair(y_true: Sequence, y_pred: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """Both as arrays of one length; refuses empty or mismatched inputs."""
    true, pred = np.asarray(y_true), np.asarray(y_pred)
    if true.shape != pred.shape or true.size == 0:
        raise ValueError(f"need as many predictions as labels, at least one; got {true.size} "
                         f"labels and {pred.size} predictions")
    return true, pred


def classification_metrics(y_true: Sequence, y_pred: Sequence) -> dict[str, float]:
    """Accuracy, precision, recall and F1 (positive class 1; 0.0 where undefined)."""
    true, pred = _pair(y_true, y_pred)
    return {
        "accuracy": float(accuracy_score(true, pred)),
        "precision": float(precision_score(true, pred, zero_division=0)),
        "recall": float(recall_score(true, pred, zero_division=0)),
        "f1": float(f1_score(true, pred, zero_division=0)),
    }


def regression_metrics(y_true: Sequence, y_pred: Sequence) -> dict[str, float]:
    """RMSE and MAE, in the units of the target."""
    true, pred = _pair(y_true, y_pred)
    error = pred.astype(float) - true.astype(float)
    return {"rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error)))}
