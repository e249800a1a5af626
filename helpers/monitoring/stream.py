"""A simulated production stream with a known drift injected from a known window (Chapter 5).

Rows are drawn with replacement from a source data set, window by window, so a stream
without drift has the source's distribution throughout. A scenario then changes one column
(or the labels) from window `start` on, so every detector can be scored against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

KINDS = ("none", "sudden", "gradual", "seasonal", "unit_change", "missing_burst", "concept")
RAMP_WINDOWS = 5
SEASON_WINDOWS = 8
BURST_WINDOWS = 3


@dataclass(frozen=True)
class Scenario:
    """What drifts, where and from when.

    `magnitude` means: standard deviations of shift (sudden, gradual, seasonal), the factor of
    a unit change (e.g. 1000 for metres to millimetres), the share of values lost (missing
    burst), or the share of labels whose relationship to `column` flips (concept).
    """

    kind: str = "none"
    column: str | None = None
    start: int = 0
    magnitude: float = 1.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown drift kind {self.kind!r}; choose one of {KINDS}")
        if self.kind != "none" and self.column is None:
            raise ValueError(f"a {self.kind!r} drift needs the column it acts on")

    def active(self, window: int) -> bool:
        """Whether the drift affects this window (the truth detectors are scored against)."""
        if self.kind == "none" or window < self.start:
            return False
        if self.kind == "missing_burst":
            return window < self.start + BURST_WINDOWS
        return True


@dataclass(frozen=True)
class Window:
    """One window of the stream: its features, labels, and whether drift is active in it."""

    index: int
    features: pd.DataFrame
    target: pd.Series
    drifting: bool


def _shift(scenario: Scenario, window: int) -> float:
    """Size of the mean shift at `window`, in standard deviations."""
    steps = window - scenario.start + 1
    if scenario.kind == "sudden":
        return scenario.magnitude
    if scenario.kind == "gradual":
        return scenario.magnitude * min(1.0, steps / RAMP_WINDOWS)
    return scenario.magnitude * np.sin(2 * np.pi * steps / SEASON_WINDOWS)


def _inject(
    features: pd.DataFrame, target: pd.Series, scenario: Scenario, window: int, scale: float,
    median: float, rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.Series]:
    """Apply the scenario's drift to one window (copies; the source is never changed)."""
    features, target, column = features.copy(), target.copy(), scenario.column
    if scenario.kind in ("sudden", "gradual", "seasonal"):
        features[column] = features[column] + _shift(scenario, window) * scale
    elif scenario.kind == "unit_change":
        features[column] = features[column] * scenario.magnitude
    elif scenario.kind == "missing_burst":
        lost = rng.random(len(features)) < scenario.magnitude
        features.loc[lost, column] = np.nan
    elif scenario.kind == "concept":
        chosen = rng.random(len(target)) < scenario.magnitude
        flip = (features[column] > median).to_numpy() & chosen
        target[flip] = 1 - target[flip]
    return features, target


def simulate_stream(
    features: pd.DataFrame,
    target: pd.Series,
    scenario: Scenario,
    n_windows: int,
    window_size: int,
    seed: int,
) -> list[Window]:
    """`n_windows` windows of `window_size` rows sampled from the source, drift injected.

    For one seed, every scenario draws the same rows, so a drifted stream differs from the
    stream without drift only by the drift itself.
    """
    if scenario.column is not None and scenario.column not in features:
        raise ValueError(f"column {scenario.column!r} is not in the data")
    rows_rng = np.random.default_rng([seed, 0])
    drift_rng = np.random.default_rng([seed, 1])  # separate, so rows match the no-drift stream
    column = scenario.column
    scale = float(features[column].std()) if column else 0.0
    median = float(features[column].median()) if column else 0.0
    windows = []
    for index in range(n_windows):
        rows = rows_rng.integers(0, len(features), size=window_size)
        x = features.iloc[rows].reset_index(drop=True)
        y = target.iloc[rows].reset_index(drop=True)
        if scenario.active(index):
            x, y = _inject(x, y, scenario, index, scale, median, drift_rng)
        windows.append(Window(index, x, y, scenario.active(index)))
    return windows
