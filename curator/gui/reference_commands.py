"""The References tab's changes as undoable commands.

Each command calls one use case of the review's service
(:class:`~curator.services.references.References`) in its own audited
transaction, through the tab's
:meth:`~curator.gui.references_view.ReferencesView.apply`, and keeps what it
needs to put things back: undo is itself a saved, audited change. A command
refused on its first run (a key taken, a reference still cited) marks
itself obsolete and leaves the stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from curator.naming import reference_label
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
        self.run(lambda: self.view.state.service.references.add(self.ref, self.position), self.ref.key)

    def undo(self) -> None:
        self.run(lambda: self.view.state.service.references.delete(self.ref.key, expected=self.ref), None)


class SetReferenceFieldCommand(_Command):
    """One field's change, from its old text to its new; undo types the old text back.

    A new key re-points every citation of the old one in the same
    transaction, so renaming and re-pointing are one step to undo. ``citing``
    is how many rows the reviewer was told cite the key: the rename, its undo
    and its redo are each refused when another number of rows cite it then
    (compare-and-set, like the key itself)."""

    def __init__(
        self, view: ReferencesView, key: str, name: str, old: str, new: str, *, citing: int | None = None
    ) -> None:
        text = (
            f"rename reference {key} to {new}" if name == "key" else f"edit {reference_label(name)} of reference {key}"
        )
        super().__init__(view, text)
        self.key, self.name, self.old, self.new = key, name, old, new
        self.citing = citing if name == "key" else None
        #: The field's text as stored by this change (a DOI link is stored bare): what its undo expects.
        self.stored: str | None = None

    def _set(self, key: str, text: str, expected: str) -> str | None:
        after = text if self.name == "key" else key
        references = self.view.state.service.references
        ok, stored = self.run(
            lambda: references.set_field(key, self.name, text, expected=expected, citing=self.citing), after
        )
        return stored if ok else None

    def redo(self) -> None:
        self.stored = self._set(self.key, self.new, self.old)

    def undo(self) -> None:
        now = self.stored or self.new
        self._set(now if self.name == "key" else self.key, self.old, now)


class DeleteReferencesCommand(_Command):
    """Delete uncited references, all in one transaction (one cited: none is
    deleted, and every refusal is named); undo puts each back where it was,
    with the acceptances of findings about it."""

    def __init__(self, view: ReferencesView, keys: list[str], shown: dict[str, Reference] | None = None) -> None:
        super().__init__(view, f"delete reference {keys[0]}" if len(keys) == 1 else f"delete {len(keys)} references")
        self.keys = keys
        #: The references as the reviewer saw them: one changed meanwhile is not deleted unseen.
        self.shown = shown
        #: (position, reference, acceptances) in the order deleted
        self.deleted: list[tuple[int, Reference, list[AcceptedFinding]]] = []

    def redo(self) -> None:
        ok, result = self.run(
            lambda: self.view.state.service.references.delete_many(self.keys, expected=self.shown), None
        )
        if ok:
            self.deleted = result

    def undo(self) -> None:
        if self.deleted:
            deleted = self.deleted
            self.run(lambda: self.view.state.service.references.restore(deleted), deleted[0][1].key)
