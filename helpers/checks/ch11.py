"""Self-checks for the Chapter 11 lab (the capstone project), one per step of a model's life."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from helpers.checks import passed, require


def _refuses(call: Callable[[], object]) -> bool:
    """Whether `call()` raises ValueError (bad input must get a clear error)."""
    try:
        call()
    except ValueError:
        return True
    return False


def _biopsies(split_seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The real biopsies of Chapters 1 and 3, split by Chapter 1's `training.split`."""
    from helpers import data
    from helpers.reproducibility import training

    features, target = data.load_wdbc()
    return training.split(features.to_numpy(np.float32), target.to_numpy(),
                          split_seed=split_seed)


def exercise_1(recipe: Callable[[int], object]) -> str:
    """`recipe(seed)` must be an unfitted classifier that learns the same weights every time."""
    from helpers.capstone import biopsy

    x_train, x_test, y_train, y_test = _biopsies(split_seed=3)
    model = recipe(3)
    require(callable(getattr(model, "fit", None))
            and callable(getattr(model, "predict_proba", None)), 1,
            f"recipe(3) returned {type(model).__name__}, which cannot be fitted and give "
            "probabilities",
            "return an unfitted scikit-learn classifier, e.g. make_pipeline(StandardScaler(), "
            "MLPClassifier(..., random_state=seed)).")
    first = model.fit(x_train, y_train)
    np.random.random(10)  # other code ran in between, as it will in a notebook
    second = recipe(3).fit(x_train, y_train)
    require(biopsy.weights_sha256(first) == biopsy.weights_sha256(second), 1,
            "recipe(3), fitted twice on the same rows, learned different weights",
            "give every random part of the recipe the seed (random_state=seed); without it "
            "scikit-learn draws from numpy's global generator, which other code moves on.")
    accuracy = float(np.mean(np.asarray(second.predict(x_test)) == y_test))
    require(accuracy >= 0.9, 1,
            f"the fitted recipe is right on only {accuracy:.1%} of the check's test biopsies",
            "scale the inputs (StandardScaler) and use a real classifier, not a constant one.")
    return passed(1, f"recipe(3) fitted twice learned identical weights; test accuracy "
                     f"{accuracy:.3f}")


def _remeasured_flips(model: object, features: pd.DataFrame, noise_sd: float,
                      seed: int) -> float:
    """The reference: every column jittered by `noise_sd` of its sd, share of classes changed."""
    from helpers.behavior import perturb

    again = features
    for offset, column in enumerate(features.columns):
        again = perturb.jitter_column(again, column, noise_sd, seed * 1000 + offset)
    before = np.asarray(model.predict(features.to_numpy(np.float32)))
    return float(np.mean(before != np.asarray(model.predict(again.to_numpy(np.float32)))))


NOISE_SD = 0.3  # exercise 2: noise of a new measurement, in standard deviations of a column
NOISE_SEEDS = (5, 6, 7, 8, 9)


def exercise_2(remeasurement_flips: Callable[[object, pd.DataFrame, float, int], float]) -> str:
    """The share of predictions that change when every measurement is taken again with noise."""
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from helpers.capstone import biopsy, contract

    x_train, _, y_train, _ = _biopsies(split_seed=4)
    features = contract.measurements(contract.draw_cases(seed=4, rows=2000))
    untouched = features.copy()
    models = {"a scaled MLP": biopsy.classifier(4, hidden=32).fit(x_train, y_train),
              "a nearest neighbour on raw measurements": KNeighborsClassifier(1).fit(
                  x_train, y_train),
              "a nearest neighbour on scaled measurements": make_pipeline(
                  StandardScaler(), KNeighborsClassifier(1)).fit(x_train, y_train)}
    rates = {}
    for name, model in models.items():
        got = remeasurement_flips(model, features, NOISE_SD, 5)
        require(isinstance(got, (float, np.floating)) and 0 <= got <= 1, 2,
                f"for {name} you returned {got!r}, not a share between 0 and 1",
                "return float(np.mean(before != after)): the share of rows whose class changed.")
        require(features.equals(untouched), 2, "your function changed the frame it was given",
                "jitter a copy (perturb.jitter_column returns a new frame).")
        require(remeasurement_flips(model, features, NOISE_SD, 5) == got, 2,
                f"for {name} two calls with the same seed gave different shares",
                "draw the noise from the seed you are given (perturb.jitter_column(..., seed)).")
        # your noise and the check's differ, so both are averaged over a few seeds
        mean = float(np.mean([got, *(remeasurement_flips(model, features, NOISE_SD, seed)
                                     for seed in NOISE_SEEDS[1:])]))
        expected = float(np.mean([_remeasured_flips(model, features, NOISE_SD, seed)
                                  for seed in NOISE_SEEDS]))
        require(abs(mean - expected) <= 0.012, 2,
                f"for {name} you found {mean:.1%} of the diagnoses changed (mean of "
                f"{len(NOISE_SEEDS)} seeds), expected about {expected:.1%}",
                "add noise to every column, with a standard deviation of noise_sd times that "
                "column's own standard deviation, then compare the predicted classes.")
        rates[name] = mean
    still = remeasurement_flips(models["a nearest neighbour on raw measurements"], features, 0.0,
                                5)
    require(still == 0, 2, f"with no noise at all, {still:.1%} of the diagnoses changed",
            "compare the predictions on the frame and on its jittered copy, nothing else.")
    shown = ", ".join(f"{name} {rate:.1%}" for name, rate in rates.items())
    return passed(2, f"diagnoses changed by a new measurement: {shown}")


def _reference_plan(times: np.ndarray, rate: float, target_p99: float, headroom: float) -> int:
    """The fewest replicas meeting the p99 in simulation, and none busier than `headroom`."""
    from helpers.scaling import capacity

    fewest = capacity.replicas_for(rate, capacity.empirical(times), target_p99)
    return max(fewest, math.ceil(rate * float(np.mean(times)) / headroom))


def exercise_3(plan_replicas: Callable[[np.ndarray, float, float, float], int]) -> str:
    """Replicas for a traffic: the p99 objective in simulation, and the headroom rule."""
    rng = np.random.default_rng(11)
    steady = rng.uniform(0.0018, 0.0022, 200)  # about 2 ms per request
    tail = np.where(rng.random(200) < 0.05, 0.2, 0.001)  # about one request in 20: 200 ms
    cases = [("steady 2 ms requests, a loose p99, 30 % headroom", steady, 1000.0, 1.0, 0.3),
             ("a heavy tail (a few requests take 200 ms), a p99 of 210 ms", tail, 200.0, 0.21,
              0.7)]
    answers = []
    for label, times, rate, target, headroom in cases:
        got = plan_replicas(times.copy(), rate, target, headroom)
        require(isinstance(got, (int, np.integer)) and got >= 1, 3,
                f"for {label} you returned {got!r}, not a whole number of replicas",
                "return an int: a replica is not divisible.")
        expected = _reference_plan(times, rate, target, headroom)
        utilisation = math.ceil(rate * float(np.mean(times)) / headroom)
        require(got >= utilisation, 3,
                f"for {label} you plan {got} replicas, but at {rate:g} requests/s each of them "
                f"would be busier than {headroom:.0%} (that needs {utilisation})",
                "also take ceil(rate x mean service time / headroom), and the larger of the two.")
        require(abs(got - expected) <= (0 if expected == utilisation else 1), 3,
                f"for {label} you plan {got} replicas, expected {expected}",
                "simulate: capacity.replicas_for(rate, capacity.empirical(times), target_p99) "
                "finds the fewest that meet the p99; the mean alone ignores the queue.")
        answers.append(got)
    for bad in (0.0, 1.5):
        require(_refuses(lambda bad=bad: plan_replicas(steady.copy(), 1000.0, 1.0, bad)), 3,
                f"headroom={bad} was accepted",
                "raise ValueError unless 0 < headroom <= 1: it is the busiest share allowed.")
    return passed(3, f"{answers[0]} replicas for the steady traffic (the headroom decides), "
                     f"{answers[1]} for the heavy tail (the p99 decides)")


def exercise_4(drift_alerts: Callable[[pd.Series, Sequence[pd.Series], float, int],
                                      Sequence[bool]]) -> str:
    """Alerts from a KS test per day, only after `consecutive` alarms in a row."""
    from helpers.monitoring import detection, drift

    rng = np.random.default_rng(21)
    reference = pd.Series(rng.normal(size=400))
    shifted = {3, 7, *range(12, 20)}  # two single odd days, then a lasting change
    days = [pd.Series(rng.normal(size=150) + (1.0 if day in shifted else 0.0))
            for day in range(20)]
    for consecutive in (2, 1, 3):
        got = [bool(alert) for alert in drift_alerts(reference, days, 0.01, consecutive)]
        alarms = [drift.ks(reference, day, 0.01).drifted for day in days]
        expected = detection.AlertRule(consecutive).apply(alarms)
        require(len(got) == len(days), 4, f"{len(got)} alerts for {len(days)} days",
                "return one True/False per day, in order.")
        if consecutive > 1 and any(got[3:4] + got[7:8]):
            require(False, 4, "a single odd day raised an alert",
                    f"alert only after {consecutive} alarms in a row (detection.AlertRule).")
        require(got == expected, 4,
                f"with consecutive={consecutive} your alerts fall on days "
                f"{[i for i, a in enumerate(got) if a]}, expected "
                f"{[i for i, a in enumerate(expected) if a]}",
                "an alarm is a KS p-value below p (drift.ks(reference, day, p).drifted); an "
                "alert needs `consecutive` alarms in a row, counted afresh after a quiet day.")
    first = next(i for i, alert in enumerate(expected) if alert)
    return passed(4, "no alert on quiet or single odd days; the lasting change alerts from "
                     f"day {first} with 3 alarms in a row required")


def _margin_picks(proba: np.ndarray, labelled: np.ndarray, k: int) -> set[int]:
    """The reference: the k unlabelled rows with the smallest top-two margin."""
    top = np.sort(proba, axis=1)
    margin = top[:, -1] - top[:, -2]
    candidates = np.flatnonzero(~labelled)
    return set(candidates[np.argsort(margin[candidates], kind="stable")[:k]].tolist())


def exercise_5(pick_for_review: Callable[[np.ndarray, np.ndarray, int], Sequence[int]]) -> str:
    """The k unlabelled items with the smallest margin between their two likeliest classes."""
    rng = np.random.default_rng(31)
    for classes in (4, 2):
        proba = rng.dirichlet(np.full(classes, 0.7), size=300)
        labelled = rng.random(300) < 0.3
        got = np.asarray(pick_for_review(proba.copy(), labelled.copy(), 20)).ravel()
        require(len(got) == 20 and len(set(got.tolist())) == 20, 5,
                f"with {classes} classes you picked {len(got)} items ({len(set(got.tolist()))} "
                "different), expected 20", "return k distinct row indices.")
        require(not labelled[got.astype(int)].any(), 5,
                "you picked items that are labelled already",
                "choose among the rows where `labelled` is False, and return their indices in "
                "the full array, not positions in the unlabelled subset.")
        expected = _margin_picks(proba, labelled, 20)
        top = proba.max(axis=1)
        least = np.flatnonzero(~labelled)[np.argsort(top[~labelled], kind="stable")[:20]]
        require(set(got.tolist()) == expected, 5,
                f"with {classes} classes {len(set(got.tolist()) - expected)} of your 20 picks are "
                "not among the 20 smallest margins"
                + (" (you picked the least confident items)"
                   if set(got.tolist()) == set(least.tolist()) else ""),
                "the margin is the largest probability minus the second largest (sort each row); "
                "pick the smallest margins.")
    too_many = int((~labelled).sum()) + 1
    require(_refuses(lambda: pick_for_review(proba, labelled, too_many)), 5,
            "asking for more items than are unlabelled was accepted",
            "raise ValueError when k is larger than the number of unlabelled items.")
    return passed(5, "the smallest margins among the unlabelled items, with 4 and 2 classes; "
                     "too large a k is refused")


def _canary_cases(seed: int = 41) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, int,
                                                 bool | None]]:
    """(label, truth, previous, canary, failed requests, the verdict, None if both defend)."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 2, 300)

    def right_on(share: float, generator: np.random.Generator) -> np.ndarray:
        return np.where(generator.random(300) < share, truth, 1 - truth)

    previous = right_on(0.90, rng)
    noisy = previous.copy()
    noisy[np.flatnonzero(previous == truth)[:2]] ^= 1  # two answers worse: noise
    gray = previous.copy()
    gray[np.flatnonzero(previous == truth)[:9]] ^= 1  # nine worse: neither clear nor nothing
    return [("a clearly better canary", truth, previous, right_on(0.97, rng), 0, True),
            ("a clearly worse canary", truth, previous, right_on(0.80, rng), 0, False),
            ("a canary that answers exactly as the previous version", truth, previous,
             previous.copy(), 0, True),
            ("a canary two answers worse out of 300", truth, previous, noisy, 0, True),
            ("a better canary, but one request failed", truth, previous,
             right_on(0.97, rng), 1, False),
            ("a canary nine answers worse out of 300", truth, previous, gray, 0, None)]


def exercise_6(canary_keeps: Callable[[np.ndarray, np.ndarray, np.ndarray, int], bool]) -> str:
    """Keep the canary unless it is surely worse than the version it replaced, or failed."""
    for label, truth, previous, canary, failed, verdict in _canary_cases():
        got = canary_keeps(truth.copy(), previous.copy(), canary.copy(), failed)
        require(isinstance(got, (bool, np.bool_)), 6, f"for {label} you returned {got!r}",
                "return True (keep the canary) or False (roll back).")
        if verdict is None:
            continue
        hints = {
            "a clearly worse canary": "roll back when the canary is surely worse: the whole "
                                      "interval of its accuracy minus the previous one below 0 "
                                      "(promotion.compare gives it).",
            "a better canary, but one request failed": "a failed request is a reason to roll "
                                                       "back by itself.",
            "a canary two answers worse out of 300": "two answers of 300 are noise, not "
                                                     "evidence: compare on an interval "
                                                     "(promotion.compare), not on the two "
                                                     "accuracies.",
        }
        require(bool(got) == verdict, 6,
                f"for {label} you {'keep' if got else 'roll back'}, expected to "
                f"{'keep' if verdict else 'roll back'}",
                hints.get(label, "a canary that is not worse stays: requiring proof that it is "
                                 "better would roll back almost every update."))
    return passed(6, "better and unchanged canaries stay, a surely worse one or one with a "
                     "failed request is rolled back, and noise is not evidence")
