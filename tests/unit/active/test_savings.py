"""Savings are paired by seed, judged on their spread, and priced honestly."""

import numpy as np
import pandas as pd
import pytest

from helpers.active import savings


def curves_table():
    return pd.DataFrame({
        "strategy": ["random"] * 3 + ["margin"] * 3 + ["random"] * 3 + ["margin"] * 3,
        "seed": [0] * 6 + [1] * 6,
        "round": [0, 1, 2] * 4,
        "n_labels": [10, 20, 30] * 4,
        "accuracy": [.5, .7, .9, .5, .9, .95, .5, .6, .9, .5, .6, .7],
    })


def test_reach_savings_and_budget_tables():
    curves = curves_table()
    reach = savings.labels_to_reach(curves, 0.85)
    table = reach.pivot(index="seed", columns="strategy", values="labels")
    assert table.loc[0, "margin"] == 20 and table.loc[0, "random"] == 30
    assert np.isnan(table.loc[1, "margin"])  # never reached: NaN, not a made-up number
    saving = savings.savings_vs_random(reach).loc["margin"]
    assert saving["seeds_reached"] == 1 and saving["saving_mean"] == pytest.approx(1 / 3)
    assert savings.paired_savings(reach).loc[0, "margin"] == pytest.approx(1 / 3)
    budget = savings.accuracy_at_budget(curves, 25)
    assert budget.loc["margin", "mean"] == pytest.approx(0.75)
    with pytest.raises(ValueError, match="include it"):
        savings.savings_vs_random(reach[reach["strategy"] == "margin"])


@pytest.mark.parametrize(("values", "expected"), [
    ([0.35, 0.4, 0.45, 0.1], "holds in most seeds"),
    ([0.1, 0.2, -0.1, 0.4], "less than the claimed"),
    ([0.6, 0.7, 0.2, 0.8], "more than the claimed"),
    ([0.1, 0.4, 0.6, 0.7], "no single answer"),
])
def test_verdict_follows_the_distribution_not_one_seed(values, expected):
    line = savings.verdict("margin", pd.Series([*values, np.nan]))
    assert expected in line and "1 missed the target" in line
    assert line.startswith("- **margin**: mean")


def test_verdict_with_nothing_reached_says_so():
    assert "nothing to judge" in savings.verdict("entropy", pd.Series([np.nan, np.nan]))


def test_below_random_handles_a_strategy_that_is_never_below():
    curves = curves_table()
    never = curves.assign(accuracy=np.where(curves["strategy"] == "margin", 0.6, 0.5))
    behind, lines = savings.below_random(never)
    assert not behind["margin"].any()
    assert lines == "- **margin**: below random at 0 of 3 points."
    worse = curves.assign(accuracy=np.where(curves["strategy"] == "margin", 0.4, 0.5))
    behind, lines = savings.below_random(worse)
    assert behind["margin"].all() and "between 10 and 30 labels; worst gap -0.100" in lines
    with pytest.raises(ValueError, match="include 'random'"):
        savings.below_random(curves[curves["strategy"] == "margin"])


def test_labeling_cost_scales_with_labels():
    cost = savings.labeling_cost(pd.Series({"a": 100, "b": 300}), 0.5, 36, annotators=2)
    assert cost.loc["b", "cost"] == 150 and cost.loc["a", "annotator_hours"] == 1
    assert cost.loc["b", "working_days"] == pytest.approx(3 / 16)
    with pytest.raises(ValueError):
        savings.labeling_cost(pd.Series([1]), -1, 10)


def test_monthly_saving_prices_hard_items_and_keeps_losses():
    # 3,600 labels of 10 s at 30 an hour cost 300; half as many at 1.5x the time cost 225
    assert savings.monthly_saving(0.5, 3600, 30, 10, 1.5) == pytest.approx(75)
    assert savings.monthly_saving(0.2, 3600, 30, 10, 1.5) < 0  # 0.8 * 1.5 > 1: a loss
    months = savings.payback_months(np.array([75.0, -10.0, 0.0]), 1500)
    assert months[0] == pytest.approx(20) and np.isinf(months[1:]).all()
    with pytest.raises(ValueError, match="hard_factor > 0"):
        savings.monthly_saving(0.5, 3600, 30, 10, 0)
