"""Open a small sqlite store: WAL journal (readers never block the writer), schema ensured."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_store(path: str | Path, schema: str) -> sqlite3.Connection:
    """Connect to the sqlite file at `path`, creating its tables from `schema` if needed."""
    connection = sqlite3.connect(Path(path))
    connection.execute("PRAGMA journal_mode=WAL")
    connection.executescript(schema)
    connection.commit()
    return connection
