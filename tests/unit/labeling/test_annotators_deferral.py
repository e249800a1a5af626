import numpy as np
import pytest

from helpers.labeling import annotators, deferral

TRUTH = np.random.default_rng(0).integers(0, 3, 2000)


def test_annotator_accuracy_and_systematic_confusion():
    careful = annotators.Annotator("careful", 0.95)
    confused = annotators.Annotator("confused", 0.7, confusions={1: 2})
    right = (careful.annotate(TRUTH, [0, 1, 2], seed=1) == TRUTH).mean()
    assert right == pytest.approx(0.95, abs=0.02)
    labels = confused.annotate(TRUTH, [0, 1, 2], seed=1)
    wrong_ones = labels[(TRUTH == 1) & (labels != 1)]
    assert set(wrong_ones) == {2}
    with pytest.raises(ValueError, match="accuracy must be in"):
        annotators.Annotator("x", 1.5)


def test_kappa_is_high_for_good_annotators_and_vote_beats_each_of_them():
    team = [annotators.Annotator(n, 0.75) for n in ("a", "b", "c")]
    labels = annotators.annotate_all(team, TRUTH, [0, 1, 2], seed=2)
    kappa = annotators.pairwise_kappa(labels)
    assert list(kappa.index) == ["a / b", "a / c", "b / c"]
    assert ((kappa["kappa"] > 0.3) & (kappa["kappa"] < 0.7)).all()
    vote = annotators.majority_vote(labels)
    assert (vote == TRUTH).mean() > max((labels[c] == TRUTH).mean() for c in labels)


def test_risk_coverage_and_threshold():
    confidence = np.array([0.99, 0.95, 0.9, 0.8, 0.6, 0.55])
    correct = np.array([True, True, True, False, True, False])
    curve = deferral.risk_coverage(confidence, correct)
    assert curve["coverage"].tolist() == pytest.approx([1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1])
    assert curve["risk"].iloc[-1] == pytest.approx(2 / 6)
    assert deferral.threshold_for_risk(curve, 0.0) == (0.9, 0.5, 0.0)
    threshold, coverage, risk = deferral.threshold_for_risk(curve, 0.25)
    assert threshold == 0.6 and coverage == pytest.approx(5 / 6) and risk == pytest.approx(0.2)


def test_impossible_targets_and_bad_inputs_are_clear():
    curve = deferral.risk_coverage(np.array([0.9, 0.8]), np.array([False, True]))
    with pytest.raises(ValueError, match="no threshold keeps the automated error"):
        deferral.threshold_for_risk(curve, 0.1)
    with pytest.raises(ValueError, match="one confidence and one"):
        deferral.risk_coverage(np.array([0.9]), np.array([True, False]))
