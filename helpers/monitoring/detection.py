"""A windowed monitoring job: drift alarms per window, alert rules, and their scores (Ch. 5)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.monitoring import drift
from helpers.monitoring.source import CopulaSource
from helpers.monitoring.stream import Window


def window_alarms(
    windows: Sequence[Window],
    reference: pd.DataFrame,
    column: str | None = None,
    method: str = "auto",
    threshold: float | None = None,
) -> list[bool]:
    """For each window, whether drift is detected: in `column` (at `threshold`, default the
    method's), or in the frame as a whole (each column at its method's default)."""
    alarms = []
    for window in windows:
        if column is None:
            alarms.append(drift.detect_frame(reference, window.features, method)[1])
        else:
            alarms.append(drift.detect(reference[column], window.features[column], method,
                                       threshold).drifted)
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


def alarm_rates(
    source: CopulaSource,
    column: str,
    window: int,
    shift_sd: float,
    *,
    references: int,
    windows_per_reference: int = 1,
    reference_rows: int,
    seed: int,
    methods: Sequence[str] = ("ks", "psi", "wasserstein"),
) -> list[dict]:
    """Share of quiet windows that alarm, and of windows shifted by `shift_sd` sds that do.

    Each of `references` fresh reference samples is compared with its own fresh windows, so
    the rates average over the luck of the reference as well as of the windows.
    """
    rng = np.random.default_rng([seed, window])
    alarms = {(m, kind): 0 for m in methods for kind in ("quiet", "moved")}
    shape = (windows_per_reference, window)
    for _ in range(references):
        ref = source.sample(reference_rows, rng, [column])[0][column].to_numpy()
        quiet = source.sample(window * shape[0], rng, [column])[0][column].to_numpy()
        moved = source.sample(window * shape[0], rng, [column])[0][column].to_numpy()
        moved = moved + shift_sd * source.sd[column]
        for kind, values in (("quiet", quiet.reshape(shape)), ("moved", moved.reshape(shape))):
            for current in values:
                for m in methods:
                    alarms[m, kind] += drift.detect(ref, current, m).drifted
    total = references * windows_per_reference
    return [{"method": m, "window": window, "detection_rate": alarms[m, "moved"] / total,
             "false_alarm_rate": alarms[m, "quiet"] / total} for m in methods]
