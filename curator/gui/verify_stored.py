"""What verify mode's paper needs of the review as stored: the row shown, with its evidence, and the references.

Read through the services (:meth:`~curator.services.ReviewService.stored_rows`,
:meth:`~curator.services.ReviewService.reference_list`), once a comparison and
once a walk, and read again when they change: another reviewer's change
(``ReviewState.others_changed``, :meth:`AsStored.forget`) or the row shown
read again (:meth:`AsStored.forget_rows`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from curator.errors import CuratorError

if TYPE_CHECKING:
    from curator.review import Reference, Row
    from curator.services import ReviewService, StoredRows
    from curator.services.live import Changes

__all__ = ["AsStored"]


class AsStored:
    """The rows of the comparisons asked for and the review's references, as stored when last read."""

    def __init__(self, service: Callable[[], ReviewService]) -> None:
        self._service = service
        self._stored: dict[str, StoredRows] = {}
        self._references: list[Reference] | None = None

    def row(self, place: tuple[str, int]) -> Row | None:
        """The row at ``place`` as stored now, with its evidence (None when there is none, or it cannot be
        read)."""
        comparison, position = place
        try:
            rows = self._stored.get(comparison)
            if rows is None:
                rows = self._stored[comparison] = self._service().stored_rows(comparison)
            return rows.take(position, position + 1)[0] if 0 <= position < len(rows) else None
        except CuratorError:
            return None

    def references(self) -> list[Reference]:
        """The review's references (none when they cannot be read)."""
        if self._references is None:
            try:
                self._references = self._service().reference_list()
            except CuratorError:
                self._references = []
        return self._references

    def forget(self, changes: Changes) -> None:
        """Someone else changed the review: what they changed is read again when next asked for."""
        from curator.services.live import ALL

        touched = {comparison for comparison, _position in changes.rows} | set(changes.moved)
        if ALL in changes.moved or changes.review:
            self._stored.clear()
        for comparison in touched:
            self._stored.pop(comparison, None)
        if changes.references:
            self._references = None

    def forget_rows(self, comparison: str) -> None:
        """The rows of ``comparison`` are read again when next asked for."""
        self._stored.pop(comparison, None)
