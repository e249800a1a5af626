"""The MLflow registry: versions with metadata, aliases, promote, rollback, verified loads."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from helpers.reproducibility import fingerprint
from helpers.storage.artifacts import TamperedArtifactError
from helpers.storage.registry import Registry

DATA_SHA = "d" * 64


@pytest.fixture(scope="module")
def xy():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(150, 5))
    return x, (x[:, 0] - x[:, 2] > 0).astype(int)


@pytest.fixture(scope="module")
def registry(tmp_path_factory, xy):
    """A registry with versions 1 (tree, with ONNX) and 2 (logistic regression) of 'clf'."""
    reg = Registry(tmp_path_factory.mktemp("registry"))
    tree = DecisionTreeClassifier(max_depth=3, random_state=0).fit(*xy)
    reg.register("clf", tree, metrics={"accuracy": 0.8}, data_sha256=DATA_SHA,
                 params={"max_depth": 3}, onnx_example=xy[0][:1])
    reg.register("clf", LogisticRegression().fit(*xy), metrics={"accuracy": 0.9},
                 data_sha256=DATA_SHA)
    return reg


def test_register_records_metadata_and_hashes(registry):
    first, second = registry.versions("clf")
    assert (first.version, second.version) == (1, 2)
    assert first.metrics == {"accuracy": 0.8} and first.data_sha256 == DATA_SHA
    assert len(first.sha256) == 64 and len(first.onnx_sha256) == 64
    assert second.onnx_sha256 is None
    assert first.created_at.endswith("+00:00")
    digest = fingerprint.fingerprint_digest(fingerprint.environment_fingerprint())
    assert registry.tags("clf", 1)["fingerprint"] == digest
    assert registry.stored_path("clf", 1).name == "model.skops"


def test_aliases_promote_and_rollback(registry):
    registry.set_alias("clf", "challenger", 2)
    registry.promote("clf", 1)
    assert registry.info("clf", "champion").version == 1
    registry.promote("clf", 2)
    assert registry.info("clf", "champion").aliases == ("challenger", "champion")
    assert registry.rollback("clf") == 1
    assert registry.info("clf", "champion").version == 1
    with pytest.raises(ValueError, match="no earlier version"):
        registry.rollback("clf")


def test_load_verifies_and_returns_a_working_model(registry, xy):
    model, info = registry.load("clf", 2)
    assert isinstance(model, LogisticRegression) and info.version == 2
    assert model.predict(xy[0]).shape == (150,)


def test_onnx_export_matches_the_model(registry, xy):
    model, _ = registry.load("clf", 1)
    session, _ = registry.load_onnx("clf", 1)
    labels, probabilities = session.run(None, {"X": xy[0].astype(np.float32)})
    np.testing.assert_array_equal(labels, model.predict(xy[0]))
    np.testing.assert_allclose(probabilities, model.predict_proba(xy[0]), atol=1e-5)
    with pytest.raises(KeyError, match="no ONNX export"):
        registry.load_onnx("clf", 2)


def test_unknown_names_versions_and_aliases_list_what_exists(registry):
    with pytest.raises(KeyError, match=r"no registered model named 'nope'.*\['clf'\]"):
        registry.info("nope", 1)
    with pytest.raises(KeyError, match=r"no version 7; its versions: \[1, 2\]"):
        registry.load("clf", 7)
    with pytest.raises(KeyError, match="no alias 'staging'"):
        registry.info("clf", "staging")


def test_bad_metadata_is_rejected(registry, xy):
    model = LogisticRegression().fit(*xy)
    with pytest.raises(ValueError, match="every metric must be a number"):
        registry.register("clf", model, metrics={"accuracy": "high"}, data_sha256=DATA_SHA)
    with pytest.raises(ValueError, match="alias must be a non-numeric name"):
        registry.set_alias("clf", "3", 1)


def test_a_tampered_stored_file_is_refused(tmp_path, xy):
    reg = Registry(tmp_path / "reg")
    reg.register("m", LogisticRegression().fit(*xy), metrics={"accuracy": 0.9},
                 data_sha256=DATA_SHA, onnx_example=xy[0][:1])
    for onnx in (False, True):
        path = reg.stored_path("m", 1, onnx=onnx)
        path.write_bytes(path.read_bytes()[:-1] + b"!")
    with pytest.raises(TamperedArtifactError, match=r"model\.skops"):
        reg.load("m", 1)
    with pytest.raises(TamperedArtifactError, match=r"model\.onnx"):
        reg.load_onnx("m", 1)
    assert Registry.from_uri(reg.tracking_uri).names() == ["m"]  # same store, through a URI


def test_a_load_resolves_the_version_with_one_registry_lookup(registry, monkeypatch):
    calls = []
    client = registry._client
    for method in ("get_model_version", "get_model_version_by_alias", "get_registered_model",
                   "search_model_versions", "search_registered_models"):
        original = getattr(client, method)

        def counted(*args, _original=original, _method=method, **kwargs):
            calls.append(_method)
            return _original(*args, **kwargs)

        monkeypatch.setattr(client, method, counted)
    registry.set_alias("clf", "challenger", 2)
    calls.clear()
    _, info = registry.load("clf", "challenger")
    assert calls == ["get_model_version_by_alias"]
    calls.clear()
    registry.load_onnx("clf", 1)
    assert calls == ["get_model_version"]
    assert info.source.endswith("/model") and info.trusted_types == ()


def test_the_registry_checks_against_its_own_hash_not_the_one_beside_the_file(tmp_path, xy):
    from helpers.storage import artifacts

    reg = Registry(tmp_path / "reg")
    reg.register("m", LogisticRegression().fit(*xy), metrics={"accuracy": 0.9},
                 data_sha256=DATA_SHA)
    stored = reg.stored_path("m", 1)
    artifacts.save_skops(LogisticRegression(C=1e-4).fit(*xy), stored)  # file and hash beside it
    assert artifacts.load_skops(stored).C == 1e-4  # the hash beside the file was replaced too
    with pytest.raises(TamperedArtifactError):
        reg.load("m", 1)  # the expected hash comes from the registry's database
