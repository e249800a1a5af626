"""The biopsy model: deterministic for a seed, and a weights hash that proves it."""

import numpy as np
import pytest
from sklearn.neighbors import KNeighborsClassifier

from helpers.capstone import biopsy


def test_same_seed_same_weights_other_seed_other_weights(split, fitted):
    x_train, x_test, y_train, y_test = split
    again = biopsy.classifier(0, hidden=32).fit(x_train, y_train)
    other = biopsy.classifier(1, hidden=32).fit(x_train, y_train)
    assert biopsy.weights_sha256(again) == biopsy.weights_sha256(fitted)
    assert biopsy.weights_sha256(other) != biopsy.weights_sha256(fitted)
    assert fitted.score(x_test, y_test) > 0.9


def test_the_hash_covers_every_learned_array(split):
    x_train, _, y_train, _ = split
    first = KNeighborsClassifier(1).fit(x_train, y_train)
    one_row_less = KNeighborsClassifier(1).fit(x_train[1:], y_train[1:])
    assert "model._fit_X" in biopsy.learned(first)  # the stored cases are what kNN learned
    assert biopsy.weights_sha256(first) != biopsy.weights_sha256(one_row_less)
    nudged = KNeighborsClassifier(1).fit(np.nextafter(x_train, np.inf), y_train)
    assert biopsy.weights_sha256(first) != biopsy.weights_sha256(nudged)


def test_unfitted_models_and_empty_layers_are_refused():
    with pytest.raises(ValueError, match="fit it first"):
        biopsy.weights_sha256(KNeighborsClassifier())
    with pytest.raises(ValueError, match="at least 1 unit"):
        biopsy.classifier(0, hidden=0)
