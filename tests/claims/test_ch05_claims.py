"""Chapter 5 value checks, with tolerances: a smaller run than the notebook's, same helpers."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from helpers import data
from helpers.monitoring import detection, stream
from helpers.monitoring.stream import Scenario


@pytest.fixture(scope="module")
def wdbc_split():
    features, target = data.load_wdbc()
    return train_test_split(features, target, test_size=0.3, random_state=0, stratify=target)


def test_ch05_ks_finds_a_quarter_sd_shift_at_200_rows_and_stays_near_its_5_percent(wdbc_split):
    reference, production, _, prod_target = wdbc_split
    found, false = [], []
    for seed in range(3):
        for kind in ("none", "sudden"):
            scenario = Scenario() if kind == "none" else Scenario(kind, "worst_radius", 8, 0.25)
            windows = stream.simulate_stream(production, prod_target, scenario, 24, 200, seed)
            alarms = detection.window_alarms(windows, reference, "worst_radius", "ks")
            result = detection.score(alarms, [w.drifting for w in windows])
            false.append(result.false_alarm_rate)
            if kind == "sudden":
                found.append(result.detection_rate)
    assert np.mean(found) >= 0.9, f"KS detection rate at 200 rows: {np.mean(found):.2f}"
    assert np.mean(false) <= 0.15, f"KS false-alarm rate at 200 rows: {np.mean(false):.2f}"


def test_ch05_psi_on_small_windows_raises_false_alarms_that_ks_does_not(wdbc_split):
    reference, production, _, prod_target = wdbc_split
    psi, ks = [], []
    for seed in range(3):
        windows = stream.simulate_stream(production, prod_target, Scenario(), 24, 25, seed)
        psi += detection.window_alarms(windows, reference, "worst_radius", "psi")
        ks += detection.window_alarms(windows, reference, "worst_radius", "ks")
    psi, ks = np.mean(psi), np.mean(ks)
    assert psi >= 0.5 and ks <= 0.15, f"no-drift alarms at 25 rows: PSI {psi:.2f}, KS {ks:.2f}"
