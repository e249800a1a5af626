"""Self-checks for the Chapter 5 lab (drift and monitoring)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from helpers.checks import passed, require
from helpers.monitoring import drift

CHECK_WINDOW = 100  # rows per window in the checks' own streams
CHECK_WINDOWS = 200  # windows per check stream: enough to measure a 5 % rate


def _psi_values(shift: float, seed: int) -> np.ndarray:
    """PSI of `CHECK_WINDOWS` normal windows, shifted by `shift`, against one fixed reference."""
    reference = np.random.default_rng(0).normal(size=1000)
    rng = np.random.default_rng(seed)
    return np.array([drift.psi(reference, rng.normal(size=CHECK_WINDOW) + shift).value
                     for _ in range(CHECK_WINDOWS)])


def exercise_1(pick_threshold: Callable[[np.ndarray, float], float], target: float = 0.05) -> str:
    """The threshold learnt from quiet windows must meet the target on new quiet windows."""
    calibration, quiet, shifted = _psi_values(0.0, 1), _psi_values(0.0, 2), _psi_values(0.5, 3)
    threshold = pick_threshold(calibration, target)
    require(isinstance(threshold, (int, float, np.floating)) and np.isfinite(threshold), 1,
            f"expected one finite number, got {threshold!r}",
            "return a float, e.g. float(np.quantile(values, 1 - target_rate)).")
    false_rate, found = float(np.mean(quiet >= threshold)), float(np.mean(shifted >= threshold))
    require(false_rate <= 2 * target, 1,
            f"threshold {threshold:.3f} raises false alarms in {false_rate:.0%} of new quiet "
            f"windows, over the target of {target:.0%}",
            "a fixed rule of thumb (0.1) is too low for small windows; take the quantile of the "
            "quiet values that leaves `target_rate` of them above it.")
    require(found >= 0.8, 1,
            f"threshold {threshold:.3f} finds only {found:.0%} of windows shifted by 0.5 sd",
            "do not go higher than needed: the (1 - target_rate) quantile of the quiet values.")
    return passed(1, f"threshold {threshold:.3f}: {false_rate:.1%} false alarms on new quiet "
                     f"windows, {found:.0%} of 0.5 sd shifts found")


def _windows(seed: int) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """A reference and 20 quiet windows, fresh draws from the copula fitted to WDBC."""
    from helpers import data
    from helpers.monitoring.source import CopulaSource

    world = CopulaSource.fit(*data.load_wdbc())
    reference = world.sample(400, [seed, 0])[0]
    return reference, [world.sample(CHECK_WINDOW, [seed, i + 1])[0] for i in range(20)]


def exercise_2(unit_check: Callable[[pd.DataFrame, pd.DataFrame], Sequence[str]]) -> str:
    """`unit_check(reference, window)` must name the columns whose unit changed, and only them."""
    reference, windows = _windows(5)
    noisy = [(i, found) for i, w in enumerate(windows) if (found := list(unit_check(reference, w)))]
    example = f"window {noisy[0][0]}: {noisy[0][1]}" if noisy else ""
    require(not noisy, 2, f"quiet windows were flagged, e.g. {example}",
            "compare a robust summary (the median) with the reference's and allow a factor "
            "of 2 or so either way before calling it a unit change.")
    cases = [("worst_radius", 0.1), ("mean_area", 0.01), ("mean_texture", 10.0)]
    for column, factor in cases:
        window = windows[0].copy()
        window[column] = window[column] * factor
        window.loc[:1, column] = np.nan  # a few missing values must not break the check
        found = list(unit_check(reference, window))
        require(found == [column], 2,
                f"{column} multiplied by {factor:g} gave {found}, expected [{column!r}]",
                "a range check misses a change that makes values smaller (mm to cm): compare "
                "medians (ignoring NaN) in both directions.")
    return passed(2, f"{len(windows)} quiet windows pass and {len(cases)} unit changes are "
                     "named, smaller ones included")


def exercise_3(retrain_policy: Callable[[Sequence[float], float, int], Sequence[bool]]) -> str:
    """The policy must wait for labels, ignore one bad window, and act soon on a lasting drop."""
    rng = np.random.default_rng(7)
    quiet = list(0.95 + rng.uniform(-0.02, 0.02, size=24))
    dip = quiet.copy()
    dip[6] = 0.8
    drop = quiet[:8] + [0.6] * 16
    lag = 2
    for label, accuracy in [("a quiet stream", quiet), ("one bad window", dip)]:
        triggers = list(retrain_policy(accuracy, 0.95, lag))
        require(len(triggers) == len(accuracy), 3,
                f"{len(triggers)} decisions for {len(accuracy)} windows",
                "return one True/False per window.")
        first = next((i for i, trigger in enumerate(triggers) if trigger), None)
        require(first is None, 3, f"{label} triggered retraining (window {first})",
                "require the drop in more than one window in a row (detection.AlertRule).")
    first = next((i for i, trigger in enumerate(retrain_policy(drop, 0.95, lag)) if trigger), None)
    require(first is not None, 3, "a lasting drop from 0.95 to 0.60 never triggered retraining",
            "alarm when accuracy falls below baseline minus a tolerance (e.g. 0.05).")
    require(first >= 8 + lag, 3,
            f"retraining triggered in window {first}, before the labels of window 8 (the first "
            f"bad one) arrived in window {8 + lag}",
            "shift the accuracy alarms by label_lag (detection.performance_alarms does it).")
    require(first <= 8 + lag + 2, 3, f"retraining waited until window {first}",
            "two consecutive alarms are enough; more only delays the response.")
    return passed(3, f"no trigger on quiet data or one bad window; the drop from window 8 "
                     f"triggers in window {first} (labels {lag} windows late)")


def _rates(rows: list[tuple[str, int, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["method", "window", "false_alarm_rate", "detection_rate"])


# measured-looking tables, each with the set of answers that meet the requirements below
_CASES = [
    (_rates([("ks", 100, 0.05, 0.62), ("ks", 200, 0.04, 0.93), ("ks", 400, 0.05, 1.0),
             ("psi", 100, 0.75, 0.99), ("psi", 200, 0.33, 1.0), ("psi", 400, 0.09, 1.0),
             ("wasserstein", 100, 0.77, 1.0), ("wasserstein", 200, 0.45, 1.0)]),
     {("ks", 200)}),
    (_rates([("ks", 50, 0.04, 0.95), ("ks", 100, 0.06, 1.0), ("psi", 50, 0.02, 0.91),
             ("psi", 200, 0.01, 1.0), ("wasserstein", 400, 0.0, 1.0)]),
     {("ks", 50), ("psi", 50), ("psi", 200)}),
    (_rates([("ks", 100, 0.05, 0.62), ("ks", 400, 0.04, 1.0), ("psi", 200, 0.33, 1.0)]),
     set()),
]
BUDGET, MIN_DETECTION, MAX_WINDOW = 0.05, 0.9, 200


def exercise_4(
    choose_monitor: Callable[[pd.DataFrame, float, float, int], tuple[str, int] | None],
) -> str:
    """Any (method, window) that meets the budget, the detection rate and the deadline passes;
    when none does, the answer must be None (no monitor is better than a broken promise)."""
    for number, (table, good) in enumerate(_CASES, start=1):
        choice = choose_monitor(table.copy(), BUDGET, MIN_DETECTION, MAX_WINDOW)
        if not good:
            require(choice is None, 4,
                    f"in table {number} no option meets every requirement, yet you chose "
                    f"{choice!r}",
                    "return None when no row meets all three: say so rather than pick one.")
            continue
        require(choice is not None, 4, f"table {number} has options that meet every "
                f"requirement ({sorted(good)}) but you chose none",
                "keep the rows with false_alarm_rate <= budget, detection_rate >= "
                "min_detection and window <= max_window.")
        method, window = choice
        row = table[(table.method == method) & (table.window == window)]
        require(len(row) == 1, 4, f"({method!r}, {window}) is not a row of table {number}",
                "return the method and window of one row of the table.")
        problems = [f"false alarms {row.false_alarm_rate.iloc[0]:.0%} > {BUDGET:.0%}"
                    if row.false_alarm_rate.iloc[0] > BUDGET else "",
                    f"detection {row.detection_rate.iloc[0]:.0%} < {MIN_DETECTION:.0%}"
                    if row.detection_rate.iloc[0] < MIN_DETECTION else "",
                    f"window {window} > {MAX_WINDOW} rows (too late)"
                    if window > MAX_WINDOW else ""]
        require((method, window) in good, 4,
                f"in table {number}, ({method!r}, {window}) breaks a requirement: "
                + "; ".join(p for p in problems if p),
                "every requirement must hold at once: budget, detection rate and deadline.")
    return passed(4, "every choice meets the false-alarm budget, the detection rate and the "
                     "deadline, and no option is invented when none does")
