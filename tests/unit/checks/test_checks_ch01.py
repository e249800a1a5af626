"""The Chapter 1 self-checks pass right answers and explain wrong ones."""

import random

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from helpers import data, hashing, repro
from helpers.checks import CheckFailed
from helpers.checks import ch01 as check
from helpers.reproducibility import fingerprint, manifest, skew, training

CONFIG = training.TrainConfig(epochs=2)


@pytest.fixture(scope="module")
def wdbc():
    features, target = data.load_wdbc()
    return features, target


def hidden_randomness_hash(x, y):
    rows = np.random.choice(len(x), size=len(x))
    model = training.train_mlp(x[rows], y[rows], seed=random.randrange(10_000), config=CONFIG)
    return hashing.sha256_state_dict(model)


def test_exercise_1_passes_a_seeded_function_and_explains_an_unseeded_one(wdbc):
    x, y = wdbc[0].to_numpy(), wdbc[1].to_numpy()

    def seeded(seed):
        repro.seed_everything(seed)
        return hidden_randomness_hash(x, y)

    assert "passed" in check.exercise_1(seeded)
    with pytest.raises(CheckFailed, match=r"(?s)different model hashes.*Hint: call repro"):
        check.exercise_1(lambda seed: hidden_randomness_hash(x, y))
    with pytest.raises(CheckFailed, match="64-character sha256"):
        check.exercise_1(lambda seed: 42)


def test_exercise_2_checks_the_manifest_against_model_and_data(wdbc, tmp_path):
    x, y = wdbc[0].to_numpy(), wdbc[1].to_numpy()
    model, accuracy = training.train_and_score(x, y, split_seed=0, init_seed=0, config=CONFIG)
    model_path = tmp_path / "model.pt"
    torch.save(model.state_dict(), model_path)
    sections = dict(
        model={"file": "model.pt", "sha256": hashing.sha256_state_dict(model)},
        data={"sha256": hashing.sha256_file(data.verified_path(data.WDBC))},
        params={"seed": 0},
        metrics={"test_accuracy": accuracy},
        environment=fingerprint.environment_fingerprint(),
    )
    manifest.save_manifest(manifest.build_manifest(**sections), model_path)
    assert "passed" in check.exercise_2(model_path)
    wrong = {**sections, "data": {"sha256": "0" * 64}}
    manifest.save_manifest(manifest.build_manifest(**wrong), model_path)
    with pytest.raises(CheckFailed, match=r"not the hash of the bundled wdbc\.csv"):
        check.exercise_2(model_path)
    with pytest.raises(CheckFailed, match="does not exist"):
        check.exercise_2(tmp_path / "other.pt")


def test_exercise_3_wants_exactly_the_changed_inputs():
    base = dict(model={"sha256": "m"}, data={"sha256": "d"}, params={"seed": 0},
                metrics={"test_accuracy": 0.9}, environment={}, code={"commit": "c"})
    a = manifest.build_manifest(**base)
    b = manifest.build_manifest(**{**base, "params": {"seed": 1}, "model": {"sha256": "n"}})
    right = lambda a, b: {k for k in manifest.diff_manifests(a, b) if k.startswith("params.")}  # noqa: E731
    assert "passed" in check.exercise_3(right, a, b)
    with pytest.raises(CheckFailed, match=r"outputs or did not change: \['model.sha256'\]"):
        check.exercise_3(lambda a, b: set(manifest.diff_manifests(a, b)), a, b)
    with pytest.raises(CheckFailed, match="missing"):
        check.exercise_3(lambda a, b: set(), a, b)


def test_exercise_4_catches_zero_filling(wdbc):
    features, target = wdbc
    pipeline = make_pipeline(SimpleImputer(strategy="median"), LogisticRegression(max_iter=5000))
    pipeline.fit(features, target)
    columns = list(features.columns)

    def naive(records):
        rows = [[r.get(c) or 0.0 for c in columns] for r in records]
        return pipeline.predict(pd.DataFrame(rows, columns=columns))

    def right(records):
        return pipeline.predict(skew.records_to_frame(records, columns))

    assert "passed" in check.exercise_4(right, pipeline, features.head(100))
    with pytest.raises(CheckFailed, match=r"(?s)served differently.*Hint: send missing values"):
        check.exercise_4(naive, pipeline, features.head(100))
