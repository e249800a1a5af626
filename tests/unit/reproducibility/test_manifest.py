import subprocess

import pytest

from helpers.reproducibility import manifest


def make(**overrides):
    parts = dict(
        model={"file": "model.pt", "sha256": "m1"},
        data={"file": "d.csv", "sha256": "d1", "rows": 10},
        params={"seed": 0, "lr": 0.01},
        metrics={"test_accuracy": 0.9},
        environment={"packages": {"numpy": "2"}},
        code={"commit": "abc", "dirty": False},
    )
    parts.update(overrides)
    return manifest.build_manifest(**parts)


def test_round_trip_beside_the_model(tmp_path):
    record = make()
    path = manifest.save_manifest(record, tmp_path / "model.pt")
    assert path.name == "model.manifest.json"
    assert manifest.load_manifest(tmp_path / "model.pt") == record
    assert manifest.load_manifest(path) == record


def test_diff_names_changed_inputs_and_ignores_timestamps():
    a = make()
    b = make(params={"seed": 1, "lr": 0.01}, data={"file": "d.csv", "sha256": "d2", "rows": 9})
    b["created_at"] = "another time"
    assert manifest.diff_manifests(a, b) == {
        "data.rows": (10, 9),
        "data.sha256": ("d1", "d2"),
        "params.seed": (0, 1),
    }
    assert manifest.diff_manifests(a, a) == {}


def test_diff_sees_added_keys():
    a = make()
    b = make(params={"seed": 0, "lr": 0.01, "epochs": 5})
    assert manifest.diff_manifests(a, b) == {"params.epochs": (None, 5)}


def test_manifest_without_hashes_is_refused():
    with pytest.raises(ValueError, match="'data' section needs a 'sha256'"):
        make(data={"file": "d.csv"})


def test_code_version_in_a_git_repo_and_outside(tmp_path):
    assert manifest.code_version(tmp_path) == {"commit": None, "dirty": None}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "f.txt").write_text("1")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "add", "f.txt"], check=True)
    subprocess.run([*git, "commit", "-qm", "x"], check=True)
    clean = manifest.code_version(tmp_path)
    assert len(clean["commit"]) == 40 and clean["dirty"] is False
    (tmp_path / "f.txt").write_text("2")
    assert manifest.code_version(tmp_path)["dirty"] is True
