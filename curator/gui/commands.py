"""Every change a reviewer makes in the window, as an undoable command.

Each command calls one core service (``curator.store.edits``,
``curator.store.rows``) in its own audited transaction through the
window's :meth:`~curator.gui.app.MainWindow.write`, and keeps what it needs
to put things back: undo is itself a saved, audited change, never a
rollback of history. A command whose first run is refused (a bad value, a
row changed elsewhere) marks itself obsolete and leaves the stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from curator.review import AcceptedFinding, Comparison, Row

if TYPE_CHECKING:
    from curator.gui.app import MainWindow

__all__ = [
    "EditCommand",
    "InsertRowCommand",
    "DeleteRowCommand",
    "DuplicateRowCommand",
    "MoveRowCommand",
    "NewComparisonCommand",
    "DeleteComparisonCommand",
]


class _Command(QUndoCommand):
    def __init__(self, window: MainWindow, text: str) -> None:
        super().__init__(text)
        self.window = window
        self._done_once = False

    def _run(self, change: Any, then: Any = None) -> Any:
        """Run a change; a refused first run makes the command obsolete."""
        ok, result = self.window.write(change)
        if not ok:
            self.setObsolete(True)
        elif then is not None:
            then(result)
        return result


class EditCommand(_Command):
    """One field's change; undo puts the old text back (also saved and audited)."""

    def __init__(self, window: MainWindow, comparison: str, position: int, name: str, old: str, new: str) -> None:
        super().__init__(window, f"change {name} of {comparison}[{position}]")
        self.comparison, self.position = comparison, position
        self.name, self.old, self.new = name, old, new

    def redo(self) -> None:
        if not self.window.apply_edit(self.comparison, self.position, self.name, self.new):
            self.setObsolete(True)

    def undo(self) -> None:
        self.window.apply_edit(self.comparison, self.position, self.name, self.old)


class InsertRowCommand(_Command):
    """A new row (blank, or a given one) at a position."""

    def __init__(self, window: MainWindow, comparison: str, position: int, row: Row) -> None:
        super().__init__(window, f"new row in {comparison}")
        self.comparison, self.position, self.row = comparison, position, row

    def redo(self) -> None:
        from curator.store.rows import insert_row

        self._run(lambda s: insert_row(s, self.comparison, self.position, self.row, self.window.who))
        self.window.rows_changed(self.comparison, self.position)

    def undo(self) -> None:
        from curator.store.rows import delete_row

        self._run(lambda s: delete_row(s, self.comparison, self.position, self.window.who))
        self.window.rows_changed(self.comparison, self.position - 1)


class DeleteRowCommand(_Command):
    """Delete a row; undo inserts it back, equal in every field, with its acceptances."""

    def __init__(self, window: MainWindow, comparison: str, position: int) -> None:
        super().__init__(window, f"delete row {comparison}[{position}]")
        self.comparison, self.position = comparison, position
        self.row: Row | None = None
        self.acceptances: list[AcceptedFinding] = []

    def redo(self) -> None:
        from curator.store.rows import acceptances_of, delete_row

        def change(session: Any) -> tuple[list[AcceptedFinding], Row]:
            kept = acceptances_of(session, self.comparison, self.position)
            return kept, delete_row(session, self.comparison, self.position, self.window.who)

        def keep(result: tuple[list[AcceptedFinding], Row]) -> None:
            self.acceptances, self.row = result

        self._run(change, keep)
        self.window.rows_changed(self.comparison, self.position)

    def undo(self) -> None:
        from curator.store.rows import insert_row

        if self.row is not None:
            row, kept = self.row, self.acceptances
            self._run(lambda s: insert_row(s, self.comparison, self.position, row, self.window.who, acceptances=kept))
        self.window.rows_changed(self.comparison, self.position)


class DuplicateRowCommand(_Command):
    """A copy of a row right below it, as a new draft."""

    def __init__(self, window: MainWindow, comparison: str, position: int) -> None:
        super().__init__(window, f"duplicate row {comparison}[{position}]")
        self.comparison, self.position = comparison, position

    def redo(self) -> None:
        from curator.store.rows import duplicate_row

        self._run(lambda s: duplicate_row(s, self.comparison, self.position, self.window.who))
        self.window.rows_changed(self.comparison, self.position + 1)

    def undo(self) -> None:
        from curator.store.rows import delete_row

        self._run(lambda s: delete_row(s, self.comparison, self.position + 1, self.window.who))
        self.window.rows_changed(self.comparison, self.position)


class MoveRowCommand(_Command):
    """Move a row up or down its comparison."""

    def __init__(self, window: MainWindow, comparison: str, position: int, to: int) -> None:
        super().__init__(window, f"move row {comparison}[{position}] to {to}")
        self.comparison, self.position, self.to = comparison, position, to

    def redo(self) -> None:
        from curator.store.rows import move_row

        self._run(lambda s: move_row(s, self.comparison, self.position, self.to, self.window.who))
        self.window.rows_changed(self.comparison, self.to)

    def undo(self) -> None:
        from curator.store.rows import move_row

        self._run(lambda s: move_row(s, self.comparison, self.to, self.position, self.window.who))
        self.window.rows_changed(self.comparison, self.position)


class NewComparisonCommand(_Command):
    """A new, empty comparison at the end of the review."""

    def __init__(self, window: MainWindow, key: str, title: str, intervention: str, comparator: str) -> None:
        super().__init__(window, f"new comparison {key}")
        self.fields = (key, title, intervention, comparator)

    def redo(self) -> None:
        from curator.store.rows import new_comparison

        self._run(lambda s: new_comparison(s, *self.fields, self.window.who))
        self.window.comparisons_changed(self.fields[0])

    def undo(self) -> None:
        from curator.store.rows import delete_comparison

        self._run(lambda s: delete_comparison(s, self.fields[0], self.window.who))
        self.window.comparisons_changed(None)


class DeleteComparisonCommand(_Command):
    """Delete a comparison with its rows; undo restores it whole, with its acceptances."""

    def __init__(self, window: MainWindow, key: str) -> None:
        super().__init__(window, f"delete comparison {key}")
        self.key = key
        self.saved: tuple[int, Comparison] | None = None
        self.acceptances: list[AcceptedFinding] = []

    def redo(self) -> None:
        from curator.store.rows import acceptances_of, delete_comparison

        def change(session: Any) -> tuple[list[AcceptedFinding], tuple[int, Comparison]]:
            kept = acceptances_of(session, self.key)
            return kept, delete_comparison(session, self.key, self.window.who)

        def keep(result: tuple[list[AcceptedFinding], tuple[int, Comparison]]) -> None:
            self.acceptances, self.saved = result

        self._run(change, keep)
        self.window.comparisons_changed(None)

    def undo(self) -> None:
        from curator.store.rows import restore_comparison

        if self.saved is not None:
            position, comparison = self.saved
            kept = self.acceptances
            self._run(lambda s: restore_comparison(s, position, comparison, self.window.who, acceptances=kept))
        self.window.comparisons_changed(self.key)
