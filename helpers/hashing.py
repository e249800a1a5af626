"""Content hashes for data files, arrays and model weights (Chapter 1)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

_CHUNK = 1 << 20


def sha256_file(path: str | Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks so big files fit in memory."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_array(array: np.ndarray) -> str:
    """Hash of an array's dtype, shape and values: equal only for bit-identical arrays."""
    array = np.ascontiguousarray(array)
    digest = hashlib.sha256(f"{array.dtype.str}{array.shape}".encode())
    digest.update(array.tobytes())
    return digest.hexdigest()


def sha256_state_dict(state: Mapping[str, Any] | Any) -> str:
    """Hash of a torch model's weights (or its ``state_dict``), in key order, on the CPU."""
    if hasattr(state, "state_dict"):
        state = state.state_dict()
    digest = hashlib.sha256()
    for name, tensor in state.items():
        digest.update(name.encode())
        digest.update(sha256_array(tensor.detach().cpu().numpy()).encode())
    return digest.hexdigest()
