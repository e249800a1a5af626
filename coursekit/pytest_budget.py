"""pytest plugin: time and peak memory of every notebook nbval runs, against the budget.

Each notebook's cells stay on one xdist worker (``--dist loadgroup``). When its last cell is
torn down, the run is recorded under ``build/notebook-report/``; a notebook over budget
fails there, and the controller prints the report, slowest first.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from coursekit.budget import (
    Measurement,
    PeakSampler,
    Stopwatch,
    budget_for,
    load_measurements,
    report,
    save_measurement,
)

_running: dict[str, tuple[Stopwatch, PeakSampler | None]] = {}


def _report_dir(config: pytest.Config) -> Path:
    return config.rootpath / "build" / "notebook-report"


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _notebook(item: pytest.Item) -> str | None:
    """The notebook an nbval cell belongs to, relative to the root; None for other tests."""
    if type(item).__name__ != "IPyNbCell":
        return None
    return str(Path(item.parent.path).relative_to(item.config.rootpath))


def _kernel_pid(item: pytest.Item) -> int | None:
    kernel = getattr(item.parent, "kernel", None)
    provisioner = getattr(getattr(kernel, "km", None), "provisioner", None)
    return getattr(provisioner, "pid", None)


def pytest_configure(config: pytest.Config) -> None:
    """Switch progress bars off in kernels; start with an empty report folder (controller).

    A stored progress bar is a picture of its first frame, frozen at 0 %; tqdm reads
    TQDM_DISABLE, and the kernels nbval and papermill start inherit it (so does
    ``coursekit.execute``), so the outputs checked and the outputs committed both have none.
    """
    os.environ["TQDM_DISABLE"] = "1"
    if not _is_worker(config):
        shutil.rmtree(_report_dir(config), ignore_errors=True)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Keep all cells of a notebook on one worker: they share one kernel.

    Marked as each item is collected, so the mark is there before xdist's own
    ``pytest_collection_modifyitems`` turns it into a group.
    """
    notebook = _notebook(item)
    if notebook:
        item.add_marker(pytest.mark.xdist_group(name=notebook))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    """Start the clock before a notebook's kernel starts, the memory sampler right after."""
    notebook = _notebook(item)
    if notebook and notebook not in _running:
        _running[notebook] = (Stopwatch(), None)
    result = yield
    if notebook and _running[notebook][1] is None and (pid := _kernel_pid(item)):
        _running[notebook] = (_running[notebook][0], PeakSampler(pid).start())
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """After a notebook's last cell: record its run, and fail it if over budget."""
    notebook = _notebook(item)
    measurement = None
    if notebook and (nextitem is None or nextitem.parent is not item.parent):
        watch, sampler = _running.pop(notebook)
        peak = sampler.stop() if sampler else 0
        limit = budget_for(notebook)
        measurement = Measurement(notebook, round(watch.seconds(), 2), peak, limit.seconds,
                                  limit.bytes)
        save_measurement(measurement, _report_dir(item.config))
    result = yield
    if measurement and measurement.peak_bytes == 0:
        pytest.fail(f"{notebook}: its memory was not measured (the kernel's process was not "
                    "found, or it used no memory). nbval's or jupyter_client's internals may "
                    "have moved: fix coursekit.pytest_budget._kernel_pid.", pytrace=False)
    if measurement and measurement.over_budget:
        pytest.fail(f"{notebook} is over its budget: {'; '.join(measurement.over_budget)}. "
                    "Make the default parameters smaller.", pytrace=False)
    return result


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Print the budget report and save it as report.md (controller only)."""
    if _is_worker(config):
        return
    measurements = load_measurements(_report_dir(config))
    if not measurements:
        return
    text = report(measurements)
    (_report_dir(config) / "report.md").write_text(text)
    terminalreporter.write_sep("=", "notebook time and memory")
    terminalreporter.write_line(text)
