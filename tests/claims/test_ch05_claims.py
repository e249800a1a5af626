"""Chapter 5 value checks, with tolerances: a smaller run than the notebook's, same helpers."""

import numpy as np
import pytest

from helpers import data
from helpers.monitoring import detection
from helpers.monitoring.source import CopulaSource

REFERENCES = 100  # per rate: a rate near 5 % then moves by about 2 points between seeds


@pytest.fixture(scope="module")
def rates():
    world = CopulaSource.fit(*data.load_wdbc())
    rows = [row for size in (25, 400) for seed in (1, 2)
            for row in detection.alarm_rates(world, "worst_radius", size, 0.25,
                                             references=REFERENCES, reference_rows=400,
                                             seed=seed)]
    table = {}
    for row in rows:
        table.setdefault((row["method"], row["window"]), []).append(row)
    return {key: {name: np.mean([r[name] for r in found])
                  for name in ("detection_rate", "false_alarm_rate")}
            for key, found in table.items()}


def test_ch05_ks_finds_a_quarter_sd_shift_at_400_rows_and_keeps_its_5_percent(rates):
    bound = 0.05 + 3 * np.sqrt(0.05 * 0.95 / (2 * REFERENCES))
    assert rates["ks", 400]["detection_rate"] >= 0.9, rates["ks", 400]
    assert rates["ks", 25]["detection_rate"] < 0.6, rates["ks", 25]
    for size in (25, 400):
        assert rates["ks", size]["false_alarm_rate"] <= bound, (size, rates["ks", size])


def test_ch05_distances_on_small_windows_raise_false_alarms_that_ks_does_not(rates):
    for distance in ("psi", "wasserstein"):
        assert rates[distance, 25]["false_alarm_rate"] >= 0.8, rates[distance, 25]
        assert rates[distance, 400]["false_alarm_rate"] <= 0.5, rates[distance, 400]
