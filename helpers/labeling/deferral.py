"""Defer to a human when the model is unsure: risk against coverage, and the threshold (Ch. 10).

Coverage is the share of items the model answers itself; risk is its error rate on them. Raising
the confidence threshold answers fewer items with fewer mistakes; the rest go to a review queue.
A threshold read off a small calibration split is optimistic (it is the one that happened to
look best on that sample), so `risk_coverage` can add an upper confidence bound on the risk.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def risk_upper_bound(errors, answered, level: float = 0.95) -> np.ndarray:
    """Clopper-Pearson upper bound on an error rate seen as `errors` out of `answered` items.

    With probability `level` the true rate is below it; zero errors in 150 items still allow
    about 2 % at 95 %, which is what a small sample can honestly say.
    """
    from scipy import stats

    errors, answered = np.asarray(errors, dtype=float), np.asarray(answered, dtype=float)
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level}")
    if np.any(answered < 1) or np.any(errors < 0) or np.any(errors > answered):
        raise ValueError("need 0 <= errors <= answered and answered >= 1 for every row")
    bound = stats.beta.ppf(level, errors + 1, np.maximum(answered - errors, 1))
    return np.where(errors >= answered, 1.0, bound)


def risk_coverage(confidence, correct, level: float | None = None) -> pd.DataFrame:
    """For each possible threshold (most confident first): coverage and risk of automation.

    With a `level` (e.g. 0.95) a column `risk_bound` holds the upper confidence bound on risk.
    """
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    if confidence.shape != correct.shape or confidence.size == 0:
        raise ValueError("give one confidence and one correct/incorrect flag per item")
    order = np.argsort(-confidence, kind="stable")
    answered = np.arange(1, confidence.size + 1)
    errors = np.cumsum(~correct[order])
    curve = pd.DataFrame({
        "threshold": confidence[order],
        "coverage": answered / confidence.size,
        "risk": errors / answered,
    })
    if level is not None:
        curve["risk_bound"] = risk_upper_bound(errors, answered, level)
    return curve


def threshold_for_risk(
    curve: pd.DataFrame, target_risk: float, column: str = "risk"
) -> tuple[float, float, float]:
    """The lowest threshold whose automated error (or its bound, `column`) is at most the target.

    Returns (threshold, coverage, risk); items below the threshold go to a human.
    """
    if column not in curve:
        raise ValueError(f"the curve has no column {column!r}: for 'risk_bound' build it with "
                         "risk_coverage(..., level=0.95)")
    allowed = curve[curve[column] <= target_risk]
    if allowed.empty:
        raise ValueError(f"no threshold keeps the automated error at or below {target_risk:.1%} "
                         f"(judged by {column!r}): defer everything, collect more calibration "
                         "items, or improve the model")
    best = allowed.iloc[-1]
    return float(best["threshold"]), float(best["coverage"]), float(best["risk"])


def held_out(confidence, correct, threshold: float) -> tuple[float, float]:
    """(coverage, risk) of a threshold on other items; risk is NaN when nothing is answered."""
    confidence, correct = np.asarray(confidence, dtype=float), np.asarray(correct, dtype=bool)
    answered = confidence >= threshold
    risk = float((~correct[answered]).mean()) if answered.any() else float("nan")
    return float(answered.mean()), risk


def compare_thresholds(calibration: tuple, test: tuple, target_risk: float,
                       level: float = 0.95) -> pd.DataFrame:
    """Test coverage and risk of the plain and the bounded threshold, both chosen on calibration.

    `calibration` and `test` are (confidence, correct) pairs. When no threshold meets the target
    the rule defers everything (threshold inf, coverage 0), as a careful operator would.
    """
    curve = risk_coverage(*calibration, level=level)
    rows = []
    for rule, column in (("plain", "risk"), (f"{level:.0%} bound", "risk_bound")):
        allowed = curve[curve[column] <= target_risk]
        threshold = float(allowed["threshold"].iloc[-1]) if len(allowed) else float("inf")
        coverage, risk = held_out(*test, threshold)
        rows.append({"rule": rule, "threshold": threshold, "test_coverage": coverage,
                     "test_risk": risk})
    return pd.DataFrame(rows)
