"""Find the slices where a model fails: a shallow tree fit on 'was this prediction wrong'.

Each leaf of the tree is a readable rule (``PID > 1.5 and selfLR <= 4.5``) with its size and
error rate, so the bad slices come from the data rather than from a guess (Chapter 7).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.tree import DecisionTreeClassifier


def fit_error_tree(features: pd.DataFrame, wrong, max_depth: int = 3, min_leaf: int = 20,
                   seed: int = 0) -> DecisionTreeClassifier:
    """A tree of depth `max_depth` predicting `wrong` (True = the model erred) from features."""
    wrong = np.asarray(wrong, dtype=bool)
    if len(wrong) != len(features):
        raise ValueError(f"{len(features)} rows of features but {len(wrong)} 'wrong' flags")
    if wrong.all() or not wrong.any():
        raise ValueError("'wrong' must hold both errors and correct predictions")
    tree = DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf,
                                  random_state=seed)
    return tree.fit(features, wrong)


def leaf_rules(tree: DecisionTreeClassifier, feature_names: list[str]) -> dict[int, str]:
    """Map each leaf's node id to its rule, the conditions on the path from the root."""
    inner = tree.tree_
    rules: dict[int, str] = {}
    stack: list[tuple[int, list[tuple[str, str, float]]]] = [(0, [])]
    while stack:
        node, path = stack.pop()
        if inner.children_left[node] == -1:  # a leaf
            rules[node] = readable(path)
            continue
        name, cut = feature_names[inner.feature[node]], float(inner.threshold[node])
        stack.append((inner.children_left[node], [*path, (name, "<=", cut)]))
        stack.append((inner.children_right[node], [*path, (name, ">", cut)]))
    return rules


def readable(path: list[tuple[str, str, float]]) -> str:
    """Conditions merged per feature, tightest bounds only: ``1.5 < PID <= 4.5 and age > 60``."""
    bounds: dict[str, list[float]] = {}
    for name, op, cut in path:
        low, high = bounds.setdefault(name, [-np.inf, np.inf])
        bounds[name] = [max(low, cut), high] if op == ">" else [low, min(high, cut)]
    parts = []
    for name, (low, high) in bounds.items():
        left = f"{low:g} < " if np.isfinite(low) else ""
        right = f" <= {high:g}" if np.isfinite(high) else ""
        parts.append(f"{left}{name}{right}")
    return " and ".join(parts) or "everyone"


def find_slices(features: pd.DataFrame, wrong, max_depth: int = 3, min_leaf: int = 20,
                seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Leaves as slices (rule, n, errors, error rate, lift), worst first, and each row's leaf."""
    wrong = np.asarray(wrong, dtype=bool)
    tree = fit_error_tree(features, wrong, max_depth, min_leaf, seed)
    leaf = tree.apply(features)
    rules = leaf_rules(tree, list(features.columns))
    table = (pd.DataFrame({"leaf": leaf, "wrong": wrong}).groupby("leaf")["wrong"]
             .agg(n="size", errors="sum", error_rate="mean"))
    table.insert(0, "rule", table.index.map(rules))
    table["lift"] = table["error_rate"] / wrong.mean()
    return table.sort_values(["error_rate", "n"], ascending=[False, False]), leaf
