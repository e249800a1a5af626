"""Self-checks for the Chapter 9 lab (compression)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from helpers.checks import passed, require


def exercise_1(quantize_int8: Callable[[np.ndarray], tuple[np.ndarray, float]]) -> str:
    """`quantize_int8(weight)` -> (int8 array, scale) with weight ~ scale * q, |q| <= 127."""
    rng = np.random.default_rng(9)
    weight = rng.normal(0, 0.05, (64, 32)).astype(np.float32)
    weight[3, 7] = -0.4  # the largest magnitude is negative
    q, scale = quantize_int8(weight)
    q = np.asarray(q)
    require(q.dtype == np.int8, 1, f"q has dtype {q.dtype}, not int8",
            "cast the rounded values with .astype(np.int8): the point is one byte per weight.")
    require(q.shape == weight.shape, 1, f"q has shape {q.shape}, expected {weight.shape}",
            "quantize every weight; the scale is one number for the whole tensor.")
    require(np.isclose(scale, 0.4 / 127, rtol=1e-4), 1,
            f"scale is {scale:.3g}, expected {0.4 / 127:.3g} = max|w| / 127",
            "use the largest ABSOLUTE value (np.abs(weight).max()): here it is negative, "
            "and 255 steps belong to unsigned int8, not to -127..127.")
    error = np.abs(q.astype(np.float32) * scale - weight)
    require(q[3, 7] == -127, 1, f"the largest weight (-0.4) became {q[3, 7]}, expected -127",
            "q = round(w / scale) must stay in -127..127 without wrapping around.")
    require(error.max() <= scale / 2 + 1e-6, 1,
            f"the largest error is {error.max() / scale:.2f} of a step, more than half",
            "round to the nearest integer (np.round) before casting: a cast truncates.")
    return passed(1, f"64x32 weights in {q.nbytes} bytes instead of {weight.nbytes}, "
                     f"error at most {error.max() / scale:.2f} of a step")


def exercise_2(csr_bytes: Callable[[np.ndarray], int]) -> str:
    """`csr_bytes(weight)`: bytes of the CSR form (float32 values, int32 columns, row starts)."""
    rng = np.random.default_rng(3)
    weight = rng.normal(size=(10, 20)).astype(np.float32)
    weight[rng.random(weight.shape) < 0.8] = 0
    nonzero = int(np.count_nonzero(weight))
    expected = nonzero * 8 + (weight.shape[0] + 1) * 4
    got = csr_bytes(weight)
    require(got != weight.nbytes, 2, "you returned the dense size: every zero still counted",
            "only the nonzero values are stored, each with its column index.")
    require(got != nonzero * 4, 2, "you counted the values but not where they are",
            "each value needs its column index (int32, 4 bytes) too.")
    require(got != nonzero * 8, 2, "the row starts are missing",
            "CSR stores rows + 1 int32 offsets saying where each row begins.")
    require(got == expected, 2, f"got {got} bytes, expected {expected}",
            "nonzero * (4 + 4) + (rows + 1) * 4.")
    dense = np.ones((10, 20), dtype=np.float32)
    require(csr_bytes(dense) > dense.nbytes, 2,
            "a matrix without zeros must be BIGGER in CSR than dense",
            "count the indices of every stored value, even when nothing is zero.")
    return passed(2, f"{nonzero} nonzeros of 200 take {expected} bytes in CSR, "
                     f"{weight.nbytes} dense")


def exercise_3(loss: Callable) -> str:
    """`loss(student, teacher, labels, temperature, alpha)`: Hinton's distillation loss."""
    import torch
    import torch.nn.functional as F

    gen = torch.Generator().manual_seed(5)
    student, teacher = torch.randn(16, 10, generator=gen), 3 * torch.randn(16, 10, generator=gen)
    labels = torch.randint(0, 10, (16,), generator=gen)

    def reference(t: float, a: float, factor: float | None = None) -> float:
        kl = F.kl_div(F.log_softmax(student / t, 1), F.softmax(teacher / t, 1),
                      reduction="batchmean")
        factor = t * t if factor is None else factor
        return float(a * factor * kl + (1 - a) * F.cross_entropy(student, labels))

    got = float(loss(student, teacher, labels, 4.0, 0.7))
    require(np.isfinite(got), 3, f"the loss is {got}", "return a finite scalar tensor.")
    hard = float(loss(student, teacher, labels, 4.0, 0.0))
    require(np.isclose(hard, float(F.cross_entropy(student, labels)), rtol=1e-4), 3,
            "with alpha = 0 the loss should be the plain cross-entropy with the labels",
            "alpha weighs the soft term; (1 - alpha) the hard one.")
    require(not np.isclose(got, reference(4.0, 0.7, factor=1.0), rtol=1e-3), 3,
            "the soft term is missing its T^2 factor",
            "multiply the KL term by temperature ** 2, so its gradients keep their size.")
    require(np.isclose(got, reference(4.0, 0.7), rtol=1e-3), 3,
            f"got {got:.4f}, expected {reference(4.0, 0.7):.4f}",
            "soften BOTH logits with the same T; KL(teacher || student) is "
            "F.kl_div(log_softmax(student / T), softmax(teacher / T), reduction='batchmean').")
    return passed(3, f"your loss matches at T = 4, alpha = 0.7 ({got:.4f}) and at alpha = 0")


def exercise_4(pick: Callable[[pd.DataFrame, float, float], str | None],
               table: pd.DataFrame, max_kb: float, max_drop_pts: float,
               tolerance: float = 0.15) -> str:
    """`pick(table, max_kb, max_drop_pts)`: the fastest variant at batch 1 that fits.

    Fits: size_kb <= max_kb and at most `max_drop_pts` accuracy points below the baseline
    row (`smaller_x == 1`). On the measured table, any fitting variant within `tolerance` of
    the fastest fitting one is accepted: timings that close are a tie.
    """
    synthetic = pd.DataFrame({
        "size_kb": [400.0, 100.0, 100.0, 30.0, 25.0, 20.0],
        "latency_1_us": [100.0, 40.0, 20.0, 30.0, 80.0, 10.0],
        "accuracy": [0.97, 0.965, 0.95, 0.962, 0.965, 0.90],
    }, index=["fp32", "int8", "int8 lossy", "narrow", "small but slow", "tiny"])
    synthetic["smaller_x"] = synthetic.loc["fp32", "size_kb"] / synthetic["size_kb"]
    cases = [(500, 1.0, "narrow", "the fastest within a point is narrow (30 µs), not the "
              "smallest"),
             (28, 1.0, "small but slow", "under 28 KB only 'small but slow' is accurate enough"),
             (500, 10.0, "tiny", "with 10 points allowed, tiny is fine and fastest"),
             (10, 1.0, None, "nothing is under 10 KB: say so with None")]
    for max_size, drop, expected, what in cases:
        got = pick(synthetic, max_size, drop)
        require(got == expected, 4, f"{what}; got {got!r}",
                "keep the rows with size_kb <= max_kb and accuracy >= baseline accuracy - "
                "max_drop_pts / 100, then take the smallest latency_1_us (None if no row is "
                "left).")
    floor = table.loc[table["smaller_x"] == 1, "accuracy"].iloc[0] - max_drop_pts / 100
    fits = table[(table["size_kb"] <= max_kb) & (table["accuracy"] >= floor)]
    choice = pick(table, max_kb, max_drop_pts)
    if fits.empty:
        require(choice is None, 4, f"no variant fits, but you picked {choice!r}",
                "return None when no row meets both limits.")
        return passed(4, "no measured variant fits these limits, and you said so")
    require(choice in fits.index, 4, f"{choice!r} does not meet the limits",
            f"it must be at most {max_kb} KB and at least {floor:.3f} accurate.")
    fastest = fits["latency_1_us"].min()
    require(fits.loc[choice, "latency_1_us"] <= fastest * (1 + tolerance), 4,
            f"{choice!r} fits but is slower than {fits['latency_1_us'].idxmin()!r}",
            "among the variants that fit, take the one with the smallest latency_1_us.")
    return passed(4, f"{choice!r} fits ({fits.loc[choice, 'size_kb']:.0f} KB, accuracy "
                     f"{fits.loc[choice, 'accuracy']:.3f}) and is among the fastest that do")
