"""An in-memory stand-in for `helpers.storage.registry.Registry`, for fast tests and labs.

It offers the reading methods the service calls (`info`, `load`, `load_onnx`), the aliases
API (`set_alias`, `promote`, `rollback`) and `register` with the same signatures and errors, on
fitted models held in a dict, so an app can be tried in-process (FastAPI's TestClient) without
MLflow.
"""

from __future__ import annotations

from hashlib import sha256
from typing import Any

import numpy as np

from helpers.storage.registry import ModelVersionInfo


class MemoryRegistry:
    """Versions 1..n of one model, kept in memory, with aliases and their history."""

    def __init__(self, models: list[Any], aliases: dict[str, int] | None = None) -> None:
        self.models = dict(enumerate(models, start=1))
        self.aliases = {"champion": 1} if aliases is None else dict(aliases)
        self.history: dict[str, list[int]] = {}
        self.registered: dict[int, dict[str, Any]] = {}  # what `register` was told, by version

    def register(
        self, name: str, model: Any, *, metrics: dict[str, float], data_sha256: str,
        params: dict | None = None, fingerprint: dict | None = None, onnx_example: Any = None,
        onnx_model: bytes | None = None,
    ) -> ModelVersionInfo:
        """Add `model` as the next version, with its metrics and ONNX bytes (no files written)."""
        from helpers.storage import onnx
        from helpers.storage.registry import _check_metrics, _check_onnx

        metrics = _check_metrics(metrics)
        _check_onnx(onnx_example, onnx_model)
        if onnx_example is not None:
            onnx_model = onnx.export(model, onnx_example)
        number = max(self.models, default=0) + 1
        self.models[number] = model
        self.registered[number] = {"metrics": metrics, "data_sha256": data_sha256,
                                   "params": dict(params or {}), "onnx": onnx_model}
        return self.info(name, number)

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
        given = self.registered.get(number, {})
        onnx_sha256 = sha256(given["onnx"]).hexdigest() if given.get("onnx") else None
        return ModelVersionInfo(name, number, aliases, f"{number:064x}", onnx_sha256,
                                dict(given.get("metrics", {})), given.get("data_sha256", ""), "")

    def load(self, name: str, ref: int | str) -> tuple[Any, ModelVersionInfo]:
        """The fitted model itself (nothing to verify: it never left memory)."""
        info = self.info(name, ref)
        return self.models[info.version], info

    def load_onnx(self, name: str, ref: int | str) -> tuple[Any, ModelVersionInfo]:
        """An onnxruntime session: of the registered ONNX bytes, else converted on the fly."""
        from helpers.storage import onnx

        model, info = self.load(name, ref)
        given = self.registered.get(info.version, {}).get("onnx")
        if given is not None:
            return onnx.session(given), info
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
