"""nbgrader itself on one real lab, in a temporary course folder.

The solutions carry the cell metadata nbgrader needs; nbgrader's student version is the course's
lab but for two generated differences (its stub text, our points in the headings); its autograder
gives the solution full marks and the untouched lab none. One lab only, to keep CI short: lab 7
is the quickest solution to run (about 4 s) and none of its self-checks measures a latency,
which a loaded CI machine could push over a limit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coursekit import labgen, nbgrader_course
from coursekit.paths import LABS, SOLUTIONS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]

LAB = "07_error_analysis_lab.ipynb"  # the quickest solution to run (about 4 s)
ASSIGNMENT = nbgrader_course.assignment_id(Path(LAB))
# Our stub line, and the two lines nbgrader's ClearSolutions writes in its place.
OUR_STUB = re.compile(r'^( *)raise NotImplementedError\("Exercise \d+: .+ \(replace this line '
                      r'with your code\)"\)$', re.MULTILINE)
NBGRADER_STUB = r"\1# YOUR CODE HERE\n\1raise NotImplementedError()"
POINTS = re.compile(r"^(#+\s*Exercise\s+(\d+)\s*[:.-].+?) \((\d+(?:\.\d+)?) points?\)$",
                    re.MULTILINE)


def without_release_bookkeeping(metadata: dict) -> dict:
    """A released cell's metadata less what nbgrader adds: checksums and locks against editing."""
    kept = {k: v for k, v in metadata.items() if k not in ("deletable", "editable")}
    kept["nbgrader"] = {k: v for k, v in metadata["nbgrader"].items()
                        if k not in ("checksum", "cell_type")}
    return kept


def nbgrader(course: Path, *args: str) -> None:
    """Run an nbgrader command in the course folder; fail with its log if it fails."""
    # nbgrader runs `alembic` by name, so the environment's scripts must be on PATH
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course,
                          env={**os.environ, "PATH": path}, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}{done.stderr}"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A course folder where the lab was released, and submitted by two students, then graded."""
    root = tmp_path_factory.mktemp("nbgrader-course")
    nbgrader_course.make_course(root, [SOLUTIONS / LAB])
    nbgrader(root, "generate_assignment", ASSIGNMENT)
    for student, submitted in (("solved", SOLUTIONS / LAB), ("untouched", LABS / LAB)):
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copyfile(submitted, folder / LAB)
    nbgrader(root, "autograde", ASSIGNMENT)
    return root


@pytest.fixture(scope="module")
def scores(course) -> dict[str, dict[str, tuple[float, float]]]:
    """nbgrader's score and maximum for each graded cell, by student, from its gradebook."""
    from nbgrader.api import Gradebook

    found = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for student in ("solved", "untouched"):
            notebook = gradebook.find_submission_notebook(Path(LAB).stem, ASSIGNMENT, student)
            found[student] = {grade.name: (grade.score, grade.max_score)
                              for grade in notebook.grades}
    return found


def test_nbgraders_student_version_is_our_lab_but_for_stub_text_and_points(course):
    released = nbformat.read(course / "release" / ASSIGNMENT / LAB, as_version=4)
    lab = nbformat.read(LABS / LAB, as_version=4)
    assert [(c.id, c.cell_type) for c in released.cells] == [(c.id, c.cell_type) for c in lab.cells]
    assert released.metadata == lab.metadata
    for ours, theirs in zip(lab.cells, released.cells, strict=True):
        if ours.cell_type == "code":
            assert theirs.source == OUR_STUB.sub(NBGRADER_STUB, ours.source), ours.id
        else:
            assert theirs.source == POINTS.sub(r"\1", ours.source), ours.id
        assert without_release_bookkeeping(theirs.metadata) == ours.metadata, ours.id
    stubs = sum(len(OUR_STUB.findall(c.source)) for c in lab.cells)
    regions = sum(c.source.count(labgen.BEGIN) for c in nbformat.read(SOLUTIONS / LAB, 4).cells)
    assert stubs == regions > 0  # every solution region was compared, none was left out


def test_the_labs_headings_state_the_points_nbgrader_grades(scores):
    lab = nbformat.read(LABS / LAB, as_version=4)
    stated = {f"ex{number}-check": float(points)
              for cell in lab.cells if cell.cell_type == "markdown"
              for _, number, points in POINTS.findall(cell.source)}
    graded = {name: maximum for name, (_, maximum) in scores["solved"].items()}
    solution = nbformat.read(SOLUTIONS / LAB, as_version=4)
    numbers = {role.exercise for role in labgen.roles(solution) if role.exercise is not None}
    assert stated == graded and set(graded) == {f"ex{n}-check" for n in numbers}


def test_nbgrader_gives_the_solution_full_marks(scores):
    graded = scores["solved"]
    assert graded and all(score == maximum > 0 for score, maximum in graded.values()), graded


def test_nbgrader_gives_the_untouched_lab_zero(scores):
    graded = scores["untouched"]
    assert graded and all(score == 0 for score, _ in graded.values()), graded
