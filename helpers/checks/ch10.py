"""Self-checks for the Chapter 10 lab (human in the loop)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score

from helpers.checks import passed, require
from helpers.labeling.deferral import risk_coverage
from helpers.labeling.store import LabelStore


def _kappa_cases(seed: int = 10) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Pairs of label sequences: unequal label use, perfect agreement, chance level, 3 labels."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(4, size=300, p=[0.55, 0.25, 0.15, 0.05])
    noisy = np.where(rng.random(300) < 0.3, rng.integers(0, 4, 300), truth)
    shifted = np.where(truth == 1, 2, truth)  # one annotator never uses label 1
    return [
        ("two annotators who mostly agree", truth, noisy),
        ("a pair where one never uses a label", truth, shifted),
        ("perfect agreement", truth, truth.copy()),
        ("independent guesses", rng.integers(0, 3, 400), rng.integers(0, 3, 400)),
    ]


def exercise_1(kappa: Callable[[np.ndarray, np.ndarray], float]) -> str:
    """`kappa(a, b)` must equal Cohen's kappa (scikit-learn's value) on several pairs."""
    for label, a, b in _kappa_cases():
        expected = cohen_kappa_score(a, b)
        got = kappa(a.copy(), b.copy())
        require(isinstance(got, (float, np.floating)) and np.isfinite(got), 1,
                f"for {label} kappa returned {got!r}, not a finite number",
                "return float((p_o - p_e) / (1 - p_e)).")
        agreement = float(np.mean(a == b))
        require(not (abs(got - agreement) < 1e-9 and abs(expected - agreement) > 1e-6), 1,
                f"for {label} you returned the raw agreement {agreement:.3f}, not kappa",
                "subtract the agreement expected by chance: (p_o - p_e) / (1 - p_e).")
        require(abs(got - expected) < 1e-9, 1,
                f"for {label} kappa is {got:.4f}, expected {expected:.4f}",
                "p_e is the sum over labels of (share of a using the label) x (share of b "
                "using it): each annotator's own label frequencies, over all labels either uses.")
    return passed(1, "your kappa matches scikit-learn's cohen_kappa_score on 4 pairs")


def _reference_capacity(confidence: np.ndarray, correct: np.ndarray,
                        capacity: float) -> tuple[float, float, float]:
    """The highest threshold that defers at most `capacity` of the items."""
    curve = risk_coverage(confidence, correct)
    row = curve[curve["coverage"] >= 1 - capacity - 1e-12].iloc[0]
    return float(row["threshold"]), float(row["coverage"]), float(row["risk"])


def exercise_2(threshold_for_capacity: Callable[[np.ndarray, np.ndarray, float], tuple]) -> str:
    """The threshold must defer as much as the review team can check, and no more."""
    rng = np.random.default_rng(20)
    confidence = rng.uniform(0.2, 1.0, 500)
    correct = rng.random(500) < confidence  # confident answers are right more often
    for capacity in (0.0, 0.1, 0.25, 0.5):
        got = threshold_for_capacity(confidence.copy(), correct.copy(), capacity)
        require(isinstance(got, tuple) and len(got) == 3, 2,
                f"expected (threshold, coverage, risk), got {got!r}",
                "return a tuple of three floats, like deferral.threshold_for_risk.")
        threshold, coverage, risk = map(float, got)
        expected = _reference_capacity(confidence, correct, capacity)
        deferred = float(np.mean(confidence < threshold))
        require(deferred <= capacity + 1e-9, 2,
                f"with capacity {capacity:.0%} your threshold {threshold:.3f} defers "
                f"{deferred:.1%} of the items: more than the team can review",
                "coverage must stay at least 1 - capacity; capacity is the deferred share.")
        require(abs(threshold - expected[0]) < 1e-9, 2,
                f"with capacity {capacity:.0%} the threshold is {threshold:.4f}, expected "
                f"{expected[0]:.4f} (it defers {deferred:.1%}; it may defer up to {capacity:.0%})",
                "take the first row of risk_coverage(...) whose coverage is at least "
                "1 - capacity: the least coverage the team can afford gives the lowest risk.")
        require(abs(coverage - expected[1]) < 1e-9 and abs(risk - expected[2]) < 1e-9, 2,
                f"with capacity {capacity:.0%} coverage/risk are {coverage:.4f}/{risk:.4f}, "
                f"expected {expected[1]:.4f}/{expected[2]:.4f}",
                "return the coverage and risk of that same row of the curve.")
    return passed(2, "the threshold uses the review team's capacity fully, and never exceeds it")


def _disagreement_store(folder: Path) -> tuple[LabelStore, list[str]]:
    """A store with relabels, an undo and one-sided labels; and its true disagreements."""
    store = LabelStore(folder / "check.db")
    for item, ana, ben in [("a", "1", "1"), ("b", "2", "7"), ("c", "3", "3"), ("d", "4", "9")]:
        store.add_label(item, ana, annotator="ana")
        store.add_label(item, ben, annotator="ben")
    store.add_label("c", "8", annotator="ben")  # ben changes his mind: now they disagree on c
    store.add_label("d", "4", annotator="ben")  # ... and now they agree on d
    store.add_label("e", "5", annotator="ana")  # only ana labeled e
    store.add_label("f", "6", annotator="ana")
    store.add_label("f", "0", annotator="ben")
    store.undo("ben")  # ben's label of f is taken back: f has one live label only
    store.add_skip("g", annotator="ben")
    return store, ["b", "c"]


def exercise_3(disagreements: Callable[[LabelStore, str, str], list[str]]) -> str:
    """The review queue: items both annotators labeled, whose current labels differ."""
    with tempfile.TemporaryDirectory(prefix="check10-") as folder:
        store, expected = _disagreement_store(Path(folder))
        try:
            got = disagreements(store, "ana", "ben")
        finally:
            store.close()
    require(isinstance(got, list), 3, f"expected a list of item ids, got {type(got).__name__}",
            "return sorted(...) of the item ids.")
    require("d" not in got, 3, "item 'd' is in your queue, but ben's latest label agrees with ana",
            "use store.labels(annotator=...): it keeps only the latest live label per item.")
    require("f" not in got and "e" not in got, 3,
            "an item labeled by only one annotator is in your queue (after undo, 'f' is one)",
            "keep only items in both annotators' labels (the intersection of their keys).")
    require("c" in got, 3, "item 'c' is missing: ben relabeled it and now disagrees with ana",
            "compare the current labels, store.labels(annotator=...), not the first ones.")
    require(got == expected, 3, f"expected {expected}, got {got}",
            "return the sorted ids of items both labeled where the two labels differ.")
    return passed(3, f"the review queue is {got}: relabels, undos and one-sided labels handled")
