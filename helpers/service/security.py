"""Who may call the service (an API key header) and how big a request may be."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from fastapi import HTTPException, Request, status
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_KEY_HEADER = "X-API-Key"


def api_key_dependency(expected: str) -> Callable[[Request], None]:
    """A FastAPI dependency: 401 without the key header, 403 with a wrong key."""

    def check(request: Request) -> None:
        given = request.headers.get(API_KEY_HEADER)
        if not given:
            raise HTTPException(
                status.HTTP_401_UNAUTHORIZED,
                f"missing API key: send it in the {API_KEY_HEADER} header",
                headers={"WWW-Authenticate": API_KEY_HEADER},
            )
        # compare_digest takes the same time wherever the strings differ (no timing leak)
        if not secrets.compare_digest(given.encode(), expected.encode()):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "the API key is not valid")

    return check


class BodySizeLimit:
    """ASGI middleware: answer 413 to a body over `max_bytes`, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(int(declared), scope, receive, send)
            return
        body, size = [], 0
        while True:  # read the body (chunked uploads too), stopping once it is too big
            message = await receive()
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
