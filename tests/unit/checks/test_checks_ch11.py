"""The Chapter 11 self-checks pass right answers and explain plausible wrong ones."""

import math

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from helpers.behavior import perturb
from helpers.checks import CheckFailed
from helpers.checks import ch11 as check
from helpers.monitoring import detection, drift
from helpers.scaling import capacity
from helpers.storage import promotion


def mlp(random_state):
    return make_pipeline(StandardScaler(), MLPClassifier(
        (32,), solver="lbfgs", alpha=1e-2, max_iter=500, random_state=random_state))


def test_exercise_1_wants_a_seeded_classifier():
    assert "passed" in check.exercise_1(mlp)
    with pytest.raises(CheckFailed, match=r"(?s)different weights.*random_state=seed"):
        check.exercise_1(lambda seed: mlp(None))
    with pytest.raises(CheckFailed, match="right on only"):
        check.exercise_1(lambda seed: DummyClassifier(strategy="most_frequent"))
    with pytest.raises(CheckFailed, match="cannot be fitted"):
        check.exercise_1(lambda seed: StandardScaler())


def flips(model, features, noise_sd, seed):
    again = features
    for offset, column in enumerate(features.columns):
        again = perturb.jitter_column(again, column, noise_sd, 10_000 + seed + offset)
    rows = features.to_numpy(np.float32)
    return float(np.mean(model.predict(rows) != model.predict(again.to_numpy(np.float32))))


def test_exercise_2_wants_noise_in_each_columns_own_units():
    assert "passed" in check.exercise_2(flips)  # other noise draws than the check's: still right

    def absolute_noise(model, features, noise_sd, seed):
        rng = np.random.default_rng(seed)
        again = features + rng.normal(0, noise_sd, features.shape)
        return float(np.mean(model.predict(features.to_numpy(np.float32))
                             != model.predict(again.to_numpy(np.float32))))

    def one_column(model, features, noise_sd, seed):
        again = perturb.jitter_column(features, "worst_area", noise_sd, seed)
        return float(np.mean(model.predict(features.to_numpy(np.float32))
                             != model.predict(again.to_numpy(np.float32))))

    def in_place(model, features, noise_sd, seed):
        rate = flips(model, features, noise_sd, seed)
        features["mean_radius"] = features["mean_radius"] + 1
        return rate

    for wrong, message in [(absolute_noise, "expected about"), (one_column, "expected about"),
                           (in_place, "changed the frame"),
                           (lambda m, f, s, seed: 82, "not a share"),
                           (lambda m, f, s, seed: flips(m, f, s, np.random.randint(1000)),
                            "same seed")]:
        with pytest.raises(CheckFailed, match=message):
            check.exercise_2(wrong)


def plan(times, rate, target_p99, headroom):
    if not 0 < headroom <= 1:
        raise ValueError("headroom must be in (0, 1]")
    fewest = capacity.replicas_for(rate, capacity.empirical(times), target_p99)
    return max(fewest, math.ceil(rate * float(np.mean(times)) / headroom))


def test_exercise_3_wants_both_the_p99_and_the_headroom():
    assert "passed" in check.exercise_3(plan)

    def no_headroom(times, rate, target_p99, headroom):
        plan(times, rate, target_p99, headroom)  # validates
        return capacity.replicas_for(rate, capacity.empirical(times), target_p99)

    def headroom_only(times, rate, target_p99, headroom):
        plan(times, rate, target_p99, headroom)
        return math.ceil(rate * float(np.mean(times)) / headroom)

    def floor(times, rate, target_p99, headroom):
        return max(plan(times, rate, target_p99, 1.0),
                   int(rate * float(np.mean(times)) / headroom))

    def unchecked(times, rate, target_p99, headroom):
        return plan(times, rate, target_p99, min(max(headroom, 0.01), 1.0))

    for wrong, message in [(no_headroom, "busier than"), (headroom_only, "expected"),
                           (floor, "busier than"), (unchecked, "was accepted"),
                           (lambda *args: 2.5, "whole number")]:
        with pytest.raises(CheckFailed, match=message):
            check.exercise_3(wrong)


def alerts(reference, days, p, consecutive):
    alarms = [drift.ks(reference, day, p).drifted for day in days]
    return detection.AlertRule(consecutive).apply(alarms)


def test_exercise_4_wants_consecutive_ks_alarms():
    assert "passed" in check.exercise_4(alerts)

    def every_alarm(reference, days, p, consecutive):
        return [drift.ks(reference, day, p).drifted for day in days]

    def any_two_so_far(reference, days, p, consecutive):
        alarms = every_alarm(reference, days, p, consecutive)
        return [sum(alarms[:i + 1]) >= consecutive for i in range(len(alarms))]

    def backwards(reference, days, p, consecutive):
        alarms = [not a for a in every_alarm(reference, days, p, consecutive)]
        return detection.AlertRule(consecutive).apply(alarms)

    for wrong, message in [(every_alarm, "single odd day"), (any_two_so_far, "single odd day"),
                           (backwards, "expected"), (lambda r, d, p, c: [False], "alerts for")]:
        with pytest.raises(CheckFailed, match=message):
            check.exercise_4(wrong)


def margin_picks(proba, labelled, k):
    if k > int((~labelled).sum()):
        raise ValueError("not that many unlabelled items")
    top = np.sort(proba, axis=1)
    margin = np.where(labelled, np.inf, top[:, -1] - top[:, -2])
    return np.argsort(margin, kind="stable")[:k]


def test_exercise_5_wants_the_smallest_margins_among_the_unlabelled():
    assert "passed" in check.exercise_5(margin_picks)

    def least_confident(proba, labelled, k):
        margin_picks(proba, labelled, k)
        confidence = np.where(labelled, np.inf, proba.max(axis=1))
        return np.argsort(confidence, kind="stable")[:k]

    def positions(proba, labelled, k):
        picks = margin_picks(proba[~labelled], np.zeros((~labelled).sum(), dtype=bool), k)
        return picks

    def labelled_too(proba, labelled, k):
        return margin_picks(proba, np.zeros_like(labelled), k)

    def no_check(proba, labelled, k):
        return margin_picks(proba, labelled, min(k, int((~labelled).sum())))

    for wrong, message in [(least_confident, "least confident"), (positions, "labelled already"),
                           (labelled_too, "labelled already"), (no_check, "was accepted")]:
        with pytest.raises(CheckFailed, match=message):
            check.exercise_5(wrong)


def keeps(y_true, previous_pred, canary_pred, failed_requests):
    verdict = promotion.compare(y_true, previous_pred, canary_pred)
    return failed_requests == 0 and verdict.high >= 0


def test_exercise_6_wants_rollback_only_on_evidence_or_failures():
    assert "passed" in check.exercise_6(keeps)

    def point_estimate(y_true, previous_pred, canary_pred, failed_requests):
        return failed_requests == 0 and np.mean(canary_pred == y_true) >= np.mean(
            previous_pred == y_true)

    def needs_proof(y_true, previous_pred, canary_pred, failed_requests):
        return failed_requests == 0 and promotion.compare(
            y_true, previous_pred, canary_pred).low > 0

    def ignores_failures(y_true, previous_pred, canary_pred, failed_requests):
        return keeps(y_true, previous_pred, canary_pred, 0)

    with_margin = lambda t, p, c, f: f == 0 and np.mean(c == t) >= np.mean(p == t) - 0.01  # noqa: E731
    assert "passed" in check.exercise_6(with_margin)  # a rule with a margin is defensible too
    for wrong, message in [(point_estimate, "noise"), (needs_proof, "proof"),
                           (ignores_failures, "failed request"),
                           (lambda *args: "keep", "True \\(keep")]:
        with pytest.raises(CheckFailed, match=message):
            check.exercise_6(wrong)
