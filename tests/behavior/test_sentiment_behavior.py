"""The sentiment model's behavioural contract (Chapter 8): a promotion runs this file.

By default it tests the reference model, trained here. The promotion gate
(`helpers.behavior.gate.run_suite`) hands it a candidate instead; from a shell, point
`BEHAVIOR_MODEL` at a candidate saved with skops (and `BEHAVIOR_SEED` at its data split).
Each limit is the failure rate the team accepts for that behaviour.
"""

import itertools
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import data
from helpers.behavior import perturb, suite
from helpers.behavior import text as sentiment
from helpers.behavior.gate import MODEL_ENV, SEED_ENV

LIMITS = {"adjectives": 0.15, "places": 0.10, "typos": 0.15}
TYPO_ACCURACY_FLOOR = 0.70  # held-out accuracy when 20 % of the longer words have a typo


@pytest.fixture(scope="module")
def split(request):
    """Training and held-out sentences, split as the model under test was."""
    seed = getattr(request.config, "behavior_seed", None)
    seed = int(os.environ.get(SEED_ENV, "0")) if seed is None else seed
    return sentiment.split(data.load_sentences(), seed)


@pytest.fixture(scope="module")
def sentences():
    """Every review sentence (for the tests that draw any of them)."""
    return list(data.load_sentences()["text"])


@pytest.fixture(scope="module")
def model(request, split):
    """The gate's candidate, or the one BEHAVIOR_MODEL names, or the reference model."""
    candidate = getattr(request.config, "behavior_model", None)
    if candidate is not None:
        return candidate
    if os.environ.get(MODEL_ENV):
        from helpers.storage.artifacts import load_skops

        return load_skops(os.environ[MODEL_ENV])  # its recorded sha256 is checked first
    return sentiment.fit(split[0])


def test_mft_plain_adjectives(model):
    cases = sentiment.adjective_cases()
    result = suite.mft("adjectives", model, cases["text"], cases["label"])
    assert result.failure_rate <= LIMITS["adjectives"], (
        f"{result.failures}/{result.cases} plain sentences wrong, e.g. "
        f"{result.examples['case'].head(3).tolist()}")


@suite.property_settings(max_examples=60)
@given(template=st.sampled_from(sentiment.NAME_TEMPLATES),
       a=st.sampled_from(sentiment.NAMES), b=st.sampled_from(sentiment.NAMES))
def test_inv_names(model, template, a, b):
    p = suite.positive_probability(model, [template.format(x=a), template.format(x=b)])
    assert (p[0] >= 0.5) == (p[1] >= 0.5), (
        f"swapping {a} for {b} flips {template.format(x=a)!r}: "
        f"P(positive) {p[0]:.2f} -> {p[1]:.2f}")


def test_inv_places(model):
    # Vegas, which the reviews mention, is a known weakness tracked in the chapter's report
    places = [p for p in sentiment.PLACES if p not in sentiment.REVIEWED_PLACES]
    pairs = [(t.format(x=x), t.format(x=y)) for t in sentiment.PLACE_TEMPLATES
             for x, y in itertools.combinations(places, 2)]
    result = suite.inv("places", model, [a for a, _ in pairs], [b for _, b in pairs])
    assert result.failure_rate <= LIMITS["places"], (
        f"{result.failures}/{result.cases} place swaps flip the label")


def test_inv_typos(model, split):
    texts = list(split[1]["text"])
    typoed = [perturb.typo(t, i) for i, t in enumerate(texts)]
    result = suite.inv("typos", model, texts, typoed)
    assert result.failure_rate <= LIMITS["typos"], (
        f"{result.failures}/{result.cases} single typos flip the label")


@suite.property_settings(max_examples=40)
@given(index=st.integers(min_value=0, max_value=1999))
def test_inv_end_punctuation(model, sentences, index):
    sentence = sentences[index]
    p = suite.positive_probability(model, [sentence, perturb.strip_end_punctuation(sentence)])
    assert (p[0] >= 0.5) == (p[1] >= 0.5), f"dropping the final punctuation flips {sentence!r}"


def test_robustness_floor(model, split):
    held_out = split[1]
    noisy = [perturb.typos(t, 0.2, i) for i, t in enumerate(held_out["text"])]
    accuracy = float((model.predict(noisy) == held_out["label"].to_numpy()).mean())
    assert accuracy >= TYPO_ACCURACY_FLOOR, (
        f"accuracy with typos is {accuracy:.3f}, below the floor {TYPO_ACCURACY_FLOOR}")
