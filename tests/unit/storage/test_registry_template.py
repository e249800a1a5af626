"""A new registry starts from a copy of an empty, migrated store instead of migrating its own."""

import sqlite3

import numpy as np
from sklearn.linear_model import LogisticRegression

from helpers.storage import registry
from helpers.storage.registry import Registry


def schema_revision(path):
    with sqlite3.connect(path) as db:
        return db.execute("select version_num from alembic_version").fetchone()[0]


def tiny_model():
    x = np.array([[0.0], [1.0], [2.0], [3.0]])
    return LogisticRegression().fit(x, [0, 0, 1, 1]), x


def test_the_template_is_made_once_then_copied_without_migrating(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = Registry(tmp_path / "first")
    template = registry.empty_store_template()
    assert template is not None and template.parent == tmp_path / "cache" / "ml-in-production"
    assert schema_revision(template) == schema_revision(first.root / "mlflow.db")

    import mlflow.store.db.utils as db_utils

    def no_migrations(engine):
        raise AssertionError("a registry made from the template ran MLflow's migrations")

    monkeypatch.setattr(db_utils, "_initialize_tables", no_migrations)
    second = Registry(tmp_path / "second")
    model, x = tiny_model()
    second.register("tiny", model, metrics={"accuracy": 1.0}, data_sha256="0" * 64)
    assert [v.version for v in second.versions("tiny")] == [1]
    np.testing.assert_array_equal(second.load("tiny", 1)[0].predict(x), model.predict(x))


def test_an_unwritable_cache_falls_back_to_migrating(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert registry.empty_store_template() is None
    made = Registry(tmp_path / "reg")
    model, _ = tiny_model()
    made.register("tiny", model, metrics={"accuracy": 1.0}, data_sha256="0" * 64)
    assert [v.version for v in made.versions("tiny")] == [1]
