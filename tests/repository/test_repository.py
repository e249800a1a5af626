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
    cuda = sorted(name for name in locked if name.startswith(("nvidia-", "triton")))
    assert not cuda, (f"the lock pulls GPU-only packages {cuda}: a torch pin other than the CPU "
                      "build's exact version resolves to a CUDA build of several GB")


def test_installed_environment_matches_the_lock():
    mismatches = pins.installed_mismatches(pins.read_pins(ROOT / "requirements.txt"))
    assert not mismatches, "installed packages differ from the lock: " + "; ".join(
        map(str, mismatches)) + ". Run `make setup` (or `make clean test`)."


def test_committed_notebooks_are_clean():
    found = hygiene.check_tree([ROOT / "notebooks", ROOT / "solutions", ROOT / "labs"])
    assert not found, "\n".join(found)


def dockerfile_steps(path):
    """(instruction, argument) pairs of a Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [tuple(line.split(None, 1)) for line in lines if line and not line.startswith("#")]


def test_dockerfile_installs_the_lock_on_the_same_python_before_the_code():
    steps = dockerfile_steps(ROOT / "Dockerfile")
    base = next(arg for op, arg in steps if op == "FROM")
    assert re.match(rf"python:{re.escape(envfile.PYTHON)}[.\d]*-slim", base), base
    runs = [i for i, (op, arg) in enumerate(steps) if op == "RUN" and "-r requirements.txt" in arg]
    copies = [i for i, (op, arg) in enumerate(steps) if op == "COPY"]
    assert runs, "the image never installs requirements.txt"
    first_copy = steps[copies[0]][1].split()[0]
    assert first_copy == "requirements.txt" and copies[0] < runs[0] < copies[1], (
        "copy the lock alone and install it before copying the code, so the layer is cached")


def readme_commands():
    """The commands of the README's 'two commands' block."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Start here", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]


def test_ci_runs_the_readme_test_command():
    assert readme_commands() == ["make course", "make test"]
    script = (ROOT / ".ci" / "run").read_text().splitlines()
    skip = ("#", "set ", "cd ")
    commands = [line for line in script if line.strip() and not line.startswith(skip)]
    assert commands == ["make test"], commands


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
