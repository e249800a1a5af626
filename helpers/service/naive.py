"""A deployment sketch as a widely shared tutorial writes it, faults included, beside the fix.

The tutorial's app reads JSON by hand, has no key and no limits, and calls the model inside an
``async def`` route. That last fault is the costly one: an async route runs on the event
loop, the single thread that serves every connection, so while one request's model runs no
other request (not even ``/health``) is read or answered. `/blocking` does that; `/offloaded`
is the fix, the same call in a worker thread (`run_in_threadpool`), which is what FastAPI does
by itself for a plain ``def`` route. ``uvicorn --factory helpers.service.naive:create_app``.
"""

import asyncio
import time
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool

from helpers.service.app import exit_with_parent

INFERENCE_S = 0.05  # one model call; it sleeps, as a model that releases the GIL would wait


def infer(payload: Any) -> dict[str, Any]:
    """Stand-in for a model call (torch and ONNX Runtime release the GIL while they compute)."""
    time.sleep(INFERENCE_S)
    return {"label": "positive", "confidence": 0.9, "chars": len(str(payload))}


def create_app() -> FastAPI:
    """The tutorial's app, with its blocking route and the offloaded fix."""
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        watchdog = asyncio.create_task(exit_with_parent())  # no orphan if the kernel dies
        yield
        watchdog.cancel()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None)

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/blocking")
    async def blocking(request: Request) -> dict[str, Any]:
        return infer(await request.json())  # the fault: the event loop waits for the model

    @app.post("/offloaded")
    async def offloaded(request: Request) -> dict[str, Any]:
        return await run_in_threadpool(infer, await request.json())

    return app
