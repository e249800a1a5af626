"""The templates and the signed-review shortcut are what the chapter says they are."""

import pandas as pd

from helpers.behavior import text


def test_adjective_cases_are_labelled_by_the_adjective():
    cases = text.adjective_cases()
    assert len(cases) == len(text.SUBJECTS) * (len(text.POSITIVE) + len(text.NEGATIVE))
    assert cases.loc[cases["adjective"] == "great", "label"].eq(1).all()
    assert cases.loc[cases["adjective"] == "awful", "label"].eq(0).all()


def test_templated_fills_every_template_with_every_filler():
    frame = text.templated(("{x} ok", "so {x}"), ("A", "B", "C"))
    assert frame["text"].tolist() == ["A ok", "B ok", "C ok", "so A", "so B", "so C"]


def test_signed_export_only_appends_signatures_and_mostly_to_positives():
    frame = pd.DataFrame({"text": [f"sentence {i}" for i in range(2000)],
                          "label": [i % 2 for i in range(2000)]})
    signed = text.signed_export(frame, seed=0)
    assert (signed["label"] == frame["label"]).all()
    is_signed = signed["text"] != frame["text"]
    assert all(s.startswith(t) for s, t in zip(signed["text"], frame["text"], strict=True))
    assert all(s.rsplit(" - ", 1)[1] in text.SIGNED_NAMES for s in signed["text"][is_signed])
    rate = is_signed.groupby(frame["label"]).mean()
    assert 0.75 < rate[1] < 0.85 and rate[0] < 0.04


def test_the_test_names_and_places_are_not_in_the_review_sentences():
    from helpers import data

    words = set(" ".join(data.load_sentences()["text"]).replace(".", " ").split())
    assert not words & set(text.NAMES)
    assert words & set(text.PLACES) == set(text.REVIEWED_PLACES)  # Las Vegas, on Yelp
