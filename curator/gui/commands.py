"""Every change a reviewer makes in the window, as an undoable command.

Each command calls one use case of the review's service
(:class:`~curator.services.ReviewService`) through the shared
:class:`~curator.gui.state.ReviewState`, which shows a refusal, and keeps
what it needs to put things back: undo is itself a saved, audited change,
never a rollback of history. A command whose first run is refused (a bad
value, a row changed elsewhere) marks itself obsolete and leaves the stack.

Edits are compare-and-set in both directions: redo expects the old value
to be stored, undo expects the new one. When the value has moved under
the command (a verify-mode fix, a merge, another window), the undo is
refused with a message naming the field and both values, nothing is
written, and the command leaves the stack. Undoing back to a value a
reviewer verified verifies it again only if the audit log shows that
exact value verified.

Evidence (where a value was read in the paper, issue 14) goes back and
forth with the values: a command keeps each field's evidence before and
after it (an edit that changed a value dropped the old evidence; undo
brings it back), compare-and-set too. :class:`CaptureCommand` fills a field
from text selected in the paper; :class:`EvidenceCommand` accepts a place
Locate found (or clears it) without changing the value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from curator.errors import StaleWrite
from curator.naming import row_number, row_place
from curator.review import AcceptedFinding, Comparison, Evidence, Row

if TYPE_CHECKING:
    from curator.gui.state import ReviewState

__all__ = [
    "EditCommand",
    "EditFieldsCommand",
    "MoveSdToSeCommand",
    "CaptureCommand",
    "EvidenceCommand",
    "InsertRowCommand",
    "DeleteRowCommand",
    "DuplicateRowCommand",
    "MoveRowCommand",
    "NewComparisonCommand",
    "DeleteComparisonCommand",
]


class _Command(QUndoCommand):
    def __init__(self, state: ReviewState, text: str) -> None:
        super().__init__(text)
        self.state = state

    @property
    def service(self) -> Any:
        return self.state.service

    def _run(self, change: Callable[[], Any], on_stale: Callable[[StaleWrite], None] | None = None) -> tuple[bool, Any]:
        """Run a change; a refused one makes the command obsolete (it leaves the stack). ``on_stale`` hears a
        refusal because the value moved meanwhile, instead of a message box."""
        ok, result = self.state.run(change, on_stale=on_stale)
        if not ok:
            self.setObsolete(True)
        return ok, result


class EditCommand(_Command):
    """One field's change; undo puts the old text back (also saved and audited), if nothing moved meanwhile."""

    def __init__(self, state: ReviewState, comparison: str, position: int, name: str, old: str, new: str) -> None:
        super().__init__(state, f"edit {state.service.field_place(comparison, position, name, short=True)}")
        self.comparison, self.position = comparison, position
        self.name, self.old, self.new = name, old, new
        #: Each field this step changes: name -> (old text, new text).
        self.changes: dict[str, tuple[str, str]] = {name: (old, new)}
        #: Each field whose evidence this step changed: name -> (old, new), None for none (learnt on the
        #: first run: a changed value drops the evidence of the old one, and undo brings it back).
        self.evidence_changes: dict[str, tuple[Evidence | None, Evidence | None]] = {}
        #: The audit log's last entry after this command last wrote the field (None before its first run).
        self.audit_id: int | None = None

    def _set(self, back: bool) -> None:
        again = self.audit_id is not None
        texts = {name: old if back else new for name, (old, new) in self.changes.items()}
        expected = {name: new if back else old for name, (old, new) in self.changes.items()}
        moved = self.evidence_changes
        evidence = {name: old if back else new for name, (old, new) in moved.items()} if again else None
        expected_evidence = {name: new if back else old for name, (old, new) in moved.items()} if again else None
        ok, saved = self._run(
            lambda: self.service.rows.edit_fields(
                self.comparison,
                self.position,
                texts,
                expected=expected,
                evidence=evidence,
                expected_evidence=expected_evidence,
                since=self.audit_id,
                ignore=self.state.undoable_entries,
                restore_verified=again,
            ),
            None if again else self._stale,
        )
        if ok:
            if not again:
                self.evidence_changes = dict(saved.evidence_changes)
            self._saved(saved)

    def _stale(self, error: StaleWrite) -> None:
        """The typed value was refused because the stored one moved under it (someone else changed it): the
        window shows theirs and yours (``stale_refused``), and may push this edit again on theirs."""
        self.state.stale_refused.emit(error, dict(self.changes))

    def _saved(self, saved: Any) -> None:
        """Keep what a run wrote (for the next compare-and-set) and show the row as stored."""
        self.audit_id = saved.audit_id
        self.state.undoable_entries.append((saved.first_entry, saved.audit_id))
        self.state.row_saved.emit(self.comparison, self.position, saved.row)

    def redo(self) -> None:
        self._set(back=False)

    def undo(self) -> None:
        self._set(back=True)


class EditFieldsCommand(EditCommand):
    """Several fields of a row changed by one typing (an arm's cell typed ``35.6% (95/267)``): saved in one
    transaction, undone in one step, compare-and-set for every field."""

    def __init__(
        self, state: ReviewState, comparison: str, position: int, changes: Mapping[str, tuple[str, str]]
    ) -> None:
        from curator.fields import row_field

        first = next(iter(changes))
        super().__init__(state, comparison, position, first, *changes[first])
        self.changes = dict(changes)
        labels = ", ".join(row_field(name).label for name in self.changes)
        self.setText(f"change {labels} of {comparison} row {position + 1}")


class MoveSdToSeCommand(EditCommand):
    """The arms' SDs moved to their SE fields (an ``md-precision`` finding's fix): one use case of the
    service the first time (:meth:`~curator.services.editing.Editing.move_sd_to_se`, compare-and-set against
    the SDs and SEs the reviewer saw), then undone and redone as one step like any edit of several fields."""

    def __init__(self, state: ReviewState, comparison: str, position: int, expected: Mapping[str, str]) -> None:
        super().__init__(state, comparison, position, "intervention.sd", "", "")
        self.setText(f"move SDs to SE in {row_place(comparison, position)}")
        self.expected = dict(expected)
        self.changes = {}

    def redo(self) -> None:
        if self.audit_id is not None:  # a redo after an undo: the same fields, compare-and-set
            super().redo()
            return
        ok, moved = self._run(
            lambda: self.service.rows.move_sd_to_se(self.comparison, self.position, expected=self.expected)
        )
        if ok:
            self.changes = dict(moved.changes)
            self.evidence_changes = dict(moved.evidence_changes)
            self._saved(moved)


class CaptureCommand(EditCommand):
    """A field filled from text selected in the paper, with its evidence (issue 14, Capture): one use case of
    the service the first time (:meth:`~curator.services.editing.Editing.capture`: the number as printed,
    an arm's events, n and value at once, the row's empty source from the page), then undone and redone as
    one step like any edit of several fields: texts and evidence back, compare-and-set on both."""

    def __init__(
        self,
        state: ReviewState,
        comparison: str,
        position: int,
        field: str,
        selected: str,
        evidence: Evidence,
        expected: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(state, comparison, position, field, "", "")
        self.setText(f"capture {state.service.field_place(comparison, position, field, short=True)}")
        self.field, self.selected, self.evidence = field, selected, evidence
        self.expected = dict(expected) if expected is not None else None
        self.changes = {}

    def redo(self) -> None:
        if self.audit_id is not None:  # a redo after an undo: the same texts and evidence, compare-and-set
            super().redo()
            return
        ok, captured = self._run(
            lambda: self.service.rows.capture(
                self.comparison, self.position, self.field, self.selected, self.evidence, expected=self.expected
            )
        )
        if ok:
            self.changes = dict(captured.changes)
            self.evidence_changes = dict(captured.evidence_changes)
            self._saved(captured)


class EvidenceCommand(_Command):
    """A place Locate found accepted as where a value was read (or, with None, the value's evidence cleared),
    the value unchanged; undo puts the old evidence back. Compare-and-set both ways: the value must still
    be ``expected_text``, and the evidence what this step left (or found)."""

    def __init__(
        self,
        state: ReviewState,
        comparison: str,
        position: int,
        field: str,
        evidence: Evidence | None,
        expected_text: str,
    ) -> None:
        what = "accept where" if evidence is not None else "clear where"
        place = state.service.field_place(comparison, position, field, short=True)
        super().__init__(state, f"{what} {place} was read")
        self.comparison, self.position, self.field = comparison, position, field
        self.evidence, self.expected_text = evidence, expected_text
        #: (old, new) evidence once the first run saved it.
        self.change: tuple[Evidence | None, Evidence | None] | None = None

    def _put(self, evidence: Evidence | None, expected: Any) -> bool:
        ok, done = self._run(
            lambda: self.service.rows.set_evidence(
                self.comparison,
                self.position,
                self.field,
                evidence,
                expected_text=self.expected_text,
                expected_evidence=expected,
            )
        )
        if ok:
            self.state.undoable_entries.append((done.first_entry, done.audit_id))
            self.state.row_saved.emit(self.comparison, self.position, done.row)
            if self.change is None:
                change = done.evidence_changes.get(self.field)
                self.change = change if change is not None else (self.evidence, self.evidence)
        return ok

    def redo(self) -> None:
        if self.change is None:
            from curator.services.editing import UNCHECKED

            self._put(self.evidence, UNCHECKED)
        else:
            old, new = self.change
            self._put(new, old)

    def undo(self) -> None:
        if self.change is not None:
            old, new = self.change
            self._put(old, new)


class InsertRowCommand(_Command):
    """A new row (blank, or a given one) at a position; undo deletes it, if it is still as this step left it."""

    def __init__(self, state: ReviewState, comparison: str, position: int, row: Row) -> None:
        super().__init__(state, f"new {row_place(comparison, position)}")
        self.comparison, self.position, self.row = comparison, position, row
        self.stored: Row | None = None

    def redo(self) -> None:
        ok, stored = self._run(lambda: self.service.rows.insert_row(self.comparison, self.position, self.row))
        self.stored = stored if ok else None
        self.state.rows_changed.emit(self.comparison, self.position)

    def undo(self) -> None:
        expected = self.stored
        self._run(lambda: self.service.rows.delete_row(self.comparison, self.position, expected=expected))
        self.state.rows_changed.emit(self.comparison, self.position - 1)


class DeleteRowCommand(_Command):
    """Delete a row; undo inserts it back, equal in every field, with its acceptances."""

    def __init__(self, state: ReviewState, comparison: str, position: int, shown: Row | None = None) -> None:
        super().__init__(state, f"delete {row_place(comparison, position)}")
        self.comparison, self.position = comparison, position
        self.row: Row | None = None
        self.acceptances: list[AcceptedFinding] = []
        #: The first time, the row as the reviewer saw it (refused if someone changed it meanwhile).
        self.stored: Row | None = shown

    def redo(self) -> None:
        expected = self.stored
        ok, result = self._run(lambda: self.service.rows.delete_row(self.comparison, self.position, expected=expected))
        if ok:
            self.row, self.acceptances = result
        self.state.rows_changed.emit(self.comparison, self.position)

    def undo(self) -> None:
        if self.row is not None:
            row, kept = self.row, self.acceptances
            ok, stored = self._run(lambda: self.service.rows.insert_row(self.comparison, self.position, row, kept))
            self.stored = stored if ok else None
        self.state.rows_changed.emit(self.comparison, self.position)


class DuplicateRowCommand(_Command):
    """A copy of a row right below it, as a new draft; undo deletes the copy, if it is still as it was made."""

    def __init__(self, state: ReviewState, comparison: str, position: int) -> None:
        super().__init__(state, f"duplicate {row_place(comparison, position)}")
        self.comparison, self.position = comparison, position
        self.copy: Row | None = None

    def redo(self) -> None:
        ok, result = self._run(lambda: self.service.rows.duplicate_row(self.comparison, self.position))
        self.copy = result[1] if ok else None
        self.state.rows_changed.emit(self.comparison, self.position + 1)

    def undo(self) -> None:
        copy = self.copy
        self._run(lambda: self.service.rows.delete_row(self.comparison, self.position + 1, expected=copy))
        self.state.rows_changed.emit(self.comparison, self.position)


class MoveRowCommand(_Command):
    """Move a row up or down its comparison; undo moves it back, if it is still the row this step moved."""

    def __init__(self, state: ReviewState, comparison: str, position: int, to: int, shown: Row | None = None) -> None:
        super().__init__(state, f"move {row_place(comparison, position)} to row {row_number(to)}")
        self.comparison, self.position, self.to = comparison, position, to
        self.moved: Row | None = None
        #: The first time, the row as the reviewer saw it (refused if someone changed it meanwhile).
        self.back: Row | None = shown

    def redo(self) -> None:
        back = self.back
        ok, moved = self._run(
            lambda: self.service.rows.move_row(self.comparison, self.position, self.to, expected=back)
        )
        self.moved = moved if ok else None
        self.state.rows_changed.emit(self.comparison, self.to)

    def undo(self) -> None:
        moved = self.moved
        ok, back = self._run(
            lambda: self.service.rows.move_row(self.comparison, self.to, self.position, expected=moved)
        )
        self.back = back if ok else None
        self.state.rows_changed.emit(self.comparison, self.position)


class NewComparisonCommand(_Command):
    """A new, empty comparison at the end of the review."""

    def __init__(self, state: ReviewState, key: str, title: str, intervention: str, comparator: str) -> None:
        super().__init__(state, f"new comparison {key}")
        self.fields = (key, title, intervention, comparator)

    def redo(self) -> None:
        self._run(lambda: self.service.rows.new_comparison(*self.fields))
        self.state.rows_changed.emit(self.fields[0], 0)

    def undo(self) -> None:
        self._run(lambda: self.service.rows.delete_comparison(self.fields[0], only_empty=True))
        self.state.rows_changed.emit(None, 0)


class DeleteComparisonCommand(_Command):
    """Delete a comparison with its rows; undo restores it whole, with its acceptances.

    A big comparison is deleted and restored on a worker (:mod:`curator.gui.edit_actions`): the work
    is done first, and only then is the command pushed, undone or redone, with its outcome
    (:meth:`prepare`) taken instead of calling the service again. So a cancelled delete is never
    on the stack, a cancelled undo or redo leaves the stack where it was, and a refused one makes
    the command obsolete, as a refusal on the GUI thread does.
    """

    def __init__(
        self, state: ReviewState, key: str, saved: tuple[int, Comparison, list[AcceptedFinding]] | None = None
    ) -> None:
        super().__init__(state, f"delete comparison {key}")
        self.key = key
        self.saved: tuple[int, Comparison, list[AcceptedFinding]] | None = None
        #: The outcome of the next redo or undo, already done on a worker: (ok, result).
        self.prepared: tuple[bool, Any] | None = None
        if saved is not None:
            self.prepare(True, saved)

    @property
    def rows(self) -> int:
        """How many rows the deleted comparison had (0 before it is deleted)."""
        return 0 if self.saved is None else len(self.saved[1].rows)

    def prepare(self, ok: bool, result: Any = None) -> None:
        """The next redo or undo was done elsewhere (on a worker), with this outcome: take it as is."""
        self.prepared = (ok, result)

    def _take(self, change: Callable[[], Any]) -> tuple[bool, Any]:
        if self.prepared is None:
            return self._run(change)
        (ok, result), self.prepared = self.prepared, None
        if not ok:
            self.setObsolete(True)
        return ok, result

    def redo(self) -> None:
        seen = self.state.seen  # others' changes to its rows since the window showed them: refused
        ok, result = self._take(lambda: self.service.rows.delete_comparison(self.key, seen=seen))
        if ok:
            self.saved = result
        self.state.rows_changed.emit(None, 0)

    def undo(self) -> None:
        if self.saved is not None:
            position, comparison, kept = self.saved
            self._take(lambda: self.service.rows.restore_comparison(position, comparison, kept))
        self.state.rows_changed.emit(self.key, 0)
