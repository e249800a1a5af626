"""The slice finder recovers a planted bad slice as a readable rule."""

import numpy as np
import pandas as pd
import pytest

from helpers.erroranalysis import slicefinder


def planted(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    features = pd.DataFrame({"age": rng.integers(18, 90, n), "group": rng.integers(0, 4, n),
                             "noise": rng.normal(size=n)})
    bad = (features["age"] > 60) & (features["group"] == 3)
    wrong = rng.random(n) < np.where(bad, 0.6, 0.05)
    return features, wrong, bad


def test_the_worst_leaf_is_the_planted_slice():
    features, wrong, bad = planted()
    table, leaf = slicefinder.find_slices(features, wrong, max_depth=2, min_leaf=30)
    worst = table.iloc[0]
    assert "age" in worst["rule"] and "group" in worst["rule"] and "noise" not in worst["rule"]
    members = leaf == table.index[0]
    assert (members & bad.to_numpy()).sum() / members.sum() > 0.9  # the leaf is the slice
    assert worst["error_rate"] > 0.5 and worst["lift"] > 4
    assert table["n"].sum() == len(features) and (table["n"] >= 30).all()


def test_readable_merges_bounds_per_feature():
    path = [("PID", ">", 1.5), ("age", "<=", 60.0), ("PID", "<=", 4.5), ("PID", ">", 2.5)]
    assert slicefinder.readable(path) == "2.5 < PID <= 4.5 and age <= 60"
    assert slicefinder.readable([]) == "everyone"


def test_bad_input_is_refused():
    features = pd.DataFrame({"x": range(10)})
    with pytest.raises(ValueError, match="both errors and correct"):
        slicefinder.find_slices(features, np.zeros(10, dtype=bool))
    with pytest.raises(ValueError, match="10 rows of features but 3"):
        slicefinder.find_slices(features, [True, False, True])
