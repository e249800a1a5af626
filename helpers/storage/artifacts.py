"""Durable, verified model files: atomic writes, recorded sha256, safe loading (Chapter 2).

The loading rule every helper follows: a safe format (skops with trusted types, ONNX,
safetensors) AND a sha256 that matches the one recorded when the file was saved. Nothing
is ever unpickled from a file.

Where the expected sha256 comes from decides what it protects against. The `NAME.sha256` file
written beside a model catches accidents (a truncated copy, a flipped bit); it does not stop
anyone who can replace the model, since they can replace the hash beside it too. Against that,
pass `expected_sha256` from a place the attacker cannot write: the registry's database (as
`helpers.storage.registry` does) or a signed manifest.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

TEMP_SUFFIX = ".tmp"
CHECKSUM_SUFFIX = ".sha256"
SAFE_TYPE_PREFIXES = ("sklearn.",)


class TamperedArtifactError(RuntimeError):
    """A stored artefact's bytes do not match the sha256 recorded when it was saved."""

    def __init__(self, path: str | Path, expected: str, found: str) -> None:
        super().__init__(
            f"refusing to load {Path(path).name}: its sha256 is {found[:12]}… but "
            f"{expected[:12]}… was recorded when it was saved, so the file was changed, "
            "truncated or replaced since. Do not load it: restore it from a trusted copy "
            "or register the model again."
        )
        self.path, self.expected, self.found = Path(path), expected, found


class UntrustedTypesError(ValueError):
    """A skops file (or model) contains types outside the ones we agreed to trust."""


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of some bytes."""
    return hashlib.sha256(data).hexdigest()


def fsync_dir(folder: str | Path) -> None:
    """Flush a folder's entry table to disk, so a rename inside it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: str | Path, write: Callable[[IO[bytes]], Any]) -> Path:
    """Write through `write(handle)` to a temporary file beside `path`, then rename it over.

    Readers see either the old file or the complete new one, never a half-written file:
    the temp file is flushed and fsynced, `os.replace` swaps it in one step, and the folder
    is fsynced so the rename itself is durable. On any error the temp file is removed.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def atomic_write_bytes(path: str | Path, data: bytes) -> str:
    """Atomically write `data` to `path`; return its sha256."""
    atomic_write(path, lambda handle: handle.write(data))
    return sha256_bytes(data)


def atomic_write_chunks(path: str | Path, chunks: Iterable[bytes]) -> Path:
    """Atomically write a stream of chunks (for data too big to hold at once)."""

    def write(handle: IO[bytes]) -> None:
        for chunk in chunks:
            handle.write(chunk)

    return atomic_write(path, write)


def stale_temp_files(folder: str | Path) -> list[Path]:
    """Temp files left in `folder` by atomic writes that were killed before their rename."""
    return sorted(Path(folder).glob(f".*{TEMP_SUFFIX}"))


def checksum_path(path: str | Path) -> Path:
    """Where the sha256 of `path` is recorded: a `NAME.sha256` file beside it."""
    path = Path(path)
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def record_sha256(path: str | Path, digest: str | None = None) -> str:
    """Record the sha256 of `path` beside it (in `sha256sum` format); return the digest."""
    from helpers.hashing import sha256_file

    path = Path(path)
    digest = digest or sha256_file(path)
    atomic_write_bytes(checksum_path(path), f"{digest}  {path.name}\n".encode())
    return digest


def recorded_sha256(path: str | Path) -> str:
    """The sha256 recorded beside `path` (catches accidents, not a replaced file and hash)."""
    sums = checksum_path(path)
    if not sums.exists():
        raise FileNotFoundError(
            f"no recorded sha256 for {Path(path).name} (expected {sums.name} beside it), so it "
            "cannot be verified. Save it with the artifacts helpers, or pass expected_sha256."
        )
    return sums.read_text().split()[0]


def read_verified(path: str | Path, expected_sha256: str | None = None) -> bytes:
    """The bytes of `path`, read once, checked against `expected_sha256` or the one beside it."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"artefact {path.name} does not exist in {path.parent.name}/")
    expected = expected_sha256 or recorded_sha256(path)
    data = path.read_bytes()
    found = sha256_bytes(data)
    if found != expected:
        raise TamperedArtifactError(path, expected, found)
    return data


def check_trusted(types: Sequence[str], trusted: Sequence[str] | None = None) -> list[str]:
    """Return `types` if each is trusted (listed, or from scikit-learn by default); else raise."""
    if trusted is None:
        bad = [name for name in types if not name.startswith(SAFE_TYPE_PREFIXES)]
    else:
        bad = [name for name in types if name not in set(trusted)]
    if bad:
        raise UntrustedTypesError(
            f"the skops data contains types we do not trust: {bad}. Loading them could run "
            "their code. Inspect them; if you wrote or vetted them, pass them in `trusted`."
        )
    return list(types)


def skops_bytes(model: Any, trusted: Sequence[str] | None = None) -> tuple[bytes, list[str]]:
    """Serialise a scikit-learn model with skops; return the bytes and its non-default types."""
    import skops.io as sio

    data = sio.dumps(model)
    return data, check_trusted(sio.get_untrusted_types(data=data), trusted)


def save_skops(model: Any, path: str | Path, trusted: Sequence[str] | None = None) -> str:
    """Save a scikit-learn model with skops, atomically, and record its sha256 beside it."""
    data, _ = skops_bytes(model, trusted)
    digest = atomic_write_bytes(path, data)
    return record_sha256(path, digest)


def load_skops(
    path: str | Path, expected_sha256: str | None = None, trusted: Sequence[str] | None = None
) -> Any:
    """Load a skops file after checking its sha256 and that it holds only trusted types."""
    import skops.io as sio

    data = read_verified(path, expected_sha256)
    types = check_trusted(sio.get_untrusted_types(data=data), trusted)
    return sio.loads(data, trusted=types)


def load_onnx_session(path: str | Path, expected_sha256: str | None = None) -> Any:
    """An ONNX Runtime session (CPU, one thread) for a verified ONNX file."""
    from helpers.storage import onnx

    return onnx.session(read_verified(path, expected_sha256))
