"""Chapter 5, drift and monitoring: detect drift, check data, log predictions, retrain.

`drift` (KS, PSI, Wasserstein, chi-square, per-column checks), `drift_report` (evidently's
report as a table), `stream` (a simulated stream with known drift), `detection` (alarms per
window, alert rules, detection and false-alarm rates), `quality` (data-quality expectations),
`predlog` (a sqlite prediction log with late labels), `model_metrics` (metrics once labels
arrive), `fairness` (a metric per group over time), `retrain` (champion/challenger).
Latency percentiles come from the service's Prometheus histogram (`helpers.service.metrics`).
"""
