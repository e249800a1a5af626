"""A windowed monitoring job: drift alarms per window, alert rules, and their scores (Ch. 5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from helpers.monitoring import drift
from helpers.monitoring.stream import Window


def window_alarms(
    windows: Sequence[Window],
    reference: pd.DataFrame,
    column: str | None = None,
    method: str = "auto",
) -> list[bool]:
    """For each window, whether drift is detected: in `column`, or in the frame as a whole."""
    alarms = []
    for window in windows:
        if column is None:
            alarms.append(drift.detect_frame(reference, window.features, method)[1])
        else:
            alarms.append(drift.detect(reference[column], window.features[column], method).drifted)
    return alarms


@dataclass(frozen=True)
class AlertRule:
    """Alert once `consecutive` windows in a row have alarmed: fewer false alerts, later alerts."""

    consecutive: int = 1

    def __post_init__(self) -> None:
        if self.consecutive < 1:
            raise ValueError(f"consecutive must be at least 1, got {self.consecutive}")

    def apply(self, alarms: Sequence[bool]) -> list[bool]:
        """Alerts per window: True where this and the previous `consecutive - 1` alarmed."""
        alerts, run = [], 0
        for alarm in alarms:
            run = run + 1 if alarm else 0
            alerts.append(run >= self.consecutive)
        return alerts


@dataclass(frozen=True)
class Score:
    """How alerts compare with the truth over one stream."""

    detection_rate: float | None  # share of drifting windows that alerted (None: no drift)
    false_alarm_rate: float | None  # share of quiet windows that alerted (None: all drifting)
    delay: int | None  # windows from the drift's start to the first alert (None: never)


def _share(values: list[bool]) -> float | None:
    return sum(values) / len(values) if values else None


def score(alerts: Sequence[bool], truth: Sequence[bool]) -> Score:
    """Detection rate, false-alarm rate and detection delay of `alerts` against `truth`."""
    if len(alerts) != len(truth):
        raise ValueError(f"{len(alerts)} alerts for {len(truth)} windows: give one per window")
    hits = [a for a, t in zip(alerts, truth, strict=True) if t]
    false = [a for a, t in zip(alerts, truth, strict=True) if not t]
    start = next((i for i, t in enumerate(truth) if t), None)
    first = None if start is None else next(
        (i for i in range(start, len(alerts)) if alerts[i]), None
    )
    delay = None if first is None else first - start
    return Score(_share(hits), _share(false), delay)


def performance_alarms(
    scores: Sequence[float], baseline: float, tolerance: float, label_lag: int = 0
) -> list[bool]:
    """Alarm at window i when window i - `label_lag` scored below `baseline - tolerance`.

    Labels arrive late: the score of a window is known only `label_lag` windows after it was
    served, so the first `label_lag` windows can never alarm.
    """
    if label_lag < 0:
        raise ValueError(f"label_lag counts windows and cannot be negative, got {label_lag}")
    known = [score < baseline - tolerance for score in scores]
    return ([False] * label_lag + known)[: len(scores)]
