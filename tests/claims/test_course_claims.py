"""Value checks, with tolerances, on claims the chapters make (the notebooks assert them too).

Each test re-measures a claim on a smaller run than the notebook's, through the same helpers,
so a change that breaks the claim fails here with the measured value in the message.
"""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from helpers import data
from helpers.active import strategies
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


def test_ch06_margin_sampling_needs_fewer_digit_labels_than_random():
    x, y = load_digits(return_X_y=True)
    x_pool, x_test, y_pool, y_test = train_test_split(x / 16, y, test_size=0.3, random_state=0,
                                                      stratify=y)

    def make_model():
        return LogisticRegression(max_iter=200, tol=1e-3)

    curves = strategies.learning_curves(["random", "margin"], [0, 1, 2], make_model,
                                    (x_pool, y_pool), (x_test, y_test), 10, 10, 25)
    full = make_model().fit(x_pool, y_pool).score(x_test, y_test)
    savings = strategies.savings_vs_random(strategies.labels_to_reach(curves, 0.95 * full))
    saving = savings.loc["margin", "saving_mean"]
    assert saving >= 0.2, f"margin saved {saving:.0%} of the labels random needed"
