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


def test_upper_bound_is_above_the_observed_rate_and_tightens_with_items():
    bound = deferral.risk_upper_bound([0, 0, 3], [10, 150, 150], level=0.95)
    assert bound[0] > bound[1] > 0  # more items, tighter bound
    assert bound[1] == pytest.approx(1 - 0.05 ** (1 / 150), rel=1e-6)  # zero errors: exact
    assert bound[2] > 3 / 150
    assert deferral.risk_upper_bound([4], [4])[0] == 1.0
    with pytest.raises(ValueError, match="level must be between"):
        deferral.risk_upper_bound([0], [10], level=95)
    with pytest.raises(ValueError, match="errors <= answered"):
        deferral.risk_upper_bound([11], [10])


def test_bounded_threshold_is_more_careful_than_the_plain_one():
    rng = np.random.default_rng(3)
    confidence = rng.uniform(0.3, 1.0, 400)
    correct = rng.random(400) < confidence ** 0.3
    curve = deferral.risk_coverage(confidence, correct, level=0.95)
    plain = deferral.threshold_for_risk(curve, 0.1)
    careful = deferral.threshold_for_risk(curve, 0.1, column="risk_bound")
    assert careful[0] > plain[0] and careful[1] < plain[1]
    with pytest.raises(ValueError, match=r"level=0\.95"):
        deferral.threshold_for_risk(deferral.risk_coverage(confidence, correct), 0.1,
                                    column="risk_bound")


def test_compare_thresholds_defers_everything_when_no_threshold_is_safe():
    calibration = (np.array([0.9, 0.8, 0.7]), np.array([True, False, True]))
    test = (np.array([0.95, 0.6]), np.array([True, False]))
    table = deferral.compare_thresholds(calibration, test, 0.1).set_index("rule")
    assert table.loc["plain", "test_coverage"] == 0.5 and table.loc["plain", "test_risk"] == 0
    assert np.isinf(table.loc["95% bound", "threshold"])  # 1 of 1 right proves nothing
    assert table.loc["95% bound", "test_coverage"] == 0
    assert np.isnan(table.loc["95% bound", "test_risk"])


def test_hard_items_are_the_ambiguous_ones_and_shared_errors_defeat_the_vote():
    proba = np.array([[0.9, 0.1, 0.0], [0.5, 0.45, 0.05], [0.2, 0.3, 0.5], [0.34, 0.33, 0.33]])
    hard, lookalike = annotators.hard_items(proba, 0.5)
    assert hard.tolist() == [False, True, False, True] and lookalike.tolist() == [1, 1, 1, 1]
    with pytest.raises(ValueError, match="0 <= share <= 1"):
        annotators.hard_items(proba, 2)
    team = [annotators.Annotator(n, 0.9) for n in ("a", "b", "c")]
    labels = annotators.annotate_all(team, TRUTH, [0, 1, 2], seed=4)
    hard = np.arange(len(TRUTH)) < 500
    lookalike = (TRUTH + 1) % 3
    shared = annotators.with_shared_errors(labels, hard, lookalike, 0.45, seed=4)
    vote_wrong = annotators.majority_vote(shared, seed=0)[hard] != TRUTH[hard]
    single_wrong = shared.loc[hard, "a"].to_numpy() != TRUTH[hard]
    assert vote_wrong.mean() > 0.6 * single_wrong.mean()  # the vote barely helps on hard items
    assert (shared.loc[~hard] == labels.loc[~hard]).all().all()  # easy items untouched
    with pytest.raises(ValueError, match="one hard flag"):
        annotators.with_shared_errors(labels, hard[:10], lookalike, 0.4, seed=0)


@pytest.mark.parametrize(("kappa", "name"), [
    (-0.1, "poor"), (0.0, "slight"), (0.2, "slight"), (0.35, "fair"), (0.5, "moderate"),
    (0.7, "substantial"), (0.8, "substantial"), (0.81, "almost perfect"), (1.0, "almost perfect"),
])
def test_landis_koch_names_each_band(kappa, name):
    assert annotators.landis_koch(kappa) == name


def test_landis_koch_refuses_impossible_values():
    with pytest.raises(ValueError, match="between -1 and 1"):
        annotators.landis_koch(1.5)
