"""Model file formats measured side by side: size, save and load time, memory, parity (Ch. 2).

`benchmark_sklearn`, `benchmark_array` and `benchmark_torch` save the same model or array in
every format that suits it (the savers and loaders are in `helpers.storage.serializers`), load
it back, and report file size, best-of-N save and load time, peak memory and whether the reloaded
thing predicts (or holds) the same values. `results_frame` puts the results in a table.
"""

from __future__ import annotations

import copy
import math
import pickle
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpers.storage import onnx
from helpers.storage import serializers as codec
from helpers.timing import best_of

PARITY_TOLERANCE = 1e-5
DEFAULT_PICKLE = f"pickle p{pickle.DEFAULT_PROTOCOL} (default)"  # p4 up to Python 3.13
HDF5_CHUNK_ROWS = 4096


@dataclass(frozen=True)
class FormatResult:
    """One format's measurements for one subject (a model or an array)."""

    subject: str
    format: str
    size_bytes: int
    save_s: float
    load_s: float
    save_peak_mb: float  # NaN where the memory is allocated outside Python (torch, onnxruntime)
    load_peak_mb: float
    max_abs_diff: float  # largest difference between original and reloaded predictions/values

    @property
    def parity(self) -> bool:
        """Whether the reloaded thing predicts (or holds) the same values, within tolerance."""
        return self.max_abs_diff <= PARITY_TOLERANCE


@dataclass(frozen=True)
class Format:
    """How to save and load one subject in one format, and whether tracemalloc sees its memory."""

    name: str
    file: str
    save: Callable[[Path], Any]
    load: Callable[[Path], Any]
    traced: bool = True


def traced_peak_mb(action: Callable[[], Any]) -> tuple[float, Any]:
    """Peak memory (MB) that Python and numpy allocate during `action` (tracemalloc)."""
    tracemalloc.start()
    try:
        result = action()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / 1e6, result


def measure(
    subject: str, fmt: Format, folder: Path, compare: Callable[[Any], float], repeats: int = 2
) -> FormatResult:
    """Save and load with `fmt`: timed (best of `repeats`), then traced; compare the result.

    The first call of a format also pays for imports; `repeats=2` keeps that out of the timing,
    and tracing comes after timing so imports are not counted as memory either.
    """
    path = Path(folder) / fmt.file
    save_s, _ = best_of(lambda: fmt.save(path), repeats)
    load_s, loaded = best_of(lambda: fmt.load(path), repeats)
    save_peak, load_peak = math.nan, math.nan
    if fmt.traced:
        save_peak, _ = traced_peak_mb(lambda: fmt.save(path))
        load_peak, loaded = traced_peak_mb(lambda: fmt.load(path))
    return FormatResult(
        subject, fmt.name, path.stat().st_size, save_s, load_s, save_peak, load_peak,
        float(compare(loaded)),
    )


def max_abs_diff(a: Any, b: Any) -> float:
    """Largest absolute difference between two arrays (inf if their shapes differ or a NaN)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return math.inf
    difference = np.abs(a - b)
    return math.inf if np.isnan(difference).any() else float(np.max(difference, initial=0.0))


def generic_formats(obj: Any, prefix: str) -> list[Format]:
    """pickle (protocol 5 and the default) and joblib (plain, compressed) for any object."""
    return [
        Format("pickle p5", f"{prefix}_p5.pkl", lambda p: codec.pickle_save(obj, p, 5),
               codec.pickle_load),
        Format(DEFAULT_PICKLE, f"{prefix}_default.pkl", lambda p: codec.pickle_save(obj, p),
               codec.pickle_load),
        Format("joblib", f"{prefix}.joblib", lambda p: codec.joblib_save(obj, p),
               codec.joblib_load),
        Format("joblib compress=3", f"{prefix}_z3.joblib", lambda p: codec.joblib_save(obj, p, 3),
               codec.joblib_load),
    ]


def sklearn_formats(model: Any, features: np.ndarray) -> list[Format]:
    """pickle (default protocol and 5), joblib (plain, compressed), skops and ONNX."""
    from helpers.storage import artifacts

    return [
        *generic_formats(model, "sk"),
        Format("skops", "sk.skops", lambda p: artifacts.save_skops(model, p), artifacts.load_skops),
        Format("onnx", "sk.onnx",
               lambda p: artifacts.atomic_write_bytes(p, onnx.export(model, features)),
               onnx.session, traced=False),
    ]


def benchmark_sklearn(
    model: Any, features: np.ndarray, folder: Path, repeats: int = 2
) -> list[FormatResult]:
    """Every scikit-learn format for one fitted classifier; parity on predict_proba."""
    features = np.asarray(features, dtype=np.float32)
    expected = model.predict_proba(features)

    def compare(loaded: Any) -> float:
        if hasattr(loaded, "predict_proba"):
            return max_abs_diff(loaded.predict_proba(features), expected)
        return max_abs_diff(onnx.probabilities(loaded, features), expected)

    subject = type(model).__name__
    return [measure(subject, fmt, folder, compare, repeats)
            for fmt in sklearn_formats(model, features)]


def array_formats(array: np.ndarray) -> list[Format]:
    """pickle, joblib (plain, compressed, mmap) and HDF5 (contiguous, gzip, lzf) for one array."""
    chunk = HDF5_CHUNK_ROWS
    return [
        *generic_formats(array, "arr"),
        Format("joblib mmap_mode='r'", "arr_mmap.joblib", lambda p: codec.joblib_save(array, p),
               lambda p: codec.joblib_load(p, mmap_mode="r")),
        Format("hdf5 contiguous", "arr.h5", lambda p: codec.hdf5_save_array(array, p),
               codec.hdf5_load_array),
        Format("hdf5 gzip chunked", "arr_gzip.h5",
               lambda p: codec.hdf5_save_array(array, p, "gzip", chunk), codec.hdf5_load_array),
        Format("hdf5 lzf chunked", "arr_lzf.h5",
               lambda p: codec.hdf5_save_array(array, p, "lzf", chunk), codec.hdf5_load_array),
    ]


def benchmark_array(array: np.ndarray, folder: Path, repeats: int = 2) -> list[FormatResult]:
    """Every array format for one numerical array; parity is exact equality of the values."""
    subject = f"array {array.dtype}{list(array.shape)}"

    def compare(loaded: Any) -> float:
        return 0.0 if np.array_equal(np.asarray(loaded), array) else math.inf

    return [measure(subject, fmt, folder, compare, repeats) for fmt in array_formats(array)]


def torch_formats(model: Any, config: dict) -> list[Format]:
    """safetensors, HDF5 (weights and config as a tree) and torch.save of the weights."""
    return [
        Format("safetensors", "mlp.safetensors", lambda p: codec.safetensors_save(model, p, config),
               codec.safetensors_load, traced=False),
        Format("hdf5 gzip", "mlp.h5", lambda p: codec.hdf5_save_torch(model, config, p),
               codec.hdf5_load_torch, traced=False),
        Format("torch.save weights_only", "mlp.pt", lambda p: codec.torch_save_weights(model, p),
               codec.torch_load_weights, traced=False),
    ]


def benchmark_torch(
    model: Any, config: dict, features: np.ndarray, folder: Path, repeats: int = 2
) -> list[FormatResult]:
    """Every torch format for one model; parity on the outputs of a copy given the read weights."""
    import torch

    inputs = torch.as_tensor(np.asarray(features, dtype=np.float32))
    model = copy.deepcopy(model).cpu().eval()
    with torch.no_grad():
        expected = model(inputs).numpy()

    def compare(state: Any) -> float:
        clone = copy.deepcopy(model)
        with torch.no_grad():
            for tensor in clone.state_dict().values():
                tensor.zero_()  # so the outputs below can only come from the file's weights
        clone.load_state_dict(state[0] if isinstance(state, tuple) else state)
        with torch.no_grad():
            return max_abs_diff(clone(inputs).numpy(), expected)

    return [measure("torch MLP", fmt, folder, compare, repeats)
            for fmt in torch_formats(model, config)]


def results_frame(results: Iterable[FormatResult]) -> Any:
    """The results as a pandas DataFrame with a size in MB and a parity column."""
    import pandas as pd

    frame = pd.DataFrame([asdict(result) | {"parity": result.parity} for result in results])
    frame.insert(2, "size_mb", frame.pop("size_bytes") / 1e6)
    return frame
