"""The models a service holds: versions by number or alias, loaded once, swapped atomically.

When integrity is checked: every time a model file is read from the registry, which verifies
its sha256 before loading it. That is at the first use of a version, and at every reload of
the alias, even when that version is already in memory (`reload` reads the file again, so a
file changed on disk after loading is noticed at the next reload, not only at the next start).
Between reloads the service answers from memory and does not watch the disk. A version that
fails the check is refused (`VersionRefused`, naming the version and the reason) and the
version served before keeps serving; `requested_version` and `refused` report the mismatch.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from helpers.service.backends import Backend, load_backend
from helpers.service.batching import MicroBatcher


class VersionRefused(RuntimeError):
    """A registered version failed its integrity or type check and will not be served."""

    def __init__(self, version: int, reason: str) -> None:
        super().__init__(f"version {version} is refused and not served: {reason}")
        self.version = version


def _load_checked(registry: Any, name: str, ref: int | str, backend: str) -> tuple[Any, Any]:
    """`load_backend`, with a failed integrity or type check raised as `VersionRefused`."""
    from helpers.storage.artifacts import TamperedArtifactError, UntrustedTypesError

    try:
        return load_backend(registry, name, ref, backend)
    except (TamperedArtifactError, UntrustedTypesError) as error:
        raise VersionRefused(registry.info(name, ref).version, str(error)) from error


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
                 window_ms: float = 0.0, max_batch: int = 64, max_queue: int = 1024,
                 queue_timeout_s: float = 5.0) -> None:
        self.registry, self.name, self.alias, self.backend = registry, name, alias, backend
        self.window_ms, self.max_batch = window_ms, max_batch
        self.max_queue, self.queue_timeout_s = max_queue, queue_timeout_s
        self.requested_version: int | None = None  # the alias's target at the last reload
        self.refused: str | None = None  # why the requested version is not served
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
            model, info = _load_checked(self.registry, self.name, ref, backend)
        with self._lock:
            key = (info.version, backend)
            if key not in self._loaded:
                batcher = MicroBatcher(model.predict_proba, self.window_ms, self.max_batch,
                                       self.max_queue, self.queue_timeout_s)
                self._loaded[key] = Deployed(info, model, batcher)
            return self._loaded[key]

    def reload(self) -> tuple[int | None, int]:
        """Resolve the alias again, read and verify its file, then switch to it atomically.

        The file is read even when the version is in memory: that is the integrity check. On
        `VersionRefused` the current version keeps serving and `refused` says why.
        """
        with self._registry_lock:
            target = self.registry.info(self.name, self.alias).version
        self.requested_version = target
        try:
            deployed = self._load(target, self.backend)  # before the switch, outside the lock
        except VersionRefused as error:
            self.refused = str(error)
            raise
        with self._lock:
            previous, self._current = self._current, deployed.info.version
        self.refused = None
        return previous, self._current

    def set_batching(self, window_ms: float, max_batch: int, max_queue: int | None = None) -> None:
        """Change the batching window, size and queue bound for every loaded and future version."""
        self.window_ms, self.max_batch = float(window_ms), int(max_batch)
        self.max_queue = self.max_queue if max_queue is None else int(max_queue)
        with self._lock:
            for deployed in self._loaded.values():
                batcher = deployed.batcher
                batcher.window_ms, batcher.max_batch = self.window_ms, self.max_batch
                batcher.max_queue = self.max_queue

    async def close(self) -> None:
        """Stop every batcher."""
        for deployed in list(self._loaded.values()):
            await deployed.batcher.close()
