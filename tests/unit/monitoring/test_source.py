import numpy as np
import pandas as pd
import pytest

from helpers import data
from helpers.monitoring import drift
from helpers.monitoring.source import CopulaSource


def test_draws_keep_each_column_and_the_class_shares(wdbc_world):
    features, target = data.load_wdbc()
    drawn, labels = wdbc_world.sample(20_000, 0)
    assert list(drawn.columns) == list(features.columns) and labels.name == target.name
    assert labels.mean() == pytest.approx(target.mean(), abs=0.02)
    for column in ("mean_radius", "worst_radius", "mean_texture"):
        assert drawn[column].median() == pytest.approx(features[column].median(), rel=0.03)
        assert drawn[column].std() == pytest.approx(features[column].std(), rel=0.05)
        assert drawn[column].between(features[column].min(), features[column].max()).all()


def test_draws_keep_the_correlations_and_the_class_signal(wdbc_world):
    features, target = data.load_wdbc()
    drawn, labels = wdbc_world.sample(20_000, 1)
    pair = ["mean_radius", "worst_texture"]
    assert drawn[pair].corr().iloc[0, 1] == pytest.approx(features[pair].corr().iloc[0, 1],
                                                         abs=0.05)
    real_gap = features.worst_radius[target == 1].mean() - features.worst_radius[target == 0].mean()
    drawn_gap = drawn.worst_radius[labels == 1].mean() - drawn.worst_radius[labels == 0].mean()
    assert drawn_gap == pytest.approx(real_gap, rel=0.05)


def test_every_draw_is_new_and_the_seed_repeats_it(wdbc_world):
    first, _ = wdbc_world.sample(1000, 3)
    again, _ = wdbc_world.sample(1000, 3)
    pd.testing.assert_frame_equal(first, again)
    assert not first.duplicated().any()  # no row is repeated
    other, _ = wdbc_world.sample(1000, 4)
    assert not drift.ks(first["worst_radius"], other["worst_radius"]).drifted


def test_some_columns_only_and_a_numeric_target():
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.normal(size=500), "flag": rng.integers(0, 2, 500)})
    y = pd.Series(2 * x["a"] + rng.normal(scale=0.1, size=500), name="y")
    world = CopulaSource.fit(x, y, classify=False)
    drawn, target = world.sample(5000, 1)
    assert set(drawn["flag"].unique()) == {0, 1}  # a discrete column keeps its values
    assert np.corrcoef(drawn["a"], target)[0, 1] > 0.95
    only, _ = world.sample(10, 2, columns=["a"])
    assert list(only.columns) == ["a"]


def test_bad_input_is_refused_with_what_to_do(wdbc_world):
    with pytest.raises(ValueError, match="encode categories as numbers"):
        CopulaSource.fit(pd.DataFrame({"a": ["x", "y", "z"]}), pd.Series([0, 1, 0]))
    with pytest.raises(ValueError, match=r"columns \['nope'\] are not in the source"):
        wdbc_world.sample(5, 0, columns=["nope"])
