"""The life of one model as a log that every step writes to, printed as one screen (Chapter 11).

An event has a day (a day of production traffic), a step (what kind of thing happened), what
happened and why in one line, the version it concerns, and at most one metric. Each version's
fate follows from its events: a `promoted` version serves until another one is promoted, a
`rolled back` one hands the service back to the version it replaced, a `refused` one never
serves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

PROMOTED, REFUSED, ROLLED_BACK = "promoted", "refused", "rolled back"


@dataclass(frozen=True)
class Event:
    """One thing that happened to the model (or to the world it serves)."""

    day: int
    step: str
    what: str
    version: int | None = None
    metric: str | None = None
    value: float | None = None

    def measured(self) -> str:
        """The metric as text ("accuracy 0.958"), or "" when the event has none."""
        return "" if self.metric is None else f"{self.metric} {self.value:.3f}"


class Timeline:
    """Events in the order they happened; days never go backwards."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def record(self, day: int, step: str, what: str, version: int | None = None,
               **metric: float) -> None:
        """Add an event; `metric` is at most one ``name=value`` (``accuracy=0.95``)."""
        if not isinstance(day, int) or day < 0:
            raise ValueError(f"day must be a non-negative int, got {day!r}")
        if self.events and day < self.events[-1].day:
            raise ValueError(f"day {day} is before the last event's day "
                             f"{self.events[-1].day}: record events in the order they happen")
        if not step or not what:
            raise ValueError("an event needs a step and a line saying what happened")
        if len(metric) > 1:
            raise ValueError(f"one metric per event, got {sorted(metric)}: record two events")
        name, value = next(iter(metric.items()), (None, None))
        if value is not None and not (isinstance(value, (int, float)) and math.isfinite(value)):
            raise ValueError(f"metric {name} must be a finite number, got {value!r}")
        if step == ROLLED_BACK and (version is None or version != self.champion):
            raise ValueError(f"only the serving version (v{self.champion}) can be rolled back, "
                             f"not v{version}")
        self.events.append(Event(day, step, what, version, name,
                                 None if value is None else float(value)))

    def _champions(self) -> list[int]:
        """The versions that served, oldest first; a rollback removes the newest."""
        serving: list[int] = []
        for event in self.events:
            if event.step == PROMOTED and event.version not in serving[-1:]:
                serving.append(event.version)
            elif event.step == ROLLED_BACK and serving and serving[-1] == event.version:
                serving.pop()
        return serving

    @property
    def champion(self) -> int | None:
        """The version serving after the last event (None before the first promotion)."""
        serving = self._champions()
        return serving[-1] if serving else None

    def fates(self) -> dict[int, str]:
        """Each version's fate in words, in version order."""
        fate: dict[int, str] = {}
        serving: list[int] = []
        for event in self.events:
            if event.version is None:
                continue
            version = event.version
            fate.setdefault(version, f"registered on day {event.day}, never promoted")
            if event.step == REFUSED:
                fate[version] = f"refused on day {event.day}: {event.what}"
            elif event.step == PROMOTED and version not in serving[-1:]:
                if serving:
                    fate[serving[-1]] = (f"served until day {event.day}, replaced by "
                                         f"v{version}")
                serving.append(version)
                fate[version] = f"serving since day {event.day}"
            elif event.step == ROLLED_BACK and serving and serving[-1] == version:
                serving.pop()
                fate[version] = f"rolled back on day {event.day}: {event.what}"
                if serving:
                    fate[serving[-1]] = f"serving again since day {event.day}"
        return dict(sorted(fate.items()))

    def frame(self) -> pd.DataFrame:
        """The events as a table (one row each)."""
        columns = ["day", "version", "step", "what", "metric", "value"]
        return pd.DataFrame([{"day": e.day, "version": e.version, "step": e.step,
                              "what": e.what, "metric": e.metric, "value": e.value}
                             for e in self.events], columns=columns)

    def render(self, width: int = 100) -> str:
        """Every event on one line (``day  v3  promoted  why...  accuracy 0.95``), then each
        version's fate; `what` is shortened with "..." to keep lines within `width`."""
        steps = max((len(e.step) for e in self.events), default=4)
        lines = [f"{'day':>3}  {'ver':<3}  {'step':<{steps}}  what happened, and why"]
        for event in self.events:
            tag = f"v{event.version}" if event.version is not None else "-"
            head = f"{event.day:>3}  {tag:<3}  {event.step:<{steps}}  "
            tail = f"  {event.measured()}" if event.metric else ""
            room = max(width - len(head) - len(tail), 10)
            what = event.what if len(event.what) <= room else event.what[:room - 3] + "..."
            lines.append(f"{head}{what:<{room}}{tail}".rstrip())
        lines += ["", "versions:"]
        lines += [f"  v{version}  {fate}"[:width] for version, fate in self.fates().items()]
        return "\n".join(lines)
