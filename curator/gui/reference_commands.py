"""The References tab's changes as undoable commands.

Each command calls one core service of :mod:`curator.store.references` in
its own audited transaction, through the tab's
:meth:`~curator.gui.references_view.ReferencesView.apply`, and keeps what it
needs to put things back: undo is itself a saved, audited change. A command
refused on its first run (a key taken, a reference still cited) marks
itself obsolete and leaves the stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from curator.review import AcceptedFinding, Reference

if TYPE_CHECKING:
    from curator.gui.references_view import ReferencesView

__all__ = ["AddReferenceCommand", "SetReferenceFieldCommand", "DeleteReferencesCommand"]


class _Command(QUndoCommand):
    def __init__(self, view: ReferencesView, text: str) -> None:
        super().__init__(text)
        self.view = view
        self.done_once = False

    def run(self, change: Any, select: str | None) -> tuple[bool, Any]:
        """Run a change; a refusal the first time makes the command obsolete."""
        ok, result = self.view.apply(change, select)
        if not ok and not self.done_once:
            self.setObsolete(True)
        self.done_once = self.done_once or ok
        return ok, result


class AddReferenceCommand(_Command):
    """A new reference at a position (the end when None); undo deletes it."""

    def __init__(self, view: ReferencesView, ref: Reference, position: int | None = None) -> None:
        super().__init__(view, f"add reference {ref.key}")
        self.ref, self.position = ref, position

    def redo(self) -> None:
        from curator.store.references import add_reference

        self.run(lambda s: add_reference(s, self.ref, self.view.who, self.position), self.ref.key)

    def undo(self) -> None:
        from curator.store.references import delete_reference

        self.run(lambda s: delete_reference(s, self.ref.key, self.view.who), None)


class SetReferenceFieldCommand(_Command):
    """One field's change, from its old text to its new; undo types the old text back."""

    def __init__(self, view: ReferencesView, key: str, name: str, old: str, new: str) -> None:
        super().__init__(view, f"change {name} of reference {key}")
        self.key, self.name, self.old, self.new = key, name, old, new

    def _set(self, key: str, text: str) -> None:
        from curator.store.references import set_reference_field

        after = text if self.name == "key" else key
        self.run(lambda s: set_reference_field(s, key, self.name, text, self.view.who), after)

    def redo(self) -> None:
        self._set(self.key, self.new)

    def undo(self) -> None:
        self._set(self.new if self.name == "key" else self.key, self.old)


class DeleteReferencesCommand(_Command):
    """Delete uncited references, all in one transaction (one cited: none is
    deleted, and every refusal is named); undo puts each back where it was,
    with the acceptances of findings about it."""

    def __init__(self, view: ReferencesView, keys: list[str]) -> None:
        super().__init__(view, f"delete reference {keys[0]}" if len(keys) == 1 else f"delete {len(keys)} references")
        self.keys = keys
        #: (position, reference, acceptances) in the order deleted
        self.deleted: list[tuple[int, Reference, list[AcceptedFinding]]] = []

    def redo(self) -> None:
        from curator.errors import CuratorError
        from curator.store.references import delete_reference, reference_acceptances

        def change(session: Any) -> list[tuple[int, Reference, list[AcceptedFinding]]]:
            deleted, refused = [], []
            for key in self.keys:
                try:  # a refusal writes nothing, so the others can still be tried and named
                    acceptances = reference_acceptances(session, key)
                    position, ref = delete_reference(session, key, self.view.who)
                except CuratorError as exc:
                    refused.append(str(exc))
                else:
                    deleted.append((position, ref, acceptances))
            if refused:
                raise CuratorError("\n".join(refused))
            return deleted

        ok, result = self.run(change, None)
        if ok:
            self.deleted = result

    def undo(self) -> None:
        from curator.store.references import restore_reference

        def change(session: Any) -> None:
            for position, ref, acceptances in reversed(self.deleted):
                restore_reference(session, position, ref, self.view.who, acceptances=acceptances)

        if self.deleted:
            self.run(change, self.deleted[0][1].key)
