"""Training/serving skew: the same row must get the same prediction in both paths (Ch. 1)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

Record = dict[str, Any]


class SkewError(AssertionError):
    """Serving predictions differ from the training pipeline's on the same rows."""


def inject_missing(frame: pd.DataFrame, fraction: float, seed: int) -> pd.DataFrame:
    """Copy of `frame` with a random `fraction` of its cells set to NaN."""
    if not 0 <= fraction < 1:
        raise ValueError(f"fraction must be in [0, 1), got {fraction}")
    rng = np.random.default_rng(seed)
    return frame.mask(rng.random(frame.shape) < fraction)


def to_records(frame: pd.DataFrame) -> list[Record]:
    """Rows as JSON-like dicts, with a missing value sent as None (as a client would)."""
    return [
        {key: (None if isinstance(v, float) and math.isnan(v) else v) for key, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]


def records_to_frame(records: Sequence[Record], columns: Sequence[str]) -> pd.DataFrame:
    """Requests to a frame the training pipeline accepts: None or absent becomes NaN."""
    expected = set(columns)
    for index, record in enumerate(records):
        unknown = set(record) - expected
        if unknown:
            raise ValueError(
                f"record {index} has unknown feature(s) {sorted(unknown)}; "
                f"expected only these {len(columns)} features: {list(columns)}"
            )
    frame = pd.DataFrame.from_records(list(records), columns=list(columns))
    return frame.astype("float64")


def parity_mismatches(
    reference: Callable[[pd.DataFrame], np.ndarray],
    serving: Callable[[list[Record]], np.ndarray],
    frame: pd.DataFrame,
) -> np.ndarray:
    """Positions of rows whose serving prediction differs from the reference pipeline's."""
    expected = np.asarray(reference(frame))
    served = np.asarray(serving(to_records(frame)))
    if expected.shape != served.shape:
        raise SkewError(f"serving returned shape {served.shape}, expected {expected.shape}")
    return np.flatnonzero(expected != served)


def assert_parity(
    reference: Callable[[pd.DataFrame], np.ndarray],
    serving: Callable[[list[Record]], np.ndarray],
    frame: pd.DataFrame,
) -> None:
    """Raise `SkewError`, naming the first differing row, unless both paths agree everywhere."""
    bad = parity_mismatches(reference, serving, frame)
    if len(bad):
        row = frame.iloc[bad[0]]
        missing = [name for name, value in row.items() if pd.isna(value)]
        raise SkewError(
            f"{len(bad)} of {len(frame)} rows are predicted differently by the serving code "
            f"than by the training pipeline. First: row {bad[0]}, missing features "
            f"{missing or 'none'}. Check that serving prepares features exactly as training "
            "did (missing values, units, column order)."
        )
