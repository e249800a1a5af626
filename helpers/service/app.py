"""The FastAPI app factory. ``uvicorn --factory helpers.service.app:create_app`` reads its
settings from ``SERVING_*`` environment variables (see `helpers.service.settings`).
"""

from __future__ import annotations

import asyncio
import os
import signal
from contextlib import asynccontextmanager
from typing import Any, Literal

import numpy as np
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from helpers.service.metrics import RequestMetrics, request_histogram
from helpers.service.schemas import (
    BatchingConfig,
    BatchPrediction,
    BatchRequest,
    Metadata,
    Prediction,
    PredictRequest,
    Swap,
)
from helpers.service.security import BodySizeLimit, api_key_dependency
from helpers.service.settings import ServiceSettings
from helpers.service.store import Deployed, ModelStore

BackendName = Literal["sklearn", "onnx"]


def create_app(settings: ServiceSettings | None = None, registry: Any = None) -> FastAPI:
    """Build the service; with no arguments, settings come from the environment."""
    settings = settings or ServiceSettings.from_env()
    state: dict[str, Any] = {"store": None, "error": None}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        loading = asyncio.create_task(run_in_threadpool(_open_store, settings, registry, state))
        watchdog = asyncio.create_task(_exit_with_parent())
        yield
        loading.cancel()
        watchdog.cancel()
        if state["store"] is not None:
            await state["store"].close()

    app = FastAPI(title="ML in Production: model service", version="1.0", lifespan=lifespan)
    app.state.service = state
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    metrics = CollectorRegistry()
    app.add_middleware(RequestMetrics, histogram=request_histogram(metrics))  # outermost: 413s too
    _add_error_handlers(app)
    auth = [Depends(api_key_dependency(settings.api_key))]

    def store() -> ModelStore:
        if state["store"] is None:
            raise HTTPException(503, "the model is still loading: retry when /ready says 200")
        return state["store"]

    async def deployed(version: int | None, backend: str | None) -> Deployed:
        found = store().cached(version, backend)
        return found or await run_in_threadpool(store().get, version, backend)

    @app.get("/health")
    def health() -> dict[str, str]:
        """Liveness: the process answers (orchestrators restart it when this fails)."""
        return {"status": "ok"}

    @app.get("/metrics")
    def prometheus_metrics() -> Response:
        """Request latency and counts in Prometheus' text format (no inputs, no API key)."""
        return Response(generate_latest(metrics), media_type=CONTENT_TYPE_LATEST)

    @app.get("/ready")
    def ready() -> JSONResponse:
        """Readiness: a model is loaded (load balancers send traffic only when this is 200)."""
        if state["error"] is not None:
            return JSONResponse({"ready": False, "error": state["error"]}, status_code=503)
        if state["store"] is None:
            return JSONResponse({"ready": False, "error": None}, status_code=503)
        return JSONResponse({"ready": True, "version": state["store"].current_version})

    @app.get("/metadata", dependencies=auth)
    async def metadata(version: int | None = Query(None, ge=1),
                       backend: BackendName | None = None) -> Metadata:
        """Which model answers: name, version, aliases, file hashes, settings."""
        found = await deployed(version, backend)
        info, current = found.info, store()
        return Metadata(
            model=info.name, version=info.version, alias=current.alias,
            aliases=list(info.aliases), sha256=info.sha256, onnx_sha256=info.onnx_sha256,
            backend=found.backend.kind, n_features=found.backend.n_features,
            metrics=info.metrics, loaded_versions=current.loaded_versions(),
            batching=BatchingConfig(window_ms=current.window_ms, max_batch=current.max_batch),
        )

    @app.post("/predict", dependencies=auth)
    async def predict(body: PredictRequest, version: int | None = Query(None, ge=1),
                      backend: BackendName | None = None) -> Prediction:
        """Predict one row (by default with the alias's version; `?version=N` picks one)."""
        found = await deployed(version, backend)
        proba = await found.predict_proba(as_matrix([body.features], found.backend.n_features))
        return Prediction(prediction=int(np.argmax(proba[0])), probability=float(proba[0, 1]),
                          model=found.info.name, version=found.info.version)

    @app.post("/predict/batch", dependencies=auth)
    async def predict_batch(body: BatchRequest, version: int | None = Query(None, ge=1),
                            backend: BackendName | None = None) -> BatchPrediction:
        """Predict several rows in one request (at most SERVING_MAX_ROWS)."""
        if len(body.rows) > settings.max_rows:
            raise HTTPException(422, f"{len(body.rows)} rows in one request, over the limit of "
                                     f"{settings.max_rows}; split the batch")
        found = await deployed(version, backend)
        proba = await found.predict_proba(as_matrix(body.rows, found.backend.n_features))
        return BatchPrediction(predictions=np.argmax(proba, axis=1).tolist(),
                               probabilities=proba[:, 1].tolist(),
                               model=found.info.name, version=found.info.version)

    @app.post("/admin/reload", dependencies=auth)
    async def reload() -> Swap:
        """Re-read the alias from the registry and switch to its version (a hot swap)."""
        previous, current = await run_in_threadpool(store().reload)
        return Swap(previous=previous or current, current=current)

    @app.put("/admin/batching", dependencies=auth)
    def set_batching(config: BatchingConfig) -> BatchingConfig:
        """Change the micro-batching window (0 ms: off) and maximum batch size at run time."""
        store().set_batching(config.window_ms, config.max_batch)
        return config

    return app


def as_matrix(rows: list[list[float]], n_features: int) -> np.ndarray:
    """Rows as a float64 matrix, after checking each has the model's number of features."""
    for index, row in enumerate(rows):
        if len(row) != n_features:
            raise HTTPException(
                422, f"row {index} has {len(row)} features, but the model expects {n_features} "
                     "(in the order of the training data's columns)"
            )
    return np.asarray(rows, dtype=np.float64)


def _open_store(settings: ServiceSettings, registry: Any, state: dict[str, Any]) -> None:
    """Open the registry and load the alias's version (runs in a thread at start-up)."""
    try:
        if registry is None:
            from helpers.storage.registry import Registry

            registry = Registry(settings.registry)
        store = ModelStore(registry, settings.model, settings.alias, settings.backend,
                           settings.batch_window_ms, settings.max_batch)
        store.reload()
        state["store"] = store
    except Exception as error:  # shown by /ready, so a bad deployment is visible
        state["error"] = f"{type(error).__name__}: {error}"


async def _exit_with_parent(interval: float = 0.5) -> None:
    """If SERVING_PARENT_PID is set, stop this server once that process is gone.

    A notebook kernel that is killed cannot stop its server; this way no orphan is left.
    """
    parent = os.environ.get("SERVING_PARENT_PID")
    if not parent:
        return
    import psutil

    while psutil.pid_exists(int(parent)):
        await asyncio.sleep(interval)
    os.kill(os.getpid(), signal.SIGTERM)


def _add_error_handlers(app: FastAPI) -> None:
    """Bad input gets a 4xx that names the problem; an unknown version a 404."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = list(dict.fromkeys(_describe(item) for item in error.errors()))
        # The raw input is left out on purpose: it may hold NaN or infinity, which JSON
        # cannot encode, and echoing it would turn a 422 into a 500.
        return JSONResponse({"detail": "; ".join(problems), "problems": problems},
                            status_code=422)

    @app.exception_handler(KeyError)
    async def unknown(request: Request, error: KeyError) -> JSONResponse:
        return JSONResponse({"detail": str(error.args[0]) if error.args else "not found"},
                            status_code=404)


def _describe(item: dict[str, Any]) -> str:
    """One validation error as text: where (body.rows.0.3) and what."""
    where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("float", "int"))
    return f"{where}: {item.get('msg', 'invalid')}"
