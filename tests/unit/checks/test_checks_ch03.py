"""The Chapter 3 self-checks pass right answers and explain wrong ones."""

from typing import Annotated

import numpy as np
import pandas as pd
import pytest
from fastapi import Depends
from pydantic import Field, StrictStr
from starlette.concurrency import run_in_threadpool

from helpers.checks import CheckFailed
from helpers.checks import ch03 as check
from helpers.service.app import as_matrix
from helpers.service.schemas import Prediction, PredictRequest
from helpers.service.security import api_key_dependency


class TracedRequest(PredictRequest):
    request_id: Annotated[StrictStr, Field(min_length=1, max_length=64,
                                           pattern=r"^[A-Za-z0-9_-]+$")]


class LooseRequest(PredictRequest):
    request_id: str = ""


def test_exercise_1_wants_a_required_safe_request_id():
    assert "passed" in check.exercise_1(TracedRequest)
    with pytest.raises(CheckFailed, match=r"(?s)without request_id was accepted.*Hint"):
        check.exercise_1(LooseRequest)
    with pytest.raises(CheckFailed, match="pydantic model class"):
        check.exercise_1(dict)


def route(check_width=True, use_version=True, auth=True):
    def add(app, settings):
        dependencies = [Depends(api_key_dependency(settings.api_key))] if auth else []

        @app.post("/versions/{version}/predict", dependencies=dependencies)
        async def predict_version(version: int, body: PredictRequest) -> Prediction:
            store = app.state.service["store"]
            deployed = await run_in_threadpool(store.get, version if use_version else None)
            rows = (as_matrix([body.features], deployed.backend.n_features) if check_width
                    else np.asarray([body.features + [0.0] * (30 - len(body.features))]))
            proba = await deployed.predict_proba(rows)
            return Prediction(prediction=int(np.argmax(proba[0])),
                              probability=float(proba[0, 1]),
                              model=deployed.info.name, version=deployed.info.version)

    return add


def test_exercise_2_wants_the_path_version_the_key_and_input_checks():
    assert "passed" in check.exercise_2(route())
    with pytest.raises(CheckFailed, match="answered with version 1"):
        check.exercise_2(route(use_version=False))
    with pytest.raises(CheckFailed, match="without the key got 200"):
        check.exercise_2(route(auth=False))
    with pytest.raises(CheckFailed, match="29 features got 200"):
        check.exercise_2(route(check_width=False))
    with pytest.raises(CheckFailed, match="answered 404"):
        check.exercise_2(lambda app, settings: None)


def test_exercise_3_wants_batches_that_grow_with_the_window():
    good = pd.DataFrame({"window_ms": [0, 2, 10], "mean_batch": [1.4, 2.7, 5.2],
                         "p50_ms": [3.5, 4.8, 11.0]})
    assert "passed" in check.exercise_3(good)
    flat = good.assign(mean_batch=[8.0, 8.0, 8.0])
    with pytest.raises(CheckFailed, match=r"did not grow with the window \(8.00 -> 8.00\)"):
        check.exercise_3(flat)
    with pytest.raises(CheckFailed, match="at least 3 windows"):
        check.exercise_3(good.iloc[1:])
    with pytest.raises(CheckFailed, match="expected a DataFrame"):
        check.exercise_3(good.drop(columns="p50_ms"))
