"""The biopsy model's behavioural contract, run by Chapter 8's promotion gate (Chapter 11).

The contract is a pytest file, `contract_suite.py` beside this module: a diagnosis must not
change when the same biopsy is measured again, a bigger mass must not look less malignant, and
the model must catch cancers equally well at both sites. `run` hands the gate a candidate and
the cases to test it on: recent labelled rows, written to a CSV that the suite reads (named by
the CONTRACT_CASES variable), so the contract judges a model on the data it will meet. Without
cases the suite draws its own from Chapter 5's known distribution.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd

SUITE = Path(__file__).with_name("contract_suite.py")
CASES_ENV = "CONTRACT_CASES"
# what the team accepts: the share of cases that may fail each test, and the gap between sites
LIMITS = {"remeasurement": 0.05, "bigger mass": 0.03, "site gap": 0.10}
NOISE_SD = 0.1  # a new measurement of the same biopsy: noise of 0.1 sd on every column
GROWTH = 1.1  # the same mass, 10 % larger in every length
TOLERANCE = 0.02  # a drop of P(malignant) smaller than this is noise, not a wrong direction
TARGET, SITE = "malignant", "site"


def make_cases(features: pd.DataFrame, target: Any, site: Any) -> pd.DataFrame:
    """Contract cases: the measurements, the diagnosis (0/1) and the site of each biopsy."""
    target, site = np.asarray(target), np.asarray(site)
    if not len(features) == len(target) == len(site) or len(features) == 0:
        raise ValueError(f"need one diagnosis and one site per row: {len(features)} rows, "
                         f"{len(target)} diagnoses, {len(site)} sites")
    if not set(np.unique(target)) <= {0, 1}:
        raise ValueError("the diagnosis must be 0 (benign) or 1 (malignant)")
    return features.reset_index(drop=True).assign(**{TARGET: target.astype(int),
                                                     SITE: site.astype(str)})


def draw_cases(seed: int, rows: int = 600) -> pd.DataFrame:
    """Cases drawn from the known distribution of Chapter 5, sites as its stream draws them."""
    from helpers import data
    from helpers.monitoring.source import CopulaSource
    from helpers.monitoring.stream import SITE_B_SHARE

    features, target = CopulaSource.fit(*data.load_wdbc()).sample(rows, [seed, 11])
    site = np.where(np.random.default_rng([seed, 12]).random(rows) < SITE_B_SHARE, "B", "A")
    return make_cases(features, target, site)


def load_cases(seed: int, environ: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The cases named by CONTRACT_CASES, or cases drawn with `seed` when it is not set."""
    environ = os.environ if environ is None else environ
    if not environ.get(CASES_ENV):
        return draw_cases(seed)
    path = Path(environ[CASES_ENV])
    if not path.is_file():
        raise FileNotFoundError(f"{CASES_ENV} names {path}, which does not exist")
    cases = pd.read_csv(path)
    missing = {TARGET, SITE} - set(cases.columns)
    if missing:
        raise ValueError(f"{path.name} has no column {sorted(missing)}: write it with "
                         "helpers.capstone.contract.make_cases")
    return cases


def measurements(cases: pd.DataFrame) -> pd.DataFrame:
    """The model's inputs: every column but the diagnosis and the site."""
    return cases.drop(columns=[TARGET, SITE])


def run(model: Any, cases: pd.DataFrame, seed: int = 0) -> Any:
    """Run the contract on `model` (anything with predict_proba) and these cases: a SuiteRun."""
    from helpers.behavior import gate

    with tempfile.TemporaryDirectory(prefix="contract-") as folder:
        path = Path(folder) / "cases.csv"
        cases.to_csv(path, index=False)
        with mock.patch.dict(os.environ, {CASES_ENV: str(path)}):
            return gate.run_suite(model, SUITE, seed=seed)


def summary(suite_run: Any) -> str:
    """One line: "3 passed", or the failing tests and why."""
    if suite_run.ok:
        return f"{suite_run.passed} passed"
    failing = "; ".join(f"{name}: {why}" for name, why in suite_run.failed.items())
    return f"{suite_run.passed} passed, {len(suite_run.failed)} failed ({failing})"
