"""Who may call the service (API keys), how big a request may be and how long it may take.

Order matters: the key is checked on the headers alone, before a byte of the body is read, so
a caller without the key gets a 401 even for a malformed or endless body; then the body is read
with a size limit and a deadline.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping

from fastapi import Depends, HTTPException, status
from fastapi.security import APIKeyHeader
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_KEY_HEADER = "X-API-Key"


def key_problem(given: str | None, expected: str) -> tuple[int, str] | None:
    """(401 or 403, why) when `given` is not the `expected` key; None when it is."""
    if not given:
        return (status.HTTP_401_UNAUTHORIZED,
                f"missing API key: send it in the {API_KEY_HEADER} header")
    # compare_digest takes the same time wherever the strings differ (no timing leak)
    if not secrets.compare_digest(given.encode(), expected.encode()):
        return status.HTTP_403_FORBIDDEN, "the API key is not valid"
    return None


def api_key_dependency(expected: str, scheme: str = "APIKey") -> Callable[..., None]:
    """A FastAPI dependency: 401 without the key header, 403 with a wrong key (in the schema
    as an API-key security scheme named `scheme`)."""
    header = APIKeyHeader(name=API_KEY_HEADER, scheme_name=scheme, auto_error=False)

    def check(given: str | None = Depends(header)) -> None:
        problem = key_problem(given, expected)
        if problem is not None:
            raise HTTPException(*problem, headers={"WWW-Authenticate": API_KEY_HEADER})

    return check


class KeyGuard:
    """ASGI middleware: check the key of `keys[path prefix]` from the headers, before the body.

    The longest matching prefix wins; paths that match none pass unchecked (/health, ...).
    """

    def __init__(self, app: ASGIApp, keys: Mapping[str, str]) -> None:
        self.app = app
        self.keys = sorted(keys.items(), key=lambda item: -len(item[0]))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        expected = next((key for prefix, key in self.keys
                         if scope["type"] == "http" and scope["path"].startswith(prefix)), None)
        if expected is not None:
            given = dict(scope["headers"]).get(API_KEY_HEADER.lower().encode(), b"")
            problem = key_problem(given.decode("latin-1"), expected)
            if problem is not None:
                answer = JSONResponse({"detail": problem[1]}, status_code=problem[0],
                                      headers={"WWW-Authenticate": API_KEY_HEADER})
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodySizeLimit:
    """ASGI middleware: answer 413 to a body over `max_bytes`, declared or streamed, and 408
    to a body that has not arrived after `timeout_s` (a slow or stalled client)."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout_s: float = 10.0) -> None:
        self.app, self.max_bytes, self.timeout_s = app, max_bytes, timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(int(declared), scope, receive, send)
            return
        body, size = [], 0
        deadline = asyncio.get_running_loop().time() + self.timeout_s
        while True:  # read the body (chunked uploads too), stopping once it is too big
            try:
                message = await asyncio.wait_for(
                    receive(), deadline - asyncio.get_running_loop().time())
            except TimeoutError:
                await _too_slow(self.timeout_s, scope, receive, send)
                return
            if message["type"] != "http.request":
                break
            body.append(message.get("body", b""))
            size += len(body[-1])
            if size > self.max_bytes:
                await self._reject(size, scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(body), receive), send)

    async def _reject(self, size: int, scope: Scope, receive: Receive, send: Send) -> None:
        """Send the 413 answer."""
        detail = (
            f"request body is {size} bytes or more, over the limit of {self.max_bytes} bytes; "
            "send fewer rows per request"
        )
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


async def _too_slow(timeout_s: float, scope: Scope, receive: Receive, send: Send) -> None:
    """Send the 408 answer (and close the connection: the rest of the body may still come)."""
    detail = (f"the request body did not arrive within {timeout_s:g} s; send it at once, "
              "or fewer rows per request")
    await JSONResponse({"detail": detail}, status_code=408,
                       headers={"Connection": "close"})(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the app the body already read, then defers to the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
