"""The models a service holds: versions by number or alias, loaded once, swapped atomically."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from helpers.service.backends import Backend, load_backend
from helpers.service.batching import MicroBatcher


@dataclass
class Deployed:
    """One loaded model version on one backend, with its batcher."""

    info: Any  # helpers.storage.registry.ModelVersionInfo
    backend: Backend
    batcher: MicroBatcher

    async def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """Through the batcher when batching is on, else one model call for these rows."""
        if self.batcher.window_ms > 0:
            return await self.batcher.submit(rows)
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(self.backend.predict_proba, rows)


class ModelStore:
    """Loads versions from the registry on first use; `reload` moves to the alias's new target.

    The swap is one assignment under a lock. A request that already holds the old `Deployed`
    finishes on it; the next request gets the new one. No request sees a half-loaded model.
    """

    def __init__(self, registry: Any, name: str, alias: str, backend: str,
                 window_ms: float = 0.0, max_batch: int = 64) -> None:
        self.registry, self.name, self.alias, self.backend = registry, name, alias, backend
        self.window_ms, self.max_batch = window_ms, max_batch
        self._loaded: dict[tuple[int, str], Deployed] = {}
        self._current: int | None = None
        self._lock = threading.Lock()  # guards the dict and the current version
        self._registry_lock = threading.Lock()  # one registry call at a time

    @property
    def current_version(self) -> int | None:
        """The version the alias pointed to at the last (re)load; None before loading."""
        return self._current

    def loaded_versions(self) -> list[int]:
        """Version numbers loaded on any backend."""
        return sorted({version for version, _ in self._loaded})

    def cached(self, version: int | None = None, backend: str | None = None) -> Deployed | None:
        """The loaded version if it is in memory already (never blocks on the registry)."""
        version = self._current if version is None else int(version)
        with self._lock:
            return self._loaded.get((version, backend or self.backend))

    def get(self, version: int | None = None, backend: str | None = None) -> Deployed:
        """A loaded version (the alias's one by default); loads it on first use (blocking)."""
        backend = backend or self.backend
        version = self._current if version is None else int(version)
        if version is None:
            raise LookupError("no model is loaded yet: wait until /ready answers 200")
        with self._lock:
            found = self._loaded.get((version, backend))
        return found if found is not None else self._load(version, backend)

    def _load(self, ref: int | str, backend: str) -> Deployed:
        """Load through the registry (sha256 checked, never unpickled) and cache it."""
        with self._registry_lock:
            model, info = load_backend(self.registry, self.name, ref, backend)
        with self._lock:
            key = (info.version, backend)
            if key not in self._loaded:
                batcher = MicroBatcher(model.predict_proba, self.window_ms, self.max_batch)
                self._loaded[key] = Deployed(info, model, batcher)
            return self._loaded[key]

    def reload(self) -> tuple[int | None, int]:
        """Resolve the alias again, load its version if new, then switch to it atomically."""
        with self._registry_lock:
            target = self.registry.info(self.name, self.alias).version
        deployed = self.get(target)  # loaded before the switch, outside the lock
        with self._lock:
            previous, self._current = self._current, deployed.info.version
        return previous, self._current

    def set_batching(self, window_ms: float, max_batch: int) -> None:
        """Change the batching window and size for every loaded and future version."""
        self.window_ms, self.max_batch = window_ms, max_batch
        with self._lock:
            for deployed in self._loaded.values():
                deployed.batcher.window_ms, deployed.batcher.max_batch = window_ms, max_batch

    async def close(self) -> None:
        """Stop every batcher."""
        for deployed in list(self._loaded.values()):
            await deployed.batcher.close()
