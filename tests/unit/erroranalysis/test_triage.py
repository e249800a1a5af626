"""The error table tags each error; categories are ranked by the errors they hold."""

import numpy as np
import pandas as pd
import pytest

from helpers.erroranalysis import triage

NAMES = {0: "Clinton", 1: "Dole"}


def small_table():
    y = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    pred = np.array([1, 1, 0, 1, 0, 0, 1, 1])  # errors at items 0, 1, 2, 5, 6
    proba = np.array([0.55, 0.9, 0.2, 0.8, 0.1, 0.45, 0.95, 0.7])
    tags = {"independent": np.array([1, 1, 0, 0, 0, 1, 0, 0], dtype=bool),
            "low_confidence": triage.low_confidence(proba, 0.1),
            "label_issue": np.array([0, 1, 0, 0, 0, 0, 1, 0], dtype=bool)}
    return triage.error_table(y, pred, proba, tags, NAMES)


def test_error_table_has_one_row_per_error_with_its_tags():
    table = small_table()
    assert table.index.tolist() == [0, 1, 2, 5, 6]
    assert table["pair"].tolist() == ["Clinton -> Dole"] * 2 + ["Dole -> Clinton"] * 2 + [
        "Clinton -> Dole"]
    assert table["low_confidence"].tolist() == [True, False, False, True, False]


def test_rank_categories_counts_and_sole_explanations():
    ranked = triage.rank_categories(small_table(), ["independent", "low_confidence",
                                                    "label_issue"])
    assert ranked.loc["independent", "errors"] == 3
    assert ranked.loc["label_issue", "only_this"] == 1  # item 6; item 1 is also independent
    assert ranked.loc["(no tag)", "errors"] == 1  # item 2
    assert ranked.loc["pair: Clinton -> Dole", "errors"] == 3
    assert ranked["errors"].is_monotonic_decreasing


def test_outliers_flag_the_requested_fraction_and_the_far_point():
    features = pd.DataFrame({"x": np.r_[np.random.default_rng(0).normal(size=99), 50.0]})
    flags = triage.outliers(features, fraction=0.05, seed=0)
    assert flags[-1] and flags.sum() == 5


def test_tags_of_the_wrong_length_are_refused():
    with pytest.raises(ValueError, match="wrong lengths"):
        triage.error_table([0, 1], [1, 1], [0.6, 0.7], {"x": np.array([True])}, NAMES)
