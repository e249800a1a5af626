"""Production day by day: answers logged with their version, labels late, monitoring alarms."""

import numpy as np
import pandas as pd
import pytest

from helpers.capstone import production, scanner
from helpers.monitoring.predlog import PredictionLog
from helpers.monitoring.stream import Scenario, simulate_stream


class Answer:
    def __init__(self, status, body):
        self.status_code, self.body, self.text = status, body, str(body)

    def json(self):
        return self.body


class FakeService:
    """/predict/batch of a fitted model, as version `version`; counts the requests."""

    def __init__(self, model, version=1, status=200):
        self.model, self.version, self.status, self.requests = model, version, status, []

    def post(self, path, json):
        self.requests.append((path, len(json["rows"])))
        version = int(path.split("version=")[1]) if "version=" in path else self.version
        proba = self.model.predict_proba(np.asarray(json["rows"], dtype=np.float32))
        return Answer(self.status, {"predictions": proba.argmax(axis=1).tolist(),
                                    "probabilities": proba[:, 1].tolist(), "version": version})


@pytest.fixture
def windows(wdbc_world):
    return scanner.recalibrated(simulate_stream(wdbc_world, Scenario(), 8, 120, seed=0), 3, 0.6)


def test_ask_splits_the_rows_and_returns_the_answering_version(fitted, split):
    service = FakeService(fitted, version=4)
    answers = production.ask(service, split[1], version=2, max_rows=50)
    assert [n for _, n in service.requests] == [50, 50, 43]
    assert all(path == "/predict/batch?version=2" for path, _ in service.requests)
    assert answers.version == 2 and len(answers.predictions) == len(split[1])
    assert np.allclose(answers.confidence, np.maximum(answers.probabilities,
                                                      1 - answers.probabilities))
    with pytest.raises(RuntimeError, match="answered 503"):
        production.ask(FakeService(fitted, status=503), split[1])
    with pytest.raises(ValueError, match="non-empty 2-D"):
        production.ask(service, np.zeros(3))


def test_labels_arrive_label_lag_days_late(fitted, windows, tmp_path):
    with PredictionLog(tmp_path / "log.sqlite") as log:
        live = production.Production(windows, FakeService(fitted), log, label_lag=2)
        first, second, third = live.serve(), live.serve(), live.serve()
        assert (first.labels_for, second.labels_for, third.labels_for) == (None, None, 0)
        assert live.accuracy(1) is None and 0.8 < live.accuracy(0) <= 1
        rows = live.labelled([0, 1])
        assert len(rows) == 120 and set(rows["window"]) == {0}
        assert (rows["site"].to_numpy() == windows[0].site).all()
        assert (rows["model_version"] == "1").all() and live.today == 3
        with pytest.raises(ValueError, match="has not been served"):
            live.labelled([5])


def test_the_monitor_alerts_on_drift_first_and_on_accuracy_when_labels_come(fitted, windows,
                                                                             split, tmp_path):
    reference = pd.DataFrame(split[0], columns=windows[0].features.columns).astype(float)
    with PredictionLog(tmp_path / "log.sqlite") as log:
        live = production.Production(windows, FakeService(fitted), log, label_lag=1)
        monitor = production.Monitor(reference, "worst_radius", baseline=0.95, tolerance=0.04)
        table = production.serve_days(live, monitor, until="accuracy")
    assert monitor.first_alert("drift") == 4  # changed on day 3, two alarms in a row
    assert monitor.first_alert("accuracy") == 5  # days 3 and 4, known on days 4 and 5
    assert list(table.index) == [0, 1, 2, 3, 4, 5] and (table["version"] == 1).all()
    assert table["quality issues"].sum() == 0
    assert table.loc[5, "labels of day"] == 4 and table.loc[5, "accuracy"] < 0.91


def test_serve_days_needs_one_stopping_rule(fitted, windows, split, tmp_path):
    reference = pd.DataFrame(split[0], columns=windows[0].features.columns).astype(float)
    with PredictionLog(tmp_path / "log.sqlite") as log:
        live = production.Production(windows[:3], FakeService(fitted), log, label_lag=1)
        monitor = production.Monitor(reference, "worst_radius", baseline=0.95)
        with pytest.raises(ValueError, match="either days"):
            production.serve_days(live, monitor)
        assert len(production.serve_days(live, monitor, days=2)) == 2
        with pytest.raises(IndexError, match="all 3 days"):
            production.serve_days(live, monitor, days=2)
    with pytest.raises(ValueError, match="no column"):
        production.Monitor(reference, "colour", baseline=0.9)
    with pytest.raises(ValueError, match="'drift' or 'accuracy'"):
        monitor.first_alert("quality")
