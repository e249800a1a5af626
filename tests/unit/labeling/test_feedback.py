"""Closing the loop runs Chapter 6's loop with a person's answers stored in the label store."""

import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from helpers.active import loop
from helpers.labeling import feedback
from helpers.labeling.store import LabelStore


def test_store_oracle_records_and_reads_back(tmp_path):
    store = LabelStore(tmp_path / "labels.db")
    ids = ["a", "b", "c"]
    oracle = feedback.store_oracle(store, ids, answer=lambda row: row + 4, annotator="ana")
    assert oracle(np.array([2, 0])).tolist() == [6, 4]
    assert store.labels(annotator="ana") == {"c": "6", "a": "4"}


def test_close_the_loop_is_the_active_learning_loop_with_a_store(tmp_path):
    X, y = load_digits(return_X_y=True)
    X, y, X_test, y_test = X[:400] / 16, y[:400], X[400:600] / 16, y[400:600]
    start = loop.initial_labels(y, 30, seed=0)
    ids = [f"digit-{row}" for row in range(len(y))]
    store = LabelStore(tmp_path / "loop.db")
    rounds = feedback.close_the_loop(
        "margin", lambda: LogisticRegression(max_iter=200), (X, ids, start), (X_test, y_test),
        store, answer=lambda row: y[row], annotator="ana", batch_size=10, rounds=3, seed=0,
        classes=range(10))
    same = loop.run_loop("margin", lambda: LogisticRegression(max_iter=200), X, start,
                         (X_test, y_test), 10, 3, 0, lambda rows: y[rows], classes=range(10))
    pd.testing.assert_frame_equal(rounds, same)
    assert len(store.labels(annotator="first labels")) == 30
    assert len(store.labels(annotator="ana")) == 30 and len(store.labels()) == 60
    store.close()
