"""How each file format writes and reads a model or an array (Chapter 2).

One save and one load function per format: pickle, joblib, HDF5 (arrays, and a torch model as
a tree of groups), safetensors. `helpers.storage.formats` measures them side by side. Pickle and
joblib files are pickles: `pickle_load` and `joblib_load` are only ever called on a file this
process has just written (see `helpers.storage.artifacts` for the rule on loading anything else).
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np


def pickle_save(obj: Any, path: Path, protocol: int = pickle.DEFAULT_PROTOCOL) -> None:
    """Pickle `obj` into `path` with a given protocol."""
    with Path(path).open("wb") as handle:
        pickle.dump(obj, handle, protocol=protocol)


def pickle_load(path: Path) -> Any:
    """Unpickle a file THIS process just wrote (pickle runs code: never use it on others' files)."""
    with Path(path).open("rb") as handle:
        return pickle.load(handle)  # our own file, written a moment ago


def joblib_save(obj: Any, path: Path, compress: int = 0) -> None:
    """joblib.dump, optionally compressed (zlib level `compress`)."""
    import joblib

    joblib.dump(obj, path, compress=compress)


def joblib_load(path: Path, mmap_mode: str | None = None) -> Any:
    """joblib.load; with mmap_mode='r' the arrays of an UNcompressed file are mapped, not read.

    A compressed file cannot be mapped: joblib then reads and decompresses it into memory.
    """
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
    model: Any, config: dict, path: Path, optimizer: Any = None, compression: str | None = "gzip"
) -> None:
    """A torch model as HDF5: a /weights group, the config as attributes, optimizer slots too."""
    import h5py

    with h5py.File(path, "w") as handle:
        handle.attrs.update(dict(config))
        weights = handle.create_group("weights")
        for key, tensor in model.state_dict().items():
            weights.create_dataset(key, data=tensor.detach().cpu().numpy(), compression=compression)
        if optimizer is not None:
            _hdf5_optimizer(handle.create_group("optimizer"), optimizer.state_dict())


def _hdf5_optimizer(group: Any, state: dict) -> None:
    """An optimizer's per-parameter slots (Adam's moments, step) as /optimizer/state/N/slot."""
    group.attrs["param_groups"] = repr(state["param_groups"])
    for index, slots in state["state"].items():
        for slot, value in slots.items():
            group.create_dataset(f"state/{index}/{slot}", data=value.detach().cpu().numpy())


def hdf5_load_torch(path: Path) -> tuple[dict, dict, dict]:
    """Weights (as tensors), config and optimizer slots back from `hdf5_save_torch`'s file."""
    import h5py
    import torch

    slots: dict = {}

    def collect(name: str, item: Any) -> None:
        if isinstance(item, h5py.Dataset):
            slots[name] = item[()]

    with h5py.File(path, "r") as handle:
        config = dict(handle.attrs)
        weights = {key: torch.from_numpy(data[()]) for key, data in handle["weights"].items()}
        if "optimizer" in handle:
            handle["optimizer"].visititems(collect)
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


def torch_save_weights(model: Any, path: Path) -> None:
    """torch.save of the weights only (a zip of pickles: load it with weights_only=True)."""
    import torch

    torch.save({key: value.cpu() for key, value in model.state_dict().items()}, path)


def torch_load_weights(path: Path) -> dict:
    """torch.load restricted to tensors and plain containers (weights_only=True)."""
    import torch

    return torch.load(path, weights_only=True)
