"""Tooling that builds and checks the course: lab generation, notebook execution, budgets.

Students never need this package; instructors and CI do.
"""
