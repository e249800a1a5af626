"""A simulated production stream with a known drift injected from a known window (Chapter 5).

Every window is a fresh draw from a known distribution (`source.CopulaSource`, fitted to a
real data set), so a stream without drift has that distribution throughout and no row is
ever repeated. Each row also comes from one of two sites, A or B, drawn independently of
everything else. A scenario then changes one column (or the labels) from window `start` on,
at every site or at one, so every detector can be scored against the truth.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.monitoring.source import CopulaSource

KINDS = ("none", "sudden", "gradual", "seasonal", "unit_change", "missing_burst", "concept")
RAMP_WINDOWS = 5
SEASON_WINDOWS = 8
BURST_WINDOWS = 3
SITES = ("A", "B")
SITE_B_SHARE = 0.3  # share of rows that come from site B


@dataclass(frozen=True)
class Scenario:
    """What drifts, where and from when.

    `magnitude` means: standard deviations of shift (sudden, gradual, seasonal), the factor of
    a unit change (e.g. 1000 for metres to millimetres), the share of values lost (missing
    burst), or the share of labels whose relationship to `column` flips (concept). `sites`
    are the sites whose rows drift (default: all).
    """

    kind: str = "none"
    column: str | None = None
    start: int = 0
    magnitude: float = 1.0
    sites: tuple[str, ...] = SITES

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown drift kind {self.kind!r}; choose one of {KINDS}")
        if self.kind != "none" and self.column is None:
            raise ValueError(f"a {self.kind!r} drift needs the column it acts on")
        if not set(self.sites) <= set(SITES) or not self.sites:
            raise ValueError(f"sites must be some of {SITES}, got {self.sites}")

    def active(self, window: int) -> bool:
        """Whether the drift affects this window (the truth detectors are scored against)."""
        if self.kind == "none" or window < self.start:
            return False
        if self.kind == "missing_burst":
            return window < self.start + BURST_WINDOWS
        return True


@dataclass(frozen=True)
class Window:
    """One window of the stream: features, labels, each row's site, and whether it drifts."""

    index: int
    features: pd.DataFrame
    target: pd.Series
    drifting: bool
    site: np.ndarray


def _shift(scenario: Scenario, window: int) -> float:
    """Size of the mean shift at `window`, in standard deviations."""
    steps = window - scenario.start + 1
    if scenario.kind == "sudden":
        return scenario.magnitude
    if scenario.kind == "gradual":
        return scenario.magnitude * min(1.0, steps / RAMP_WINDOWS)
    return scenario.magnitude * np.sin(2 * np.pi * steps / SEASON_WINDOWS)


def _inject(
    features: pd.DataFrame, target: pd.Series, scenario: Scenario, window: int,
    source: CopulaSource, at: np.ndarray, rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.Series]:
    """Apply the scenario's drift to the rows `at` of one window (copies of the inputs)."""
    features, target, column = features.copy(), target.copy(), scenario.column
    if scenario.kind in ("sudden", "gradual", "seasonal"):
        features.loc[at, column] += _shift(scenario, window) * source.sd[column]
    elif scenario.kind == "unit_change":
        features.loc[at, column] *= scenario.magnitude
    elif scenario.kind == "missing_burst":
        features.loc[at & (rng.random(len(features)) < scenario.magnitude), column] = np.nan
    elif scenario.kind == "concept":
        chosen = at & (rng.random(len(target)) < scenario.magnitude)
        flip = (features[column] > source.median[column]).to_numpy() & chosen
        target[flip] = 1 - target[flip]
    return features, target


def simulate_stream(
    source: CopulaSource, scenario: Scenario, n_windows: int, window_size: int, seed: int
) -> list[Window]:
    """`n_windows` windows of `window_size` fresh rows from `source`, drift injected.

    For one seed, every scenario draws the same rows and sites, so a drifted stream differs
    from the stream without drift only by the drift itself.
    """
    if scenario.column is not None and scenario.column not in source.columns:
        raise ValueError(f"column {scenario.column!r} is not in the data")
    rows_rng = np.random.default_rng([seed, 0])
    drift_rng = np.random.default_rng([seed, 1])  # separate, so rows match the no-drift stream
    site_rng = np.random.default_rng([seed, 2])
    windows = []
    for index in range(n_windows):
        x, y = source.sample(window_size, rows_rng)
        site = np.where(site_rng.random(window_size) < SITE_B_SHARE, "B", "A")
        drifting = scenario.active(index)
        if drifting:
            x, y = _inject(x, y, scenario, index, source, np.isin(site, scenario.sites),
                           drift_rng)
        windows.append(Window(index, x, y, drifting, site))
    return windows
