"""A prediction log in sqlite: what was asked, what was answered, and the label once it arrives.

Monitoring needs the inputs and outputs of production, and labels that often come days later
(a diagnosis confirmed, a loan repaid). Logging to a file-backed store means neither is lost
when the service or the kernel restarts. (Chapter 5)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.sqlitedb import open_store

SCHEMA = """
CREATE TABLE IF NOT EXISTS predictions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    window INTEGER NOT NULL,
    model_version TEXT NOT NULL,
    features TEXT NOT NULL,
    prediction REAL NOT NULL,
    latency_ms REAL,
    label REAL
)
"""


class PredictionLog:
    """Append-only log of served predictions, with labels attached when they arrive."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_store(self.path, SCHEMA)

    def __enter__(self) -> PredictionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (everything logged is already committed)."""
        self._db.close()

    def log(
        self,
        features: pd.DataFrame,
        predictions: Sequence[float] | np.ndarray,
        *,
        window: int,
        model_version: str,
        latency_ms: float | None = None,
    ) -> list[int]:
        """Store one row per prediction; return their ids (to attach labels later)."""
        if len(features) != len(predictions):
            raise ValueError(f"{len(features)} feature rows but {len(predictions)} predictions")
        rows = [
            (window, model_version, json.dumps(record), float(prediction), latency_ms)
            for record, prediction in zip(features.to_dict(orient="records"), predictions,
                                          strict=True)
        ]
        with self._db:
            first = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM predictions").fetchone()[0]
            self._db.executemany(
                "INSERT INTO predictions (window, model_version, features, prediction, latency_ms)"
                " VALUES (?, ?, ?, ?, ?)", rows)
        return list(range(first + 1, first + 1 + len(rows)))

    def add_labels(self, ids: Sequence[int], labels: Sequence[float]) -> None:
        """Attach late labels; an id that was never logged is an error, not a silent no-op."""
        if len(ids) != len(labels):
            raise ValueError(f"{len(ids)} ids but {len(labels)} labels")
        known = {row[0] for row in self._db.execute(
            f"SELECT id FROM predictions WHERE id IN ({','.join('?' * len(ids))})", list(ids))}
        unknown = sorted(set(ids) - known)
        if unknown:
            raise KeyError(f"no logged prediction has id {unknown[:5]}; labels were not stored")
        with self._db:
            self._db.executemany("UPDATE predictions SET label = ? WHERE id = ?",
                                 [(float(label), int(i)) for i, label in zip(ids, labels,
                                                                             strict=True)])

    def frame(self, window: int | None = None) -> pd.DataFrame:
        """Logged rows (optionally of one window), features expanded into columns."""
        query = "SELECT id, window, model_version, features, prediction, latency_ms, label " \
                "FROM predictions" + (" WHERE window = ?" if window is not None else "")
        log = pd.read_sql_query(query + " ORDER BY id", self._db,
                                params=[window] if window is not None else None)
        features = pd.DataFrame([json.loads(text) for text in log.pop("features")],
                                index=log.index)
        return pd.concat([log, features], axis=1)
