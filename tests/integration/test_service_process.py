"""The service as a real uvicorn process: keys, bad input, versions, rollback, hot swap, slow
clients, clean stop.

One server (and one registry in a temporary folder) serves most tests; the tests that stop a
server start their own, so the tests can run in any order.
"""

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from sklearn.ensemble import RandomForestClassifier

from helpers import data
from helpers.service import process, traffic
from helpers.service.settings import ServiceSettings

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service_process")]
KEY, ADMIN = "process-test-key-0123", "process-admin-key-0123"
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


def settings_for(registry, **overrides):
    return ServiceSettings(registry=Path(registry.root), model=NAME, api_key=KEY,
                           admin_key=ADMIN, max_body_bytes=50_000, **overrides)


@pytest.fixture(scope="module")
def server(registry):
    with process.serve(settings_for(registry).to_env(), timeout=120) as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    with process.client(server, KEY) as http:
        yield http


@pytest.fixture(scope="module")
def admin(server):
    with process.client(server, ADMIN) as http:
        yield http


def one(wdbc, index=0):
    return {"features": wdbc[0][index].tolist()}


def test_it_listens_on_localhost_on_a_port_the_os_picked(server, client):
    assert server.url.startswith("http://127.0.0.1:") and server.port > 0
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert (ready["ready"], ready["served_version"], ready["in_sync"]) == (True, 1, True)


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


def test_promote_and_roll_back(client, admin, registry, wdbc):
    registry.promote(NAME, 1)
    admin.post("/admin/reload")
    registry.promote(NAME, 2)
    assert client.post("/admin/reload").status_code == 403  # the prediction key cannot
    assert admin.post("/admin/reload").json() == {"previous": 1, "current": 2}
    assert client.post("/predict", json=one(wdbc)).json()["version"] == 2
    assert registry.rollback(NAME) == 1
    assert admin.post("/admin/reload").json() == {"previous": 2, "current": 1}
    assert client.post("/predict", json=one(wdbc)).json()["version"] == 1


def test_hot_swap_under_concurrent_load_loses_no_request(server, admin, registry, wdbc):
    registry.promote(NAME, 1)
    admin.post("/admin/reload")
    with traffic.steady_traffic(server, KEY, one(wdbc), clients=6) as seen:
        traffic.wait_for_requests(seen, 20)
        registry.promote(NAME, 2)
        assert admin.post("/admin/reload").json()["current"] == 2
        traffic.wait_for_requests(seen, 20)
    registry.promote(NAME, 1)
    admin.post("/admin/reload")
    assert seen.failed == 0, f"{seen.failed} of {len(seen.outcomes)} requests failed in the swap"
    versions = seen.versions()
    assert set(versions) == {1, 2} and versions[-1] == 2


def partial_body(url: str, key: str | None) -> socket.socket:
    """A connection that declares a 1,000-byte body and sends 10 bytes of it."""
    host, port = url.removeprefix("http://").split(":")
    conn = socket.create_connection((host, int(port)), timeout=20)
    auth = f"X-API-Key: {key}\r\n" if key else ""
    conn.sendall(f"POST /predict HTTP/1.1\r\nHost: x\r\n{auth}Content-Type: application/json"
                 "\r\nContent-Length: 1000\r\n\r\n".encode() + b'{"features"')
    return conn


def answer_of(conn: socket.socket) -> tuple[str, float]:
    """The status line the server sends, and when (seconds); then the server closes."""
    started, data = time.monotonic(), b""
    with conn:
        while chunk := conn.recv(4096):
            data += chunk
    return data.split(b"\r\n", 1)[0].decode(), time.monotonic() - started


def test_slow_clients_are_cut_off_in_bounded_time(registry, wdbc):
    """Many connections that send part of a body: without the key they get a 401 at once (the
    key is checked on the headers), with it a 408 after the read deadline; the server keeps
    answering others meanwhile and holds no connection for long."""
    settings = settings_for(registry, read_timeout_s=1.0)
    with process.serve(settings.to_env(), timeout=120) as slow_server, \
            process.client(slow_server, KEY) as http:
        conns = [partial_body(slow_server.url, key) for key in [None] * 100 + [KEY] * 100]
        with ThreadPoolExecutor(32) as pool:
            pending = [pool.submit(answer_of, conn) for conn in conns]
            healthy = http.post("/predict", json=one(wdbc))
            answers = [future.result() for future in pending]
    assert healthy.status_code == 200
    anonymous, keyed = answers[:100], answers[100:]
    assert {status for status, _ in anonymous} == {"HTTP/1.1 401 Unauthorized"}
    assert {status for status, _ in keyed} == {"HTTP/1.1 408 Request Timeout"}
    assert max(seconds for _, seconds in answers) < 10  # all closed: 1 s deadline + a loaded box


def test_stopping_leaves_no_process_behind(registry):
    server = process.start(settings_for(registry).to_env(), Path(registry.root))
    process.wait_ready(server, timeout=120)
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
