"""Chapter 1's claims, checked on the real command: same inputs give the same model."""

import json
import subprocess
import sys

import pytest

from helpers import data
from helpers.reproducibility import manifest


def train(out, *extra):
    result = subprocess.run(
        [sys.executable, "-m", "helpers.reproducibility.train_cli", "--out", str(out), *extra],
        check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run_a")
    return out, train(out)


def test_two_fresh_processes_train_bit_identical_models(first_run, tmp_path):
    _, summary = first_run
    again = train(tmp_path)
    assert again["model_sha256"] == summary["model_sha256"]
    assert summary["test_accuracy"] > 0.9


def test_changed_data_changes_the_model_and_the_manifest_says_why(first_run, tmp_path):
    out_a, summary = first_run
    edited = tmp_path / "wdbc_edited.csv"
    lines = data.verified_path(data.WDBC).read_text().splitlines()
    edited.write_text("\n".join(lines[:-1]) + "\n")  # one patient dropped
    summary_b = train(tmp_path / "run_b", "--data", str(edited))
    assert summary_b["model_sha256"] != summary["model_sha256"]
    changed = manifest.diff_manifests(manifest.load_manifest(out_a / "model.pt"),
                                      manifest.load_manifest(tmp_path / "run_b" / "model.pt"))
    assert {"data.sha256", "data.rows", "data.file", "model.sha256"} <= set(changed)
    assert not any(key.startswith("params.") for key in changed)
