"""Set up an nbgrader course folder from the course's solutions, one assignment per lab.

``python -m coursekit.nbgrader_course COURSE [lab05 ...]`` copies each solution to
``COURSE/source/labNN/NN_name_lab.ipynb`` (nbgrader's layout) and writes
``COURSE/nbgrader_config.py``. The solutions already carry nbgrader's cell metadata (written by
``python -m coursekit.labgen``), so ``nbgrader generate_assignment labNN`` takes them as they are.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

from coursekit import labgen
from coursekit.paths import SOLUTIONS

CONFIG = '''\
# nbgrader settings for this course, written by `python -m coursekit.nbgrader_course`.
c = get_config()  # noqa: F821 (nbgrader defines it when it reads this file)
c.CourseDirectory.course_id = "{course_id}"
# Seconds one cell may run when autograding (nbgrader's own default is 30 s). The course's own
# grader takes the same limit as `python -m coursekit.grade --cell-timeout N`.
c.Execute.timeout = {cell_timeout}
'''


class CourseSetupError(RuntimeError):
    """A course folder cannot be written as asked; the message says what to do."""


def assignment_id(solution: Path) -> str:
    """``05_drift_monitoring_lab.ipynb`` -> ``lab05``: the name students fetch and submit."""
    number = re.match(r"(\d+)_", solution.name)
    return f"lab{number.group(1)}" if number else solution.stem


def check_metadata(solution: Path) -> None:
    """Fail with what to do unless the solution carries labgen's current nbgrader metadata."""
    text = solution.read_text()
    if labgen.render(labgen.annotate(nbformat.reads(text, as_version=4))) != text:
        raise CourseSetupError(
            f"{solution} has missing or stale nbgrader metadata, which nbgrader would refuse or "
            "grade wrongly: run `make labs` (python -m coursekit.labgen) first")


def make_course(root: Path, solutions: Iterable[Path], cell_timeout: int = 60,
                course_id: str = "ml-in-production", force: bool = False) -> dict[str, Path]:
    """Copy each solution to ``root/source/<assignment>/`` and write the config if absent.

    Returns the source notebook of each assignment. A source notebook that differs from the
    solution (edited in the course folder) is kept unless `force` is set.
    """
    made = {}
    for solution in solutions:
        check_metadata(solution)
        target = root / "source" / assignment_id(solution) / solution.name
        if target.exists() and target.read_bytes() != solution.read_bytes() and not force:
            raise CourseSetupError(f"{target} differs from {solution}: keep your edits by moving "
                                   "them into solutions/, or pass --force to overwrite it")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(solution.read_bytes())
        made[assignment_id(solution)] = target
    config = root / "nbgrader_config.py"
    if not config.exists():
        config.write_text(CONFIG.format(course_id=course_id, cell_timeout=cell_timeout))
    return made


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("course", type=Path, help="the nbgrader course folder (made if absent)")
    parser.add_argument("labs", nargs="*", help="assignments to set up, e.g. lab05 (default: all)")
    parser.add_argument("--solutions", type=Path, default=SOLUTIONS)
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell")
    parser.add_argument("--force", action="store_true", help="overwrite edited source notebooks")
    args = parser.parse_args(argv)
    available = {assignment_id(p): p for p in sorted(args.solutions.glob("*_lab.ipynb"))}
    unknown = sorted(set(args.labs) - set(available))
    if unknown:
        parser.error(f"no solution for {', '.join(unknown)}; choose from {', '.join(available)}")
    chosen = [available[name] for name in args.labs] if args.labs else list(available.values())
    if not chosen:
        parser.error(f"no *_lab.ipynb in {args.solutions}: give the folder of solutions")
    try:
        made = make_course(args.course, chosen, args.cell_timeout, force=args.force)
    except CourseSetupError as error:
        print(error, file=sys.stderr)
        return 1
    for name, path in made.items():
        print(f"{name}: {path}")
    print(f"Next: cd {args.course} && nbgrader generate_assignment {next(iter(made))}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
