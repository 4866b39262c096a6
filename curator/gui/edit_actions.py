"""The Edit menu: changes to rows and comparisons, and accepting findings.

:class:`EditActions` is a controller: it receives the shared
:class:`~curator.gui.state.ReviewState`, the undo stack and the table it
acts on (anything with the :class:`TablePlace` methods), never the window.
Every change is pushed as an undoable command (:mod:`curator.gui.commands`)
or, for an acceptance, saved at once; each runs one use case of the
review's service, where a refusal is shown and nothing is written. What
changed reaches the window through the state's signals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from curator.checks import Finding
from curator.gui.commands import (
    DeleteComparisonCommand,
    DeleteRowCommand,
    DuplicateRowCommand,
    EditCommand,
    EditFieldsCommand,
    InsertRowCommand,
    MoveRowCommand,
    MoveSdToSeCommand,
    NewComparisonCommand,
)
from curator.gui.new_comparison import NewComparisonDialog
from curator.gui.state import ReviewState
from curator.gui.tasks import CANCELLED_STATUS, Task, run_task
from curator.naming import row_place
from curator.progress import Progress
from curator.review import Row

__all__ = ["EditActions", "TablePlace", "UndoStack", "BACKGROUND_ROWS"]

#: A comparison of this many rows or more is deleted, restored (undo) and deleted again (redo) on a
#: worker, with a progress dialog that can cancel; a smaller one on the GUI thread, at once. A row costs
#: about a third of a millisecond either way (benchmarks/bench_delete_comparison), so below this the
#: window waits at most a third of a second, under a wait cursor, where a dialog would only flash.
BACKGROUND_ROWS = 1000


class UndoStack(QUndoStack):
    """The window's undo stack, whose undo and redo a step that takes long may take over (see
    :meth:`EditActions.take_over`): it does the work on a worker first, then finishes the step on the
    stack with :meth:`finish_undo` or :meth:`finish_redo`, or, cancelled, leaves the stack as it was."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: Asked before each undo ("undo") and redo ("redo") with the command concerned; True when it
        #: has taken the step over.
        self.take_over: Callable[[QUndoCommand, str], bool] | None = None

    def undo(self) -> None:
        command = self.command(self.index() - 1) if self.index() > 0 else None
        if command is None or self.take_over is None or not self.take_over(command, "undo"):
            super().undo()

    def redo(self) -> None:
        command = self.command(self.index()) if self.index() < self.count() else None
        if command is None or self.take_over is None or not self.take_over(command, "redo"):
            super().redo()

    def finish_undo(self) -> None:
        super().undo()

    def finish_redo(self) -> None:
        super().redo()


class TablePlace(Protocol):
    """Where the reviewer is in the comparison table."""

    def comparison_key(self) -> str | None: ...

    def current_position(self) -> int | None: ...

    def row_count(self) -> int: ...

    def row_at(self, position: int) -> Row: ...

    def select_row(self, comparison: str, position: int, column: int = 0) -> None: ...

    def focus_table(self) -> None: ...

    def current_finding(self) -> Finding | None: ...


class EditActions(QObject):
    """Edit-menu actions over the shared review state."""

    def __init__(self, state: ReviewState, undo_stack: QUndoStack, place: TablePlace, parent: QWidget) -> None:
        super().__init__(parent)
        self.state, self.undo_stack, self.place, self.parent_widget = state, undo_stack, place, parent
        #: The latest work on a worker (a big comparison deleted or restored), for the status bar and tests.
        self.task: Task[Any] | None = None
        if isinstance(undo_stack, UndoStack):
            undo_stack.take_over = self.take_over

    def edit_requested(self, comparison: str, position: int, name: str, old: str, new: str) -> None:
        """A cell or the form asks to save a value: an undoable, compare-and-set edit."""
        self.undo_stack.push(EditCommand(self.state, comparison, position, name, old, new))

    def edit_fields_requested(self, comparison: str, position: int, changes: Mapping[str, tuple[str, str]]) -> None:
        """One typing changes several fields (an arm's cell typed ``35.6% (95/267)``): one undoable step.

        ``changes``: field -> (old text, new text); fields whose text does not change are left out."""
        changed = {name: (old, new) for name, (old, new) in changes.items() if old != new}
        if len(changed) == 1:
            name, (old, new) = next(iter(changed.items()))
            self.edit_requested(comparison, position, name, old, new)
        elif changed:
            self.undo_stack.push(EditFieldsCommand(self.state, comparison, position, changed))

    def apply_edit(self, comparison: str, position: int, name: str, text: str) -> bool:
        """Save one field now, not undoable (its own transaction, audited); True when saved."""
        ok, row = self.state.run(lambda: self.state.service.rows.edit_field(comparison, position, name, text))
        if ok:
            self.state.row_saved.emit(comparison, position, row)
        return ok

    def _require_comparison(self) -> str | None:
        key = self.place.comparison_key()
        if key is None:
            self.state.message.emit("Select or create a comparison first")
        return key

    def new_row(self) -> None:
        key = self._require_comparison()
        if key is None:
            return
        current = self.place.current_position()
        position = self.place.row_count() if current is None else current + 1
        self.undo_stack.push(InsertRowCommand(self.state, key, position, self.state.service.rows.blank_row()))
        self.place.select_row(key, position, 0)
        self.place.focus_table()

    def duplicate_row(self) -> None:
        key, position = self.place.comparison_key(), self.place.current_position()
        if key is not None and position is not None:
            self.undo_stack.push(DuplicateRowCommand(self.state, key, position))

    def delete_row(self, *, confirm: bool = True) -> None:
        key, position = self.place.comparison_key(), self.place.current_position()
        if key is None or position is None:
            return
        row = self.place.row_at(position)
        if confirm and not self._ask(
            "Delete row", f"Delete {row_place(key, position, row.endpoint)}?\nUndo (Ctrl+Z) brings it back."
        ):
            return
        self.undo_stack.push(DeleteRowCommand(self.state, key, position, row))

    def move_row(self, step: int) -> None:
        key, position = self.place.comparison_key(), self.place.current_position()
        if key is None or position is None:
            return
        to = position + step
        if not 0 <= to < self.place.row_count():
            return
        self.undo_stack.push(MoveRowCommand(self.state, key, position, to, self.place.row_at(position)))

    def new_comparison(self, fields: tuple[str, str, str, str] | None = None) -> NewComparisonDialog | None:
        """Add a comparison: with ``fields`` (key, title, intervention, comparator) at once, else through
        the one dialog (title, arm labels, a key derived from the title), which is returned, open."""
        if fields is not None:
            self.undo_stack.push(NewComparisonCommand(self.state, *fields))
            return None
        taken = [c.key for c in self.state.service.outline()]
        dialog = NewComparisonDialog(self.parent_widget, taken)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.undo_stack.push(NewComparisonCommand(self.state, *dialog.fields())))
        dialog.open()
        return dialog

    def delete_comparison(self, *, confirm: bool = True) -> None:
        """Delete the selected comparison (asked first); a big one on a worker, pushed once it is done."""
        key = self._require_comparison()
        if key is None or self._busy():
            return
        rows = self.place.row_count()
        if confirm and not self._ask(
            "Delete comparison",
            f"Delete the comparison {key} with its {_rows(rows)}?\nUndo (Ctrl+Z) brings it back.",
        ):
            return
        if rows < BACKGROUND_ROWS:
            self.undo_stack.push(DeleteComparisonCommand(self.state, key))
            return
        service, seen = self.state.service, self.state.seen

        def work(progress: Progress) -> Any:
            return service.rows.delete_comparison(key, progress=progress, seen=seen)

        def done(saved: Any) -> None:
            self.undo_stack.push(DeleteComparisonCommand(self.state, key, saved))

        self._on_worker(f"Deleting comparison {key}", work, done, None)

    def take_over(self, command: QUndoCommand, step: str) -> bool:
        """Undo or redo a big comparison's delete on a worker (the undo stack asks before each step): the
        step is finished on the stack only once the work is done and saved; cancelled, the stack and the
        review stay as they were; refused, the command leaves the stack (as on the GUI thread). True when
        taken over (or ignored: work is still running)."""
        if self._busy():
            return True
        if not isinstance(command, DeleteComparisonCommand) or command.rows < BACKGROUND_ROWS:
            return False
        assert command.saved is not None and isinstance(self.undo_stack, UndoStack)
        stack, service, key = self.undo_stack, self.state.service, command.key
        seen = self.state.seen
        position, comparison, kept = command.saved
        expected = stack.index()

        def finish(ok: bool, result: Any = None) -> None:
            if stack.index() != expected or stack.command(expected - (step == "undo")) is not command:
                # The stack moved meanwhile (it cannot: the dialog blocks the window): show what is stored.
                self.state.review_changed.emit()
                return
            command.prepare(ok, result)
            if step == "undo":
                stack.finish_undo()
            else:
                stack.finish_redo()

        def refused(message: str) -> None:
            finish(False)
            QMessageBox.warning(self.parent_widget, "Curator — not saved", message)

        if step == "undo":
            self._on_worker(
                f"Restoring comparison {key}",
                lambda progress: service.rows.restore_comparison(position, comparison, kept, progress=progress),
                lambda _none: finish(True),
                refused,
            )
        else:
            self._on_worker(
                f"Deleting comparison {key}",
                lambda progress: service.rows.delete_comparison(key, progress=progress, seen=seen),
                lambda saved: finish(True, saved),
                refused,
            )
        return True

    def _on_worker(
        self,
        title: str,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None,
    ) -> None:
        """Run ``work`` on a worker with a progress dialog shown at once (it blocks the window: nothing
        else may write meanwhile) that can cancel it."""
        task = run_task(self.parent_widget, title, work, on_done, on_error, show_after_ms=0)
        task.finished.connect(lambda status: self._ended(title, status))
        self.task = task

    def _ended(self, title: str, status: str) -> None:
        if status == CANCELLED_STATUS:
            self.state.message.emit(f"{title}: {CANCELLED_STATUS}")

    def _busy(self) -> bool:
        """True (and says so) while a comparison is being deleted or restored on a worker."""
        if self.task is not None and self.task.is_running():
            self.state.message.emit(f"Wait: {self.task.title.lower()}…")
            return True
        return False

    def _ask(self, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(self.parent_widget, title, text, buttons, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def accept_current(self) -> None:
        finding = self.place.current_finding()
        if finding is None:
            self.state.message.emit("Select a finding to accept")
            return
        self.accept_finding(finding)

    def apply_remedy(self, finding: Finding) -> bool:
        """A finding's one-step fix (``sd-as-se``: move the arms' SDs to their SE fields), on the row shown:
        the window goes to the row, and the fix is one undoable step, compare-and-set against the values
        shown there. False when the finding offers no fix (or is not about a row)."""
        if finding.remedy != "sd-as-se" or finding.comparison is None or finding.row is None:
            return False
        self.place.select_row(finding.comparison, finding.row)
        if self.place.comparison_key() != finding.comparison or self.place.current_position() != finding.row:
            self.state.message.emit(f"Not changed: {_about(self.state, finding)} is no longer in the review")
            return False
        from curator.fields import texts
        from curator.services.editing import SD_SE_FIELDS

        shown = texts(self.place.row_at(finding.row))
        expected = {name: shown[name] for name in SD_SE_FIELDS}
        before = self.undo_stack.count()
        self.undo_stack.push(MoveSdToSeCommand(self.state, finding.comparison, finding.row, expected))
        return self.undo_stack.count() > before

    def accept_finding(self, finding: Finding, reason: str | None = None) -> bool:
        """Accept a finding with a reason (stored with its fingerprint, audited): the service's use case."""
        if reason is None:
            reason, ok = QInputDialog.getText(
                self.parent_widget,
                "Accept finding",
                f"{finding.severity.upper()}  {finding.message}\n\nWhy is this acceptable?",
            )
            if not ok:
                return False
        if not reason.strip():
            QMessageBox.warning(self.parent_widget, "Curator — not accepted", "A reason is needed to accept a finding.")
            return False
        ok, _accepted = self.state.run(lambda: self.state.service.findings.accept([finding], reason))
        if ok:
            self.state.acceptances_changed.emit()
            self.state.message.emit(f"Accepted: {finding.message} ({_about(self.state, finding)})")
        return ok


def _rows(count: int) -> str:
    return "1 row" if count == 1 else f"{count} rows"


def _about(state: ReviewState, finding: Finding) -> str:
    """What a finding is about, in people's words: a field of a row, a row, or a reference."""
    if finding.reference is not None:
        return f"reference {finding.reference}"
    if finding.comparison is None or finding.row is None:
        return "the review"
    if finding.field:
        return state.service.field_place(finding.comparison, finding.row, finding.field, finding.endpoint)
    return row_place(finding.comparison, finding.row, finding.endpoint)
