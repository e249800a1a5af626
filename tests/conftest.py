"""Fixtures shared by the course's tests."""

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from coursekit.paths import ROOT


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository's root folder."""
    return ROOT


@pytest.fixture
def free_port() -> Callable[[], int]:
    """A function that returns a port on 127.0.0.1 that was free a moment ago."""

    def pick() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return probe.getsockname()[1]

    return pick
