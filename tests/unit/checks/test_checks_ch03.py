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
            store = app.state.service.store
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


CLIENTS, THINK_MS = 8, 10.0


def measured(window_ms, mean_batch, p50_ms, p99_ms, clients=CLIENTS, think_ms=THINK_MS):
    """One row whose throughput fits the clients' loop (Little's law)."""
    return {"window_ms": window_ms, "mean_batch": mean_batch, "p50_ms": p50_ms,
            "p99_ms": p99_ms, "requests_per_s": clients / ((think_ms + p50_ms) / 1000)}


GOOD = pd.DataFrame([measured(0, 1.4, 3.5, 6.0), measured(2, 2.7, 4.8, 8.0),
                     measured(10, 5.2, 11.0, 15.0)])


def measuring(mean_batch):
    async def measure(window_ms):
        return {**measured(window_ms, mean_batch, 11.0, 15.0)}

    return measure


def test_exercise_3_accepts_a_table_that_measure_reproduces():
    assert "passed" in check.exercise_3(GOOD, measuring(5.0), CLIENTS, THINK_MS)


def test_exercise_3_rejects_a_table_that_measure_does_not_reproduce():
    with pytest.raises(CheckFailed, match="the table is not what measure"):
        check.exercise_3(GOOD, measuring(1.0), CLIENTS, THINK_MS)


@pytest.mark.parametrize("table,problem", [
    (GOOD.assign(mean_batch=[8.0, 8.0, 8.0]), r"did not grow with the window \(8.00 -> 8.00\)"),
    (GOOD.iloc[1:], "at least 3 windows"),
    (GOOD.drop(columns="p99_ms"), "expected a DataFrame"),
    (GOOD.assign(p50_ms=[0.4, 0.5, 0.9]), "below the model's own 2 ms"),
    (GOOD.assign(p99_ms=[3.0, 4.0, 5.0]), "p99 below the p50"),
    (GOOD.assign(mean_batch=[1.0, 3.0, 20.0]), "between 1 and the 8 clients"),
    (GOOD.assign(requests_per_s=[2000.0, 2000.0, 2000.0]), "does not fit 8 clients"),
    (GOOD.assign(p50_ms=[3.5, None, 11.0]), "finite number"),
])
def test_exercise_3_rejects_tables_that_were_not_measured(table, problem):
    with pytest.raises(CheckFailed, match=problem):
        check.exercise_3(table, measuring(5.0), CLIENTS, THINK_MS)


def rule(table, target):
    meeting = table[table.p99_ms <= target]
    return None if meeting.empty else float(meeting.window_ms[meeting.mean_batch.idxmax()])


def test_exercise_4_accepts_the_rule_and_every_near_tie():
    assert "passed" in check.exercise_4(rule, GOOD, 20.0)
    assert "add capacity" in check.exercise_4(rule, GOOD, 1.0)
    near_tie = pd.DataFrame([(0, 1.2, 5.0), (2, 5.9, 8.0), (10, 6.0, 12.0)],
                            columns=["window_ms", "mean_batch", "p99_ms"])
    assert check.defensible_windows(near_tie, 15.0) == {2.0, 10.0}


@pytest.mark.parametrize("choose,problem", [
    (lambda table, target: float(table.window_ms.max()), "longest window misses"),
    (lambda table, target: 0.0, "longest window misses"),
    (lambda table, target: float(table.window_ms[table.p99_ms.idxmin()]), "window misses"),
    (lambda table, target: rule(table, target) if rule(table, target) is not None else 0.0,
     "no window meets"),
    (lambda table, target: 10.0 if target == 15.0 else rule(table, target),
     "longest window misses"),
])
def test_exercise_4_rejects_decisions_that_ignore_the_measurements(choose, problem):
    with pytest.raises(CheckFailed, match=problem):
        check.exercise_4(choose, GOOD, 20.0)


def test_exercise_4_checks_the_students_own_table_too():
    def ignores_own_table(table, target):
        return rule(table, target) if len(table) == 3 and table.window_ms.max() == 10 and \
            table.mean_batch.max() == 6.0 else 0.0

    with pytest.raises(CheckFailed, match="on your measurements"):
        check.exercise_4(ignores_own_table, GOOD, 20.0)
