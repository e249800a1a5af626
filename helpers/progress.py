"""Progress bars for people watching, and none in runs that store or check outputs."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any


def unattended(env: dict[str, str] | None = None) -> bool:
    """True when nobody watches: CI and ``coursekit.execute`` set ``TQDM_DISABLE=1``."""
    env = os.environ if env is None else env
    return env.get("TQDM_DISABLE", "").lower() not in ("", "0", "false")


def bar(iterable: Iterable | None = None, **kwargs: Any) -> Any:
    """A tqdm bar (a widget in Jupyter), switched off in unattended runs.

    tqdm's notebook bar ignores ``TQDM_DISABLE``, and a stored bar is a picture of its first
    frame, frozen at 0 %; so the course's notebooks ask this function for their bars.
    """
    from tqdm.auto import tqdm

    kwargs.setdefault("disable", unattended())
    return tqdm(iterable, **kwargs)
