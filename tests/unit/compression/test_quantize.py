"""int8 copies agree with the float model, files shrink about 4x, the CPU flags are read."""

import warnings

import numpy as np
import pytest
import torch

from helpers.compression import measure, models, quantize


@pytest.fixture(scope="module")
def trained():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, 400)
    features = (rng.random((400, 32)) + np.eye(32)[labels * 8] * 2).astype(np.float32)
    model = models.fit(models.mlp([32, 256, 256, 4]), features, labels, epochs=5, lr=1e-3,
                       seed=0, device="cpu")
    return model, features, labels


def agreement(a, b):
    return float(np.mean(a.argmax(axis=1) == b.argmax(axis=1)))


def test_torch_dynamic_agrees_and_is_quiet(trained):
    model, features, _ = trained
    reference = models.logits(model, features)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        quantized = quantize.torch_dynamic(model)
    assert agreement(models.logits(quantized, features), reference) >= 0.98
    assert isinstance(model[0], torch.nn.Linear)  # the original is untouched (a copy)


def test_torchao_dynamic_agrees(trained):
    model, features, _ = trained
    quantized = quantize.torchao_dynamic(model)
    assert agreement(models.logits(quantized, features), models.logits(model, features)) >= 0.98


def test_onnx_export_and_int8_versions_agree_and_shrink(trained, tmp_path):
    model, features, _ = trained
    reference = models.logits(model, features)
    float_bytes = quantize.to_onnx(model, 32)
    np.testing.assert_allclose(measure.onnx_predict(float_bytes)(features), reference,
                               rtol=1e-4, atol=1e-4)
    for int8 in (quantize.onnx_dynamic(float_bytes, tmp_path),
                 quantize.onnx_static(float_bytes, features[:64], tmp_path)):
        assert len(float_bytes) / len(int8) > 3.5
        assert agreement(measure.onnx_predict(int8)(features), reference) >= 0.98


def test_onnx_static_rejects_empty_calibration(trained, tmp_path):
    model, _, _ = trained
    with pytest.raises(ValueError, match="calibration"):
        quantize.onnx_static(quantize.to_onnx(model, 32), np.zeros((0, 32)), tmp_path)


def test_cpu_int8_flags_reads_the_flags_line(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor : 0\nflags : fpu sse avx2 avx512f avx512_vnni\n")
    flags = quantize.cpu_int8_flags(cpuinfo)
    assert flags["avx2"] and flags["avx512_vnni"] and not flags["amx_int8"]
    assert not any(quantize.cpu_int8_flags(tmp_path / "missing").values())


def test_calibration_rows_feeds_every_row_once():
    reader = quantize.CalibrationRows(np.arange(20, dtype=np.float32).reshape(10, 2), 4)
    batches = iter(reader.get_next, None)
    assert sum(len(batch[quantize.INPUT]) for batch in batches) == 10
