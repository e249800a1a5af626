"""The MFT, INV and DIR runners count failures right; hypothesis shrinks to a minimal case."""

import numpy as np
import pytest
from hypothesis import strategies as st

from helpers.behavior import suite


class LengthModel:
    """P(positive) grows with the length of the text; 'bad' pulls it down."""

    def predict_proba(self, texts):
        p = np.array([min(len(t) / 20, 1.0) - 0.5 * ("bad" in t) for t in texts]).clip(0, 1)
        return np.column_stack([1 - p, p])


def test_mft_fails_where_the_label_differs():
    result = suite.mft("t", LengthModel(), ["a long enough sentence", "short"], [1, 1])
    assert (result.cases, result.failures, result.kind) == (2, 1, "MFT")
    assert result.examples["case"].tolist() == ["short"]
    with pytest.raises(ValueError, match="expected labels"):
        suite.mft("t", LengthModel(), ["x"], [1, 0])


def test_inv_fails_only_when_the_label_flips():
    originals = ["a long enough sentence", "a long enough sentence", "short"]
    perturbed = ["a long enough sentence!", "short", "shorter"]
    result = suite.inv("t", LengthModel(), originals, perturbed)
    assert result.failures == 1 and result.failure_rate == pytest.approx(1 / 3)
    assert result.examples.loc[0, "perturbed"] == "short"


def test_direction_checks_the_sign_and_forgives_the_tolerance():
    originals = ["a long enough sentence", "a long enough sentence"]
    perturbed = ["a long enough sentence, bad", "a long enough sentence, bad"]
    down = suite.direction("t", LengthModel(), originals, perturbed, -1)
    up = suite.direction("t", LengthModel(), originals, perturbed, [1, -1])
    assert (down.failures, up.failures) == (0, 1)
    tiny = suite.direction("t", LengthModel(), ["abcdefghij"], ["abcdefghi"], +1, tolerance=0.1)
    assert tiny.failures == 0
    with pytest.raises(ValueError, match="sign must be"):
        suite.direction("t", LengthModel(), ["a"], ["b"], 0)


def test_table_has_one_row_per_test():
    results = [suite.mft("m", LengthModel(), ["short"], [1]),
               suite.inv("i", LengthModel(), ["x"], ["y"])]
    table = suite.table(results)
    assert table.index.tolist() == ["m", "i"]
    assert table["failure rate"].tolist() == [1.0, 0.0]


def test_minimal_failure_shrinks_and_returns_none_when_nothing_fails():
    found = suite.minimal_failure(lambda n: n >= 37, st.integers(min_value=0, max_value=10**6))
    assert found == 37
    assert suite.minimal_failure(lambda n: n < 0, st.integers(min_value=0, max_value=9)) is None


def test_a_kind_outside_checklist_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        suite._result("t", "XYZ", np.array([True]), suite.pd.DataFrame({"a": [1]}))
