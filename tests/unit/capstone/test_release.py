"""A release: int8 export, the contract on the int8 model, registration, and the refusal."""

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from helpers.behavior.gate import PromotionRefused
from helpers.capstone import contract, release
from helpers.storage import onnx


class FakeRegistry:
    """The registry methods a release and Chapter 2's policy use, in memory."""

    def __init__(self):
        self.models, self.calls, self.aliases = {}, [], {}

    def register(self, name, model, **kwargs):
        version = len(self.models) + 1
        self.models[version] = model
        self.calls.append(kwargs)
        return type("Info", (), {"version": version})()

    def load(self, name, ref):
        version = self.aliases[ref] if isinstance(ref, str) else ref
        return self.models[version], None

    def set_alias(self, name, alias, version):
        self.aliases[alias] = version

    def promote(self, name, version, alias="champion"):
        self.aliases[alias] = version


@pytest.fixture(scope="module")
def cases():
    return contract.draw_cases(seed=0, rows=300)


def test_a_release_registers_the_int8_model_with_its_results(fitted, split, cases, tmp_path):
    _, x_test, _, y_test = split
    registry = FakeRegistry()
    done = release.release(registry, "biopsy", fitted, x_eval=x_test, y_eval=y_test,
                           cases=cases, data_sha256="d" * 64, folder=tmp_path,
                           params={"hidden": 32})
    stored = registry.calls[0]
    assert done.version == 1 and done.contract.ok and done.agreement >= 0.98
    assert done.int8_bytes == len(stored["onnx_model"]) and done.smaller > 1
    session = onnx.session(stored["onnx_model"])  # the registered file is the int8 model
    served = onnx.probabilities(session, x_test).argmax(axis=1)
    assert np.isclose(done.accuracy, np.mean(served == y_test))
    assert stored["metrics"]["contract_failed"] == 0 and stored["params"]["contract"] == "3 passed"
    release.promote(registry, "biopsy", done)
    assert registry.aliases["champion"] == 1


def test_a_failed_contract_is_registered_but_never_promoted(fitted, split, cases, tmp_path):
    x_train, x_test, y_train, y_test = split
    registry = FakeRegistry()
    first = release.release(registry, "biopsy", fitted, x_eval=x_test, y_eval=y_test,
                            cases=cases, data_sha256="d" * 64, folder=tmp_path)
    release.promote(registry, "biopsy", first)
    nearest = KNeighborsClassifier(1).fit(x_train, y_train)
    second = release.release(registry, "biopsy", nearest, x_eval=x_test, y_eval=y_test,
                             cases=cases, data_sha256="d" * 64, folder=tmp_path)
    assert registry.calls[1]["metrics"]["contract_failed"] >= 1
    with pytest.raises(PromotionRefused, match="remeasurement"):
        release.promote(registry, "biopsy", second)
    with pytest.raises(PromotionRefused):
        release.promote_if_better(registry, "biopsy", second, x_test, y_test)
    assert registry.aliases == {"champion": 1}


def test_promote_if_better_asks_chapter_2s_policy(fitted, split, cases, tmp_path):
    _, x_test, _, y_test = split
    registry = FakeRegistry()
    first = release.release(registry, "biopsy", fitted, x_eval=x_test, y_eval=y_test,
                            cases=cases, data_sha256="d" * 64, folder=tmp_path)
    assert release.promote_if_better(registry, "biopsy", first, x_test, y_test) is None
    twin = release.release(registry, "biopsy", fitted, x_eval=x_test, y_eval=y_test,
                           cases=cases, data_sha256="d" * 64, folder=tmp_path)
    verdict = release.promote_if_better(registry, "biopsy", twin, x_test, y_test)
    assert not verdict.promote and registry.aliases == {"champion": 1, "challenger": 2}


def test_evaluation_rows_need_their_labels(fitted, split, cases, tmp_path):
    _, x_test, _, y_test = split
    with pytest.raises(ValueError, match="one label each"):
        release.release(FakeRegistry(), "biopsy", fitted, x_eval=x_test, y_eval=y_test[:-1],
                        cases=cases, data_sha256="d" * 64, folder=tmp_path)
