"""The course's public addresses, read from one setting, and every link built from them.

``pyproject.toml`` holds the repository (``[project.urls] Repository``), the site's address
(``[project.urls] Documentation``: GitHub Pages, published by ``.github/workflows/site.yml``) and
the branch Binder builds (``[tool.coursekit] branch``). ``python -m coursekit.links`` rewrites
the README's Binder and site links from them; the site reads them when it builds; a test checks
that all of them agree.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from coursekit.paths import ROOT

BINDER = re.compile(r"https://mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/([^?\s)]+)\?urlpath=([^)\s]+)")
SITE_PAGE = re.compile(r"\((https://[^)\s]+?/)chapters/([0-9]{2}_[a-z0-9_]+)\.html\)")


@dataclass(frozen=True)
class Course:
    """Where the course lives on GitHub, and the branch Binder builds."""

    repository: str  # owner/name
    branch: str
    site: str = ""  # the course site's address, ending in /

    @property
    def url(self) -> str:
        return f"https://github.com/{self.repository}"

    def binder(self, path: str = "README.md") -> str:
        """A Binder link that opens `path` (relative to the repository root) in JupyterLab."""
        return f"https://mybinder.org/v2/gh/{self.repository}/{self.branch}?urlpath=lab/tree/{path}"

    def page(self, stem: str) -> str:
        """The site's page of the chapter whose lecture is ``notebooks/<stem>.ipynb``."""
        return f"{self.site}chapters/{stem}.html"


def course(pyproject: Path = ROOT / "pyproject.toml") -> Course:
    """The course's address from pyproject.toml."""
    settings = tomllib.loads(pyproject.read_text())
    url = settings["project"]["urls"]["Repository"]
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)/?", url)
    if match is None:
        raise ValueError(f"[project.urls] Repository should be https://github.com/OWNER/NAME, "
                         f"got {url!r}")
    site = settings["project"]["urls"].get("Documentation", "")
    if not re.fullmatch(r"https://\S+/", site):
        raise ValueError(f"[project.urls] Documentation should be the site's https address "
                         f"ending in /, got {site!r}")
    return Course(match.group(1), settings["tool"]["coursekit"]["branch"], site)


def binder_links(text: str) -> list[tuple[str, str, str]]:
    """(repository, branch, urlpath) of every Binder link in `text`."""
    return BINDER.findall(text)


def site_links(text: str) -> list[tuple[str, str]]:
    """(site address, chapter stem) of every link to a chapter page of the site in `text`."""
    return SITE_PAGE.findall(text)


def rewrite(text: str, target: Course) -> str:
    """`text` with every Binder and site link pointing at `target`, each keeping its page."""
    text = BINDER.sub(lambda m: target.binder(m.group(3).removeprefix("lab/tree/")), text)
    return SITE_PAGE.sub(lambda m: f"({target.page(m.group(2))})", text)


def main(argv: list[str] | None = None) -> int:
    """Rewrite README.md's Binder and site links from pyproject.toml (after a move)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md")
    readme = parser.parse_args(argv).readme
    readme.write_text(rewrite(readme.read_text(), course()))
    print(f"{readme}: Binder links point at {course().url} ({course().branch}), "
          f"site links at {course().site}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
