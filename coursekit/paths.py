"""Where the course lives: the repository root, for tests and tools that run from anywhere."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = ROOT / "solutions"
LABS = ROOT / "labs"


def lectures() -> list[Path]:
    """The lecture notebooks, in chapter order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
