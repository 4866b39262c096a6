"""Where to begin: a hint in the middle of an empty table (the comparison's, the references').

A new review has no comparison and a new comparison has no row: the table is
a blank grid that says nothing. :class:`EmptyHint` lays a centred line of
text over the table's viewport when the table shows no row, saying what to
press (the keys are read from the window's actions, so the hint never
names a shortcut that is not there), and hides itself as soon as a row is
shown. When a filter hides every row, it says so instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout

__all__ = ["EmptyHint", "hint_text", "references_hint", "keys_of"]


def keys_of(action: QAction | None) -> str:
    """An action's first shortcut as the platform writes it (``Ctrl+Shift+C``), empty when it has none."""
    if action is None:
        return ""
    for sequence in action.shortcuts():
        text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        if text:
            return text
    return ""


def hint_text(
    *, has_comparison: bool, filtered: bool, new_comparison_keys: str, new_row_keys: str, import_keys: str
) -> str:
    """The hint for an empty table (rich text), or ``""`` when there is nothing to say."""

    def press(keys: str, what: str, menu: str) -> str:
        return f"Press <b>{keys}</b> to {what}" if keys else f"Choose <b>{menu}</b> to {what}"

    if not has_comparison:
        first = press(new_comparison_keys, "add the first comparison table", "Edit &gt; New comparison…")
        keys = f" ({import_keys})" if import_keys else ""
        other = f"or <b>File &gt; Import…</b>{keys} to bring in a curator/1 file or an Excel template."
        return f"<p><b>No comparisons yet.</b></p><p>{first},<br>{other}</p>"
    if filtered:
        return "<p><b>No row matches the filter.</b></p><p>Clear the filter box (Ctrl+F) to see every row.</p>"
    first = press(new_row_keys, "add the first row", "Edit &gt; New row")
    return f"<p><b>No rows in this comparison yet.</b></p><p>{first}.</p>"


def references_hint(*, has_references: bool, add_keys: str, import_keys: str) -> str:
    """The hint for an empty References table (rich text)."""
    if has_references:
        return "<p><b>No reference matches the search.</b></p><p>Clear the search box to see them all.</p>"
    keys = f" ({import_keys})" if import_keys else ""
    add = f"<b>Add</b> ({add_keys})" if add_keys else "<b>Add</b>"
    return (
        "<p><b>No references yet.</b></p>"
        f"<p>Press {add} to type one, or choose <b>File &gt; Import…</b>{keys} for a library "
        "(RIS, PubMed, BibTeX, CSL-JSON), or drop its file here.</p>"
    )


class EmptyHint(QObject):
    """A centred hint over ``view``'s viewport while it shows no row; ``text()`` says what it says then
    (rich text, e.g. :func:`hint_text` or :func:`references_hint`; "" for nothing)."""

    def __init__(self, view: QAbstractItemView, text: Callable[[], str]) -> None:
        super().__init__(view)
        self.view, self._text = view, text
        self.label = QLabel(view.viewport())
        self.label.setObjectName("empty-hint")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label.setStyleSheet("QLabel { color: #505050; font-size: 11pt; }")
        self.label.hide()
        # A layout on the viewport keeps the hint centred as the table is resized (no event filter:
        # a Python event filter on the viewport can be called while the window is torn down).
        layout = QVBoxLayout(view.viewport())
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self.label)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.layoutChanged):
            signal.connect(self.update)

    def text(self) -> str:
        """What the hint says now (empty when hidden)."""
        return self.label.text() if self.label.isVisibleTo(self.view) else ""

    def update(self, *_args: object) -> None:
        """Show or hide the hint after the table changed."""
        model = self.view.model()
        if model.rowCount() > 0:
            self.label.hide()
            return
        text = self._text()
        self.label.setText(text)
        self.label.setVisible(bool(text))
