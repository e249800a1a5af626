"""The README's course command starts JupyterLab, which serves the course's notebooks."""

import json
import os
import secrets
import signal
import subprocess
import time
import urllib.error
import urllib.request

import psutil
import pytest

from coursekit.paths import ROOT


def get(url: str, deadline: float) -> bytes:
    """GET `url`, retrying until the server answers or `deadline` passes."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read()
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@pytest.mark.slow
def test_course_command_serves_every_notebook(tmp_path, free_port):
    port, token = free_port(), secrets.token_hex(16)
    lab_args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
                f"--ServerApp.port_retries=0 --IdentityProvider.token={token}")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    server = subprocess.Popen(["make", "-s", "course", f"LAB_ARGS={lab_args}"], cwd=ROOT,
                              env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        listing = json.loads(get(f"{base}/api/contents/notebooks?token={token}", deadline))
        served = {item["name"] for item in listing["content"]}
        expected = {path.name for path in (ROOT / "notebooks").glob("*.ipynb")}
        assert expected and expected <= served
        first = sorted(expected)[0]
        notebook = json.loads(get(f"{base}/api/contents/notebooks/{first}?token={token}",
                                  deadline))
        assert notebook["type"] == "notebook" and notebook["content"]["cells"]
        assert b"JupyterLab" in get(f"{base}/lab?token={token}", deadline)
        # the first page a student sees: the README, rendered (Markdown opens in the preview)
        with urllib.request.urlopen(f"{base}/?token={token}", timeout=10) as landing:
            assert landing.geturl().startswith(f"{base}/lab/tree/README.md"), landing.geturl()
        plugin = "@jupyterlab/docmanager-extension:plugin"
        settings = json.loads(get(f"{base}/lab/api/settings/{plugin}?token={token}", deadline))
        viewers = settings["schema"]["properties"]["defaultViewers"]["default"]  # overridden
        assert viewers["markdown"] == "Markdown Preview"
    finally:
        group = [server, *psutil.Process(server.pid).children(recursive=True)]
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        _, alive = psutil.wait_procs(group[1:], timeout=30)
        assert not alive, f"processes left behind: {alive}"
