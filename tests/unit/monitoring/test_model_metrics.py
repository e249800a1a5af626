"""Window metrics: the classification and regression figures a monitor tracks."""

import numpy as np
import pytest

from helpers.monitoring import model_metrics


def test_classification_metrics_count_the_positive_class():
    result = model_metrics.classification_metrics([1, 1, 0, 0], [1, 0, 1, 0])
    assert result == {"accuracy": 0.5, "precision": 0.5, "recall": 0.5, "f1": 0.5}
    never = model_metrics.classification_metrics([1, 0], [0, 0])
    assert never["precision"] == 0.0 and never["recall"] == 0.0 and never["accuracy"] == 0.5


def test_regression_metrics_punish_large_misses_in_rmse():
    result = model_metrics.regression_metrics([0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 4.0])
    assert result["mae"] == pytest.approx(1.0) and result["rmse"] == pytest.approx(2.0)
    assert model_metrics.regression_metrics(np.arange(3), np.arange(3)) == {"rmse": 0.0,
                                                                            "mae": 0.0}


def test_mismatched_or_empty_inputs_are_refused():
    with pytest.raises(ValueError, match="as many predictions as labels"):
        model_metrics.classification_metrics([1, 0], [1])
    with pytest.raises(ValueError, match="at least one"):
        model_metrics.regression_metrics([], [])
