"""Bundled data sets, verified against their recorded sha256 before use."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from helpers.hashing import sha256_file

DATA_ENV_VAR = "MLPROD_DATA_DIR"
CHECKSUMS_FILE = "SHA256SUMS"


class DataIntegrityError(RuntimeError):
    """A bundled data file is missing or does not match its recorded checksum."""


def data_dir() -> Path:
    """The course's ``data/`` folder (override with the MLPROD_DATA_DIR variable)."""
    override = os.environ.get(DATA_ENV_VAR)
    return Path(override) if override else Path(__file__).resolve().parents[1] / "data"


def recorded_checksums(root: Path | None = None) -> dict[str, str]:
    """Map relative path to sha256, read from ``data/SHA256SUMS`` (``sha256sum`` format)."""
    root = root or data_dir()
    sums_path = root / CHECKSUMS_FILE
    if not sums_path.exists():
        raise DataIntegrityError(
            f"{sums_path} is missing, so no data file can be verified. "
            "Restore it with `git checkout -- data/SHA256SUMS`."
        )
    sums = {}
    for line in sums_path.read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.lstrip("*")] = digest
    return sums


def verified_path(relative: str, root: Path | None = None) -> Path:
    """Path of a bundled file after checking it exists and matches its recorded sha256."""
    root = root or data_dir()
    sums = recorded_checksums(root)
    if relative not in sums:
        known = ", ".join(sorted(sums))
        raise KeyError(f"{relative!r} is not a bundled data file; known files: {known}")
    path = root / relative
    if not path.exists():
        raise DataIntegrityError(
            f"{path} is missing. It ships with the course: restore it with "
            f"`git checkout -- data/{relative}` (or clone the repository again)."
        )
    actual = sha256_file(path)
    if actual != sums[relative]:
        raise DataIntegrityError(
            f"{path} does not match its recorded checksum "
            f"(expected {sums[relative][:12]}…, found {actual[:12]}…): it was changed or "
            f"truncated. Restore it with `git checkout -- data/{relative}`; if you changed it "
            f"on purpose, record the new hash with `sha256sum {relative} >> SHA256SUMS` "
            "in data/ (and remove the old line)."
        )
    return path


WDBC = "wdbc/wdbc.csv"


def read_wdbc(path: str | Path) -> tuple[pd.DataFrame, pd.Series]:
    """Features and 0/1 ``malignant`` target from a CSV laid out like the bundled one."""
    frame = pd.read_csv(path)
    if "diagnosis" not in frame.columns:
        raise ValueError(f"{path} has no 'diagnosis' column, so it is not a wdbc-style file")
    target = (frame.pop("diagnosis") == "malignant").astype(int).rename("malignant")
    return frame, target


def load_wdbc(root: Path | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Breast-cancer diagnosis data (verified): 30 numeric features, 0/1 ``malignant``."""
    return read_wdbc(verified_path(WDBC, root))


SENTIMENT = {
    "amazon": "sentiment/amazon_cells_labelled.txt",
    "yelp": "sentiment/yelp_labelled.txt",
}


def read_sentences(path: str | Path, source: str) -> pd.DataFrame:
    """Rows ``text``, ``label`` (0/1), ``source`` from a ``sentence<TAB>label`` file."""
    rows = []
    lines = Path(path).read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line:
            continue
        # Split on the last tab only: no csv quoting, so quotes in a sentence stay as written.
        text, tab, label = line.rpartition("\t")
        if not tab or not text or label not in ("0", "1"):
            raise ValueError(
                f"{path}, line {number}: expected 'sentence<TAB>0' or 'sentence<TAB>1', "
                f"found {line[:60]!r}"
            )
        rows.append((text, int(label), source))
    return pd.DataFrame(rows, columns=["text", "label", "source"])


def load_sentences(root: Path | None = None) -> pd.DataFrame:
    """Amazon then Yelp review sentences (verified): ``text``, 0/1 ``label``, ``source``."""
    frames = [read_sentences(verified_path(relative, root), source)
              for source, relative in SENTIMENT.items()]
    return pd.concat(frames, ignore_index=True)
