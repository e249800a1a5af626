"""The recalibrated scanner: lengths times f, areas times f squared, from a given window on."""

import numpy as np
import pandas as pd
import pytest

from helpers.capstone import scanner
from helpers.monitoring.stream import Scenario, simulate_stream


def test_lengths_scale_by_the_factor_and_areas_by_its_square():
    frame = pd.DataFrame({"mean_radius": [10.0], "worst_perimeter": [80.0], "mean_area": [300.0],
                          "mean_texture": [20.0]})
    out = scanner.rescale(frame, 0.5)
    assert out.iloc[0].to_dict() == {"mean_radius": 5.0, "worst_perimeter": 40.0,
                                     "mean_area": 75.0, "mean_texture": 20.0}
    assert frame["mean_radius"].iloc[0] == 10.0  # the input is not changed
    assert scanner.size_columns(frame.columns) == ["mean_radius", "worst_perimeter", "mean_area"]


def test_bad_factors_and_frames_without_sizes_are_refused():
    with pytest.raises(ValueError, match="positive"):
        scanner.rescale(pd.DataFrame({"mean_radius": [1.0]}), 0)
    with pytest.raises(ValueError, match="no radius, perimeter or area"):
        scanner.rescale(pd.DataFrame({"texture": [1.0]}), 0.9)
    with pytest.raises(ValueError, match="not in the frame"):
        scanner.rescale(pd.DataFrame({"texture": [1.0]}), 0.9, columns=["colour"])


def test_other_columns_are_multiplied_by_the_factor_as_they_are():
    frame = pd.DataFrame({"mean_area": [300.0], "proline": [1000.0], "hue": [1.0]})
    out = scanner.rescale(frame, 0.5, columns=["mean_area", "proline"])
    assert out.iloc[0].to_dict() == {"mean_area": 150.0, "proline": 500.0, "hue": 1.0}


def test_windows_from_start_are_rescaled_and_marked_drifting(wdbc_world):
    windows = simulate_stream(wdbc_world, Scenario(), 4, 50, seed=0)
    changed = scanner.recalibrated(windows, start=2, factor=0.6)
    assert [w.drifting for w in changed] == [False, False, True, True]
    assert changed[0] is windows[0]
    ratio = changed[3].features["worst_area"] / windows[3].features["worst_area"]
    assert np.allclose(ratio, 0.36)
    assert changed[3].target.equals(windows[3].target)
    with pytest.raises(ValueError, match="cannot be negative"):
        scanner.recalibrated(windows, start=-1, factor=0.6)
