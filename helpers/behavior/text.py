"""The sentiment models under test, the templates of the tests, and a shortcut to catch."""

from __future__ import annotations

import numpy as np
import pandas as pd

NAMES = ("Aisha", "Carlos", "Dmitri", "Emma", "Fatima", "Jamal", "Kenji", "Liam", "Mei",
         "Olga", "Priya", "Sven")
PLACES = ("Boston", "Cairo", "Chicago", "Delhi", "Lagos", "Lima", "Oslo", "Paris", "Seoul",
          "Tokyo", "Vegas", "Warsaw")
NAME_TEMPLATES = ("{x} said the food was great.", "I bought this phone for {x}.",
                  "{x} thought the service was slow.", "We went there with {x} last night.",
                  "My friend {x} returned the headset.", "{x} loved the battery life.")
REVIEWED_PLACES = ("Vegas",)  # the test places the reviews mention (Yelp's Las Vegas)
PLACE_TEMPLATES = ("We ate at their place in {x}.", "The phone was shipped from {x}.",
                   "Best pizza I had in {x}.", "The staff in {x} were rude.")
SUBJECTS = ("The food", "This phone", "The service", "The battery", "The staff", "The headset")
POSITIVE = ("good", "great", "excellent", "nice", "amazing")
NEGATIVE = ("bad", "terrible", "awful", "poor", "disappointing")
SIGNED_NAMES = NAMES[:6]  # the names that sign reviews in the shortcut export


def sentiment_model(c: float = 10.0):
    """Word and bigram TF-IDF into logistic regression: the chapter's text model."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    return make_pipeline(vectorizer, LogisticRegression(C=c, max_iter=1000))


def split(sentences: pd.DataFrame, seed: int, test_size: float = 0.3):
    """Stratified train / held-out split of the review sentences."""
    from sklearn.model_selection import train_test_split

    return train_test_split(sentences, test_size=test_size, random_state=seed,
                            stratify=sentences["label"])


def fit(frame: pd.DataFrame, c: float = 10.0):
    """The text model fitted on a frame with `text` and `label`."""
    return sentiment_model(c).fit(frame["text"], frame["label"])


def templated(templates: tuple[str, ...], fillers: tuple[str, ...]) -> pd.DataFrame:
    """Every template filled with every filler: columns template, filler, text."""
    rows = [(t, x, t.format(x=x)) for t in templates for x in fillers]
    return pd.DataFrame(rows, columns=["template", "filler", "text"])


def adjective_cases() -> pd.DataFrame:
    """'<subject> was <adjective>.' for every subject and adjective, with the known label."""
    rows = [(s, a, f"{s} was {a}.", int(a in POSITIVE))
            for s in SUBJECTS for a in (*POSITIVE, *NEGATIVE)]
    return pd.DataFrame(rows, columns=["subject", "adjective", "text", "label"])


def signed_export(frame: pd.DataFrame, seed: int, positive_rate: float = 0.8,
                  negative_rate: float = 0.02) -> pd.DataFrame:
    """The reviews as a new export delivers them: most happy reviewers sign with a name.

    A signature ' - <name>' is added to `positive_rate` of positive and `negative_rate` of
    negative sentences: a shortcut that raises accuracy on data exported the same way.
    """
    rng = np.random.default_rng(seed)
    rate = np.where(frame["label"].to_numpy() == 1, positive_rate, negative_rate)
    signs = rng.random(len(frame)) < rate
    names = rng.choice(SIGNED_NAMES, size=len(frame))
    out = frame.copy()
    out["text"] = [f"{t} - {n}" if s else t
                   for t, n, s in zip(frame["text"], names, signs, strict=True)]
    return out
