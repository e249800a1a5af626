"""Chapter 6, active learning: query strategies on scikit-activeml, the loop, and what it saves.

`strategies` (pick the next items to label), `loop` (fit, score, ask an oracle, repeat; learning
curves over seeds), `savings` (labels to a target, paired savings and their verdict, where a
strategy is below random, and what a saving is worth against its engineering).
"""
