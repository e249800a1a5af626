"""Production, one day at a time: traffic through the service, late labels, monitoring (Ch. 11).

`ask` sends rows to the running service of Chapter 3 and returns its answers. `Production`
sends each day's biopsies (one window of Chapter 5's stream) to the service, writes every
answer and the version that gave it to Chapter 5's prediction log, and attaches each day's
diagnoses `label_lag` days later: no label is read before its day. `Monitor` is Chapter 5's
monitoring job run day by day: a drift test on one column, the data-quality checks, and the
accuracy of each day once its labels arrive, each alarm turned into an alert by a rule of
consecutive alarms. `serve_days` runs the two together.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from helpers.monitoring import detection, drift
from helpers.monitoring.quality import Expectations
from helpers.monitoring.stream import Window


@dataclass(frozen=True)
class Answers:
    """The service's answers to some rows: classes, P(malignant), and the version that gave them."""

    predictions: np.ndarray
    probabilities: np.ndarray
    version: int

    @property
    def confidence(self) -> np.ndarray:
        """The probability of the class given: what a deferral threshold is compared with."""
        return np.maximum(self.probabilities, 1 - self.probabilities)


def ask(http: Any, rows: Any, version: int | None = None, max_rows: int = 250) -> Answers:
    """POST `rows` to /predict/batch (``?version=N`` when given), `max_rows` rows a request.

    250 rows of 30 numbers stay well under the service's default body limit of 256 kB.
    """
    rows = np.asarray(rows, dtype=float)
    if rows.ndim != 2 or len(rows) == 0 or max_rows < 1:
        raise ValueError(f"need a non-empty 2-D array of rows and max_rows >= 1, got shape "
                         f"{rows.shape} and {max_rows}")
    path = "/predict/batch" + (f"?version={int(version)}" if version is not None else "")
    predictions, probabilities, versions = [], [], set()
    for start in range(0, len(rows), max_rows):
        answer = http.post(path, json={"rows": rows[start:start + max_rows].tolist()})
        if answer.status_code != 200:
            raise RuntimeError(f"the service answered {answer.status_code}: {answer.text[:300]}")
        body = answer.json()
        predictions += body["predictions"]
        probabilities += body["probabilities"]
        versions.add(int(body["version"]))
    if len(versions) != 1:
        raise RuntimeError(f"these rows were answered by versions {sorted(versions)}: ask "
                           "between swaps, not during one")
    return Answers(np.asarray(predictions), np.asarray(probabilities), versions.pop())


@dataclass(frozen=True)
class Day:
    """One served day: which version answered, and whose labels arrived that day."""

    index: int
    version: int
    rows: int
    labels_for: int | None  # the earlier day whose diagnoses arrived today (None: none yet)


class Production:
    """Each day's window goes to the service; its labels arrive `label_lag` days later."""

    def __init__(self, windows: Sequence[Window], http: Any, log: Any, label_lag: int,
                 max_rows: int = 250) -> None:
        if label_lag < 0 or max_rows < 1:
            raise ValueError(f"need label_lag >= 0 and max_rows >= 1, got {label_lag}, "
                             f"{max_rows}")
        self.windows, self.http, self.log = list(windows), http, log
        self.label_lag, self.max_rows = label_lag, max_rows
        self.days: list[Day] = []
        self._ids: dict[int, list[int]] = {}

    @property
    def today(self) -> int:
        """The next day to serve."""
        return len(self.days)

    def serve(self) -> Day:
        """Serve the next day's window, log the answers, attach the labels that arrive today."""
        day = self.today
        if day >= len(self.windows):
            raise IndexError(f"all {len(self.windows)} days of the stream are served; "
                             "simulate a longer stream")
        window = self.windows[day]
        started = time.perf_counter()
        answers = ask(self.http, window.features.to_numpy(), max_rows=self.max_rows)
        latency_ms = (time.perf_counter() - started) * 1000 / len(window.features)
        self._ids[day] = self.log.log(window.features, answers.predictions, window=day,
                                      model_version=str(answers.version), latency_ms=latency_ms)
        arrived = day - self.label_lag
        if arrived >= 0:
            self.log.add_labels(self._ids[arrived], self.windows[arrived].target.to_numpy())
        served = Day(day, answers.version, len(window.features), arrived if arrived >= 0 else None)
        self.days.append(served)
        return served

    def labelled(self, days: Sequence[int]) -> pd.DataFrame:
        """Logged rows of `days` whose labels have arrived, with the site of each row."""
        if not len(days):
            raise ValueError("give at least one day whose labelled rows you want")
        frames = []
        for day in days:
            if day >= self.today:
                raise ValueError(f"day {day} has not been served yet (today is {self.today})")
            logged = self.log.frame(window=day).assign(site=self.windows[day].site)
            frames.append(logged[logged["label"].notna()])
        found = [frame for frame in frames if len(frame)] or frames[:1]
        return pd.concat(found, ignore_index=True)

    def accuracy(self, day: int) -> float | None:
        """Share of day `day`'s answers that were right, once its labels have arrived."""
        rows = self.labelled([day])
        return float(np.mean(rows["prediction"] == rows["label"])) if len(rows) else None


@dataclass
class Monitor:
    """Chapter 5's monitoring job, day by day: drift, data quality, accuracy on late labels."""

    reference: pd.DataFrame  # the training data: what the drift test compares with
    column: str  # the column whose drift is tested
    baseline: float  # the accuracy expected of the model
    tolerance: float = 0.05  # alarm when a day's accuracy is below baseline - tolerance
    drift_p: float = 0.01  # alarm when the drift test's p-value is below this
    consecutive: int = 2  # alarms in a row that make an alert
    rows: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.column not in self.reference:
            raise ValueError(f"no column {self.column!r} in the reference data")
        self.expectations = Expectations.learn(self.reference)
        self.rule = detection.AlertRule(self.consecutive)

    def observe(self, day: int, features: pd.DataFrame,
                labelled: tuple[int, float] | None = None) -> dict:
        """Check one served day; `labelled` is (day, accuracy) when labels arrived today."""
        test = drift.detect(self.reference[self.column], features[self.column],
                            threshold=self.drift_p)
        drift_alarms = [row["drift alarm"] for row in self.rows] + [test.drifted]
        row = {"day": day, "drift p": test.value, "drift alarm": test.drifted,
               "drift alert": self.rule.apply(drift_alarms)[-1],
               "quality issues": len(self.expectations.check(features)),
               "labels of day": None, "accuracy": None, "accuracy alarm": False,
               "accuracy alert": False}
        if labelled is not None:
            labelled_day, accuracy = labelled
            alarm = detection.performance_alarms([accuracy], self.baseline, self.tolerance)[0]
            accuracy_alarms = [r["accuracy alarm"] for r in self.rows
                               if r["labels of day"] is not None] + [alarm]
            row.update({"labels of day": labelled_day, "accuracy": accuracy,
                        "accuracy alarm": alarm,
                        "accuracy alert": self.rule.apply(accuracy_alarms)[-1]})
        self.rows.append(row)
        return row

    def table(self) -> pd.DataFrame:
        """Every observed day, one row each."""
        table = pd.DataFrame(self.rows).set_index("day")
        return table.astype({"labels of day": "Int64", "accuracy": float})

    def first_alert(self, kind: str) -> int | None:
        """The first day on which the alert `kind` ("drift" or "accuracy") fired."""
        key = f"{kind} alert"
        if key not in ("drift alert", "accuracy alert"):
            raise ValueError(f"kind must be 'drift' or 'accuracy', got {kind!r}")
        return next((row["day"] for row in self.rows if row[key]), None)


def serve_days(production: Production, monitor: Monitor, days: int | None = None,
               until: str | None = None, max_days: int = 100) -> pd.DataFrame:
    """Serve `days` more days, or until the alert `until` fires; their monitoring rows."""
    if (days is None) == (until is None):
        raise ValueError("give either days (how many to serve) or until ('drift' or "
                         "'accuracy': serve until that alert fires)")
    first = production.today
    for _ in range(days if days is not None else max_days):
        served = production.serve()
        labelled = None
        if served.labels_for is not None:
            labelled = (served.labels_for, production.accuracy(served.labels_for))
        row = monitor.observe(served.index, production.windows[served.index].features,
                              labelled)
        row["version"] = served.version
        if until is not None and row[f"{until} alert"]:
            break
    else:
        if until is not None:
            raise RuntimeError(f"no {until} alert within {max_days} days")
    return monitor.table().loc[first:]
