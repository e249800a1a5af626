"""The capstone's biopsy classifier: its recipe, and a hash of what it learned (Chapter 11).

The model is small on purpose (standardized inputs, one hidden layer trained by L-BFGS), so
that every step of its life runs in seconds; with one thread and a seed, training it twice
gives the same weights bit for bit, which `weights_sha256` proves.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from helpers.hashing import sha256_array


def classifier(seed: int, hidden: int = 256, alpha: float = 1e-2) -> Any:
    """Standardize, then an MLP with `hidden` ReLU units; L-BFGS, weights drawn from `seed`."""
    from sklearn.neural_network import MLPClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if hidden < 1:
        raise ValueError(f"hidden must be at least 1 unit, got {hidden}")
    return make_pipeline(StandardScaler(), MLPClassifier(
        (hidden,), solver="lbfgs", alpha=alpha, max_iter=500, random_state=seed))


def learned(model: Any) -> dict[str, Any]:
    """What fitting stored in a model (each step of a pipeline): every attribute whose name
    ends with "_" (scikit-learn's mark of a learned value) and every array, by name."""
    steps = getattr(model, "steps", [("model", model)])
    found = {}
    for step, estimator in steps:
        for name, value in sorted(vars(estimator).items()):
            arrays = isinstance(value, np.ndarray) or (
                isinstance(value, (list, tuple)) and value
                and all(isinstance(item, np.ndarray) for item in value))
            if arrays or (name.endswith("_") and not name.startswith("__")):
                found[f"{step}.{name}"] = value
    if not found:
        raise ValueError(f"{type(model).__name__} holds nothing learned: fit it first")
    return found


def weights_sha256(model: Any) -> str:
    """sha256 of everything a fitted model learned: equal only for bit-identical models.

    The sha256 of a saved skops file would not do: the file is a zip archive that records when
    it was written and the memory addresses of the arrays, so two identical models saved one
    after the other get different file hashes.
    """
    digest = hashlib.sha256()
    for name, value in learned(model).items():
        digest.update(name.encode())
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, np.ndarray) and item.dtype != object:
                digest.update(sha256_array(item).encode())
            else:
                digest.update(repr(item.tolist() if isinstance(item, np.ndarray) else item)
                              .encode())
    return digest.hexdigest()
