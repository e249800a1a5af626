"""One torch thread for these tests: on a busy machine, more threads only wait for each other."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    import torch

    torch.set_num_threads(1)
