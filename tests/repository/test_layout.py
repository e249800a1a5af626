"""The helpers tree is the map from chapter to code: check it against the notebooks and README."""

import json
import pkgutil
import re
import subprocess
import sys

import pytest

import helpers
from coursekit.paths import ROOT, lectures

PACKAGES = {name for _, name, is_pkg in pkgutil.iter_modules(helpers.__path__) if is_pkg}
MODULES = {name for _, name, is_pkg in pkgutil.iter_modules(helpers.__path__) if not is_pkg}
CHAPTER_PACKAGES = {package for package, _ in helpers.CHAPTERS.values()}


def notebook_code(path) -> str:
    cells = json.loads(path.read_text())["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


def test_every_top_level_module_or_package_is_a_chapter_or_shared():
    unknown = (PACKAGES | MODULES) - CHAPTER_PACKAGES - set(helpers.SHARED)
    assert not unknown, (f"helpers/{sorted(unknown)} belong to no chapter: put the code in its "
                         "chapter's subpackage, or list it in helpers.SHARED")


def test_shared_entries_exist():
    assert set(helpers.SHARED) <= PACKAGES | MODULES


@pytest.mark.parametrize("lecture", lectures(), ids=lambda path: path.name)
def test_each_lecture_imports_its_chapter_package(lecture):
    number = int(lecture.name[:2])
    package, _ = helpers.CHAPTERS[number]
    assert package in PACKAGES, f"{lecture.name} has no helpers/{package}/ subpackage"
    pattern = rf"^\s*(from|import) helpers\.{package}\b"
    assert re.search(pattern, notebook_code(lecture), flags=re.M), (
        f"{lecture.name} never imports helpers.{package}: a chapter's code lives in its package")


def test_a_chapter_package_has_a_lecture():
    written = {helpers.CHAPTERS[int(path.name[:2])][0] for path in lectures()}
    orphans = (CHAPTER_PACKAGES & PACKAGES) - written
    assert not orphans, f"helpers/{sorted(orphans)} have no lecture notebook yet"


def test_readme_layout_lists_each_chapter_package():
    readme = (ROOT / "README.md").read_text()
    missing = [p for p in sorted(CHAPTER_PACKAGES & PACKAGES) if f"helpers/{p}/" not in readme]
    assert not missing, f"README's layout table does not mention {missing}"


HEAVY = ("torch", "mlflow", "evidently", "dask", "distributed", "fairlearn", "cleanlab",
         "onnxruntime", "locust", "sklearn")


def test_importing_helpers_and_every_chapter_package_loads_no_heavy_library():
    """A chapter package's __init__ is a map, not a loader: heavy imports wait for their module."""
    packages = sorted(PACKAGES)
    code = ("import importlib, sys\n"
            f"for name in {packages!r}: importlib.import_module('helpers.' + name)\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]", f"importing helpers packages loaded {result.stdout}"
