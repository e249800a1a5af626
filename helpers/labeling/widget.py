"""An ipywidgets labeling tool: show an item, click its label; labels go to a LabelStore (Ch. 10).

`LabelingSession` holds the logic and is tested without a display; `LabelingWidget` draws it
(item, model suggestion and confidence, one button per label, skip, undo, progress bar).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

from helpers.labeling.store import LabelStore

Suggest = Callable[[Any], tuple[str, float]]


class QueueEmpty(RuntimeError):
    """Every item has been labeled or skipped."""


class LabelingSession:
    """The queue of items still to label for one annotator, resumed from the store."""

    def __init__(
        self,
        items: Mapping[str, Any],
        labels: Sequence[str],
        store: LabelStore,
        annotator: str = "you",
        suggest: Suggest | None = None,
    ) -> None:
        if not labels:
            raise ValueError("give at least one label to choose from")
        self.items, self.labels, self.store = dict(items), list(labels), store
        self.annotator, self.suggest = annotator, suggest

    def current(self) -> str | None:
        """Id of the next item to label (None when the queue is empty)."""
        done = self.store.done(self.annotator)
        return next((item for item in self.items if item not in done), None)

    def _require_current(self) -> str:
        item = self.current()
        if item is None:
            raise QueueEmpty(f"all {len(self.items)} items are labeled or skipped; "
                             "undo to change one, or add items")
        return item

    def label(self, name: str) -> str:
        """Give the current item the label `name`; returns the item's id."""
        if name not in self.labels:
            raise ValueError(f"unknown label {name!r}; choose one of {self.labels}")
        item = self._require_current()
        self.store.add_label(item, name, self.annotator)
        return item

    def skip(self) -> str:
        """Move past the current item without labeling it; returns its id."""
        item = self._require_current()
        self.store.add_skip(item, self.annotator)
        return item

    def undo(self) -> str | None:
        """Take back the last label or skip; that item becomes current again."""
        return self.store.undo(self.annotator)

    def progress(self) -> tuple[int, int]:
        """(items done, items in all)."""
        done = self.store.done(self.annotator) & set(self.items)
        return len(done), len(self.items)

    def suggestion(self) -> tuple[str, float] | None:
        """The model's label and confidence for the current item, when a model is given."""
        item = self.current()
        if item is None or self.suggest is None:
            return None
        return self.suggest(self.items[item])


def render_item(payload: Any) -> widgets.Widget:
    """A widget showing an item: a 2-D array as a grey image, anything else as text."""
    array = np.asarray(payload) if not isinstance(payload, str) else None
    if array is not None and array.ndim == 2:
        import matplotlib.pyplot as plt

        buffer = io.BytesIO()
        plt.imsave(buffer, array, cmap="gray_r", format="png")
        return widgets.Image(value=buffer.getvalue(), format="png", width=96, height=96)
    return widgets.HTML(f"<p style='font-size:1.1em'>{html.escape(str(payload))}</p>")


def css_class(name: str) -> str:
    """A stable CSS class for a label's button (browser tests and styles find it by this)."""
    return "mlprod-label-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)


class LabelingWidget:
    """Buttons and displays around a `LabelingSession`; errors show as messages, never raise.

    Every part carries a stable CSS class (`mlprod-labeling`, `css_class(label)`, `mlprod-skip`,
    `mlprod-undo`, `mlprod-progress`, `mlprod-message`) so a browser test can find it.
    """

    def __init__(self, session: LabelingSession,
                 render: Callable[[Any], widgets.Widget] = render_item) -> None:
        self.session, self.render = session, render
        fit = {"width": "auto", "min_width": "3em"}  # as wide as the text: nothing cut off
        self.buttons = {name: widgets.Button(description=name, layout=widgets.Layout(**fit))
                        for name in session.labels}
        self.skip_button = widgets.Button(description="skip", icon="forward",
                                          layout=widgets.Layout(**fit))
        self.undo_button = widgets.Button(description="undo", icon="undo",
                                          layout=widgets.Layout(**fit))
        self.progress = widgets.IntProgress(min=0, max=len(session.items), description="done")
        self.item_box, self.suggestion, self.message = widgets.Box(), widgets.HTML(), widgets.HTML()
        for name, button in self.buttons.items():
            button.add_class(css_class(name))
        self.skip_button.add_class("mlprod-skip")
        self.undo_button.add_class("mlprod-undo")
        self.progress.add_class("mlprod-progress")
        self.message.add_class("mlprod-message")
        for name, button in self.buttons.items():
            button.on_click(lambda _, name=name: self._act(lambda: session.label(name)))
        self.skip_button.on_click(lambda _: self._act(session.skip))
        self.undo_button.on_click(lambda _: self._act(session.undo))
        controls = widgets.HBox([*self.buttons.values(), self.skip_button, self.undo_button])
        self.box = widgets.VBox([self.progress, self.item_box, self.suggestion, controls,
                                 self.message])
        self.box.add_class("mlprod-labeling")
        self.refresh()

    def _act(self, action: Callable[[], Any]) -> None:
        try:
            action()
            self.message.value = ""
        except (QueueEmpty, ValueError) as error:
            self.message.value = f"<b>{html.escape(str(error))}</b>"
        self.refresh()

    def refresh(self) -> None:
        """Redraw the item, suggestion and progress from the session's state."""
        done, total = self.session.progress()
        self.progress.value, self.progress.description = done, f"{done}/{total}"
        item = self.session.current()
        if item is None:
            self.item_box.children = (widgets.HTML("<b>All items are done.</b>"),)
            self.suggestion.value = ""
            return
        self.item_box.children = (self.render(self.session.items[item]),)
        suggested = self.session.suggestion()
        self.suggestion.value = ("" if suggested is None else
                                 f"model suggests <b>{html.escape(suggested[0])}</b> "
                                 f"({suggested[1]:.0%} confident)")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.box)
