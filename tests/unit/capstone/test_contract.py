"""The contract: Chapter 8's gate runs it on the cases it is given, and it fails wrong models."""

import numpy as np
import pandas as pd
import pytest
from sklearn.neighbors import KNeighborsClassifier

from helpers.capstone import contract


class Inverted:
    """A model that finds big masses benign: P(malignant) of `model`, turned upside down."""

    def __init__(self, model):
        self.model = model

    def predict_proba(self, rows):
        return self.model.predict_proba(rows)[:, ::-1]


@pytest.fixture(scope="module")
def cases():
    return contract.draw_cases(seed=0, rows=400)


def test_the_reference_recipe_keeps_the_contract(fitted, cases):
    run = contract.run(fitted, cases, seed=0)
    assert run.ok and run.passed == 3, run.failed
    assert contract.summary(run) == "3 passed"


def test_a_nearest_neighbour_on_raw_measurements_changes_its_mind(split, cases):
    x_train, _, y_train, _ = split
    run = contract.run(KNeighborsClassifier(1).fit(x_train, y_train), cases, seed=0)
    assert "test_remeasurement_keeps_the_diagnosis" in run.failed
    assert "diagnoses change when the biopsy is measured again" in contract.summary(run)


def test_a_model_that_finds_big_masses_benign_fails_the_direction(fitted, cases):
    run = contract.run(Inverted(fitted), cases, seed=0)
    assert "test_a_bigger_mass_is_not_less_malignant" in run.failed


def test_a_gap_between_the_sites_fails_the_fairness_test(fitted, cases):
    at_b = cases["site"] == "B"  # as if site B's diagnoses meant the opposite: the model errs there
    skewed = cases.assign(malignant=np.where(at_b, 1 - cases["malignant"], cases["malignant"]))
    run = contract.run(fitted, skewed, seed=0)
    assert list(run.failed) == ["test_cancers_are_caught_equally_at_both_sites"]


def test_cases_come_from_the_file_named_in_the_environment(tmp_path, cases):
    path = tmp_path / "cases.csv"
    cases.head(5).to_csv(path, index=False)
    loaded = contract.load_cases(0, {contract.CASES_ENV: str(path)})
    assert len(loaded) == 5 and list(loaded.columns) == list(cases.columns)
    assert len(contract.load_cases(0, {})) == 600  # none named: drawn from the distribution
    with pytest.raises(FileNotFoundError, match="does not exist"):
        contract.load_cases(0, {contract.CASES_ENV: str(tmp_path / "missing.csv")})
    cases.drop(columns="site").to_csv(path, index=False)
    with pytest.raises(ValueError, match="no column"):
        contract.load_cases(0, {contract.CASES_ENV: str(path)})


def test_make_cases_checks_its_inputs():
    frame = pd.DataFrame({"mean_radius": [1.0, 2.0]})
    made = contract.make_cases(frame, [0, 1], ["A", "B"])
    assert list(made.columns) == ["mean_radius", "malignant", "site"]
    with pytest.raises(ValueError, match="one diagnosis and one site per row"):
        contract.make_cases(frame, [0], ["A", "B"])
    with pytest.raises(ValueError, match="0 \\(benign\\) or 1"):
        contract.make_cases(frame, [0, 2], ["A", "B"])
