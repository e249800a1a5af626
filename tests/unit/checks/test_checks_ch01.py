"""The Chapter 1 self-checks pass right answers and explain wrong ones."""

import hashlib
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
from helpers.reproducibility import fingerprint, manifest, training

CONFIG = training.TrainConfig(epochs=2)


@pytest.fixture(scope="module")
def wdbc():
    features, target = data.load_wdbc()
    return features, target


def hidden_randomness_hash(x, y):
    rows = np.random.choice(len(x), size=len(x))
    model = training.train_mlp(x[rows], y[rows], seed=random.randrange(10_000), config=CONFIG)
    return hashing.sha256_state_dict(model)


def test_exercise_1_wants_the_hash_of_the_seeded_model_itself(wdbc):
    x, y = wdbc[0].to_numpy(), wdbc[1].to_numpy()

    def hidden():
        rows = np.random.choice(len(x), size=len(x))
        return training.train_mlp(x[rows], y[rows], seed=random.randrange(10_000), config=CONFIG)

    def seeded(seed):
        repro.seed_everything(seed)
        return hashing.sha256_state_dict(hidden())

    assert "passed" in check.exercise_1(seeded, hidden)
    with pytest.raises(CheckFailed, match=r"(?s)different model hashes.*Hint: call repro"):
        check.exercise_1(lambda seed: hashing.sha256_state_dict(hidden()), hidden)
    with pytest.raises(CheckFailed, match="64-character sha256"):
        check.exercise_1(lambda seed: 42, hidden)
    # repeatable and seed-dependent, but no model was trained: the hash of the seed itself
    with pytest.raises(CheckFailed, match="proves nothing"):
        check.exercise_1(lambda seed: hashlib.sha256(str(seed).encode()).hexdigest(), hidden)


def test_exercise_2_checks_the_manifest_against_model_and_data(wdbc, tmp_path):
    x, y = wdbc[0].to_numpy(), wdbc[1].to_numpy()
    model, accuracy = training.train_and_score(x, y, split_seed=0, init_seed=0, config=CONFIG)
    model_path = tmp_path / "model.pt"
    torch.save(model.state_dict(), model_path)
    sections = dict(
        model={"file": "model.pt", "sha256": hashing.sha256_state_dict(model)},
        data={"sha256": hashing.sha256_file(data.verified_path(data.WDBC))},
        params={"seed": 0, "split_seed": 0},
        metrics={"test_accuracy": accuracy},
        environment=fingerprint.environment_fingerprint(),
    )
    manifest.save_manifest(manifest.build_manifest(**sections), model_path)
    assert "passed" in check.exercise_2(model_path)
    made_up = {**sections, "metrics": {"test_accuracy": 0.5}}  # in [0, 1], but not measured
    manifest.save_manifest(manifest.build_manifest(**made_up), model_path)
    with pytest.raises(CheckFailed, match="saved weights score"):
        check.exercise_2(model_path)
    no_split = {**sections, "params": {"seed": 0}}
    manifest.save_manifest(manifest.build_manifest(**no_split), model_path)
    with pytest.raises(CheckFailed, match="split_seed"):
        check.exercise_2(model_path)
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


def record(seed, data_sha, accuracy):
    return manifest.build_manifest(
        model={"sha256": f"m{seed}{data_sha}"}, data={"sha256": data_sha, "rows": 569},
        params={"seed": seed, "split_seed": 0}, metrics={"test_accuracy": accuracy},
        environment={}, code={"commit": "c"})


def test_exercise_4_names_the_input_behind_the_bigger_step():
    a, b = record(0, "d1", 0.958), record(1, "d2", 0.930)
    c_data = record(0, "d2", 0.951)  # data changed: -0.007; then the seed: -0.021
    assert "passed" in check.exercise_4(a, b, c_data, "seed")
    with pytest.raises(CheckFailed, match="the seed explains more"):
        check.exercise_4(a, b, c_data, "data")
    c_seed = record(1, "d1", 0.937)  # seed changed: -0.021; then the data: -0.007
    assert "passed" in check.exercise_4(a, b, c_seed, "seed")
    with pytest.raises(CheckFailed, match="in the data or in the seed alone"):
        check.exercise_4(a, b, b, "seed")  # both inputs changed at once: nothing isolated
    with pytest.raises(CheckFailed, match="should be 'data' or 'seed'"):
        check.exercise_4(a, b, c_data, "both")


def test_exercise_5_serves_alphabetical_lists_like_the_pipeline(wdbc):
    features, target = wdbc
    pipeline = make_pipeline(SimpleImputer(strategy="median"), LogisticRegression(max_iter=5000))
    pipeline.fit(features, target)
    columns = list(features.columns)

    def right(rows):
        if any(len(row) != len(columns) for row in rows):
            raise ValueError(f"expected {len(columns)} values per row")
        frame = pd.DataFrame(rows, columns=sorted(columns), dtype=float)
        return pipeline.predict(frame[columns])

    def training_order(rows):  # forgets that the client sorts by name
        return pipeline.predict(pd.DataFrame(rows, columns=columns, dtype=float))

    def zero_filled(rows):
        filled = [[0.0 if value is None else value for value in row] for row in rows]
        return right(filled)

    def silent(rows):
        return right([row + [None] * (len(columns) - len(row)) for row in rows])

    head = features.head(100)
    assert "passed" in check.exercise_5(right, pipeline, head)
    with pytest.raises(CheckFailed, match="served differently"):
        check.exercise_5(training_order, pipeline, head)
    with pytest.raises(CheckFailed, match="served differently"):
        check.exercise_5(zero_filled, pipeline, head)
    with pytest.raises(CheckFailed, match="without complaint"):
        check.exercise_5(silent, pipeline, head)


def test_exercise_6_ships_only_a_clear_win():
    def two_standard_errors(acc_a, acc_b):
        diff = np.asarray(acc_b) - np.asarray(acc_a)
        margin = 2 * diff.std(ddof=1) / np.sqrt(len(diff))
        if diff.mean() > margin:
            return "ship B"
        return "keep A" if diff.mean() < -margin else "not enough evidence"

    assert "passed" in check.exercise_6(two_standard_errors)
    with pytest.raises(CheckFailed, match=r"0\.2 points better"):
        check.exercise_6(lambda a, b: "ship B" if np.mean(b) > np.mean(a) else "keep A")
    with pytest.raises(CheckFailed, match="2 points better"):
        check.exercise_6(lambda a, b: "not enough evidence")
    with pytest.raises(CheckFailed, match="return one of"):
        check.exercise_6(lambda a, b: True)
