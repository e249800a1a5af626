"""Size, latency and accuracy of every variant side by side, the Pareto front, and a choice.

Latency is the best of several timed runs (`helpers.timing.best_of`), each run a loop of calls
on the same rows, divided by the number of calls: one call of a small model takes tens of
microseconds, too short to time alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from helpers.compression.models import accuracy
from helpers.timing import best_of

Predict = Callable[[np.ndarray], np.ndarray]
COLUMNS = ["size_kb", "latency_1_us", "latency_64_us", "accuracy"]


def latency(predict: Predict, rows: np.ndarray, repeats: int = 5, calls: int = 20,
            run_seconds: float = 0.005) -> float:
    """Seconds per call of `predict(rows)`: best of `repeats` runs of up to `calls` calls each.

    A slow variant gets fewer calls per run (about `run_seconds` per run, at least one), so
    timing it costs no more than timing a fast one.
    """
    if calls < 1:
        raise ValueError(f"calls must be at least 1, got {calls}")
    warm_up, _ = best_of(lambda: predict(rows), 1)  # first calls allocate and pick kernels
    calls = max(1, min(calls, int(run_seconds / max(warm_up, 1e-9))))

    def run() -> None:
        for _ in range(calls):
            predict(rows)

    seconds, _ = best_of(run, repeats)
    return seconds / calls


def latencies(predicts: dict[str, Predict], rows: np.ndarray, repeats: int = 5,
              calls: int = 20) -> dict[str, float]:
    """Seconds per call of each predict, timed in turns: round after round, one run of
    `calls` calls per variant, best round kept. Taking turns spreads any load on the machine
    over all variants alike, instead of slowing whichever one ran while it lasted."""
    if calls < 1:
        raise ValueError(f"calls must be at least 1, got {calls}")
    best = dict.fromkeys(predicts, np.inf)
    for _ in range(repeats):
        for name, predict in predicts.items():
            best[name] = min(best[name], latency(predict, rows, repeats=1, calls=calls))
    return best


def measure_all(variants: dict[str, tuple[Predict, int]], features: np.ndarray,
                labels: np.ndarray, repeats: int = 5, batch: int = 64) -> list[dict[str, Any]]:
    """Rows of the trade-off table for {name: (predict, size in bytes)}, timed in turns."""
    if len(features) < batch:
        raise ValueError(f"need at least {batch} test rows to time a batch of {batch}")
    predicts = {name: predict for name, (predict, _) in variants.items()}
    one = latencies(predicts, features[:1], repeats, calls=50)
    many = latencies(predicts, features[:batch], repeats, calls=5)
    return [{"variant": name, "size_kb": size / 1024, "latency_1_us": 1e6 * one[name],
             "latency_64_us": 1e6 * many[name], "accuracy": accuracy(predict(features), labels)}
            for name, (predict, size) in variants.items()]


def onnx_predict(onnx_bytes: bytes, threads: int = 1) -> Predict:
    """Scores from an ONNX Runtime session (Chapter 2's `session`: CPU, `threads` threads)."""
    from helpers.storage import onnx

    session = onnx.session(onnx_bytes, threads=threads)
    name = session.get_inputs()[0].name
    return lambda rows: session.run(None, {name: np.asarray(rows, dtype=np.float32)})[0]


def torch_predict(model: Any) -> Predict:
    """Scores from a torch model on the CPU (no gradients)."""
    from helpers.compression.models import logits

    return lambda rows: logits(model, rows)


def measure(name: str, predict: Predict, size_bytes: int, features: np.ndarray,
            labels: np.ndarray, repeats: int = 5, batch: int = 64) -> dict[str, Any]:
    """One row of the trade-off table: size, latency at batch 1 and `batch`, test accuracy."""
    if len(features) < batch:
        raise ValueError(f"need at least {batch} test rows to time a batch of {batch}")
    return {
        "variant": name,
        "size_kb": size_bytes / 1024,
        "latency_1_us": 1e6 * latency(predict, features[:1], repeats, calls=50),
        "latency_64_us": 1e6 * latency(predict, features[:batch], repeats, calls=5),
        "accuracy": accuracy(predict(features), labels),
    }


def trade_off(rows: Sequence[dict[str, Any]], baseline: str) -> pd.DataFrame:
    """The rows as a table indexed by variant, with size and speed ratios against `baseline`."""
    table = pd.DataFrame(rows).set_index("variant")
    if baseline not in table.index:
        raise KeyError(f"baseline {baseline!r} is not a variant; variants: {list(table.index)}")
    base = table.loc[baseline]
    table["smaller_x"] = base["size_kb"] / table["size_kb"]
    table["faster_1_x"] = base["latency_1_us"] / table["latency_1_us"]
    table["faster_64_x"] = base["latency_64_us"] / table["latency_64_us"]
    table["accuracy_change_pts"] = 100 * (table["accuracy"] - base["accuracy"])
    return table


def pareto_front(table: pd.DataFrame, costs: Sequence[str], gain: str = "accuracy") -> pd.Series:
    """True for each variant no other variant beats: at most its costs, at least its gain,
    and strictly better in one of them."""
    values = table[list(costs)].to_numpy()
    score = table[gain].to_numpy()
    dominated = [
        bool(np.any(np.all(values <= values[i], axis=1) & (score >= score[i])
                    & (np.any(values < values[i], axis=1) | (score > score[i]))))
        for i in range(len(table))
    ]
    return pd.Series(~np.array(dominated), index=table.index, name="pareto")


def choose(table: pd.DataFrame, min_accuracy: float, max_size_kb: float = np.inf,
           max_latency_us: float = np.inf, latency: str = "latency_1_us") -> str | None:
    """The most accurate variant within the limits (ties: the faster one), or None if none fits."""
    fits = table[(table["accuracy"] >= min_accuracy) & (table["size_kb"] <= max_size_kb)
                 & (table[latency] <= max_latency_us)]
    if fits.empty:
        return None
    return str(fits.sort_values(["accuracy", latency], ascending=[False, True]).index[0])


def cost_per_million(latency_seconds: float, price_per_cpu_hour: float) -> float:
    """Compute cost of a million requests, each taking `latency_seconds` of one CPU core."""
    return 1e6 * latency_seconds * price_per_cpu_hour / 3600


def targets_met(row: pd.Series, smaller: float = 3.5, faster: float = 2.0,
                max_drop_pts: float = 1.0) -> dict[str, bool]:
    """Whether a variant is `smaller` x smaller, `faster` x faster at batch 1, and lost at most
    `max_drop_pts` accuracy points, against the baseline of `trade_off`."""
    return {
        f">= {smaller}x smaller": bool(row["smaller_x"] >= smaller),
        f">= {faster}x faster at batch 1": bool(row["faster_1_x"] >= faster),
        f"<= {max_drop_pts} point lost": bool(row["accuracy_change_pts"] >= -max_drop_pts),
    }


def best_under(table: pd.DataFrame, minimize: str, min_accuracy: float) -> str | None:
    """The variant with the lowest `minimize` among those at least `min_accuracy` accurate
    (ties: the more accurate one), or None if none is accurate enough."""
    fits = table[table["accuracy"] >= min_accuracy]
    if fits.empty:
        return None
    return str(fits.sort_values([minimize, "accuracy"], ascending=[True, False]).index[0])
