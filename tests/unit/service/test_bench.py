"""The load benchmark's plan and the parsing of locust's per-stage rows."""

import math
import subprocess
import sys

import pandas as pd
import pytest

from coursekit.paths import ROOT
from helpers.service import bench


def test_plan_runs_every_mode_at_every_client_count_with_a_drain_between_modes():
    modes = bench.default_modes(5.0)[:3]
    stages = bench.plan_stages(modes, [8, 1])
    assert [(s["mode"], s["users"]) for s in stages] == [
        ("one call per request", 1), ("one call per request", 8), ("one call per request", 0),
        ("micro-batching", 1), ("micro-batching", 8), ("micro-batching", 0),
        ("onnx runtime", 1), ("onnx runtime", 8),
    ]
    batching = [s for s in stages if s["mode"] == "micro-batching" and s["users"]]
    assert {s["window_ms"] for s in batching} == {5.0}
    assert stages[-1]["path"] == "/predict?backend=onnx"


def test_the_default_plan_has_both_levers_together_and_ends_with_the_no_op_ceiling():
    modes = bench.default_modes(5.0)
    assert (modes[-1].name, modes[-1].method, modes[-1].path) == (bench.CEILING, "GET", "/health")
    assert (modes[-2].path, modes[-2].window_ms) == ("/predict?backend=onnx", 5.0)


def test_every_mode_is_a_fraction_of_the_ceiling_at_the_same_client_count():
    table = pd.DataFrame({"mode": [bench.CEILING, bench.CEILING, "a", "a"],
                          "users": [1, 64, 1, 64], "rps": [100.0, 400.0, 50.0, 300.0]})
    assert bench.with_ceiling(table).of_ceiling.tolist() == [1.0, 1.0, 0.5, 0.75]


def test_the_locustfile_reads_its_plan_only_when_the_load_starts(monkeypatch):
    code = (ROOT / "helpers/service/locustfile.py").read_text()
    assert 'os.environ["BENCH_PLAN"]' not in code.split("def plan")[0]
    monkeypatch.delenv("BENCH_PLAN", raising=False)
    done = subprocess.run([sys.executable, "-c", "import helpers.service.locustfile as f; "
                           "print(f.CURRENT)"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "{}", done.stderr[-500:]


def test_stage_rows_parse_to_numbers_and_a_stage_without_answers_to_nan(tmp_path):
    rows = tmp_path / "stages.csv"
    rows.write_text("stage,users,requests,failures,p50_ms,p95_ms,p99_ms,rps\n"
                    "0,1,10,0,2,3,4,10.0\n1,8,0,0,N/A,N/A,N/A,0.0\n")
    first, second = bench.parse_stages(rows)
    assert first == {"stage": 0, "users": 1, "requests": 10, "failures": 0, "p50_ms": 2,
                     "p95_ms": 3, "p99_ms": 4, "rps": 10.0}
    assert math.isnan(second["p95_ms"])


def test_an_empty_stage_file_says_locust_did_not_run(tmp_path):
    rows = tmp_path / "stages.csv"
    rows.write_text("stage,users,requests,failures,p50_ms,p95_ms,p99_ms,rps\n")
    with pytest.raises(ValueError, match="did locust run"):
        bench.parse_stages(rows)
