"""Atomic writes keep the old file on error; loading checks the sha256 and the trusted types."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

from helpers import hashing
from helpers.storage import artifacts, onnx
from helpers.storage.artifacts import TamperedArtifactError, UntrustedTypesError


@pytest.fixture(scope="module")
def xy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 4))
    return x, (x[:, 0] + x[:, 1] > 0).astype(int)


class Homemade(BaseEstimator):
    """A class defined outside scikit-learn: skops must not trust it by default."""

    def fit(self, x, y):
        self.mean_ = np.mean(x)
        return self


def test_atomic_write_bytes_writes_everything_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "model.bin"
    digest = artifacts.atomic_write_bytes(target, b"abc" * 1000)
    assert target.read_bytes() == b"abc" * 1000
    assert digest == hashing.sha256_file(target)
    assert artifacts.stale_temp_files(tmp_path) == []


def test_a_failing_write_keeps_the_old_file_and_removes_its_temp_file(tmp_path):
    target = tmp_path / "model.bin"
    target.write_bytes(b"old")

    def broken(handle):
        handle.write(b"half of the new")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        artifacts.atomic_write(target, broken)
    assert target.read_bytes() == b"old"
    assert artifacts.stale_temp_files(tmp_path) == []


def test_save_and_load_skops_round_trip_with_recorded_hash(tmp_path, xy):
    model = LogisticRegression().fit(*xy)
    path = tmp_path / "model.skops"
    digest = artifacts.save_skops(model, path)
    assert artifacts.recorded_sha256(path) == digest == hashing.sha256_file(path)
    loaded = artifacts.load_skops(path)
    np.testing.assert_array_equal(loaded.predict(xy[0]), model.predict(xy[0]))


def test_a_tampered_file_is_refused_with_a_clear_message(tmp_path, xy):
    path = tmp_path / "model.skops"
    digest = artifacts.save_skops(LogisticRegression().fit(*xy), path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(TamperedArtifactError) as caught:
        artifacts.load_skops(path)
    message = str(caught.value)
    assert "model.skops" in message and digest[:12] in message
    assert hashing.sha256_file(path)[:12] in message and "restore" in message


def test_a_file_without_recorded_hash_is_not_loaded(tmp_path):
    path = tmp_path / "model.skops"
    path.write_bytes(b"anything")
    with pytest.raises(FileNotFoundError, match="no recorded sha256"):
        artifacts.read_verified(path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        artifacts.read_verified(tmp_path / "missing.skops", "0" * 64)


def test_only_trusted_types_are_loaded(tmp_path, xy):
    forest = RandomForestClassifier(n_estimators=3, random_state=0).fit(*xy)
    path = tmp_path / "forest.skops"
    artifacts.save_skops(forest, path)
    assert artifacts.load_skops(path).n_estimators == 3  # scikit-learn's own types: trusted
    with pytest.raises(UntrustedTypesError, match=r"sklearn\.tree\._tree\.Tree"):
        artifacts.load_skops(path, trusted=[])
    with pytest.raises(UntrustedTypesError, match="Homemade"):
        artifacts.save_skops(Homemade().fit(*xy), tmp_path / "homemade.skops")


def test_onnx_session_from_a_verified_file(tmp_path, xy):
    model = LogisticRegression().fit(*xy)
    path = tmp_path / "model.onnx"
    artifacts.atomic_write_bytes(path, onnx.export(model, xy[0][:1]))
    artifacts.record_sha256(path)
    session = artifacts.load_onnx_session(path)
    labels, probabilities = session.run(None, {"X": xy[0].astype(np.float32)})
    np.testing.assert_array_equal(labels, model.predict(xy[0]))
    np.testing.assert_allclose(probabilities, model.predict_proba(xy[0]), atol=1e-5)
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(TamperedArtifactError):
        artifacts.load_onnx_session(path)


def test_a_hash_beside_the_file_does_not_stop_a_replaced_file(tmp_path, xy):
    path = tmp_path / "model.skops"
    trusted = artifacts.save_skops(LogisticRegression().fit(*xy), path)  # kept elsewhere
    swapped = LogisticRegression(C=1e-4).fit(*xy)
    artifacts.save_skops(swapped, path)  # replaces the file AND the hash beside it
    assert artifacts.load_skops(path).C == 1e-4  # the hash beside it agrees: accepted
    with pytest.raises(TamperedArtifactError):
        artifacts.load_skops(path, expected_sha256=trusted)  # the trusted hash does not
