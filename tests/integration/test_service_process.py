"""The service as a real uvicorn process: keys, bad input, versions, rollback, hot swap, clean stop.

One server (and one registry in a temporary folder) serves the whole module; the tests run in
file order on one worker, and the last one stops the server and checks nothing is left.
"""

import json
from pathlib import Path

import psutil
import pytest
from sklearn.ensemble import RandomForestClassifier

from helpers import data
from helpers.service import process, traffic
from helpers.service.settings import ServiceSettings

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service_process")]
KEY = "process-test-key-0123"
NAME = "wdbc-forest"


@pytest.fixture(scope="module")
def wdbc():
    features, target = data.load_wdbc()
    return features.to_numpy(), target.to_numpy()


@pytest.fixture(scope="module")
def registry(wdbc, tmp_path_factory):
    from helpers.storage.registry import Registry

    x, y = wdbc
    registry = Registry(tmp_path_factory.mktemp("registry"))
    for version, depth in ((1, 2), (2, 6)):
        forest = RandomForestClassifier(n_estimators=10, max_depth=depth, random_state=version)
        registry.register(NAME, forest.fit(x, y), metrics={"accuracy": 0.9}, data_sha256="d" * 64,
                          onnx_example=x[:1] if version == 1 else None)
    registry.promote(NAME, 1)
    return registry


@pytest.fixture(scope="module")
def server(registry):
    settings = ServiceSettings(registry=Path(registry.root), model=NAME, api_key=KEY,
                               max_body_bytes=50_000)
    with process.serve(settings.to_env(), timeout=120) as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    with process.client(server, KEY) as http:
        yield http


def one(wdbc, index=0):
    return {"features": wdbc[0][index].tolist()}


def test_it_listens_on_localhost_on_a_port_the_os_picked(server, client):
    assert server.url.startswith("http://127.0.0.1:") and server.port > 0
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").json() == {"ready": True, "version": 1}


def test_missing_key_is_401_and_wrong_key_is_403(server, wdbc):
    with process.client(server) as anonymous:
        assert anonymous.post("/predict", json=one(wdbc)).status_code == 401
        assert anonymous.get("/metadata").status_code == 401
    with process.client(server, "not-the-key-0123456789") as stranger:
        assert stranger.post("/predict", json=one(wdbc)).status_code == 403


def test_metadata_matches_the_registry(client, registry):
    body = client.get("/metadata").json()
    info = registry.info(NAME, "champion")
    assert (body["version"], body["sha256"], body["aliases"]) == (1, info.sha256, ["champion"])


@pytest.mark.parametrize("payload,status,problem", [
    ({"features": [1.0] * 29}, 422, "has 29 features"),
    ({"features": ["x"] + [1.0] * 29}, 422, "Input should be a valid number"),
    ({"rows": []}, 422, "at least 1 item"),
    ({"rows": [[1.0] * 30] * 450}, 413, "over the limit of 50000 bytes"),
])
def test_bad_input_gets_a_clear_4xx(client, payload, status, problem):
    path = "/predict/batch" if "rows" in payload else "/predict"
    answer = client.post(path, json=payload)
    assert answer.status_code == status and problem in answer.json()["detail"]


def test_nan_infinity_and_a_streamed_oversized_body(client):
    for literal in ("NaN", "Infinity"):
        body = '{"features": [' + ", ".join([literal] + ["0.5"] * 29) + "]}"
        answer = client.post("/predict", content=body,
                             headers={"content-type": "application/json"})
        assert answer.status_code == 422 and "finite number" in answer.json()["detail"]
    chunks = (json.dumps({"rows": [[1.0] * 30] * 200}).encode() for _ in range(3))  # no length
    answer = client.post("/predict/batch", content=chunks,
                         headers={"content-type": "application/json"})
    assert answer.status_code == 413


def test_version_routing(client, wdbc):
    assert client.post("/predict?version=2", json=one(wdbc)).json()["version"] == 2
    assert client.post("/predict", json=one(wdbc)).json()["version"] == 1
    onnx = client.post("/predict?backend=onnx", json=one(wdbc)).json()
    sk = client.post("/predict", json=one(wdbc)).json()
    assert onnx["probability"] == pytest.approx(sk["probability"], abs=1e-5)
    missing = client.post("/predict?version=5", json=one(wdbc))
    assert missing.status_code == 404 and "its versions: [1, 2]" in missing.json()["detail"]


def test_promote_and_roll_back(client, registry, wdbc):
    registry.promote(NAME, 2)
    assert client.post("/admin/reload").json() == {"previous": 1, "current": 2}
    assert client.post("/predict", json=one(wdbc)).json()["version"] == 2
    assert registry.rollback(NAME) == 1
    assert client.post("/admin/reload").json() == {"previous": 2, "current": 1}
    assert client.post("/predict", json=one(wdbc)).json()["version"] == 1


def test_hot_swap_under_concurrent_load_loses_no_request(server, client, registry, wdbc):
    with traffic.steady_traffic(server, KEY, one(wdbc), clients=6) as seen:
        traffic.wait_for_requests(seen, 20)
        registry.promote(NAME, 2)
        assert client.post("/admin/reload").json()["current"] == 2
        traffic.wait_for_requests(seen, 20)
    assert seen.failed == 0, f"{seen.failed} of {len(seen.outcomes)} requests failed in the swap"
    versions = seen.versions()
    assert set(versions) == {1, 2} and versions[-1] == 2


def test_stopping_leaves_no_process_behind(server):
    pid = server.process.pid
    assert psutil.pid_exists(pid)
    process.stop(server)
    assert server.alive() == []
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_server_that_cannot_start_says_why_and_leaves_nothing(tmp_path):
    env = {"SERVING_REGISTRY": str(tmp_path), "SERVING_MODEL": NAME, "SERVING_API_KEY": "short"}
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    with pytest.raises(process.ServerStartError, match="at least 16 characters"), \
            process.serve(env, timeout=60):
        pass
    after = {p.pid for p in psutil.Process().children(recursive=True)}
    assert after <= before
