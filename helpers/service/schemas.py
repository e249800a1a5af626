"""Request and response models: pydantic rejects wrong types, NaN and infinity for us."""

from __future__ import annotations

from typing import Annotated

from pydantic import AllowInfNan, BaseModel, ConfigDict, Field, StrictFloat, StrictInt

# A feature value: a real JSON number (not a string such as "1.5"), finite (no NaN/Infinity).
Feature = Annotated[StrictFloat | StrictInt, AllowInfNan(False)]
Row = Annotated[list[Feature], Field(min_length=1)]


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


class BatchingConfig(BaseModel):
    """Micro-batching settings; a window of 0 ms means one model call per request."""

    model_config = ConfigDict(extra="forbid")
    window_ms: Annotated[float, Field(ge=0, le=1000)]
    max_batch: Annotated[int, Field(ge=1, le=4096)]


class Swap(BaseModel):
    """The result of re-reading the alias from the registry."""

    previous: int
    current: int


Metadata.model_rebuild()
