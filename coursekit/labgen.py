"""Generate each lab from its solution: solution regions become NotImplementedError stubs.

Regions are marked as nbgrader marks them::

    ### BEGIN SOLUTION
    answer = 42
    ### END SOLUTION

The exercise number and title come from the nearest markdown heading above the cell that
reads ``## Exercise N: title``; the exercise's self-check is the first code cell after it that
calls ``exercise_N(...)``.

The same markers give each solution its nbgrader cell metadata, written into ``solutions/``:
cells with a solution region are solution cells (``exN-solution``), each self-check is an
autograded test cell (``exN-check``) worth its ``points`` (kept when set, else 1), and every
other cell is read-only (``intro-code-2``, ``exN-text-1``: its exercise, kind and place), so
nbgrader takes the solutions as they are. The labs carry the same metadata, and each exercise
heading of a lab says what the exercise is worth.

Run ``python -m coursekit.labgen`` to write the metadata and ``labs/``, and
``python -m coursekit.labgen --check`` to fail when either is missing or out of date.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EXERCISE_HEADING = re.compile(r"^#+\s*Exercise\s+(\d+)\s*[:.-]\s*(.+?)\s*$", re.MULTILINE)
NBGRADER_SCHEMA = 3
DEFAULT_POINTS = 1


class LabSourceError(ValueError):
    """A solution notebook's markers are malformed; the message names the cell."""


@dataclass(frozen=True)
class Role:
    """What one cell of a solution is for: the exercise it belongs to and its part in it."""

    exercise: int | None  # None before the first exercise heading
    title: str | None
    kind: str  # "solution", "check" (the self-check) or "given" (read-only)


def has_solution(source: str) -> bool:
    """Whether a cell's source holds a solution region."""
    return any(line.strip() == BEGIN for line in source.splitlines())


def roles(notebook: nbformat.NotebookNode) -> list[Role]:
    """The role of each cell, from the exercise headings, the markers and the self-check calls."""
    found, exercise, title, checked, seen = [], None, None, True, set()
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and (headings := EXERCISE_HEADING.findall(cell.source)):
            exercise, title, checked = int(headings[-1][0]), headings[-1][1], False
            if exercise in seen:
                raise LabSourceError(f"cell {index}: a second heading for exercise {exercise}; "
                                     "give each exercise its own number")
            seen.add(exercise)
        kind = "given"
        if cell.cell_type == "code" and has_solution(cell.source):
            kind = "solution"
        elif (cell.cell_type == "code" and not checked
              and f"exercise_{exercise}(" in cell.source):
            kind, checked = "check", True
        found.append(Role(exercise, title, kind))
    return found


def nbgrader_metadata(notebook: nbformat.NotebookNode) -> list[dict]:
    """nbgrader's metadata for each cell, with ids from its exercise, role and place."""
    counts: dict[str, int] = {}
    found = []
    for cell, role in zip(notebook.cells, roles(notebook), strict=True):
        section = "intro" if role.exercise is None else f"ex{role.exercise}"
        part = role.kind if role.kind != "given" else {"markdown": "text"}.get(
            cell.cell_type, cell.cell_type)
        name = f"{section}-{part}"
        counts[name] = counts.get(name, 0) + 1
        first_of_its_role = role.kind != "given" and counts[name] == 1  # ex2-check, ex2-solution
        grade_id = name if first_of_its_role else f"{name}-{counts[name]}"
        meta = {"grade": role.kind == "check", "grade_id": grade_id,
                "locked": role.kind != "solution", "schema_version": NBGRADER_SCHEMA,
                "solution": role.kind == "solution", "task": False}
        if role.kind == "check":
            meta["points"] = cell.metadata.get("nbgrader", {}).get("points", DEFAULT_POINTS)
        found.append(meta)
    return found


def annotate(solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of the solution whose cells carry their nbgrader metadata."""
    annotated = copy.deepcopy(solution)
    for cell, meta in zip(annotated.cells, nbgrader_metadata(annotated), strict=True):
        cell.metadata["nbgrader"] = meta
    return annotated


def exercise_points(notebook: nbformat.NotebookNode) -> dict[int, float]:
    """Points of each exercise: the sum over its autograded cells (an annotated notebook)."""
    points: dict[int, float] = {}
    for cell, role in zip(notebook.cells, roles(notebook), strict=True):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and role.exercise is not None:
            points[role.exercise] = points.get(role.exercise, 0) + meta.get("points", 0)
    return points


def with_points(source: str, points: dict[int, float]) -> str:
    """A markdown cell whose exercise headings end with what the exercise is worth."""
    def label(match: re.Match) -> str:
        worth = points.get(int(match.group(1)))
        if worth is None:
            return match.group(0)
        cut = match.end(2) - match.start()  # after the title, before the line's end
        unit = "point" if worth == 1 else "points"
        return f"{match.group(0)[:cut]} ({worth:g} {unit}){match.group(0)[cut:]}"
    return EXERCISE_HEADING.sub(label, source)


def stub_source(source: str, exercise: str, where: str) -> str:
    """Replace each solution region of one cell's source with an indented stub."""
    out: list[str] = []
    inside = False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN:
            if inside:
                raise LabSourceError(f"{where}: nested {BEGIN!r}")
            if exercise is None:
                raise LabSourceError(f"{where}: solution before any '## Exercise N: ...' heading")
            inside = True
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("{exercise}")')
        elif stripped == END:
            if not inside:
                raise LabSourceError(f"{where}: {END!r} without {BEGIN!r}")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise LabSourceError(f"{where}: {BEGIN!r} is never closed")
    return "\n".join(out)


def make_lab(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """A lab notebook: stubs for solutions, points in the headings, no outputs or counts."""
    solution = annotate(solution)
    points = exercise_points(solution)
    lab = nbformat.v4.new_notebook(metadata=solution.metadata)
    exercise: str | None = None
    stubs = 0
    for index, cell in enumerate(solution.cells):
        if cell.cell_type == "markdown":
            headings = EXERCISE_HEADING.findall(cell.source)
            if headings:
                number, title = headings[-1]
                exercise = f"Exercise {number}: {title} (replace this line with your code)"
            lab.cells.append(_copy_cell(cell, with_points(cell.source, points)))
        elif cell.cell_type == "code":
            source = stub_source(cell.source, exercise, f"{name}, cell {index}")
            stubs += source != cell.source
            lab.cells.append(_copy_cell(cell, source))
        else:
            lab.cells.append(_copy_cell(cell, cell.source))
    if stubs == 0:
        raise LabSourceError(f"{name}: no '{BEGIN}' region, so the lab would have no exercise")
    return lab


def _copy_cell(cell: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """The cell with a new source and no outputs; its id is kept so labs are stable."""
    make = {
        "code": nbformat.v4.new_code_cell,
        "markdown": nbformat.v4.new_markdown_cell,
        "raw": nbformat.v4.new_raw_cell,
    }[cell.cell_type]
    copy = make(source, metadata=cell.metadata)
    if "id" in cell:
        copy["id"] = cell["id"]
    return copy


def render(notebook: nbformat.NotebookNode) -> str:
    """Notebook JSON exactly as the course stores it (stable, ends with a newline)."""
    return nbformat.writes(notebook) + "\n"


def lab_path_for(solution_path: Path, labs_dir: Path) -> Path:
    """``solutions/01_x_lab.ipynb`` -> ``labs/01_x_lab.ipynb``."""
    return labs_dir / solution_path.name


def generate(solutions_dir: Path, labs_dir: Path, check: bool = False) -> list[Path]:
    """Write (or, with `check`, compare) each solution's nbgrader metadata and each lab.

    Returns the files that were out of date: a solution whose metadata is missing or stale, a
    lab that is not the generated version of its solution.
    """
    stale = []
    for solution_path in sorted(solutions_dir.glob("*_lab.ipynb")):
        text = solution_path.read_text()
        solution = annotate(nbformat.reads(text, as_version=4))
        outputs = {solution_path: render(solution),
                   lab_path_for(solution_path, labs_dir): render(
                       make_lab(solution, solution_path.name))}
        for target, expected in outputs.items():
            if not target.exists() or target.read_text() != expected:
                stale.append(target)
                if not check:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(expected)
    return stale


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        description="Write nbgrader metadata into solutions/ and generate labs/ from them.")
    parser.add_argument("--solutions", type=Path, default=Path("solutions"))
    parser.add_argument("--labs", type=Path, default=Path("labs"))
    parser.add_argument("--check", action="store_true",
                        help="only report stale labs and solutions with stale nbgrader metadata")
    args = parser.parse_args(argv)
    stale = generate(args.solutions, args.labs, check=args.check)
    for path in stale:
        verb = "written"
        if args.check:
            verb = ("is out of date" if path.parent == args.labs
                    else "has missing or stale nbgrader cell metadata")
        print(f"{path} {verb}", file=sys.stderr if args.check else sys.stdout)
    if args.check and stale:
        print("Run `make labs` (python -m coursekit.labgen) and commit the result.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
