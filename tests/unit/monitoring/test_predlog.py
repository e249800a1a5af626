import numpy as np
import pandas as pd
import pytest

from helpers.monitoring.predlog import PredictionLog


def batch(n, start=0.0):
    return pd.DataFrame({"a": np.arange(n) + start, "b": np.nan})


def test_logged_predictions_come_back_with_their_features(tmp_path):
    with PredictionLog(tmp_path / "log.db") as log:
        ids = log.log(batch(3), [0, 1, 1], window=0, model_version="1", latency_ms=2.5)
        log.log(batch(2, 10), [1, 0], window=1, model_version="2")
        frame = log.frame()
        assert ids == [1, 2, 3]
        assert frame["a"].tolist() == [0, 1, 2, 10, 11]
        assert frame["b"].isna().all()
        assert log.frame(window=1)["model_version"].tolist() == ["2", "2"]


def test_late_labels_attach_and_survive_a_restart(tmp_path):
    with PredictionLog(tmp_path / "log.db") as log:
        ids = log.log(batch(4), [0, 1, 0, 1], window=0, model_version="1")
        log.add_labels(ids[:2], [0, 0])
    with PredictionLog(tmp_path / "log.db") as reopened:
        frame = reopened.frame()
        assert frame["label"].tolist()[:2] == [0, 0]
        assert frame["label"].isna().sum() == 2


def test_bad_calls_are_refused_and_store_nothing(tmp_path):
    with PredictionLog(tmp_path / "log.db") as log:
        with pytest.raises(ValueError, match="3 feature rows but 2 predictions"):
            log.log(batch(3), [0, 1], window=0, model_version="1")
        ids = log.log(batch(1), [1], window=0, model_version="1")
        with pytest.raises(KeyError, match=r"no logged prediction has id \[99\]"):
            log.add_labels([ids[0], 99], [1, 0])
        assert log.frame()["label"].isna().all()
        with pytest.raises(ValueError, match="1 ids but 2 labels"):
            log.add_labels(ids, [1, 0])
