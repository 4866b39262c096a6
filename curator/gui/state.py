"""The open review as the window's parts share it: the service, and signals when it changes.

:class:`ReviewState` is what controllers, commands and dialogs receive
instead of the main window: the :class:`~curator.services.ReviewService`
(swapped when another review is opened), the reviewer's name, and
:meth:`ReviewState.run`, which runs one use case with a wait cursor and
shows a refusal instead of raising it. What changed is told by signals;
the window (and any other view) listens and shows it:

* ``row_saved(comparison, position, row)``: one row, as stored, after an edit;
* ``rows_changed(comparison, position)``: rows or comparisons were added,
  removed or moved (the outline is read again; show ``comparison`` at
  ``position``, the first comparison when it is None);
* ``review_changed()``: anything may have changed (an import, a merge, a
  reference renamed): read the review again, keeping the place;
* ``acceptances_changed()``: a finding was accepted;
* ``properties_changed()``: the review's title or description changed;
* ``replaced()``: another review was opened in the window;
* ``message(text)``: a line for the status bar.

:func:`mark_invalid` is the one way a widget shows that what was typed into
it does not fit, with the reason as its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from curator.errors import CuratorError
from curator.services import ReviewService

__all__ = ["ReviewState", "mark_invalid", "INVALID_STYLE"]

T = TypeVar("T")

#: The background of a field whose text does not fit.
INVALID_STYLE = "QLineEdit { background: #F8CBAD; }"


def mark_invalid(widget: QWidget, error: str | None) -> None:
    """Mark ``widget`` as holding text that does not fit (``error`` says why), or clear the mark."""
    widget.setStyleSheet(INVALID_STYLE if error else "")
    widget.setToolTip(error or "")


class ReviewState(QObject):
    """One open review, shared by the window's controllers, commands and dialogs."""

    row_saved = Signal(str, int, object)
    rows_changed = Signal(object, int)
    review_changed = Signal()
    acceptances_changed = Signal()
    properties_changed = Signal()
    replaced = Signal()
    message = Signal(str)

    def __init__(self, service: ReviewService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        #: Where refusals are shown (the window).
        self.widget = parent
        #: Audit log entries (first, last id) written by the undo stack's edits: undoing them in
        #: order is not "someone acted on the field since" (see commands.EditCommand).
        self.undoable_entries: list[tuple[int, int]] = []

    @property
    def who(self) -> str:
        return self.service.who

    @property
    def path(self) -> Path:
        return self.service.path

    def replace(self, service: ReviewService) -> None:
        """Show another review: the old one is closed."""
        old, self.service = self.service, service
        old.close()
        self.undoable_entries = []
        self.replaced.emit()

    def run_raising(self, change: Callable[[], T]) -> T:
        """Run one use case with a wait cursor (a whole comparison takes seconds); a refusal is raised."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return change()
        finally:
            QApplication.restoreOverrideCursor()

    def run(self, change: Callable[[], T], title: str = "Curator — not saved") -> tuple[bool, T | None]:
        """Run one use case; a refusal is shown in a message box, and nothing was written."""
        try:
            return True, self.run_raising(change)
        except CuratorError as exc:
            QMessageBox.warning(self.widget, title, str(exc))
            return False, None
