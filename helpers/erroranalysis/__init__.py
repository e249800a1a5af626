"""Chapter 7, error analysis: where and why a model fails, and whether a fix helps.

`survey` (the 1996 election-study data, verified, and the voter groups), `slices` (metrics by
slice with bootstrap intervals, on fairlearn's MetricFrame), `slicefinder` (a shallow tree on
"was this prediction wrong", read as slice rules), `labelerrors` (injected label noise and
cleanlab's flags, scored), `costs` (a decision threshold from a cost matrix), `triage` (every
error tagged with its categories, categories ranked), `verify` (fixes measured on held-out data).
"""
