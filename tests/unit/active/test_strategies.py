"""The active-learning helpers pick unlabeled samples, by index into the full X, as promised."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from helpers.active import loop, strategies


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X[:600] / 16, y[:600], test_size=200, random_state=0, stratify=y[:600])


def half_labeled(y_true, n=30, seed=0):
    return loop.initial_labels(y_true, n, seed)


@pytest.mark.parametrize("strategy", strategies.STRATEGIES)
def test_select_returns_distinct_unlabeled_indices_into_full_x(digits, strategy):
    X, _, y_true, _ = digits
    y = half_labeled(y_true)
    picked = strategies.select(strategy, LogisticRegression(max_iter=200), X, y, 12, seed=1)
    assert picked.shape == (12,) and picked.dtype.kind == "i"
    assert len(set(picked.tolist())) == 12
    assert np.isnan(y[picked]).all()  # never a sample that already has a label


def test_uncertainty_picks_what_the_model_is_least_sure_about(digits):
    X, _, y_true, _ = digits
    y = half_labeled(y_true)
    model = LogisticRegression(max_iter=200)
    picked = strategies.select("least_confident", model, X, y, 10, seed=0)
    clf = LogisticRegression(max_iter=200).fit(X[~np.isnan(y)], y[~np.isnan(y)])
    confidence = clf.predict_proba(X).max(axis=1)
    confidence[~np.isnan(y)] = np.inf
    assert set(picked.tolist()) == set(np.argsort(confidence)[:10].tolist())


def test_margin_and_entropy_rank_by_their_own_scores(digits):
    X, _, y_true, _ = digits
    y = half_labeled(y_true)
    clf = LogisticRegression(max_iter=200).fit(X[~np.isnan(y)], y[~np.isnan(y)])
    proba = np.sort(clf.predict_proba(X), axis=1)
    unlabeled = np.isnan(y)
    margin = np.where(unlabeled, proba[:, -1] - proba[:, -2], np.inf)
    entropy = np.where(unlabeled, -(proba * np.log(proba)).sum(axis=1), -np.inf)
    picked_margin = strategies.select("margin", LogisticRegression(max_iter=200), X, y, 5, seed=0)
    picked_entropy = strategies.select("entropy", LogisticRegression(max_iter=200), X, y, 5, seed=0)
    assert set(picked_margin.tolist()) == set(np.argsort(margin)[:5].tolist())
    assert set(picked_entropy.tolist()) == set(np.argsort(-entropy)[:5].tolist())


def test_select_is_deterministic_for_a_seed(digits):
    X, _, y_true, _ = digits
    y = half_labeled(y_true)
    for strategy in strategies.STRATEGIES:
        a = strategies.select(strategy, LogisticRegression(max_iter=200), X, y, 8, seed=3)
        b = strategies.select(strategy, LogisticRegression(max_iter=200), X, y, 8, seed=3)
        assert a.tolist() == b.tolist()


def test_cold_start_with_no_or_one_class_falls_back_to_random(digits):
    X, _, _, _ = digits
    y = np.full(len(X), np.nan)
    picked = strategies.select("entropy", LogisticRegression(), X, y, 5, seed=0)
    baseline = strategies.select("random", LogisticRegression(), X, y, 5, seed=0)
    assert picked.tolist() == baseline.tolist()
    y[:3] = 4.0
    assert len(strategies.select("margin", LogisticRegression(), X, y, 5, seed=0)) == 5


def test_bad_strategy_and_oversized_batch_are_refused_clearly(digits):
    X, _, y_true, _ = digits
    y = half_labeled(y_true)
    with pytest.raises(ValueError, match=r"unknown strategy 'smallest'.*random"):
        strategies.select("smallest", LogisticRegression(), X, y, 5, seed=0)
    y_full = y_true.astype(float)
    y_full[:4] = np.nan
    with pytest.raises(ValueError, match=r"batch_size=5 is larger than the unlabeled pool \(4"):
        strategies.select("random", LogisticRegression(), X, y_full, 5, seed=0)
    with pytest.raises(ValueError, match="positive int"):
        strategies.select("random", LogisticRegression(), X, y, 0, seed=0)
    with pytest.raises(ValueError, match="one per row"):
        strategies.select("random", LogisticRegression(), X, y[:-1], 5, seed=0)
    with pytest.raises(ValueError, match="map text labels to ints"):
        strategies.select("margin", LogisticRegression(), X, np.array(["cat"] * len(X)), 5, seed=0)
    with pytest.raises(TypeError, match=r"sparse.*toarray"):
        strategies.select("margin", LogisticRegression(), sparse.csr_matrix(X), y, 5, seed=0)
