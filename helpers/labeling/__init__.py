"""Chapter 10, human in the loop: a label store, a labeling widget, annotators, deferral, feedback.

`store` (an append-only sqlite store of human labels), `widget` (the ipywidgets labeling tool),
`annotators` (simulated annotators, shared errors on hard items, Cohen's kappa and its Landis &
Koch names, majority vote), `deferral` (risk against coverage, and a threshold that defers the
unsure items to a person, on the risk or on its upper confidence bound), `feedback` (Chapter 6's
loop with a person's answers going through the label store).
"""
