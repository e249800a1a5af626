"""Request and response models: pydantic rejects wrong types, NaN and infinity for us."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
)
from pydantic_core import PydanticCustomError

FLOAT32_MAX = 3.4028234663852886e38  # the largest finite float32: what both backends compute in


def _within_float32(value: Any) -> Any:
    """Refuse a number no float32 can hold (1e308, a 400-digit integer) before any arithmetic.

    Checked first, because converting a huge Python int to float raises OverflowError (a 500),
    and a finite float64 beyond float32 becomes infinity inside the model (another 500).
    """
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if number and value == value and FLOAT32_MAX < abs(value) < float("inf"):  # not NaN, inf
        raise PydanticCustomError(
            "float32_range", "Input should be within float32 range (|x| <= 3.4e38)")
    return value


# A feature value: a real JSON number (not a string such as "1.5"), finite (no NaN/Infinity),
# small enough for float32 (the type the models compute in).
Feature = Annotated[StrictFloat | StrictInt, AllowInfNan(False), BeforeValidator(_within_float32),
                    Field(json_schema_extra={"minimum": -FLOAT32_MAX, "maximum": FLOAT32_MAX})]
Row = Annotated[list[Feature], Field(min_length=1)]


class ErrorBody(BaseModel):
    """Every error answer: what was wrong and what to do (`problems`: one line per field)."""

    detail: str
    problems: list[str] | None = None


class PredictRequest(BaseModel):
    """One row of features, in the order the model was trained on."""

    model_config = ConfigDict(extra="forbid")
    features: Row


class BatchRequest(BaseModel):
    """Several rows at once (at least one; the service caps how many)."""

    model_config = ConfigDict(extra="forbid")
    rows: Annotated[list[Row], Field(min_length=1)]


class Prediction(BaseModel):
    """The answer for one row, and which model version gave it."""

    prediction: int
    probability: float  # of class 1 (malignant)
    model: str
    version: int


class BatchPrediction(BaseModel):
    """The answers for a batch, in the order of the rows."""

    predictions: list[int]
    probabilities: list[float]
    model: str
    version: int


class Metadata(BaseModel):
    """What the service is serving: enough to trace any answer back to the registry."""

    model: str
    version: int
    alias: str
    aliases: list[str]
    sha256: str
    onnx_sha256: str | None
    backend: str
    n_features: int
    metrics: dict[str, float]
    batching: BatchingConfig
    loaded_versions: list[int]
    requested_version: int | None  # what the registry's alias pointed to at the last reload
    refused: str | None  # why that version is not served, if it is not


def _whole_number(value: Any) -> Any:
    """A JSON integer: 8 or 8.0 (the same number in JSON), never `true`, `"8"` or 8.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("whole_number", "Input should be a whole number, not {kind}",
                                  {"kind": type(value).__name__})
    if isinstance(value, float) and not value.is_integer():
        raise PydanticCustomError("whole_number", "Input should be a whole number")
    return int(value)


class BatchingConfig(BaseModel):
    """Micro-batching settings; a window of 0 ms means one model call per request.

    Strict: `true` or `"5"` is not a window (pydantic would otherwise read them as 1.0 and 5.0).
    """

    model_config = ConfigDict(extra="forbid")
    window_ms: Annotated[float, Field(ge=0, le=1000, strict=True)]
    max_batch: Annotated[int, Field(ge=1, le=4096), BeforeValidator(_whole_number)]
    max_queue: Annotated[int, Field(ge=1, le=1_000_000),
                         BeforeValidator(_whole_number)] | None = None  # None: unchanged


class Swap(BaseModel):
    """The result of re-reading the alias from the registry."""

    previous: int
    current: int


class Readiness(BaseModel):
    """/ready: whether a model answers, which version, and whether it is the one the registry
    asks for (`refused` says why a requested version is not served)."""

    ready: bool
    version: int | None = None  # the served version (kept for older clients)
    served_version: int | None = None
    requested_version: int | None = None
    in_sync: bool = False
    refused: str | None = None
    error: str | None = None


Metadata.model_rebuild()
