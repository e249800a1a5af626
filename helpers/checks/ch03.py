"""Self-checks for the Chapter 3 lab (serving)."""

from __future__ import annotations

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

    from helpers.service.process import wait_until_ready

    app, (x, _, second) = _lab_app(add_version_route)
    headers = {"X-API-Key": KEY}
    body = {"features": x[0].tolist()}
    with TestClient(app) as client:
        wait_until_ready(client, timeout=10)
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


MEASURED = ("window_ms", "mean_batch", "p50_ms", "p99_ms", "requests_per_s")
MODEL_FIXED_MS = 2.0  # the lab's fake model sleeps at least this long per call


def _run_in_own_loop(measure: Callable[[float], Any], window_ms: float) -> dict:
    """Run the student's async `measure(window_ms)` in a fresh event loop in another thread
    (the notebook's own loop is busy running the cell that called the check)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, measure(window_ms)).result(timeout=120)


def exercise_3(results: pd.DataFrame, measure: Callable[[float], Any], clients: int,
               think_ms: float) -> str:
    """The table must be measured: plausible latencies, throughput that fits the clients'
    loop (Little's law), batches that grow with the window, and `measure` must reproduce it."""
    require(isinstance(results, pd.DataFrame) and set(MEASURED) <= set(results.columns), 3,
            f"expected a DataFrame with columns {list(MEASURED)}",
            "build it with pd.DataFrame([await measure(w) for w in WINDOWS]).")
    table = results.sort_values("window_ms").reset_index(drop=True)
    require(len(table) >= 3 and table.window_ms.iloc[0] == 0, 3,
            f"measure at least 3 windows, starting at 0 ms; got {table.window_ms.tolist()}",
            "use WINDOWS = [0, 2, 10] (or more).")
    require(bool(np.isfinite(table[list(MEASURED)]).all().all()), 3,
            "every cell must be a finite number", "return floats, not None or NaN.")
    require(bool((table.p50_ms >= MODEL_FIXED_MS).all()), 3,
            f"a median latency below the model's own {MODEL_FIXED_MS:g} ms: "
            f"{table.p50_ms.round(2).tolist()}",
            "time each request around `await batcher.submit(...)`, in milliseconds.")
    require(bool((table.p99_ms >= table.p50_ms).all()), 3,
            "a p99 below the p50 in some row", "p99 is np.percentile(latencies, 99).")
    require(bool(table.mean_batch.between(1, clients).all()), 3,
            f"mean_batch must lie between 1 and the {clients} clients that can be waiting",
            "mean_batch is batcher.stats.mean_batch, read after the clients finished.")
    # Little's law: each client loops (think, then wait for the answer), so throughput x
    # (think + latency) is about the number of clients.
    in_flight = table.requests_per_s * (think_ms + table.p50_ms) / 1000 / clients
    require(bool(in_flight.between(0.3, 1.6).all()), 3,
            f"requests_per_s does not fit {clients} clients that pause {think_ms:g} ms "
            f"between requests (throughput x (pause + latency) / clients = "
            f"{[round(v, 2) for v in in_flight]}, expected about 1)",
            "count the requests answered while measuring and divide by SECONDS.")
    smallest, largest = table.mean_batch.iloc[0], table.mean_batch.iloc[-1]
    require(largest > smallest, 3,
            f"the mean batch did not grow with the window ({smallest:.2f} -> {largest:.2f})",
            "run several clients at once (asyncio.gather) so requests can meet in a window.")
    window = float(table.window_ms.iloc[-1])
    again = _run_in_own_loop(measure, window)
    require(largest / 2.5 <= again["mean_batch"] <= largest * 2.5, 3,
            f"measure({window:g}) now gives a mean batch of {again['mean_batch']:.2f}, but "
            f"the table says {largest:.2f}: the table is not what measure() measures",
            "build `results` from measure() itself, not by hand.")
    return passed(3, f"mean batch {smallest:.1f} at 0 ms -> {largest:.1f} at {window:g} ms; "
                     f"p99 {table.p99_ms.iloc[0]:.1f} -> {table.p99_ms.iloc[-1]:.1f} ms")


def defensible_windows(table: pd.DataFrame, p99_target_ms: float) -> set[float | None]:
    """Windows that meet the p99 target with (within 10 %) the largest mean batch; {None}
    when no window meets it (batching cannot fix that: add capacity)."""
    meeting = table[table.p99_ms <= p99_target_ms]
    if meeting.empty:
        return {None}
    best = meeting.mean_batch.max()
    return {float(w) for w in meeting.window_ms[meeting.mean_batch >= 0.9 * best]}


DECISION_CASES = {  # (window_ms, mean_batch, p99_ms) rows, target, the answers to accept
    "the longest window misses the target": (
        [(0, 1.2, 5.0), (2, 2.5, 8.0), (10, 6.0, 30.0)], 15.0),
    "every window meets the target": ([(0, 1.2, 5.0), (2, 2.5, 8.0), (10, 6.0, 12.0)], 15.0),
    "no window meets the target": ([(0, 1.2, 20.0), (2, 2.5, 25.0), (10, 6.0, 40.0)], 15.0),
}


def exercise_4(choose_window: Callable[[pd.DataFrame, float], float | None],
               results: pd.DataFrame, p99_target_ms: float) -> str:
    """The decision must follow the measurements: meet the p99 target, then batch the most."""
    for label, (rows, target) in DECISION_CASES.items():
        table = pd.DataFrame(rows, columns=["window_ms", "mean_batch", "p99_ms"])
        choice = choose_window(table, target)
        accepted = defensible_windows(table, target)
        require(choice in accepted, 4,
                f"when {label} (p99 target {target:g} ms, table {rows}), you chose {choice!r}; "
                f"defensible: {sorted(accepted, key=str)}",
                "keep the windows whose p99_ms is within the target; of those, take the one "
                "with the largest mean_batch; if none is left, return None.")
    choice = choose_window(results, p99_target_ms)
    accepted = defensible_windows(results, p99_target_ms)
    require(choice in accepted, 4,
            f"on your measurements (p99 target {p99_target_ms:g} ms) you chose {choice!r}; "
            f"defensible: {sorted(accepted, key=str)}",
            "apply the same rule to your own table.")
    verdict = ("no window meets it: add capacity (replicas, a faster runtime)" if choice is None
               else f"ship a {choice:g} ms window")
    return passed(4, f"for a p99 target of {p99_target_ms:g} ms, {verdict}")
