"""Regression tests: no client input causes a 5xx, one bad request never fails another, the
admin credential is separate, a refused model version is reported clearly."""

import time
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from helpers.service.app import create_app
from helpers.service.memory import MemoryRegistry
from helpers.service.process import wait_until_ready
from helpers.service.settings import ServiceSettings, SettingsError
from helpers.storage.artifacts import TamperedArtifactError

with warnings.catch_warnings():  # starlette asks for httpx2, which the course does not pin
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

KEY, ADMIN = "robust-key-0123456789", "robust-admin-0123456789"
HEADERS, ADMIN_HEADERS = {"X-API-Key": KEY}, {"X-API-Key": ADMIN}
JSON = {"content-type": "application/json"}
POISON = 12345.0  # a row whose first feature is this makes the Poisoned model raise


class Poisoned:
    """A model that fails (ValueError) on any batch holding a poison row, like a real model
    that refuses some inputs; `calls` counts its calls."""

    def __init__(self, model):
        self.model, self.n_features_in_, self.calls = model, model.n_features_in_, 0

    def predict_proba(self, rows):
        self.calls += 1
        if (np.asarray(rows)[:, 0] == POISON).any():
            raise ValueError("this model cannot handle a row of 12345s")
        return self.model.predict_proba(rows)


class Tampering(MemoryRegistry):
    """An in-memory registry whose listed versions fail their integrity check on load."""

    def __init__(self, models):
        super().__init__(models)
        self.tampered, self.loads = set(), 0

    def load(self, name, ref):
        self.loads += 1
        model, info = super().load(name, ref)
        if info.version in self.tampered:
            raise TamperedArtifactError("model.skops", info.sha256, "0" * 64)
        return model, info


def make_client(registry, tmp_path, **overrides):
    settings = ServiceSettings(registry=tmp_path, model="wdbc", api_key=KEY, admin_key=ADMIN,
                               **overrides)
    test_client = TestClient(create_app(settings, registry=registry),
                             raise_server_exceptions=False)
    return test_client


@pytest.fixture()
def client(models, tmp_path):
    with make_client(MemoryRegistry(models), tmp_path) as test_client:
        wait_until_ready(test_client)
        yield test_client


def body_with(first: str) -> str:
    return '{"features": [' + ", ".join([first] + ["1.0"] * 29) + "]}"


# 1. finite numbers beyond float32 get the same 4xx on every backend
@pytest.mark.parametrize("backend", ["sklearn", "onnx"])
@pytest.mark.parametrize("literal", ["1e308", "3.5e38", "-1e308"])
def test_numbers_too_large_for_float32_get_a_422_on_every_backend(client, backend, literal):
    answer = client.post(f"/predict?backend={backend}", content=body_with(literal),
                         headers={**HEADERS, **JSON})
    assert answer.status_code == 422, answer.text
    assert "float32" in answer.json()["detail"]


def test_the_largest_float32_is_still_served(client):
    answer = client.post("/predict", content=body_with("3.4e38"), headers={**HEADERS, **JSON})
    assert answer.status_code == 200, answer.text


# 3. an integer literal of a few hundred digits
@pytest.mark.parametrize("path,wrap", [("/predict", '{"features": [%s' + ", 1" * 29 + "]}"),
                                       ("/predict/batch", '{"rows": [[%s' + ", 1" * 29 + "]]}")])
def test_huge_integer_literals_get_a_422(client, path, wrap):
    answer = client.post(path, content=wrap % ("9" * 400), headers={**HEADERS, **JSON})
    assert answer.status_code == 422, answer.text
    assert "float32" in answer.json()["detail"]


# 2. one bad request never fails the micro-batch it shares
def test_a_failing_row_fails_alone_in_a_micro_batch(models, wdbc, tmp_path):
    poisoned = Poisoned(models[0])
    with make_client(MemoryRegistry([poisoned]), tmp_path, batch_window_ms=100.0) as batched:
        wait_until_ready(batched)
        rows = [wdbc[0][i].tolist() for i in range(20)] + [[POISON] + [1.0] * 29]

        def post(row):
            return batched.post("/predict", json={"features": row}, headers=HEADERS)

        with ThreadPoolExecutor(len(rows)) as pool:
            answers = list(pool.map(post, rows))
    assert [a.status_code for a in answers[:-1]] == [200] * 20
    assert answers[-1].status_code == 422 and "12345" in answers[-1].json()["detail"]


# 4. a 5xx closes the connection and says so
def test_a_server_error_says_connection_close(models, tmp_path):
    class Broken(Poisoned):
        def predict_proba(self, rows):
            raise RuntimeError("a bug in the model code")

    with make_client(MemoryRegistry([Broken(models[0])]), tmp_path) as broken:
        wait_until_ready(broken)
        answer = broken.post("/predict", json={"features": [1.0] * 30}, headers=HEADERS)
    assert answer.status_code == 500 and answer.headers["connection"] == "close"
    assert "internal error" in answer.json()["detail"]


# 5. a tampered version is refused by name and reason; the old one keeps serving
def test_reloading_a_tampered_version_is_refused_and_reported(models, wdbc, tmp_path):
    registry = Tampering(models)
    registry.tampered.add(2)
    with make_client(registry, tmp_path) as test_client:
        wait_until_ready(test_client)
        registry.aliases["champion"] = 2
        refused = test_client.post("/admin/reload", headers=ADMIN_HEADERS)
        assert refused.status_code == 409
        assert "version 2" in refused.json()["detail"] and "sha256" in refused.json()["detail"]
        one = {"features": wdbc[0][0].tolist()}
        assert test_client.post("/predict", json=one, headers=HEADERS).json()["version"] == 1
        ready = test_client.get("/ready").json()
        assert (ready["served_version"], ready["requested_version"]) == (1, 2)
        assert not ready["in_sync"] and "version 2" in ready["refused"]
        meta = test_client.get("/metadata", headers=HEADERS).json()
        assert (meta["version"], meta["requested_version"]) == (1, 2)
        by_query = test_client.post("/predict?version=2", json=one, headers=HEADERS)
        assert by_query.status_code == 409 and "version 2" in by_query.json()["detail"]


# 6. integrity is checked at every reload, also of a version already in memory
def test_reload_checks_the_file_again_even_for_a_loaded_version(models, tmp_path):
    registry = Tampering(models)
    with make_client(registry, tmp_path) as test_client:
        wait_until_ready(test_client)
        loads = registry.loads
        assert test_client.post("/admin/reload", headers=ADMIN_HEADERS).status_code == 200
        assert registry.loads == loads + 1
        registry.tampered.add(1)  # the file changes on disk after it was loaded
        refused = test_client.post("/admin/reload", headers=ADMIN_HEADERS)
        assert refused.status_code == 409 and "version 1" in refused.json()["detail"]


# 9. strict admin input
@pytest.mark.parametrize("config", [{"window_ms": True, "max_batch": 8},
                                    {"window_ms": False, "max_batch": 8},
                                    {"window_ms": "5", "max_batch": 8},
                                    {"window_ms": 5, "max_batch": "8"},
                                    {"window_ms": 5, "max_batch": True},
                                    {"window_ms": 5, "max_batch": 8.5},
                                    {"window_ms": 5, "max_batch": 8, "max_queue": False}])
def test_admin_batching_refuses_bools_and_strings(client, config):
    answer = client.put("/admin/batching", json=config, headers=ADMIN_HEADERS)
    assert answer.status_code == 422, answer.text


def test_admin_batching_takes_a_whole_float_as_the_integer_it_is(client):
    config = {"window_ms": 0, "max_batch": 96.0, "max_queue": 1024.0}
    answer = client.put("/admin/batching", json=config, headers=ADMIN_HEADERS)
    assert answer.status_code == 200 and answer.json()["max_batch"] == 96


# 10. the key is checked before the body is read
@pytest.mark.parametrize("path", ["/predict", "/predict/batch", "/admin/reload"])
def test_a_malformed_body_without_a_key_gets_401(client, path):
    answer = client.post(path, content=b'{"features": [1, ', headers=JSON)
    assert answer.status_code == 401, answer.text


def test_a_malformed_admin_body_with_the_prediction_key_gets_403(client):
    answer = client.put("/admin/batching", content=b"{", headers={**HEADERS, **JSON})
    assert answer.status_code == 403


# 11. a separate admin credential
def test_the_prediction_key_cannot_administer(client, wdbc):
    config = {"window_ms": 1000, "max_batch": 8}
    assert client.put("/admin/batching", json=config, headers=HEADERS).status_code == 403
    assert client.post("/admin/reload", headers=HEADERS).status_code == 403
    assert client.post("/predict", json={"features": wdbc[0][0].tolist()},
                       headers=ADMIN_HEADERS).status_code == 403
    assert client.put("/admin/batching", json=config, headers=ADMIN_HEADERS).status_code == 200


def test_without_an_admin_key_the_api_key_administers_as_before(models, tmp_path):
    settings = ServiceSettings(registry=tmp_path, model="wdbc", api_key=KEY)
    with TestClient(create_app(settings, registry=MemoryRegistry(models))) as old_style:
        wait_until_ready(old_style)
        assert old_style.post("/admin/reload", headers=HEADERS).status_code == 200


def test_the_admin_key_must_differ_from_the_api_key(tmp_path):
    with pytest.raises(SettingsError, match="ADMIN_KEY"):
        ServiceSettings(registry=tmp_path, model="wdbc", api_key=KEY, admin_key=KEY)


# found by the fuzzer: a typo in the query must not silently serve the champion
def test_an_unknown_query_parameter_gets_a_422(client, wdbc):
    answer = client.post("/predict?model_version=2", json={"features": wdbc[0][0].tolist()},
                         headers=HEADERS)
    assert answer.status_code == 422 and "model_version" in answer.json()["detail"]
    assert client.get("/metadata?backend=onnx", headers=HEADERS).status_code == 200


# 12. no page that loads assets from the internet; the schema stays
def test_docs_are_off_and_the_schema_is_served(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


# 8. the schema tells the truth (the fuzzer in tests/integration checks the rest)
def test_the_schema_documents_errors_width_and_metrics(client):
    schema = client.get("/openapi.json").json()
    predict = schema["paths"]["/predict"]["post"]["responses"]
    assert {"401", "403", "404", "409", "413", "422", "503"} <= set(predict)
    error = schema["components"]["schemas"]["ErrorBody"]["properties"]
    assert error["detail"]["type"] == "string"
    features = schema["components"]["schemas"]["PredictRequest"]["properties"]["features"]
    assert features["minItems"] == features["maxItems"] == 30
    metrics = schema["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert list(metrics) == ["text/plain"]


# the micro-batcher's queue is bounded: overload gets a 503, not an ever longer wait
def test_a_full_batching_queue_answers_503_with_retry_after(models, wdbc, tmp_path):
    with make_client(MemoryRegistry(models), tmp_path, batch_window_ms=300.0,
                     max_queue=4) as small:
        wait_until_ready(small)
        started = time.monotonic()
        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(lambda i: small.post(
                "/predict", json={"features": wdbc[0][i].tolist()}, headers=HEADERS), range(12)))
    codes = sorted(a.status_code for a in answers)
    assert set(codes) == {200, 503} and codes.count(503) >= 4, codes
    shed = next(a for a in answers if a.status_code == 503)
    assert "Retry-After" in shed.headers and "queue" in shed.json()["detail"]
    assert time.monotonic() - started < 10
