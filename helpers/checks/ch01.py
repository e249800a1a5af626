"""Self-checks for the Chapter 1 lab (reproducibility)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from helpers import data, hashing, repro
from helpers.checks import passed, require
from helpers.reproducibility import manifest, skew, training

INPUT_SECTIONS = ("code.", "data.", "environment.", "params.")


def exercise_1(train_once: Callable[[int], str], hidden_training: Callable[[], Any]) -> str:
    """`train_once(seed)` must hash the model `hidden_training` gives when seeded with `seed`.

    `hidden_training()` trains with the global generators, as the lab's function does; the
    check seeds them itself to know which model seed 3 should give.
    """
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
        "the seed must decide the global generators that train_with_hidden_randomness draws from.",
    )
    repro.seed_everything(3)
    expected = hashing.sha256_state_dict(hidden_training())
    require(
        first == expected, 1,
        "the hash for seed 3 is not the hash of a model trained by train_with_hidden_randomness "
        "after seeding with 3 (a hash of something else is repeatable too, but proves nothing)",
        "seed, call train_with_hidden_randomness(x, y), and hash the model it returns.",
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
    params = record.get("params", {})
    require(
        "seed" in params and "split_seed" in params, 2,
        f"params should hold 'seed' and 'split_seed', has {sorted(params)}",
        "record every input that changes the result: both seeds first of all.",
    )
    accuracy = record.get("metrics", {}).get("test_accuracy")
    features, target = data.load_wdbc()
    _, x_test, _, y_test = training.split(features.to_numpy(), target.to_numpy(),
                                          split_seed=params["split_seed"])
    measured = training.accuracy(training.load_mlp(state), x_test, y_test)
    require(
        isinstance(accuracy, float) and abs(accuracy - measured) < 1e-9, 2,
        f"metrics.test_accuracy is {accuracy!r}, but the saved weights score {measured:.6f} on "
        f"the test split of split_seed={params['split_seed']}",
        "store the accuracy that training.train_and_score returned for the model you saved.",
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


def _accuracy(record: dict) -> float:
    return float(record["metrics"]["test_accuracy"])


def exercise_4(a: dict, b: dict, c: dict, cause: str) -> str:
    """Run `c` changes one of the two inputs that differ between `a` and `b`; `cause` follows.

    Between them, a -> c and c -> b each change one input, so the bigger accuracy step names
    the input that moved the result more (either answer passes when the two steps are equal).
    """
    to_c = {key for key in manifest.diff_manifests(a, c) if key.startswith(INPUT_SECTIONS)}
    sections = {"seed" if key == "params.seed" else key.split(".")[0] for key in to_c}
    require(
        sections in ({"data"}, {"seed"}), 4,
        f"run c should differ from run a in the data or in the seed alone; it differs in "
        f"{sorted(to_c)}",
        "train c with train_cli.run, changing only csv= (or only seed=) compared with run a.",
    )
    require(cause in {"data", "seed"}, 4, f"cause should be 'data' or 'seed', got {cause!r}",
            "answer with the input whose change moved the accuracy more.")
    changed_first = sections.pop()
    step_first, step_second = abs(_accuracy(c) - _accuracy(a)), abs(_accuracy(b) - _accuracy(c))
    other = "seed" if changed_first == "data" else "data"
    bigger = changed_first if step_first > step_second else other
    require(
        step_first == step_second or cause == bigger, 4,
        f"changing the {changed_first} moved the accuracy by {step_first:.4f}, changing the "
        f"{other} by {step_second:.4f}: the {bigger} explains more",
        "compare |acc(c) - acc(a)| with |acc(b) - acc(c)|: each step changes one input only.",
    )
    return passed(4, f"{changed_first}: {step_first:.4f}, {other}: {step_second:.4f} -> {cause}")


def exercise_5(
    serve: Callable[[list[list[float | None]]], np.ndarray],
    pipeline: Any,
    frame: pd.DataFrame,
) -> str:
    """`serve` gets rows as lists in alphabetical column order; it must match the pipeline."""
    holey = skew.inject_missing(frame, fraction=0.2, seed=2024)
    order = sorted(frame.columns)
    rows = [[None if pd.isna(value) else float(value) for value in row]
            for row in holey[order].itertuples(index=False)]
    served = np.asarray(serve(rows))
    expected = pipeline.predict(holey)
    require(
        served.shape == expected.shape, 5,
        f"serve returned {served.shape} predictions for {len(rows)} rows",
        "return one prediction per row.",
    )
    bad = int(np.sum(served != expected))
    require(
        bad == 0, 5, f"{bad} of {len(rows)} rows are served differently from the pipeline",
        "put each value under its column name (the client sends them sorted by name), and "
        "None as NaN so the pipeline's imputer fills it.",
    )
    try:
        serve([rows[0][:-1]])
    except ValueError as error:
        require(str(len(order)) in str(error), 5,
                f"the error for a short row does not say how many values are expected: {error}",
                f"say what was wrong and what to do: 'expected {len(order)} values, got ...'.")
    else:
        require(False, 5, "a row with a value missing at the end was served without complaint",
                "raise ValueError when a row does not have one value per feature.")
    return passed(5, f"serving agrees with training on all {len(rows)} rows, gaps included")


DECISIONS = ("ship B", "keep A", "not enough evidence")


def exercise_6(decide: Callable[[np.ndarray, np.ndarray], str]) -> str:
    """`decide(acc_a, acc_b)` (paired by seed) must ship only a clear, repeatable improvement.

    Three cases with a known answer: B better at every seed, B worse at every seed, and a
    difference smaller than its own noise, where keeping A or asking for more runs both pass.
    """
    rng = np.random.default_rng(6)
    base = 0.95 + rng.normal(0, 0.01, 10)
    cases = {
        "B is 2 points better at every seed": (base, base + 0.02 + rng.normal(0, 0.002, 10)),
        "B is 2 points worse at every seed": (base, base - 0.02 + rng.normal(0, 0.002, 10)),
        "B is 0.2 points better on average, +-1.5 points by seed": (
            base, base + 0.002 + rng.normal(0, 0.015, 10)),
    }
    allowed = [{"ship B"}, {"keep A", "not enough evidence"}, {"keep A", "not enough evidence"}]
    for (name, (acc_a, acc_b)), good in zip(cases.items(), allowed, strict=True):
        answer = decide(acc_a, acc_b)
        require(answer in DECISIONS, 6, f"decide returned {answer!r}",
                f"return one of {DECISIONS}.")
        require(
            answer in good, 6, f"{name}: decide said {answer!r}",
            "look at the paired differences acc_b - acc_a: ship only when their mean is clearly "
            "above zero compared with their spread (e.g. two standard errors).",
        )
    return passed(6, "ships the clear win, keeps A on the clear loss, does not ship noise")
