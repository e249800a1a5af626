"""Query strategies on top of scikit-activeml: pick the next samples to label (Chapter 6).

``y`` marks unlabeled samples with ``np.nan`` (``skactiveml.utils.MISSING_LABEL``); indices
returned here always point into the full ``X``, never into the unlabeled pool.
"""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

STRATEGIES = ("random", "least_confident", "margin", "entropy")
_SKACTIVEML_METHOD = {
    "least_confident": "least_confident",
    "margin": "margin_sampling",
    "entropy": "entropy",
}


def check_strategy(strategy: str) -> None:
    """Raise ValueError unless `strategy` is one of `STRATEGIES`."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown strategy {strategy!r}: use one of {', '.join(STRATEGIES)}")


def as_float_labels(y) -> np.ndarray:
    """Labels as a float array (np.nan = unlabeled); class labels must be numbers."""
    try:
        return np.asarray(y, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError("labels must be numbers (class ids) with np.nan for unlabeled: "
                         f"map text labels to ints first ({error})") from error


def unlabeled_mask(y) -> np.ndarray:
    """True where the label is missing (np.nan)."""
    return np.isnan(as_float_labels(y))


def wrap(classifier, classes=None, seed: int = 0):
    """The scikit-learn `classifier` wrapped so it can be fitted on labels with np.nan in them."""
    from skactiveml.classifier import SklearnClassifier

    return SklearnClassifier(classifier, classes=classes, missing_label=np.nan, random_state=seed)


def select(
    strategy: str,
    classifier,
    X,
    y,
    batch_size: int,
    seed: int,
    classes=None,
) -> np.ndarray:
    """Indices (into X) of the next `batch_size` unlabeled samples to label.

    `classifier` is an unfitted scikit-learn classifier with predict_proba; it is fitted here
    on the labeled part of (X, y). `classes` defaults to the classes seen in the labeled y.
    With fewer than two classes labeled there is nothing to be uncertain between, so every
    strategy picks at random: the cold start. X must be dense (call .toarray() on sparse).
    """
    y = _checked(strategy, X, y, batch_size)
    if classes is None:
        classes = np.unique(y[~unlabeled_mask(y)])
    if strategy == "random" or len(classes) < 2:
        return query(strategy, None, X, y, batch_size, seed)
    clf = fit_quietly(wrap(classifier, classes=classes, seed=seed), X, y)
    return query(strategy, clf, X, y, batch_size, seed)


def _checked(strategy: str, X, y, batch_size: int) -> np.ndarray:
    """`y` as floats, after checking the strategy, the lengths and the batch size."""
    check_strategy(strategy)
    if hasattr(X, "toarray"):
        raise TypeError("X is a sparse matrix, but scikit-activeml needs a dense array: "
                        "pass X.toarray() (fine for a few thousand rows)")
    y = as_float_labels(y)
    if len(y) != X.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {len(y)} labels: pass one per row")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    n_unlabeled = int(unlabeled_mask(y).sum())
    if batch_size > n_unlabeled:
        raise ValueError(
            f"batch_size={batch_size} is larger than the unlabeled pool ({n_unlabeled} samples): "
            "ask for fewer, or stop: the pool is (nearly) all labeled"
        )
    return y


def fit_quietly(clf, X, y: np.ndarray):
    """Fit a wrapped classifier, quietly (one labeled class: skactiveml falls back and warns)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        return clf.fit(X, y)


def query(strategy: str, fitted_clf, X, y, batch_size: int, seed: int) -> np.ndarray:
    """Indices (into X) picked by `strategy` with an already fitted, wrapped classifier."""
    y = _checked(strategy, X, y, batch_size)
    if strategy == "random" or fitted_clf is None or len(fitted_clf.classes_) < 2:
        from skactiveml.pool import RandomSampling

        qs = RandomSampling(missing_label=np.nan, random_state=seed)
        return np.asarray(qs.query(X, y, batch_size=batch_size), dtype=int)
    from skactiveml.pool import UncertaintySampling

    qs = UncertaintySampling(
        method=_SKACTIVEML_METHOD[strategy], missing_label=np.nan, random_state=seed
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        picked = qs.query(X, y, clf=fitted_clf, fit_clf=False, batch_size=batch_size)
    return np.asarray(picked, dtype=int)
