"""Tested helpers for the ML in Production course.

The tree is the map from chapter to code: each chapter's production concern is one subpackage
(`CHAPTERS`), and the few modules every chapter uses sit at the top (`SHARED`). Import the
module you need (``from helpers.storage import registry``). Nothing runs at import time:
importing ``helpers`` or a chapter package loads no heavy library (torch, MLflow, evidently,
dask...); a module built on one, such as ``reproducibility.training`` on torch, imports it
itself. ``tests/repository/test_layout.py`` checks this promise, and this map against the tree,
the lecture notebooks and the README.
"""

# chapter number -> (subpackage, chapter title); a chapter not yet written has no subpackage
CHAPTERS: dict[int, tuple[str, str]] = {
    1: ("reproducibility", "Reproducibility"),
    2: ("storage", "Serialization and model storage"),
    3: ("service", "Serving"),
    4: ("scaling", "Scaling"),
    5: ("monitoring", "Drift and monitoring"),
    6: ("active", "Active learning"),
    7: ("erroranalysis", "Error analysis"),
    8: ("behavior", "Invariance and behavioral tests"),
    9: ("compression", "Compression"),
    10: ("labeling", "Human in the loop"),
    11: ("capstone", "Capstone: one model's life in production"),
}

# modules and subpackages that several chapters share
SHARED: dict[str, str] = {
    "data": "bundled data sets, verified against their sha256",
    "hashing": "content hashes of files, arrays and model weights",
    "repro": "seeds and thread limits",
    "device": "CUDA when it is there, else the CPU",
    "timing": "best-of-N wall-clock timing",
    "progress": "progress bars for people watching, none in unattended runs",
    "sqlitedb": "opening the small sqlite stores",
    "checks": "the labs' self-checks, one module per chapter",
}
