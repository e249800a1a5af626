"""`Registry.register(onnx_model=...)`: ONNX bytes made elsewhere (an int8 copy) are stored and
verified like the registry's own export (Chapter 11 serves its int8 models this way)."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from helpers.storage import onnx
from helpers.storage.artifacts import TamperedArtifactError, sha256_bytes
from helpers.storage.registry import Registry

DATA_SHA = "d" * 64


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(120, 4)).astype(np.float32)
    return LogisticRegression().fit(x, (x[:, 0] + x[:, 1] > 0).astype(int)), x


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return Registry(tmp_path_factory.mktemp("registry"))


def test_given_onnx_bytes_are_stored_and_loaded_with_their_sha256(registry, fitted):
    model, x = fitted
    given = onnx.export(model, x[:1])
    info = registry.register("given", model, metrics={"accuracy": 0.9}, data_sha256=DATA_SHA,
                             onnx_model=given)
    assert info.onnx_sha256 == sha256_bytes(given)
    session, loaded = registry.load_onnx("given", info.version)
    assert loaded.version == info.version
    assert np.allclose(onnx.probabilities(session, x), model.predict_proba(x), atol=1e-5)
    registry.stored_path("given", info.version, onnx=True).write_bytes(given + b"x")
    with pytest.raises(TamperedArtifactError):
        registry.load_onnx("given", info.version)


def test_onnx_example_and_onnx_model_together_are_refused(registry, fitted):
    model, x = fitted
    with pytest.raises(ValueError, match="not both"):
        registry.register("both", model, metrics={"accuracy": 0.9}, data_sha256=DATA_SHA,
                          onnx_example=x[:1], onnx_model=onnx.export(model, x[:1]))
    with pytest.raises(ValueError, match="non-empty bytes"):
        registry.register("empty", model, metrics={"accuracy": 0.9}, data_sha256=DATA_SHA,
                          onnx_model=b"")
    assert "both" not in registry.names() and "empty" not in registry.names()
