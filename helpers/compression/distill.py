"""Knowledge distillation: a small student learns from a strong teacher's soft targets.

The teacher's probabilities, softened with a temperature T (softmax of logits / T), say which
wrong classes are *almost* right ("this 7 looks a bit like a 1"); hard labels say only which
class is right. The student's loss mixes both: alpha * T^2 * KL(teacher_T || student_T)
+ (1 - alpha) * cross-entropy(labels). The T^2 keeps the soft term's gradients as large as
the hard term's when T changes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import torch


def soften(logits: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of logits / T, row by row: T = 1 is the usual softmax, higher T is flatter."""
    if temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=1, keepdims=True)


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor,
                      labels: torch.Tensor, temperature: float, alpha: float) -> torch.Tensor:
    """alpha * T^2 * KL(soft teacher || soft student) + (1 - alpha) * CE(student, labels)."""
    import torch.nn.functional as F

    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1], got {alpha}")
    soft = F.kl_div(F.log_softmax(student_logits / temperature, dim=1),
                    F.log_softmax(teacher_logits / temperature, dim=1),
                    reduction="batchmean", log_target=True)
    hard = F.cross_entropy(student_logits, labels)
    return alpha * temperature**2 * soft + (1 - alpha) * hard


def svm_teacher(features: np.ndarray, labels: np.ndarray, seed: int) -> Any:
    """A kernel SVM with probabilities: more accurate on the digits than any MLP here."""
    from sklearn.svm import SVC

    with warnings.catch_warnings():
        # scikit-learn 1.9 deprecates probability=True for CalibratedClassifierCV(SVC()), which
        # calibrates one class against the rest; the SVM's own one-against-one probabilities
        # (pairwise coupling) make softer targets that distilled better on these digits
        warnings.filterwarnings("ignore", message=".*probability.*deprecated",
                                category=FutureWarning)
        svm = SVC(C=10, gamma="scale", probability=True, random_state=seed)
        return svm.fit(features, labels)


def teacher_logits(teacher: Any, features: np.ndarray) -> np.ndarray:
    """Log-probabilities of a scikit-learn classifier, usable as logits (clipped away from 0)."""
    return np.log(np.clip(teacher.predict_proba(features), 1e-6, 1.0)).astype(np.float32)


def train_student(widths: Sequence[int], features: np.ndarray, labels: np.ndarray, *,
                  teacher: np.ndarray | None, temperature: float, alpha: float, seed: int,
                  **fit_args: Any) -> torch.nn.Module:
    """A fresh `mlp(widths)` trained on hard labels (teacher None) or distilled from `teacher`.

    `teacher` holds the teacher's logits for each training row; `fit_args` go to
    `helpers.compression.models.fit` (epochs, batch_size, lr, device).
    """
    import torch

    from helpers.compression.models import fit, mlp

    torch.manual_seed(seed)
    model = mlp(widths)
    loss_fn: Callable | None = None
    if teacher is not None:
        if len(teacher) != len(features):
            raise ValueError(f"teacher logits for {len(teacher)} rows, but {len(features)} "
                             "training rows: compute them on the same features")
        targets = torch.as_tensor(teacher, dtype=torch.float32)

        def loss_fn(logits: torch.Tensor, y: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
            return distillation_loss(logits, targets.to(logits.device)[rows], y,
                                     temperature, alpha)

    return fit(model, features, labels, seed=seed, loss_fn=loss_fn, **fit_args)
