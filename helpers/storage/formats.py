"""Model file formats side by side: save, load, and measure each one (Chapter 2).

`benchmark` saves the same trained models and arrays in every format, loads them back and
reports file size, save and load time, peak memory and prediction parity. Pickle and joblib
files are only ever loaded here right after this process wrote them: never load a pickle you
did not write (see `helpers.storage.artifacts` for the safe loading rule).
"""

from __future__ import annotations

import math
import pickle
import tracemalloc
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from helpers.storage import onnx
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


# --- savers and loaders ------------------------------------------------------------------------


def pickle_save(obj: Any, path: Path, protocol: int = pickle.DEFAULT_PROTOCOL) -> None:
    """Pickle `obj` into `path` with a given protocol."""
    with path.open("wb") as handle:
        pickle.dump(obj, handle, protocol=protocol)


def pickle_load(path: Path) -> Any:
    """Unpickle a file THIS process just wrote (pickle runs code: never use it on others' files)."""
    with path.open("rb") as handle:
        return pickle.load(handle)  # our own file, written a moment ago


def joblib_save(obj: Any, path: Path, compress: int = 0) -> None:
    """joblib.dump, optionally compressed (zlib level `compress`)."""
    import joblib

    joblib.dump(obj, path, compress=compress)


def joblib_load(path: Path, mmap_mode: str | None = None) -> Any:
    """joblib.load; with mmap_mode='r' arrays are mapped from disk, not read into memory."""
    import joblib

    return joblib.load(path, mmap_mode=mmap_mode)


def hdf5_save_array(
    array: np.ndarray, path: Path, compression: str | None = None, chunk_rows: int | None = None
) -> None:
    """One array as an HDF5 dataset, optionally chunked and compressed (gzip or lzf)."""
    import h5py

    chunks = (min(chunk_rows, len(array)), *array.shape[1:]) if chunk_rows else None
    with h5py.File(path, "w") as handle:
        handle.create_dataset("array", data=array, compression=compression, chunks=chunks)


def hdf5_load_array(path: Path, rows: slice = slice(None)) -> np.ndarray:
    """Read the array (or some rows of it: only the chunks they touch are decompressed)."""
    import h5py

    with h5py.File(path, "r") as handle:
        return handle["array"][rows]


def hdf5_save_torch(
    model: Any, optimizer: Any, config: dict, path: Path, compression: str | None = "gzip"
) -> None:
    """A torch model as HDF5: /weights and /optimizer/state groups of datasets, config as attrs."""
    import h5py

    with h5py.File(path, "w") as handle:
        handle.attrs.update({key: value for key, value in config.items()})
        weights = handle.create_group("weights")
        for key, tensor in model.state_dict().items():
            weights.create_dataset(key, data=tensor.detach().cpu().numpy(), compression=compression)
        state = optimizer.state_dict()
        group = handle.create_group("optimizer")
        group.attrs["param_groups"] = repr(state["param_groups"])
        for index, slots in state["state"].items():
            for slot, value in slots.items():
                data = value.detach().cpu().numpy()
                group.create_dataset(f"state/{index}/{slot}", data=data)


def hdf5_load_torch(path: Path) -> tuple[dict, dict, dict]:
    """Weights (as tensors), config and optimizer slots back from `hdf5_save_torch`'s file."""
    import h5py
    import torch

    with h5py.File(path, "r") as handle:
        config = dict(handle.attrs)
        weights = {key: torch.from_numpy(data[()]) for key, data in handle["weights"].items()}
        slots: dict = {}
        handle["optimizer/state"].visititems(
            lambda name, item: slots.__setitem__(name, item[()]) if hasattr(item, "shape") else None
        )
    return weights, config, slots


def safetensors_save(model: Any, path: Path, config: dict | None = None) -> None:
    """A torch model's weights with safetensors (tensors only: no code, no pickle)."""
    from safetensors.torch import save_file

    state = {key: tensor.detach().cpu().contiguous() for key, tensor in model.state_dict().items()}
    save_file(state, path, metadata={key: str(value) for key, value in (config or {}).items()})


def safetensors_load(path: Path) -> dict:
    """Weights from a safetensors file, as a state dict on the CPU."""
    from safetensors.torch import load_file

    return load_file(path)


# --- measuring ---------------------------------------------------------------------------------


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
    """Largest absolute difference between two arrays (inf if their shapes differ)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b))) if a.shape == b.shape else math.inf


# --- the three subjects ------------------------------------------------------------------------


def generic_formats(obj: Any, prefix: str) -> list[Format]:
    """pickle (protocol 5 and the default) and joblib (plain, compressed) for any object."""
    return [
        Format("pickle p5", f"{prefix}_p5.pkl", lambda p: pickle_save(obj, p, 5), pickle_load),
        Format(DEFAULT_PICKLE, f"{prefix}_default.pkl",
               lambda p: pickle_save(obj, p), pickle_load),
        Format("joblib", f"{prefix}.joblib", lambda p: joblib_save(obj, p), joblib_load),
        Format("joblib compress=3", f"{prefix}_z3.joblib", lambda p: joblib_save(obj, p, 3),
               joblib_load),
    ]


def sklearn_formats(model: Any, features: np.ndarray) -> list[Format]:
    """pickle (default protocol and 5), joblib (plain, compressed), skops and ONNX."""
    from helpers.storage import artifacts

    return [
        *generic_formats(model, "sk"),
        Format("skops", "sk.skops", lambda p: artifacts.save_skops(model, p), artifacts.load_skops),
        Format("onnx", "sk.onnx",
               lambda p: artifacts.atomic_write_bytes(p, onnx.export(model, features)),
               lambda p: onnx.session(p), traced=False),
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
        Format("joblib mmap_mode='r'", "arr_mmap.joblib", lambda p: joblib_save(array, p),
               lambda p: joblib_load(p, mmap_mode="r")),
        Format("hdf5 contiguous", "arr.h5", lambda p: hdf5_save_array(array, p), hdf5_load_array),
        Format("hdf5 gzip chunked", "arr_gzip.h5",
               lambda p: hdf5_save_array(array, p, "gzip", chunk), hdf5_load_array),
        Format("hdf5 lzf chunked", "arr_lzf.h5",
               lambda p: hdf5_save_array(array, p, "lzf", chunk), hdf5_load_array),
    ]


def benchmark_array(array: np.ndarray, folder: Path, repeats: int = 2) -> list[FormatResult]:
    """Every array format for one numerical array; parity is exact equality of the values."""
    subject = f"array {array.dtype}{list(array.shape)}"

    def compare(loaded: Any) -> float:
        return 0.0 if np.array_equal(np.asarray(loaded), array) else math.inf

    return [measure(subject, fmt, folder, compare, repeats) for fmt in array_formats(array)]


def benchmark_torch(
    model: Any, optimizer: Any, config: dict, features: np.ndarray, folder: Path, repeats: int = 2
) -> list[FormatResult]:
    """A torch MLP as safetensors, as HDF5 (weights, config, optimizer state) and torch.save."""
    import torch

    device = next(model.parameters()).device
    inputs = torch.as_tensor(np.asarray(features, dtype=np.float32), device=device)
    with torch.no_grad():
        expected = model(inputs).cpu().numpy()

    def compare(state: Any) -> float:
        weights = state[0] if isinstance(state, tuple) else state
        clone = _fresh_copy(model).to(device)
        clone.load_state_dict(weights)  # copies CPU tensors onto the model's device
        with torch.no_grad():
            return max_abs_diff(clone(inputs).cpu().numpy(), expected)

    def torch_save(path: Path) -> None:
        torch.save({key: value.cpu() for key, value in model.state_dict().items()}, path)

    formats = [
        Format("safetensors", "mlp.safetensors",
               lambda p: safetensors_save(model, p, config), safetensors_load, traced=False),
        Format("hdf5 gzip (+optimizer)", "mlp.h5",
               lambda p: hdf5_save_torch(model, optimizer, config, p), hdf5_load_torch, False),
        Format("torch.save weights_only", "mlp.pt", torch_save,
               lambda p: torch.load(p, weights_only=True), traced=False),
    ]
    return [measure("torch MLP", fmt, folder, compare, repeats) for fmt in formats]


def _fresh_copy(model: Any) -> Any:
    """A new instance of the MLP built by `torch_mlp`, with the same architecture."""
    linear = [module for module in model if hasattr(module, "in_features")]
    return torch_mlp(linear[0].in_features, linear[0].out_features, linear[-1].out_features)


def torch_mlp(n_features: int, hidden: int, n_classes: int) -> Any:
    """A two-hidden-layer MLP (its size grows with `hidden` squared)."""
    from torch import nn

    return nn.Sequential(
        nn.Linear(n_features, hidden), nn.ReLU(),
        nn.Linear(hidden, hidden), nn.ReLU(),
        nn.Linear(hidden, n_classes),
    )


def train_torch_mlp(
    features: np.ndarray, target: np.ndarray, hidden: int, steps: int, seed: int,
    device: Any = None,
) -> tuple[Any, Any, dict]:
    """A briefly trained MLP, its Adam optimizer (with state) and its configuration.

    Trains on CUDA when available (`helpers.device.pick_device`); the savers move to the CPU.
    """
    import torch

    from helpers.device import pick_device

    device = device or pick_device()
    torch.manual_seed(seed)
    inputs = torch.as_tensor(np.asarray(features, dtype=np.float32), device=device)
    labels = torch.as_tensor(np.asarray(target), dtype=torch.long, device=device)
    config = {"n_features": inputs.shape[1], "hidden": hidden, "n_classes": 2, "lr": 1e-3}
    model = torch_mlp(inputs.shape[1], hidden, 2).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(inputs), labels).backward()
        optimizer.step()
    return model.eval(), optimizer, config


def results_frame(results: Iterable[FormatResult]) -> Any:
    """The results as a pandas DataFrame with a size in MB and a parity column."""
    import pandas as pd

    frame = pd.DataFrame([asdict(result) | {"parity": result.parity} for result in results])
    frame.insert(2, "size_mb", frame.pop("size_bytes") / 1e6)
    return frame


def plot_results(frame: Any) -> Any:
    """Size, save and load time, and load peak memory per format; log scales.

    Formats whose memory tracemalloc cannot see (NaN) get no bar in the memory panel.
    """
    import matplotlib.pyplot as plt

    columns = [("size_mb", "file size (MB)"), ("save_s", "save (s)"), ("load_s", "load (s)"),
               ("load_peak_mb", "load peak memory (MB)")]
    labels = frame["subject"].str.split().str[0] + ": " + frame["format"]
    fig, axes = plt.subplots(1, len(columns), figsize=(12, 0.22 * len(frame) + 1.2), dpi=80,
                             sharey=True)
    colors = frame["subject"].astype("category").cat.codes.map(lambda code: f"C{code}")
    for axis, (column, title) in zip(axes, columns, strict=True):
        axis.barh(labels, frame[column], color=colors)
        axis.set_xscale("log")
        axis.set_title(title, fontsize=9)
        axis.tick_params(labelsize=7)
    axes[0].invert_yaxis()
    fig.tight_layout()
    return fig
