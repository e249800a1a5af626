"""The active-learning loop adds one batch per round, learns, repeats, and asks its oracle."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from helpers.active import loop


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return train_test_split(X[:600] / 16, y[:600], test_size=200, random_state=0, stratify=y[:600])


def model():
    return LogisticRegression(max_iter=200)


def test_initial_labels_hide_all_but_n():
    y = loop.initial_labels(np.arange(20) % 3, 5, seed=0)
    assert (~np.isnan(y)).sum() == 5
    with pytest.raises(ValueError, match="between 0 and 20"):
        loop.initial_labels(np.arange(20), 21, seed=0)


def test_simulate_adds_one_batch_per_round_and_learns(digits):
    X, X_test, y_true, y_test = digits
    curve = loop.simulate("margin", model, (X, y_true), (X_test, y_test), 10, 15, 6, seed=0)
    assert curve["n_labels"].tolist() == [10, 25, 40, 55, 70, 85, 100]
    assert curve["accuracy"].iloc[-1] > curve["accuracy"].iloc[0] + 0.2
    assert curve["model_wrong"].iloc[:-1].between(0, 15).all()
    assert np.isnan(curve["model_wrong"].iloc[-1])  # nothing asked after the last fit


def test_run_loop_asks_the_oracle_for_exactly_the_picked_rows(digits):
    X, X_test, y_true, y_test = digits
    asked = []

    def oracle(rows):
        asked.append(np.asarray(rows).copy())
        return y_true[rows]

    start = loop.initial_labels(y_true, 20, seed=1)
    curve = loop.run_loop("entropy", model, X, start, (X_test, y_test), 8, 3, 1, oracle,
                          classes=np.unique(y_true))
    rows = np.concatenate(asked)
    assert len(asked) == 3 and len(set(rows.tolist())) == 24
    assert np.isnan(start[rows]).all()  # only rows without a label are asked about
    assert curve["n_labels"].tolist() == [20, 28, 36, 44]
    again = loop.simulate("entropy", model, (X, y_true), (X_test, y_test), 20, 8, 3, seed=1)
    pd.testing.assert_series_equal(curve["accuracy"], again["accuracy"])  # same loop


def test_a_wrong_oracle_shows_up_as_model_wrong(digits):
    X, X_test, y_true, y_test = digits
    start = loop.initial_labels(y_true, 30, seed=0)
    liar = loop.run_loop("random", model, X, start, (X_test, y_test), 10, 2, 0,
                         oracle=lambda rows: (y_true[rows] + 1) % 10, classes=range(10))
    honest = loop.run_loop("random", model, X, start, (X_test, y_test), 10, 2, 0,
                           oracle=lambda rows: y_true[rows], classes=range(10))
    assert liar["model_wrong"].iloc[0] > honest["model_wrong"].iloc[0]


def test_learning_curves_repeat_exactly_for_the_same_seeds(digits):
    X, X_test, y_true, y_test = digits
    args = (["random", "entropy"], [0, 1], model, (X, y_true), (X_test, y_test), 10, 10, 3)
    first, second = loop.learning_curves(*args), loop.learning_curves(*args)
    pd.testing.assert_frame_equal(first, second)
    assert len(first) == 2 * 2 * 4
    starts = first[first["round"] == 0].groupby("seed")["accuracy"].nunique()
    assert (starts == 1).all()  # both strategies start from the same labels for a seed
