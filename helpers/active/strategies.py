"""Pool-based active learning on top of scikit-activeml: pick the next samples to label (Chapter 6).

``y`` marks unlabeled samples with ``np.nan`` (``skactiveml.utils.MISSING_LABEL``); indices
returned here always point into the full ``X``, never into the unlabeled pool.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd
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
    clf = _fit(wrap(classifier, classes=classes, seed=seed), X, y)
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


def _fit(clf, X, y: np.ndarray):
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
    pool: tuple,
    test: tuple,
    n_initial: int,
    batch_size: int,
    n_rounds: int,
    seed: int,
) -> pd.DataFrame:
    """One active-learning run: test accuracy after each round of fit, query, label.

    `pool` is (X, y_true): the oracle reveals y_true for the queried indices. Returns one row
    per round with the number of labels used and the test accuracy.
    """
    check_strategy(strategy)
    (X, y_true), (X_test, y_test) = pool, test
    y_true = np.asarray(y_true)
    classes = np.unique(y_true)
    y = initial_labels(y_true, n_initial, seed)
    seeds = np.random.default_rng([seed, 1]).integers(2**31 - 1, size=n_rounds + 1)
    rows = []
    for round_ in range(n_rounds + 1):
        clf = _fit(wrap(make_classifier(), classes=classes, seed=int(seeds[round_])), X, y)
        n_labels = int((~unlabeled_mask(y)).sum())
        accuracy = _accuracy(clf, X_test, y_test)
        rows.append({"round": round_, "n_labels": n_labels, "accuracy": accuracy})
        if round_ < n_rounds:
            picked = query(strategy, clf, X, y, batch_size, int(seeds[round_]))
            y[picked] = y_true[picked]
    return pd.DataFrame(rows)


def _accuracy(clf, X_test, y_test) -> float:
    """Test accuracy of a fitted, wrapped classifier."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return float(np.mean(clf.predict(X_test) == np.asarray(y_test)))


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
    """`run_loop` for every strategy and seed, in one long table (strategy, seed, round, ...)."""
    runs = [(s, seed) for seed in seeds for s in strategies]
    frames = [
        run_loop(s, make_classifier, pool, test, n_initial, batch_size, n_rounds, seed).assign(
            strategy=s, seed=seed
        )
        for s, seed in progress(runs)
    ]
    return pd.concat(frames, ignore_index=True)[
        ["strategy", "seed", "round", "n_labels", "accuracy"]
    ]


def labels_to_reach(curves: pd.DataFrame, target: float) -> pd.DataFrame:
    """Per strategy and seed: the fewest labels at which test accuracy first reached `target`.

    NaN where a run never reached it within its rounds.
    """
    hit = curves[curves["accuracy"] >= target]
    first = hit.groupby(["strategy", "seed"])["n_labels"].min()
    runs = curves[["strategy", "seed"]].drop_duplicates().set_index(["strategy", "seed"])
    return runs.join(first.rename("labels")).reset_index()


def savings_vs_random(reach: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: the saving in labels against random (1 - labels / labels_random), by seed.

    Seeds are paired (same initial labels); a seed where either run missed the target counts
    as not reached. Negative savings mean the strategy needed MORE labels than random.
    """
    table = reach.pivot(index="seed", columns="strategy", values="labels")
    if "random" not in table:
        raise ValueError("savings are measured against 'random': include it in the strategies")
    rows = []
    for strategy in [s for s in table.columns if s != "random"]:
        saving = (1 - table[strategy] / table["random"]).dropna()
        rows.append({
            "strategy": strategy,
            "seeds_reached": len(saving),
            "labels_mean": table[strategy].mean(),
            "random_labels_mean": table["random"].mean(),
            "saving_mean": saving.mean(),
            "saving_std": saving.std(ddof=1) if len(saving) > 1 else np.nan,
            "saving_min": saving.min(),
            "saving_max": saving.max(),
        })
    return pd.DataFrame(rows).set_index("strategy")


def accuracy_at_budget(curves: pd.DataFrame, budget: int) -> pd.DataFrame:
    """Per strategy: test accuracy (mean, std, min, max over seeds) with at most `budget` labels."""
    within = curves[curves["n_labels"] <= budget]
    last = within.loc[within.groupby(["strategy", "seed"])["n_labels"].idxmax()]
    return last.groupby("strategy")["accuracy"].agg(["mean", "std", "min", "max"])


def labeling_cost(
    labels: pd.Series, price_per_label, seconds_per_label, annotators: int = 1
) -> pd.DataFrame:
    """What a number of labels costs: money, annotator hours, and working days for a team.

    Prices and seconds may be numbers or Series aligned with `labels` (hard items take longer).
    """
    if (np.any(np.asarray(price_per_label) < 0) or np.any(np.asarray(seconds_per_label) <= 0)
            or annotators < 1):
        raise ValueError("need price_per_label >= 0, seconds_per_label > 0 and annotators >= 1")
    hours = labels * seconds_per_label / 3600
    return pd.DataFrame({
        "labels": labels,
        "cost": labels * price_per_label,
        "annotator_hours": hours,
        "working_days": hours / (8 * annotators),
    })
