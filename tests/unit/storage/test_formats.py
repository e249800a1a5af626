"""Every format round-trips the same models and arrays; the robust claims of Chapter 2 hold."""

import math

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from helpers.storage import formats


@pytest.fixture(scope="module")
def xy():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(200, 6)).astype(np.float32)
    return x, (x[:, 0] * x[:, 1] > 0).astype(int)


@pytest.fixture(scope="module")
def array():
    return np.random.default_rng(3).poisson(2.0, size=(20_000, 8)).astype(np.float32)


def by_format(results):
    return {result.format: result for result in results}


def test_sklearn_formats_round_trip_and_onnx_matches(tmp_path, xy):
    model = RandomForestClassifier(n_estimators=5, random_state=0).fit(*xy)
    results = by_format(formats.benchmark_sklearn(model, xy[0], tmp_path, repeats=1))
    assert {"pickle p5", "joblib", "joblib compress=3", "skops", "onnx"} <= set(results)
    assert all(result.parity for result in results.values())
    assert results["joblib compress=3"].size_bytes < results["joblib"].size_bytes
    assert math.isnan(results["onnx"].load_peak_mb)  # onnxruntime's memory is not traced


def test_array_formats_compression_and_mmap(tmp_path, array):
    results = by_format(formats.benchmark_array(array, tmp_path, repeats=1))
    assert all(result.parity for result in results.values())
    assert results["joblib compress=3"].size_bytes < results["joblib"].size_bytes
    assert results["hdf5 gzip chunked"].size_bytes < results["hdf5 contiguous"].size_bytes
    assert results["hdf5 gzip chunked"].size_bytes < results["hdf5 lzf chunked"].size_bytes
    assert results["joblib mmap_mode='r'"].load_peak_mb < 0.1 * array.nbytes / 1e6
    assert results["joblib"].load_peak_mb >= array.nbytes / 1e6
    assert results["pickle p5"].save_peak_mb < 0.1 * array.nbytes / 1e6  # out of band, no copy


def test_mmap_load_returns_a_memory_map(tmp_path, array):
    path = tmp_path / "a.joblib"
    formats.joblib_save(array, path)
    loaded = formats.joblib_load(path, mmap_mode="r")
    assert isinstance(loaded, np.memmap)
    np.testing.assert_array_equal(loaded[:10], array[:10])


def test_hdf5_reads_a_slice_and_keeps_torch_state(tmp_path, xy):
    rows = np.arange(12.0).reshape(6, 2)
    path = tmp_path / "a.h5"
    formats.hdf5_save_array(rows, path, "gzip", chunk_rows=2)
    np.testing.assert_array_equal(formats.hdf5_load_array(path, slice(2, 4)), rows[2:4])
    model, optimizer, config = formats.train_torch_mlp(*xy, hidden=8, steps=2, seed=0)
    formats.hdf5_save_torch(model, optimizer, config, tmp_path / "m.h5")
    weights, stored_config, slots = formats.hdf5_load_torch(tmp_path / "m.h5")
    assert stored_config["hidden"] == 8 and set(weights) == set(model.state_dict())
    assert {name.split("/")[-1] for name in slots} == {"step", "exp_avg", "exp_avg_sq"}


def test_torch_formats_round_trip(tmp_path, xy):
    model, optimizer, config = formats.train_torch_mlp(*xy, hidden=16, steps=3, seed=0)
    results = formats.benchmark_torch(model, optimizer, config, xy[0], tmp_path, repeats=1)
    assert [result.max_abs_diff for result in results] == [0.0, 0.0, 0.0]


def test_results_frame_and_plot(tmp_path, array):
    frame = formats.results_frame(formats.benchmark_array(array[:100], tmp_path, repeats=1))
    assert {"size_mb", "save_s", "load_s", "parity"} <= set(frame.columns)
    figure = formats.plot_results(frame)
    assert len(figure.axes) == 4


def test_max_abs_diff_flags_shape_mismatch():
    assert formats.max_abs_diff([1.0, 2.0], [1.0, 2.5]) == 0.5
    assert formats.max_abs_diff([1.0], [1.0, 2.0]) == math.inf
