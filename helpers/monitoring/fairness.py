"""A model metric per group over time, and an alert when the gap between groups grows (Ch. 5)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score

from helpers.monitoring.model_metrics import Metric


def metric_by_group(
    y_true: Sequence, y_pred: Sequence, groups: Sequence, metric: Metric = accuracy_score
) -> pd.Series:
    """The metric computed separately for each group, indexed by group."""
    frame = pd.DataFrame({"true": np.asarray(y_true), "pred": np.asarray(y_pred),
                          "group": np.asarray(groups)})
    if frame.empty:
        raise ValueError("no rows: a group metric needs at least one prediction")
    return frame.groupby("group").apply(
        lambda rows: metric(rows["true"].to_numpy(), rows["pred"].to_numpy()),
        include_groups=False,
    )


def gap_over_windows(per_window: Sequence[pd.Series]) -> pd.DataFrame:
    """Table of the metric per group (columns) per window (rows), with the max-min ``gap``."""
    table = pd.DataFrame(list(per_window)).reset_index(drop=True)
    table["gap"] = table.max(axis=1) - table.min(axis=1)
    return table


def gap_alerts(table: pd.DataFrame, baseline_windows: int, tolerance: float) -> list[bool]:
    """Alert where the gap exceeds its mean over the first windows by more than `tolerance`."""
    if not 0 < baseline_windows <= len(table):
        raise ValueError(f"baseline_windows must be in 1..{len(table)}, got {baseline_windows}")
    baseline = table["gap"].iloc[:baseline_windows].mean()
    return (table["gap"] > baseline + tolerance).tolist()
