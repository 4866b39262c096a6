"""A second pair of eyes: confirm, fix or dispute a value, blind double entry,
another reviewer's file merged in, and adjudication; one audited
transaction each.

The rules of who may do what (nobody verifies a row they extracted; the
adjudicator entered neither value) are the store's, and a refusal writes
nothing. Merging reads the other reviewer's file first, so a file that is
not a review is refused before this review is touched.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from curator.errors import CuratorError
from curator.services.review import Part

if TYPE_CHECKING:
    from curator.progress import Progress
    from curator.store.adjudication import Item
    from curator.store.double_entry import DoubleEntryResult
    from curator.store.merge import MergeSummary

__all__ = ["DoubleChecking"]


class DoubleChecking(Part):
    """Verification, double entry, merge and adjudication on one open review."""

    def verify_field(self, comparison: str, position: int, name: str) -> str:
        """Confirm one field against the source (it becomes verified by this reviewer); the row's status."""
        return self.verify_fields(comparison, position, [name])

    def verify_fields(self, comparison: str, position: int, names: list[str]) -> str:
        """Confirm fields of a row, all in one transaction; the row's status after them."""
        from curator.store.verification import verify_field

        status = ""
        with self._service.writing() as session:
            for name in names:
                status = verify_field(session, comparison, position, name, self._who)
        return status

    def verify_row(self, comparison: str, position: int) -> list[str]:
        """Confirm every field of a row that has a value; the fields verified."""
        from curator.store.verification import verify_row

        with self._service.writing() as session:
            return verify_row(session, comparison, position, self._who)

    def dispute_field(self, comparison: str, position: int, name: str, comment: str) -> None:
        from curator.store.verification import dispute_field

        with self._service.writing() as session:
            dispute_field(session, comparison, position, name, self._who, comment)

    def fix_field(self, comparison: str, position: int, name: str, text: str) -> str:
        """Fix a value: replace it with the one read in the source (then confirmed by the fixer; the audit log
        keeps the old and the new value); the row's status."""
        from curator.store.verification import correct_field

        with self._service.writing() as session:
            return correct_field(session, comparison, position, name, text, self._who)

    def rows_to_verify(self) -> list[tuple[str, int]]:
        """The rows this reviewer may verify and that are not verified yet, in table order."""
        from curator.store.verification import rows_to_verify

        return self._service.read(lambda conn: rows_to_verify(conn, self._who))

    def double_entry(self, comparison: str, position: int, entered: dict[str, str]) -> DoubleEntryResult:
        """Compare this reviewer's blind entry of a row with the stored values."""
        from curator.store.double_entry import double_entry

        with self._service.writing() as session:
            return double_entry(session, comparison, position, entered, self._who)

    def merge(self, theirs: str | Path, *, progress: Progress | None = None) -> MergeSummary:
        """Merge another reviewer's review (a database or a curator/1 file), read first, in one transaction."""
        from curator.services.sources import read_theirs
        from curator.store.merge import merge_review

        theirs = Path(theirs)
        if theirs.exists() and theirs.resolve() == self._service.path.resolve():
            raise CuratorError(f"{theirs}: is the review itself; merge another reviewer's file")
        review = read_theirs(theirs)  # refuses before our file is touched
        with self._service.writing() as session:
            summary = merge_review(session, review, self._who, name=theirs.name, progress=progress)
            if review.documents:
                # Their documents' bytes too: from their review database, or found beside their exchange file.
                from curator.services.importing import store_documents
                from curator.services.sources import is_database

                where = theirs.resolve() if is_database(theirs) else theirs.resolve().parent
                store_documents(session, self._who, review, where)
            return summary

    def adjudication_items(self, *, open_only: bool = True) -> list[Item]:
        from curator.store.adjudication import items

        return self._service.read(lambda conn: items(conn, open_only=open_only))

    def decide(self, item_id: int, choice: str, *, value: str | None = None, reason: str | None = None) -> Item:
        """Decide an adjudication item: ``a``, ``b`` or ``new`` (with ``value`` and ``reason``)."""
        from curator.store.adjudication import decide

        with self._service.writing() as session:
            return decide(session, item_id, choice, self._who, value=value, reason=reason)
