"""The biopsy model's behavioural contract (Chapter 11): a promotion runs this file.

Chapter 8's gate (`helpers.behavior.gate.run_suite`) hands it a candidate, and
`helpers.capstone.contract.run` the cases to test it on; run alone (``pytest`` on this file) it
tests the reference model on cases drawn from Chapter 5's known distribution. The limits, what
the team accepts for each behaviour, are in `helpers.capstone.contract`.
"""

import os

import numpy as np
import pytest

from helpers.behavior import fairness, perturb, suite
from helpers.behavior.gate import SEED_ENV
from helpers.capstone import biopsy, contract, scanner
from helpers.capstone.contract import GROWTH, LIMITS, NOISE_SD, TOLERANCE

BOOTSTRAP_ROUNDS = 100  # resamples for the interval of the gap between sites


@pytest.fixture(scope="module")
def seed(request):
    """The gate's seed (or BEHAVIOR_SEED): it draws the noise and any cases drawn here."""
    chosen = getattr(request.config, "behavior_seed", None)
    return int(os.environ.get(SEED_ENV, "0")) if chosen is None else int(chosen)


@pytest.fixture(scope="module")
def cases(seed):
    """The cases the gate was given, or cases drawn from the known distribution."""
    return contract.load_cases(seed)


@pytest.fixture(scope="module")
def model(request, seed):
    """The gate's candidate, or the reference model trained on the bundled biopsies."""
    candidate = getattr(request.config, "behavior_model", None)
    if candidate is not None:
        return candidate
    from helpers import data
    from helpers.reproducibility import training

    features, target = data.load_wdbc()
    x_train, _, y_train, _ = training.split(features.to_numpy(np.float32), target.to_numpy(),
                                            split_seed=seed)
    return biopsy.classifier(seed).fit(x_train, y_train)


def rows(frame):
    """Rows as float32 (what the served model takes), and a readable name for each."""
    return frame.to_numpy(np.float32), [f"case {i}" for i in frame.index]


def test_remeasurement_keeps_the_diagnosis(model, cases, seed):
    measured = contract.measurements(cases)
    again = measured
    for offset, column in enumerate(measured.columns):
        again = perturb.jitter_column(again, column, NOISE_SD, seed * 1000 + offset)
    (first, names), (second, _) = rows(measured), rows(again)
    result = suite.inv("remeasurement", model, first, second, describe=names)
    assert result.failure_rate <= LIMITS["remeasurement"], (
        f"{result.failures}/{result.cases} diagnoses change when the biopsy is measured again "
        f"({result.failure_rate:.1%}, limit {LIMITS['remeasurement']:.0%})")


def test_a_bigger_mass_is_not_less_malignant(model, cases):
    measured = contract.measurements(cases)
    (small, names), (big, _) = rows(measured), rows(scanner.rescale(measured, GROWTH))
    result = suite.direction("bigger mass", model, small, big, +1, tolerance=TOLERANCE,
                             describe=names)
    assert result.failure_rate <= LIMITS["bigger mass"], (
        f"{result.failures}/{result.cases} masses look less malignant when 10 % bigger "
        f"({result.failure_rate:.1%}, limit {LIMITS['bigger mass']:.0%})")


def test_cancers_are_caught_equally_at_both_sites(model, cases, seed):
    first, _ = rows(contract.measurements(cases))
    predicted = (suite.positive_probability(model, first) >= 0.5).astype(int)
    arrays = (cases[contract.TARGET].to_numpy(), predicted, cases[contract.SITE].to_numpy())
    gap = fairness.bootstrap(fairness.gaps, arrays, seed, rounds=BOOTSTRAP_ROUNDS).loc[
        "equalized odds difference"]
    assert gap["low"] <= LIMITS["site gap"], (
        f"the sites differ in caught cancers or false alarms by {gap['value']:.3f} (95 % "
        f"interval {gap['low']:.3f} to {gap['high']:.3f}), surely above the limit "
        f"{LIMITS['site gap']:.2f}")
