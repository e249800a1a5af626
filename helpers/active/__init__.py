"""Chapter 6, active learning: query strategies on scikit-activeml, learning curves, savings.

`strategies` (pick the next items to label, run the loop, learning curves and label savings).
"""
