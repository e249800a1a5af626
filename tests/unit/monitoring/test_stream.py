import numpy as np
import pandas as pd
import pytest

from helpers.monitoring import drift, stream

N_WINDOWS, SIZE = 12, 400


@pytest.fixture(scope="module")
def wdbc(wdbc_world):
    return wdbc_world


def run(world, scenario, seed=0):
    return stream.simulate_stream(world, scenario, n_windows=N_WINDOWS, window_size=SIZE,
                                  seed=seed)


def column_alarms(windows, column, reference, threshold=None):
    return [drift.detect(reference[column], w.features[column], "ks", threshold).drifted
            for w in windows]


def test_a_stream_without_drift_alarms_at_the_tests_level_only(wdbc):
    windows = run(wdbc, stream.Scenario())
    flagged = [drift.detect_frame(wdbc.sample(400, [7, w.index])[0], w.features)[0]["drifted"]
               for w in windows]
    assert np.mean(flagged) < 0.1  # 5 % of the columns by design, plus sampling noise
    assert not any(w.drifting for w in windows)


def test_a_sudden_shift_is_found_from_its_start_and_not_before(wdbc):
    scenario = stream.Scenario("sudden", column="mean_radius", start=6, magnitude=1.0)
    windows = run(wdbc, scenario)
    alarms = column_alarms(windows[1:], "mean_radius", windows[0].features, threshold=1e-4)
    assert alarms == [w.drifting for w in windows[1:]]


def test_gradual_drift_ramps_up(wdbc):
    scenario = stream.Scenario("gradual", column="mean_texture", start=2, magnitude=2.0)
    means = [w.features["mean_texture"].mean() for w in run(wdbc, scenario)]
    assert means[2] < means[4] < means[6]
    assert means[8] == pytest.approx(means[10], rel=0.05)


def test_unit_change_and_missing_burst(wdbc):
    unit = run(wdbc, stream.Scenario("unit_change", column="mean_area", start=3, magnitude=1000))
    assert unit[3].features["mean_area"].median() > 100 * unit[2].features["mean_area"].median()
    burst = run(wdbc, stream.Scenario("missing_burst", column="mean_area", start=4, magnitude=0.5))
    missing = [w.features["mean_area"].isna().mean() for w in burst]
    assert missing[3] == 0 and 0.4 < missing[4] < 0.6 and missing[4 + stream.BURST_WINDOWS] == 0
    assert [w.drifting for w in burst].count(True) == stream.BURST_WINDOWS


def test_concept_drift_changes_labels_not_inputs(wdbc):
    scenario = stream.Scenario("concept", column="worst_radius", start=5, magnitude=0.8)
    drifted = run(wdbc, scenario)
    clean = run(wdbc, stream.Scenario())
    for before, after in zip(clean, drifted, strict=True):
        pd.testing.assert_frame_equal(before.features, after.features)
    changed = [(b.target != a.target).mean() for b, a in zip(clean, drifted, strict=True)]
    assert changed[4] == 0 and changed[5] > 0.2


def test_same_seed_same_stream_and_no_row_is_repeated(wdbc):
    first = run(wdbc, stream.Scenario("sudden", column="mean_radius", start=1))
    second = run(wdbc, stream.Scenario("sudden", column="mean_radius", start=1))
    pd.testing.assert_frame_equal(first[5].features, second[5].features)
    rows = pd.concat([w.features for w in run(wdbc, stream.Scenario())])
    assert not rows.duplicated().any()


def test_sites_are_independent_and_a_drift_can_act_on_one_site(wdbc):
    scenario = stream.Scenario("sudden", column="mean_radius", start=0, magnitude=2.0,
                               sites=("B",))
    drifted, clean = run(wdbc, scenario), run(wdbc, stream.Scenario())
    site = np.concatenate([w.site for w in clean])
    assert set(site) == {"A", "B"}
    assert np.mean(site == "B") == pytest.approx(stream.SITE_B_SHARE, abs=0.03)
    for before, after in zip(clean, drifted, strict=True):
        moved = (after.features["mean_radius"] != before.features["mean_radius"]).to_numpy()
        assert (moved == (after.site == "B")).all()
    with pytest.raises(ValueError, match="sites must be some of"):
        stream.Scenario("sudden", column="a", sites=("C",))


def test_bad_scenarios_are_refused(wdbc):
    with pytest.raises(ValueError, match="unknown drift kind 'tilt'"):
        stream.Scenario("tilt", column="a")
    with pytest.raises(ValueError, match="needs the column"):
        stream.Scenario("sudden")
    with pytest.raises(ValueError, match="'nope' is not in the data"):
        run(wdbc, stream.Scenario("sudden", column="nope"))


def test_statistics_agree_with_evidently():
    """The few-line versions in helpers.monitoring.drift compute what evidently computes."""
    from evidently.legacy.calculations.stattests import (
        ks_stat_test,
        psi_stat_test,
        wasserstein_stat_test,
    )
    from evidently.legacy.core import ColumnType

    rng = np.random.default_rng(3)
    reference, current = pd.Series(rng.normal(size=3000)), pd.Series(rng.normal(0.1, size=3000))
    ours = {"ks": drift.ks, "psi": drift.psi, "wasserstein": drift.wasserstein_norm}
    theirs = {"ks": ks_stat_test, "psi": psi_stat_test, "wasserstein": wasserstein_stat_test}
    for name, test in theirs.items():
        value, _ = test.func(reference, current, ColumnType.Numerical, test.default_threshold)
        assert ours[name](reference, current).value == pytest.approx(value, rel=1e-6), name
