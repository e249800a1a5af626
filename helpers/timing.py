"""Best-of-N wall-clock timing: the one way the course times a piece of code."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any


def best_of(action: Callable[[], Any], repeats: int = 3) -> tuple[float, Any]:
    """Best wall time in seconds of `repeats` calls of `action`, and the last call's result.

    The minimum, not the mean: other work on the machine only ever adds time, so the fastest
    run is the closest to what the code itself costs.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result
