"""Chapter 8, behavioural tests: a model tested like software, and refused when it fails.

`perturb` (typos, names, places, punctuation, negation, noise on a column: each changes only
what it says), `text` (the sentiment models, templates and the signed-review shortcut),
`suite` (MFT, INV and DIR runners with failure rates, and hypothesis for a minimal failing
case), `gate` (runs the behavioural pytest suite on a candidate and refuses its promotion),
`fairness` (group metrics with bootstrap intervals, the counterfactual flip test, mitigation).
"""
