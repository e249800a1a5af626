"""The generated and pinned files agree with their sources; the repo is what the README says."""

import re
import subprocess
import sys

import pytest

from coursekit import envfile, hygiene
from coursekit.paths import ROOT
from helpers.reproducibility import pins

CHAPTER_NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_environment_yml_is_generated_from_the_lock():
    expected = envfile.render(ROOT / "requirements.txt")
    assert (ROOT / "environment.yml").read_text() == expected, (
        "environment.yml disagrees with requirements.txt: run `make lock` and commit both"
    )


def test_direct_pins_are_exact_and_locked_at_the_same_version():
    direct = pins.read_pins(ROOT / "requirements.in")
    locked = pins.read_pins(ROOT / "requirements.txt")
    differ = {n: (v, locked.get(n)) for n, v in direct.items() if locked.get(n) != v}
    assert not differ, f"requirements.in and requirements.txt disagree: {differ}"


def test_known_incompatibilities_are_pinned_away():
    locked = pins.read_pins(ROOT / "requirements.txt")
    assert int(locked["pandas"].split(".")[0]) < 3, "evidently 0.7 does not import with pandas 3"
    assert locked["torch"] == "2.13.0"


def test_installed_environment_matches_the_lock():
    mismatches = pins.installed_mismatches(pins.read_pins(ROOT / "requirements.txt"))
    assert not mismatches, "installed packages differ from the lock: " + "; ".join(
        map(str, mismatches)) + ". Run `make setup` (or `make clean test`)."


def test_committed_notebooks_are_clean():
    found = hygiene.check_tree([ROOT / "notebooks", ROOT / "solutions", ROOT / "labs"])
    assert not found, "\n".join(found)


def test_dockerfile_installs_the_lock_on_the_same_python():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(rf"^FROM python:{re.escape(envfile.PYTHON)}[.\d]*-slim", text, re.MULTILINE)
    assert "requirements.txt" in text and "pip install" in text


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make course" in readme
    assert (ROOT / ".ci" / "run").read_text().rstrip().endswith("make test")


@pytest.mark.parametrize("path", CHAPTER_NOTEBOOKS, ids=lambda p: p.name)
def test_readme_links_every_chapter_and_its_binder(path):
    readme = (ROOT / "README.md").read_text()
    stem = path.stem
    assert f"notebooks/{path.name}" in readme
    assert f"labs/{stem}_lab.ipynb" in readme
    assert re.search(rf"mybinder\.org/v2/gh/[^)\s]+urlpath=lab/tree/notebooks/{stem}\.ipynb",
                     readme), f"no Binder link for {path.name}"


def test_evidently_imports_under_the_locked_pandas():
    """The pin Chapter 1 explains: evidently 0.7 fails to import under pandas 3."""
    result = subprocess.run([sys.executable, "-c", "import evidently, pandas"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
