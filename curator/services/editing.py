"""Changing a review's rows and comparisons, one audited transaction each.

Every method is one use case: it opens its own write transaction, writes its
audit entries, and returns what the caller needs to show the result or to
put it back (an undo is itself a saved, audited change through these same
methods, never a rollback of history). A refusal raises
:class:`~curator.errors.CuratorError` and writes nothing.

Editing a field is compare-and-set: the caller says which value it expects
to be stored (:meth:`Editing.edit_field`'s ``expected``), and a value that
moved under it (a verify-mode fix, a merge, another window) is not
overwritten: the change is refused with a message naming the field and
both values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from curator.errors import CuratorError
from curator.fields import shown
from curator.fields import texts as field_texts
from curator.naming import Arms, field_place, row_place
from curator.review import AcceptedFinding, Comparison, Row
from curator.services.review import Part
from curator.store.edits import UNCHECKED

if TYPE_CHECKING:
    pass

__all__ = ["Editing", "Saved", "Moved", "UNCHECKED"]


@dataclass(frozen=True)
class Saved:
    """A field saved: the row as stored, and the audit log's last entry after it."""

    row: Row
    #: The first and last audit log entries this change wrote (first > last when it wrote none).
    first_entry: int
    audit_id: int


@dataclass(frozen=True)
class Moved(Saved):
    """The arms' SDs moved to their SE fields: the row as stored, the audit entries written, and each field
    changed (field -> (old text, new text)), to undo it as one step."""

    changes: Mapping[str, tuple[str, str]]


#: The fields :meth:`Editing.move_sd_to_se` reads and changes.
SD_SE_FIELDS = tuple(f"{arm}.{name}" for arm in ("intervention", "comparator") for name in ("sd", "se"))


class Editing(Part):
    """The rows and comparisons of one open review."""

    def edit_field(self, comparison: str, position: int, name: str, text: str) -> Row:
        """Set field ``name`` of a row to ``text`` (as typed), whatever is stored; the row as stored."""
        return self.edit(comparison, position, name, text).row

    def edit(
        self,
        comparison: str,
        position: int,
        name: str,
        text: str,
        *,
        expected: str | None = UNCHECKED,
        since: int | None = None,
        ignore: Sequence[tuple[int, int]] = (),
        restore_verified: bool = False,
    ) -> Saved:
        """Set field ``name`` of a row to ``text`` (as typed), compare-and-set.

        Refused, naming the field and both values, when ``expected`` (the
        field's text as the caller saw it) is not what is stored, or when the
        audit log shows anyone acted on the field after entry ``since`` (a
        verification, a dispute, a change and back), except entries in the
        ``ignore`` ranges (the caller's own undoable changes). ``restore_verified``
        (undo and redo) verifies the field again if the audit log shows this
        exact value was verified. Returns the row as stored and the audit
        log's last entry, for the next compare-and-set.
        """
        return self.edit_fields(
            comparison,
            position,
            {name: text},
            expected=None if expected is UNCHECKED else {name: expected or ""},
            since=since,
            ignore=ignore,
            restore_verified=restore_verified,
        )

    def edit_fields(
        self,
        comparison: str,
        position: int,
        texts: Mapping[str, str],
        *,
        expected: Mapping[str, str] | None = None,
        since: int | None = None,
        ignore: Sequence[tuple[int, int]] = (),
        restore_verified: bool = False,
    ) -> Saved:
        """Set several fields of a row at once (an arm's cell typed ``35.6% (95/267)``): one transaction,
        one step to undo, an audit entry per field changed.

        Each field as :meth:`edit` sets one, compare-and-set against its text in ``expected`` (fields it
        does not name are not compared); a refusal of any of them writes nothing at all.
        """
        from curator.store.edits import last_entry, set_row_field

        with self._service.writing() as session:
            first = last_entry(session.connection()) + 1  # the write lock is held: ids follow on
            row: Row | None = None
            for name, text in texts.items():
                row = set_row_field(
                    session,
                    comparison,
                    position,
                    name,
                    text,
                    self._who,
                    expected=expected[name] if expected is not None and name in expected else UNCHECKED,
                    since=since,
                    ignore=ignore,
                    restore_verified=restore_verified,
                )
            if row is None:
                raise CuratorError(f"{comparison}[{position}]: no field to change; nothing was written")
            return Saved(row, first, last_entry(session.connection()))

    def move_sd_to_se(self, comparison: str, position: int, *, expected: Mapping[str, str] | None = None) -> Moved:
        """The SDs a reviewer typed are the paper's standard errors (an ``md-precision`` finding whose remedy
        is ``sd-as-se`` says so): move each arm's SD to its SE field and clear the SD, in one transaction
        with an audit entry per field, undone as one step (:meth:`edit_fields` with the changes back).

        An arm whose SD is empty or ``NR`` is left as it is. Compare-and-set: ``expected`` holds the arms'
        SD and SE texts as the caller saw them (any of :data:`SD_SE_FIELDS`); refused, naming the field and
        both values, when one moved meanwhile. Refused too when no arm has an SD to move, or when an arm's
        SE already holds another value (it would be lost). A refusal writes nothing.
        """
        from curator.store.edits import arms_of, last_entry, set_row_field

        with self._service.writing() as session:
            conn = session.connection()
            first = last_entry(conn) + 1
            row = _stored(session, comparison, position)
            arms = arms_of(conn, comparison)
            now = field_texts(row)
            for name, text in (expected or {}).items():
                if now.get(name, "") != text:
                    raise CuratorError(
                        f"{field_place(comparison, position, name, row.endpoint, arms)}: the SDs were not moved: "
                        f"it is now {shown(now.get(name, ''))}, not {shown(text)} as this change expected "
                        "(it was changed meanwhile: a verification, a merge or another window); nothing was written"
                    )
            changes = _sd_to_se_changes(comparison, position, row, now, arms)
            for name, (old, new) in changes.items():
                row = set_row_field(session, comparison, position, name, new, self._who, expected=old)
            return Moved(row, first, last_entry(conn), changes)

    def blank_row(self) -> Row:
        """The row a reviewer starts from (not stored)."""
        from curator.store.rows import new_row

        return new_row(self._who)

    def insert_row(
        self, comparison: str, position: int, row: Row, acceptances: list[AcceptedFinding] | None = None
    ) -> Row:
        """Put ``row`` at ``position`` (with accepted findings about it, when it comes back from a delete);
        the row as stored."""
        from curator.store.rows import insert_row

        with self._service.writing() as session:
            insert_row(session, comparison, position, row, self._who, acceptances=acceptances or [])
            return _stored(session, comparison, position)

    def delete_row(
        self, comparison: str, position: int, *, expected: Row | None = None
    ) -> tuple[Row, list[AcceptedFinding]]:
        """Delete a row; the row as it was and its accepted findings, to put it back.

        With ``expected`` (the row as the caller last stored it: an undo), refused when the row there is
        another or was changed since, so an undo never deletes someone else's work."""
        from curator.store.rows import acceptances_of, delete_row

        with self._service.writing() as session:
            _check(session, comparison, position, expected, "deleted")
            kept = acceptances_of(session, comparison, position)
            return delete_row(session, comparison, position, self._who), kept

    def duplicate_row(self, comparison: str, position: int) -> tuple[int, Row]:
        """Copy a row right below itself; the copy's position and the copy as stored."""
        from curator.store.rows import duplicate_row

        with self._service.writing() as session:
            at = duplicate_row(session, comparison, position, self._who)
            return at, _stored(session, comparison, at)

    def move_row(self, comparison: str, position: int, to: int, *, expected: Row | None = None) -> Row:
        """Move a row from ``position`` to ``to``; the row as stored. With ``expected``, refused (an undo) when
        the row at ``position`` is not that row as it was."""
        from curator.store.rows import move_row

        with self._service.writing() as session:
            _check(session, comparison, position, expected, "moved")
            move_row(session, comparison, position, to, self._who)
            return _stored(session, comparison, to)

    def new_comparison(
        self, key: str, title: str, intervention: str, comparator: str, position: int | None = None
    ) -> None:
        from curator.store.rows import new_comparison

        with self._service.writing() as session:
            new_comparison(session, key, title, intervention, comparator, self._who, position)

    def delete_comparison(self, key: str, *, only_empty: bool = False) -> tuple[int, Comparison, list[AcceptedFinding]]:
        """Delete a comparison with its rows; its position, itself and its accepted findings, to put it back.
        With ``only_empty`` (the undo of a new comparison), refused when rows were added to it since."""
        from curator.store.rows import acceptances_of, delete_comparison

        with self._service.writing() as session:
            kept = acceptances_of(session, key)
            position, comparison = delete_comparison(session, key, self._who)
            if only_empty and comparison.rows:
                n = len(comparison.rows)
                added = "1 row was" if n == 1 else f"{n} rows were"
                raise CuratorError(
                    f"comparison {key}: not deleted: {added} added to it since (another window or reviewer); "
                    "nothing was written"
                )
            return position, comparison, kept

    def restore_comparison(
        self, position: int, comparison: Comparison, acceptances: list[AcceptedFinding] | None = None
    ) -> None:
        from curator.store.rows import restore_comparison

        with self._service.writing() as session:
            restore_comparison(session, position, comparison, self._who, acceptances=acceptances or [])


def _sd_to_se_changes(
    comparison: str, position: int, row: Row, texts: Mapping[str, str], arms: Arms
) -> dict[str, tuple[str, str]]:
    """The fields moving each arm's SD to its SE sets: field -> (old text, new text)."""
    changes: dict[str, tuple[str, str]] = {}
    for part in ("intervention", "comparator"):
        arm = getattr(row, part)
        if arm is None or arm.sd is None or arm.sd.not_reported:
            continue
        sd, se = texts[f"{part}.sd"], texts[f"{part}.se"]
        if se and se != sd:
            raise CuratorError(
                f"{field_place(comparison, position, f'{part}.se', row.endpoint, arms)}: the SDs were not moved: "
                f"it already holds {shown(se)}, which moving the SD {shown(sd)} there would lose; "
                "nothing was written"
            )
        changes[f"{part}.se"] = (se, sd)
        changes[f"{part}.sd"] = (sd, "")
    if not changes:
        raise CuratorError(
            f"{row_place(comparison, position, row.endpoint)}: the SDs were not moved: no arm has an SD to move; "
            "nothing was written"
        )
    return {name: (old, new) for name, (old, new) in changes.items() if old != new}


def _stored(session: Any, comparison: str, position: int) -> Row:
    from curator.store.field_states import load_row

    return load_row(session.connection(), comparison, position).row


def _check(session: Any, comparison: str, position: int, expected: Row | None, what: str) -> None:
    """Refuse (nothing written) when the row at ``position`` is not ``expected`` as stored."""
    if expected is None:
        return
    stored = _stored(session, comparison, position)
    if stored != expected:
        raise CuratorError(
            f"{row_place(comparison, position, stored.endpoint)}: not {what}: it is not the row this step left there "
            f"({expected.endpoint!r}), or it was changed since (verify mode, a merge, another window); "
            "nothing was written"
        )
