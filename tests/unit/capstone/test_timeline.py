"""The timeline: events in order, each version's fate, and one screen of text."""

import pytest

from helpers.capstone.timeline import PROMOTED, REFUSED, ROLLED_BACK, Timeline


def story() -> Timeline:
    life = Timeline()
    life.record(0, "trained", "twice, identical weights", accuracy=0.96)
    life.record(0, PROMOTED, "the first champion", version=1)
    life.record(0, REFUSED, "fails remeasurement", version=2)
    life.record(8, PROMOTED, "beats v1", version=3)
    life.record(11, PROMOTED, "beats v3 on stale rows", version=4)
    life.record(14, ROLLED_BACK, "canary surely worse", version=4, accuracy=0.83)
    return life


def test_fates_follow_promotions_refusals_and_rollbacks():
    life = story()
    assert life.champion == 3
    assert life.fates() == {
        1: "served until day 8, replaced by v3",
        2: "refused on day 0: fails remeasurement",
        3: "serving again since day 14",
        4: "rolled back on day 14: canary surely worse",
    }


def test_a_version_only_registered_is_said_so():
    life = Timeline()
    life.record(2, "released", "contract passed", version=5)
    assert life.fates() == {5: "registered on day 2, never promoted"} and life.champion is None


def test_render_fits_the_width_and_shows_metrics():
    life = story()
    life.record(15, "note", "x" * 300, version=3)
    text = life.render(width=90)
    assert all(len(line) <= 90 for line in text.splitlines())
    assert "accuracy 0.830" in text and "..." in text
    assert text.splitlines()[-1].startswith("  v4  rolled back on day 14")
    assert list(life.frame()["step"])[:2] == ["trained", PROMOTED]


@pytest.mark.parametrize("call, message", [
    (lambda t: t.record(-1, "x", "y"), "non-negative"),
    (lambda t: t.record(3, "x", "y"), "before the last event"),
    (lambda t: t.record(9, "", "y"), "needs a step"),
    (lambda t: t.record(9, "x", "y", a=1.0, b=2.0), "one metric"),
    (lambda t: t.record(9, "x", "y", a=float("nan")), "finite"),
    (lambda t: t.record(9, ROLLED_BACK, "y", version=1), "only the serving version"),
])
def test_bad_events_are_refused_with_a_reason(call, message):
    life = Timeline()
    life.record(5, PROMOTED, "first", version=1)
    life.record(6, PROMOTED, "second", version=2)
    with pytest.raises(ValueError, match=message):
        call(life)
