"""The Chapter 2 self-checks pass right answers and explain plausible wrong ones."""

import os
import pickle
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from helpers.checks import CheckFailed
from helpers.checks import ch02 as check
from helpers.storage import artifacts, promotion


def atomic(model, path):
    """The right answer to exercise 1."""
    path = Path(path)
    data, _ = artifacts.skops_bytes(model)
    temp = path.with_name(f".{path.name}.tmp")
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    digest = artifacts.sha256_bytes(data)
    artifacts.record_sha256(path, digest)
    return digest


def test_exercise_1_passes_a_careful_atomic_save():
    assert "passed" in check.exercise_1(atomic)


def test_exercise_1_rejects_the_lectures_version_which_leaves_its_temp_file():
    def lecture_copy(model, path):
        path = Path(path)
        data, _ = artifacts.skops_bytes(model)
        temp = path.with_name(f".{path.name}.by-hand.tmp")
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
        return artifacts.record_sha256(path)

    with pytest.raises(CheckFailed, match=r"(?s)files were left in the folder.*try/except"):
        check.exercise_1(lecture_copy)


def test_exercise_1_rejects_a_temp_file_in_another_folder():
    def in_tmp(model, path):
        data, _ = artifacts.skops_bytes(model)
        with tempfile.NamedTemporaryFile(delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)  # same file system here; often not in production
        return artifacts.record_sha256(path)

    with pytest.raises(CheckFailed, match="not in the model's folder"):
        check.exercise_1(in_tmp)


def test_exercise_1_rejects_in_place_writes_ready_made_savers_and_missing_hashes():
    def in_place(model, path):
        data, _ = artifacts.skops_bytes(model)
        Path(path).write_bytes(data)
        return artifacts.record_sha256(path)

    def ready_made(model, path):
        return artifacts.save_skops(model, path)

    def no_record(model, path):
        return _atomic_without_record(model, path)

    with pytest.raises(CheckFailed, match="overwritten in place"):
        check.exercise_1(in_place)
    with pytest.raises(CheckFailed, match="ready-made atomic saver"):
        check.exercise_1(ready_made)
    with pytest.raises(CheckFailed, match="no matching sha256 recorded"):
        check.exercise_1(no_record)
    assert artifacts.save_skops.__name__ == "save_skops"  # the check put the savers back


def _atomic_without_record(model, path):
    path = Path(path)
    data, _ = artifacts.skops_bytes(model)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    os.replace(temp, path)
    return artifacts.sha256_bytes(data)


def test_exercise_2_passes_verified_loading_and_explains_unsafe_ones():
    def verified(path, sha):
        return artifacts.load_skops(path, sha)

    def hash_beside_the_file(path, sha):
        return artifacts.load_skops(path)  # trusts the .sha256 file the attacker replaced

    def unchecked(path, sha):
        return sio.load(path, trusted=sio.get_untrusted_types(file=path))

    def unpickles(path, sha):
        data = Path(path).read_bytes()
        if artifacts.sha256_bytes(data) != sha:
            raise artifacts.TamperedArtifactError(path, sha, "?" * 64)
        if data[:2] == b"PK":  # a zip: skops
            return artifacts.load_skops(path, sha)
        return pickle.loads(data)

    def wrong_error(path, sha):
        if artifacts.sha256_bytes(Path(path).read_bytes()) != sha:
            raise ValueError("bad hash")
        return artifacts.load_skops(path, sha)

    assert "passed" in check.exercise_2(verified)
    with pytest.raises(CheckFailed, match=r"(?s)hash beside it was replaced too.*registry"):
        check.exercise_2(hash_beside_the_file)
    with pytest.raises(CheckFailed, match=r"not TamperedArtifactError|loaded without complaint"):
        check.exercise_2(unchecked)
    with pytest.raises(CheckFailed, match=r"disguised as a \.skops file"):
        check.exercise_2(unpickles)
    with pytest.raises(CheckFailed, match="raised ValueError, not TamperedArtifactError"):
        check.exercise_2(wrong_error)


def _policy(rule):
    """A promotion policy with the right alias handling and the decision `rule(low, diff, m)`."""

    def promote_if_better(registry, name, version, features, target, margin=0.0):
        registry.set_alias(name, "challenger", version)
        try:
            champion, _ = registry.load(name, "champion")
        except KeyError:
            registry.promote(name, version)
            return True
        challenger, _ = registry.load(name, version)
        right = [model.predict(features) == np.asarray(target) for model in (champion, challenger)]
        low, _ = promotion.paired_bootstrap(*right)
        if rule(low, right[1].mean() - right[0].mean(), margin):
            registry.promote(name, version)
            return True
        return False

    return promote_if_better


def test_exercise_3_passes_the_interval_rule():
    assert "passed" in check.exercise_3(_policy(lambda low, diff, margin: low > margin))


@pytest.mark.parametrize("rule, message", [
    (lambda low, diff, margin: diff > margin, "ONE more row"),  # the point estimate
    (lambda low, diff, margin: low >= margin, "strictly better"),  # >= instead of >
    (lambda low, diff, margin: diff >= margin, "strictly better"),
    (lambda low, diff, margin: low > 0, "margin=0.05"),  # ignores the margin
    (lambda low, diff, margin: True, "strictly better"),  # always promotes
])
def test_exercise_3_rejects_rules_that_promote_noise(rule, message):
    with pytest.raises(CheckFailed, match=message):
        check.exercise_3(_policy(rule))


def test_exercise_3_rejects_a_policy_without_history_or_challenger_alias():
    def no_history(registry, name, version, features, target, margin=0.0):
        registry.set_alias(name, "challenger", version)
        try:
            champion, _ = registry.load(name, "champion")
        except KeyError:
            registry.set_alias(name, "champion", version)
            return True
        challenger, _ = registry.load(name, version)
        right = [m.predict(features) == np.asarray(target) for m in (champion, challenger)]
        if promotion.paired_bootstrap(*right)[0] > margin:
            registry.set_alias(name, "champion", version)
            return True
        return False

    def ready_made(registry, name, version, features, target, margin=0.0):
        result = promotion.promote_if_better(registry, name, version, features, target,
                                             margin=margin)
        return result is None or result.promote

    with pytest.raises(CheckFailed, match="promotion left no history"):
        check.exercise_3(no_history)
    with pytest.raises(CheckFailed, match=r"you called helpers\.storage\.promotion"):
        check.exercise_3(ready_made)
    assert promotion.promote_if_better.__name__ == "promote_if_better"  # put back


@pytest.fixture
def table():
    """A measured table as the lab builds it (sizes shaped like a real run)."""
    rows = [("RandomForestClassifier", name, size) for name, size in [
        ("pickle p5", 0.06), ("pickle p4 (default)", 0.061), ("joblib", 0.065),
        ("joblib compress=3", 0.012), ("skops", 0.4), ("onnx", 0.013)]]
    rows += [("array float32[20000, 16]", name, 1.28) for name in [
        "pickle p5", "pickle p4 (default)", "joblib", "joblib compress=3",
        "joblib mmap_mode='r'", "hdf5 contiguous", "hdf5 gzip chunked", "hdf5 lzf chunked"]]
    return pd.DataFrame(rows, columns=["subject", "format", "size_mb"])


RIGHT = {
    "partner uploads": ("skops", "cannot run code when loaded"),
    "java service": ("onnx", "runs in onnxruntime from Java"),
    "edge device": ("joblib compress=3", "smallest measured file, trusted source"),
    "feature array": ("joblib mmap_mode='r'", "maps the file, pages in the rows it reads"),
}


@pytest.mark.parametrize("scenario, alternative", [
    ("partner uploads", "onnx"), ("edge device", "onnx"), ("feature array", "hdf5 gzip chunked"),
    ("feature array", "hdf5 contiguous"),
])
def test_exercise_4_accepts_every_defensible_answer(table, scenario, alternative):
    assert "passed" in check.exercise_4(RIGHT, table)
    choices = RIGHT | {scenario: (alternative, "also meets every constraint here")}
    assert "passed" in check.exercise_4(choices, table)


@pytest.mark.parametrize("scenario, wrong, message", [
    ("partner uploads", "joblib", "run code when loaded"),
    ("partner uploads", "pickle p5", "run code when loaded"),
    ("java service", "skops", "only ONNX runs outside Python"),
    ("edge device", "skops", "within 10% of the smallest"),
    ("edge device", "pickle p5", "within 10% of the smallest"),
    ("feature array", "joblib compress=3", "UNcompressed"),
    ("feature array", "pickle p5", "whole 2 GB array"),
    ("feature array", "safetensors", "not a format in the measured table"),
])
def test_exercise_4_rejects_formats_that_break_a_constraint(table, scenario, wrong, message):
    with pytest.raises(CheckFailed, match=message):
        check.exercise_4(RIGHT | {scenario: (wrong, "a reason of some words")}, table)


def test_exercise_4_wants_every_scenario_and_a_reason(table):
    with pytest.raises(CheckFailed, match="exactly these keys"):
        check.exercise_4({"java service": ("onnx", "runs from Java")}, table)
    with pytest.raises(CheckFailed, match="give a reason"):
        check.exercise_4(RIGHT | {"java service": ("onnx", "")}, table)
