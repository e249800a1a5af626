"""Every format round-trips the same models and arrays; the robust claims of Chapter 2 hold."""

import math

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from helpers.reproducibility import training
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


def test_torch_formats_round_trip_chapter_1s_model(tmp_path, xy):
    config = training.TrainConfig(hidden=8, epochs=2)
    model = training.train_mlp(*xy, seed=0, config=config)
    results = formats.benchmark_torch(model, config.as_dict(), xy[0], tmp_path, repeats=1)
    assert {result.format for result in results} == {
        "safetensors", "hdf5 gzip", "torch.save weights_only"}
    assert [result.max_abs_diff for result in results] == [0.0, 0.0, 0.0]


def test_torch_parity_catches_a_file_that_lost_its_weights(tmp_path, xy, monkeypatch):
    config = training.TrainConfig(hidden=8, epochs=2)
    model = training.train_mlp(*xy, seed=0, config=config)
    real = formats.torch_formats(model, config.as_dict())[0]
    lossy = formats.Format("lossy", real.file, real.save,
                           lambda p: {k: v * 0 for k, v in real.load(p).items()}, traced=False)
    monkeypatch.setattr(formats, "torch_formats", lambda *args: [lossy])
    (result,) = formats.benchmark_torch(model, config.as_dict(), xy[0], tmp_path, repeats=1)
    assert not result.parity and result.max_abs_diff > 0


def test_results_frame_has_sizes_in_mb_and_parity(tmp_path, array):
    frame = formats.results_frame(formats.benchmark_array(array[:100], tmp_path, repeats=1))
    assert {"size_mb", "save_s", "load_s", "parity"} <= set(frame.columns)
    assert frame["parity"].all()


def test_max_abs_diff_flags_shape_mismatch():
    assert formats.max_abs_diff([1.0, 2.0], [1.0, 2.5]) == 0.5
    assert formats.max_abs_diff([1.0], [1.0, 2.0]) == math.inf
    assert formats.max_abs_diff([1.0], [math.nan]) == math.inf
