"""Perturbations for behavioural tests: each changes one thing, and only that thing."""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd

COPULA = re.compile(r"\b(is|was|are|were)\b", re.IGNORECASE)
END_PUNCTUATION = " .!?"


def _swappable(word: str) -> list[int]:
    """Positions j where swapping letters j and j+1 of a 4+ letter word changes it."""
    if len(word) < 4 or not word.isalpha():
        return []
    return [j for j in range(len(word) - 1) if word[j] != word[j + 1]]


def typo(text: str, seed: int) -> str:
    """Swap two different neighbouring letters inside one word of 4+ letters (by `seed`).

    A text without such a word comes back unchanged.
    """
    words = text.split(" ")
    candidates = [i for i, word in enumerate(words) if _swappable(word)]
    if not candidates:
        return text
    chooser = random.Random(seed)
    i = chooser.choice(candidates)
    word = words[i]
    j = chooser.choice(_swappable(word))
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2:]
    return " ".join(words)


def typos(text: str, rate: float, seed: int) -> str:
    """Apply `typo` to about `rate` of the words of 4+ letters (noise that grows with rate)."""
    if not 0 <= rate <= 1:
        raise ValueError(f"rate must be between 0 and 1, got {rate}")
    chooser = random.Random(seed)
    words = text.split(" ")
    out = [typo(word, chooser.randrange(2**31)) if chooser.random() < rate else word
           for word in words]
    return " ".join(out)


def replace_word(text: str, old: str, new: str) -> str:
    """Replace the whole word `old` by `new` (names, places); refuse if `old` is absent."""
    pattern = re.compile(rf"\b{re.escape(old)}\b")
    if not pattern.search(text):
        raise ValueError(f"{old!r} does not occur as a word in {text!r}; nothing to replace")
    return pattern.sub(new, text)


def strip_end_punctuation(text: str) -> str:
    """Drop the final full stops, exclamation and question marks (and trailing spaces)."""
    return text.rstrip(END_PUNCTUATION)


def negate(text: str) -> str | None:
    """Insert 'not' after the first is/was/are/were; None when the text has none of them."""
    match = COPULA.search(text)
    if match is None:
        return None
    return f"{text[:match.end()]} not{text[match.end():]}"


def intensify(text: str, adjective: str, word: str = "really") -> str:
    """Put an intensifier (`word`) before `adjective`: 'good' -> 'really good'."""
    return replace_word(text, adjective, f"{word} {adjective}")


def jitter_column(frame: pd.DataFrame, column: str, scale: float, seed: int) -> pd.DataFrame:
    """A copy of `frame` with Gaussian noise (sd = scale * the column's sd) on one column."""
    if column not in frame.columns:
        raise KeyError(f"no column {column!r}; columns are {list(frame.columns)}")
    out = frame.copy()
    sd = float(frame[column].std())
    noise = np.random.default_rng(seed).normal(0.0, scale * sd, len(frame))
    out[column] = frame[column] + noise
    return out


def shift_column(frame: pd.DataFrame, column: str, amount: float) -> pd.DataFrame:
    """A copy of `frame` with `amount` added to one column (for directional tests)."""
    if column not in frame.columns:
        raise KeyError(f"no column {column!r}; columns are {list(frame.columns)}")
    out = frame.copy()
    out[column] = frame[column] + amount
    return out
