"""Train the Chapter 1 model in a fresh process and save it with its run manifest.

Run as ``python -m helpers.reproducibility.train_cli --out DIR``; it prints one JSON line with the
model's hash, so a notebook or a test can compare two runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from helpers import data, hashing, repro
from helpers.reproducibility import fingerprint, manifest, training


def load_training_data(csv: Path | None) -> tuple[pd.DataFrame, pd.Series, dict]:
    """The bundled data (verified) or a given CSV, with the data section of a manifest."""
    path = data.verified_path(data.WDBC) if csv is None else csv
    frame, target = data.read_wdbc(path)
    section = {"file": path.name, "sha256": hashing.sha256_file(path), "rows": len(frame)}
    return frame, target, section


def run(out: Path, seed: int, split_seed: int, threads: int, csv: Path | None) -> dict:
    """Train once, save ``model.pt`` and ``model.manifest.json`` in `out`, return a summary."""
    import torch

    settings = repro.seed_everything(seed, threads=threads)
    features, target, data_section = load_training_data(csv)
    config = training.TrainConfig()
    model, test_accuracy = training.train_and_score(
        features.to_numpy(), target.to_numpy(), split_seed=split_seed, init_seed=seed,
        config=config,
    )
    out.mkdir(parents=True, exist_ok=True)
    model_path = out / "model.pt"
    torch.save(model.state_dict(), model_path)
    record = manifest.build_manifest(
        model={"file": model_path.name, "sha256": hashing.sha256_state_dict(model)},
        data=data_section,
        params={**config.as_dict(), "split_seed": split_seed, **repro.settings_dict(settings)},
        metrics={"test_accuracy": round(test_accuracy, 6)},
        environment=fingerprint.environment_fingerprint(),
        code=manifest.code_version(Path(__file__).resolve().parents[2]),
    )
    manifest.save_manifest(record, model_path)
    return {"model_sha256": record["model"]["sha256"], "test_accuracy": test_accuracy}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for model + manifest")
    parser.add_argument("--seed", type=int, default=0, help="weights and batch-order seed")
    parser.add_argument("--split-seed", type=int, default=0, help="train/test split seed")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for torch/BLAS")
    parser.add_argument("--data", type=Path, default=None, help="CSV instead of bundled data")
    args = parser.parse_args(argv)
    summary = run(args.out, args.seed, args.split_seed, args.threads, args.data)
    json.dump(summary, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
