"""Close the loop: people label what active learning picks, into the label store (Ch. 10).

The loop itself is Chapter 6's `helpers.active.loop.run_loop`; this module only gives it an oracle
that records each answer in a `LabelStore` and reads the stored label back, so the store, not
the notebook's memory, is what the model is trained from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from helpers.labeling.store import LabelStore


def store_oracle(store: LabelStore, item_ids: Sequence[str], answer: Callable[[int], object],
                 annotator: str, parse: Callable[[str], object] = int) -> Callable:
    """An oracle for `run_loop`: person `answer(row)` is stored, then read back from the store."""
    def oracle(rows: np.ndarray) -> np.ndarray:
        for row in rows:
            store.add_label(item_ids[row], str(answer(int(row))), annotator=annotator)
        current = store.labels()
        return np.array([parse(current[item_ids[row]]) for row in rows])

    return oracle


def close_the_loop(
    strategy: str,
    make_classifier: Callable[[], object],
    pool: tuple,
    test: tuple,
    store: LabelStore,
    answer: Callable[[int], object],
    annotator: str,
    batch_size: int,
    rounds: int,
    seed: int,
    classes=None,
) -> pd.DataFrame:
    """Active learning with a person: `pool` is (X, item_ids, start_labels with np.nan).

    The start labels go into the store first (annotator "first labels"); each round the
    strategy picks `batch_size` unlabeled rows, `answer(row)` labels them into the store, and
    the model is refitted. One row per round, as `helpers.active.loop.run_loop` returns.
    """
    from helpers.active.loop import run_loop

    X, item_ids, y_start = pool
    y_start = np.asarray(y_start, dtype=float)
    if len(item_ids) != len(X) or len(y_start) != len(X):
        raise ValueError(f"pool: X has {len(X)} rows, but {len(item_ids)} item ids and "
                         f"{len(y_start)} start labels: give one of each per row")
    for row in np.flatnonzero(~np.isnan(y_start)):
        store.add_label(item_ids[row], str(int(y_start[row])), annotator="first labels")
    oracle = store_oracle(store, item_ids, answer, annotator)
    return run_loop(strategy, make_classifier, X, y_start, test, batch_size, rounds, seed,
                    oracle, classes=classes)
