"""The service's configuration, read from environment variables so `uvicorn --factory` works."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import Literal

PREFIX = "SERVING_"
Backend = Literal["sklearn", "onnx"]
BACKENDS: tuple[str, ...] = ("sklearn", "onnx")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable to set."""


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the app needs: where the models are, which one, and its limits."""

    registry: Path
    model: str
    api_key: str
    alias: str = "champion"
    backend: Backend = "sklearn"
    batch_window_ms: float = 0.0  # 0 switches micro-batching off: one model call per request
    max_batch: int = 64
    max_body_bytes: int = 256_000
    max_rows: int = 512
    admin_key: str = ""  # empty: the API key also administers (set one in production)
    read_timeout_s: float = 10.0  # a request body must arrive within this time, else 408
    max_queue: int = 1024  # rows waiting for the micro-batcher; beyond it, 503 (load shedding)
    queue_timeout_s: float = 5.0  # a row that waited this long for the model gets a 503

    def __post_init__(self) -> None:
        if len(self.api_key) < 16:
            raise SettingsError(
                f"{PREFIX}API_KEY must be at least 16 characters (got {len(self.api_key)}); "
                "generate one with `python -c 'import secrets; print(secrets.token_urlsafe())'`"
            )
        if self.admin_key and (len(self.admin_key) < 16 or self.admin_key == self.api_key):
            raise SettingsError(
                f"{PREFIX}ADMIN_KEY must be at least 16 characters and differ from "
                f"{PREFIX}API_KEY: a client that may predict must not administer the service"
            )
        if self.backend not in BACKENDS:
            raise SettingsError(f"{PREFIX}BACKEND must be one of {BACKENDS}, got {self.backend!r}")
        if self.batch_window_ms < 0 or min(self.max_batch, self.max_rows, self.max_queue) < 1:
            raise SettingsError(
                f"{PREFIX}BATCH_WINDOW_MS must be >= 0 and {PREFIX}MAX_BATCH, "
                f"{PREFIX}MAX_ROWS, {PREFIX}MAX_QUEUE >= 1"
            )
        if self.read_timeout_s <= 0 or self.queue_timeout_s <= 0:
            raise SettingsError(f"{PREFIX}READ_TIMEOUT_S and {PREFIX}QUEUE_TIMEOUT_S must be > 0")

    @property
    def admin_credential(self) -> str:
        """The key the admin routes want: ADMIN_KEY, or the API key when none is set."""
        return self.admin_key or self.api_key

    def to_env(self) -> dict[str, str]:
        """The settings as environment variables, to start a server process with."""
        return {f"{PREFIX}{f.name.upper()}": str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        """Read ``SERVING_*`` variables; a missing required one is a clear error."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            name = f"{PREFIX}{field.name.upper()}"
            if name in environ:
                values[field.name] = _convert(field.type, environ[name], name)
            elif field.default is MISSING:  # a required setting
                raise SettingsError(f"set the environment variable {name} ({field.name})")
        return cls(**values)


def _convert(kind: object, text: str, name: str) -> object:
    """Turn one variable's text into the field's type."""
    kind = str(kind)
    try:
        if kind == "Path":
            return Path(text)
        if kind == "float":
            return float(text)
        if kind == "int":
            return int(text)
    except ValueError as error:
        raise SettingsError(f"{name}={text!r} is not a valid {kind}") from error
    return text
