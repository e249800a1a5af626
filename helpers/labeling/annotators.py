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
