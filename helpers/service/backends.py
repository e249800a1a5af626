"""Two ways to run the same registered model: scikit-learn itself, or an ONNX Runtime session."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np


class Backend(Protocol):
    """What the service needs from a model runtime."""

    kind: str
    n_features: int

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per input row."""


class SklearnBackend:
    """A fitted scikit-learn classifier (loaded from the registry with skops)."""

    kind = "sklearn"

    def __init__(self, model: Any) -> None:
        self.model = model
        self.n_features = int(model.n_features_in_)

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """`model.predict_proba` on float64 rows."""
        return np.asarray(self.model.predict_proba(np.asarray(rows, dtype=np.float64)))


class OnnxBackend:
    """An onnxruntime session of the same model (exported by skl2onnx, no zipmap)."""

    kind = "onnx"

    def __init__(self, session: Any) -> None:
        self.session = session
        first = session.get_inputs()[0]
        self.input_name = first.name
        self.n_features = int(first.shape[-1])
        names = [output.name for output in session.get_outputs()]
        self.output = "probabilities" if "probabilities" in names else names[-1]

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        """Run the session on float32 rows (the type the model was exported with)."""
        feed = {self.input_name: np.asarray(rows, dtype=np.float32)}
        return np.asarray(self.session.run([self.output], feed)[0], dtype=np.float64)


def load_backend(registry: Any, name: str, ref: int | str, kind: str) -> tuple[Backend, Any]:
    """The backend `kind` of a registered version, loaded through the registry's safe loaders."""
    if kind == "onnx":
        session, info = registry.load_onnx(name, ref)
        return OnnxBackend(session), info
    if kind == "sklearn":
        model, info = registry.load(name, ref)
        return SklearnBackend(model), info
    raise ValueError(f"unknown backend {kind!r}; use 'sklearn' or 'onnx'")
