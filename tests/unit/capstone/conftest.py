"""Shared fixtures of the capstone tests: the known distribution and a trained biopsy model."""

import numpy as np
import pytest

from helpers import data
from helpers.capstone import biopsy
from helpers.monitoring.source import CopulaSource
from helpers.reproducibility import training


@pytest.fixture(scope="session")
def wdbc_world() -> CopulaSource:
    """Chapter 5's Gaussian copula, fitted per class to the real WDBC rows."""
    return CopulaSource.fit(*data.load_wdbc())


@pytest.fixture(scope="session")
def split():
    """Chapter 1's split of the real biopsies, as float32."""
    features, target = data.load_wdbc()
    return training.split(features.to_numpy(np.float32), target.to_numpy(), split_seed=0)


@pytest.fixture(scope="session")
def fitted(split):
    """The capstone's model (a small hidden layer keeps the tests fast)."""
    x_train, _, y_train, _ = split
    return biopsy.classifier(0, hidden=32).fit(x_train, y_train)
