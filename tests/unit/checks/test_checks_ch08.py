"""The Chapter 8 self-checks pass right answers and explain typical wrong ones."""

import numpy as np
import pandas as pd
import pytest

from helpers.checks import CheckFailed
from helpers.checks import ch08 as check


def flip_rate_right(model, texts):
    return float(np.mean(model.predict(texts) != model.predict([t.upper() for t in texts])))


def test_exercise_1_wants_the_share_of_labels_that_flip_in_capitals():
    assert "passed" in check.exercise_1(flip_rate_right)
    with pytest.raises(CheckFailed, match="a count, not a share"):
        check.exercise_1(lambda m, texts: flip_rate_right(m, texts) * len(texts))
    with pytest.raises(CheckFailed, match="finds no failure"):
        check.exercise_1(lambda m, texts: float(np.mean(m.predict(texts) != m.predict(texts))))

    def any_probability_change(model, texts):
        upper = [t.upper() for t in texts]
        return float(np.mean(model.predict_proba(texts)[:, 1] != model.predict_proba(upper)[:, 1]))

    with pytest.raises(CheckFailed, match="changed predicted LABEL"):
        check.exercise_1(any_probability_change)


def negation_right(model, texts, labels):
    negated = [t.replace(" was ", " was not ", 1) for t in texts]
    p0, p1 = model.predict_proba(texts)[:, 1], model.predict_proba(negated)[:, 1]
    expected = np.where(np.asarray(labels) == 1, -1, 1)
    return (p1 - p0) * expected < 0


def test_exercise_2_wants_strict_moves_against_the_given_labels():
    assert "passed" in check.exercise_2(negation_right)
    with pytest.raises(CheckFailed, match="reversed"):
        check.exercise_2(lambda m, t, y: ~negation_right(m, t, y))

    def non_strict(model, texts, labels):
        negated = [t.replace(" was ", " was not ", 1) for t in texts]
        p0, p1 = model.predict_proba(texts)[:, 1], model.predict_proba(negated)[:, 1]
        return (p1 - p0) * np.where(np.asarray(labels) == 1, -1, 1) <= 0

    with pytest.raises(CheckFailed, match="unchanged probability"):
        check.exercise_2(non_strict)

    def model_labels(model, texts, labels):  # uses the model's labels, not the given ones
        p0 = model.predict_proba(texts)[:, 1]
        return negation_right(model, texts, (p0 >= 0.5).astype(int) * 0)

    with pytest.raises(CheckFailed, match="given labels"):
        check.exercise_2(model_labels)


def choose_right(options, max_gap):
    ok = options[options[check.GAP] <= max_gap]
    return None if ok.empty else ok[check.SCORE].idxmax()


MEASURED = pd.DataFrame({check.GAP: [0.26, 0.03, 0.02], check.SCORE: [0.60, 0.59, 0.585]},
                        index=["blind", "equalized odds", "true positive rate parity"])


def test_exercise_3_accepts_every_defensible_choice_and_rejects_the_rest():
    assert "passed" in check.exercise_3(choose_right, MEASURED, 0.05)

    def fairest_of_the_best(options, max_gap):  # another defensible rule
        ok = options[options[check.GAP] <= max_gap]
        best = ok[ok[check.SCORE] >= ok[check.SCORE].max() - 0.01]
        return None if ok.empty else best[check.GAP].idxmin()

    assert "passed" in check.exercise_3(fairest_of_the_best, MEASURED, 0.05)
    assert fairest_of_the_best(MEASURED, 0.05) != choose_right(MEASURED, 0.05)
    with pytest.raises(CheckFailed, match="most accurate option breaks"):
        check.exercise_3(lambda o, g: o[check.SCORE].idxmax(), MEASURED, 0.05)
    with pytest.raises(CheckFailed, match=r"you chose 'B', defensible: \['A'\]"):
        check.exercise_3(lambda o, g: o[check.GAP].idxmin(), MEASURED, 0.05)  # fairest only
    with pytest.raises(CheckFailed, match="no option meets the limit"):
        check.exercise_3(lambda o, g: choose_right(o, g) or o[check.GAP].idxmin(), MEASURED,
                         0.05)
    with pytest.raises(CheckFailed, match="limit itself"):
        check.exercise_3(lambda o, g: choose_right(o, g - 1e-9), MEASURED, 0.05)
