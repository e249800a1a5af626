"""A known distribution fitted to a real data set, to draw as many fresh rows as asked (Ch. 5).

A stream drawn with replacement from a few hundred real rows repeats rows, so at large windows
a detector is scored on duplicates as much as on the data. A Gaussian copula keeps each
column's distribution (its empirical quantiles, interpolated) and the dependence between
columns (the correlation of their normal scores), and every draw is new. For a classifier it
is fitted per class, so each row comes with a label drawn from the class shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

DISCRETE = 10  # a column with at most this many distinct values keeps its values exactly


@dataclass(frozen=True)
class _Part:
    """The copula of one class (or of all rows): sorted values and normal-score correlation."""

    values: np.ndarray  # each column sorted, shape (rows, columns)
    discrete: np.ndarray  # per column: keep the observed values (no interpolation)
    correlation: np.ndarray

    @classmethod
    def fit(cls, frame: pd.DataFrame) -> _Part:
        """Fit one part to the rows of `frame` (all columns numeric)."""
        scores = ndtri(frame.rank().to_numpy() / (len(frame) + 1))
        correlation = np.atleast_2d(np.corrcoef(scores, rowvar=False))
        return cls(np.sort(frame.to_numpy(float), axis=0),
                   (frame.nunique() <= DISCRETE).to_numpy(), correlation)

    def sample(self, n: int, columns: list[int], rng: np.random.Generator) -> np.ndarray:
        """`n` new rows of the chosen columns."""
        sub = self.correlation[np.ix_(columns, columns)]
        lower = np.linalg.cholesky(sub + 1e-9 * np.eye(len(columns)))
        uniform = ndtr(rng.standard_normal((n, len(columns))) @ lower.T)
        rows = len(self.values)
        out = np.empty((n, len(columns)))
        for k, j in enumerate(columns):
            position = uniform[:, k] * rows
            if self.discrete[j]:  # the observed value at that quantile
                out[:, k] = self.values[np.minimum(position.astype(int), rows - 1), j]
            else:  # interpolated between observed values (clamped at both ends)
                out[:, k] = np.interp(position - 0.5, np.arange(rows), self.values[:, j])
        return out


@dataclass(frozen=True)
class CopulaSource:
    """A Gaussian copula fitted to `features` (per class of `target` for a classifier)."""

    columns: tuple[str, ...]
    target_name: str
    classes: tuple  # empty for a numeric target, which is then one more copula column
    shares: tuple[float, ...]
    parts: tuple[_Part, ...]
    sd: dict[str, float]
    median: dict[str, float]

    @classmethod
    def fit(cls, features: pd.DataFrame, target: pd.Series, classify: bool = True) -> CopulaSource:
        """Fit the copula; `classify=False` treats the target as a numeric column."""
        numeric = features.select_dtypes("number")
        if numeric.shape[1] != features.shape[1] or len(features) < 3:
            raise ValueError("a copula needs at least 3 rows of numeric columns only; encode "
                             "categories as numbers first")
        name = str(target.name or "target")
        if classify:
            classes = tuple(sorted(pd.unique(target)))
            parts = tuple(_Part.fit(features[(target == c).to_numpy()]) for c in classes)
            shares = tuple(float((target == c).mean()) for c in classes)
        else:
            classes, shares = (), (1.0,)
            parts = (_Part.fit(features.assign(**{name: target.to_numpy()})),)
        return cls(tuple(features.columns), name, classes, shares, parts,
                   features.std().to_dict(), features.median().to_dict())

    def sample(
        self, n: int, seed: int | Sequence[int] | np.random.Generator,
        columns: list[str] | None = None,
    ) -> tuple[pd.DataFrame, pd.Series]:
        """`n` fresh rows (of `columns`, default all) and their targets."""
        rng = np.random.default_rng(seed)
        names = list(self.columns if columns is None else columns)
        unknown = sorted(set(names) - set(self.columns))
        if unknown:
            raise ValueError(f"columns {unknown} are not in the source; choose from its columns")
        index = [self.columns.index(c) for c in names]
        if not self.classes:
            rows = self.parts[0].sample(n, [*index, len(self.columns)], rng)
            return (pd.DataFrame(rows[:, :-1], columns=names),
                    pd.Series(rows[:, -1], name=self.target_name))
        labels = np.searchsorted(np.cumsum(self.shares)[:-1], rng.random(n), side="right")
        rows = np.empty((n, len(names)))
        for k, part in enumerate(self.parts):
            chosen = labels == k
            rows[chosen] = part.sample(int(chosen.sum()), index, rng)
        target = pd.Series(np.asarray(self.classes)[labels], name=self.target_name)
        return pd.DataFrame(rows, columns=names), target
