"""Soft targets and the distillation loss behave as the chapter explains."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from helpers.compression import distill, models


def test_soften_flattens_with_temperature_and_keeps_the_order():
    logits = np.array([[4.0, 1.0, 0.0]])
    cold, warm = distill.soften(logits, 1.0), distill.soften(logits, 4.0)
    np.testing.assert_allclose(cold.sum(), 1.0)
    assert warm[0, 0] < cold[0, 0] and warm[0, 2] > cold[0, 2]
    assert list(np.argsort(warm[0])) == list(np.argsort(cold[0]))
    with pytest.raises(ValueError, match="temperature"):
        distill.soften(logits, 0)


def test_loss_is_cross_entropy_at_alpha_0_and_zero_kl_for_a_perfect_copy():
    student = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]])
    labels = torch.tensor([0, 2])
    hard = distill.distillation_loss(student, student * 3, labels, 2.0, 0.0)
    assert hard.item() == pytest.approx(F.cross_entropy(student, labels).item())
    copy = distill.distillation_loss(student, student.clone(), labels, 4.0, 1.0)
    assert copy.item() == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="alpha"):
        distill.distillation_loss(student, student, labels, 2.0, 1.5)


def test_soft_term_is_scaled_by_t_squared():
    student = torch.tensor([[1.0, 0.0, 0.0]])
    teacher = torch.tensor([[0.0, 1.0, 0.0]])
    labels = torch.tensor([0])
    t = 3.0
    kl = F.kl_div(F.log_softmax(student / t, 1), F.softmax(teacher / t, 1),
                  reduction="batchmean")
    loss = distill.distillation_loss(student, teacher, labels, t, 1.0)
    assert loss.item() == pytest.approx(t * t * kl.item(), rel=1e-5)


def test_student_follows_its_teacher():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(200, 6)).astype(np.float32)
    labels = (features[:, 0] > 0).astype(int)
    flipped = 1 - labels  # a teacher that says the opposite of the labels
    teacher = np.where(np.eye(2)[flipped] == 1, 5.0, -5.0).astype(np.float32)
    student = distill.train_student([6, 16, 2], features, labels, teacher=teacher,
                                    temperature=1.0, alpha=1.0, seed=0, epochs=30, lr=1e-2,
                                    device="cpu")
    predicted = models.logits(student, features).argmax(axis=1)
    assert np.mean(predicted == flipped) > 0.9
    with pytest.raises(ValueError, match="same features"):
        distill.train_student([6, 4, 2], features, labels, teacher=teacher[:10],
                              temperature=1.0, alpha=1.0, seed=0, epochs=1)


def test_teacher_logits_are_finite_log_probabilities():
    x_train, x_test, y_train, _ = models.digits_split(0)
    teacher = distill.svm_teacher(x_train[:300], y_train[:300], seed=0)
    scores = distill.teacher_logits(teacher, x_test[:20])
    assert np.isfinite(scores).all()
    np.testing.assert_allclose(np.exp(scores).sum(axis=1), 1.0, atol=1e-3)
