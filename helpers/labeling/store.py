"""A persistent store of human labels in sqlite: every action kept, nothing lost (Chapter 10).

Each label, skip and undo is appended as an event, so a kernel restart loses nothing, an item
labeled twice keeps both answers (the latest counts), and an undo is itself on record.
"""

from __future__ import annotations

from pathlib import Path

from helpers.sqlitedb import open_store

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('label', 'skip')),
    label TEXT,
    annotator TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
)
"""


class LabelStore:
    """Label and skip events per annotator, with undo; the latest live label of an item counts."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = open_store(self.path, SCHEMA)

    def close(self) -> None:
        """Close the database; every event is already committed."""
        self._db.close()

    def _append(self, item_id: str, action: str, label: str | None, annotator: str) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO events (item_id, action, label, annotator) VALUES (?, ?, ?, ?)",
                (str(item_id), action, label, annotator))

    def add_label(self, item_id: str, label: str, annotator: str = "you") -> None:
        """Record `label` for an item (a second label of the same item supersedes the first)."""
        self._append(item_id, "label", label, annotator)

    def add_skip(self, item_id: str, annotator: str = "you") -> None:
        """Record that the annotator skipped an item (it leaves their queue)."""
        self._append(item_id, "skip", None, annotator)

    def undo(self, annotator: str = "you") -> str | None:
        """Take back the annotator's last live action; return its item id, or None."""
        row = self._db.execute(
            "SELECT seq, item_id FROM events WHERE annotator = ? AND undone = 0 "
            "ORDER BY seq DESC LIMIT 1", (annotator,)).fetchone()
        if row is None:
            return None
        with self._db:
            self._db.execute("UPDATE events SET undone = 1 WHERE seq = ?", (row[0],))
        return row[1]

    def labels(self, annotator: str | None = None) -> dict[str, str]:
        """Latest live label per item (of one annotator, or of anyone)."""
        query = "SELECT item_id, label FROM events WHERE action = 'label' AND undone = 0"
        params: tuple = ()
        if annotator is not None:
            query, params = query + " AND annotator = ?", (annotator,)
        return dict(self._db.execute(query + " ORDER BY seq", params).fetchall())

    def done(self, annotator: str) -> set[str]:
        """Items this annotator has labeled or skipped (and not undone)."""
        rows = self._db.execute(
            "SELECT DISTINCT item_id FROM events WHERE annotator = ? AND undone = 0", (annotator,))
        return {row[0] for row in rows}

    def history(self) -> list[tuple]:
        """Every event, undone ones included: (seq, item_id, action, label, annotator, undone)."""
        return self._db.execute("SELECT * FROM events ORDER BY seq").fetchall()
