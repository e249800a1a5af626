"""The service's HTTP API, in-process (FastAPI's TestClient) with an in-memory registry."""

import time
import warnings

import numpy as np
import pytest
from prometheus_client.parser import text_string_to_metric_families

from helpers.service.app import create_app
from helpers.service.memory import MemoryRegistry
from helpers.service.process import wait_until_ready
from helpers.service.settings import ServiceSettings, SettingsError

with warnings.catch_warnings():  # starlette asks for httpx2, which the course does not pin
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

KEY = "test-key-0123456789"
HEADERS = {"X-API-Key": KEY}  # without an admin key, this key also administers


@pytest.fixture()
def registry(models):
    return MemoryRegistry(models)


@pytest.fixture()
def client(registry, tmp_path):
    settings = ServiceSettings(registry=tmp_path, model="wdbc", api_key=KEY, max_body_bytes=20_000)
    with TestClient(create_app(settings, registry=registry)) as test_client:
        wait_until_ready(test_client)
        yield test_client


def row(wdbc, index=0):
    return wdbc[0][index].tolist()


def test_health_and_ready_need_no_key(client):
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready").json()
    assert (ready["ready"], ready["version"], ready["in_sync"]) == (True, 1, True)


def test_predict_one_row_matches_the_model(client, wdbc, models):
    answer = client.post("/predict", json={"features": row(wdbc)}, headers=HEADERS)
    assert answer.status_code == 200
    body = answer.json()
    expected = models[0].predict_proba(wdbc[0][:1])[0, 1]
    assert body["version"] == 1 and body["model"] == "wdbc"
    assert body["probability"] == pytest.approx(expected)
    assert body["prediction"] == int(expected >= 0.5)


def test_predict_batch_keeps_row_order(client, wdbc, models):
    rows = wdbc[0][:5]
    body = client.post("/predict/batch", json={"rows": rows.tolist()}, headers=HEADERS).json()
    assert body["probabilities"] == pytest.approx(models[0].predict_proba(rows)[:, 1].tolist())
    assert body["predictions"] == models[0].predict(rows).tolist()


def test_metadata_names_model_version_and_hash(client):
    body = client.get("/metadata", headers=HEADERS).json()
    assert (body["model"], body["version"], body["alias"]) == ("wdbc", 1, "champion")
    assert body["sha256"] == f"{1:064x}" and body["n_features"] == 30


@pytest.mark.parametrize("method,path", [("get", "/metadata"), ("post", "/predict"),
                                         ("post", "/predict/batch"), ("post", "/admin/reload"),
                                         ("put", "/admin/batching")])
def test_every_model_route_needs_the_key(client, method, path):
    missing = getattr(client, method)(path)
    assert missing.status_code == 401 and "X-API-Key" in missing.json()["detail"]
    wrong = getattr(client, method)(path, headers={"X-API-Key": "wrong-key-0123456789"})
    assert wrong.status_code == 403 and "not valid" in wrong.json()["detail"]


@pytest.mark.parametrize("features,problem", [
    (list(range(29)), "has 29 features, but the model expects 30"),
    (list(range(31)), "has 31 features, but the model expects 30"),
    (["1.5", *range(29)], "body.features.0: Input should be a valid number"),
    ([None, *range(29)], "body.features.0: Input should be a valid number"),
    ([True, *range(29)], "body.features.0: Input should be a valid number"),
    ([], "body.features: List should have at least 1 item"),
])
def test_bad_rows_get_a_422_that_names_the_problem(client, features, problem):
    answer = client.post("/predict", json={"features": features}, headers=HEADERS)
    assert answer.status_code == 422
    assert problem in answer.json()["detail"]


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_are_refused_not_a_500(client, literal):
    body = '{"features": [' + ", ".join([literal] + ["1.0"] * 29) + "]}"
    answer = client.post("/predict", content=body, headers={**HEADERS,
                                                            "content-type": "application/json"})
    assert answer.status_code == 422
    assert "body.features.0: Input should be a finite number" in answer.json()["detail"]


def test_empty_batch_wrong_shape_and_unknown_fields(client, wdbc):
    empty = client.post("/predict/batch", json={"rows": []}, headers=HEADERS)
    assert empty.status_code == 422 and "at least 1 item" in empty.json()["detail"]
    ragged = client.post("/predict/batch", json={"rows": [row(wdbc), row(wdbc)[:5]]},
                         headers=HEADERS)
    assert ragged.status_code == 422 and "row 1 has 5 features" in ragged.json()["detail"]
    extra = client.post("/predict", json={"features": row(wdbc), "debug": 1}, headers=HEADERS)
    assert extra.status_code == 422 and "body.debug: Extra inputs" in extra.json()["detail"]


def test_broken_json_is_a_422(client):
    answer = client.post("/predict", content=b'{"features": [1, ',
                         headers={**HEADERS, "content-type": "application/json"})
    assert answer.status_code == 422 and "JSON decode error" in answer.json()["detail"]


def test_a_body_over_the_limit_gets_413(client, wdbc):
    rows = np.repeat(wdbc[0][:1], 200, axis=0).tolist()
    answer = client.post("/predict/batch", json={"rows": rows}, headers=HEADERS)
    assert answer.status_code == 413 and "over the limit of 20000 bytes" in answer.json()["detail"]


def test_too_many_rows_are_refused(registry, tmp_path, wdbc):
    settings = ServiceSettings(registry=tmp_path, model="wdbc", api_key=KEY, max_rows=3)
    with TestClient(create_app(settings, registry=registry)) as small:
        wait_until_ready(small)
        answer = small.post("/predict/batch", json={"rows": wdbc[0][:4].tolist()},
                            headers=HEADERS)
    assert answer.status_code == 422 and "over the limit of 3" in answer.json()["detail"]


def test_version_routing_and_unknown_version(client, wdbc, models):
    two = client.post("/predict?version=2", json={"features": row(wdbc)}, headers=HEADERS).json()
    assert two["version"] == 2
    assert two["probability"] == pytest.approx(models[1].predict_proba(wdbc[0][:1])[0, 1])
    unknown = client.post("/predict?version=7", json={"features": row(wdbc)}, headers=HEADERS)
    assert unknown.status_code == 404 and "its versions: [1, 2]" in unknown.json()["detail"]
    bad = client.post("/predict?version=zero", json={"features": row(wdbc)}, headers=HEADERS)
    assert bad.status_code == 422


def test_onnx_backend_agrees_with_sklearn(client, wdbc):
    rows = {"rows": wdbc[0][:20].tolist()}
    sk = client.post("/predict/batch", json=rows, headers=HEADERS).json()
    onnx = client.post("/predict/batch?backend=onnx", json=rows, headers=HEADERS).json()
    assert onnx["predictions"] == sk["predictions"]
    assert onnx["probabilities"] == pytest.approx(sk["probabilities"], abs=1e-5)
    wrong = client.post("/predict/batch?backend=tf", json=rows, headers=HEADERS)
    assert wrong.status_code == 422


def test_reload_follows_the_alias_and_rolls_back(client, registry, wdbc):
    registry.aliases["champion"] = 2
    assert client.post("/admin/reload", headers=HEADERS).json() == {"previous": 1, "current": 2}
    assert client.post("/predict", json={"features": row(wdbc)}, headers=HEADERS
                       ).json()["version"] == 2
    registry.aliases["champion"] = 1
    assert client.post("/admin/reload", headers=HEADERS).json() == {"previous": 2, "current": 1}
    assert client.get("/metadata", headers=HEADERS).json()["loaded_versions"] == [1, 2]


def test_batching_can_be_switched_on_at_run_time(client, wdbc, models):
    config = {"window_ms": 2.0, "max_batch": 16}
    assert client.put("/admin/batching", json=config, headers=HEADERS).json() == {
        **config, "max_queue": 1024}
    bounded = client.put("/admin/batching", json={**config, "max_queue": 8}, headers=HEADERS)
    assert bounded.json()["max_queue"] == 8
    assert client.get("/metadata", headers=HEADERS).json()["batching"]["max_queue"] == 8
    body = client.post("/predict", json={"features": row(wdbc, 3)}, headers=HEADERS).json()
    assert body["probability"] == pytest.approx(models[0].predict_proba(wdbc[0][3:4])[0, 1])
    bad = client.put("/admin/batching", json={"window_ms": -1, "max_batch": 0}, headers=HEADERS)
    assert bad.status_code == 422 and "window_ms" in bad.json()["detail"]


def test_ready_reports_a_model_that_cannot_be_loaded(registry, tmp_path):
    settings = ServiceSettings(registry=tmp_path, model="wdbc", api_key=KEY, alias="missing")
    with TestClient(create_app(settings, registry=registry)) as broken:
        deadline = time.monotonic() + 5
        while broken.get("/ready").json()["error"] is None and time.monotonic() < deadline:
            time.sleep(0.02)
        answer = broken.get("/ready")
        assert answer.status_code == 503 and "KeyError" in answer.json()["error"]
        assert broken.post("/predict", json={"features": [1.0] * 30},
                           headers=HEADERS).status_code == 503


def test_settings_come_from_the_environment_and_are_checked(tmp_path):
    env = {"SERVING_REGISTRY": str(tmp_path), "SERVING_MODEL": "wdbc", "SERVING_API_KEY": KEY,
           "SERVING_BATCH_WINDOW_MS": "2.5"}
    settings = ServiceSettings.from_env(env)
    assert settings.batch_window_ms == 2.5 and settings.alias == "champion"
    assert ServiceSettings.from_env(settings.to_env()) == settings
    with pytest.raises(SettingsError, match="SERVING_API_KEY"):
        ServiceSettings.from_env({k: v for k, v in env.items() if k != "SERVING_API_KEY"})
    with pytest.raises(SettingsError, match="at least 16 characters"):
        ServiceSettings.from_env({**env, "SERVING_API_KEY": "short"})
    with pytest.raises(SettingsError, match="not a valid float"):
        ServiceSettings.from_env({**env, "SERVING_BATCH_WINDOW_MS": "fast"})


def request_counts(test_client):
    """(route, status) -> request count, read from /metrics as Prometheus would."""
    answer = test_client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    counts = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            if sample.name == "serving_request_seconds_count":
                counts[(sample.labels["route"], sample.labels["status"])] = sample.value
    return counts


def test_metrics_count_requests_by_route_and_status(client, wdbc):
    for _ in range(3):
        assert client.post("/predict", json={"features": row(wdbc)}, headers=HEADERS).is_success
    client.post("/predict", json={"features": [1.0]}, headers=HEADERS)  # 422
    client.post("/predict", json={"features": row(wdbc)})  # 401: no key
    client.get("/no/such/path")
    counts = request_counts(client)
    assert counts[("/predict", "200")] == 3
    assert counts[("/predict", "422")] == 1
    assert counts[("/predict", "401")] == 1
    assert counts[("other", "404")] == 1


def test_metrics_count_bodies_refused_as_too_large(client):
    answer = client.post("/predict/batch", content=b"x" * 30_000, headers=HEADERS)
    assert answer.status_code == 413
    assert request_counts(client)[("/predict/batch", "413")] == 1
