"""The lab self-check messages: a clear failure with a hint, a pass shown exactly once."""

import pytest
from IPython.core.formatters import DisplayFormatter

from helpers.checks import CheckFailed, passed, require


def test_a_failed_check_names_the_exercise_the_problem_and_a_hint():
    with pytest.raises(CheckFailed, match=r"Exercise 2 is not right yet: too slow\nHint: cache"):
        require(False, 2, "too slow", "cache it")
    require(True, 2, "never shown", "never shown")


def test_a_pass_is_printed_once_and_not_echoed_as_the_cells_result(capsys):
    message = passed(3, "all good")
    assert capsys.readouterr().out == "Exercise 3 passed: all good\n"
    assert message == "Exercise 3 passed: all good"
    assert DisplayFormatter().format(message) == ({}, {})  # what a notebook shows as Out[]
    assert DisplayFormatter().format("a plain str")[0]  # while a plain str would be shown
