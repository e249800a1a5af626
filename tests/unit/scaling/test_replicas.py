"""Replicas of the service: N workers start, answer identically, and all stop."""

import secrets
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from helpers.scaling import replica_app, replicas
from helpers.service import process
from helpers.service.settings import ServiceSettings


def test_two_workers_answer_like_the_forest_in_memory_and_stop(tmp_path):
    key = secrets.token_urlsafe(24)
    settings = ServiceSettings(registry=Path("in-memory"), model="wdbc-forest", api_key=key)
    env = {**settings.to_env(), **replica_app.env(5, 0)}
    rows = data.load_wdbc()[0].to_numpy()[:20]
    server = replicas.start(env, 2, tmp_path)
    try:
        per_worker, total = replicas.memory(server)
        assert len(per_worker) == 2 and total > sum(per_worker) * 0.99
        times = replicas.service_times(server, key, rows, 6)
        assert times.shape == (6,) and (times > 0).all()
        assert (replicas.health_times(server, 3) > 0).all()
        with process.client(server, key) as http:
            served = http.post("/predict/batch", json={"rows": rows.tolist()}).json()
    finally:
        process.stop(server)
    assert server.alive() == []
    local = replica_app.fit_forest(5, 0).predict_proba(rows)[:, 1]
    assert np.allclose(served["probabilities"], local)


def test_bad_arguments_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="workers must be at least 1"):
        replicas.start({}, 0, tmp_path)
    with pytest.raises(ValueError, match="trees must be at least 1"):
        replica_app.env(0, 0)
