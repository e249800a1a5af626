"""Build the course site from the committed notebooks: ``python -m coursekit.site`` (`make site`).

The sources are staged in ``build/site-src`` (the README as the home page, one generated page
per chapter with its links, and copies of the notebooks) and built by Sphinx with myst-nb into
``build/site``. Warnings are errors: a broken internal link fails the build.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from coursekit.links import Course, course
from coursekit.paths import LABS, NOTEBOOKS, ROOT, SOLUTIONS, lectures

CONF = ROOT / "site"
STAGE = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"


@dataclass(frozen=True)
class Chapter:
    """One chapter's notebooks and the words that introduce it."""

    stem: str  # e.g. 01_reproducibility
    title: str
    intro: str

    @property
    def files(self) -> dict[str, str]:
        """Role -> path relative to the repository root, for the files that exist."""
        found = {"lecture": f"notebooks/{self.stem}.ipynb", "lab": f"labs/{self.stem}_lab.ipynb",
                 "solution": f"solutions/{self.stem}_lab.ipynb"}
        return {role: path for role, path in found.items() if (ROOT / path).exists()}


def read_chapter(path: Path) -> Chapter:
    """Title (the first heading) and first paragraph of a lecture notebook."""
    cells = json.loads(path.read_text())["cells"]
    text = "".join(cells[0]["source"])
    title = re.search(r"^# (.+)$", text, flags=re.M).group(1).strip()
    paragraphs = [p.strip() for p in text.split("\n\n")[1:] if p.strip()]
    return Chapter(path.stem, title, paragraphs[0] if paragraphs else "")


def chapter_page(chapter: Chapter, where: Course) -> str:
    """A chapter's page: its introduction, launch and download links, and its notebooks."""
    files = chapter.files
    launch = " · ".join(f"[{role} on Binder]({where.binder(path)})"
                        for role, path in files.items() if role != "solution")
    download = " · ".join(f"{{download}}`{role} <../{path}>`" for role, path in files.items())
    toc = "\n".join(f"{role.capitalize()} <../{path.removesuffix('.ipynb')}>"
                    for role, path in files.items())
    return (f"# {chapter.title}\n\n{chapter.intro}\n\n"
            f"**Launch:** {launch}\n\n**Download:** {download}\n\n"
            f"```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n")


RUN_ARTIFACT = re.compile(r"""(?:src|href)=["']\.\./(build/[^"']+)["']""")


def without_run_artifacts(path: Path) -> None:
    """Replace outputs that show a file the notebook writes when run (under build/) with a note.

    Such a file (an HTML report, say) is not in the repository, so on the site the output
    would be an empty frame; the note says where running the notebook puts it.
    """
    notebook = json.loads(path.read_text())
    changed = False
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", ""))
            if found := RUN_ARTIFACT.search(html):
                note = (f"<p><em>Shown here when you run the notebook: it writes "
                        f"<code>{found.group(1)}</code>.</em></p>")
                output["data"] = {"text/html": note, "text/plain": found.group(1)}
                changed = True
    if changed:
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False))


def copy_pages(pages: list[Path], target: Path) -> list[str]:
    """Copy Markdown pages into `target` at their path in the repository (so the README's links
    to them work on the site too); return their toctree entries."""
    entries = []
    for source in pages:
        page = target / source.relative_to(ROOT)
        page.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, page)
        entries.append(str(page.relative_to(target).with_suffix("")))
    return entries


def stage(target: Path = STAGE) -> list[Chapter]:
    """Copy the notebooks, write the home page and one page per chapter into `target`."""
    shutil.rmtree(target, ignore_errors=True)
    for folder in (NOTEBOOKS, LABS, SOLUTIONS):
        shutil.copytree(folder, target / folder.name, ignore=shutil.ignore_patterns(".*"))
        for notebook in (target / folder.name).glob("*.ipynb"):
            without_run_artifacts(notebook)
    data_pages = copy_pages(sorted((ROOT / "data").rglob("README.md")), target)  # data sets
    guides = copy_pages(sorted(CONF.glob("*.md")), target)  # pages for instructors
    chapters = [read_chapter(path) for path in lectures()]
    (target / "chapters").mkdir()
    for chapter in chapters:
        (target / "chapters" / f"{chapter.stem}.md").write_text(chapter_page(chapter, course()))
    toc = "\n".join(f"chapters/{chapter.stem}" for chapter in chapters)
    home = (ROOT / "README.md").read_text()
    (target / "index.md").write_text(
        f"{home}\n```{{toctree}}\n:hidden:\n:caption: Chapters\n\n{toc}\n```\n\n"
        "```{toctree}\n:hidden:\n:caption: Data sets\n\n" + "\n".join(data_pages) + "\n```\n\n"
        "```{toctree}\n:hidden:\n:caption: For instructors\n\n" + "\n".join(guides) + "\n```\n")
    return chapters


def build(out: Path = OUT, staging: Path = STAGE) -> float:
    """Stage and build the site; returns the seconds it took. Raises on any warning."""
    from sphinx.cmd.build import build_main

    started = time.perf_counter()
    stage(staging)
    code = build_main(["-b", "html", "-W", "--keep-going", "-n", "-q", "-c", str(CONF),
                       str(staging), str(out)])
    if code != 0:
        raise SystemExit(f"the site build failed with {code}: see the warnings above")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    seconds = build(args.out)
    print(f"site built in {seconds:.1f} s: open {args.out / 'index.html'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
