"""Run uvicorn with modules the service never uses hidden from imports: ``python -m
helpers.service.launch <uvicorn arguments>``.

Why: importing skops (the safe model format) lists every scikit-learn estimator, which imports
all of scikit-learn's modules, including an adapter that imports torch when torch is installed.
That costs a serving process seconds of start-up and a few hundred MB for a library it never
calls. The course environment has torch for other chapters; a serving image would not. Hiding
it here makes the process behave as if torch were not installed (scikit-learn and scipy treat
torch as optional), which is what the container image in ``deploy/`` should do as well.
"""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Sequence

HIDDEN = ("torch",)


class HideModules(importlib.abc.MetaPathFinder):
    """An import hook under which `names` (and their submodules) look not installed."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        """Refuse the hidden modules; leave every other import to the normal finders."""
        if fullname.split(".", 1)[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden from the service)",
                                      name=fullname)
        return None


def main(argv: Sequence[str] | None = None) -> None:
    """Hide the modules, then hand the command line to uvicorn."""
    sys.meta_path.insert(0, HideModules(HIDDEN))
    from uvicorn.main import main as uvicorn_main

    uvicorn_main(args=list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()
