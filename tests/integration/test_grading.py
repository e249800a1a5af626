"""The grading command on a small lab: right answers score, wrong and hostile ones do not, and
one submission never stops another; on a real lab: the solution, the untouched lab and one
answered exercise get what they earn."""

from __future__ import annotations

import csv

import nbformat
import pytest

from coursekit import grade, labgen
from coursekit.paths import LABS, SOLUTIONS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]

SETUP = '''
from helpers.checks import passed, require


def exercise_1(square):
    require(square(3) == 9 and square(-2) == 4, 1, "square(3) should be 9", "return x * x")
    return passed(1, "squares")


def exercise_2(total):
    require(total([1, 2, 3]) == 6, 2, "total([1, 2, 3]) should be 6", "use sum(values)")
    return passed(2, "sums")
'''
ANSWERS = {1: "def square(x):\n    return x * x", 2: "def total(values):\n    return sum(values)"}


def cell(kind: str, source: str, ident: str) -> nbformat.NotebookNode:
    made = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
    made["id"] = ident
    return made


def solution() -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [cell("code", SETUP, "setup")]
    for number, name in ((1, "square"), (2, "total")):
        notebook.cells += [
            cell("markdown", f"## Exercise {number}: {name}", f"h{number}"),
            cell("code", f"### BEGIN SOLUTION\n{ANSWERS[number]}\n### END SOLUTION", f"a{number}"),
            cell("code", f"exercise_{number}({name})", f"c{number}"),
        ]
    notebook.cells[-1].metadata["nbgrader"] = {"points": 2, "grade": True}  # exercise 2: 2 points
    return notebook


def answered(notebook: nbformat.NotebookNode, **sources: str) -> nbformat.NotebookNode:
    """The notebook with the cells of the given ids replaced."""
    for item in notebook.cells:
        if item.id in sources:
            item.source = sources[item.id]
    return notebook


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("grading")
    solutions, submissions = root / "solutions", root / "submitted"
    solutions.mkdir()
    nbformat.write(solution(), solutions / "99_tiny_lab.ipynb")
    lab = labgen.make_lab(solution())

    def submit(student: str, notebook) -> None:
        folder = submissions / student
        folder.mkdir(parents=True)
        path = folder / "99_tiny_lab.ipynb"
        if isinstance(notebook, str):
            path.write_text(notebook)
        else:
            nbformat.write(notebook, path)

    submit("solved", solution())
    submit("untouched", labgen.make_lab(solution()))
    submit("first_only", answered(labgen.make_lab(solution()), a1=ANSWERS[1]))
    submit("forever", answered(labgen.make_lab(solution()), a1=ANSWERS[1],
                               a2="while True:\n    pass"))
    submit("crash", answered(labgen.make_lab(solution()), a1="import os\nos._exit(1)"))
    submit("cheat", answered(labgen.make_lab(solution()), c1="print('Exercise 1 passed: yes')",
                             a1="square = None"))
    submit("vandal", answered(lab, a1=ANSWERS[1] + "\nimport shutil, pathlib\n"
                              "shutil.rmtree(pathlib.Path.home(), ignore_errors=True)",
                              a2=ANSWERS[2]))
    submit("garbage", "this is not a notebook")
    grade.main([str(submissions), "--out", str(root / "grades"), "--solutions", str(solutions),
                "--cell-timeout", "5", "--timeout", "60"])
    with (root / "grades" / "gradebook.csv").open() as handle:
        rows = {row["student"]: row for row in csv.DictReader(handle)}
    return rows, root


def points(row: dict) -> tuple[str, str, str]:
    return row["exercise_1"], row["exercise_2"], row["total"]


def test_the_solution_gets_full_marks_and_the_untouched_lab_none(graded):
    rows, _ = graded
    assert points(rows["solved"]) == ("1", "2", "3") and rows["solved"]["max_points"] == "3"
    assert points(rows["untouched"]) == ("0", "0", "0")


def test_one_solved_exercise_gets_its_points(graded):
    assert points(graded[0]["first_only"]) == ("1", "0", "1")


def test_a_loop_or_a_crash_costs_only_what_it_breaks(graded):
    rows, root = graded
    assert points(rows["forever"]) == ("1", "0", "1")
    assert points(rows["crash"]) == ("0", "0", "0")
    text = (root / "grades" / "feedback" / "forever" / "99_tiny_lab.md").read_text()
    assert "Exercise 2 (total): 0 of 2" in text


def test_the_gradebook_says_how_long_each_submission_took(graded):
    rows, _ = graded
    assert float(rows["forever"]["seconds"]) >= 5  # the endless loop ran into its 5 s limit
    assert float(rows["garbage"]["seconds"]) < 5  # nothing to run


def test_an_edited_self_check_cannot_pass(graded):
    assert points(graded[0]["cheat"]) == ("0", "0", "0")


def test_a_vandal_deletes_only_its_own_folder(graded):
    rows, root = graded
    assert points(rows["vandal"]) == ("1", "2", "3")
    assert (root / "submitted" / "solved" / "99_tiny_lab.ipynb").exists()
    assert points(rows["solved"]) == ("1", "2", "3")


def test_a_file_that_is_not_a_notebook_gets_zero_and_a_reason(graded):
    rows, _ = graded
    assert points(rows["garbage"]) == ("0", "0", "0")
    assert "not a readable notebook" in rows["garbage"]["note"]


def test_feedback_shows_the_checks_hint(graded):
    _, root = graded
    text = (root / "grades" / "feedback" / "first_only" / "99_tiny_lab.md").read_text()
    assert text.startswith("# 99_tiny_lab: 1 of 3 points")
    assert "Exercise 2 (total): 0 of 2, not attempted" in text


# The grading command on a real lab: lab 7, as in test_nbgrader.py (the quickest to run).
REAL_LAB = "07_error_analysis_lab.ipynb"
SOLVED_ALONE = 3  # the one exercise the "one_solved" student answers


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The gradebook rows of three submissions of a real lab, graded in one run."""
    root = tmp_path_factory.mktemp("real-grading")
    reference = nbformat.read(SOLUTIONS / REAL_LAB, as_version=4)
    wanted = {e.number: e for e in grade.exercises(reference)}
    answers = {c.id: c.source for c in reference.cells
               if c.id in wanted[SOLVED_ALONE].answer_cells}
    submissions = {
        "solved": reference,
        "untouched": nbformat.read(LABS / REAL_LAB, as_version=4),
        "one_solved": answered(nbformat.read(LABS / REAL_LAB, as_version=4), **answers),
    }
    for student, notebook in submissions.items():
        (root / "submitted" / student).mkdir(parents=True)
        nbformat.write(notebook, root / "submitted" / student / REAL_LAB)
    grade.main([str(root / "submitted"), "--out", str(root / "grades")])
    with (root / "grades" / "gradebook.csv").open() as handle:
        return {row["student"]: row for row in csv.DictReader(handle)}, wanted


def earned(row: dict, wanted: dict) -> dict[int, float]:
    return {number: float(row[f"exercise_{number}"]) for number in wanted}


def test_a_real_solution_gets_full_marks_and_the_untouched_lab_none(real):
    rows, wanted = real
    full = {number: exercise.points for number, exercise in wanted.items()}
    assert earned(rows["solved"], wanted) == full and len(full) >= 3
    assert float(rows["solved"]["total"]) == float(rows["solved"]["max_points"]) == sum(
        full.values())
    assert earned(rows["untouched"], wanted) == dict.fromkeys(wanted, 0.0)
    assert rows["untouched"]["total"] == "0"


def test_one_solved_exercise_of_a_real_lab_gets_exactly_its_points(real):
    rows, wanted = real
    expected = {n: (e.points if n == SOLVED_ALONE else 0.0) for n, e in wanted.items()}
    assert earned(rows["one_solved"], wanted) == expected
