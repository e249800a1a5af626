"""Chapter 10, human in the loop: a label store, a labeling widget, annotators, deferral.

`store` (an append-only sqlite store of human labels), `widget` (the ipywidgets labeling tool),
`annotators` (simulated annotators, Cohen's kappa, majority vote), `deferral` (risk against
coverage, and the threshold that defers the unsure items to a person).
"""
