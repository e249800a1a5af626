"""Tested helpers for the ML in Production course.

Import the module you need (``from helpers import repro``). Nothing runs at import time, and
heavy libraries (torch, MLflow, evidently) are imported only by the functions that use them.

Modules, by the chapter that introduces them:

1. Reproducibility: ``repro`` (seeds, threads), ``fingerprint``, ``hashing``, ``manifest``,
   ``pins``, ``data``, ``device``, ``training``, ``repro_train``, ``skew``.
2. Model storage: ``artifacts`` (atomic writes, verified loading), ``formats``, ``registry``.
3. Serving: ``service`` (FastAPI app, micro-batching, backends, uvicorn process, benchmark).
5. Drift and monitoring: ``drift``, ``drift_report``, ``stream``, ``monitoring``,
   ``quality``, ``predlog``, ``model_metrics``, ``prometheus``, ``fairness``, ``retrain``.
6. Active learning: ``active`` (query strategies on scikit-activeml, learning curves, savings).
10. Human in the loop: ``labelstore``, ``labeling``, ``annotators``, ``deferral``.

Shared: ``sqlitedb`` (opening the sqlite stores), ``checks`` (lab self-checks).

"""
