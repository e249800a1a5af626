"""Dynamic micro-batching: requests that arrive within a few milliseconds share one model call.

A model call has a fixed cost (Python overhead, per-tree set-up) plus a small cost per row.
Under concurrent load, waiting `window_ms` after the first request and then predicting every
queued row at once pays the fixed cost once per batch instead of once per request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

Predict = Callable[[np.ndarray], np.ndarray]


@dataclass
class BatchStats:
    """How many model calls and rows a batcher made; mean batch size = rows / calls."""

    calls: int = 0
    rows: int = 0
    sizes: list[int] = field(default_factory=list)

    def record(self, size: int) -> None:
        """Count one model call of `size` rows (the last 10,000 sizes are kept)."""
        self.calls += 1
        self.rows += size
        self.sizes = [*self.sizes[-9_999:], size]

    @property
    def mean_batch(self) -> float:
        """Mean rows per model call (0 before the first call)."""
        return self.rows / self.calls if self.calls else 0.0


class MicroBatcher:
    """Queue rows from many coroutines; one worker predicts them in batches, in a thread."""

    def __init__(self, predict: Predict, window_ms: float = 5.0, max_batch: int = 64) -> None:
        if window_ms < 0 or max_batch < 1:
            raise ValueError(f"need window_ms >= 0 and max_batch >= 1: {window_ms}, {max_batch}")
        self.predict, self.window_ms, self.max_batch = predict, window_ms, max_batch
        self.stats = BatchStats()
        self._queue: asyncio.Queue[tuple[np.ndarray, asyncio.Future]] | None = None
        self._worker: asyncio.Task | None = None

    async def submit(self, rows: np.ndarray) -> np.ndarray:
        """Predict `rows` (2-D) as part of the next batch; returns their own output rows."""
        if self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = asyncio.get_running_loop().create_task(self._run())
        future = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((np.asarray(rows), future))
        return await future

    async def _run(self) -> None:
        """Worker: wait for a first request, let the window fill, predict all, hand out."""
        items: list[tuple[np.ndarray, asyncio.Future]] = []
        try:
            while True:
                items = [await self._queue.get()]
                if self.window_ms > 0 and self._queued_rows(items) < self.max_batch:
                    await asyncio.sleep(self.window_ms / 1000)
                while not self._queue.empty() and self._queued_rows(items) < self.max_batch:
                    items.append(self._queue.get_nowait())
                await self._predict_and_answer(items)
                items = []
        except asyncio.CancelledError:
            _fail(items, RuntimeError("the batcher was closed"))
            raise

    @staticmethod
    def _queued_rows(items: list[tuple[np.ndarray, asyncio.Future]]) -> int:
        return sum(len(rows) for rows, _ in items)

    async def _predict_and_answer(self, items: list[tuple[np.ndarray, asyncio.Future]]) -> None:
        """One model call for all items (off the event loop), then split the result."""
        batch = np.concatenate([rows for rows, _ in items])
        try:
            output = await asyncio.get_running_loop().run_in_executor(None, self.predict, batch)
        except Exception as error:  # every waiting request gets the model's error
            _fail(items, error)
            return
        self.stats.record(len(batch))
        start = 0
        for rows, future in items:
            if not future.done():  # a client may have gone away meanwhile
                future.set_result(output[start : start + len(rows)])
            start += len(rows)

    async def close(self) -> None:
        """Stop the worker; requests still queued get a RuntimeError instead of hanging."""
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.gather(self._worker, return_exceptions=True)
            self._worker = None
        while self._queue is not None and not self._queue.empty():
            _fail([self._queue.get_nowait()], RuntimeError("the batcher was closed"))


def _fail(items: list[tuple[np.ndarray, asyncio.Future]], error: BaseException) -> None:
    """Hand `error` to every request in `items` that is still waiting."""
    for _, future in items:
        if not future.done():
            future.set_exception(error)
