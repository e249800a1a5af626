"""int8 quantization three ways: PyTorch (torch.ao and torchao), ONNX Runtime dynamic and static.

All of them store weights as int8 (a quarter of float32) with a scale per tensor or channel.
*Dynamic* quantization also turns each batch of activations into int8, with a scale measured on
that batch at run time; *static* quantization fixes the activation scales beforehand from a
calibration set, so nothing is measured at run time.
"""

from __future__ import annotations

import copy
import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch

INPUT, OUTPUT = "input", "logits"
INT8_FLAGS = {
    "avx2": "AVX2 (int8 products through 16-bit sums, the baseline fbgemm and ONNX Runtime use)",
    "avx512f": "AVX-512",
    "avx512_vnni": "AVX-512 VNNI (one instruction for int8 multiply-add)",
    "avx_vnni": "AVX-VNNI (VNNI on 256-bit registers)",
    "amx_int8": "AMX int8 (matrix tiles)",
}


def cpu_int8_flags(cpuinfo: str | Path = "/proc/cpuinfo") -> dict[str, bool]:
    """Which int8-relevant instruction sets the CPU reports (Linux /proc/cpuinfo flags)."""
    path = Path(cpuinfo)
    text = path.read_text() if path.exists() else ""
    flags = set()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags.update(line.split(":", 1)[1].split())
    return {flag: flag in flags for flag in INT8_FLAGS}


def torch_dynamic(model: torch.nn.Module) -> torch.nn.Module:
    """`torch.ao.quantization.quantize_dynamic` on every Linear layer: int8 weights (a copy)."""
    import torch
    from torch.ao.quantization import quantize_dynamic

    with warnings.catch_warnings():
        # torch.ao.quantization warns on every call that it is deprecated in favour of torchao;
        # the chapter measures both and explains the choice, so the repeated warning is noise
        warnings.filterwarnings("ignore", message=r"torch\.ao\.quantization is deprecated",
                                category=DeprecationWarning)
        # and its int8 tensors come from torch.quantize_per_tensor, deprecated in the same move
        warnings.filterwarnings("ignore", message=r"torch\.quantize_per_tensor",
                                category=UserWarning)
        return quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8)


def torchao_dynamic(model: torch.nn.Module) -> torch.nn.Module:
    """torchao's int8 weights and dynamic int8 activations on every Linear layer (a copy)."""
    quiet_torchao_import()
    from torchao.quantization import Int8DynamicActivationInt8WeightConfig, quantize_

    quantized = copy.deepcopy(model)
    quantize_(quantized, Int8DynamicActivationInt8WeightConfig())
    return quantized


def quiet_torchao_import() -> None:
    """Import torchao without its CPU-build log lines (CUDA kernels it cannot load here)."""
    loggers = [logging.getLogger(name) for name in ("torchao", "torch.utils._pytree")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        import torchao  # noqa: F401
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def to_onnx(model: torch.nn.Module, n_features: int) -> bytes:
    """ONNX bytes of a float32 torch model, input `input` (any batch size), output `logits`."""
    import torch

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # the newer exporter (dynamo=True) needs the onnxscript package, which the course does
        # not install; the TorchScript exporter handles a plain MLP fine but warns on every call
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        torch.onnx.export(model.cpu().eval(), (torch.zeros(1, n_features),), buffer,
                          input_names=[INPUT], output_names=[OUTPUT], dynamo=False,
                          dynamic_axes={INPUT: {0: "batch"}, OUTPUT: {0: "batch"}})
    return buffer.getvalue()


def onnx_dynamic(onnx_bytes: bytes, folder: str | Path) -> bytes:
    """ONNX Runtime's dynamic int8 quantization (int8 weights, activations scaled per batch)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    source, target = _paths(onnx_bytes, folder, "dynamic")
    with _quiet_ort_quantization():
        quantize_dynamic(source, target, weight_type=QuantType.QInt8)
    return target.read_bytes()


def onnx_static(onnx_bytes: bytes, calibration: np.ndarray, folder: str | Path,
                batch_size: int = 32) -> bytes:
    """ONNX Runtime's static int8 quantization, activation ranges from `calibration` rows."""
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static

    rows = np.asarray(calibration, dtype=np.float32)
    if rows.ndim != 2 or len(rows) == 0:
        raise ValueError(f"calibration must be a non-empty 2-D array of rows, got {rows.shape}")
    source, target = _paths(onnx_bytes, folder, "static")
    with _quiet_ort_quantization():
        quantize_static(source, target, CalibrationRows(rows, batch_size),
                        quant_format=QuantFormat.QDQ, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8, per_channel=False)
    return target.read_bytes()


class CalibrationRows:
    """Feeds calibration rows to `quantize_static` in batches (ONNX Runtime's reader protocol)."""

    def __init__(self, rows: np.ndarray, batch_size: int) -> None:
        self.batches: Iterator[np.ndarray] = iter(np.array_split(
            rows, max(1, int(np.ceil(len(rows) / batch_size)))))

    def get_next(self) -> dict[str, np.ndarray] | None:
        """The next batch as ``{input name: rows}``, or None when all were read."""
        batch = next(self.batches, None)
        return None if batch is None else {INPUT: batch}


def _paths(onnx_bytes: bytes, folder: str | Path, name: str) -> tuple[Path, Path]:
    """Write the float model to `folder`; return its path and the quantized model's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}-float32.onnx"
    source.write_bytes(onnx_bytes)
    return source, folder / f"{name}-int8.onnx"


@contextmanager
def _quiet_ort_quantization() -> Iterator[None]:
    """Silence the quantizer's advice to pre-process the model (a plain MLP needs none)."""
    root = logging.getLogger()  # the quantizer logs through the root logger
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)
