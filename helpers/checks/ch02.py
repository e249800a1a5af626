"""Self-checks for the Chapter 2 lab (serialization and model storage)."""

from __future__ import annotations

import contextlib
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from helpers import hashing
from helpers.checks import passed, require
from helpers.storage import artifacts


def _probe_data() -> tuple[np.ndarray, np.ndarray]:
    """A small seeded classification problem for the checks' own models."""
    rng = np.random.default_rng(2)
    features = rng.normal(size=(80, 4))
    return features, (features[:, 0] + features[:, 1] > 0).astype(int)


def _probe_model(c: float = 1.0) -> Any:
    """A fitted logistic regression (C sets how strongly it is regularised)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c).fit(*_probe_data())


def exercise_1(save_model: Callable[[Any, Path], str]) -> str:
    """`save_model(model, path)` must write a skops file atomically and record its sha256."""
    model = _probe_model()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "models" / "model.skops"
        path.parent.mkdir()
        path.write_bytes(b"an older model")
        inode = path.stat().st_ino
        digest = save_model(model, path)
        require(
            isinstance(digest, str) and len(digest) == 64, 1,
            f"save_model should return the file's 64-character sha256 hex, got {digest!r}",
            "return the digest, e.g. the value of artifacts.record_sha256(path).",
        )
        require(
            digest == hashing.sha256_file(path), 1,
            "the returned digest is not the sha256 of the file on disk",
            "hash the bytes you wrote (hashing.sha256_file(path) after writing).",
        )
        sums = artifacts.checksum_path(path)
        require(
            sums.exists() and artifacts.recorded_sha256(path) == digest, 1,
            f"no matching sha256 recorded in {sums.name} beside the model",
            "call artifacts.record_sha256(path) after writing the file.",
        )
        require(
            path.stat().st_ino != inode, 1,
            "the old file was overwritten in place: a crash half-way would destroy it",
            "write to a temporary file in the same folder, then os.replace it over the old "
            "name (artifacts.atomic_write_bytes does this).",
        )
        require(
            artifacts.stale_temp_files(path.parent) == [], 1,
            "temporary files were left in the folder",
            "let os.replace move the temporary file: it then no longer exists under its name.",
        )
        loaded = artifacts.load_skops(path)
        require(
            np.array_equal(loaded.predict(_probe_data()[0]), model.predict(_probe_data()[0])), 1,
            "the saved model does not predict like the original",
            "serialize the model itself: artifacts.skops_bytes(model) returns its skops bytes.",
        )
    return passed(1, "atomic write, sha256 recorded beside the file, and it loads back")


class _Marker:
    """A pickle payload that only creates a marker file when unpickled."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.path,))


def exercise_2(verify_and_load: Callable[[Path, str], Any]) -> str:
    """`verify_and_load(path, sha)` must load intact skops files and refuse anything else."""
    model = _probe_model()
    with tempfile.TemporaryDirectory() as tmp:
        good = Path(tmp) / "good.skops"
        digest = artifacts.save_skops(model, good)
        loaded = verify_and_load(good, digest)
        require(
            hasattr(loaded, "predict"), 2,
            f"an intact file should give back the model, got {type(loaded).__name__}",
            "return the loaded model (skops.io.loads or artifacts.load_skops).",
        )
        bad = Path(tmp) / "tampered.skops"
        data = bytearray(good.read_bytes())
        data[len(data) // 2] ^= 0x01
        bad.write_bytes(bytes(data))
        _require_refusal(verify_and_load, bad, digest, "a file with one bit flipped")
        _require_refusal(verify_and_load, good, "0" * 64, "an intact file with the wrong hash")
        marker = Path(tmp) / "pickle-ran.txt"
        disguised = Path(tmp) / "disguised.skops"
        disguised.write_bytes(pickle.dumps(_Marker(marker)))
        with contextlib.suppress(Exception):  # any refusal is right; running the payload is not
            verify_and_load(disguised, hashing.sha256_file(disguised))
        require(
            not marker.exists(), 2,
            "a pickle disguised as a .skops file (with a correct hash) ran its code",
            "never call pickle.load/joblib.load: load with skops, which cannot run code.",
        )
    return passed(2, "intact files load; tampered files and disguised pickles are refused")


def _require_refusal(load: Callable[[Path, str], Any], path: Path, sha: str, what: str) -> None:
    """Exercise 2: `load(path, sha)` must raise TamperedArtifactError."""
    try:
        load(path, sha)
    except artifacts.TamperedArtifactError:
        return
    except Exception as error:  # reported to the student below
        require(
            False, 2, f"{what} raised {type(error).__name__}, not TamperedArtifactError",
            "compare the sha256 of the bytes with the expected one BEFORE parsing them, and "
            "raise artifacts.TamperedArtifactError(path, expected, found) when they differ.",
        )
    require(
        False, 2, f"{what} was loaded without complaint",
        "hash the file's bytes (artifacts.sha256_bytes) and compare with expected_sha256.",
    )


def exercise_3(promote_if_better: Callable[[Any, str, int], bool], registry: Any) -> str:
    """`promote_if_better(registry, name, version)` must promote only a better challenger."""
    name = f"lab-check-{len(registry.names())}"
    versions = {}
    for accuracy in (0.90, 0.95, 0.85):
        info = registry.register(name, _probe_model(), metrics={"accuracy": accuracy},
                                 data_sha256="0" * 64)
        versions[accuracy] = info.version
    first = promote_if_better(registry, name, versions[0.90])
    require(
        first is True and registry.info(name, "champion").version == versions[0.90], 3,
        "with no champion yet, the first challenger should become champion (and return True)",
        "when the model has no 'champion' alias (KeyError), promote the challenger.",
    )
    better = promote_if_better(registry, name, versions[0.95])
    require(
        better is True and registry.info(name, "champion").version == versions[0.95], 3,
        "a challenger with a higher accuracy was not promoted to champion",
        "compare info.metrics['accuracy'] of challenger and champion; promote if higher.",
    )
    worse = promote_if_better(registry, name, versions[0.85])
    require(
        worse is False and registry.info(name, "champion").version == versions[0.95], 3,
        "a challenger with a lower accuracy replaced the champion (or True was returned)",
        "promote only when the challenger's metric is strictly better; return False otherwise.",
    )
    require(
        registry.info(name, "challenger").version == versions[0.85], 3,
        "the version under evaluation does not carry the 'challenger' alias",
        "start with registry.set_alias(name, 'challenger', version).",
    )
    try:
        restored = registry.rollback(name)
    except ValueError:
        restored = None
    require(
        restored == versions[0.90], 3,
        "rollback did not return to the previous champion: the promotion left no history",
        "move the champion with registry.promote(name, version), which remembers the old one.",
    )
    return passed(3, f"better challenger promoted, worse one kept out, rollback to v{restored}")
