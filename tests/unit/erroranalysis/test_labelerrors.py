"""Label noise is injected exactly, and cleanlab's flags are scored against it."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from helpers.erroranalysis import labelerrors


def test_inject_noise_flips_exactly_the_requested_share():
    y = np.array([0, 1] * 50)
    noisy, flipped = labelerrors.inject_noise(y, 0.1, seed=3)
    assert flipped.sum() == 10 and (noisy != y).sum() == 10
    assert (noisy[flipped] == 1 - y[flipped]).all()
    again, _ = labelerrors.inject_noise(y, 0.1, seed=3)
    assert (again == noisy).all()


def test_inject_noise_refuses_bad_input():
    with pytest.raises(ValueError, match="0/1"):
        labelerrors.inject_noise([0, 2], 0.1)
    with pytest.raises(ValueError, match="rate"):
        labelerrors.inject_noise([0, 1], 0.5)


def test_precision_recall_known_answer():
    flagged = np.array([1, 1, 1, 0, 0, 0], dtype=bool)
    truth = np.array([1, 0, 0, 1, 0, 0], dtype=bool)
    assert labelerrors.precision_recall(flagged, truth) == (pytest.approx(1 / 3), 0.5)
    assert np.isnan(labelerrors.precision_recall(np.zeros(6), truth)[0])


def make_model():
    return LogisticRegression(max_iter=500)


def test_cleanlab_finds_most_flips_on_separable_data():
    X, y = make_classification(600, n_features=5, class_sep=2.5, flip_y=0, random_state=0)
    sweep = labelerrors.noise_sweep(make_model, X, y, [0.1], seed=0)
    assert sweep.loc[0.1, "flipped"] == 60
    assert sweep.loc[0.1, "recall"] > 0.8 and sweep.loc[0.1, "precision"] > 0.7


def test_flag_checks_the_probability_shape():
    with pytest.raises(ValueError, match="shape"):
        labelerrors.flag([0, 1, 1], np.array([0.2, 0.9, 0.8]))
