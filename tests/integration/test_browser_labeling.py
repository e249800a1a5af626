"""The Chapter 10 labeling tool in a real browser: JupyterLab + headless Chromium, clicks to sqlite.

The test starts JupyterLab on 127.0.0.1 (a free port, a fresh token, a temporary root folder
holding a copy of the notebook), opens the notebook in Debian's Chromium driven by Playwright,
runs all cells from the Run menu, clicks buttons of the labeling widget, and checks in the
label store (helpers.labeling.store) that exactly those clicks arrived. Then it stops the browser,
the server and its kernel. Playwright's own browser download is never used: it does not work
offline, so the test needs /usr/bin/chromium (`apt-get install -y chromium`).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from coursekit.paths import ROOT
from helpers.labeling.store import LabelStore

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser_labeling")]
NOTEBOOK = ROOT / "notebooks" / "10_human_in_the_loop.ipynb"
SMALL = {"NOISE_SEEDS": 1, "NOISE_RATES": [0.0, 0.2], "ROUNDS": 3}  # quick, for the browser
CLICKS = ["4", "2"]  # labels clicked in the widget, then one skip


def prepare_notebook(folder: Path, store: Path) -> Path:
    """A copy of the notebook without outputs, with small parameters and the store path."""
    notebook = load_notebook_node(str(NOTEBOOK))  # adds the metadata papermill expects
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    notebook = parameterize_notebook(notebook, {**SMALL, "LABEL_STORE": str(store)})
    path = folder / NOTEBOOK.name
    nbformat.write(notebook, path)
    return path


def start_lab(folder: Path, token: str, port: int) -> tuple[subprocess.Popen, str]:
    """JupyterLab on 127.0.0.1 in its own process group; returns it and its base URL."""
    runtime = folder.parent / "runtime"
    quiet = folder.parent / "settings" / "@jupyterlab" / "apputils-extension"
    quiet.mkdir(parents=True)  # no "get notified about Jupyter news?" toast over the page
    (quiet / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime),
           "JUPYTER_CONFIG_DIR": str(folder.parent / "config"),
           "JUPYTERLAB_SETTINGS_DIR": str(folder.parent / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(folder.parent / "workspaces")}
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", "--port-retries=20", f"--ServerApp.root_dir={folder}",
               f"--IdentityProvider.token={token}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")  # CI containers run as root
    log = (folder.parent / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    return server, wait_for_url(server, runtime, token, folder.parent / "lab.log")


def wait_for_url(server: subprocess.Popen, runtime: Path, token: str, log: Path) -> str:
    """The server's URL once it answers /api/status (its runtime file names the real port)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jupyter lab exited with {server.returncode}:\n{log.read_text()}")
        for info in runtime.glob("jpserver-*.json"):
            url = json.loads(info.read_text())["url"].rstrip("/")
            status = f"{url}/api/status?token={token}"
            with contextlib.suppress(OSError), urllib.request.urlopen(status, timeout=2):
                return url
        time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer within 60 s:\n{log.read_text()}")


def stop_lab(server: subprocess.Popen) -> list[psutil.Process]:
    """SIGTERM the server's group (and its kernels), then SIGKILL what is left; returns those."""
    family = [psutil.Process(server.pid)]
    with contextlib.suppress(psutil.NoSuchProcess):
        family += family[0].children(recursive=True)  # kernels run in sessions of their own
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    for process in family[1:]:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.terminate()
    _, alive = psutil.wait_procs(family, timeout=15)
    for process in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            process.kill()
    psutil.wait_procs(alive, timeout=5)
    return alive


def wait_for_events(store_path: Path, count: int, timeout: float = 30) -> list[tuple]:
    """The store's history once it holds at least `count` events."""
    deadline = time.monotonic() + timeout
    while True:
        store = LabelStore(store_path)
        try:
            history = store.history()
        finally:
            store.close()
        if len(history) >= count or time.monotonic() > deadline:
            return history
        time.sleep(0.2)


def run_all_and_click(browser, url: str, token: str, store_path: Path) -> tuple[list, list]:
    """Open the notebook, run all cells, click the widget; the store's events before and after."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(60_000)
    page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.locator(".jp-StatusBar-Widget").get_by_text("| Idle").wait_for()  # kernel up
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    last_output = page.locator(".jp-OutputArea-output")  # not the cell's source
    last_output.get_by_text("the tool above still works").wait_for()  # all cells ran
    before = wait_for_events(store_path, 0)
    tool = page.locator(".mlprod-labeling")
    for done, label in enumerate(CLICKS, start=1):
        tool.locator(f".mlprod-label-{label}").click()
        wait_for_events(store_path, len(before) + done)
    tool.locator(".mlprod-skip").click()
    after = wait_for_events(store_path, len(before) + len(CLICKS) + 1)
    return before, after


def test_clicks_in_the_browser_reach_the_label_store(tmp_path, free_port, browser):
    started = time.monotonic()
    folder = tmp_path / "root"
    folder.mkdir()
    store_path = tmp_path / "labels.db"
    prepare_notebook(folder, store_path)
    token = secrets.token_hex(16)
    server, url = start_lab(folder, token, free_port())
    try:
        before, after = run_all_and_click(browser, url, token, store_path)
    finally:
        left = stop_lab(server)
    new = [event[1:] for event in after[len(before):]]  # (item, action, label, annotator, undone)
    assert [(action, label, who) for _, action, label, who, _ in new] == [
        ("label", "4", "you"), ("label", "2", "you"), ("skip", None, "you")]
    items = [event[0] for event in new]
    assert len(set(items)) == 3, f"each click must move to the next item, got {items}"
    assert not set(items) & {event[1] for event in before}, "a click relabeled a done item"
    assert left == [], f"processes survived SIGTERM: {left}"
    print(f"browser test took {time.monotonic() - started:.1f} s")
