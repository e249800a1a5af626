"""Grade a folder of submitted labs: each in its own folder and kernel, with a time limit.

``python -m coursekit.grade SUBMISSIONS`` (`make grade SUBMISSIONS=dir`) expects one folder per
student holding their labs under the course's names (``SUBMISSIONS/ann/01_x_lab.ipynb``) and
writes ``gradebook.csv`` (student, lab, points per exercise, total, seconds it took to grade) and
one feedback file per student and lab (each exercise: passed, or the check's problem and hint).

What a student may change is what the lab asks them to change: every cell of the lab that is not
an exercise's solution is put back as the course wrote it (as nbgrader does with locked cells),
so a self-check cannot be edited into passing. Points come from the self-check cell's nbgrader
metadata (``points``, which ``python -m coursekit.labgen`` writes into the solutions), one per
exercise when it has none; an exercise earns them only when its self-check itself passed. A
submission that loops forever, crashes its kernel, deletes files or is not a notebook gets zero
for what it breaks and never stops the others. Each runs in a fresh temporary folder that holds
only its own notebook (its working folder and HOME); this keeps honest mistakes apart, but it is
not a sandbox against a determined attacker: grade untrusted work in a container or as an
unprivileged user.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coursekit import labgen
from coursekit.paths import ROOT

CHECKS_IMPORT = re.compile(r"^from helpers\.checks import (ch\d+) as check$", re.M)


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lab: its number, title, points and the id of its self-check cell."""

    number: int
    title: str
    points: float
    check_cell: str
    answer_cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    """What one exercise of one submission earned, and why."""

    exercise: Exercise
    earned: float
    status: str  # passed, not right yet, not attempted, error, not run
    detail: str = ""


def exercises(reference: nbformat.NotebookNode) -> list[Exercise]:
    """The exercises of a solution notebook, each with the cell that checks it.

    The cells' roles are the ones `coursekit.labgen` gives them (and writes as nbgrader metadata).
    """
    found, answers = [], {}
    for cell, role in zip(reference.cells, labgen.roles(reference), strict=True):
        if role.kind == "solution" and role.exercise is not None:
            answers.setdefault(role.exercise, []).append(cell.id)
        elif role.kind == "check":
            points = cell.metadata.get("nbgrader", {}).get("points", labgen.DEFAULT_POINTS)
            found.append(Exercise(role.exercise, role.title, float(points), cell.id,
                                  tuple(answers.get(role.exercise, ()))))
    return found


def restore_locked_cells(submitted: nbformat.NotebookNode,
                         reference: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The submission with every non-solution cell of the course as the course wrote it."""
    by_id = {cell.id: cell for cell in reference.cells}
    module = CHECKS_IMPORT.search("\n".join(c.source for c in reference.cells))
    checks = {exercise.check_cell for exercise in exercises(reference)}
    for cell in submitted.cells:
        original = by_id.get(cell.get("id"))
        if original is None or labgen.has_solution(original.source):
            continue  # the student's own cells and their answers stay as they are
        cell.source = original.source
        if cell.id in checks and module:  # a fresh copy of the checks, whatever ran before
            cell.source = (f"import importlib\nimport helpers.checks.{module.group(1)} as check\n"
                           f"check = importlib.reload(check)\n{original.source}")
    return submitted


def outcome(cells: dict[str, nbformat.NotebookNode], exercise: Exercise) -> Result:
    """Score one exercise from the outputs of its self-check cell (and of its answer cells)."""
    answers = [cells[ident] for ident in exercise.answer_cells if ident in cells]
    if any(output.get("ename") == "NotImplementedError"
           for answer in answers for output in answer.get("outputs", [])):
        return Result(exercise, 0.0, "not attempted")
    cell = cells.get(exercise.check_cell)
    if cell is None:
        return Result(exercise, 0.0, "error", "its self-check cell was deleted")
    if not cell.get("execution_count"):
        return Result(exercise, 0.0, "not run",
                      "an earlier cell ran out of time or stopped the kernel")
    outputs = cell.get("outputs", [])
    # an error decides first: a pass message printed by the answer itself proves nothing
    for output in (o for o in outputs if o.output_type == "error"):
        if output.ename == "NotImplementedError":
            return Result(exercise, 0.0, "not attempted")
        if output.ename == "CheckFailed":  # its message names the exercise and a hint
            return Result(exercise, 0.0, "not right yet", output.evalue)
        return Result(exercise, 0.0, "error", f"{output.ename}: {output.evalue}")
    for output in (o for o in outputs if o.output_type == "stream"):
        if f"Exercise {exercise.number} passed" in output.text:
            return Result(exercise, exercise.points, "passed", output.text.strip())
    return Result(exercise, 0.0, "error", "the self-check printed no verdict")


def run_in_folder(notebook: Path, executed: Path, cell_timeout: int, total_timeout: int) -> str:
    """Execute `notebook` in a child process in its own folder, saving the run as `executed`.

    Returns what went wrong, if anything.
    """
    folder = notebook.parent
    env = {**os.environ, "HOME": str(folder), "JUPYTER_RUNTIME_DIR": str(folder / ".runtime"),
           "MPLCONFIGDIR": str(folder / ".mpl"), "TQDM_DISABLE": "1"}
    command = [sys.executable, "-m", "coursekit.grade", "--execute", str(notebook),
               "--output", str(executed), "--cell-timeout", str(cell_timeout)]
    child = subprocess.Popen(command, cwd=folder, env=env, start_new_session=True,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        log, _ = child.communicate(timeout=total_timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        return f"stopped after {total_timeout} s in all"
    return "" if child.returncode == 0 else log.strip().splitlines()[-1] if log.strip() else ""


def execute_here(notebook: Path, output: Path, cell_timeout: int) -> None:
    """Run a notebook in this folder, errors allowed; save it even when a cell hangs or crashes."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    executed = nbformat.read(notebook, as_version=4)
    client = NotebookClient(executed, timeout=cell_timeout, allow_errors=True,
                            kernel_name="python3", resources={"metadata": {"path": "."}})
    try:
        client.execute()
    except (CellTimeoutError, DeadKernelError) as stop:
        print(f"stopped: {type(stop).__name__}", file=sys.stderr)
    finally:
        nbformat.write(executed, output)


def grade(path: Path, solutions: Path, cell_timeout: int = 60,
          total_timeout: int = 300) -> tuple[list[Result], str]:
    """Grade one submitted lab: its results per exercise, and a note on what went wrong."""
    reference_path = solutions / path.name
    if not reference_path.exists():
        return [], f"{path.name} is not one of the course's labs (no solutions/{path.name})"
    reference = nbformat.read(reference_path, as_version=4)
    wanted = exercises(reference)
    try:
        submitted = nbformat.read(path, as_version=4)
        nbformat.validate(submitted)
    except Exception as error:  # a broken file is the student's to fix, not a grader crash
        note = f"not a readable notebook ({type(error).__name__}): resubmit the .ipynb file"
        return [Result(e, 0.0, "error", note) for e in wanted], note
    with tempfile.TemporaryDirectory(prefix="grade-") as folder:
        notebook = Path(folder) / "work" / path.name  # the student's folder and HOME
        notebook.parent.mkdir()
        nbformat.write(restore_locked_cells(submitted, reference), notebook)
        done = Path(folder) / "executed.ipynb"
        note = run_in_folder(notebook, done, cell_timeout, total_timeout)
        executed = nbformat.read(done, as_version=4) if done.exists() else None
    if executed is None:
        return [Result(e, 0.0, "not run", note) for e in wanted], note
    cells = {cell.get("id"): cell for cell in executed.cells}
    return [outcome(cells, e) for e in wanted], note


def feedback(student: str, lab: str, results: list[Result], note: str) -> str:
    """A student's feedback on one lab, in Markdown."""
    total = sum(r.earned for r in results)
    lines = [f"# {lab}: {total:g} of {sum(r.exercise.points for r in results):g} points",
             "", f"Student: {student}", ""]
    if note:
        lines += [f"**Note:** {note}", ""]
    for r in results:
        lines.append(f"- Exercise {r.exercise.number} ({r.exercise.title}): {r.earned:g} of "
                     f"{r.exercise.points:g}, {r.status}")
        lines += [f"  {line}" for line in r.detail.splitlines() if line.strip()]
    return "\n".join(lines) + "\n"


def timed_grade(path: Path, solutions: Path, cell_timeout: int,
                total_timeout: int) -> tuple[list[Result], str, float]:
    """`grade`, with the seconds it took (to spot slow submissions and to plan a grading run)."""
    start = time.perf_counter()
    results, note = grade(path, solutions, cell_timeout, total_timeout)
    return results, note, time.perf_counter() - start


def write_results(out: Path, jobs: list[Path],
                  graded: list[tuple[list[Result], str, float]]) -> Path:
    """Write gradebook.csv and one feedback page per student and lab; return the gradebook."""
    out.mkdir(parents=True, exist_ok=True)
    most = max((len(results) for results, _, _ in graded), default=0)
    with (out / "gradebook.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "lab", *[f"exercise_{n}" for n in range(1, most + 1)],
                         "total", "max_points", "seconds", "note"])
        for path, (results, note, seconds) in zip(jobs, graded, strict=True):
            student, lab = path.parent.name, path.stem
            points = [f"{r.earned:g}" for r in results] + [""] * (most - len(results))
            writer.writerow([student, lab, *points, f"{sum(r.earned for r in results):g}",
                             f"{sum(r.exercise.points for r in results):g}", f"{seconds:.1f}",
                             note])
            page = out / "feedback" / student / f"{lab}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(feedback(student, lab, results, note))
    return out / "gradebook.csv"


def main(argv: list[str] | None = None) -> int:
    """Grade every lab under SUBMISSIONS/<student>/, or run one notebook (--execute)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=Path, nargs="?")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "grades")
    parser.add_argument("--solutions", type=Path, default=ROOT / "solutions")
    parser.add_argument("--cell-timeout", type=int, default=60, help="seconds per cell")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per submission")
    parser.add_argument("--workers", type=int, default=2, help="submissions graded at once")
    parser.add_argument("--execute", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.execute:
        execute_here(args.execute, args.output, args.cell_timeout)
        return 0
    if args.submissions is None or not args.submissions.is_dir():
        parser.error("give the folder of submissions: SUBMISSIONS/<student>/<lab>.ipynb")
    jobs = sorted(args.submissions.glob("*/*.ipynb"))
    start = time.perf_counter()
    with ThreadPoolExecutor(args.workers) as pool:
        graded = list(pool.map(
            lambda p: timed_grade(p, args.solutions, args.cell_timeout, args.timeout), jobs))
    gradebook = write_results(args.out, jobs, graded)
    print(f"graded {len(jobs)} submission{'' if len(jobs) == 1 else 's'} in "
          f"{time.perf_counter() - start:.0f} s "
          f"({args.workers} at a time): {gradebook}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
