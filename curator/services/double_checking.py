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
    from curator.review import Evidence
    from curator.store.adjudication import Item
    from curator.store.double_entry import DoubleEntryResult
    from curator.store.merge import MergeSummary

__all__ = ["DoubleChecking"]


class DoubleChecking(Part):
    """Verification, double entry, merge and adjudication on one open review."""

    def verify_field(self, comparison: str, position: int, name: str) -> str:
        """Confirm one field against the source (it becomes verified by this reviewer); the row's status.

        The audit log records what it was checked against: the field's evidence (its page in the paper),
        or that it had none: verified without a located source (``verified-against``, told by History)."""
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

    def fix_field(
        self, comparison: str, position: int, name: str, text: str, *, evidence: Evidence | None = None
    ) -> str:
        """Fix a value: replace it with the one read in the source (then confirmed by the fixer; the audit log
        keeps the old and the new value); the row's status.

        With ``evidence`` (the fixer selected the right text in the paper), it becomes where the value was
        read, in the same transaction, and the verification is recorded as checked against it; without,
        the field's old evidence goes (it documented the old value) and the verification is recorded as
        made without a located source."""
        from curator.store.verification import correct_field

        with self._service.writing() as session:
            return correct_field(session, comparison, position, name, text, self._who, evidence=evidence)

    def fix_from_paper(self, comparison: str, position: int, name: str, selected: str, evidence: Evidence) -> str:
        """Fix a value by selecting the right text in the paper (issue 14, verify against the paper): the
        value read from ``selected`` as :meth:`Editing.capture <curator.services.editing.Editing.capture>`
        reads it (``42.6%`` gives 42.6), with ``evidence`` as where it was read, then confirmed by the fixer
        (:meth:`fix_field`); the row's status. Refused, nothing written, when the selection gives no value
        for this field (no number, several, or an arm's result without it)."""
        from curator.capture import captured_fields
        from curator.naming import field_label
        from curator.store.field_states import load_row
        from curator.store.verification import correct_field

        with self._service.writing() as session:
            stored = load_row(session.connection(), comparison, position, name)
            row = stored.row
            try:
                texts = captured_fields(name, selected, measure=row.measure, unit=row.unit)
            except ValueError as exc:
                raise CuratorError(f"{stored.at(name)}: not fixed: {exc}; nothing was written") from None
            if name not in texts:
                gives = ", ".join(field_label(field, stored.arms) for field in texts)
                raise CuratorError(
                    f"{stored.at(name)}: not fixed: the selection {' '.join(selected.split())!r} gives {gives}, "
                    "not this value; select the value itself; nothing was written"
                )
            return correct_field(session, comparison, position, name, texts[name], self._who, evidence=evidence)

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
        if theirs.exists() and not self._service.on_server and theirs.resolve() == self._service.file.resolve():
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
