"""The FastAPI app factory. ``uvicorn --factory helpers.service.app:create_app`` reads its
settings from ``SERVING_*`` environment variables (see `helpers.service.settings`).

Reading guide: `ServiceState` is what the app holds (the model store, or why it could not be
opened); `create_app` wires the middleware (metrics, key check, body limit) and adds the
routes, grouped as probes, predictions and administration; the error handlers turn every
failure into an `ErrorBody` with a 4xx for client mistakes, and a 5xx only for the service's
own (which also closes the connection, so the client starts again on a fresh one).
"""

from __future__ import annotations

import asyncio
import os
import signal
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from helpers.service.batching import Overloaded
from helpers.service.metrics import RequestMetrics, request_histogram
from helpers.service.schemas import (
    BatchingConfig,
    BatchPrediction,
    BatchRequest,
    ErrorBody,
    Metadata,
    Prediction,
    PredictRequest,
    Readiness,
    Swap,
)
from helpers.service.security import BodySizeLimit, KeyGuard, api_key_dependency
from helpers.service.settings import ServiceSettings
from helpers.service.store import Deployed, ModelStore, VersionRefused

BackendName = Literal["sklearn", "onnx"]
RETRY_AFTER_S = "1"


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for these status codes, each with the `ErrorBody` model."""
    return {code: {"model": ErrorBody} for code in codes}


KEYED = (400, 401, 403, 408, 413, 422, 503)  # any route behind the key, with a body
PREDICT_ERRORS = _errors(*KEYED, 404, 409, 500)


@dataclass
class ServiceState:
    """What a running service holds: the store once loaded, or the reason it is not."""

    settings: ServiceSettings
    store: ModelStore | None = None
    error: str | None = None  # why the model could not be loaded at start-up

    def require_store(self) -> ModelStore:
        """The store, or a 503 while the model is still loading."""
        if self.store is None:
            raise HTTPException(503, "the model is still loading: retry when /ready says 200",
                                headers={"Retry-After": RETRY_AFTER_S})
        return self.store

    async def deployed(self, version: int | None, backend: str | None) -> Deployed:
        """A loaded version (from memory, else loaded in a thread: reading files blocks)."""
        store = self.require_store()
        found = store.cached(version, backend)
        return found or await run_in_threadpool(store.get, version, backend)


def create_app(settings: ServiceSettings | None = None, registry: Any = None) -> FastAPI:
    """Build the service; with no arguments, settings come from the environment."""
    settings = settings or ServiceSettings.from_env()
    state = ServiceState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        loading = asyncio.create_task(run_in_threadpool(_open_store, state, registry))
        watchdog = asyncio.create_task(exit_with_parent())
        yield
        loading.cancel()
        watchdog.cancel()
        if state.store is not None:
            await state.store.close()

    # /docs and /redoc would load their page from a public CDN: blank offline, so they are off;
    # the schema itself is at /openapi.json.
    app = FastAPI(title="ML in Production: model service", version="1.1", lifespan=lifespan,
                  docs_url=None, redoc_url=None, dependencies=[Depends(_known_query)])
    app.state.service = state
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       timeout_s=settings.read_timeout_s)
    app.add_middleware(KeyGuard, keys={"/predict": settings.api_key, "/metadata": settings.api_key,
                                       "/admin/": settings.admin_credential})
    metrics = CollectorRegistry()
    app.add_middleware(RequestMetrics, histogram=request_histogram(metrics))  # outermost
    _add_error_handlers(app)
    _add_probes(app, state, metrics)
    _add_predictions(app, state, [Depends(api_key_dependency(settings.api_key))])
    _add_admin(app, state, [Depends(api_key_dependency(settings.admin_credential, "AdminKey"))])
    app.openapi = lambda: _openapi(app, state)
    return app


def _add_probes(app: FastAPI, state: ServiceState, metrics: CollectorRegistry) -> None:
    """/health, /ready and /metrics: no key, no input."""

    @app.get("/health")
    def health() -> dict[str, str]:
        """Liveness: the process answers (orchestrators restart it when this fails)."""
        return {"status": "ok"}

    @app.get("/metrics", response_class=Response,
             responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                              "description": "Prometheus text format"}})
    def prometheus_metrics() -> Response:
        """Request latency and counts in Prometheus' text format (no inputs, no API key)."""
        return Response(generate_latest(metrics), media_type=CONTENT_TYPE_LATEST)

    @app.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
    def ready() -> JSONResponse:
        """Readiness (200 once a model answers), and served vs requested version."""
        store = state.store
        if store is None:
            return JSONResponse(Readiness(ready=False, error=state.error).model_dump(),
                                status_code=503)
        served, requested = store.current_version, store.requested_version
        return JSONResponse(Readiness(
            ready=True, version=served, served_version=served, requested_version=requested,
            in_sync=served == requested, refused=store.refused).model_dump())


def _add_predictions(app: FastAPI, state: ServiceState, auth: list[Any]) -> None:
    """/metadata, /predict and /predict/batch: the prediction key."""
    settings = state.settings

    @app.get("/metadata", dependencies=auth, responses=_errors(401, 403, 404, 409, 422, 503))
    async def metadata(version: int | None = Query(None, ge=1),
                       backend: BackendName | None = None) -> Metadata:
        """Which model answers: name, version, aliases, file hashes, settings."""
        found = await state.deployed(version, backend)
        info, store = found.info, state.require_store()
        return Metadata(
            model=info.name, version=info.version, alias=store.alias,
            aliases=list(info.aliases), sha256=info.sha256, onnx_sha256=info.onnx_sha256,
            backend=found.backend.kind, n_features=found.backend.n_features,
            metrics=info.metrics, loaded_versions=store.loaded_versions(),
            batching=BatchingConfig(window_ms=store.window_ms, max_batch=store.max_batch,
                                    max_queue=store.max_queue),
            requested_version=store.requested_version, refused=store.refused,
        )

    @app.post("/predict", dependencies=auth, responses=PREDICT_ERRORS)
    async def predict(body: PredictRequest, version: int | None = Query(None, ge=1),
                      backend: BackendName | None = None) -> Prediction:
        """Predict one row (by default with the alias's version; `?version=N` picks one)."""
        found = await state.deployed(version, backend)
        proba = await found.predict_proba(as_matrix([body.features], found.backend.n_features))
        return Prediction(prediction=int(np.argmax(proba[0])), probability=float(proba[0, 1]),
                          model=found.info.name, version=found.info.version)

    @app.post("/predict/batch", dependencies=auth, responses=PREDICT_ERRORS)
    async def predict_batch(body: BatchRequest, version: int | None = Query(None, ge=1),
                            backend: BackendName | None = None) -> BatchPrediction:
        """Predict several rows in one request (at most SERVING_MAX_ROWS)."""
        if len(body.rows) > settings.max_rows:
            raise HTTPException(422, f"{len(body.rows)} rows in one request, over the limit of "
                                     f"{settings.max_rows}; split the batch")
        found = await state.deployed(version, backend)
        proba = await found.predict_proba(as_matrix(body.rows, found.backend.n_features))
        return BatchPrediction(predictions=np.argmax(proba, axis=1).tolist(),
                               probabilities=proba[:, 1].tolist(),
                               model=found.info.name, version=found.info.version)


def _add_admin(app: FastAPI, state: ServiceState, auth: list[Any]) -> None:
    """/admin/reload and /admin/batching: the admin key."""

    @app.post("/admin/reload", dependencies=auth, responses=_errors(*KEYED, 404, 409, 500))
    async def reload() -> Swap:
        """Re-read the alias from the registry, verify its file, switch to it (a hot swap)."""
        previous, current = await run_in_threadpool(state.require_store().reload)
        return Swap(previous=previous or current, current=current)

    @app.put("/admin/batching", dependencies=auth, responses=_errors(*KEYED))
    def set_batching(config: BatchingConfig) -> BatchingConfig:
        """Change the micro-batching window (0 ms: off), batch size and queue bound at run time."""
        store = state.require_store()
        store.set_batching(config.window_ms, config.max_batch, config.max_queue)
        return config.model_copy(update={"max_queue": store.max_queue})


def _known_query(request: Request) -> None:
    """422 for a query parameter the route does not declare (`?model_version=2` is a mistake,
    not a request for the champion)."""
    route = request.scope.get("route")
    params = route.dependant.query_params if route is not None else []  # codespell:ignore
    known = {param.alias for param in params}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise HTTPException(422, f"unknown query parameter(s) {unknown}; this route accepts "
                                 f"{sorted(known) or 'none'}")


def as_matrix(rows: list[list[float]], n_features: int) -> np.ndarray:
    """Rows as a float64 matrix, after checking each has the model's number of features."""
    for index, row in enumerate(rows):
        if len(row) != n_features:
            raise HTTPException(
                422, f"row {index} has {len(row)} features, but the model expects {n_features} "
                     "(in the order of the training data's columns)"
            )
    return np.asarray(rows, dtype=np.float64)


def _openapi(app: FastAPI, state: ServiceState) -> dict[str, Any]:
    """FastAPI's schema, plus the row width of the served model once it is loaded."""
    from fastapi.openapi.utils import get_openapi

    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    store = state.store
    deployed = store.cached() if store is not None else None
    if deployed is not None:
        width = {"minItems": deployed.backend.n_features, "maxItems": deployed.backend.n_features}
        models = schema["components"]["schemas"]
        models["PredictRequest"]["properties"]["features"].update(width)
        rows = models["BatchRequest"]["properties"]["rows"]
        rows["items"].update(width)
        rows["maxItems"] = state.settings.max_rows
    return schema


def _open_store(state: ServiceState, registry: Any) -> None:
    """Open the registry and load the alias's version (runs in a thread at start-up)."""
    settings = state.settings
    try:
        if registry is None:
            from helpers.storage.registry import Registry

            registry = Registry(settings.registry)
        store = ModelStore(registry, settings.model, settings.alias, settings.backend,
                           settings.batch_window_ms, settings.max_batch, settings.max_queue,
                           settings.queue_timeout_s)
        store.reload()
        state.store = store
    except Exception as error:  # shown by /ready, so a bad deployment is visible
        state.error = f"{type(error).__name__}: {error}"


async def exit_with_parent(interval: float = 0.5) -> None:
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


def _error(status: int, detail: str, **headers: str) -> JSONResponse:
    """An `ErrorBody` answer; a 5xx also closes the connection and says so."""
    if status >= 500:
        headers["Connection"] = "close"
    return JSONResponse({"detail": detail}, status_code=status, headers=headers or None)


def _add_error_handlers(app: FastAPI) -> None:
    """Bad input gets a 4xx that names the problem; overload a 503; a bug a 500 that says so."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = list(dict.fromkeys(_describe(item) for item in error.errors()))
        # The raw input is left out on purpose: it may hold NaN or infinity, which JSON
        # cannot encode, and echoing it would turn a 422 into a 500.
        return JSONResponse({"detail": "; ".join(problems), "problems": problems},
                            status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail), **(error.headers or {}))

    @app.exception_handler(KeyError)
    async def unknown(request: Request, error: KeyError) -> JSONResponse:
        return _error(404, str(error.args[0]) if error.args else "not found")

    @app.exception_handler(VersionRefused)
    async def refused(request: Request, error: VersionRefused) -> JSONResponse:
        return _error(409, f"{error}; the service keeps serving the version it had")

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, error: Overloaded) -> JSONResponse:
        return _error(503, str(error), **{"Retry-After": RETRY_AFTER_S})

    @app.exception_handler(ValueError)
    async def model_refused(request: Request, error: ValueError) -> JSONResponse:
        return _error(422, f"the model could not use this input: {error}")

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> JSONResponse:
        return _error(500, f"internal error ({type(error).__name__}); it is logged, "
                           "and this connection is closed")


def _describe(item: dict[str, Any]) -> str:
    """One validation error as text: where (body.rows.0.3) and what."""
    where = ".".join(str(part) for part in item.get("loc", ()) if part not in ("float", "int"))
    return f"{where}: {item.get('msg', 'invalid')}"
