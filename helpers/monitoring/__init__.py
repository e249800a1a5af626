"""Chapter 5, drift and monitoring: detect drift, check data, log predictions, retrain.

`source` (a known distribution fitted to a real data set, to draw fresh rows), `stream` (a
simulated stream with known drift), `drift` (KS, PSI, Wasserstein, chi-square, per-column
checks), `drift_report` (evidently's report as a table), `detection` (alarms per window, alert
rules, detection and false-alarm rates over many references), `quality` (data-quality
expectations), `predlog` (a sqlite prediction log with late labels), `model_metrics` (metrics
once labels arrive), `fairness` (a metric per group over time), `retrain` (champion/challenger
on a bootstrap interval of the gain, and the retraining loop).
Latency percentiles come from the service's Prometheus histogram (`helpers.service.metrics`).
"""
