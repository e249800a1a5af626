"""Chapter 10 value checks: a bounded threshold keeps its promise, shared errors blunt the vote."""

import numpy as np
import pandas as pd
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from helpers.labeling import annotators, deferral


def digits_model(seed: int):
    digits = load_digits()
    x, y = digits.data / 16.0, digits.target
    pool, rest = train_test_split(np.arange(len(y)), test_size=0.5, random_state=seed, stratify=y)
    model = LogisticRegression(max_iter=1000).fit(x[pool[:150]], y[pool[:150]])
    return x, y, pool, rest, model


def test_ch10_bounded_threshold_meets_the_target_more_often_than_the_plain_one():
    x, y, _, rest, model = digits_model(0)
    proba = model.predict_proba(x[rest])
    confidence, right = proba.max(axis=1), proba.argmax(axis=1) == y[rest]
    rows = []
    for split in range(20):
        cal, tst = train_test_split(np.arange(len(rest)), test_size=0.5, random_state=split,
                                    stratify=y[rest])
        rows.append(deferral.compare_thresholds((confidence[cal], right[cal]),
                                                (confidence[tst], right[tst]), 0.02))
    study = pd.concat(rows).assign(missed=lambda t: t["test_risk"] > 0.02)
    by_rule = study.groupby("rule")[["test_risk", "missed", "test_coverage"]].mean()
    assert by_rule.loc["95% bound", "test_risk"] <= 0.02
    assert by_rule.loc["95% bound", "missed"] < by_rule.loc["plain", "missed"]
    assert by_rule.loc["plain", "test_coverage"] > by_rule.loc["95% bound", "test_coverage"]


def test_ch10_shared_errors_on_hard_items_make_the_vote_worse():
    x, y, pool, _, model = digits_model(0)
    team = [annotators.Annotator("ana", 0.95), annotators.Annotator("ben", 0.88, {4: 9}),
            annotators.Annotator("cho", 0.80, {5: 6})]
    truth = y[pool]
    labels = annotators.annotate_all(team, truth, list(range(10)), seed=0)
    hard, lookalike = annotators.hard_items(model.predict_proba(x[pool]), 0.15)
    shared = annotators.with_shared_errors(labels, hard, lookalike, 0.4, seed=0)

    def vote_right(table):
        return annotators.majority_vote(table, seed=0) == truth

    assert vote_right(labels).mean() > labels.eq(truth, axis=0).mean().max()
    assert vote_right(shared).mean() < vote_right(labels).mean() - 0.01
    assert vote_right(shared)[hard].mean() < vote_right(labels)[hard].mean() - 0.1
