"""The active-learning loop: fit, score, ask for labels, repeat (Chapter 6; Chapter 10 reuses it).

`run_loop` takes the labels from an `oracle` callback, so the same loop serves a simulation (the
oracle looks up known labels) and a person (Chapter 10's oracle writes to a label store).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from helpers.active.strategies import as_float_labels, check_strategy, fit_quietly, query, wrap

Oracle = Callable[[np.ndarray], np.ndarray]


def initial_labels(y_true, n_initial: int, seed: int) -> np.ndarray:
    """A copy of `y_true` (floats) with all but `n_initial` random labels hidden (np.nan)."""
    y_true = as_float_labels(y_true)
    if not 0 <= n_initial <= len(y_true):
        raise ValueError(f"n_initial must be between 0 and {len(y_true)}, got {n_initial}")
    y = np.full(len(y_true), np.nan)
    shown = np.random.default_rng(seed).choice(len(y_true), size=n_initial, replace=False)
    y[shown] = y_true[shown]
    return y


def run_loop(
    strategy: str,
    make_classifier: Callable[[], object],
    X,
    y_known,
    test: tuple,
    batch_size: int,
    n_rounds: int,
    seed: int,
    oracle: Oracle,
    classes=None,
) -> pd.DataFrame:
    """One run: per round, fit on the labeled rows, score on `test`, ask `oracle` for a batch.

    `y_known` holds the labels known at the start (np.nan = unlabeled); `oracle(rows)` returns
    the labels of those rows of X. One row per round: labels used, test accuracy, and how many
    of the model's answers on the batch it asked about the oracle contradicted (`model_wrong`).
    """
    check_strategy(strategy)
    y = as_float_labels(y_known).copy()
    classes = np.unique(y[~np.isnan(y)]) if classes is None else np.asarray(classes)
    seeds = np.random.default_rng([seed, 1]).integers(2**31 - 1, size=n_rounds + 1)
    rows = []
    for round_ in range(n_rounds + 1):
        clf = fit_quietly(wrap(make_classifier(), classes=classes, seed=int(seeds[round_])), X, y)
        row = {"round": round_, "n_labels": int((~np.isnan(y)).sum()),
               "accuracy": _accuracy(clf, *test), "model_wrong": np.nan}
        if round_ < n_rounds:
            picked = query(strategy, clf, X, y, batch_size, int(seeds[round_]))
            y[picked] = as_float_labels(oracle(picked))
            row["model_wrong"] = int((_predict(clf, X[picked]) != y[picked]).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def _predict(clf, X) -> np.ndarray:
    """Predictions of a fitted, wrapped classifier, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return np.asarray(clf.predict(X), dtype=float)


def _accuracy(clf, X_test, y_test) -> float:
    """Test accuracy of a fitted, wrapped classifier."""
    return float(np.mean(_predict(clf, X_test) == np.asarray(y_test, dtype=float)))


def simulate(
    strategy: str,
    make_classifier: Callable[[], object],
    pool: tuple,
    test: tuple,
    n_initial: int,
    batch_size: int,
    n_rounds: int,
    seed: int,
) -> pd.DataFrame:
    """`run_loop` with a simulated annotator: `pool` is (X, y_true), and y_true is revealed."""
    X, y_true = pool
    y_true = as_float_labels(y_true)
    y = initial_labels(y_true, n_initial, seed)
    return run_loop(strategy, make_classifier, X, y, test, batch_size, n_rounds, seed,
                    oracle=lambda rows: y_true[rows], classes=np.unique(y_true))


def learning_curves(
    strategies: Iterable[str],
    seeds: Iterable[int],
    make_classifier: Callable[[], object],
    pool: tuple,
    test: tuple,
    n_initial: int,
    batch_size: int,
    n_rounds: int,
    progress: Callable = iter,
) -> pd.DataFrame:
    """`simulate` for every strategy and seed, in one long table (strategy, seed, round, ...)."""
    runs = [(s, seed) for seed in seeds for s in strategies]
    frames = [
        simulate(s, make_classifier, pool, test, n_initial, batch_size, n_rounds, seed).assign(
            strategy=s, seed=seed
        )
        for s, seed in progress(runs)
    ]
    return pd.concat(frames, ignore_index=True)[
        ["strategy", "seed", "round", "n_labels", "accuracy"]
    ]
