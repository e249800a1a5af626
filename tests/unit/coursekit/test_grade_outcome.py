"""How the grader reads one exercise's verdict from the outputs of an executed lab."""

import nbformat
import pytest

from coursekit import grade

EXERCISE = grade.Exercise(2, "total", 3.0, "check", ("answer",))


def executed(answer_outputs=(), check_outputs=(), ran=True):
    answer = nbformat.v4.new_code_cell("def total(v): ...", execution_count=4,
                                       outputs=list(answer_outputs))
    check = nbformat.v4.new_code_cell("check.exercise_2(total)", execution_count=5 if ran else None,
                                      outputs=list(check_outputs))
    return {"answer": answer, "check": check}


def stream(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def error(name, value=""):
    return nbformat.v4.new_output("error", ename=name, evalue=value, traceback=[])


def test_a_printed_pass_message_followed_by_a_failed_check_earns_nothing():
    cells = executed(check_outputs=[stream("Exercise 2 passed: trust me\n"),
                                    error("CheckFailed", "Exercise 2 is not right yet: 5")])
    result = grade.outcome(cells, EXERCISE)
    assert (result.earned, result.status) == (0.0, "not right yet")
    assert result.detail == "Exercise 2 is not right yet: 5"


def test_the_checks_own_pass_earns_the_exercises_points():
    result = grade.outcome(executed(check_outputs=[stream("Exercise 2 passed: sums\n")]),
                           EXERCISE)
    assert (result.earned, result.status, result.detail) == (3.0, "passed",
                                                             "Exercise 2 passed: sums")


@pytest.mark.parametrize(("cells", "status"), [
    (executed(answer_outputs=[error("NotImplementedError")]), "not attempted"),
    (executed(check_outputs=[error("NameError", "name 'total' is not defined")]), "error"),
    (executed(check_outputs=[stream("Exercise 1 passed: wrong one\n")]), "error"),
    (executed(ran=False), "not run"),
])
def test_anything_but_the_checks_pass_earns_zero(cells, status):
    result = grade.outcome(cells, EXERCISE)
    assert (result.earned, result.status) == (0.0, status)
