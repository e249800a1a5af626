"""An in-memory stand-in for `helpers.storage.registry.Registry`, for fast tests and labs.

It offers the reading methods the service calls (`info`, `load`, `load_onnx`) and the
aliases API (`set_alias`, `promote`, `rollback`) with the same signatures and errors, on fitted
models held in a dict, so an app can be tried in-process (FastAPI's TestClient) without MLflow.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from helpers.storage.registry import ModelVersionInfo


class MemoryRegistry:
    """Versions 1..n of one model, kept in memory, with aliases and their history."""

    def __init__(self, models: list[Any], aliases: dict[str, int] | None = None) -> None:
        self.models = dict(enumerate(models, start=1))
        self.aliases = {"champion": 1} if aliases is None else dict(aliases)
        self.history: dict[str, list[int]] = {}

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

    def set_alias(self, name: str, alias: str, version: int) -> None:
        """Point `alias` at `version` (no history kept; see `promote`)."""
        if not isinstance(alias, str) or not alias or alias.isdigit():
            raise ValueError(f"alias must be a non-numeric name such as 'champion', got {alias!r}")
        self.aliases[alias] = self.info(name, int(version)).version

    def promote(self, name: str, version: int, alias: str = "champion") -> None:
        """Point `alias` at `version`, remembering where it pointed before (for rollback)."""
        current = self.aliases.get(alias)
        number = self.info(name, int(version)).version
        if current is not None and current != number:
            self.history.setdefault(alias, []).append(current)
        self.set_alias(name, alias, number)

    def rollback(self, name: str, alias: str = "champion") -> int:
        """Point `alias` back at the version it pointed to before the last promote; return it."""
        if not self.history.get(alias):
            raise ValueError(
                f"cannot roll back {alias!r} of model {name!r}: no earlier version is recorded. "
                f"Only an alias moved with promote() can be rolled back."
            )
        previous = self.history[alias].pop()
        self.set_alias(name, alias, previous)
        return previous
