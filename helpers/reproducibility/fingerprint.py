"""An environment fingerprint: what a result depended on besides code and data (Chapter 1)."""

from __future__ import annotations

import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from helpers.repro import THREAD_ENV_VARS

KEY_PACKAGES = ("numpy", "pandas", "scikit-learn", "scipy", "torch", "joblib", "h5py")


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux, else `platform.processor`)."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def package_versions(names: tuple[str, ...] | list[str] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package, or None when it is not installed."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def blas_info() -> list[dict]:
    """Which BLAS/OpenMP libraries are loaded and how many threads each may use.

    Sorted, so that the order in which a process happened to load them does not count.
    """
    from threadpoolctl import threadpool_info

    keys = ("user_api", "internal_api", "version", "num_threads")
    pools = [{key: pool.get(key) for key in keys} for pool in threadpool_info()]
    return sorted(pools, key=lambda pool: [str(pool[key]) for key in keys])


def environment_fingerprint(packages: tuple[str, ...] | list[str] = KEY_PACKAGES) -> dict:
    """Python, platform, CPU, BLAS and thread settings, and package versions, as a dict."""
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": {
            "system": platform.system(),
            "release": platform.release(),
            "machine": platform.machine(),
        },
        "cpu": {"model": cpu_model(), "logical_cores": os.cpu_count()},
        "threads": {var: os.environ.get(var) for var in THREAD_ENV_VARS},
        "blas": blas_info(),
        "packages": package_versions(packages),
    }


def fingerprint_digest(fingerprint: dict) -> str:
    """Short stable digest of a fingerprint, to tell two environments apart at a glance."""
    canonical = json.dumps(fingerprint, sort_keys=True, default=str).encode()
    return hashlib.sha256(canonical).hexdigest()[:12]
