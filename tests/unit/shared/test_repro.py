import os
import random

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_info

from helpers import repro


def draw() -> tuple[float, float, float]:
    return random.random(), float(np.random.rand()), float(torch.rand(1))


def test_same_seed_same_draws_across_all_three_rngs():
    repro.seed_everything(7)
    first = draw()
    repro.seed_everything(7)
    assert draw() == first


def test_other_seed_other_draws():
    repro.seed_everything(7)
    first = draw()
    repro.seed_everything(8)
    assert all(a != b for a, b in zip(first, draw(), strict=True))


def test_threads_are_limited_now_and_for_children():
    settings = repro.seed_everything(1, threads=1)
    assert settings.threads == 1
    assert torch.get_num_threads() == 1
    assert os.environ["OMP_NUM_THREADS"] == "1"
    assert all(pool["num_threads"] == 1 for pool in threadpool_info())
    assert settings.torch_seeded
    assert settings.cuda_deterministic == torch.cuda.is_available()
    if torch.cuda.is_available():
        assert torch.are_deterministic_algorithms_enabled()


@pytest.mark.parametrize("bad", [-1, 1.5, "3"])
def test_bad_seed_is_refused_with_a_message(bad):
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        repro.seed_everything(bad)


def test_zero_threads_is_refused():
    with pytest.raises(ValueError, match="threads must be at least 1"):
        repro.limit_threads(0)
