import numpy as np
import pandas as pd
import pytest

from helpers.monitoring import drift


@pytest.fixture(scope="module")
def normal():
    rng = np.random.default_rng(0)
    return pd.Series(rng.normal(size=2000)), pd.Series(rng.normal(size=2000))


def test_same_distribution_is_not_drift_for_any_method(normal):
    reference, current = normal
    for method in ("ks", "wasserstein", "psi"):
        assert not drift.detect(reference, current, method).drifted, method


def test_a_half_sigma_shift_is_drift_for_every_method(normal):
    reference, current = normal
    for method in ("ks", "wasserstein", "psi"):
        result = drift.detect(reference, current + 0.5, method)
        assert result.drifted, (method, result)


def test_wasserstein_is_in_units_of_reference_std(normal):
    reference, _ = normal
    shifted = drift.wasserstein_norm(reference * 10, reference * 10 + 5)
    assert shifted.value == pytest.approx(0.5, rel=0.05)


def test_psi_is_zero_for_identical_samples_and_grows_with_shift(normal):
    reference, _ = normal
    values = [drift.psi(reference, reference + shift).value for shift in (0.0, 0.2, 0.5, 1.0)]
    assert values[0] == pytest.approx(0.0, abs=1e-12)
    assert values == sorted(values)


def test_ks_flags_a_tiny_shift_at_large_sample_sizes():
    """The p-value problem Chapter 5 explains: with enough rows, everything is 'significant'."""
    rng = np.random.default_rng(1)
    small = drift.ks(rng.normal(size=200), rng.normal(0.05, size=200))
    large = drift.ks(rng.normal(size=200_000), rng.normal(0.05, size=200_000))
    assert not small.drifted and large.drifted
    big_a, big_b = rng.normal(size=200_000), rng.normal(0.05, size=200_000)
    assert not drift.wasserstein_norm(big_a, big_b).drifted


def test_chi_square_on_categories():
    reference = pd.Series(["a"] * 500 + ["b"] * 500)
    assert not drift.chi_square(reference, pd.Series(["a"] * 250 + ["b"] * 250)).drifted
    assert drift.chi_square(reference, pd.Series(["a"] * 400 + ["b"] * 100)).drifted
    assert drift.chi_square(reference, pd.Series(["a"] * 240 + ["b"] * 240 + ["c"] * 20)).drifted


def test_auto_follows_evidently_defaults():
    assert drift.default_method(pd.Series(np.arange(1000.0))) == "ks"
    assert drift.default_method(pd.Series(np.arange(1001.0))) == "wasserstein"
    assert drift.default_method(pd.Series(["x", "y"])) == "chi_square"


def test_missing_values_are_ignored_but_an_all_missing_sample_is_refused():
    assert not drift.ks(pd.Series([1.0, 2.0, np.nan, 3.0]), pd.Series([1.0, 2.0, 3.0])).drifted
    with pytest.raises(ValueError, match="at least one non-missing value"):
        drift.ks(pd.Series([1.0, 2.0]), pd.Series([np.nan, np.nan]))


def test_unknown_method_and_missing_columns_are_clear_errors(normal):
    reference, current = normal
    with pytest.raises(ValueError, match="unknown drift method 'kl'"):
        drift.detect(reference, current, "kl")
    with pytest.raises(ValueError, match=r"lacks columns \['b'\]"):
        drift.detect_frame(pd.DataFrame({"a": reference, "b": reference}),
                           pd.DataFrame({"a": current}))


def test_frame_drifts_when_half_its_columns_do(normal):
    reference, current = normal
    ref = pd.DataFrame({"a": reference, "b": reference, "c": reference})
    one = pd.DataFrame({"a": current + 1, "b": current, "c": current})
    two = pd.DataFrame({"a": current + 1, "b": current + 1, "c": current})
    assert drift.detect_frame(ref, one)[1] is False
    table, drifted = drift.detect_frame(ref, two)
    assert drifted and table["drifted"].tolist() == [True, True, False]


def test_results_say_whether_they_hold_a_p_value_or_a_distance(normal):
    reference, current = normal
    assert drift.ks(reference, current).measure == "p_value"
    assert drift.chi_square(pd.Series(["a", "b"] * 50), pd.Series(["a", "b"] * 50)).measure \
        == "p_value"
    assert drift.psi(reference, current).measure == "distance"
    assert drift.wasserstein_norm(reference, current).measure == "distance"


def test_a_threshold_can_be_chosen(normal):
    reference, current = normal
    shifted = current + 0.08
    default = drift.detect(reference, shifted, "ks")
    strict = drift.detect(reference, shifted, "ks", threshold=1e-9)
    assert default.value == strict.value and strict.threshold == 1e-9
    assert default.drifted and not strict.drifted


def test_require_columns_names_what_is_missing():
    drift.require_columns(pd.DataFrame({"a": [1]}), pd.DataFrame({"a": [2], "b": [3]}))
    with pytest.raises(ValueError, match=r"lacks columns \['a'\]; compare like with like"):
        drift.require_columns(pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [3]}))
