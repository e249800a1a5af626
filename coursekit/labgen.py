"""Generate each lab from its solution: solution regions become NotImplementedError stubs.

Regions are marked as nbgrader marks them::

    ### BEGIN SOLUTION
    answer = 42
    ### END SOLUTION

The exercise number and title come from the nearest markdown heading above the cell that
reads ``## Exercise N: title``. Run ``python -m coursekit.labgen`` to write ``labs/`` and
``python -m coursekit.labgen --check`` to fail when a lab is out of date.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
EXERCISE_HEADING = re.compile(r"^#+\s*Exercise\s+(\d+)\s*[:.-]\s*(.+?)\s*$", re.MULTILINE)


class LabSourceError(ValueError):
    """A solution notebook's markers are malformed; the message names the cell."""


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
    """A lab notebook: stubs for solutions, no outputs, no execution counts."""
    lab = nbformat.v4.new_notebook(metadata=solution.metadata)
    exercise: str | None = None
    stubs = 0
    for index, cell in enumerate(solution.cells):
        if cell.cell_type == "markdown":
            headings = EXERCISE_HEADING.findall(cell.source)
            if headings:
                number, title = headings[-1]
                exercise = f"Exercise {number}: {title} (replace this line with your code)"
            lab.cells.append(_copy_cell(cell, cell.source))
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
    """Write (or, with `check`, compare) every lab; return the labs that were out of date."""
    stale = []
    for solution_path in sorted(solutions_dir.glob("*_lab.ipynb")):
        solution = nbformat.read(solution_path, as_version=4)
        expected = render(make_lab(solution, solution_path.name))
        target = lab_path_for(solution_path, labs_dir)
        if not target.exists() or target.read_text() != expected:
            stale.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(expected)
    return stale


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description="Generate labs/ from solutions/.")
    parser.add_argument("--solutions", type=Path, default=Path("solutions"))
    parser.add_argument("--labs", type=Path, default=Path("labs"))
    parser.add_argument("--check", action="store_true", help="only report stale labs")
    args = parser.parse_args(argv)
    stale = generate(args.solutions, args.labs, check=args.check)
    for path in stale:
        verb = "is out of date" if args.check else "written"
        print(f"{path} {verb}", file=sys.stderr if args.check else sys.stdout)
    if args.check and stale:
        print("Run `make labs` (python -m coursekit.labgen) and commit the result.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
