"""Each perturbation changes what it says, and nothing else."""

import numpy as np
import pandas as pd
import pytest

from helpers.behavior import perturb


@pytest.mark.parametrize("seed", range(20))
def test_typo_swaps_two_neighbouring_letters_in_exactly_one_word(seed):
    text = "The battery lasts all day and the screen is bright"
    out = perturb.typo(text, seed)
    before, after = text.split(" "), out.split(" ")
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1
    old, new = changed[0]
    assert sorted(old) == sorted(new) and len(old) >= 4
    diff = [i for i, (x, y) in enumerate(zip(old, new, strict=True)) if x != y]
    assert len(diff) == 2 and diff[1] == diff[0] + 1
    assert perturb.typo(text, seed) == out  # same seed, same typo


def test_typo_leaves_a_text_without_long_words_alone():
    assert perturb.typo("It is ok. Too bad!", 3) == "It is ok. Too bad!"
    assert perturb.typo("good tool", 0) != "good tool"  # 'oo' alone would be no change


def test_typos_grow_with_the_rate():
    text = "this phone works great and the battery lasts forever without charging"
    assert perturb.typos(text, 0.0, 1) == text
    changed = [sum(a != b for a, b in zip(text.split(), perturb.typos(text, r, 1).split(),
                                        strict=True)) for r in (0.0, 0.5, 1.0)]
    assert changed[0] == 0 < changed[1] <= changed[2]
    assert changed[2] == sum(len(w) >= 4 for w in text.split())
    with pytest.raises(ValueError, match="between 0 and 1"):
        perturb.typos(text, 1.5, 0)


def test_replace_word_changes_whole_words_only():
    assert perturb.replace_word("Emma met Emmanuel.", "Emma", "Liam") == "Liam met Emmanuel."
    with pytest.raises(ValueError, match="does not occur"):
        perturb.replace_word("Emmanuel was late.", "Emma", "Liam")


def test_strip_end_punctuation_keeps_the_words():
    assert perturb.strip_end_punctuation("Great phone!!! ") == "Great phone"
    assert perturb.strip_end_punctuation("Is it good?") == "Is it good"
    assert perturb.strip_end_punctuation("no stop") == "no stop"


def test_negate_inserts_not_after_the_first_copula():
    assert perturb.negate("The food was good.") == "The food was not good."
    assert perturb.negate("It is what it is.") == "It is not what it is."
    assert perturb.negate("Loved it.") is None


def test_intensify_puts_the_word_before_the_adjective():
    assert perturb.intensify("The staff was nice.", "nice") == "The staff was really nice."
    assert perturb.intensify("Bad.", "Bad", "very") == "very Bad."


def test_jitter_and_shift_touch_one_column_only():
    frame = pd.DataFrame({"a": np.arange(50.0), "b": np.ones(50)})
    jittered = perturb.jitter_column(frame, "a", 0.1, seed=0)
    pd.testing.assert_series_equal(jittered["b"], frame["b"])
    assert not np.allclose(jittered["a"], frame["a"])
    assert abs((jittered["a"] - frame["a"]).std() - 0.1 * frame["a"].std()) < 0.5
    shifted = perturb.shift_column(frame, "b", 2.0)
    assert (shifted["b"] == 3.0).all() and (shifted["a"] == frame["a"]).all()
    assert (frame["b"] == 1.0).all()  # the input is not modified
    with pytest.raises(KeyError, match="no column 'c'"):
        perturb.jitter_column(frame, "c", 0.1, 0)
