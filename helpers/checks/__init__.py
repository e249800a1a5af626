"""Self-checks for the labs: a clear pass, or what is wrong and a hint."""

from __future__ import annotations


class CheckFailed(AssertionError):
    """A lab answer is not right yet; the message says what is wrong and gives a hint."""

    def __init__(self, exercise: int, problem: str, hint: str) -> None:
        super().__init__(f"Exercise {exercise} is not right yet: {problem}\nHint: {hint}")
        self.exercise = exercise


def require(condition: bool, exercise: int, problem: str, hint: str) -> None:
    """Raise `CheckFailed` with the problem and a hint unless `condition` holds."""
    if not condition:
        raise CheckFailed(exercise, problem, hint)


class Passed(str):
    """A pass message that a notebook does not echo: `passed` has printed it already."""

    def _ipython_display_(self) -> None:
        """Show nothing as the cell's result (the message was printed once)."""


def passed(exercise: int, detail: str) -> Passed:
    """Print and return the pass message of an exercise."""
    message = Passed(f"Exercise {exercise} passed: {detail}")
    print(message)
    return message
