"""Dynamic micro-batching: requests that arrive within a few milliseconds share one model call.

A model call has a fixed cost (Python overhead, per-tree set-up) plus a small cost per row.
Under concurrent load, waiting `window_ms` after the first request and then predicting every
queued row at once pays the fixed cost once per batch instead of once per request.

Two safety rules. The queue is bounded (`max_queue` rows) and so is the wait (`timeout_s`):
beyond either, `submit` raises `Overloaded` at once (the service answers 503 with Retry-After)
instead of letting every client wait longer and longer. And a request that makes the model
fail fails alone: the batch is split and each request predicted on its own.
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


class Overloaded(RuntimeError):
    """The batcher cannot take this request now (queue full or waited too long): retry later."""


class MicroBatcher:
    """Queue rows from many coroutines; one worker predicts them in batches, in a thread."""

    def __init__(self, predict: Predict, window_ms: float = 5.0, max_batch: int = 64,
                 max_queue: int = 1024, timeout_s: float = 5.0) -> None:
        if window_ms < 0 or max_batch < 1 or max_queue < 1 or timeout_s <= 0:
            raise ValueError("need window_ms >= 0, max_batch >= 1, max_queue >= 1 and "
                             f"timeout_s > 0: {window_ms}, {max_batch}, {max_queue}, {timeout_s}")
        self.predict, self.window_ms, self.max_batch = predict, window_ms, max_batch
        self.max_queue, self.timeout_s = max_queue, timeout_s
        self.stats = BatchStats()
        self.shed = 0  # requests refused because the queue was full or the wait too long
        self.waiting = 0  # rows in the queue
        self._queue: asyncio.Queue[tuple[np.ndarray, asyncio.Future]] | None = None
        self._worker: asyncio.Task | None = None

    async def submit(self, rows: np.ndarray) -> np.ndarray:
        """Predict `rows` (2-D) as part of the next batch; returns their own output rows."""
        rows = np.asarray(rows)
        if self.waiting + len(rows) > self.max_queue:
            self.shed += 1
            raise Overloaded(f"the batching queue is full ({self.waiting} rows waiting, limit "
                             f"{self.max_queue}): retry after a short pause")
        if self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = asyncio.get_running_loop().create_task(self._run())
        future = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((rows, future))
        self.waiting += len(rows)
        try:  # on timeout the future is cancelled, so the worker skips it
            return await asyncio.wait_for(future, self.timeout_s)
        except TimeoutError:
            self.shed += 1
            raise Overloaded(f"waited {self.timeout_s:g} s in the batching queue for the model: "
                             "the service is overloaded, retry after a short pause") from None

    async def _take(self) -> tuple[np.ndarray, asyncio.Future]:
        """The next queued request (waits for one)."""
        item = await self._queue.get()
        self.waiting -= len(item[0])
        return item

    async def _run(self) -> None:
        """Worker: wait for a first request, let the window fill, predict all, hand out."""
        items: list[tuple[np.ndarray, asyncio.Future]] = []
        try:
            while True:
                items = [await self._take()]
                if self.window_ms > 0 and self._queued_rows(items) < self.max_batch:
                    await asyncio.sleep(self.window_ms / 1000)
                while not self._queue.empty() and self._queued_rows(items) < self.max_batch:
                    items.append(await self._take())
                items = [(rows, future) for rows, future in items if not future.done()]
                if items:
                    await self._predict_and_answer(items)
                items = []
        except asyncio.CancelledError:
            _fail(items, RuntimeError("the batcher was closed"))
            raise

    @staticmethod
    def _queued_rows(items: list[tuple[np.ndarray, asyncio.Future]]) -> int:
        return sum(len(rows) for rows, _ in items)

    async def _predict_and_answer(self, items: list[tuple[np.ndarray, asyncio.Future]]) -> None:
        """One model call for all items (off the event loop), then split the result.

        If the call fails, each item is predicted alone: the one that fails gets its error,
        the others their answers.
        """
        batch = np.concatenate([rows for rows, _ in items])
        try:
            output = await asyncio.get_running_loop().run_in_executor(None, self.predict, batch)
        except Exception as error:
            if len(items) == 1:
                _fail(items, error)
                return
            for item in items:  # isolate the culprit
                await self._predict_and_answer([item])
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
        self.waiting = 0


def _fail(items: list[tuple[np.ndarray, asyncio.Future]], error: BaseException) -> None:
    """Hand `error` to every request in `items` that is still waiting."""
    for _, future in items:
        if not future.done():
            future.set_exception(error)
