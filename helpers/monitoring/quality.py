"""Data-quality checks learnt from reference data: schema, value ranges, missing values (Ch. 5).

Drift tests ask "has the distribution moved?"; these ask "is this data even valid?", and they
catch a broken upstream feature (a unit change, a burst of missing values) in a single window.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Violation:
    """One broken expectation, said so that whoever reads the alert knows what to look at."""

    column: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.column}: {self.check}: {self.detail}"


@dataclass(frozen=True)
class Expectations:
    """What valid data looks like, learnt from a reference frame."""

    dtypes: dict[str, str]
    low: dict[str, float]
    high: dict[str, float]
    max_missing: dict[str, float]

    @classmethod
    def learn(
        cls, reference: pd.DataFrame, margin: float = 0.5, missing_slack: float = 0.05
    ) -> Expectations:
        """Allowed range = reference min/max widened by `margin` x range; missing share + slack."""
        numeric = reference.select_dtypes("number")
        spread = numeric.max() - numeric.min()
        return cls(
            dtypes={column: str(dtype) for column, dtype in reference.dtypes.items()},
            low=(numeric.min() - margin * spread).to_dict(),
            high=(numeric.max() + margin * spread).to_dict(),
            max_missing=(reference.isna().mean() + missing_slack).to_dict(),
        )

    def check(self, frame: pd.DataFrame, max_out_of_range: float = 0.03) -> list[Violation]:
        """Every violation in `frame` (an empty list when the data looks valid).

        A range learnt from a few hundred rows misses the far tail of a skewed column, so a
        few values outside it are allowed; a broken feed moves far more than 3 % of them.
        """
        found = [Violation(c, "schema", "column is missing") for c in self.dtypes if c not in frame]
        found += [Violation(c, "schema", "unexpected column")
                  for c in frame if c not in self.dtypes]
        for column, dtype in self.dtypes.items():
            if column not in frame:
                continue
            values = frame[column]
            if str(values.dtype) != dtype:
                found.append(Violation(column, "type", f"{values.dtype}, expected {dtype}"))
            missing = float(values.isna().mean())
            if missing > self.max_missing[column]:
                found.append(Violation(column, "missing", f"{missing:.0%} missing, expected at "
                                       f"most {self.max_missing[column]:.0%}"))
            if column in self.low and pd.api.types.is_numeric_dtype(values):
                outside = float(((values < self.low[column]) | (values > self.high[column])).mean())
                if outside > max_out_of_range:
                    found.append(Violation(column, "range", f"{outside:.0%} of values outside "
                                           f"[{self.low[column]:.4g}, {self.high[column]:.4g}]"))
        return found
