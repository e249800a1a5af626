"""Re-lock: install ``requirements.in`` in a throw-away venv and freeze every version.

``python -m coursekit.lock`` writes ``requirements.txt`` (all packages, exact versions) and
then ``environment.yml``. It needs the package index; students never run it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

from coursekit import envfile
from helpers.reproducibility.pins import normalize, read_pins

HEADER = """\
# Lock file: every package the course installs, at an exact version.
# Generated from requirements.in by `python -m coursekit.lock` (make lock): do not edit.
"""
NOT_LOCKED = {"ml-in-production"}


def freeze(requirements_in: Path) -> list[str]:
    """``name==version`` lines of a fresh venv with `requirements_in` installed."""
    with tempfile.TemporaryDirectory() as folder:
        venv.create(folder, with_pip=True)
        python = str(Path(folder) / "bin" / "python")
        subprocess.run([python, "-m", "pip", "install", "-q", "-r", str(requirements_in)],
                       check=True)
        return frozen_pins(python)


def frozen_pins(python: str) -> list[str]:
    """Sorted ``name==version`` of everything installed for `python` (local tags dropped)."""
    frozen = subprocess.run([python, "-m", "pip", "freeze", "--all"], check=True,
                            capture_output=True, text=True).stdout
    lines = []
    for line in frozen.splitlines():
        name, _, version = line.partition("==")
        if version and normalize(name) not in NOT_LOCKED:
            lines.append(f"{normalize(name)}=={version.split('+', 1)[0]}")
    return sorted(lines)


def write_lock(requirements_in: Path, lock: Path) -> None:
    """Freeze, check every direct pin survived, and write the lock file."""
    lines = freeze(requirements_in)
    check_and_write(requirements_in, lines, lock)


def check_and_write(requirements_in: Path, lines: list[str], lock: Path) -> None:
    """Write the lock after checking each direct pin resolved to itself."""
    locked = dict(line.split("==") for line in lines)
    for name, version in read_pins(requirements_in).items():
        if locked.get(name) != version:
            sys.exit(f"{name}=={version} from {requirements_in} resolved to {locked.get(name)}")
    lock.write_text(HEADER + "\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requirements", type=Path, default=Path("requirements.in"))
    parser.add_argument("--lock", type=Path, default=Path("requirements.txt"))
    args = parser.parse_args(argv)
    write_lock(args.requirements, args.lock)
    return envfile.main(["--lock", str(args.lock)])


if __name__ == "__main__":
    raise SystemExit(main())
