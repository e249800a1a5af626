"""Labs are exactly the generated version of their solutions and stop at their first stub."""

import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from coursekit import labgen
from coursekit.paths import ROOT

SOLUTIONS = sorted((ROOT / "solutions").glob("*_lab.ipynb"))
LABS = sorted((ROOT / "labs").glob("*_lab.ipynb"))


def test_every_solution_has_a_lab_and_back():
    assert [p.name for p in SOLUTIONS] == [p.name for p in LABS]
    assert SOLUTIONS, "no solutions found"


def test_labs_are_exactly_the_generated_version():
    stale = labgen.generate(ROOT / "solutions", ROOT / "labs", check=True)
    assert stale == [], f"{[p.name for p in stale]} are out of date: run `make labs` and commit"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_has_three_exercises_each_with_a_self_check(path):
    notebook = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    exercises = [int(n) for n in re.findall(r"^## Exercise (\d+):", text, re.MULTILINE)]
    assert len(exercises) >= 3 and exercises == list(range(1, len(exercises) + 1))
    for number in exercises:
        assert f"check.exercise_{number}(" in text, f"exercise {number} has no self-check"


@pytest.mark.slow
@pytest.mark.parametrize("path", LABS, ids=lambda p: p.name)
def test_lab_runs_until_its_first_exercise_stub(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with pytest.raises(CellExecutionError) as error:
        client.execute()
    assert error.value.ename == "NotImplementedError"
    assert "Exercise 1:" in error.value.evalue
    cells = notebook.cells
    first_stub = next(i for i, c in enumerate(cells)
                      if c.cell_type == "code" and "raise NotImplementedError" in c.source)
    second_exercise = next(i for i, c in enumerate(cells)
                           if c.cell_type == "markdown" and "## Exercise 2:" in c.source)
    executed = [i for i, c in enumerate(cells) if c.get("execution_count")]
    # it failed in exercise 1 (the stub itself, or the self-check that calls it), not earlier
    assert first_stub <= executed[-1] < second_exercise
