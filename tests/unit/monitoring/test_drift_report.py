import numpy as np
import pandas as pd
import pytest

from helpers.monitoring import drift
from helpers.monitoring.drift_report import drift_table, run_drift_report


@pytest.fixture(scope="module")
def frames():
    rng = np.random.default_rng(0)
    reference = pd.DataFrame(rng.normal(size=(600, 3)), columns=list("abc"))
    current = reference.sample(frac=1.0, random_state=1).reset_index(drop=True)  # same values
    current["a"] += 0.5
    return reference, current


def test_report_finds_the_shifted_column_and_agrees_with_our_ks(frames):
    reference, current = frames
    table, share = drift_table(run_drift_report(reference, current))
    assert table["drifted"].to_dict() == {"a": True, "b": False, "c": False}
    assert share == pytest.approx(1 / 3)
    for column in "abc":
        ours = drift.ks(reference[column], current[column]).value
        assert table.loc[column, "value"] == pytest.approx(ours, rel=1e-6)


def test_forced_method_is_used_for_every_column(frames):
    reference, current = frames
    table, _ = drift_table(run_drift_report(reference, current, method="psi"))
    assert set(table["method"]) == {"psi"}
    ours = drift.psi(reference["a"], current["a"]).value
    assert table.loc["a", "value"] == pytest.approx(ours, rel=1e-6)


def test_missing_columns_are_refused_before_evidently_runs(frames):
    reference, current = frames
    with pytest.raises(ValueError, match=r"lacks columns \['c'\]"):
        run_drift_report(reference, current.drop(columns="c"))
