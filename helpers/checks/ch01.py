"""Self-checks for the Chapter 1 lab (reproducibility)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import data, hashing
from helpers.checks import passed, require
from helpers.reproducibility import manifest, skew

INPUT_SECTIONS = ("code.", "data.", "environment.", "params.")


def exercise_1(train_once: Callable[[int], str]) -> str:
    """`train_once(seed)` must give the same model hash for a seed, another for another seed."""
    first, second, other = train_once(3), train_once(3), train_once(4)
    require(
        isinstance(first, str) and len(first) == 64, 1,
        f"train_once should return a 64-character sha256 hex string, got {first!r}",
        "return hashing.sha256_state_dict(model).",
    )
    require(
        first == second, 1,
        "two runs with seed 3 gave different model hashes",
        "call repro.seed_everything(seed) at the start of train_once, before the model is built.",
    )
    require(
        first != other, 1,
        "seeds 3 and 4 gave the same model: the seed does not reach the training",
        "pass the seed on as init_seed to training.train_and_score.",
    )
    return passed(1, f"same seed, same model ({first[:12]}...); another seed, another model")


def exercise_2(model_path: str | Path) -> str:
    """The manifest beside `model_path` must describe that model and the bundled data."""
    model_path = Path(model_path)
    require(model_path.exists(), 2, f"{model_path} does not exist", "save with torch.save.")
    path = manifest.manifest_path(model_path)
    require(path.exists(), 2, f"no manifest at {path.name}", "use manifest.save_manifest.")
    record = manifest.load_manifest(path)
    import torch

    state = torch.load(model_path, weights_only=True)
    expected_data = hashing.sha256_file(data.verified_path(data.WDBC))
    require(
        record.get("data", {}).get("sha256") == expected_data, 2,
        "data.sha256 is not the hash of the bundled wdbc.csv",
        "hash the file itself: hashing.sha256_file(data.verified_path('wdbc/wdbc.csv')).",
    )
    require(
        record.get("model", {}).get("sha256") == hashing.sha256_state_dict(state), 2,
        "model.sha256 does not match the weights saved in the model file",
        "hash the weights you saved: hashing.sha256_state_dict(model).",
    )
    accuracy = record.get("metrics", {}).get("test_accuracy")
    require(
        isinstance(accuracy, float) and 0.0 <= accuracy <= 1.0, 2,
        f"metrics.test_accuracy should be a float in [0, 1], got {accuracy!r}",
        "store the accuracy returned by training.train_and_score.",
    )
    require(
        "seed" in record.get("params", {}), 2, "params has no 'seed'",
        "record every input that changes the result, the seed first of all.",
    )
    require(
        bool(record.get("environment", {}).get("packages")), 2,
        "the environment section lists no package versions",
        "use fingerprint.environment_fingerprint().",
    )
    return passed(2, f"manifest matches the model and data ({len(manifest.flatten(record))} keys)")


def exercise_3(changed_inputs: Callable[[dict, dict], set[str]], a: dict, b: dict) -> str:
    """`changed_inputs` must name exactly the input keys that differ between two manifests."""
    expected = {
        key for key in manifest.diff_manifests(a, b) if key.startswith(INPUT_SECTIONS)
    }
    answer = changed_inputs(a, b)
    require(
        isinstance(answer, set), 3, f"expected a set of keys, got {type(answer).__name__}",
        "return a set such as {'params.seed'}.",
    )
    missing, extra = expected - answer, answer - expected
    require(
        not missing, 3, f"these changed inputs are missing: {sorted(missing)}",
        "start from manifest.diff_manifests(a, b) and keep every key of an input section.",
    )
    require(
        not extra, 3, f"these keys are outputs or did not change: {sorted(extra)}",
        f"inputs are the sections {INPUT_SECTIONS}; model and metrics are outputs.",
    )
    require(
        changed_inputs(a, a) == set(), 3, "comparing a manifest with itself found changes",
        "ignore volatile keys such as created_at (diff_manifests already does).",
    )
    return passed(3, f"found the changed inputs: {sorted(answer)}")


def exercise_4(
    serve: Callable[[list[dict[str, Any]]], np.ndarray],
    pipeline: Any,
    frame: pd.DataFrame,
) -> str:
    """`serve` must match the training pipeline on rows with missing and absent values."""
    holey = skew.inject_missing(frame, fraction=0.2, seed=2024)
    bad = skew.parity_mismatches(pipeline.predict, serve, holey)
    require(
        len(bad) == 0, 4,
        f"{len(bad)} of {len(holey)} rows with missing values are served differently",
        "send missing values to the pipeline as NaN so its imputer fills them as in training.",
    )
    record = skew.to_records(frame.iloc[:1])[0]
    record.pop(next(iter(record)))
    expected = pipeline.predict(skew.records_to_frame([record], list(frame.columns)))
    require(
        np.array_equal(np.asarray(serve([record])), expected), 4,
        "a request with a feature left out is not treated as a missing value",
        "build the frame with skew.records_to_frame(records, columns).",
    )
    return passed(4, f"serving agrees with training on all {len(holey)} rows with gaps")
