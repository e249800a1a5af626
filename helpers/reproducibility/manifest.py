"""Run manifests: what produced a model, saved beside it as JSON (Chapter 1)."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST_SUFFIX = ".manifest.json"
VOLATILE_KEYS = ("created_at",)


def code_version(repo_dir: str | Path = ".") -> dict[str, Any]:
    """The git commit of the code and whether the work tree has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo_dir, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": dirty}


def build_manifest(
    *,
    model: dict[str, Any],
    data: dict[str, Any],
    params: dict[str, Any],
    metrics: dict[str, float],
    environment: dict[str, Any],
    code: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Assemble a manifest: code version, data hash, parameters, metrics, environment."""
    for name, section in (("model", model), ("data", data)):
        if "sha256" not in section:
            raise ValueError(f"the manifest's {name!r} section needs a 'sha256' entry")
    return {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": code if code is not None else code_version(),
        "data": data,
        "params": params,
        "metrics": metrics,
        "model": model,
        "environment": environment,
    }


def manifest_path(model_path: str | Path) -> Path:
    """Where the manifest of a model file lives: ``model.pt`` -> ``model.manifest.json``."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + MANIFEST_SUFFIX)


def save_manifest(manifest: dict[str, Any], model_path: str | Path) -> Path:
    """Write the manifest beside its model, as stable, sorted JSON."""
    path = manifest_path(model_path)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
    return path


def load_manifest(path: str | Path) -> dict[str, Any]:
    """Read a manifest, given its own path or its model's path."""
    path = Path(path)
    if not path.name.endswith(MANIFEST_SUFFIX):
        path = manifest_path(path)
    return json.loads(path.read_text())


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested dict to ``{"a.b.c": value}``, so two manifests can be compared key by key."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, prefix=f"{name}."))
        else:
            flat[name] = value
    return flat


def diff_manifests(
    a: dict[str, Any], b: dict[str, Any], ignore: tuple[str, ...] = VOLATILE_KEYS
) -> dict[str, tuple[Any, Any]]:
    """Every flattened key whose value differs between two manifests, as ``(a, b)``."""
    flat_a, flat_b = flatten(a), flatten(b)
    keys = sorted(set(flat_a) | set(flat_b))
    return {
        key: (flat_a.get(key), flat_b.get(key))
        for key in keys
        if key not in ignore and flat_a.get(key) != flat_b.get(key)
    }
