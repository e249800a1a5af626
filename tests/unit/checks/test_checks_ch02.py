"""The Chapter 2 self-checks pass right answers and explain wrong ones."""

import pickle
from pathlib import Path

import pytest
import skops.io as sio

from helpers.checks import CheckFailed
from helpers.checks import ch02 as check
from helpers.storage import artifacts
from helpers.storage.registry import Registry


def test_exercise_1_passes_an_atomic_save_and_explains_an_in_place_one():
    def atomic(model, path):
        return artifacts.save_skops(model, path)

    def in_place(model, path):
        data, _ = artifacts.skops_bytes(model)
        with Path(path).open("r+b") as handle:  # overwrites the old file where it lies
            handle.truncate()
            handle.write(data)
        return artifacts.record_sha256(path)

    def no_record(model, path):
        return artifacts.atomic_write_bytes(path, artifacts.skops_bytes(model)[0])

    assert "passed" in check.exercise_1(atomic)
    with pytest.raises(CheckFailed, match=r"(?s)overwritten in place.*Hint: write to a temp"):
        check.exercise_1(in_place)
    with pytest.raises(CheckFailed, match="no matching sha256 recorded"):
        check.exercise_1(no_record)


def test_exercise_2_passes_verified_loading_and_explains_unsafe_ones():
    def verified(path, sha):
        return artifacts.load_skops(path, sha)

    def unchecked(path, sha):
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))

    def unpickles(path, sha):
        if artifacts.sha256_bytes(Path(path).read_bytes()) != sha:
            raise artifacts.TamperedArtifactError(path, sha, "?" * 64)
        data = Path(path).read_bytes()
        if data[:2] == b"PK":  # a zip: skops
            return artifacts.load_skops(path, sha)
        return pickle.loads(data)

    def wrong_error(path, sha):
        if artifacts.sha256_bytes(Path(path).read_bytes()) != sha:
            raise ValueError("bad hash")
        return artifacts.load_skops(path, sha)

    assert "passed" in check.exercise_2(verified)
    with pytest.raises(CheckFailed, match=r"not TamperedArtifactError|loaded without complaint"):
        check.exercise_2(unchecked)
    with pytest.raises(CheckFailed, match=r"disguised as a \.skops file"):
        check.exercise_2(unpickles)
    with pytest.raises(CheckFailed, match="raised ValueError, not TamperedArtifactError"):
        check.exercise_2(wrong_error)


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return Registry(tmp_path_factory.mktemp("lab-registry"))


def test_exercise_3_passes_the_policy_and_explains_mistakes(registry):
    def policy(reg, name, version):
        reg.set_alias(name, "challenger", version)
        try:
            champion = reg.info(name, "champion")
        except KeyError:
            reg.promote(name, version)
            return True
        if reg.info(name, version).metrics["accuracy"] > champion.metrics["accuracy"]:
            reg.promote(name, version)
            return True
        return False

    def always(reg, name, version):
        reg.set_alias(name, "challenger", version)
        reg.promote(name, version)
        return True

    def no_history(reg, name, version):
        reg.set_alias(name, "challenger", version)
        try:
            champion = reg.info(name, "champion")
        except KeyError:
            champion = None
        if champion is None or reg.info(name, version).metrics["accuracy"] > champion.metrics[
            "accuracy"
        ]:
            reg.set_alias(name, "champion", version)
            return True
        return False

    assert "passed" in check.exercise_3(policy, registry)
    with pytest.raises(CheckFailed, match="lower accuracy replaced the champion"):
        check.exercise_3(always, registry)
    with pytest.raises(CheckFailed, match="promotion left no history"):
        check.exercise_3(no_history, registry)
