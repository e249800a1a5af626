"""An in-memory stand-in for `helpers.storage.registry.Registry`, for fast tests and labs.

It offers the methods the service calls (`info`, `load`, `load_onnx`) on fitted models held in
a dict, so an app can be tried in-process (FastAPI's TestClient) without MLflow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.storage.registry import ModelVersionInfo


class MemoryRegistry:
    """Versions 1..n of one model, kept in memory, with aliases."""

    def __init__(self, models: list[Any], aliases: dict[str, int] | None = None) -> None:
        self.models = dict(enumerate(models, start=1))
        self.aliases = dict(aliases or {"champion": 1})

    def info(self, name: str, ref: int | str) -> ModelVersionInfo:
        """Metadata of a version or alias (KeyError listing what exists, like the registry)."""
        if isinstance(ref, str) and not ref.isdigit():
            if ref not in self.aliases:
                raise KeyError(f"model {name!r} has no alias {ref!r}; its aliases: {self.aliases}")
            ref = self.aliases[ref]
        number = int(ref)
        if number not in self.models:
            raise KeyError(f"model {name!r} has no version {number}; its versions: "
                           f"{sorted(self.models)}")
        aliases = tuple(sorted(a for a, v in self.aliases.items() if v == number))
        return ModelVersionInfo(name, number, aliases, f"{number:064x}", None, {}, "", "")

    def load(self, name: str, ref: int | str) -> tuple[Any, ModelVersionInfo]:
        """The fitted model itself (nothing to verify: it never left memory)."""
        info = self.info(name, ref)
        return self.models[info.version], info

    def load_onnx(self, name: str, ref: int | str) -> tuple[Any, ModelVersionInfo]:
        """An onnxruntime session converted on the fly."""
        from helpers.storage import onnx

        model, info = self.load(name, ref)
        example = np.zeros((1, model.n_features_in_))
        return onnx.session(onnx.export(model, example)), info
