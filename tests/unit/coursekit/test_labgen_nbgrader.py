"""The nbgrader metadata that labgen writes into solutions, and the points the labs show."""

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator

from coursekit import execute, labgen, nbgrader_course
from coursekit.paths import SOLUTIONS


def solution_notebook(*cells):
    notebook = nbformat.v4.new_notebook()
    for index, (kind, source) in enumerate(cells):
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source))
        notebook.cells[-1]["id"] = f"c{index}"
    return notebook


def two_exercises():
    return solution_notebook(
        ("md", "# Lab"),
        ("code", "from helpers.checks import ch99 as check"),
        ("md", "## Exercise 1: square"),
        ("code", "def square(x):\n    ### BEGIN SOLUTION\n    return x * x\n    ### END SOLUTION"),
        ("code", "check.exercise_1(square)"),
        ("md", "## Exercise 2: total\n\nAdd them up."),
        ("code", "values = [1, 2, 3]"),
        ("code", "### BEGIN SOLUTION\ndef total(v):\n    return sum(v)\n### END SOLUTION"),
        ("code", "### BEGIN SOLUTION\nanswer = total(values)\n### END SOLUTION"),
        ("code", "check.exercise_2(total, answer)"),
        ("code", "print('a second call: exercise_2(total) is not a second check')"),
    )


def metadata(notebook):
    return [cell.metadata["nbgrader"] for cell in labgen.annotate(notebook).cells]


def test_each_cell_gets_its_role_and_an_id_from_its_exercise_and_place():
    found = metadata(two_exercises())
    assert [m["grade_id"] for m in found] == [
        "intro-text-1", "intro-code-1", "ex1-text-1", "ex1-solution", "ex1-check",
        "ex2-text-1", "ex2-code-1", "ex2-solution", "ex2-solution-2", "ex2-check", "ex2-code-2"]
    roles = [(m["solution"], m["grade"], m["locked"]) for m in found]
    solution, check, given = (True, False, False), (False, True, True), (False, False, True)
    assert roles == [given, given, given, solution, check,
                     given, given, solution, solution, check, given]
    assert [m.get("points") for m in found if m["grade"]] == [1, 1]


def test_nbgraders_own_validator_accepts_the_metadata():
    MetadataValidator().validate_nb(labgen.annotate(two_exercises()))


def test_ids_do_not_move_when_a_cell_is_added_to_another_exercise():
    before = metadata(two_exercises())
    notebook = two_exercises()
    notebook.cells.insert(6, nbformat.v4.new_code_cell("print(values)"))
    after = metadata(notebook)
    assert after[:6] == before[:6]  # exercise 1 and before: untouched
    assert [m["grade_id"] for m in after if m["solution"] or m["grade"]] == [
        m["grade_id"] for m in before if m["solution"] or m["grade"]]


def test_existing_points_are_kept_and_the_lab_heading_states_them():
    notebook = two_exercises()
    notebook.cells[9].metadata["nbgrader"] = {"points": 3, "grade_id": "old", "grade": True}
    annotated = labgen.annotate(notebook)
    assert annotated.cells[9].metadata["nbgrader"]["points"] == 3
    assert annotated.cells[9].metadata["nbgrader"]["grade_id"] == "ex2-check"  # regenerated
    lab = labgen.make_lab(notebook)
    assert lab.cells[2].source == "## Exercise 1: square (1 point)"
    assert lab.cells[5].source == "## Exercise 2: total (3 points)\n\nAdd them up."
    assert lab.cells[9].metadata["nbgrader"] == annotated.cells[9].metadata["nbgrader"]


def test_annotating_twice_changes_nothing():
    once = labgen.annotate(two_exercises())
    assert labgen.render(labgen.annotate(once)) == labgen.render(once)


def test_a_repeated_exercise_number_is_refused():
    notebook = two_exercises()
    notebook.cells[5].source = "## Exercise 1: total"
    with pytest.raises(labgen.LabSourceError, match="second heading for exercise 1"):
        labgen.annotate(notebook)


@pytest.mark.parametrize("edit", ["missing", "stale id", "hand-made lock"])
def test_check_fails_on_missing_or_stale_metadata_and_names_the_solution(tmp_path, edit, capsys):
    solutions, labs = tmp_path / "solutions", tmp_path / "labs"
    solutions.mkdir()
    path = solutions / "01_x_lab.ipynb"
    nbformat.write(two_exercises(), path)
    labgen.generate(solutions, labs)
    assert labgen.generate(solutions, labs, check=True) == []
    notebook = nbformat.read(path, as_version=4)
    if edit == "missing":
        del notebook.cells[3].metadata["nbgrader"]
    elif edit == "stale id":
        notebook.cells[4].metadata["nbgrader"]["grade_id"] = "exercise-one"
    else:
        notebook.cells[3].metadata["nbgrader"]["locked"] = True
    path.write_text(labgen.render(notebook))
    args = ["--solutions", str(solutions), "--labs", str(labs), "--check"]
    assert labgen.main(args) == 1
    assert f"{path} has missing or stale nbgrader cell metadata" in capsys.readouterr().err


def test_changed_points_make_the_lab_stale_but_not_the_solution(tmp_path):
    solutions, labs = tmp_path / "solutions", tmp_path / "labs"
    solutions.mkdir()
    path = solutions / "01_x_lab.ipynb"
    nbformat.write(two_exercises(), path)
    labgen.generate(solutions, labs)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[4].metadata["nbgrader"]["points"] = 2
    path.write_text(labgen.render(notebook))
    assert labgen.generate(solutions, labs, check=True) == [labs / "01_x_lab.ipynb"]
    labgen.generate(solutions, labs)
    assert "## Exercise 1: square (2 points)" in (labs / "01_x_lab.ipynb").read_text()


def test_executing_a_notebook_keeps_its_nbgrader_metadata():
    notebook = labgen.annotate(two_exercises())
    notebook.cells[3].metadata["collapsed"] = True
    cleaned = execute.clean(notebook)
    assert cleaned.cells[3].metadata == {"nbgrader": metadata(two_exercises())[3]}


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*_lab.ipynb")), ids=lambda p: p.name)
def test_every_solution_has_one_graded_self_check_per_exercise(path):
    notebook = nbformat.read(path, as_version=4)
    MetadataValidator().validate_nb(notebook)
    numbers = {role.exercise for role in labgen.roles(notebook) if role.exercise is not None}
    graded = [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
              if c.metadata.get("nbgrader", {}).get("grade")]
    assert graded == [f"ex{n}-check" for n in sorted(numbers)], (
        f"{path.name}: nbgrader metadata missing or stale: run `make labs`")


def test_course_setup_refuses_a_solution_without_metadata(tmp_path):
    path = tmp_path / "01_x_lab.ipynb"
    nbformat.write(two_exercises(), path)
    with pytest.raises(nbgrader_course.CourseSetupError, match="make labs"):
        nbgrader_course.make_course(tmp_path / "course", [path])
    path.write_text(labgen.render(labgen.annotate(two_exercises())))
    made = nbgrader_course.make_course(tmp_path / "course", [path])
    assert made == {"lab01": tmp_path / "course" / "source" / "lab01" / "01_x_lab.ipynb"}
    assert "c.Execute.timeout = 60" in (tmp_path / "course" / "nbgrader_config.py").read_text()


def test_course_setup_keeps_a_source_notebook_edited_in_the_course_folder(tmp_path):
    path = tmp_path / "01_x_lab.ipynb"
    path.write_text(labgen.render(labgen.annotate(two_exercises())))
    target = nbgrader_course.make_course(tmp_path / "course", [path])["lab01"]
    target.write_text(target.read_text().replace("Add them up.", "Sum them."))
    with pytest.raises(nbgrader_course.CourseSetupError, match="--force"):
        nbgrader_course.make_course(tmp_path / "course", [path])
    nbgrader_course.make_course(tmp_path / "course", [path], force=True)
    assert target.read_text() == path.read_text()
