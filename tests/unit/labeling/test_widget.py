import numpy as np
import pytest

from helpers.labeling.store import LabelStore
from helpers.labeling.widget import LabelingSession, LabelingWidget, QueueEmpty, css_class

ITEMS = {"i1": "great course", "i2": np.eye(8), "i3": "too slow"}


@pytest.fixture
def store(tmp_path):
    return LabelStore(tmp_path / "labels.db")


def make(store, suggest=None):
    return LabelingWidget(LabelingSession(ITEMS, ["good", "bad"], store, suggest=suggest))


def test_clicks_store_labels_and_move_on(store):
    tool = make(store)
    tool.buttons["good"].click()
    tool.skip_button.click()
    assert store.labels() == {"i1": "good"}
    assert tool.session.current() == "i3"
    assert tool.progress.value == 2 and tool.progress.description == "2/3"


def test_undo_brings_the_item_back(store):
    tool = make(store)
    tool.buttons["bad"].click()
    tool.undo_button.click()
    assert store.labels() == {} and tool.session.current() == "i1"


def test_restart_resumes_where_it_stopped(store, tmp_path):
    make(store).buttons["good"].click()
    store.close()
    again = make(LabelStore(tmp_path / "labels.db"))
    assert again.session.current() == "i2" and again.progress.value == 1


def test_empty_queue_and_unknown_label_give_messages_not_exceptions(store):
    tool = make(store)
    for _ in ITEMS:
        tool.buttons["good"].click()
    tool.buttons["good"].click()  # nothing left
    assert "all 3 items are labeled or skipped" in tool.message.value
    assert "All items are done" in tool.item_box.children[0].value
    with pytest.raises(QueueEmpty):
        tool.session.skip()
    with pytest.raises(ValueError, match=r"unknown label 'meh'; choose one of \['good', 'bad'\]"):
        LabelingSession(ITEMS, ["good", "bad"], store).label("meh")


def test_suggestion_and_image_items_are_shown(store):
    tool = make(store, suggest=lambda item: ("good", 0.87))
    assert "model suggests <b>good</b> (87% confident)" in tool.suggestion.value
    tool.buttons["bad"].click()
    assert type(tool.item_box.children[0]).__name__ == "Image"  # i2 is an 8x8 array


def test_a_session_needs_labels(store):
    with pytest.raises(ValueError, match="at least one label"):
        LabelingSession(ITEMS, [], store)


def test_parts_carry_stable_css_classes_for_browser_tests(store):
    tool = LabelingWidget(LabelingSession(ITEMS, ["good", "not sure?"], store))
    assert "mlprod-labeling" in tool.box._dom_classes
    assert tool.buttons["good"]._dom_classes == ("mlprod-label-good",)
    assert tool.buttons["not sure?"]._dom_classes == ("mlprod-label-not-sure-",)
    assert css_class("7") == "mlprod-label-7"
    assert "mlprod-skip" in tool.skip_button._dom_classes
    assert "mlprod-undo" in tool.undo_button._dom_classes
