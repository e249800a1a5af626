"""Minimum functionality, invariance and directional tests (the three kinds of CheckList).

Each runner predicts on every case, counts the failures and keeps the failing cases readable;
`minimal_failure` asks hypothesis for the smallest failing case instead of the first one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

KINDS = ("MFT", "INV", "DIR")


@dataclass(frozen=True)
class Result:
    """One behavioural test: how many cases, how many failed, and the failing cases."""

    test: str
    kind: str
    cases: int
    failures: int
    examples: pd.DataFrame

    @property
    def failure_rate(self) -> float:
        """Share of the cases that failed."""
        return self.failures / self.cases if self.cases else 0.0


def positive_probability(model: Any, inputs: Any) -> np.ndarray:
    """The model's probability of class 1 for each input (texts or a frame)."""
    if isinstance(inputs, tuple):
        inputs = list(inputs)
    return np.asarray(model.predict_proba(inputs))[:, 1]


def _result(test: str, kind: str, failed: np.ndarray, shown: pd.DataFrame) -> Result:
    """A Result from a boolean failure mask and the table of all cases."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    failed = np.asarray(failed, dtype=bool)
    return Result(test, kind, int(failed.size), int(failed.sum()),
                  shown[failed].reset_index(drop=True))


def _labels(describe: Sequence[str] | None, inputs: Any) -> list[str]:
    """Readable text for each case: the texts themselves, or the given descriptions."""
    if describe is not None:
        return list(describe)
    if isinstance(inputs, pd.DataFrame):
        return [f"row {i}" for i in inputs.index]
    return [str(x) for x in inputs]


def mft(test: str, model: Any, inputs: Any, expected: Sequence[int],
        describe: Sequence[str] | None = None) -> Result:
    """Minimum functionality: each case has a known label; fail where the model disagrees."""
    p = positive_probability(model, inputs)
    expected = np.asarray(expected, dtype=int)
    if len(expected) != len(p):
        raise ValueError(f"{len(p)} inputs but {len(expected)} expected labels")
    shown = pd.DataFrame({"case": _labels(describe, inputs), "expected": expected,
                          "p_positive": p.round(3)})
    return _result(test, "MFT", (p >= 0.5).astype(int) != expected, shown)


def inv(test: str, model: Any, originals: Any, perturbed: Any,
        describe: Sequence[str] | None = None) -> Result:
    """Invariance: fail where the perturbation changes the predicted label."""
    p0, p1 = positive_probability(model, originals), positive_probability(model, perturbed)
    if len(p0) != len(p1):
        raise ValueError(f"{len(p0)} originals but {len(p1)} perturbed inputs")
    shown = pd.DataFrame({"original": _labels(describe, originals),
                          "perturbed": _labels(None if describe is None else describe,
                                               perturbed),
                          "p_original": p0.round(3), "p_perturbed": p1.round(3)})
    return _result(test, "INV", (p0 >= 0.5) != (p1 >= 0.5), shown)


def direction(test: str, model: Any, originals: Any, perturbed: Any, sign: Sequence[int] | int,
              tolerance: float = 0.0, describe: Sequence[str] | None = None) -> Result:
    """Directional: P(positive) must move by `sign` (+1 up, -1 down); fail if it moves back.

    A move against the expected direction smaller than `tolerance` is forgiven.
    """
    p0, p1 = positive_probability(model, originals), positive_probability(model, perturbed)
    sign = np.broadcast_to(np.asarray(sign), p0.shape)
    if not np.isin(sign, (-1, 1)).all():
        raise ValueError("sign must be +1 (probability should go up) or -1 (go down)")
    shown = pd.DataFrame({"original": _labels(describe, originals),
                          "perturbed": _labels(describe, perturbed), "expected": sign,
                          "p_original": p0.round(3), "p_perturbed": p1.round(3)})
    return _result(test, "DIR", (p1 - p0) * sign < -tolerance, shown)


def table(results: Sequence[Result]) -> pd.DataFrame:
    """One row per test: kind, cases, failures and failure rate."""
    return pd.DataFrame([{"test": r.test, "kind": r.kind, "cases": r.cases,
                          "failures": r.failures, "failure rate": round(r.failure_rate, 3)}
                         for r in results]).set_index("test")


def property_settings(max_examples: int = 50):
    """Hypothesis settings for behavioural tests: derandomized, no example database."""
    from hypothesis import HealthCheck, settings

    return settings(max_examples=max_examples, derandomize=True, database=None,
                    deadline=None, suppress_health_check=list(HealthCheck))


def minimal_failure(fails: Callable[[Any], bool], strategy: Any,
                    max_examples: int = 200) -> Any | None:
    """The smallest case (after hypothesis shrinks it) for which `fails` is true, or None."""
    from hypothesis import find
    from hypothesis.errors import NoSuchExample

    try:
        return find(strategy, fails, settings=property_settings(max_examples))
    except NoSuchExample:
        return None
