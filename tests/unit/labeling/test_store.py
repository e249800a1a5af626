from helpers.labeling.store import LabelStore


def test_labels_survive_a_restart_and_the_latest_counts(tmp_path):
    store = LabelStore(tmp_path / "labels.db")
    store.add_label("a", "cat")
    store.add_label("b", "dog")
    store.add_label("a", "dog")  # the same item labeled twice
    store.close()
    reopened = LabelStore(tmp_path / "labels.db")
    assert reopened.labels() == {"a": "dog", "b": "dog"}
    assert len(reopened.history()) == 3  # nothing was overwritten


def test_undo_takes_back_the_last_action_of_that_annotator_only(tmp_path):
    store = LabelStore(tmp_path / "labels.db")
    store.add_label("a", "cat", annotator="ann")
    store.add_label("b", "dog", annotator="bob")
    store.add_skip("c", annotator="ann")
    assert store.undo("ann") == "c"
    assert store.undo("ann") == "a"
    assert store.undo("ann") is None
    assert store.labels() == {"b": "dog"}
    assert store.done("bob") == {"b"} and store.done("ann") == set()
    assert [event[-1] for event in store.history()] == [1, 0, 1]


def test_undo_of_a_relabel_restores_the_first_label(tmp_path):
    store = LabelStore(tmp_path / "labels.db")
    store.add_label("a", "cat")
    store.add_label("a", "dog")
    store.undo()
    assert store.labels() == {"a": "cat"}
