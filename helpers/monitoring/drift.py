"""Drift statistics for one column, and a per-column check over a whole frame (Chapter 5).

The defaults follow evidently 0.7, so the chapter can show each statistic in a few lines and
then rely on evidently: Kolmogorov-Smirnov (p < 0.05) up to 1000 reference rows, normalised
Wasserstein distance (>= 0.1) above, chi-square for categories, and a frame drifts when at
least half of its columns do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

SMALL_SAMPLE = 1000
DATASET_SHARE = 0.5
_EPS = 1e-4


@dataclass(frozen=True)
class DriftResult:
    """One test on one column: a p-value drifts below its threshold, a distance at or above."""

    method: str
    measure: str  # "p_value" (KS, chi-square) or "distance" (PSI, Wasserstein)
    value: float
    threshold: float
    drifted: bool


def _p_value(method: str, p_value: float, threshold: float) -> DriftResult:
    return DriftResult(method, "p_value", float(p_value), threshold, bool(p_value < threshold))


def _distance(method: str, distance: float, threshold: float) -> DriftResult:
    return DriftResult(method, "distance", float(distance), threshold, bool(distance >= threshold))


def require_columns(reference: pd.DataFrame, current: pd.DataFrame) -> None:
    """Refuse to compare frames when `current` lacks some of the reference's columns."""
    missing = sorted(set(reference.columns) - set(current.columns))
    if missing:
        raise ValueError(f"the current data lacks columns {missing}; compare like with like")


def _clean(values: pd.Series | np.ndarray) -> np.ndarray:
    """Values without NaN; refuses an empty sample with a clear message."""
    array = np.asarray(values)
    if array.dtype.kind == "f":
        array = array[~np.isnan(array)]
    elif array.dtype.kind not in "iub":  # categories: let pandas find the missing values
        array = pd.Series(array).dropna().to_numpy()
    if array.size == 0:
        raise ValueError("a drift test needs at least one non-missing value in each sample")
    return array


def ks(reference, current, threshold: float = 0.05) -> DriftResult:
    """Two-sample Kolmogorov-Smirnov test; drift when the p-value is below `threshold`."""
    return _p_value("ks", stats.ks_2samp(_clean(reference), _clean(current)).pvalue, threshold)


def wasserstein_norm(reference, current, threshold: float = 0.1) -> DriftResult:
    """Wasserstein distance in units of the reference's standard deviation."""
    ref, cur = _clean(reference), _clean(current)
    scale = np.std(ref) or 1.0
    distance = stats.wasserstein_distance(ref, cur) / scale
    return _distance("wasserstein", distance, threshold)


def psi(reference, current, threshold: float = 0.1) -> DriftResult:
    """Population stability index over Sturges bins of both samples (as evidently bins)."""
    ref, cur = _clean(reference), _clean(current)
    edges = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
    ref_share = np.histogram(ref, edges)[0] / ref.size
    cur_share = np.histogram(cur, edges)[0] / cur.size
    ref_share, cur_share = np.maximum(ref_share, _EPS), np.maximum(cur_share, _EPS)
    value = np.sum((ref_share - cur_share) * np.log(ref_share / cur_share))
    return _distance("psi", value, threshold)


def chi_square(reference, current, threshold: float = 0.05) -> DriftResult:
    """Chi-square test of the current category counts against the reference's shares."""
    ref, cur = pd.Series(_clean(reference)), pd.Series(_clean(current))
    categories = sorted(set(ref) | set(cur), key=str)
    ref_share = ref.value_counts(normalize=True).reindex(categories, fill_value=0).to_numpy()
    observed = cur.value_counts().reindex(categories, fill_value=0).to_numpy()
    expected = np.maximum(ref_share, _EPS) * observed.sum()
    expected *= observed.sum() / expected.sum()
    return _p_value("chi_square", stats.chisquare(observed, expected).pvalue, threshold)


METHODS = {"ks": ks, "wasserstein": wasserstein_norm, "psi": psi, "chi_square": chi_square}


def default_method(reference: pd.Series) -> str:
    """evidently's choice: chi-square for categories, KS for small samples, else Wasserstein."""
    if not pd.api.types.is_numeric_dtype(reference):
        return "chi_square"
    return "ks" if reference.dropna().size <= SMALL_SAMPLE else "wasserstein"


def detect(
    reference: pd.Series, current: pd.Series, method: str = "auto",
    threshold: float | None = None,
) -> DriftResult:
    """Test one column with `method` (or evidently's default for its type and size), at
    `threshold` (or the method's default)."""
    chosen = default_method(reference) if method == "auto" else method
    if chosen not in METHODS:
        choices = ["auto", *METHODS]
        raise ValueError(f"unknown drift method {method!r}; choose one of {choices}")
    if threshold is None:
        return METHODS[chosen](reference, current)
    return METHODS[chosen](reference, current, threshold)


def detect_frame(
    reference: pd.DataFrame, current: pd.DataFrame, method: str = "auto"
) -> tuple[pd.DataFrame, bool]:
    """Per-column results, and whether the frame drifts (>= half of its columns drift)."""
    require_columns(reference, current)
    rows = {column: detect(reference[column], current[column], method) for column in reference}
    table = pd.DataFrame([vars(result) for result in rows.values()], index=list(rows))
    return table, bool(table["drifted"].mean() >= DATASET_SHARE)
