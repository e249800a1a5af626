"""The hot swap under traffic against a small real HTTP server, and the canary's verdict."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace
from typing import ClassVar

import httpx
import numpy as np
import pytest

from helpers.capstone import rollout


class StubService(BaseHTTPRequestHandler):
    """/predict answers with the current version; /admin/reload moves to the alias's target."""

    state: ClassVar[dict[str, int]] = {"alias": 1, "current": 1}

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.path == "/admin/reload":
            previous = self.state["current"]
            self.state["current"] = self.state["alias"]
            body = {"previous": previous, "current": self.state["current"]}
        else:
            body = {"prediction": 1, "version": self.state["current"]}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        """Quiet."""


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubService)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    StubService.state.update(alias=1, current=1)
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}")
    server.shutdown()
    server.server_close()


def test_a_swap_under_traffic_counts_every_request(stub):
    def move():
        StubService.state["alias"] = 3
        return "moved"

    with httpx.Client(base_url=stub.url) as admin:
        swap = rollout.swap_under_traffic(stub, "k" * 20, admin, move, {"features": [0.0]},
                                          clients=2, requests=10)
    assert swap.moved == "moved" and swap.reload == {"previous": 1, "current": 3}
    assert swap.traffic.failed == 0 and len(swap.traffic.outcomes) >= 20
    seen = swap.traffic.versions()
    assert seen[0] == 1 and seen[-1] == 3 and seen == sorted(seen)


def test_a_refused_reload_is_an_error(stub):
    class Refusing:
        def post(self, path):
            return SimpleNamespace(status_code=409, text="version 3 is refused")

    with pytest.raises(RuntimeError, match="refused to reload \\(409\\)"):
        rollout.swap_under_traffic(stub, "k" * 20, Refusing(), lambda: None,
                                   {"features": [0.0]}, clients=1, requests=2)


def test_the_canary_is_kept_unless_surely_worse_or_a_request_failed():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 2, 400)
    good = np.where(rng.random(400) < 0.95, truth, 1 - truth)
    bad = np.where(rng.random(400) < 0.80, truth, 1 - truth)
    kept = rollout.judge(truth, bad, good, canary=3, previous=1)
    assert kept.keep and str(kept).endswith("keep v3")
    worse = rollout.judge(truth, good, bad, canary=4, previous=3)
    assert not worse.keep and worse.comparison.high < 0
    assert str(worse).endswith("roll back to v3")
    twin = rollout.judge(truth, good, good.copy(), canary=5, previous=3)
    assert twin.keep  # no evidence of harm: keep
    failed = rollout.judge(truth, bad, good, canary=3, previous=1, failed=1)
    assert not failed.keep
    with pytest.raises(ValueError, match="cannot be negative"):
        rollout.judge(truth, bad, good, canary=3, previous=1, failed=-1)
