"""Release a version: compress it, test what will be served, register it (Chapter 11).

One step that joins three chapters. The fitted model is exported to ONNX (Chapter 2) and
quantized to int8 (Chapter 9); the behavioural contract (Chapter 8) runs on the int8 model,
the artefact the service will answer with, not on its float original; and the registry
(Chapter 2) stores the version with its metrics, hashes and contract results, whether it
passed or not, so a refused candidate leaves a record too. `promote` then refuses a version
whose contract failed, naming the failing tests; `promote_if_better` also asks Chapter 2's
policy whether it beats the champion on the rows it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Release:
    """A registered version and what was checked before it could serve."""

    info: Any  # helpers.storage.registry.ModelVersionInfo
    contract: Any  # helpers.behavior.gate.SuiteRun, run on the int8 model
    float_bytes: int  # size of the float32 ONNX export
    int8_bytes: int  # size of the int8 copy that is registered and served
    agreement: float  # share of the evaluation rows on which int8 and the fitted model agree
    accuracy: float  # of the int8 model on the evaluation rows

    @property
    def version(self) -> int:
        """The registered version number."""
        return int(self.info.version)

    @property
    def smaller(self) -> float:
        """How many times smaller the int8 file is than the float32 one."""
        return self.float_bytes / self.int8_bytes


def release(registry: Any, name: str, model: Any, *, x_eval: Any, y_eval: Any,
            cases: Any, data_sha256: str, folder: str | Path, params: dict | None = None,
            seed: int = 0) -> Release:
    """Export, quantize, run the contract on the int8 model, register; return the Release."""
    from helpers.capstone import contract
    from helpers.compression import quantize
    from helpers.service.backends import OnnxBackend
    from helpers.storage import onnx

    x_eval = np.asarray(x_eval, dtype=np.float32)
    y_eval = np.asarray(y_eval)
    if len(x_eval) != len(y_eval) or len(x_eval) == 0:
        raise ValueError(f"need evaluation rows with one label each: {len(x_eval)} rows, "
                         f"{len(y_eval)} labels")
    exported = onnx.export(model, x_eval[:1])
    int8 = quantize.onnx_dynamic(exported, folder)
    served = OnnxBackend(onnx.session(int8))
    answers = served.predict_proba(x_eval).argmax(axis=1)
    agreement = float(np.mean(answers == np.asarray(model.predict(x_eval))))
    accuracy = float(np.mean(answers == y_eval))
    checked = contract.run(served, cases, seed=seed)
    metrics = {"accuracy": accuracy, "int8_agreement": agreement,
               "contract_passed": checked.passed, "contract_failed": len(checked.failed)}
    info = registry.register(
        name, model, metrics=metrics, data_sha256=data_sha256, onnx_model=int8,
        params={**(params or {}), "contract": contract.summary(checked)[:500]})
    return Release(info, checked, len(exported), len(int8), agreement, accuracy)


def promote(registry: Any, name: str, candidate: Release) -> None:
    """Make the version champion; raise Chapter 8's PromotionRefused if its contract failed."""
    _require_contract(name, candidate)
    registry.promote(name, candidate.version)


def promote_if_better(registry: Any, name: str, candidate: Release, features: Any, target: Any,
                      *, margin: float = 0.0, seed: int = 0) -> Any:
    """The contract first (PromotionRefused if it failed), then Chapter 2's policy: promote
    only if the candidate beats the champion by more than the noise on these rows.

    Returns Chapter 2's Comparison (None when there was no champion to compare with). The
    policy is only as good as the rows it is given: rows from before a change in the world
    judge a candidate on a world that is gone.
    """
    from helpers.storage import promotion

    _require_contract(name, candidate)
    return promotion.promote_if_better(registry, name, candidate.version,
                                       np.asarray(features, dtype=np.float32),
                                       np.asarray(target), margin=margin, seed=seed)


def _require_contract(name: str, candidate: Release) -> None:
    """Chapter 8's PromotionRefused, naming the failing tests, if the contract failed."""
    from helpers.behavior.gate import PromotionRefused

    if not candidate.contract.ok:
        raise PromotionRefused(name, candidate.version, candidate.contract)
