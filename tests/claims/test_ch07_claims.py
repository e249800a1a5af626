"""Chapter 7 value checks at seeds 0-4, seed 3 included (where a claim tuned at 0-2 once failed).

The lecture asserts only what held at every seed 0-99. At these five seeds the stronger
statements it reports as ranges are checked too, with tolerances around what they measured:
the independents' gap and its interval, the slice finder's lift, the cost threshold's saving on
people it never saw, and cleanlab's precision and recall per noise rate.
"""

from functools import cache

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from helpers.erroranalysis import labelerrors, slicefinder, slices, survey, verify

SEEDS = [0, 1, 2, 3, 4]
N_BOOT = 500


def make_model():
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


@pytest.fixture(autouse=True)
def one_thread():
    """As the notebook runs (its seed_everything): BLAS threads only slow these small fits."""
    with threadpool_limits(1):
        yield


@cache
def development(seed: int):
    """The lecture's development set at `seed` and its out-of-sample P(Dole)."""
    features, vote = survey.load_votes()
    X_dev, _, y_dev, _ = train_test_split(features, vote, test_size=0.3, stratify=vote,
                                          random_state=seed)
    y_dev = y_dev.to_numpy()
    return X_dev, y_dev, labelerrors.out_of_sample_proba(make_model, X_dev, y_dev, 5, seed)[:, 1]


@pytest.mark.parametrize("seed", SEEDS)
def test_ch07_the_independents_fail_and_the_guessed_slices_do_not(seed):
    X_dev, y_dev, p_dev = development(seed)
    pred = (p_dev >= 0.5).astype(int)
    party = slices.slice_table(y_dev, pred, survey.party_group(X_dev["PID"]), N_BOOT, seed=seed)
    independent = party.loc["independent"]
    # seeds 0-4: 5.7 to 8.0 points below overall, the gap interval's upper end -1.8 to -3.1
    assert -0.10 < independent.gap < -0.045, party
    assert slices.differs(party)["independent"] == -1, party
    guessed = pd.concat([
        slices.slice_table(y_dev, pred, pd.cut(X_dev[column], bins).astype(str).rename(column),
                           N_BOOT, seed=seed)
        for column, bins in [("age", [0, 30, 45, 60, 120]), ("educ", [0, 3, 5, 7]),
                             ("income", [0, 12, 18, 24])]])
    # no guessed slice shown to be worse (true at 94 of seeds 0-99), all 3.4 to 5.3 points closer
    assert (slices.differs(guessed) > -1).all(), guessed
    assert independent.gap < guessed["gap"].min() - 0.02, guessed

    found, _ = slicefinder.find_slices(X_dev, pred != y_dev, 3, 20, seed)
    top = found.iloc[0]
    # seeds 0-4: lift 2.9 to 6.6, the rule on party identification and the Clinton placement
    assert top.lift > 2.5 and "PID" in top.rule and "ClinLR" in top.rule, found


@pytest.mark.parametrize("seed", SEEDS)
def test_ch07_the_cost_threshold_saves_on_people_it_never_saw(seed):
    features, vote = survey.load_votes()
    pooled = verify.cross_validated_costs(make_model, features, vote, 4, 1, 5, 5, 3, seed)
    change, low, high = verify.paired_difference(pooled["chosen"], pooled["default"], N_BOOT,
                                                 seed=seed)
    saving = 1 - pooled["chosen"].sum() / pooled["default"].sum()
    # seeds 0-99: a saving of 19% to 33%, the interval's upper end -0.6 to -4.1 per 100
    assert 0.18 < saving < 0.36, f"saving {saving:.1%}"
    assert high < 0, (f"cost change per 100 {100 * change:+.1f} "
                      f"({100 * low:+.1f} .. {100 * high:+.1f})")
    # 4:1 costs: thresholds near 0.8 (0.64 to 0.92 at seeds 0-99, 0.69 to 0.88 at seeds 0-4)
    assert (np.concatenate(pooled["thresholds"].to_numpy()) > 0.6).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_ch07_cleanlab_precision_grows_with_the_noise_and_recall_stays_high(seed):
    X_dev, y_dev, _ = development(seed)
    sweep = labelerrors.noise_sweep(make_model, X_dev, y_dev, [0.05, 0.2], seed)
    # seeds 0-99: precision 0.40-0.58 at 5% and 0.69-0.78 at 20%, recall 0.58-0.97
    assert sweep["precision"].is_monotonic_increasing, sweep
    assert sweep["precision"].between(0.35, 0.85).all(), sweep
    assert (sweep["recall"] > 0.55).all(), sweep
