"""Every notebook and solution runs end to end with its small 'smoke' parameters."""

import json
from pathlib import Path

import papermill
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb")])
SMOKE = json.loads((ROOT / "tests" / "smoke_parameters.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_runs_with_smoke_parameters(path, tmp_path):
    assert path.name in SMOKE, f"add smoke parameters for {path.name} to smoke_parameters.json"
    declared = papermill.inspect_notebook(str(path))
    assert declared, f"{path.name} has no cell tagged 'parameters'"
    unknown = set(SMOKE[path.name]) - set(declared)
    assert not unknown, f"smoke parameters {sorted(unknown)} are not in the parameters cell"
    papermill.execute_notebook(
        str(path), str(tmp_path / path.name), parameters=SMOKE[path.name],
        cwd=str(path.parent), kernel_name="python3", progress_bar=False,
    )


def test_every_notebook_has_smoke_parameters():
    names = {path.name for path in NOTEBOOKS}
    assert names, "no notebooks found"
    differ = set(SMOKE) ^ names
    assert not differ, f"smoke_parameters.json and the notebooks differ: {differ}"
