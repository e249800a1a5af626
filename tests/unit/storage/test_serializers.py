"""Each format's save and load functions give back what they were given."""

import numpy as np
import pytest
import torch

from helpers.reproducibility import training
from helpers.storage import serializers


def test_pickle_and_joblib_round_trip(tmp_path):
    value = {"weights": np.arange(6.0).reshape(2, 3), "name": "m"}
    for protocol in (4, 5):
        serializers.pickle_save(value, tmp_path / f"v{protocol}.pkl", protocol)
        loaded = serializers.pickle_load(tmp_path / f"v{protocol}.pkl")
        np.testing.assert_array_equal(loaded["weights"], value["weights"])
    serializers.joblib_save(value, tmp_path / "v.joblib", compress=3)
    assert serializers.joblib_load(tmp_path / "v.joblib")["name"] == "m"


def test_mmap_needs_an_uncompressed_joblib_file(tmp_path):
    array = np.arange(1000.0)
    serializers.joblib_save(array, tmp_path / "plain.joblib")
    serializers.joblib_save(array, tmp_path / "small.joblib", compress=3)
    mapped = serializers.joblib_load(tmp_path / "plain.joblib", mmap_mode="r")
    with pytest.warns(UserWarning, match="not compatible with compressed file"):
        read = serializers.joblib_load(tmp_path / "small.joblib", mmap_mode="r")
    assert isinstance(mapped, np.memmap)
    assert not isinstance(read, np.memmap)  # compressed: read into memory, not mapped
    np.testing.assert_array_equal(read, array)


def test_hdf5_reads_a_slice(tmp_path):
    rows = np.arange(12.0).reshape(6, 2)
    path = tmp_path / "a.h5"
    serializers.hdf5_save_array(rows, path, "gzip", chunk_rows=2)
    np.testing.assert_array_equal(serializers.hdf5_load_array(path, slice(2, 4)), rows[2:4])


def test_hdf5_keeps_weights_config_and_optimizer_state(tmp_path):
    x = np.random.default_rng(0).normal(size=(40, 3)).astype(np.float32)
    y = (x[:, 0] > 0).astype(int)
    config = training.TrainConfig(hidden=4, epochs=1)
    model = training.train_mlp(x, y, seed=0, config=config)
    optimizer = torch.optim.Adam(model.parameters())
    torch.nn.functional.cross_entropy(model(torch.as_tensor(x)), torch.as_tensor(y)).backward()
    optimizer.step()
    serializers.hdf5_save_torch(model, config.as_dict(), tmp_path / "m.h5", optimizer)
    weights, stored, slots = serializers.hdf5_load_torch(tmp_path / "m.h5")
    assert stored["hidden"] == 4 and set(weights) == set(model.state_dict())
    assert {name.split("/")[-1] for name in slots} == {"step", "exp_avg", "exp_avg_sq"}
    serializers.hdf5_save_torch(model, config.as_dict(), tmp_path / "w.h5")  # no optimizer
    assert serializers.hdf5_load_torch(tmp_path / "w.h5")[2] == {}


def test_safetensors_and_torch_save_keep_the_weights(tmp_path):
    model = torch.nn.Linear(3, 2)
    serializers.safetensors_save(model, tmp_path / "m.safetensors", {"hidden": 3})
    serializers.torch_save_weights(model, tmp_path / "m.pt")
    for state in (serializers.safetensors_load(tmp_path / "m.safetensors"),
                  serializers.torch_load_weights(tmp_path / "m.pt")):
        assert torch.equal(state["weight"], model.weight.detach())
