"""Promote a challenger only when it beats the champion by more than the noise (Chapter 2).

Two models scored on the same ~140 test rows differ by a few rows, and a few rows is what a
different split or seed changes (Chapter 1). So the decision is made on an interval, not on two
point estimates: `compare` resamples the test rows (a paired bootstrap: both models are judged
on the same resampled rows) to get an interval for the accuracy difference, and the challenger
wins only when the interval's lower end is above a required `margin`. `promote_if_better` runs
that policy on a registry (`helpers.storage.registry.Registry` or the in-memory stand-in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

LEVEL = 0.95
N_BOOT = 2000


@dataclass(frozen=True)
class Comparison:
    """Challenger minus champion accuracy on the same rows, with a paired bootstrap interval."""

    champion: float
    challenger: float
    low: float
    high: float
    margin: float
    n_rows: int
    level: float = LEVEL

    @property
    def difference(self) -> float:
        """Challenger accuracy minus champion accuracy (the point estimate)."""
        return self.challenger - self.champion

    @property
    def promote(self) -> bool:
        """Whether the whole interval clears the margin: better by more than the noise."""
        return self.low > self.margin

    def __str__(self) -> str:
        verdict = "promote" if self.promote else "keep the champion"
        return (f"challenger {self.challenger:.3f} vs champion {self.champion:.3f} on "
                f"{self.n_rows} rows: difference {self.difference:+.3f}, {self.level:.0%} "
                f"interval [{self.low:+.3f}, {self.high:+.3f}], margin {self.margin:+.3f}: "
                f"{verdict}")


def paired_bootstrap(
    champion_correct: Any, challenger_correct: Any, *, level: float = LEVEL,
    n_boot: int = N_BOOT, seed: int = 0,
) -> tuple[float, float]:
    """Percentile interval of the accuracy difference, resampling rows for both models at once."""
    first, second = _correct_arrays(champion_correct, challenger_correct)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(first), size=(n_boot, len(first)))
    differences = (second[rows] - first[rows]).mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(differences, [tail, 1 - tail])
    return float(low), float(high)


def _correct_arrays(first: Any, second: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two equal-length 0/1 arrays (right or wrong per row), or a clear error."""
    first, second = np.asarray(first, dtype=float), np.asarray(second, dtype=float)
    if first.ndim != 1 or first.shape != second.shape or len(first) == 0:
        raise ValueError(
            f"need one right/wrong value per test row for each model, on the same rows; got "
            f"shapes {first.shape} and {second.shape}. Score both models on the same rows."
        )
    return first, second


def compare(
    target: Any, champion_pred: Any, challenger_pred: Any, *, margin: float = 0.0,
    level: float = LEVEL, n_boot: int = N_BOOT, seed: int = 0,
) -> Comparison:
    """Accuracies of both models on the same rows and the interval of their difference."""
    target = np.asarray(target)
    champion = np.asarray(champion_pred) == target
    challenger = np.asarray(challenger_pred) == target
    low, high = paired_bootstrap(champion, challenger, level=level, n_boot=n_boot, seed=seed)
    return Comparison(float(champion.mean()), float(challenger.mean()), low, high, margin,
                      len(target), level)


def promote_if_better(
    registry: Any, name: str, version: int, features: Any, target: Any, *,
    margin: float = 0.0, level: float = LEVEL, seed: int = 0,
) -> Comparison | None:
    """Make `version` the challenger; promote it if it beats the champion by more than noise.

    With no champion yet it is promoted at once and None is returned (nothing to compare).
    """
    registry.set_alias(name, "challenger", version)
    try:
        champion, _ = registry.load(name, "champion")
    except KeyError:
        registry.promote(name, version)
        return None
    challenger, _ = registry.load(name, version)
    result = compare(target, champion.predict(features), challenger.predict(features),
                     margin=margin, level=level, seed=seed)
    if result.promote:
        registry.promote(name, version)
    return result
