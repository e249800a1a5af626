import numpy as np
import pandas as pd
import pytest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from helpers import data
from helpers.reproducibility import skew


@pytest.fixture(scope="module")
def fitted():
    features, target = data.load_wdbc()
    pipeline = make_pipeline(SimpleImputer(strategy="median"),
                             LogisticRegression(max_iter=5000))
    pipeline.fit(features, target)
    return pipeline, features


def zero_filling_server(pipeline, columns):
    """The classic bug: a missing value becomes 0 in serving, the median in training."""
    def serve(records):
        rows = [[float(record.get(c) or 0.0) for c in columns] for record in records]
        return pipeline.predict(pd.DataFrame(rows, columns=columns))
    return serve


def faithful_server(pipeline, columns):
    def serve(records):
        return pipeline.predict(skew.records_to_frame(records, columns))
    return serve


def test_parity_check_catches_zero_filling(fitted):
    pipeline, features = fitted
    holey = skew.inject_missing(features, 0.2, seed=0)
    serve = zero_filling_server(pipeline, list(features.columns))
    with pytest.raises(skew.SkewError, match=r"rows are predicted differently.*First: row"):
        skew.assert_parity(pipeline.predict, serve, holey)


def test_parity_check_passes_faithful_serving(fitted):
    pipeline, features = fitted
    holey = skew.inject_missing(features, 0.2, seed=0)
    skew.assert_parity(pipeline.predict, faithful_server(pipeline, list(features.columns)), holey)


def test_without_missing_values_both_agree(fitted):
    """The bug hides on clean data, which is why the test must use rows with gaps."""
    pipeline, features = fitted
    serve = zero_filling_server(pipeline, list(features.columns))
    assert len(skew.parity_mismatches(pipeline.predict, serve, features)) == 0


def test_inject_missing_hits_the_requested_fraction():
    frame = pd.DataFrame(np.ones((1000, 10)))
    holey = skew.inject_missing(frame, 0.1, seed=1)
    assert 0.08 < holey.isna().to_numpy().mean() < 0.12
    assert not frame.isna().any().any()


def test_records_round_trip_missing_as_none():
    frame = pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0]})
    records = skew.to_records(frame)
    assert records == [{"a": 1.0, "b": None}, {"a": None, "b": 2.0}]
    pd.testing.assert_frame_equal(skew.records_to_frame(records, ["a", "b"]), frame)


def test_absent_key_is_missing_and_unknown_key_is_refused():
    frame = skew.records_to_frame([{"a": 1.0}], ["a", "b"])
    assert np.isnan(frame.loc[0, "b"])
    with pytest.raises(ValueError, match=r"unknown feature\(s\) \['c'\]"):
        skew.records_to_frame([{"a": 1.0, "c": 2.0}], ["a", "b"])


def test_shape_mismatch_is_reported(fitted):
    pipeline, features = fitted
    with pytest.raises(skew.SkewError, match="shape"):
        skew.parity_mismatches(pipeline.predict, lambda records: np.zeros(1), features.head(5))
