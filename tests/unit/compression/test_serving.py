"""The small ONNX service: a real process on a free port, right answers, clear 4xx, no orphan."""

import numpy as np
import psutil
import pytest

from helpers.compression import measure, models, quantize, serving
from helpers.service import process
from helpers.storage import artifacts


@pytest.fixture(scope="module")
def onnx_file(tmp_path_factory):
    import torch

    torch.manual_seed(0)
    model = models.mlp([4, 8, 3])
    path = tmp_path_factory.mktemp("onnx") / "model.onnx"
    digest = artifacts.atomic_write_bytes(path, quantize.to_onnx(model, 4))
    return model, path, digest


def test_serves_the_model_and_stops_cleanly(onnx_file):
    model, path, digest = onnx_file
    rows = np.random.default_rng(0).random((5, 4)).astype(np.float32)
    with serving.serve({"fp32": (path, digest)}) as server:
        pids = server.pids
        with process.client(server) as client:
            seconds, predictions = serving.served_latency(client, "fp32", rows, 3)
            assert predictions == models.logits(model, rows).argmax(axis=1).tolist()
            assert seconds > 0
            assert serving.served_throughput(client, "fp32", rows, 0.2) > 0
            assert client.post("/predict/nope", json={"rows": [[1, 2, 3, 4]]}).status_code == 404
            assert client.post("/predict/fp32", json={"rows": [[1, 2]]}).status_code == 422
            assert client.post("/predict/fp32", json={"rows": []}).status_code == 422
    assert not [pid for pid in pids if psutil.pid_exists(pid)
                and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE]
    assert measure.onnx_predict(path.read_bytes())(rows).shape == (5, 3)


def test_a_tampered_file_is_refused(onnx_file, tmp_path):
    _, path, _ = onnx_file
    with (pytest.raises(process.ServerStartError, match="exited"),
          serving.serve({"fp32": (path, "0" * 64)}, timeout=30)):
        pass


def test_served_in_turns_measures_each_model(onnx_file):
    _, path, digest = onnx_file
    rows = np.zeros((4, 4), dtype=np.float32)
    with serving.serve({"a": (path, digest), "b": (path, digest)}) as server, \
            process.client(server) as client:
        result = serving.served_in_turns(client, ["a", "b"], rows, requests=3, seconds=0.1)
    assert set(result) == {"a", "b"}
    assert all(r["seconds"] > 0 and r["rows_per_s"] > 0 for r in result.values())
