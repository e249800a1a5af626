"""Defer to a human when the model is unsure: risk against coverage, and the threshold (Ch. 10).

Coverage is the share of items the model answers itself; risk is its error rate on them. Raising
the confidence threshold answers fewer items with fewer mistakes; the rest go to a review queue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def risk_coverage(confidence: np.ndarray, correct: np.ndarray) -> pd.DataFrame:
    """For each possible threshold (most confident first): coverage and risk of automation."""
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    if confidence.shape != correct.shape or confidence.size == 0:
        raise ValueError("give one confidence and one correct/incorrect flag per item")
    order = np.argsort(-confidence, kind="stable")
    answered = np.arange(1, confidence.size + 1)
    errors = np.cumsum(~correct[order])
    return pd.DataFrame({
        "threshold": confidence[order],
        "coverage": answered / confidence.size,
        "risk": errors / answered,
    })


def threshold_for_risk(curve: pd.DataFrame, target_risk: float) -> tuple[float, float, float]:
    """The lowest threshold whose automated error is at most `target_risk`.

    Returns (threshold, coverage, risk); items below the threshold go to a human.
    """
    allowed = curve[curve["risk"] <= target_risk]
    if allowed.empty:
        raise ValueError(f"no threshold keeps the automated error at or below {target_risk:.1%}; "
                         "the model's most confident answer is already wrong too often")
    best = allowed.iloc[-1]
    return float(best["threshold"]), float(best["coverage"]), float(best["risk"])
