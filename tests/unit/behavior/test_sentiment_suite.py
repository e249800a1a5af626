"""The sentiment suite's place test can fail: it catches a model that reacts to a city.

(CI runs the suite itself on the reference model, which passes it: tests/behavior.)
"""

from pathlib import Path

import numpy as np

from helpers import data
from helpers.behavior import gate
from helpers.behavior import text as sentiment

SUITE = Path(__file__).resolve().parents[2] / "behavior" / "test_sentiment_behavior.py"


class LikesACity:
    """The reference model, except that a sentence naming `city` gets the opposite answer."""

    def __init__(self, model, city):
        self.model, self.city = model, city

    def predict_proba(self, texts):
        texts = list(texts)
        p = np.asarray(self.model.predict_proba(texts))
        named = np.array([self.city in t for t in texts])
        p[named] = p[named][:, ::-1]
        return p

    def predict(self, texts):
        return self.predict_proba(texts).argmax(axis=1)


def test_a_model_that_reacts_to_a_city_the_reviews_never_mention_fails_the_place_test():
    reference = sentiment.fit(sentiment.split(data.load_sentences(), 0)[0])
    run = gate.run_suite(LikesACity(reference, "Paris"), SUITE)
    assert set(run.failed) == {"test_inv_places"}, run.failed
