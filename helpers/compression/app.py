"""A deliberately small service for ONNX models: ``POST /predict/{name}`` with ``{"rows": ...}``.

It answers the predicted class and the top score of each row. Each model file is checked
against its sha256 before it is loaded (Chapter 2's `load_onnx_session`). The models come from
the COMPRESSION_MODELS variable, so ``uvicorn --factory helpers.compression.app:create_app``
works; only the server process imports this module (FastAPI is imported here).
"""

import asyncio
import json
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

import numpy as np
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, ConfigDict, Field

from helpers.compression.serving import MODELS_ENV
from helpers.service.schemas import Row
from helpers.storage.artifacts import load_onnx_session

MAX_ROWS = 512


class Rows(BaseModel):
    """Rows of features for one model (at least one, at most MAX_ROWS)."""

    model_config = ConfigDict(extra="forbid")
    rows: Annotated[list[Row], Field(min_length=1, max_length=MAX_ROWS)]


class Answer(BaseModel):
    """The predicted class and the top score of each row, in the order of the rows."""

    predictions: list[int]
    scores: list[float]


def create_app() -> FastAPI:
    """The app, serving the models listed in COMPRESSION_MODELS."""
    specs = json.loads(os.environ.get(MODELS_ENV) or "{}")
    if not specs:
        raise RuntimeError(f"set {MODELS_ENV} to a JSON object {{name: [onnx path, sha256]}}")
    sessions = {name: load_onnx_session(path, digest) for name, (path, digest) in specs.items()}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        watchdog = asyncio.create_task(_exit_with_parent())
        yield
        watchdog.cancel()

    app = FastAPI(title="compressed models", lifespan=lifespan)

    @app.get("/ready")
    def ready() -> dict[str, Any]:
        """Readiness: every model is loaded (they load before the app exists)."""
        return {"ready": True, "models": sorted(sessions)}

    @app.post("/predict/{name}")
    def predict(name: str, body: Rows) -> Answer:
        """Scores of model `name` for the rows."""
        if name not in sessions:
            raise HTTPException(404, f"no model {name!r}; served: {sorted(sessions)}")
        first = sessions[name].get_inputs()[0]
        if any(len(row) != first.shape[-1] for row in body.rows):
            raise HTTPException(422, f"every row needs {first.shape[-1]} features")
        feed = {first.name: np.asarray(body.rows, dtype=np.float32)}
        scores = sessions[name].run(None, feed)[0]
        return Answer(predictions=scores.argmax(axis=1).tolist(),
                      scores=scores.max(axis=1).tolist())

    return app


async def _exit_with_parent(interval: float = 0.5) -> None:
    """Stop this server once the process in SERVING_PARENT_PID (the notebook) is gone.

    A killed notebook kernel cannot stop its server; this way no orphan is left behind.
    """
    import psutil

    parent = os.environ.get("SERVING_PARENT_PID")
    while parent and psutil.pid_exists(int(parent)):
        await asyncio.sleep(interval)
    if parent:
        os.kill(os.getpid(), signal.SIGTERM)
