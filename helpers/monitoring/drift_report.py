"""evidently 0.7 drift reports, and their per-column results as a table (Chapter 5).

evidently takes several seconds and a few hundred MB to import, so it is imported inside the
functions that use it, never when `helpers` is imported.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from helpers.monitoring.drift import require_columns


def run_drift_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    method: str | None = None,
    drift_share: float = 0.5,
) -> Any:
    """Run evidently's drift preset on two frames; returns the snapshot (shows inline in Jupyter).

    `method` forces one test for every column (e.g. ``"psi"``, ``"ks"``, ``"wasserstein"``);
    None lets evidently choose by column type and sample size.
    """
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    require_columns(reference, current)
    numeric = [c for c in reference.columns if pd.api.types.is_numeric_dtype(reference[c])]
    categorical = [c for c in reference.columns if c not in numeric]
    definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    preset = DataDriftPreset(method=method, drift_share=drift_share)
    return Report([preset]).run(
        current_data=Dataset.from_pandas(current[list(reference.columns)],
                                         data_definition=definition),
        reference_data=Dataset.from_pandas(reference, data_definition=definition),
    )


def drift_table(snapshot: Any) -> tuple[pd.DataFrame, float]:
    """Per-column method, threshold, value and verdict, and the share of drifted columns."""
    rows, share = [], float("nan")
    for metric in snapshot.dict()["metrics"]:
        config, value = metric["config"], metric["value"]
        if "column" in config:
            method = config["method"]
            p_value = "p_value" in method
            drifted = value < config["threshold"] if p_value else value >= config["threshold"]
            rows.append({"column": config["column"], "method": method,
                         "threshold": config["threshold"], "value": value, "drifted": drifted})
        elif isinstance(value, dict) and "share" in value:
            share = float(value["share"])
    return pd.DataFrame(rows).set_index("column"), share
