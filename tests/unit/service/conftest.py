"""Fixtures of the service's unit tests: the biopsy data and two fitted versions of a model."""

import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from helpers import data


@pytest.fixture(scope="module")
def wdbc():
    """Features and labels of the bundled biopsy data, as arrays."""
    features, target = data.load_wdbc()
    return features.to_numpy(), target.to_numpy()


@pytest.fixture(scope="module")
def models(wdbc):
    """Two versions of a model: a good one and a heavily regularised one."""
    x, y = wdbc
    return [make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=2000)).fit(x, y)
            for c in (1.0, 0.001)]
