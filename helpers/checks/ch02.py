"""Self-checks for the Chapter 2 lab (serialization and model storage)."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
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
    """`save_model(model, path)`: atomic, same-folder temp file, cleaned up on error, hashed."""
    model = _probe_model()
    with tempfile.TemporaryDirectory() as tmp, _written_by_hand():
        path = Path(tmp) / "models" / "model.skops"
        path.parent.mkdir()
        path.write_bytes(b"an older model")
        inode = path.stat().st_ino
        with _recording_replace() as replaced:
            digest = save_model(model, path)
        _check_saved(model, path, digest, inode, replaced)
        _check_failure_cleanup(save_model, model, path)
    return passed(1, "atomic write in the same folder, cleaned up on failure, sha256 recorded")


@contextlib.contextmanager
def _written_by_hand() -> Iterator[None]:
    """Exercise 1 asks for the steps themselves: the ready-made savers refuse the model file
    while it runs (recording the sha256 beside it with `artifacts.record_sha256` still works)."""
    saved = {name: getattr(artifacts, name) for name in _READY_MADE}

    def guarded(name: str) -> Callable[..., Any]:
        def saver(target: Any, *args: Any, **kwargs: Any) -> Any:
            if name != "save_skops" and str(target).endswith(artifacts.CHECKSUM_SUFFIX):
                return saved[name](target, *args, **kwargs)
            require(False, 1, f"save_model called artifacts.{name}, a ready-made atomic saver",
                    "write the steps yourself: temporary file, flush, fsync, os.replace, "
                    "clean-up on error.")
            return None

        return saver

    try:
        for name in _READY_MADE:
            setattr(artifacts, name, guarded(name))
        yield
    finally:
        for name, function in saved.items():
            setattr(artifacts, name, function)


_READY_MADE = ("atomic_write", "atomic_write_bytes", "atomic_write_chunks", "save_skops")


@contextlib.contextmanager
def _recording_replace() -> Iterator[list[tuple[Path, Path]]]:
    """Record every os.replace / os.rename(source, destination) made inside the block."""
    calls: list[tuple[Path, Path]] = []
    originals = {"replace": os.replace, "rename": os.rename}

    def recording(name: str) -> Callable[..., None]:
        def move(source: Any, destination: Any, *args: Any, **kwargs: Any) -> None:
            calls.append((Path(source), Path(destination)))
            originals[name](source, destination, *args, **kwargs)

        return move

    try:
        for name in originals:
            setattr(os, name, recording(name))
        yield calls
    finally:
        for name, function in originals.items():
            setattr(os, name, function)


def _check_saved(model: Any, path: Path, digest: Any, inode: int, replaced: list) -> None:
    """Exercise 1: the new file is in place, renamed from the same folder, with its hash."""
    require(
        isinstance(digest, str) and len(digest) == 64 and digest == hashing.sha256_file(path), 1,
        f"save_model should return the sha256 hex of the file on disk, got {digest!r}",
        "hash the bytes you wrote (artifacts.sha256_bytes) and return the digest.",
    )
    require(
        path.stat().st_ino != inode and any(dest == path for _, dest in replaced), 1,
        "the old file was overwritten in place: a crash half-way would destroy it",
        "write to a temporary file, then os.replace it over the old name.",
    )
    sources = [source for source, dest in replaced if dest == path]
    require(
        all(source.parent == path.parent for source in sources), 1,
        "the temporary file was not in the model's folder: a rename across file systems is "
        "not atomic (os.replace even refuses it), and /tmp is often another file system",
        "create the temporary file beside the target: path.with_name('.' + path.name + '.tmp').",
    )
    require(
        artifacts.checksum_path(path).exists() and artifacts.recorded_sha256(path) == digest, 1,
        f"no matching sha256 recorded in {artifacts.checksum_path(path).name} beside the model",
        "call artifacts.record_sha256(path, digest) after the rename.",
    )
    require(
        not artifacts.stale_temp_files(path.parent)
        and np.array_equal(artifacts.load_skops(path, digest).predict(_probe_data()[0]),
                           model.predict(_probe_data()[0])), 1,
        "a temporary file was left behind, or the saved model does not predict like the original",
        "serialize with artifacts.skops_bytes(model) and let os.replace move the temporary file.",
    )


def _check_failure_cleanup(save_model: Callable[[Any, Path], str], model: Any, path: Path) -> None:
    """Exercise 1: when fsync fails (a full disk), the old file stays and no temp file is left."""
    before = path.read_bytes()
    original = os.fsync

    def failing(fd: int) -> None:
        raise OSError(28, "No space left on device (simulated by the self-check)")

    os.fsync = failing
    try:
        save_model(model, path)
        raised = False
    except OSError:
        raised = True
    finally:
        os.fsync = original
    require(
        raised and path.read_bytes() == before, 1,
        "when fsync failed, save_model did not raise, or the old model was changed",
        "let the error propagate (re-raise it) and only os.replace after a successful fsync.",
    )
    left = [p.name for p in path.parent.iterdir() if p.name not in (path.name,
                                                                    path.name + ".sha256")]
    require(
        not left, 1,
        f"after the failed save these files were left in the folder: {left}",
        "wrap the steps in try/except BaseException: delete the temporary file, then raise.",
    )


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
        artifacts.record_sha256(bad, digest)  # the hash beside it is the original one
        _require_refusal(verify_and_load, bad, digest, "a file with one bit flipped")
        swapped = Path(tmp) / "swapped.skops"
        artifacts.save_skops(_probe_model(c=1e-4), swapped)  # a new file AND its hash beside it
        _require_refusal(
            verify_and_load, swapped, digest,
            "a replaced file whose hash beside it was replaced too (the expected hash was not)",
            "you trusted the NAME.sha256 file beside the model, which whoever replaced the model "
            "replaced as well: compare with the expected_sha256 argument, which comes from the "
            "registry's database.",
        )
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


def _require_refusal(
    load: Callable[[Path, str], Any], path: Path, sha: str, what: str, hint: str = ""
) -> None:
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
        hint or "hash the file's bytes (artifacts.sha256_bytes) and compare with expected_sha256.",
    )


class _Answers:
    """A stand-in model whose predictions are fixed per row (rows are passed as their index)."""

    def __init__(self, answers: np.ndarray) -> None:
        self.answers = np.asarray(answers)

    def predict(self, rows: Any) -> np.ndarray:
        return self.answers[np.asarray(rows, dtype=int)[:, 0]]


def _promotion_registry() -> tuple[Any, np.ndarray, np.ndarray]:
    """Five versions judged on 140 rows (target all 0): 30, 10, 10 (a copy), 9, 0 mistakes."""
    from helpers.service.memory import MemoryRegistry

    target = np.zeros(140, dtype=int)
    answers = []
    for mistakes in (30, 10, 10, 9, 0):
        wrong = target.copy()
        wrong[:mistakes] = 1  # each version's mistakes are a subset of the previous one's
        answers.append(_Answers(wrong))
    return MemoryRegistry(answers, aliases={}), np.arange(140)[:, None], target


def exercise_3(promote_if_better: Callable[..., bool]) -> str:
    """`promote_if_better(registry, name, version, features, target, margin)`: interval rule."""
    from helpers.storage import promotion

    registry, rows, target = _promotion_registry()

    def step(version: int, margin: float) -> Any:
        return promote_if_better(registry, "m", version, rows, target, margin)

    ready_made = promotion.promote_if_better
    promotion.promote_if_better = _refuse_ready_made
    try:
        _require_steps(step, registry)
    finally:
        promotion.promote_if_better = ready_made
    return passed(3, "a real improvement promoted; a one-row lead, a tie and a gain under the "
                     "margin kept out; rollback to v1")


def _refuse_ready_made(*args: Any, **kwargs: Any) -> None:
    """Exercise 3 asks for the policy itself, not a call of the finished helper."""
    require(False, 3, "you called helpers.storage.promotion.promote_if_better",
            "write the policy yourself; promotion.paired_bootstrap may compute the interval.")


def _champion(registry: Any) -> int | None:
    """The champion's version in the check's registry, or None."""
    return registry.aliases.get("champion")


def _require_steps(step: Callable[[int, float], Any], registry: Any) -> None:
    """Exercise 3: five decisions in turn, the aliases they leave, and the alias history."""
    first, second = step(1, 0.0), None
    if first is True and _champion(registry) == 1:
        second = step(2, 0.0)
    require(
        (first, second) == (True, True) and _champion(registry) == 2, 3,
        "the first version (no champion yet) and then a version with 20 fewer mistakes in 140 "
        f"rows should both be promoted; your function returned {first}, then {second}",
        "with no 'champion' alias (KeyError), promote at once; otherwise promote when the "
        "interval's lower end is above the margin.",
    )
    require(
        step(3, 0.0) is False and _champion(registry) == 2, 3,
        "a challenger that predicts exactly like the champion was promoted: the rule must be "
        "strictly better (lower end > margin), not >=",
        "use a strict comparison: low > margin.",
    )
    require(
        step(4, 0.0) is False and _champion(registry) == 2, 3,
        "a challenger right on ONE more row of 140 was promoted: that is the point-estimate "
        "rule, and one row is noise",
        "compute the paired bootstrap interval of the accuracy difference and promote only "
        "when its lower end is above the margin.",
    )
    require(
        step(5, 0.05) is False and _champion(registry) == 2, 3,
        "with margin=0.05, a challenger whose interval starts below 0.05 was promoted",
        "compare the interval's lower end with the `margin` argument, not with 0.",
    )
    require(
        registry.info("m", "challenger").version == 5, 3,
        "the version under evaluation does not carry the 'challenger' alias",
        "start with registry.set_alias(name, 'challenger', version).",
    )
    try:
        restored = registry.rollback("m")
    except ValueError:
        restored = None
    require(
        restored == 1, 3,
        "rollback did not return to the previous champion: the promotion left no history",
        "move the champion with registry.promote(name, version), which remembers the old one.",
    )


# Exercise 4: which format to ship. Formats that cannot run code when loaded, and why others fail.
SCENARIOS = {
    "partner uploads": "untrusted source, Python service",
    "java service": "served from Java, no Python runtime",
    "edge device": "trusted files from our CI, smallest download",
    "feature array": "2 GB array, 8 workers on one 4 GB machine, each reads its own rows",
}
_SAFE_MODEL_FORMATS = {"skops", "onnx"}
_SLICEABLE_ARRAY_FORMATS = {"joblib mmap_mode='r'", "hdf5 contiguous", "hdf5 gzip chunked",
                            "hdf5 lzf chunked"}


def acceptable_formats(table: Any) -> dict[str, set[str]]:
    """Every defensible answer per scenario, given the lab's measured table."""
    models = table[~table["subject"].str.startswith(("array", "torch"))]
    smallest = models["size_mb"].min()
    return {
        "partner uploads": _SAFE_MODEL_FORMATS,
        "java service": {"onnx"},
        "edge device": set(models.loc[models["size_mb"] <= 1.1 * smallest, "format"]),
        "feature array": _SLICEABLE_ARRAY_FORMATS,
    }


_WHY_NOT = {
    "partner uploads": "pickle and joblib files run code when loaded, so a compromised partner "
                       "account could run anything on your servers; pick a format that cannot.",
    "java service": "only ONNX runs outside Python (onnxruntime has Java, C#, C++ and JS APIs).",
    "edge device": "the constraint is size: pick a format within 10% of the smallest model file "
                   "in the measured table (the source is trusted, so every format is allowed).",
    "feature array": "a plain, pickle or compressed load reads the whole 2 GB array in every "
                     "worker (16 GB); memory-map an UNcompressed joblib file, or read row "
                     "slices from HDF5.",
}


def exercise_4(choices: dict[str, tuple[str, str]], table: Any) -> str:
    """`choices[scenario] = (format, reason)`: each format defensible for its scenario."""
    require(
        isinstance(choices, dict) and set(choices) == set(SCENARIOS), 4,
        f"choices should have exactly these keys: {sorted(SCENARIOS)}",
        "fill in one (format, reason) pair per scenario.",
    )
    known = set(table["format"])
    acceptable = acceptable_formats(table)
    for scenario, answer in choices.items():
        fmt, reason = answer if isinstance(answer, tuple) and len(answer) == 2 else (answer, "")
        require(
            fmt in known, 4, f"{scenario}: {fmt!r} is not a format in the measured table",
            f"use one of the `format` column's names: {sorted(known)}.",
        )
        require(
            isinstance(reason, str) and len(reason.split()) >= 3, 4,
            f"{scenario}: give a reason of a few words with the format",
            "write (format, reason): the reason is what a reviewer would ask you for.",
        )
        require(fmt in acceptable[scenario], 4, f"{scenario}: {fmt!r} does not fit",
                _WHY_NOT[scenario])
    return passed(4, "each format fits its deployment's constraints")
