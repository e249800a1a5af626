"""The in-memory registry keeps the MLflow registry's interface: same methods, same errors."""

import inspect

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from helpers.service.memory import MemoryRegistry
from helpers.storage.registry import Registry

SHARED = ("info", "load", "load_onnx", "set_alias", "promote", "rollback")


@pytest.mark.parametrize("method", SHARED)
def test_the_methods_have_the_registrys_signatures(method):
    assert inspect.signature(getattr(MemoryRegistry, method)) == inspect.signature(
        getattr(Registry, method))


def test_aliases_promote_and_rollback_like_the_registry():
    x = np.random.default_rng(0).normal(size=(50, 3))
    y = (x[:, 0] > 0).astype(int)
    registry = MemoryRegistry([LogisticRegression().fit(x, y) for _ in range(3)])
    registry.promote("m", 2)
    registry.promote("m", 3)
    assert registry.info("m", "champion").aliases == ("champion",)
    assert registry.rollback("m") == 2 and registry.rollback("m") == 1
    with pytest.raises(ValueError, match="no earlier version"):
        registry.rollback("m")
    with pytest.raises(KeyError, match="no version 7"):
        registry.promote("m", 7)
    with pytest.raises(ValueError, match="alias must be a non-numeric name"):
        registry.set_alias("m", "3", 1)
    session, info = registry.load_onnx("m", "champion")
    assert info.version == 1 and session.get_inputs()[0].shape[-1] == 3
