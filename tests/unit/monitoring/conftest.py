"""A known distribution fitted to WDBC, shared by the monitoring tests (fitting takes ms)."""

import pytest

from helpers import data
from helpers.monitoring.source import CopulaSource


@pytest.fixture(scope="session")
def wdbc_world() -> CopulaSource:
    """The Gaussian copula of Chapter 5, fitted per class to the real WDBC rows."""
    return CopulaSource.fit(*data.load_wdbc())
