import numpy as np
import pytest

from helpers import data
from helpers.monitoring import stream
from helpers.monitoring.quality import Expectations


@pytest.fixture(scope="module")
def wdbc():
    return data.load_wdbc()


@pytest.fixture(scope="module")
def expectations(wdbc):
    return Expectations.learn(wdbc[0])


@pytest.fixture(scope="module")
def world(wdbc_world):
    return wdbc_world


def window(world, scenario, index):
    return stream.simulate_stream(world, scenario, index + 1, 300, seed=0)[index].features


def test_clean_windows_pass(world, expectations):
    for index in range(5):
        assert expectations.check(window(world, stream.Scenario(), index)) == []


def test_unit_change_is_caught_in_one_window(world, expectations):
    frame = window(world, stream.Scenario("unit_change", "mean_area", start=0, magnitude=1000), 0)
    found = expectations.check(frame)
    assert [(v.column, v.check) for v in found] == [("mean_area", "range")]
    assert "100% of values outside" in str(found[0])


def test_missing_burst_is_caught(world, expectations):
    frame = window(world, stream.Scenario("missing_burst", "mean_area", start=0, magnitude=0.3), 0)
    found = expectations.check(frame)
    assert [(v.column, v.check) for v in found] == [("mean_area", "missing")]


def test_a_one_sigma_shift_is_valid_data(world, expectations):
    """Quality checks are not drift tests: a plausible shift is still valid data."""
    frame = window(world, stream.Scenario("sudden", "mean_area", start=0, magnitude=1.0), 0)
    assert expectations.check(frame) == []


def test_schema_and_type_problems(wdbc, expectations):
    frame = wdbc[0].head(50).drop(columns=["mean_radius"]).assign(extra=1.0)
    frame["mean_area"] = frame["mean_area"].astype(str)
    checks = {(v.column, v.check) for v in expectations.check(frame)}
    assert {("mean_radius", "schema"), ("extra", "schema"), ("mean_area", "type")} <= checks


def test_learning_keeps_the_reference_missing_share(wdbc):
    reference = wdbc[0].copy()
    reference.loc[reference.index[:57], "mean_area"] = np.nan  # 10 % missing is normal here
    expectations = Expectations.learn(reference)
    assert expectations.check(reference) == []


def test_a_few_values_beyond_a_learnt_range_are_allowed(wdbc, expectations):
    frame = wdbc[0].head(100).copy()
    frame.loc[frame.index[:2], "mean_area"] = 1e6  # 2 %: the far tail a sample did not see
    assert expectations.check(frame) == []
    frame.loc[frame.index[:5], "mean_area"] = 1e6  # 5 %: more than a tail
    assert [(v.column, v.check) for v in expectations.check(frame)] == [("mean_area", "range")]
