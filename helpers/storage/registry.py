"""A model registry on MLflow: versions with metadata, aliases, promotion, rollback (Chapter 2).

Local by default (a sqlite store and an artifact folder under one root); the same code works
against an MLflow tracking server through `Registry.from_uri`. Models are stored with skops
(a safe format) and their sha256; loading verifies the hash first and never unpickles.
MLflow is imported inside the methods, because its import takes seconds.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from helpers.storage import artifacts

EXPERIMENT = "model-registry"
MODEL_DIR = "model"
SKOPS_FILE = "model.skops"
ONNX_FILE = "model.onnx"
HISTORY_TAG = "alias_history.{alias}"


@dataclass(frozen=True)
class ModelVersionInfo:
    """What the registry knows about one model version."""

    name: str
    version: int
    aliases: tuple[str, ...]
    sha256: str
    onnx_sha256: str | None
    metrics: dict[str, float]
    data_sha256: str
    created_at: str
    source: str = ""  # where the version's files are stored (an artifact URI)
    trusted_types: tuple[str, ...] = ()  # the skops types recorded as trusted at registration


def quiet_mlflow() -> None:
    """Keep MLflow's INFO logs, warnings, progress bars and telemetry out of the course.

    Call it before and after importing mlflow: the import resets MLflow's log levels.
    """
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    for logger in ("mlflow", "alembic"):
        logging.getLogger(logger).setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", module=r"mlflow(\..*)?")


def _client(uri: str) -> Any:
    """An MlflowClient for tracking and registry at `uri`, MLflow imported quietly."""
    quiet_mlflow()
    from mlflow import MlflowClient

    quiet_mlflow()
    return MlflowClient(tracking_uri=uri, registry_uri=uri)


def empty_store_template() -> Path | None:
    """An empty MLflow sqlite store at the current schema, made once per MLflow version.

    A new sqlite store runs all of MLflow's schema migrations (seconds); a copy of a store that
    has run them is already at the head revision and opens at once. The template lives in the
    user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``); where that is not writable this
    returns None and the store is migrated as usual.
    """
    from importlib.metadata import version

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ml-in-production"
    template = cache / f"mlflow-{version('mlflow')}-empty.db"
    if template.exists():
        return template
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache) as scratch:
            made = Path(scratch) / "empty.db"
            _client(f"sqlite:///{made}").search_experiments(max_results=1)  # creates the store
            os.replace(made, template)  # atomic: a concurrent maker's copy is as good as ours
    except OSError:
        return None
    return template


class Registry:
    """Model versions with metadata and aliases (`champion`, `challenger`) on MLflow."""

    def __init__(self, root: str | Path) -> None:
        """Local registry: sqlite store at root/mlflow.db, artifacts under root/artifacts."""
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        store = self.root / "mlflow.db"
        if not store.exists() and (template := empty_store_template()) is not None:
            shutil.copyfile(template, store)
        uri = f"sqlite:///{store}"
        self._connect(uri, (self.root / "artifacts").as_uri())

    @classmethod
    def from_uri(cls, tracking_uri: str, artifact_location: str | None = None) -> Registry:
        """A registry on a tracking server (e.g. ``http://127.0.0.1:5000``) or any MLflow URI."""
        registry = cls.__new__(cls)
        registry.root = None
        registry._connect(tracking_uri, artifact_location)
        return registry

    def _connect(self, uri: str, artifact_location: str | None) -> None:
        """Open the MLflow client and make sure the registry's experiment exists."""
        self.tracking_uri = uri
        self._client = _client(uri)
        experiment = self._client.get_experiment_by_name(EXPERIMENT)
        self._experiment_id = (
            experiment.experiment_id if experiment
            else self._client.create_experiment(EXPERIMENT, artifact_location=artifact_location)
        )

    # --- writing ------------------------------------------------------------------------------

    def register(
        self, name: str, model: Any, *, metrics: dict[str, float], data_sha256: str,
        params: dict | None = None, fingerprint: dict | None = None, onnx_example: Any = None,
        onnx_model: bytes | None = None,
    ) -> ModelVersionInfo:
        """Store a fitted scikit-learn model as a new version, saved with skops, sha256 recorded.

        With `onnx_example` (an input row array), an ONNX export is stored too. `onnx_model`
        stores ONNX bytes made elsewhere instead (an int8 copy of the export, say: Chapter 11),
        with their sha256 recorded the same way; give one of the two, not both.
        """
        _check_name(name)
        metrics = _check_metrics(metrics)
        if not isinstance(data_sha256, str) or not data_sha256:
            raise ValueError("data_sha256 must be the sha256 hex string of the training data")
        _check_onnx(onnx_example, onnx_model)
        data, trusted = artifacts.skops_bytes(model)
        tags = {
            "sha256": artifacts.sha256_bytes(data),
            "data_sha256": data_sha256,
            "metrics": json.dumps(metrics, sort_keys=True),
            "fingerprint": _fingerprint_digest(fingerprint),
            "trusted_types": json.dumps(trusted),
        }
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / MODEL_DIR
            artifacts.atomic_write_bytes(folder / SKOPS_FILE, data)
            if onnx_example is not None:
                from helpers.storage import onnx

                onnx_model = onnx.export(model, onnx_example)
            if onnx_model is not None:
                tags["onnx_sha256"] = artifacts.atomic_write_bytes(folder / ONNX_FILE, onnx_model)
            run_id, source = self._log_run(name, folder, metrics, params or {})
        self._ensure_model(name)
        version = self._client.create_model_version(name, source=source, run_id=run_id, tags=tags)
        return self.info(name, int(version.version))

    def _log_run(self, name: str, folder: Path, metrics: dict, params: dict) -> tuple[str, str]:
        """An MLflow run holding the files, metrics and params; returns its id and model URI."""
        run = self._client.create_run(self._experiment_id, run_name=name)
        run_id = run.info.run_id
        for key, value in params.items():
            self._client.log_param(run_id, key, value)
        for key, value in metrics.items():
            self._client.log_metric(run_id, key, value)
        self._client.log_artifacts(run_id, str(folder), artifact_path=MODEL_DIR)
        self._client.set_terminated(run_id)
        return run_id, f"{run.info.artifact_uri}/{MODEL_DIR}"

    def _ensure_model(self, name: str) -> None:
        """Create the registered model `name` if it does not exist yet."""
        if name not in self.names():
            self._client.create_registered_model(name)

    def set_alias(self, name: str, alias: str, version: int) -> None:
        """Point `alias` at `version` (no history kept; see `promote`)."""
        _check_alias(alias)
        self.info(name, int(version))  # clear KeyError for an unknown name or version
        self._client.set_registered_model_alias(name, alias, str(int(version)))

    def promote(self, name: str, version: int, alias: str = "champion") -> None:
        """Point `alias` at `version`, remembering where it pointed before (for rollback)."""
        self.info(name, int(version))
        current = self._aliases(name).get(alias)
        if current == int(version):
            return
        if current is not None:
            self._write_history(name, alias, [*self._history(name, alias), current])
        self.set_alias(name, alias, int(version))

    def rollback(self, name: str, alias: str = "champion") -> int:
        """Point `alias` back at the version it pointed to before the last promote; return it."""
        history = self._history(name, alias)
        if not history:
            raise ValueError(
                f"cannot roll back {alias!r} of model {name!r}: no earlier version is recorded. "
                f"Only an alias moved with promote() can be rolled back."
            )
        previous = history.pop()
        self._write_history(name, alias, history)
        self.set_alias(name, alias, previous)
        return previous

    def _history(self, name: str, alias: str) -> list[int]:
        """Versions `alias` pointed to before each promote, oldest first."""
        tags = self._registered(name).tags
        return json.loads(tags.get(HISTORY_TAG.format(alias=alias), "[]"))

    def _write_history(self, name: str, alias: str, history: list[int]) -> None:
        """Store the alias history as a tag of the registered model."""
        key = HISTORY_TAG.format(alias=alias)
        self._client.set_registered_model_tag(name, key, json.dumps(history))

    # --- reading ------------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Names of all registered models (every page of MLflow's search)."""
        names, token = [], None
        while True:
            page = self._client.search_registered_models(max_results=1000, page_token=token)
            names.extend(model.name for model in page)
            token = page.token
            if not token:
                return sorted(names)

    def _registered(self, name: str) -> Any:
        """MLflow's RegisteredModel, or a KeyError that lists the names that exist."""
        from mlflow.exceptions import MlflowException

        try:
            return self._client.get_registered_model(name)
        except MlflowException as error:
            if name in self.names():
                raise
            raise KeyError(
                f"no registered model named {name!r}; registered models: {self.names() or 'none'}"
            ) from error

    def _aliases(self, name: str) -> dict[str, int]:
        """Alias -> version for a registered model."""
        return {alias: int(v) for alias, v in self._registered(name).aliases.items()}

    def _resolve(self, name: str, ref: int | str) -> Any:
        """MLflow's ModelVersion for a version number or an alias, in one lookup.

        Only when that lookup fails does it search, to say what exists (a clear KeyError).
        """
        from mlflow.exceptions import MlflowException

        alias = isinstance(ref, str) and not ref.isdigit()
        try:
            if alias:
                return self._client.get_model_version_by_alias(name, ref)
            return self._client.get_model_version(name, str(int(ref)))
        except MlflowException:
            self._explain_missing(name, ref, alias)
            raise  # the version exists: some other failure, shown as it is

    def _explain_missing(self, name: str, ref: int | str, alias: bool) -> None:
        """Raise a KeyError listing what exists when `name` or `ref` is unknown."""
        if alias:
            aliases = self._aliases(name)
            if ref not in aliases:
                raise KeyError(
                    f"model {name!r} has no alias {ref!r}; its aliases: {aliases or 'none'}"
                )
            return
        known = self._numbers(name)
        if int(ref) not in known:
            raise KeyError(f"model {name!r} has no version {int(ref)}; its versions: {known}")

    def _numbers(self, name: str) -> list[int]:
        """Version numbers of a registered model, ascending."""
        self._registered(name)
        found = self._client.search_model_versions(f"name = '{name}'")
        return sorted(int(version.version) for version in found)

    def info(self, name: str, ref: int | str) -> ModelVersionInfo:
        """Metadata of a version, given its number or an alias (one registry lookup)."""
        return _version_info(name, self._resolve(name, ref))

    def versions(self, name: str) -> list[ModelVersionInfo]:
        """Every version of a model, oldest first."""
        return [self.info(name, number) for number in self._numbers(name)]

    def tags(self, name: str, ref: int | str) -> dict[str, str]:
        """All tags of a version (metrics, data hash, fingerprint digest, model hashes)."""
        return dict(self._resolve(name, ref).tags)

    def load(self, name: str, ref: int | str) -> tuple[Any, ModelVersionInfo]:
        """Check the file against the sha256 in the registry's database, then load it (skops)."""
        info = self.info(name, ref)
        with tempfile.TemporaryDirectory() as tmp:
            path = _fetch(info.source, SKOPS_FILE, tmp)
            return artifacts.load_skops(path, info.sha256, info.trusted_types), info

    def load_onnx(self, name: str, ref: int | str) -> tuple[Any, ModelVersionInfo]:
        """A verified onnxruntime session for a version stored with an ONNX export."""
        info = self.info(name, ref)
        if info.onnx_sha256 is None:
            raise KeyError(
                f"version {info.version} of {name!r} has no ONNX export; "
                "register it with onnx_example=X[:1] to store one"
            )
        with tempfile.TemporaryDirectory() as tmp:
            path = _fetch(info.source, ONNX_FILE, tmp)
            return artifacts.load_onnx_session(path, info.onnx_sha256), info

    def stored_path(self, name: str, ref: int | str, onnx: bool = False) -> Path:
        """Where a version's file lies on disk (local registries only; to inspect or tamper)."""
        info = self.info(name, ref)
        parsed = urlparse(info.source)
        if parsed.scheme not in ("", "file"):
            raise ValueError(
                f"version {info.version} of {name!r} is stored remotely ({parsed.scheme})"
            )
        return Path(unquote(parsed.path)) / (ONNX_FILE if onnx else SKOPS_FILE)


def _version_info(name: str, version: Any) -> ModelVersionInfo:
    """ModelVersionInfo from MLflow's ModelVersion (its tags were written by `register`)."""
    tags = version.tags
    return ModelVersionInfo(
        name=name,
        version=int(version.version),
        aliases=tuple(sorted(version.aliases)),
        sha256=tags["sha256"],
        onnx_sha256=tags.get("onnx_sha256"),
        metrics=json.loads(tags.get("metrics", "{}")),
        data_sha256=tags.get("data_sha256", ""),
        created_at=_iso(version.creation_timestamp),
        source=version.source,
        trusted_types=tuple(json.loads(tags.get("trusted_types", "[]"))),
    )


def _fetch(source: str, file: str, folder: str) -> Path:
    """Copy one stored file of a version into `folder` (works for any artifact store)."""
    from mlflow.artifacts import download_artifacts

    return Path(download_artifacts(artifact_uri=f"{source}/{file}", dst_path=folder))


def _check_name(name: str) -> None:
    """Model names: non-empty, no quotes (they end up in MLflow search filters)."""
    if not isinstance(name, str) or not name.strip() or "'" in name or '"' in name:
        raise ValueError(f"model name must be a non-empty string without quotes, got {name!r}")


def _check_alias(alias: str) -> None:
    """Aliases are names such as 'champion'; a number would be read as a version."""
    if not isinstance(alias, str) or not alias or alias.isdigit():
        raise ValueError(f"alias must be a non-numeric name such as 'champion', got {alias!r}")


def _check_onnx(example: Any, model: bytes | None) -> None:
    """At most one ONNX source, and given bytes must be bytes (a clear error otherwise)."""
    if example is not None and model is not None:
        raise ValueError("give onnx_example (the registry exports the model) or onnx_model "
                         "(ONNX bytes exported elsewhere), not both")
    if model is not None and (not isinstance(model, bytes) or not model):
        raise ValueError(f"onnx_model must be the non-empty bytes of an ONNX file, got "
                         f"{type(model).__name__}")


def _check_metrics(metrics: dict[str, float]) -> dict[str, float]:
    """Metrics as a dict of plain floats (a clear error otherwise)."""
    if not isinstance(metrics, dict) or not metrics:
        raise ValueError("metrics must be a non-empty dict such as {'accuracy': 0.95}")
    try:
        return {str(key): float(value) for key, value in metrics.items()}
    except (TypeError, ValueError) as error:
        raise ValueError(f"every metric must be a number; got {metrics!r}") from error


def _fingerprint_digest(fingerprint: dict | None) -> str:
    """Digest of the given environment fingerprint (or of the current one)."""
    from helpers.reproducibility.fingerprint import environment_fingerprint, fingerprint_digest

    return fingerprint_digest(fingerprint if fingerprint is not None else environment_fingerprint())


def _iso(millis: int) -> str:
    """MLflow's millisecond timestamp as an ISO 8601 UTC string."""
    return datetime.fromtimestamp(millis / 1000, tz=UTC).isoformat(timespec="seconds")
