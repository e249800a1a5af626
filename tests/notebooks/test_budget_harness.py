"""The notebook checks themselves: they must fail when a notebook is wrong or too slow."""

import os
import subprocess
import sys

import nbformat
import pytest

from coursekit.paths import ROOT


def tiny_notebook(folder, shown_output="4\n"):
    """A two-cell notebook whose committed output is `shown_output`."""
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(2 + 2)", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=shown_output)]
    notebook.cells = [cell, nbformat.v4.new_code_cell("x = 1", execution_count=2)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    path = folder / "tiny.ipynb"
    nbformat.write(notebook, path)
    return path


def run_nbval(path, plugins=(), **env):
    """Run the course's nbval command on one notebook in a separate pytest process."""
    ini = path.parent / "pytest.ini"
    extra = "".join(f" -p {plugin}" for plugin in plugins)
    ini.write_text(f"[pytest]\naddopts = -p coursekit.pytest_budget -p no:cacheprovider{extra}\n")
    command = [sys.executable, "-m", "pytest", "-c", str(ini), "--rootdir", str(path.parent),
               "--nbval", "--nbval-current-env", "--nbval-sanitize-with",
               str(ROOT / "tests" / "nbval_sanitize.cfg"), str(path)]
    return subprocess.run(command, cwd=path.parent, capture_output=True, text=True,
                          env={**os.environ, **env})


@pytest.mark.slow
def test_current_outputs_pass_and_the_budget_report_lists_the_notebook(tmp_path):
    result = run_nbval(tiny_notebook(tmp_path))
    assert result.returncode == 0, result.stdout
    report = (tmp_path / "build" / "notebook-report" / "report.md").read_text()
    assert "| tiny.ipynb |" in report and "| yes |" in report


@pytest.mark.slow
def test_a_hand_edited_output_fails(tmp_path):
    result = run_nbval(tiny_notebook(tmp_path, shown_output="5\n"))
    assert result.returncode == 1
    assert "tiny.ipynb::Cell 0" in result.stdout


@pytest.mark.slow
def test_a_notebook_over_its_budget_fails(tmp_path):
    result = run_nbval(tiny_notebook(tmp_path), NOTEBOOK_BUDGET_SECONDS="0.001")
    assert result.returncode == 1
    assert "tiny.ipynb is over its budget" in result.stdout


@pytest.mark.slow
def test_a_notebook_over_its_memory_budget_fails(tmp_path):
    result = run_nbval(tiny_notebook(tmp_path), NOTEBOOK_BUDGET_GIB="0.001")
    assert result.returncode == 1
    assert "tiny.ipynb is over its budget" in result.stdout and "MiB >" in result.stdout


@pytest.mark.slow
def test_a_kernel_the_sampler_cannot_find_fails_loudly(tmp_path):
    # a plugin that breaks the lookup, as a change inside nbval or jupyter_client would
    (tmp_path / "lost_kernel.py").write_text(
        "import coursekit.pytest_budget as plugin\nplugin._kernel_pid = lambda item: None\n")
    result = run_nbval(tiny_notebook(tmp_path), plugins=["lost_kernel"],
                       PYTHONPATH=str(tmp_path))
    assert result.returncode == 1, result.stdout
    assert "its memory was not measured" in result.stdout
