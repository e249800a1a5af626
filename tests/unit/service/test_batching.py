"""Micro-batching groups concurrent requests into one model call and answers each in order."""

import asyncio
import time

import numpy as np
import pytest

from helpers.service.batching import MicroBatcher, Overloaded


class Recorder:
    """A fake model that records the size of every call and returns its inputs doubled."""

    def __init__(self, fail: bool = False) -> None:
        self.sizes, self.fail = [], fail

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        self.sizes.append(len(rows))
        if self.fail:
            raise RuntimeError("model exploded")
        return rows * 2


async def submit_all(batcher, rows):
    return await asyncio.gather(*(batcher.submit(np.array([[value]])) for value in rows))


async def submit_then_close(batcher, rows):
    """Submit every row at once, wait for all answers, then close the batcher."""
    answers = await submit_all(batcher, rows)
    await batcher.close()
    return answers


def test_requests_in_one_window_share_one_model_call():
    model = Recorder()
    batcher = MicroBatcher(model, window_ms=50, max_batch=64)

    answers = asyncio.run(submit_then_close(batcher, range(10)))
    assert model.sizes == [10]
    assert [float(a[0, 0]) for a in answers] == [2.0 * v for v in range(10)]
    assert batcher.stats.calls == 1 and batcher.stats.mean_batch == 10


def test_max_batch_caps_the_rows_per_call():
    model = Recorder()
    batcher = MicroBatcher(model, window_ms=50, max_batch=4)

    answers = asyncio.run(submit_then_close(batcher, range(10)))
    assert max(model.sizes) <= 4 and sum(model.sizes) == 10
    assert [float(a[0, 0]) for a in answers] == [2.0 * v for v in range(10)]


def test_multi_row_requests_get_their_own_rows_back():
    model = Recorder()
    batcher = MicroBatcher(model, window_ms=20, max_batch=64)

    async def scenario():
        parts = [np.arange(3.0).reshape(3, 1), np.arange(3.0, 5.0).reshape(2, 1)]
        answers = await asyncio.gather(*(batcher.submit(part) for part in parts))
        await batcher.close()
        return answers

    first, second = asyncio.run(scenario())
    assert first.ravel().tolist() == [0.0, 2.0, 4.0] and second.ravel().tolist() == [6.0, 8.0]


def test_a_model_error_reaches_every_waiting_request():
    batcher = MicroBatcher(Recorder(fail=True), window_ms=10)

    async def scenario():
        results = await asyncio.gather(*(batcher.submit(np.ones((1, 1))) for _ in range(3)),
                                       return_exceptions=True)
        await batcher.close()
        return results

    results = asyncio.run(scenario())
    assert all(isinstance(r, RuntimeError) and "exploded" in str(r) for r in results)


def test_close_fails_queued_requests_instead_of_leaving_them_hanging():
    async def scenario():
        batcher = MicroBatcher(Recorder(), window_ms=200)
        waiting = asyncio.ensure_future(batcher.submit(np.ones((1, 1))))
        await asyncio.sleep(0.01)  # the worker holds the request, inside its window
        await asyncio.wait_for(batcher.close(), timeout=2)
        return await asyncio.gather(waiting, return_exceptions=True)

    (result,) = asyncio.run(scenario())
    assert isinstance(result, RuntimeError) and "closed" in str(result)


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="window_ms >= 0"):
        MicroBatcher(Recorder(), window_ms=-1)


def test_the_launcher_hides_modules_the_service_does_not_need():
    import importlib

    from helpers.service.launch import HideModules

    hook = HideModules(["a_module_for_this_test"])
    with pytest.raises(ModuleNotFoundError, match="hidden from the service"):
        hook.find_spec("a_module_for_this_test.sub")
    assert hook.find_spec("json") is None and importlib.import_module("json")


class Poisoned(Recorder):
    """Fails on any call that holds the value -1, like a model that refuses some input."""

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        self.sizes.append(len(rows))
        if (rows == -1).any():
            raise ValueError("cannot predict -1")
        return rows * 2


def test_a_failing_request_fails_alone_and_the_others_are_answered():
    model = Poisoned()
    batcher = MicroBatcher(model, window_ms=50, max_batch=64)

    async def run():
        answers = await asyncio.gather(*(batcher.submit(np.array([[v]])) for v in (1, -1, 3)),
                                       return_exceptions=True)
        await batcher.close()
        return answers

    first, poisoned, third = asyncio.run(run())
    assert float(first[0, 0]) == 2 and float(third[0, 0]) == 6
    assert isinstance(poisoned, ValueError)
    assert model.sizes[0] == 3  # one batch first, then one call per request


def test_a_full_queue_sheds_load_at_once():
    batcher = MicroBatcher(Recorder(), window_ms=100, max_batch=64, max_queue=3)

    async def run():
        answers = await asyncio.gather(*(batcher.submit(np.array([[v]])) for v in range(6)),
                                       return_exceptions=True)
        await batcher.close()
        return answers

    answers = asyncio.run(run())
    shed = [a for a in answers if isinstance(a, Overloaded)]
    assert len(shed) >= 2 and batcher.shed == len(shed) and "queue is full" in str(shed[0])
    assert batcher.waiting == 0


def test_a_request_that_waits_too_long_gets_overloaded():
    slow = Recorder()
    batcher = MicroBatcher(lambda rows: (time.sleep(0.3), slow(rows))[1], window_ms=0,
                           timeout_s=0.05)

    async def run():
        try:
            return await asyncio.gather(*(batcher.submit(np.array([[v]])) for v in range(2)),
                                        return_exceptions=True)
        finally:
            await batcher.close()

    answers = asyncio.run(run())
    assert all(isinstance(a, Overloaded) and "waited 0.05 s" in str(a) for a in answers)
