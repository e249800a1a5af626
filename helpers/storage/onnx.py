"""ONNX: export a scikit-learn model, open it in ONNX Runtime, read its probabilities (Ch. 2).

The registry stores an ONNX copy of each model, the service serves it, and the format benchmark
measures it; all three go through these three functions, so every session has the same thread
limits and provider.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np


def export(model: Any, example: Any) -> bytes:
    """ONNX bytes of a fitted scikit-learn model; `example` gives the input width (float32)."""
    from skl2onnx import to_onnx

    rows = np.asarray(example, dtype=np.float32).reshape(-1, np.shape(example)[-1])[:1]
    return to_onnx(model, rows, options={"zipmap": False}).SerializeToString()


def session(model: bytes | str | Path, threads: int = 1) -> Any:
    """An ONNX Runtime session on the CPU, from ONNX bytes or a file, using `threads` threads.

    One thread by default: a server runs several sessions side by side (one per process or
    version), and each one grabbing every core makes them fight over the CPU.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    source = model if isinstance(model, bytes) else str(model)
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def probabilities(onnx_session: Any, features: Any) -> np.ndarray:
    """Class probabilities from a session made by `session` on a model from `export`."""
    name = onnx_session.get_inputs()[0].name
    rows = np.asarray(features, dtype=np.float32)
    return onnx_session.run(["probabilities"], {name: rows})[0]
