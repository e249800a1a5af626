"""A promotion gate: run the behavioural pytest suite on a candidate, refuse it if it fails.

The suite is an ordinary pytest file that CI runs on the reference model. The gate runs it
with `pytest.main` in this process and hands the candidate to the suite's fixtures through a
small plugin (`config.behavior_model`), so nothing is serialised; from a shell, point
`MODEL_ENV` at a skops file instead. The result comes from pytest's JUnit XML report, so the
refusal names each failing test and its message.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

MODEL_ENV = "BEHAVIOR_MODEL"
SEED_ENV = "BEHAVIOR_SEED"


@dataclass(frozen=True)
class SuiteRun:
    """What the behavioural suite said about one model."""

    passed: int
    failed: dict[str, str]  # test name -> first line of its failure message
    returncode: int

    @property
    def ok(self) -> bool:
        """True when every test ran and passed."""
        return self.returncode == 0 and not self.failed


class PromotionRefused(RuntimeError):
    """The candidate failed behavioural tests; the message names each of them."""

    def __init__(self, name: str, version: int, run: SuiteRun) -> None:
        lines = "\n".join(f"  - {test}: {why}" for test, why in run.failed.items())
        super().__init__(
            f"promotion of {name!r} version {version} refused: it fails "
            f"{len(run.failed)} behavioural test(s)\n{lines}\n"
            "Fix the model (or, if a test is wrong, the test in review), then register it "
            "again; the champion stays where it is.")
        self.run = run


def read_junit(path: str | Path) -> SuiteRun:
    """Passed count and failing tests (name -> first message line) from a JUnit XML file."""
    root = ET.parse(path).getroot()
    passed, failed = 0, {}
    for case in root.iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            passed += case.find("skipped") is None
            continue
        message = (problem.get("message") or problem.text or "").strip().splitlines()
        failed[case.get("name", "?")] = message[0] if message else "(no message)"
    return SuiteRun(passed, failed, 0)


class _Candidate:
    """pytest plugin that hands the model (and the data seed) to the suite's fixtures."""

    def __init__(self, model: Any, seed: int) -> None:
        self.model, self.seed = model, seed

    def pytest_configure(self, config: Any) -> None:
        config.behavior_model, config.behavior_seed = self.model, self.seed


def run_suite(model: Any, suite: str | Path, seed: int = 0) -> SuiteRun:
    """Run the pytest file `suite` on `model` (quietly, in this process); return what it found."""
    import pytest

    suite = Path(suite).resolve()
    if not suite.is_file():
        raise FileNotFoundError(f"behavioural suite {suite} does not exist; pass the test file")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.xml"
        # no:unraisableexception skips that plugin's closing gc.collect() passes: about 1 s
        # a run, more in a process that holds many objects, such as a notebook's kernel
        args = [str(suite), "-q", "-p", "no:cacheprovider", "-p", "no:unraisableexception",
                "--capture=sys", "-o", "addopts=", "--import-mode=importlib",
                f"--rootdir={suite.parent}", f"--junitxml={report}"]
        quiet = io.StringIO()
        with (mock.patch.dict(os.environ, {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}),
              contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet)):
            code = int(pytest.main(args, plugins=[_Candidate(model, seed)]))
        if not report.exists():
            raise RuntimeError(f"pytest did not run the suite (exit {code}):\n"
                               f"{quiet.getvalue()[-2000:]}")
        run = read_junit(report)
    return SuiteRun(run.passed, run.failed, code)


def promote_if_behaves(registry: Any, name: str, version: int, suite: str | Path,
                       alias: str = "champion", seed: int = 0) -> SuiteRun:
    """Promote `version` to `alias` only if it passes the suite; else raise PromotionRefused."""
    model, _ = registry.load(name, version)
    run = run_suite(model, suite, seed=seed)
    if not run.ok:
        raise PromotionRefused(name, int(version), run)
    registry.promote(name, int(version), alias)
    return run
