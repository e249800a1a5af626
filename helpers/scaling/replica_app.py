"""The Chapter 3 service for replica experiments: the same app, the model built in memory.

Every worker process fits the same random forest on the bundled WDBC data (fixed seed, so
all replicas serve identical predictions) and hands it to the service through the in-memory
registry, instead of opening the MLflow registry: a replica then starts in a fraction of
the time and memory, and the experiment measures the service, not the registry client.
``uvicorn --factory helpers.scaling.replica_app:create_app`` with the usual ``SERVING_*``
variables plus ``SCALING_TREES`` and ``SCALING_SEED``.
"""

from __future__ import annotations

import os
from typing import Any

TREES_ENV, SEED_ENV = "SCALING_TREES", "SCALING_SEED"
APP = "helpers.scaling.replica_app:create_app"


def fit_forest(trees: int, seed: int) -> Any:
    """The forest every replica serves: `trees` trees on the WDBC training split."""
    from sklearn.ensemble import RandomForestClassifier

    from helpers import data

    features, target = data.load_wdbc()
    forest = RandomForestClassifier(n_estimators=trees, random_state=seed, n_jobs=1)
    return forest.fit(features.to_numpy(), target.to_numpy())


def env(trees: int, seed: int) -> dict[str, str]:
    """The extra environment variables a replica reads."""
    if trees < 1:
        raise ValueError(f"trees must be at least 1, got {trees}")
    return {TREES_ENV: str(trees), SEED_ENV: str(seed)}


def create_app() -> Any:
    """The FastAPI app of Chapter 3, serving the forest from an in-memory registry."""
    from helpers.service.app import create_app as service_app
    from helpers.service.memory import MemoryRegistry

    forest = fit_forest(int(os.environ.get(TREES_ENV, "50")), int(os.environ.get(SEED_ENV, "0")))
    return service_app(registry=MemoryRegistry([forest]))
