"""Tested helpers for the ML in Production course.

Import the module you need (``from helpers import repro``); nothing here runs at import time
and nothing heavy (torch, evidently) is imported until a function that needs it is called.
"""

__all__ = [
    "checks",
    "data",
    "device",
    "fingerprint",
    "hashing",
    "manifest",
    "pins",
    "repro",
    "skew",
    "training",
]
