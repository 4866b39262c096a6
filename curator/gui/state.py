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
* ``message(text)``: a line for the status bar;
* ``stale_refused(error, changes)``: an edit was refused because the value moved under it (someone else
  changed it): the :class:`~curator.errors.StaleWrite` and the edit's changes, field -> (old, new), to show
  theirs and yours and let the reviewer choose (:mod:`curator.gui.stale_dialog`);
* ``others_changed(changes)``: someone else changed the review (another reviewer, window or process), as
  :mod:`curator.gui.live` found in the audit log: the :class:`~curator.services.live.Changes`, for the views
  open over the window (verify mode, adjudication) to show within a second, as the window does.

:func:`mark_invalid` is the one way a widget shows that what was typed into
it does not fit, with the reason as its tooltip. :class:`PendingValues`
(``ReviewState.pending``) holds such text, one per field of a row, until it
is fixed or abandoned: the table's cell and the row form show the same one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from curator.errors import CuratorError, StaleWrite
from curator.services import Location, ReviewService

__all__ = ["ReviewState", "PendingValues", "mark_invalid", "INVALID_STYLE"]

T = TypeVar("T")

#: The background of a field whose text does not fit.
INVALID_STYLE = "QLineEdit { background: #F8CBAD; }"


def mark_invalid(widget: QWidget, error: str | None) -> None:
    """Mark ``widget`` as holding text that does not fit (``error`` says why), or clear the mark."""
    widget.setStyleSheet(INVALID_STYLE if error else "")
    widget.setToolTip(error or "")


class PendingValues(QObject):
    """Text typed into a row's field that does not fit, with the reason: kept, never saved, until it is
    fixed (a value that fits replaces it) or abandoned. The table's cells and the row form both read
    and write it here, so they show one pending value, alike.

    ``changed(comparison, position, field)`` follows every change.
    """

    changed = Signal(str, int, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: (comparison, position) -> {field: (text, reason)}: a cell asks for its row's at every paint
        self._rows: dict[tuple[str, int], dict[str, tuple[str, str]]] = {}

    def set(self, comparison: str, position: int, name: str, text: str, reason: str) -> None:
        """Keep ``text`` typed into field ``name`` of a row, which does not fit for ``reason``."""
        self._rows.setdefault((comparison, position), {})[name] = (text, reason)
        self.changed.emit(comparison, position, name)

    def get(self, comparison: str | None, position: int, name: str) -> tuple[str, str] | None:
        """The text kept for a field and why it does not fit, or None."""
        row = self._rows.get((comparison, position)) if self._rows and comparison is not None else None
        return None if row is None else row.get(name)

    def of_row(self, comparison: str | None, position: int) -> dict[str, tuple[str, str]]:
        """Every field of a row with a pending value: name -> (text, reason)."""
        row = self._rows.get((comparison, position)) if self._rows and comparison is not None else None
        return {} if row is None else dict(row)

    def clear(self, comparison: str | None, position: int, name: str) -> bool:
        """Forget a field's pending value (it was fixed or abandoned); True when there was one."""
        row = None if comparison is None else self._rows.get((comparison, position))
        if comparison is None or row is None or row.pop(name, None) is None:
            return False
        if not row:
            del self._rows[(comparison, position)]
        self.changed.emit(comparison, position, name)
        return True

    def clear_all(self) -> None:
        """Forget every pending value (the rows were read again: positions may have moved)."""
        gone = [(comparison, position, name) for (comparison, position), row in self._rows.items() for name in row]
        self._rows = {}
        for comparison, position, name in gone:
            self.changed.emit(comparison, position, name)


class ReviewState(QObject):
    """One open review, shared by the window's controllers, commands and dialogs."""

    row_saved = Signal(str, int, object)
    rows_changed = Signal(object, int)
    review_changed = Signal()
    acceptances_changed = Signal()
    properties_changed = Signal()
    replaced = Signal()
    message = Signal(str)
    stale_refused = Signal(object, object)
    others_changed = Signal(object)

    def __init__(self, service: ReviewService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        #: Where refusals are shown (the window).
        self.widget = parent
        #: Audit log entries (first, last id) written by the undo stack's edits: undoing them in
        #: order is not "someone acted on the field since" (see commands.EditCommand).
        self.undoable_entries: list[tuple[int, int]] = []
        #: Typed text that does not fit, shown alike by the table and the form.
        self.pending = PendingValues(self)
        #: The last audit entry whose changes the window shows (kept by :mod:`curator.gui.live`; None before).
        self.seen: int | None = None

    @property
    def who(self) -> str:
        return self.service.who

    @who.setter
    def who(self, name: str) -> None:
        """The reviewer changed their name: what they do from now on is recorded under it (on a team
        review the database user stays: the server authenticated her)."""
        if not self.service.on_server:
            self.service.who = name

    @property
    def path(self) -> Location:
        """The review's file, or a team review's URL (without its password)."""
        return self.service.path

    @property
    def folder(self) -> Path:
        """Where the file dialogs start: the review file's folder (the home folder for a team review)."""
        path = self.service.path
        return path.parent if isinstance(path, Path) else Path.home()

    def replace(self, service: ReviewService) -> None:
        """Show another review: the old one is closed."""
        old, self.service = self.service, service
        old.close()
        self.undoable_entries = []
        self.pending.clear_all()
        self.replaced.emit()

    def run_raising(self, change: Callable[[], T]) -> T:
        """Run one use case with a wait cursor (a whole comparison takes seconds); a refusal is raised."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return change()
        finally:
            QApplication.restoreOverrideCursor()

    def run(
        self,
        change: Callable[[], T],
        title: str = "Curator — not saved",
        *,
        on_stale: Callable[[StaleWrite], None] | None = None,
    ) -> tuple[bool, T | None]:
        """Run one use case; a refusal is shown in a message box, and nothing was written. With ``on_stale``,
        a refusal because the value moved meanwhile goes there instead (to show theirs and yours)."""
        try:
            return True, self.run_raising(change)
        except CuratorError as exc:
            if on_stale is not None and isinstance(exc, StaleWrite):
                on_stale(exc)
            else:
                QMessageBox.warning(self.widget, title, str(exc))
            return False, None
