"""How many labels active learning saves, how sure we are of it, and what it is worth (Ch. 6).

A saving is measured in labels to reach a target accuracy, paired by seed against random
sampling; `verdict` and `below_random` turn the measurements into sentences the lecture prints,
and `payback_months` prices a saving against the engineering it costs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def labels_to_reach(curves: pd.DataFrame, target: float) -> pd.DataFrame:
    """Per strategy and seed: the fewest labels at which test accuracy first reached `target`.

    NaN where a run never reached it within its rounds.
    """
    hit = curves[curves["accuracy"] >= target]
    first = hit.groupby(["strategy", "seed"])["n_labels"].min()
    runs = curves[["strategy", "seed"]].drop_duplicates().set_index(["strategy", "seed"])
    return runs.join(first.rename("labels")).reset_index()


def paired_savings(reach: pd.DataFrame) -> pd.DataFrame:
    """Per seed (rows) and strategy (columns): 1 - labels / labels of random, NaN if unreached."""
    table = reach.pivot(index="seed", columns="strategy", values="labels")
    if "random" not in table:
        raise ValueError("savings are measured against 'random': include it in the strategies")
    others = [s for s in table.columns if s != "random"]
    return 1 - table[others].div(table["random"], axis=0)


def savings_vs_random(reach: pd.DataFrame) -> pd.DataFrame:
    """Per strategy: the paired saving against random over seeds (mean, std, range).

    Seeds are paired (same initial labels); a seed where either run missed the target counts
    as not reached. Negative savings mean the strategy needed MORE labels than random.
    """
    table = reach.pivot(index="seed", columns="strategy", values="labels")
    rows = []
    for strategy, saving in paired_savings(reach).items():
        saving = saving.dropna()
        rows.append({
            "strategy": strategy,
            "seeds_reached": len(saving),
            "labels_mean": table[strategy].mean(),
            "random_labels_mean": table["random"].mean(),
            "saving_mean": saving.mean(),
            "saving_std": saving.std(ddof=1) if len(saving) > 1 else np.nan,
            "saving_min": saving.min(),
            "saving_max": saving.max(),
            "share_worse": float((saving < 0).mean()) if len(saving) else np.nan,
        })
    return pd.DataFrame(rows).set_index("strategy")


def verdict(name: str, saving: pd.Series, low: float = 0.30, high: float = 0.50) -> str:
    """One Markdown line judging a claim "saves `low`-`high`" on the per-seed `saving`s.

    The claim is about a typical run, so it holds when most seeds (more than half) save between
    `low` and `high`; NaN (a run that missed the target) is left out and counted.
    """
    reached = saving.dropna()
    if reached.empty:
        return f"- **{name}**: no seed reached the target with both runs; nothing to judge."
    inside, below, above = (reached.between(low, high).mean(), (reached < low).mean(),
                            (reached > high).mean())
    claim = f"{low:.0%}-{high:.0%}"
    if inside > 0.5:
        judged = f"the claimed {claim} holds in most seeds"
    elif below > 0.5:
        judged = f"saves less than the claimed {claim} in most seeds"
    elif above > 0.5:
        judged = f"saves more than the claimed {claim} in most seeds"
    else:
        judged = f"no single answer: the seeds scatter below, inside and above {claim}"
    return (f"- **{name}**: mean {reached.mean():+.0%}, seeds {reached.min():+.0%} .. "
            f"{reached.max():+.0%}; {inside:.0%} of {len(reached)} seeds inside {claim}, "
            f"{below:.0%} below (worse than random: {(reached < 0).mean():.0%}), "
            f"{above:.0%} above; {len(saving) - len(reached)} missed the target: {judged}.")


def below_random(curves: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Where each strategy's mean accuracy is below random's: a boolean table and Markdown lines."""
    mean_curve = curves.groupby(["n_labels", "strategy"])["accuracy"].mean().unstack()
    if "random" not in mean_curve:
        raise ValueError("comparing with random needs its curves: include 'random' in strategies")
    behind = mean_curve.drop(columns="random").lt(mean_curve["random"], axis=0)
    lines = []
    for strategy in behind.columns:
        sizes = behind.index[behind[strategy]].tolist()
        line = f"- **{strategy}**: below random at {len(sizes)} of {len(behind)} points"
        if sizes:
            worst = (mean_curve[strategy] - mean_curve["random"]).min()
            where = f"{sizes[0]}" if len(sizes) == 1 else f"between {sizes[0]} and {sizes[-1]}"
            line += f" ({where} labels; worst gap {worst:+.3f})"
        lines.append(line + ".")
    return behind, "\n".join(lines)


def accuracy_at_budget(curves: pd.DataFrame, budget: int) -> pd.DataFrame:
    """Per strategy: test accuracy (mean, std, min, max over seeds) with at most `budget` labels."""
    within = curves[curves["n_labels"] <= budget]
    last = within.loc[within.groupby(["strategy", "seed"])["n_labels"].idxmax()]
    return last.groupby("strategy")["accuracy"].agg(["mean", "std", "min", "max"])


def labeling_cost(
    labels: pd.Series, price_per_label, seconds_per_label, annotators: int = 1
) -> pd.DataFrame:
    """What a number of labels costs: money, annotator hours, and working days for a team.

    Prices and seconds may be numbers or Series aligned with `labels` (hard items take longer).
    """
    if (np.any(np.asarray(price_per_label) < 0) or np.any(np.asarray(seconds_per_label) <= 0)
            or annotators < 1):
        raise ValueError("need price_per_label >= 0, seconds_per_label > 0 and annotators >= 1")
    hours = labels * seconds_per_label / 3600
    return pd.DataFrame({
        "labels": labels,
        "cost": labels * price_per_label,
        "annotator_hours": hours,
        "working_days": hours / (8 * annotators),
    })


def monthly_saving(saving, labels_per_month: float, hour_cost: float, seconds_per_label: float,
                   hard_factor: float) -> np.ndarray:
    """Money saved per month when active learning needs `1 - saving` of random's labels.

    Annotators are paid `hour_cost` per hour; a random item takes `seconds_per_label`, an item
    the model picked `hard_factor` times as long. Negative: active learning costs more.
    """
    if labels_per_month < 0 or hour_cost < 0 or seconds_per_label <= 0 or hard_factor <= 0:
        raise ValueError("need labels_per_month >= 0, hour_cost >= 0, seconds_per_label > 0 "
                         "and hard_factor > 0")
    random_cost = labels_per_month * seconds_per_label / 3600 * hour_cost
    return random_cost * (1 - (1 - np.asarray(saving, dtype=float)) * hard_factor)


def payback_months(monthly: np.ndarray, engineering_cost: float) -> np.ndarray:
    """Months until `monthly` savings repay a one-off `engineering_cost` (inf if they never do)."""
    monthly = np.asarray(monthly, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(monthly > 0, engineering_cost / np.where(monthly > 0, monthly, 1), np.inf)
