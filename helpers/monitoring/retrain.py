"""Champion/challenger: promote a retrained model only when it is surely better (Chapter 5).

The caller first checks its training windows (`check_training_data`: a challenger trained on
a broken feed learns the breakage), trains the challenger on recent data, and `challenge` judges
it on a *fresh* window that neither model was trained on. One window is a small sample, so the
gain is judged by a paired bootstrap interval, not by its point estimate: the challenger is
promoted only when the whole interval lies above `min_gain`. Every challenger is registered
with the decision and its reason. `retraining_loop` runs the whole response over a stream.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from helpers.hashing import sha256_array
from helpers.monitoring.detection import performance_alarms
from helpers.monitoring.model_metrics import Metric
from helpers.monitoring.quality import Expectations
from helpers.monitoring.stream import Window
from helpers.storage.registry import Registry

LEVEL = 0.9  # two-sided: promote when the 5th percentile of the gain is above min_gain
RESAMPLES = 1000


def accuracy(y_true: Any, y_pred: Any) -> float:
    """Share of correct predictions (numpy only: the bootstrap calls it a thousand times)."""
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


@dataclass(frozen=True)
class Decision:
    """What happened to one challenger, and why."""

    promoted: bool
    champion_version: int
    challenger_version: int
    champion_score: float
    challenger_score: float
    gain_low: float  # the bootstrap interval of challenger minus champion
    gain_high: float
    reason: str
class TrainingDataRejected(ValueError):
    """Training data failed the data-quality checks; its violations are in `.violations`."""

    def __init__(self, violations: list) -> None:
        self.violations = violations
        listed = "; ".join(str(v) for v in violations)
        super().__init__(
            f"refusing to train a challenger: the training data fails {len(violations)} "
            f"data-quality check(s): {listed}. Fix the feed or leave the broken windows out of "
            "the training set, then retrain; the champion keeps serving meanwhile.")


def check_training_data(expectations: Expectations, features: Any) -> None:
    """Raise `TrainingDataRejected` when `features` break the reference's expectations."""
    violations = expectations.check(features)
    if violations:
        raise TrainingDataRejected(violations)


def gain_interval(
    y_true: Any, champion_pred: Any, challenger_pred: Any, metric: Metric = accuracy,
    level: float = LEVEL, resamples: int = RESAMPLES, seed: int = 0,
) -> tuple[float, float]:
    """Paired bootstrap interval of metric(challenger) - metric(champion) on the same rows."""
    true, old, new = (np.asarray(a) for a in (y_true, champion_pred, challenger_pred))
    rng = np.random.default_rng(seed)
    gains = []
    for _ in range(resamples):
        rows = rng.integers(0, len(true), len(true))
        gains.append(metric(true[rows], new[rows]) - metric(true[rows], old[rows]))
    tail = (1 - level) / 2
    low, high = np.quantile(gains, [tail, 1 - tail])
    return float(low), float(high)


def challenge(
    registry: Registry,
    name: str,
    challenger: Any,
    *,
    fresh_features: Any,
    fresh_target: Any,
    data_sha256: str,
    trigger: str,
    metric: Metric = accuracy,
    min_gain: float = 0.0,
) -> Decision:
    """Score both on a fresh window; register the challenger; promote if the gain is sure."""
    champion, champion_info = registry.load(name, "champion")
    old, new = champion.predict(fresh_features), challenger.predict(fresh_features)
    champion_score = float(metric(fresh_target, old))
    challenger_score = float(metric(fresh_target, new))
    low, high = gain_interval(fresh_target, old, new, metric)
    promoted = low > min_gain
    verdict = "promoted" if promoted else "champion kept"
    reason = (f"{trigger}; on {len(old)} fresh rows the challenger scored {challenger_score:.3f} "
              f"and champion v{champion_info.version} {champion_score:.3f}; {LEVEL:.0%} interval "
              f"of the gain [{low:+.3f}, {high:+.3f}] (must lie above {min_gain:+.3f}): {verdict}")
    info = registry.register(
        name, challenger, metrics={"fresh_score": challenger_score}, data_sha256=data_sha256,
        params={"trigger": trigger, "decision": reason[:500]},
    )
    registry.set_alias(name, "challenger", info.version)
    if promoted:
        registry.promote(name, info.version)
    return Decision(promoted, champion_info.version, info.version, champion_score,
                    challenger_score, low, high, reason)


def retraining_loop(
    windows: Sequence[Window],
    champion: Any,
    fit: Callable[[pd.DataFrame, pd.Series], Any],
    *,
    baseline: float,
    registry: Registry | None = None,
    name: str = "",
    expectations: Expectations | None = None,
    label_lag: int = 2,
    tolerance: float = 0.05,
    train_windows: int = 2,
) -> tuple[list[float], list[tuple[int, Decision]]]:
    """Serve a stream; on an accuracy alert, check and train on the newest labelled windows,
    challenge the champion on the next one, and serve whichever the registry keeps.

    Without a `registry` nothing is retrained (the champion left alone). Returns the accuracy
    per window and every decision with the window it was taken in.
    """
    model, scores, decisions = champion, [], []
    for i, window in enumerate(windows):
        scores.append(float(accuracy(window.target, model.predict(window.features.to_numpy()))))
        known = i - label_lag  # the newest window whose labels have arrived
        alert = performance_alarms(scores, baseline, tolerance, label_lag)[-1]
        if registry is None or not alert or known < train_windows:
            continue
        train = windows[known - train_windows:known]
        train_x = pd.concat([w.features for w in train], ignore_index=True)
        train_y = pd.concat([w.target for w in train], ignore_index=True)
        if expectations is not None:
            check_training_data(expectations, train_x)  # never learn from a broken feed
        fresh = windows[known]
        decision = challenge(
            registry, name, fit(train_x, train_y), fresh_features=fresh.features.to_numpy(),
            fresh_target=fresh.target.to_numpy(), data_sha256=sha256_array(train_x.to_numpy()),
            trigger=f"accuracy alert in window {i}")
        decisions.append((i, decision))
        if decision.promoted:
            model = registry.load(name, "champion")[0]
    return scores, decisions
