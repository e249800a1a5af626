"""Self-checks for the Chapter 3 lab (serving)."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from helpers.checks import passed, require

KEY = "lab-check-key-0123456789"


def _accepts(model: type[BaseModel], body: dict) -> bool:
    """Whether `model` validates `body`."""
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


def exercise_1(request_model: type[BaseModel]) -> str:
    """The request model must require a safe `request_id` and keep the feature checks."""
    row = [1.0] * 30
    good = {"features": row, "request_id": "order-42_b"}
    require(
        isinstance(request_model, type) and issubclass(request_model, BaseModel), 1,
        f"expected a pydantic model class, got {request_model!r}",
        "subclass PredictRequest: class TracedRequest(PredictRequest): ...",
    )
    require(_accepts(request_model, good), 1,
            f"a valid request was refused: {good['request_id']!r}",
            "allow letters, digits, '-' and '_' (a pattern such as ^[A-Za-z0-9_-]+$).")
    require(request_model.model_validate(good).request_id == "order-42_b", 1,
            "the request_id did not survive validation unchanged", "store it as a str field.")
    refused = {
        "a request without request_id": {"features": row},
        "an empty request_id": {"features": row, "request_id": ""},
        "a request_id of 65 characters": {"features": row, "request_id": "a" * 65},
        "a request_id with a space and '!'": {"features": row, "request_id": "bad id!"},
        "a request_id that is a number": {"features": row, "request_id": 42},
        "a NaN feature": {"features": [float("nan"), *row[1:]], "request_id": "ok"},
    }
    for label, body in refused.items():
        require(not _accepts(request_model, body), 1, f"{label} was accepted",
                "use Field(min_length=1, max_length=64, pattern=...) on a required, strict "
                "str field, and keep the features from PredictRequest.")
    return passed(1, f"a valid request_id passes and {len(refused)} bad requests are refused")


def _lab_app(add_route: Callable[[Any, Any], None]) -> tuple[Any, list[Any]]:
    """An app on an in-memory registry of two models, with the student's route added."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from helpers import data
    from helpers.service.app import create_app
    from helpers.service.memory import MemoryRegistry
    from helpers.service.settings import ServiceSettings

    features, target = data.load_wdbc()
    x, y = features.to_numpy(), target.to_numpy()
    models = [make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000)).fit(x, y)
              for c in (1.0, 0.001)]
    settings = ServiceSettings(registry=".", model="wdbc", api_key=KEY)
    app = create_app(settings, registry=MemoryRegistry(models))
    add_route(app, settings)
    return app, [x, *models]


def exercise_2(add_version_route: Callable[[Any, Any], None]) -> str:
    """`POST /versions/{version}/predict` must serve that version, with key and input checks."""
    with warnings.catch_warnings():  # starlette asks for httpx2, which the course does not pin
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    app, (x, _, second) = _lab_app(add_version_route)
    headers = {"X-API-Key": KEY}
    body = {"features": x[0].tolist()}
    with TestClient(app) as client:
        deadline = time.monotonic() + 10
        while client.get("/ready").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.02)
        answer = client.post("/versions/2/predict", json=body, headers=headers)
        require(answer.status_code == 200, 2,
                f"POST /versions/2/predict answered {answer.status_code}: {answer.text[:200]}",
                "declare the route with @app.post('/versions/{version}/predict').")
        result = answer.json()
        require(result.get("version") == 2, 2, f"it answered with version {result.get('version')}",
                "take the version from the path and pass it to store.get(version).")
        expected = float(second.predict_proba(x[:1])[0, 1])
        require(abs(result.get("probability", -1) - expected) < 1e-9, 2,
                f"probability {result.get('probability')} is not version 2's {expected:.6f}",
                "predict with the Deployed that store.get(version) returned.")
        anonymous = client.post("/versions/2/predict", json=body).status_code
        require(anonymous == 401, 2, f"a request without the key got {anonymous}, not 401",
                "add dependencies=[Depends(api_key_dependency(settings.api_key))].")
        unknown = client.post("/versions/9/predict", json=body, headers=headers).status_code
        require(unknown == 404, 2, f"an unknown version got {unknown}, not 404",
                "let the registry's KeyError through: the app turns it into a 404.")
        short = client.post("/versions/2/predict", json={"features": [1.0] * 29},
                            headers=headers).status_code
        require(short == 422, 2, f"a row of 29 features got {short}, not 422",
                "check the width with as_matrix(rows, deployed.backend.n_features).")
    return passed(2, "/versions/2/predict serves version 2, needs the key, and refuses bad input")


def exercise_3(results: pd.DataFrame) -> str:
    """A table of window_ms, mean_batch and p50_ms: batches must grow with the window."""
    needed = {"window_ms", "mean_batch", "p50_ms"}
    require(isinstance(results, pd.DataFrame) and needed <= set(results.columns), 3,
            f"expected a DataFrame with columns {sorted(needed)}",
            "build it with pd.DataFrame([await measure(w) for w in WINDOWS]).")
    table = results.sort_values("window_ms").reset_index(drop=True)
    require(len(table) >= 3 and table.window_ms.iloc[0] == 0, 3,
            f"measure at least 3 windows, starting at 0 ms; got {table.window_ms.tolist()}",
            "use WINDOWS = [0, 2, 10] (or more).")
    require(bool((table.mean_batch >= 1).all()) and bool(np.isfinite(table.p50_ms).all()), 3,
            "mean_batch must be at least 1 and p50_ms a number in every row",
            "mean_batch is batcher.stats.mean_batch; p50_ms the median latency in ms.")
    smallest, largest = table.mean_batch.iloc[0], table.mean_batch.iloc[-1]
    require(largest > smallest, 3,
            f"the mean batch did not grow with the window ({smallest:.2f} -> {largest:.2f})",
            "run several clients at once (asyncio.gather) so requests can meet in a window.")
    return passed(3, f"mean batch {smallest:.1f} at 0 ms -> {largest:.1f} at "
                     f"{table.window_ms.iloc[-1]:g} ms")
