"""A scanner update that changes every size measurement at once (Chapter 11).

Chapter 5's stream drifts one column at a time. A new scanner calibration moves all the size
columns together: radius and perimeter are lengths, so a calibration factor f multiplies them by
f, and areas by f squared. `recalibrated` applies it to the windows of Chapter 5's stream from a
given window on, and marks those windows as drifting, so detectors can be scored as before;
given other columns, it recalibrates those instead (the same change for any instrument).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from helpers.monitoring.stream import Window

LENGTHS = ("radius", "perimeter")
AREAS = ("area",)


def size_columns(columns: Iterable[str]) -> list[str]:
    """The columns that measure a size: a radius, a perimeter or an area (in the given order)."""
    return [c for c in columns if any(word in c for word in (*LENGTHS, *AREAS))]


def rescale(frame: pd.DataFrame, factor: float,
            columns: Sequence[str] | None = None) -> pd.DataFrame:
    """A copy of `frame` with every length times `factor` and every area times its square.

    With `columns`, exactly those columns are multiplied by `factor` (the recalibration of
    another instrument, whose readings are not sizes).
    """
    if not factor > 0:
        raise ValueError(f"factor must be a positive number (0.7: sizes read 30 % smaller), "
                         f"got {factor!r}")
    chosen = size_columns(frame.columns) if columns is None else list(columns)
    unknown = sorted(set(chosen) - set(frame.columns))
    if not chosen or unknown:
        raise ValueError(f"nothing to rescale: columns {unknown or chosen} are not in the frame "
                         f"(no radius, perimeter or area column either); its columns are "
                         f"{list(frame.columns)[:8]}...")
    out = frame.copy()
    for column in chosen:
        power = 2 if columns is None and any(word in column for word in AREAS) else 1
        out[column] = frame[column] * factor**power
    return out


def recalibrated(windows: Sequence[Window], start: int, factor: float,
                 columns: Sequence[str] | None = None) -> list[Window]:
    """The windows, with those from `start` on rescaled (see `rescale`) and marked drifting."""
    if start < 0:
        raise ValueError(f"start is a window index, so it cannot be negative, got {start}")
    return [window if window.index < start else
            Window(window.index, rescale(window.features, factor, columns), window.target, True,
                   window.site)
            for window in windows]
