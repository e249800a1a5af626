"""Promotion needs the whole paired bootstrap interval above the margin, not a higher point."""

import numpy as np
import pytest
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression

from helpers.service.memory import MemoryRegistry
from helpers.storage import promotion


def test_the_interval_is_paired_and_contains_the_difference():
    rng = np.random.default_rng(0)
    champion = rng.random(200) < 0.8
    challenger = champion.copy()
    challenger[:10] = True  # right on every row the champion gets right, and a few more
    low, high = promotion.paired_bootstrap(champion, challenger, seed=1)
    difference = challenger.mean() - champion.mean()
    assert 0 <= low <= difference <= high
    assert promotion.paired_bootstrap(champion, champion) == (0.0, 0.0)  # same rows: no noise


def test_a_one_row_lead_is_not_enough_but_a_large_one_is():
    target = np.zeros(140, dtype=int)
    champion = target.copy()
    champion[:20] = 1  # 20 mistakes
    one_better = champion.copy()
    one_better[0] = 0  # one mistake fewer: higher accuracy, within the noise
    result = promotion.compare(target, champion, one_better)
    assert result.difference > 0 and not result.promote
    assert "keep the champion" in str(result)
    much_better = target.copy()
    much_better[:2] = 1
    assert promotion.compare(target, champion, much_better).promote


def test_a_margin_is_required_on_top_of_the_noise():
    target = np.zeros(140, dtype=int)
    champion = target.copy()
    champion[:20] = 1
    challenger = target.copy()
    challenger[:12] = 1  # 8 rows better: clear of zero, but not of a 0.1 margin
    assert promotion.compare(target, champion, challenger, margin=0.0).promote
    assert not promotion.compare(target, champion, challenger, margin=0.1).promote


def test_mismatched_rows_get_a_clear_error():
    with pytest.raises(ValueError, match="on the same rows"):
        promotion.paired_bootstrap([1, 0, 1], [1, 0])


def test_promote_if_better_moves_the_aliases_on_a_registry():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(300, 3))
    y = (x[:, 0] > 0).astype(int)
    weak = DummyClassifier(strategy="most_frequent").fit(x, y)
    strong = LogisticRegression().fit(x, y)
    registry = MemoryRegistry([weak, strong, weak], aliases={})
    assert promotion.promote_if_better(registry, "m", 1, x, y) is None  # no champion yet
    assert registry.info("m", "champion").version == 1
    result = promotion.promote_if_better(registry, "m", 2, x, y)
    assert result.promote and registry.info("m", "champion").version == 2
    result = promotion.promote_if_better(registry, "m", 3, x, y)
    assert not result.promote and registry.info("m", "champion").version == 2
    assert registry.info("m", "challenger").version == 3
    assert registry.rollback("m") == 1
