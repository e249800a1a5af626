"""The OpenAPI document is the truth: schemathesis generates requests from it against a real
uvicorn process and checks every answer (no 5xx, status codes, content types and bodies as
documented). Bounded: a fixed number of examples per operation, derandomized, a few seconds."""

from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from sklearn.linear_model import LogisticRegression

from helpers import data
from helpers.service import process
from helpers.service.security import API_KEY_HEADER
from helpers.service.settings import ServiceSettings

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("service_contract")]
KEY, ADMIN = "contract-key-0123456789", "contract-admin-0123456789"
NAME = "wdbc-logistic"
EXAMPLES = 12  # per operation and generation mode


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from helpers.storage.registry import Registry

    features, target = data.load_wdbc()
    x, y = features.to_numpy(), target.to_numpy()
    registry = Registry(tmp_path_factory.mktemp("registry"))
    for version, c in ((1, 1.0), (2, 0.01)):
        model = LogisticRegression(C=c, max_iter=5000).fit(x, y)
        registry.register(NAME, model, metrics={"accuracy": model.score(x, y)},
                          data_sha256="d" * 64, onnx_example=x[:1] if version == 1 else None)
    registry.promote(NAME, 1)
    settings_ = ServiceSettings(registry=Path(registry.root), model=NAME, api_key=KEY,
                                admin_key=ADMIN, max_rows=16)
    with process.serve(settings_.to_env(), timeout=120) as running:
        yield running


# examples and fuzzing phases only, a fixed number of cases, the same cases on every run
CONFIG = {"phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
          "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"}}


@pytest.fixture(scope="module")
def api_schema(server):
    config = schemathesis.Config.from_dict(CONFIG)
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json", config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_every_answer_matches_the_schema_and_none_is_a_5xx(case, server):
    key = ADMIN if case.path.startswith("/admin") else KEY
    case.call_and_validate(headers={API_KEY_HEADER: key}, timeout=10)
    if case.path == "/admin/batching":  # a generated 1-second window would slow the rest
        with httpx.Client(base_url=server.url, headers={API_KEY_HEADER: ADMIN}) as admin:
            admin.put("/admin/batching", json={"window_ms": 0, "max_batch": 64})
