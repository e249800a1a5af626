"""Chapter 11 value checks: the scanner change costs missed cancers, new labels recover them,
and a model judged on day 0's rows wins there and loses on today's."""

import numpy as np
import pytest

from helpers import data
from helpers.capstone import biopsy, contract, scanner
from helpers.monitoring.source import CopulaSource
from helpers.monitoring.stream import Scenario, simulate_stream
from helpers.reproducibility import training
from helpers.storage import promotion

FACTOR, HIDDEN = 0.6, 256  # the lecture's scanner factor and model width


@pytest.fixture(scope="module", params=[0, 1], ids=lambda seed: f"seed{seed}")
def world(request):
    seed = request.param
    features, target = data.load_wdbc()
    split = training.split(features.to_numpy(np.float32), target.to_numpy(), split_seed=seed)
    source = CopulaSource.fit(features, target)
    changed = scanner.recalibrated(simulate_stream(source, Scenario(), 4, 300, seed), 0, FACTOR)
    fresh_x, fresh_y = source.sample(5000, [seed, 5])
    return seed, split, changed, (fresh_x.to_numpy(np.float32), fresh_y.to_numpy())


def rows(windows):
    x = np.concatenate([w.features.to_numpy(np.float32) for w in windows])
    return x, np.concatenate([w.target.to_numpy() for w in windows])


def test_ch11_the_scanner_change_costs_missed_cancers_and_new_labels_win_them_back(world):
    seed, (x_train, _, y_train, _), changed, (fresh_x, fresh_y) = world
    first = biopsy.classifier(seed, HIDDEN).fit(x_train, y_train)
    expected = first.score(fresh_x, fresh_y)
    x_now, y_now = rows(changed[2:])
    answers = first.predict(x_now)
    wrong = answers != y_now
    assert wrong.mean() > (1 - expected) + 0.05  # at least 5 points lost
    assert np.mean(answers[wrong] == 0) >= 0.9  # nearly all errors are missed cancers
    retrained = biopsy.classifier(seed, HIDDEN).fit(*rows(changed[:2]))
    assert retrained.score(x_now, y_now) >= expected - 0.02


def test_ch11_day_zero_rows_pick_the_stale_model_today_s_rows_do_not(world):
    seed, (x_train, x_test, y_train, y_test), changed, _ = world
    retrained = biopsy.classifier(seed, HIDDEN).fit(*rows(changed[:2]))
    nightly = biopsy.classifier(seed + 1, HIDDEN).fit(x_train, y_train)
    on_day_zero = promotion.compare(y_test, retrained.predict(x_test), nightly.predict(x_test))
    x_now, y_now = rows(changed[2:])
    on_today = promotion.compare(y_now, retrained.predict(x_now), nightly.predict(x_now))
    assert on_day_zero.promote and on_today.high < 0


def test_ch11_the_contract_refuses_the_nearest_case_and_keeps_the_mlp(world):
    from sklearn.neighbors import KNeighborsClassifier

    seed, (x_train, _, y_train, _), _, _ = world
    cases = contract.draw_cases(seed)
    assert contract.run(biopsy.classifier(seed, HIDDEN).fit(x_train, y_train), cases, seed).ok
    nearest = contract.run(KNeighborsClassifier(1).fit(x_train, y_train), cases, seed)
    assert "test_remeasurement_keeps_the_diagnosis" in nearest.failed
