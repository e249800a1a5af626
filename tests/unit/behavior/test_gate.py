"""The gate runs a real pytest suite on the candidate and refuses it naming each failing test."""

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier

from helpers.behavior import gate

SUITE = '''
import pytest

@pytest.fixture
def model(request):
    return request.config.behavior_model

def test_answers_one_row(model):
    assert model.predict([[0.0]]).shape == (1,)

def test_predicts_positive(model):
    assert model.predict([[0.0]])[0] == 1, "the candidate says 0 for the positive case"
'''


def constant(value: int) -> DummyClassifier:
    return DummyClassifier(strategy="constant", constant=value).fit(np.zeros((2, 1)), [0, 1])


class FakeRegistry:
    """Just the two registry methods the gate uses."""

    def __init__(self, models):
        self.models, self.promoted = models, []

    def load(self, name, version):
        return self.models[version], None

    def promote(self, name, version, alias):
        self.promoted.append((name, version, alias))


@pytest.fixture
def suite_file(tmp_path):
    path = tmp_path / "test_contract.py"
    path.write_text(SUITE)
    return path


def test_read_junit_names_failures_and_counts_passes(tmp_path):
    report = tmp_path / "r.xml"
    report.write_text(
        '<testsuites><testsuite><testcase name="test_ok"/>'
        '<testcase name="test_bad"><failure message="AssertionError: flipped&#10;more"/>'
        '</testcase><testcase name="test_skip"><skipped/></testcase></testsuite></testsuites>')
    run = gate.read_junit(report)
    assert run.passed == 1 and run.failed == {"test_bad": "AssertionError: flipped"}


def test_a_failing_candidate_is_refused_and_the_champion_stays(suite_file):
    registry = FakeRegistry({1: constant(1), 2: constant(0)})
    run = gate.promote_if_behaves(registry, "m", 1, suite_file)
    assert run.ok and run.passed == 2 and registry.promoted == [("m", 1, "champion")]
    with pytest.raises(gate.PromotionRefused,
                       match=r"(?s)version 2 refused.*test_predicts_positive: .*says 0") as err:
        gate.promote_if_behaves(registry, "m", 2, suite_file)
    assert list(err.value.run.failed) == ["test_predicts_positive"]
    assert registry.promoted == [("m", 1, "champion")]


def test_a_missing_suite_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        gate.run_suite(constant(1), tmp_path / "nope.py")


def test_a_suite_that_cannot_be_collected_is_a_clear_error(tmp_path):
    broken = tmp_path / "test_broken.py"
    broken.write_text("import no_such_module_here\n")
    run = gate.run_suite(constant(1), broken)
    assert not run.ok and run.returncode != 0
