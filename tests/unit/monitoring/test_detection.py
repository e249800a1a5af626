import pytest

from helpers.monitoring import detection, stream


def test_consecutive_rule_needs_a_run_of_alarms():
    alarms = [True, False, True, True, False, True, True, True]
    assert detection.AlertRule(1).apply(alarms) == alarms
    assert detection.AlertRule(2).apply(alarms) == [
        False, False, False, True, False, False, True, True]
    with pytest.raises(ValueError, match="at least 1"):
        detection.AlertRule(0)


def test_score_counts_hits_false_alarms_and_delay():
    truth = [False, False, False, True, True, True, True]
    alerts = [False, True, False, False, True, True, False]
    result = detection.score(alerts, truth)
    assert result.detection_rate == pytest.approx(0.5)
    assert result.false_alarm_rate == pytest.approx(1 / 3)
    assert result.delay == 1


def test_score_of_streams_without_drift_or_without_alerts():
    assert detection.score([False, True], [False, False]) == detection.Score(None, 0.5, None)
    assert detection.score([False, False], [True, True]) == detection.Score(0.0, None, None)
    with pytest.raises(ValueError, match="one per window"):
        detection.score([True], [True, False])


def test_job_finds_a_sudden_shift_at_once_and_stays_quiet_without_drift(wdbc_world):
    reference, _ = wdbc_world.sample(400, 99)
    scenario = stream.Scenario("sudden", column="mean_radius", start=5, magnitude=1.0)
    windows = stream.simulate_stream(wdbc_world, scenario, 10, 300, seed=0)
    alarms = detection.window_alarms(windows, reference, column="mean_radius", threshold=0.01)
    result = detection.score(alarms, [w.drifting for w in windows])
    assert result.delay == 0 and result.detection_rate == 1.0 and result.false_alarm_rate == 0.0
    quiet = stream.simulate_stream(wdbc_world, stream.Scenario(), 10, 300, seed=0)
    assert not any(detection.window_alarms(quiet, reference))


def test_alarm_rates_keep_ks_near_its_level_and_show_noisy_distances(wdbc_world):
    small = detection.alarm_rates(wdbc_world, "worst_radius", 25, 0.5, references=60,
                                  reference_rows=300, seed=0)
    large = detection.alarm_rates(wdbc_world, "worst_radius", 500, 0.5, references=60,
                                  reference_rows=300, seed=0)
    by = {(row["method"], row["window"]): row for row in small + large}
    assert by["ks", 25]["false_alarm_rate"] <= 0.15 and by["ks", 500]["false_alarm_rate"] <= 0.15
    assert by["ks", 500]["detection_rate"] > by["ks", 25]["detection_rate"]
    assert by["psi", 25]["false_alarm_rate"] > 0.8 > by["psi", 500]["false_alarm_rate"]
    again = detection.alarm_rates(wdbc_world, "worst_radius", 25, 0.5, references=60,
                                  reference_rows=300, seed=0)
    assert again == small


def test_performance_alarms_wait_for_late_labels():
    scores = [0.95, 0.94, 0.60, 0.58, 0.96]
    assert detection.performance_alarms(scores, 0.95, 0.05) == [False, False, True, True, False]
    late = detection.performance_alarms(scores, 0.95, 0.05, label_lag=2)
    assert late == [False, False, False, False, True]
    with pytest.raises(ValueError, match="cannot be negative"):
        detection.performance_alarms(scores, 0.95, 0.05, label_lag=-1)
