"""Simulated annotators who err and disagree, their agreement, and majority votes (Ch. 10)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score


@dataclass(frozen=True)
class Annotator:
    """Right with probability `accuracy`; when wrong, picks the confused class if one is set.

    `confusions` maps a true class to the class this person mistakes it for (e.g. a 4 read as
    a 9), which makes errors systematic and correlated, as real annotators' are.
    """

    name: str
    accuracy: float
    confusions: dict[int, int] | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.accuracy <= 1.0:
            raise ValueError(f"{self.name}: accuracy must be in [0, 1], got {self.accuracy}")

    def annotate(self, truth: Sequence[int], classes: Sequence[int], seed: int) -> np.ndarray:
        """One label per item."""
        rng = np.random.default_rng([seed, *map(ord, self.name)])
        truth = np.asarray(truth)
        labels = truth.copy()
        wrong = rng.random(truth.size) >= self.accuracy
        for index in np.flatnonzero(wrong):
            confused = (self.confusions or {}).get(int(truth[index]))
            others = [c for c in classes if c != truth[index]]
            labels[index] = confused if confused is not None else rng.choice(others)
        return labels


def annotate_all(
    annotators: Sequence[Annotator], truth: Sequence[int], classes: Sequence[int], seed: int
) -> pd.DataFrame:
    """Labels of every annotator, one column each."""
    return pd.DataFrame({a.name: a.annotate(truth, classes, seed) for a in annotators})


def pairwise_kappa(labels: pd.DataFrame) -> pd.DataFrame:
    """Cohen's kappa for every pair of annotators (agreement beyond chance; 1 = perfect)."""
    rows = [
        {"pair": f"{a} / {b}", "kappa": cohen_kappa_score(labels[a], labels[b])}
        for a, b in combinations(labels.columns, 2)
    ]
    return pd.DataFrame(rows).set_index("pair")


def majority_vote(labels: pd.DataFrame, seed: int = 0) -> np.ndarray:
    """Most frequent label per item; ties broken at random (seeded), not by column order."""
    rng = np.random.default_rng(seed)
    votes = []
    for row in labels.to_numpy():
        values, counts = np.unique(row, return_counts=True)
        votes.append(rng.choice(values[counts == counts.max()]))
    return np.asarray(votes)


def hard_items(proba: np.ndarray, share: float) -> tuple[np.ndarray, np.ndarray]:
    """The `share` of items a model finds most ambiguous, and the class each one looks like.

    Returns (hard, lookalike): a boolean mask of the items with the smallest margin between the
    two most probable classes, and each item's second most probable class.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or proba.shape[1] < 2 or not 0 <= share <= 1:
        raise ValueError("need probabilities of shape (items, classes >= 2) and 0 <= share <= 1")
    ranked = np.argsort(-proba, axis=1, kind="stable")
    top = np.take_along_axis(proba, ranked[:, :2], axis=1)
    margin = top[:, 0] - top[:, 1]
    hard = np.zeros(len(proba), dtype=bool)
    hard[np.argsort(margin, kind="stable")[: round(share * len(proba))]] = True
    return hard, ranked[:, 1]


def with_shared_errors(labels: pd.DataFrame, hard: np.ndarray, lookalike: np.ndarray,
                       error: float, seed: int) -> pd.DataFrame:
    """Labels in which each annotator reads a `hard` item as its `lookalike` with prob. `error`.

    Real annotators trip over the same ambiguous items, and in the same direction (a sloppy 4
    looks like a 9 to everyone), so their mistakes are correlated; a majority vote cannot undo
    an error most of the team makes.
    """
    hard, lookalike = np.asarray(hard, dtype=bool), np.asarray(lookalike)
    if not 0 <= error <= 1 or hard.shape != (len(labels),) or lookalike.shape != hard.shape:
        raise ValueError("need 0 <= error <= 1 and one hard flag and lookalike per item")
    rng = np.random.default_rng([seed, 7])
    shared = labels.copy()
    for name in shared.columns:
        fooled = hard & (rng.random(len(shared)) < error)
        shared.loc[fooled, name] = lookalike[fooled]
    return shared


# Landis, J. R. and Koch, G. G. (1977), "The measurement of observer agreement for categorical
# data", Biometrics 33(1), 159-174: the upper end of each band of kappa and its name
LANDIS_KOCH = ((0.0, "poor"), (0.20, "slight"), (0.40, "fair"), (0.60, "moderate"),
               (0.80, "substantial"), (1.0, "almost perfect"))


def landis_koch(kappa: float) -> str:
    """Landis and Koch's (1977) name for a kappa: below 0 poor, ..., above 0.80 almost perfect."""
    if not -1 <= kappa <= 1:
        raise ValueError(f"kappa lies between -1 and 1, got {kappa}")
    if kappa < 0:
        return "poor"
    return next(name for upper, name in LANDIS_KOCH[1:] if kappa <= upper)
