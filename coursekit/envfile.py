"""Derive ``environment.yml`` (Binder, conda) from the lock file ``requirements.txt``.

``python -m coursekit.envfile`` writes it; ``--check`` fails when the two disagree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.reproducibility.pins import read_pins

PYTHON = "3.11"
HEADER = """\
# Generated from requirements.txt by `python -m coursekit.envfile`: do not edit by hand.
# Binder and conda users get the same exact versions as the pip lock file.
"""
# conda solves only Python; pip installs the lock. The CPU index keeps torch small on Linux.
PIP_OPTIONS = ("--extra-index-url https://download.pytorch.org/whl/cpu",)


def render(lock_path: Path, python: str = PYTHON) -> str:
    """The text of environment.yml for the pins in `lock_path`."""
    lines = [HEADER.rstrip("\n"), "name: ml-in-production", "channels:", "  - conda-forge",
             "dependencies:", f"  - python={python}", "  - pip", "  - pip:"]
    lines += [f"      - {option}" for option in PIP_OPTIONS]
    pinned = sorted(read_pins(lock_path).items())
    lines += [f"      - {name}=={version}" for name, version in pinned]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=Path("requirements.txt"))
    parser.add_argument("--out", type=Path, default=Path("environment.yml"))
    parser.add_argument("--check", action="store_true", help="fail if out of date")
    args = parser.parse_args(argv)
    expected = render(args.lock)
    current = args.out.read_text() if args.out.exists() else ""
    if args.check:
        if current != expected:
            print(f"{args.out} does not match {args.lock}: run `make lock` "
                  "(or python -m coursekit.envfile) and commit both.", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(expected)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
