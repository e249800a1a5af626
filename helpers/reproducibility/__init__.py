"""Chapter 1, reproducibility: fingerprints, run manifests, pins, a seeded torch model, skew.

`fingerprint` (what a result depended on besides code and data), `manifest` (run manifests saved
beside a model), `pins` (exact pins against what is installed), `training` (a small torch
classifier with every source of randomness seeded), `train_cli` (train it in a fresh process,
``python -m helpers.reproducibility.train_cli``), `skew` (training/serving skew).
"""
