"""Read exact ``name==version`` pins and compare them with what is installed (Chapter 1)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


@dataclass(frozen=True)
class Mismatch:
    """One package whose installed version differs from its pin."""

    name: str
    pinned: str
    installed: str | None

    def __str__(self) -> str:
        have = self.installed or "not installed"
        return f"{self.name}: pinned {self.pinned}, installed {have}"


def normalize(name: str) -> str:
    """PEP 503 name normalisation, so ``Scikit_Learn`` and ``scikit-learn`` compare equal."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: str | Path) -> dict[str, str]:
    """Map normalised package name to pinned version; reject lines that are not exact pins."""
    pins: dict[str, str] = {}
    for number, raw in enumerate(Path(path).read_text().splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        match = _PIN.match(line)
        if match is None:
            raise ValueError(
                f"{path}:{number}: {raw.strip()!r} is not an exact pin. "
                "Write it as name==version so every install gets the same release."
            )
        pins[normalize(match.group(1))] = match.group(2)
    return pins


def installed_mismatches(pins: dict[str, str]) -> list[Mismatch]:
    """Packages whose installed version is not the pinned one (a local tag like +cpu is ok)."""
    found = []
    for name, pinned in sorted(pins.items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed is None or installed.split("+", 1)[0] != pinned.split("+", 1)[0]:
            found.append(Mismatch(name, pinned, installed))
    return found
