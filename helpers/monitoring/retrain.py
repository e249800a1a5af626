"""Champion/challenger: promote a retrained model only when it beats the champion (Chapter 5).

The caller first checks its training windows (`check_training_data`: a challenger trained on
a broken feed learns the breakage), trains the challenger on recent data, and `challenge` judges
it on a *fresh* window that neither model was trained on, registers it with the decision and
its reason, and moves the `champion` alias only when the challenger is better.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score

from helpers.monitoring.quality import Expectations
from helpers.storage.registry import Registry

Metric = Callable[[np.ndarray, np.ndarray], float]


@dataclass(frozen=True)
class Decision:
    """What happened to one challenger, and why."""

    promoted: bool
    champion_version: int
    challenger_version: int
    champion_score: float
    challenger_score: float
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


def challenge(
    registry: Registry,
    name: str,
    challenger: Any,
    *,
    fresh_features: Any,
    fresh_target: Any,
    data_sha256: str,
    trigger: str,
    metric: Metric = accuracy_score,
    min_gain: float = 0.0,
) -> Decision:
    """Score champion and challenger on a fresh window; register the challenger; maybe promote."""
    champion, champion_info = registry.load(name, "champion")
    champion_score = float(metric(fresh_target, champion.predict(fresh_features)))
    challenger_score = float(metric(fresh_target, challenger.predict(fresh_features)))
    promoted = challenger_score > champion_score + min_gain
    verdict = "promoted" if promoted else "champion kept"
    reason = (f"{trigger}; on a fresh window the challenger scored {challenger_score:.3f} and "
              f"champion v{champion_info.version} {champion_score:.3f} "
              f"(needs a gain over {min_gain:.3f}): {verdict}")
    info = registry.register(
        name, challenger, metrics={"fresh_score": challenger_score}, data_sha256=data_sha256,
        params={"trigger": trigger, "decision": reason[:500]},
    )
    registry.set_alias(name, "challenger", info.version)
    if promoted:
        registry.promote(name, info.version)
    return Decision(promoted, champion_info.version, info.version, champion_score,
                    challenger_score, reason)
