"""`MemoryRegistry.register`: versions added like the registry's, ONNX bytes served as given
(Chapter 11's lab registers int8 models in memory)."""

import inspect

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from helpers.service.memory import MemoryRegistry
from helpers.storage import onnx
from helpers.storage.artifacts import sha256_bytes
from helpers.storage.registry import Registry


def test_register_has_the_registrys_signature():
    assert inspect.signature(MemoryRegistry.register) == inspect.signature(Registry.register)


def test_registered_versions_come_after_the_given_ones_with_their_metadata():
    x = np.random.default_rng(0).normal(size=(60, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(int)
    model = LogisticRegression().fit(x, y)
    registry = MemoryRegistry([model], aliases={})
    given = onnx.export(model, x[:1])
    info = registry.register("m", model, metrics={"accuracy": 0.9}, data_sha256="d" * 64,
                             onnx_model=given)
    assert info.version == 2 and info.metrics == {"accuracy": 0.9}
    assert info.onnx_sha256 == sha256_bytes(given) and info.data_sha256 == "d" * 64
    assert registry.info("m", 1).onnx_sha256 is None  # given at construction: no ONNX bytes
    session, _ = registry.load_onnx("m", 2)
    assert np.allclose(onnx.probabilities(session, x), model.predict_proba(x), atol=1e-5)
    exported = registry.register("m", model, metrics={"accuracy": 0.8}, data_sha256="e" * 64,
                                 onnx_example=x[:1])
    assert exported.version == 3 and exported.onnx_sha256 is not None
    registry.promote("m", 3)
    assert registry.info("m", "champion").version == 3


def test_register_refuses_what_the_registry_refuses():
    x = np.random.default_rng(0).normal(size=(20, 2))
    model = LogisticRegression().fit(x, (x[:, 0] > 0).astype(int))
    registry = MemoryRegistry([], aliases={})
    with pytest.raises(ValueError, match="non-empty dict"):
        registry.register("m", model, metrics={}, data_sha256="d" * 64)
    with pytest.raises(ValueError, match="not both"):
        registry.register("m", model, metrics={"a": 1.0}, data_sha256="d" * 64,
                          onnx_example=x[:1], onnx_model=b"x")
    assert registry.models == {}
