"""Group fairness on real data: metrics per group with intervals, the flip test, mitigation.

The data is the RAND Health Insurance Experiment as statsmodels ships it (public domain):
the sensitive attribute is a physical limitation (a disability), the decision is whether a
member is flagged as a likely frequent doctor visitor (4+ visits a year).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

SENSITIVE = "physlm"
TARGET_VISITS = 4
FEATURES = ("lncoins", "idp", "lpi", "fmde", "physlm", "disea", "hlthg", "hlthf", "hlthp")


def load_health() -> tuple[pd.DataFrame, pd.Series]:
    """Features (with the sensitive 0/1 `physlm`) and 0/1 `frequent` (4+ visits a year).

    Rows whose `physlm` is a fraction (an imputed value, so the status is unknown) are dropped.
    """
    from statsmodels.datasets import randhie

    frame = randhie.load_pandas().data
    frame = frame[frame[SENSITIVE].isin((0.0, 1.0))].reset_index(drop=True)
    frame[SENSITIVE] = frame[SENSITIVE].astype(int)
    target = (frame["mdvis"] >= TARGET_VISITS).astype(int).rename("frequent")
    return frame[list(FEATURES)].copy(), target


def group_metrics(y_true: Any, y_pred: Any, groups: Any) -> pd.DataFrame:
    """Selection rate, true and false positive rates and accuracy per group (MetricFrame)."""
    from fairlearn.metrics import (
        MetricFrame,
        false_positive_rate,
        selection_rate,
        true_positive_rate,
    )
    from sklearn.metrics import accuracy_score

    metrics = {"selection rate": selection_rate, "true positive rate": true_positive_rate,
               "false positive rate": false_positive_rate, "accuracy": accuracy_score}
    frame = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred,
                        sensitive_features=groups)
    return frame.by_group


def gaps(y_true: Any, y_pred: Any, groups: Any) -> dict[str, float]:
    """Demographic parity and equalized odds differences, accuracy and balanced accuracy.

    Plain numpy (fast enough to bootstrap); a unit test checks it against fairlearn's own.
    """
    y_true, y_pred, groups = (np.asarray(a) for a in (y_true, y_pred, groups))
    selection, tpr, fpr = [], [], []
    for g in np.unique(groups):
        t, p = y_true[groups == g], y_pred[groups == g]
        selection.append(p.mean())
        tpr.append(p[t == 1].mean() if (t == 1).any() else np.nan)
        fpr.append(p[t == 0].mean() if (t == 0).any() else np.nan)
    spread = lambda values: float(np.nanmax(values) - np.nanmin(values))  # noqa: E731
    return {"demographic parity difference": spread(selection),
            "equalized odds difference": max(spread(tpr), spread(fpr)),
            "accuracy": float(np.mean(y_true == y_pred)),
            "balanced accuracy": float(np.mean([1 - y_pred[y_true == 0].mean(),
                                                y_pred[y_true == 1].mean()]))}


def bootstrap(statistic: Callable[..., dict[str, float]], arrays: tuple, seed: int,
              rounds: int = 200, level: float = 0.95) -> pd.DataFrame:
    """Each statistic with a percentile bootstrap interval (resampling rows together)."""
    if rounds < 10:
        raise ValueError(f"rounds must be at least 10 for an interval, got {rounds}")
    arrays = tuple(np.asarray(a) for a in arrays)
    rng = np.random.default_rng(seed)
    n = len(arrays[0])
    draws = [statistic(*(a[idx] for a in arrays))
             for idx in (rng.integers(0, n, n) for _ in range(rounds))]
    low, high = (1 - level) / 2, 1 - (1 - level) / 2
    table = pd.DataFrame(draws)
    return pd.DataFrame({"value": pd.Series(statistic(*arrays)),
                         "low": table.quantile(low), "high": table.quantile(high)})


def flip_rate(model: Any, features: pd.DataFrame, column: str = SENSITIVE) -> float:
    """Counterfactual flip test: share of people whose decision changes if `column` flips."""
    if column not in features.columns:
        raise KeyError(f"no column {column!r} to flip; columns are {list(features.columns)}")
    flipped = features.copy()
    flipped[column] = 1 - flipped[column]
    return float(np.mean(model.predict(features) != model.predict(flipped)))


def classifier(seed: int, ignore: tuple[str, ...] = ()):
    """Scaled, class-balanced logistic regression that flags frequent visitors.

    Columns in `ignore` are dropped inside the pipeline: the model takes the full table but
    cannot see them ("fairness through unawareness").
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    drop = ColumnTransformer([("ignored", "drop", list(ignore))], remainder="passthrough")
    return make_pipeline(drop, StandardScaler(),
                         LogisticRegression(max_iter=1000, class_weight="balanced",
                                            random_state=seed))


def mitigate(model: Any, features: pd.DataFrame, y: Any, groups: Any, seed: int,
             constraint: str = "equalized_odds") -> Any:
    """A ThresholdOptimizer on top of a fitted model: group thresholds meeting `constraint`."""
    from fairlearn.postprocessing import ThresholdOptimizer

    optimizer = ThresholdOptimizer(estimator=model, constraints=constraint, prefit=True,
                                   predict_method="predict_proba",
                                   objective="balanced_accuracy_score")
    optimizer.fit(features, y, sensitive_features=groups)
    return optimizer
