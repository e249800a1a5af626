"""Put a version live and keep it only if live traffic agrees (Chapter 11).

`swap_under_traffic` moves the registry's alias while clients keep calling the service, then
tells the service to reload (Chapter 3's hot swap), so every request is counted and none may
fail. `judge` is the canary check: once the diagnoses of the traffic the new version answered
have arrived, it compares the new version with the one it replaced on those same rows (Chapter
2's paired bootstrap) and keeps it unless it is surely worse or a request failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LEVEL = 0.95


@dataclass(frozen=True)
class Swap:
    """A hot swap: what the service reported, what the clients saw, what `move` returned."""

    reload: dict  # {"previous": ..., "current": ...} from /admin/reload
    traffic: Any  # helpers.service.traffic.Traffic
    moved: Any


def swap_under_traffic(server: Any, api_key: str, admin: Any, move: Callable[[], Any],
                       body: dict, clients: int = 2, requests: int = 30) -> Swap:
    """`clients` threads post `body` to /predict; meanwhile `move()` and /admin/reload."""
    from helpers.service import traffic

    with traffic.steady_traffic(server, api_key, body, clients=clients) as seen:
        traffic.wait_for_requests(seen, requests)
        moved = move()
        answer = admin.post("/admin/reload")
        if answer.status_code != 200:
            raise RuntimeError(f"the service refused to reload ({answer.status_code}): "
                               f"{answer.text[:300]}")
        traffic.wait_for_requests(seen, requests)
    return Swap(answer.json(), seen, moved)


@dataclass(frozen=True)
class Canary:
    """The canary check of one version against the one it replaced."""

    canary: int
    previous: int
    comparison: Any  # helpers.storage.promotion.Comparison (canary minus previous)
    failed: int  # requests that failed while the canary served
    margin: float  # how much worse than the previous version the canary may surely be

    @property
    def keep(self) -> bool:
        """Keep unless a request failed or the whole interval lies below -margin."""
        return self.failed == 0 and self.comparison.high >= -self.margin

    def __str__(self) -> str:
        c = self.comparison
        verdict = f"keep v{self.canary}" if self.keep else f"roll back to v{self.previous}"
        return (f"canary v{self.canary} against v{self.previous} on {c.n_rows} labelled live "
                f"rows: accuracy {c.challenger:.3f} vs {c.champion:.3f}, {c.level:.0%} interval "
                f"of the difference [{c.low:+.3f}, {c.high:+.3f}]; failed requests "
                f"{self.failed}: {verdict}")


def judge(y_true: Any, previous_pred: Any, canary_pred: Any, *, canary: int, previous: int,
          failed: int = 0, margin: float = 0.0, seed: int = 0) -> Canary:
    """Compare the canary with the previous version on the same labelled live rows."""
    from helpers.storage import promotion

    if failed < 0 or margin < 0:
        raise ValueError(f"failed and margin cannot be negative, got {failed}, {margin}")
    comparison = promotion.compare(y_true, previous_pred, canary_pred, level=LEVEL, seed=seed)
    return Canary(canary, previous, comparison, failed, margin)
