"""Start the service as a real uvicorn process on 127.0.0.1, wait until it is ready, stop it.

uvicorn binds port 0, so the operating system picks a free port (no clash with anything else
running), and reports the port in its log. `serve` is a context manager, so the server and
anything it started are gone afterwards, also when the code inside the ``with`` block fails.
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import httpx
import psutil

from helpers.service.security import API_KEY_HEADER

APP = "helpers.service.app:create_app"
PARENT_ENV = "SERVING_PARENT_PID"  # the server exits when this process is gone
# at most 1,000 connections and requests at once (then 503), idle keep-alive closed after 5 s
LIMITS = ("--limit-concurrency", "1000", "--timeout-keep-alive", "5")
LISTENING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")


class ServerStartError(RuntimeError):
    """The server exited or did not become ready; the message holds the end of its log."""


@dataclass
class Server:
    """A running service: its URL, process and log file."""

    url: str
    process: subprocess.Popen
    log_path: Path
    pids: tuple[int, ...] = ()
    on_exit: Callable[[], None] | None = None

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return int(self.url.rsplit(":", 1)[1])

    def log_tail(self, lines: int = 15) -> str:
        """The last lines of the server's log (for error messages)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def alive(self) -> list[int]:
        """Pids of the server and its children that still exist (empty once stopped)."""
        return [pid for pid in self.pids if psutil.pid_exists(pid) and _not_zombie(pid)]


def client(server: Server, api_key: str | None = None, timeout: float = 10.0) -> httpx.Client:
    """An httpx client for `server`, with the API key header and Nagle's algorithm off.

    Without TCP_NODELAY a request whose headers and body leave in two packets waits for the
    server's delayed ACK (about 40 ms on Linux) on every call: latency that is not the model's.
    """
    transport = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
    headers = {API_KEY_HEADER: api_key} if api_key else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=timeout, transport=transport)


def start(env: Mapping[str, str], log_dir: Path, extra_args: tuple[str, ...] = (),
          app: str = APP) -> Server:
    """Start ``uvicorn --factory app`` on 127.0.0.1, port 0 (a free one); return once it listens.

    `LIMITS` bound the open connections and idle keep-alive time (the app itself bounds the
    time to read a body); `extra_args` are added to uvicorn's command line.
    """
    log_path = Path(log_dir) / f"server-{time.monotonic_ns()}.log"
    # `helpers.service.launch` is uvicorn's command line, with torch hidden (see its docstring)
    command = [sys.executable, "-m", "helpers.service.launch", "--factory", app,
               "--host", "127.0.0.1", "--port", "0", "--no-access-log", "--log-level", "info",
               *LIMITS, *extra_args]
    env = {**os.environ, **env, PARENT_ENV: str(os.getpid())}
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server("", process, log_path, (process.pid,))
    server.on_exit = atexit.register(partial(stop, server))  # also if the kernel exits first
    try:
        server.url = _listening_url(server)
    except BaseException:
        stop(server)
        raise
    return server


def _listening_url(server: Server, timeout: float = 30.0) -> str:
    """The URL uvicorn reports once it listens (port 0 means the OS picked the port)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = LISTENING.search(server.log_path.read_text(errors="replace"))
        if match:
            return match.group(1)
        _fail_if_exited(server)
        time.sleep(0.05)
    raise ServerStartError(f"the server did not listen within {timeout:.0f} s:\n"
                           f"{server.log_tail()}")


def _fail_if_exited(server: Server) -> None:
    """Raise `ServerStartError` with the end of the log if the server process has exited."""
    if server.process.poll() is not None:
        raise ServerStartError(f"the server exited with code {server.process.returncode}:\n"
                               f"{server.log_tail()}")


def wait_until_ready(client: httpx.Client, timeout: float = 60.0,
                     alive: Callable[[], None] | None = None) -> dict:
    """Poll /ready through `client` (a server's or FastAPI's TestClient) until it says 200.

    Fails fast with `ServerStartError` when the service reports it could not load its model,
    or when `alive` (a check that the process still runs) raises.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive is not None:
            alive()
        try:
            answer = client.get("/ready")
        except httpx.TransportError:
            answer = None
        if answer is not None and answer.status_code == 200:
            return answer.json()
        if answer is not None and answer.json().get("error"):
            raise ServerStartError(f"the server could not load its model: "
                                   f"{answer.json()['error']}")
        time.sleep(0.05)
    raise ServerStartError(f"the service was not ready after {timeout:.0f} s")


def wait_ready(server: Server, timeout: float = 60.0) -> dict:
    """Poll the server's /ready until it says 200; fail fast if the process dies."""
    with httpx.Client(base_url=server.url, timeout=2.0) as http:
        try:
            return wait_until_ready(http, timeout, partial(_fail_if_exited, server))
        except ServerStartError as error:
            if server.process.poll() is not None:  # exited: the message has the log already
                raise
            raise ServerStartError(f"{error}:\n{server.log_tail()}") from None


def stop(server: Server, grace: float = 10.0) -> None:
    """SIGTERM (graceful: finish requests in flight), then SIGKILL whatever is left."""
    try:
        tree = [psutil.Process(server.process.pid)]
        tree += tree[0].children(recursive=True)
    except psutil.NoSuchProcess:
        tree = []
    server.pids = tuple(sorted({*server.pids, *(p.pid for p in tree)}))
    for process in tree:
        _signal(process, signal.SIGTERM)
    _, left = psutil.wait_procs(tree, timeout=grace)
    for process in left:
        _signal(process, signal.SIGKILL)
    psutil.wait_procs(left, timeout=grace)
    server.process.wait(timeout=grace)  # reap it, so no zombie is left either
    if server.on_exit is not None:
        atexit.unregister(server.on_exit)


@contextmanager
def serve(env: Mapping[str, str], timeout: float = 60.0,
          log_dir: str | Path | None = None) -> Iterator[Server]:
    """Start a server, wait until ready, yield it, and always stop it."""
    with tempfile.TemporaryDirectory(prefix="serve-") as tmp:
        server = start(env, Path(log_dir or tmp))
        try:
            wait_ready(server, timeout)
            yield server
        finally:
            stop(server)


def _signal(process: psutil.Process, signum: int) -> None:
    """Send a signal, ignoring a process that has already gone."""
    with suppress(psutil.NoSuchProcess):
        process.send_signal(signum)


def _not_zombie(pid: int) -> bool:
    """True unless the process is a zombie (exited, not yet reaped)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
