"""Every error tagged with the categories that may explain it, and categories ranked (Chapter 7).

One table a team can triage: each misclassified item with its confused pair, slice, low
confidence, suspected label error and outlier flags; then, per category, how many errors
fixing it could remove.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def low_confidence(proba, margin: float = 0.15) -> np.ndarray:
    """True where P(class 1) lies within `margin` of 0.5: the model was nearly guessing."""
    return np.abs(np.asarray(proba, dtype=float) - 0.5) < margin


def outliers(features: pd.DataFrame, fraction: float = 0.05, seed: int = 0) -> np.ndarray:
    """True for the `fraction` of rows an IsolationForest finds most unusual."""
    from sklearn.ensemble import IsolationForest

    forest = IsolationForest(contamination=fraction, random_state=seed)
    return forest.fit_predict(features) == -1


def error_table(y, pred, proba, tags: dict[str, np.ndarray],
                class_names: dict[int, str]) -> pd.DataFrame:
    """One row per error: true and predicted class, the confused pair and each tag (bool)."""
    y, pred = np.asarray(y), np.asarray(pred)
    bad = {name: len(flags) for name, flags in tags.items() if len(flags) != len(y)}
    if bad:
        raise ValueError(f"each tag needs one flag per item ({len(y)}); wrong lengths: {bad}")
    wrong = np.flatnonzero(y != pred)
    table = pd.DataFrame({
        "true": [class_names[v] for v in y[wrong]],
        "predicted": [class_names[v] for v in pred[wrong]],
        "p_class_1": np.asarray(proba, dtype=float)[wrong],
    }, index=pd.Index(wrong, name="item"))
    table["pair"] = table["true"] + " -> " + table["predicted"]
    for name, flags in tags.items():
        table[name] = np.asarray(flags, dtype=bool)[wrong]
    return table


def rank_categories(table: pd.DataFrame, categories: list[str]) -> pd.DataFrame:
    """Per category (a tag or 'pair: a -> b'): errors, share, and errors it alone explains."""
    flags = table[categories].astype(bool)
    for pair in sorted(table["pair"].unique()):
        flags[f"pair: {pair}"] = table["pair"] == pair
    tag_count = table[categories].astype(bool).sum(axis=1)
    rows = []
    for name in flags.columns:
        tagged = flags[name]
        only = tagged & (tag_count == 1) if name in categories else tagged & (tag_count == 0)
        rows.append({"category": name, "errors": int(tagged.sum()),
                     "share": tagged.mean(), "only_this": int(only.sum())})
    rows.append({"category": "(no tag)", "errors": int((tag_count == 0).sum()),
                 "share": (tag_count == 0).mean(), "only_this": int((tag_count == 0).sum())})
    return pd.DataFrame(rows).set_index("category").sort_values("errors", ascending=False)
