import subprocess
import sys
import time
from dataclasses import astuple

from coursekit import budget


def test_sampler_sees_memory_of_a_child_process():
    code = "import time; x = bytearray(200 * 2**20); time.sleep(1.5)"
    parent = subprocess.Popen(
        [sys.executable, "-c",
         f"import subprocess, sys; subprocess.run([sys.executable, '-c', {code!r}])"]
    )
    sampler = budget.PeakSampler(parent.pid, interval=0.02).start()
    parent.wait(timeout=30)
    peak = sampler.stop()
    assert peak > 200 * 2**20


def test_tree_memory_of_a_finished_process_is_zero():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    time.sleep(0.1)
    assert budget.tree_memory(process.pid) == 0


def test_over_budget_reasons_and_report_order(tmp_path):
    fast = budget.Measurement("a.ipynb", 5.0, 100 * 2**20)
    slow = budget.Measurement("b.ipynb", 75.0, 2 * 2**30)
    scaling = budget.Measurement("04_scaling.ipynb", 30.0, int(1.8 * 2**30),
                                 *astuple(budget.budget_for("04_scaling.ipynb", env={})))
    assert scaling.over_budget == []
    assert fast.over_budget == []
    assert slow.over_budget == ["75.0 s > 60 s", "2048 MiB > 1536 MiB"]
    budget.save_measurement(fast, tmp_path)
    budget.save_measurement(slow, tmp_path)
    loaded = budget.load_measurements(tmp_path)
    assert sorted(loaded, key=lambda m: m.notebook) == [fast, slow]
    text = budget.report(loaded)
    assert text.index("b.ipynb") < text.index("a.ipynb")
    assert "NO: 75.0 s > 60 s" in text


def test_budget_for_a_notebook_its_exception_and_the_override():
    assert budget.budget_for("notebooks/01_reproducibility.ipynb", env={}) == budget.DEFAULT
    assert budget.budget_for("notebooks/04_scaling.ipynb", env={}).bytes == 2 * budget.GIB
    forced = budget.budget_for("04_scaling.ipynb", env={"NOTEBOOK_BUDGET_GIB": "0.0001"})
    assert forced.bytes < 2**20 and forced.seconds == 60
