"""The tutorial's app and its fix answer the same; only where the model runs differs."""

import warnings

from helpers.service import naive

with warnings.catch_warnings():  # starlette asks for httpx2, which the course does not pin
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_blocking_and_offloaded_routes_give_the_same_answer(monkeypatch):
    monkeypatch.setattr(naive, "INFERENCE_S", 0.0)
    with TestClient(naive.create_app()) as client:
        blocking = client.post("/blocking", json={"text": "great"})
        offloaded = client.post("/offloaded", json={"text": "great"})
        assert client.get("/health").json() == {"status": "ok"}
    assert blocking.status_code == offloaded.status_code == 200
    assert blocking.json() == offloaded.json()


def test_the_tutorial_app_has_no_key_and_no_body_limit():
    with TestClient(naive.create_app()) as client:
        big = {"text": "x" * 2_000_000}
        assert client.post("/offloaded", json=big).json()["chars"] > 2_000_000
