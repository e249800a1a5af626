"""Self-checks for the Chapter 8 lab (invariance, directional and fairness decisions)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pandas as pd

from helpers.checks import passed, require

GAP = "equalized odds difference"
SCORE = "balanced accuracy"
TIE = 0.01  # balanced accuracies this close are the same for the decision


@cache
def _models():
    """A text model with a planted bug (case-sensitive words) and the same model fixed."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from helpers import data

    sentences = data.load_sentences()
    fitted = {}
    for name, lowercase in (("buggy", False), ("fixed", True)):
        model = make_pipeline(TfidfVectorizer(lowercase=lowercase, min_df=2),
                              LogisticRegression(C=10, max_iter=1000))
        fitted[name] = model.fit(sentences["text"], sentences["label"])
    return fitted, list(sentences["text"].iloc[::7])


def exercise_1(case_flip_rate: Callable[[object, list], float]) -> str:
    """`case_flip_rate(model, texts)`: share of texts whose label changes in CAPITALS."""
    models, texts = _models()
    buggy = models["buggy"]
    expected = float(np.mean(buggy.predict(texts) != buggy.predict([t.upper() for t in texts])))
    got = case_flip_rate(buggy, texts)
    require(got is not None and np.isfinite(got), 1, f"expected a number, got {got!r}",
            "return the share of texts whose predicted label changed, as a float.")
    require(got <= 1, 1, f"got {got}: a count, not a share of the {len(texts)} texts",
            "divide the number of flipped labels by the number of texts (or use np.mean).")
    require(got > 0, 1, "your test finds no failure in the model with the planted bug",
            "compare the predicted labels of each text and of text.upper().")
    require(np.isclose(got, expected), 1,
            f"got {got:.3f}, expected {expected:.3f} on the buggy model",
            "a failure is a changed predicted LABEL (model.predict), not any change of "
            "probability; compare text with text.upper().")
    fixed = case_flip_rate(models["fixed"], texts)
    require(np.isclose(fixed, 0.0), 1, f"the fixed model gets {fixed:.3f}, expected 0",
            "a model that lowercases its input cannot change its answer on capitals.")
    return passed(1, f"your test flags the planted bug ({expected:.1%} of {len(texts)} "
                     "sentences flip in capitals) and passes the fixed model")


class _TableModel:
    """P(positive) read from a dictionary: a model whose answers the check controls."""

    def __init__(self, table: dict[str, float]) -> None:
        self.table = table

    def predict_proba(self, texts):
        p = np.array([self.table[t] for t in texts])
        return np.column_stack([1 - p, p])


def exercise_2(negation_failures: Callable[[object, list, list], np.ndarray]) -> str:
    """`negation_failures(model, texts, labels)`: True where 'not' moves P the wrong way."""
    rows = [  # text, label, P(original), P(negated), should fail
        ("The food was good.", 1, 0.9, 0.2, False), ("The food was bad.", 0, 0.1, 0.6, False),
        ("The staff was nice.", 1, 0.7, 0.8, True), ("The phone was poor.", 0, 0.3, 0.1, True),
        ("The wait was long.", 0, 0.4, 0.4, False), ("The room was clean.", 1, 0.8, 0.8, False),
    ]
    table = {}
    for text, _, p0, p1, _ in rows:
        table[text] = p0
        table[text.replace(" was ", " was not ")] = p1
    texts, labels = [r[0] for r in rows], [r[1] for r in rows]
    got = np.asarray(negation_failures(_TableModel(table), texts, labels), dtype=bool)
    want = np.array([r[4] for r in rows])
    require(got.shape == want.shape, 2, f"expected one True/False per text, got shape {got.shape}",
            "return a boolean array with one entry per sentence.")
    require(not np.array_equal(got, ~want), 2, "your directions are reversed",
            "'not' should LOWER P(positive) for a positive sentence and RAISE it for a "
            "negative one; a failure is a move the other way.")
    require(not (got[4] or got[5]), 2, "an unchanged probability counts as a failure in yours",
            "fail only when P(positive) moves the wrong way (strictly).")
    require(np.array_equal(got, want), 2,
            f"flagged {got.tolist()}, expected {want.tolist()}",
            "use the given labels (not the model's) to decide the expected direction.")
    return passed(2, "your directional test flags exactly the two sentences 'not' moves the "
                     "wrong way")


def _defensible(options: pd.DataFrame, max_gap: float) -> set[str]:
    """Options within `max_gap` whose score is within TIE of the best such option."""
    ok = options[options[GAP] <= max_gap]
    if ok.empty:
        return set()
    return set(ok.index[ok[SCORE] >= ok[SCORE].max() - TIE])


def _cases() -> list[tuple[pd.DataFrame, float, str]]:
    """Synthetic option tables, each with the trap it sets."""
    def frame(rows):
        return pd.DataFrame(rows, columns=["option", GAP, SCORE]).set_index("option")

    return [
        (frame([("baseline", 0.26, 0.61), ("A", 0.04, 0.59), ("B", 0.02, 0.55)]), 0.05,
         "the most accurate option breaks the limit"),
        (frame([("baseline", 0.20, 0.62), ("A", 0.03, 0.600), ("B", 0.01, 0.595)]), 0.05,
         "two options meet the limit with scores 0.005 apart: either is fine"),
        (frame([("baseline", 0.20, 0.62), ("A", 0.12, 0.60), ("B", 0.09, 0.58)]), 0.05,
         "no option meets the limit"),
        (frame([("baseline", 0.05, 0.63), ("A", 0.01, 0.60)]), 0.05,
         "the limit itself is allowed (<=)"),
    ]


def exercise_3(choose: Callable[[pd.DataFrame, float], str | None],
               measured: pd.DataFrame, max_gap: float) -> str:
    """`choose(options, max_gap)`: the option to ship, or None when none is acceptable."""
    for options, limit, trap in _cases():
        got = choose(options, limit)
        allowed = _defensible(options, limit)
        if not allowed:
            require(got is None, 3, f"{trap}: you chose {got!r}",
                    "return None when no option meets the limit: shipping one that breaks "
                    "the policy is not a choice you can make alone; escalate.")
            continue
        require(got in allowed, 3, f"{trap}: you chose {got!r}, defensible: {sorted(allowed)}",
                f"keep the options with {GAP} <= max_gap, then take the best {SCORE} "
                f"(options within {TIE} of the best are equally good).")
    got = choose(measured, max_gap)
    allowed = _defensible(measured, max_gap)
    require(got in allowed or (not allowed and got is None), 3,
            f"on your measurements you chose {got!r}; defensible: {sorted(allowed) or [None]}",
            "apply the same rule to the measured table.")
    detail = (f"on your measurements, {got!r} meets {GAP} <= {max_gap} at the best "
              f"{SCORE}" if got is not None else "on your measurements no option meets the limit")
    return passed(3, detail)
