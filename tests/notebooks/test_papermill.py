"""Every notebook and solution runs end to end with its small 'smoke' parameters, at another seed.

nbval runs each notebook at its committed seed; this pass runs it at `SECOND_SEED`, so every
claim a notebook asserts must hold at a seed nobody tuned it for.
"""

import contextlib
import json
import re

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from coursekit.paths import ROOT

NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
SMOKE = json.loads((ROOT / "tests" / "smoke_parameters.json").read_text())
SECOND_SEED = 1


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def unexpected_errors(notebook: nbformat.NotebookNode) -> list[str]:
    """Errors outside cells tagged ``raises-exception`` (papermill flags those too).

    Each names the cell by its execution count and first line (papermill inserts cells of its
    own, so positions shift) and quotes the traceback's last frame: an ``assert`` without a
    message is then still recognisable.
    """
    found = []
    for cell in notebook.cells:
        tagged = "raises-exception" in cell.get("metadata", {}).get("tags", [])
        for output in cell.get("outputs", []):
            if output.output_type == "error" and not tagged:
                frame = ANSI.sub("", "\n".join(output.traceback[-2:-1] or [""])).strip()
                first = cell.source.splitlines()[0] if cell.source else ""
                found.append(f"In [{cell.execution_count}] {first!r}: {output.ename}: "
                             f"{output.evalue}\n{frame[-600:]}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_runs_with_smoke_parameters(path, tmp_path):
    assert path.name in SMOKE, f"add smoke parameters for {path.name} to smoke_parameters.json"
    declared = papermill.inspect_notebook(str(path))
    assert declared, f"{path.name} has no cell tagged 'parameters'"
    unknown = set(SMOKE[path.name]) - set(declared)
    assert not unknown, f"smoke parameters {sorted(unknown)} are not in the parameters cell"
    assert "SEED" in declared, f"{path.name}: add SEED to its parameters cell (CI varies it)"
    parameters = {"SEED": SECOND_SEED, **SMOKE[path.name]}
    assert str(parameters["SEED"]) != declared["SEED"]["default"], (
        f"{path.name}: the smoke run must use another seed than the committed {parameters['SEED']}")
    output = tmp_path / path.name
    # papermill raises on any error output; judged below: only cells tagged
    # raises-exception may fail, and the run must reach the last cell.
    with contextlib.suppress(PapermillExecutionError):
        papermill.execute_notebook(
            str(path), str(output), parameters=parameters,
            cwd=str(path.parent), kernel_name="python3", progress_bar=False,
        )
    executed = nbformat.read(output, as_version=4)
    assert unexpected_errors(executed) == []
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert code[-1].get("execution_count"), "the notebook stopped before its last cell"


def test_every_notebook_has_smoke_parameters():
    names = {path.name for path in NOTEBOOKS}
    assert names, "no notebooks found"
    differ = set(SMOKE) ^ names
    assert not differ, f"smoke_parameters.json and the notebooks differ: {differ}"
