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

Evidence (issue 14): a value can carry where it was read in a paper of the
review (:class:`~curator.review.Evidence`: document, page, text, boxes).
:meth:`Editing.edit_fields` sets or clears it with the texts, in the same
transaction, an audit entry each; a value changed without evidence loses
the evidence it had (that place documented the old value), audited too.
:meth:`Editing.capture` fills a field from text selected in the paper, and
:meth:`Editing.set_evidence` accepts a place Locate found as the evidence of
a value without changing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from curator.errors import CuratorError, StaleWrite
from curator.fields import first_difference, shown
from curator.fields import texts as field_texts
from curator.naming import Arms, field_place, row_place
from curator.progress import Cancelled, Progress, report
from curator.review import AcceptedFinding, Comparison, Evidence, Row
from curator.services.review import Part
from curator.store.edits import UNCHECKED

if TYPE_CHECKING:
    pass

__all__ = ["Editing", "Saved", "Moved", "Captured", "UNCHECKED"]


@dataclass(frozen=True)
class Saved:
    """A field saved: the row as stored, and the audit log's last entry after it."""

    row: Row
    #: The first and last audit log entries this change wrote (first > last when it wrote none).
    first_entry: int
    audit_id: int


@dataclass(frozen=True)
class Captured(Saved):
    """Fields saved with their evidence, to undo as one step: each text changed (field -> (old text, new
    text)) and each evidence changed (field -> (old evidence, new evidence), None for none)."""

    changes: Mapping[str, tuple[str, str]]
    evidence_changes: Mapping[str, tuple[Evidence | None, Evidence | None]]


@dataclass(frozen=True)
class Moved(Captured):
    """The arms' SDs moved to their SE fields: the row as stored, the audit entries written, each field
    changed (field -> (old text, new text)) and each evidence moved with them, to undo it as one step."""


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
        evidence: Mapping[str, Evidence | None] | None = None,
        expected_evidence: Mapping[str, Evidence | None] | None = None,
        since: int | None = None,
        ignore: Sequence[tuple[int, int]] = (),
        restore_verified: bool = False,
    ) -> Captured:
        """Set several fields of a row at once (an arm's cell typed ``35.6% (95/267)``): one transaction,
        one step to undo, an audit entry per field changed.

        Each field as :meth:`edit` sets one, compare-and-set against its text in ``expected`` (fields it
        does not name are not compared); a refusal of any of them writes nothing at all.

        ``evidence`` sets (an :class:`Evidence`) or clears (None) where each field it names was read, in
        the same transaction, an audit entry each (a field it names but ``texts`` does not keeps its value
        and changes only its evidence). A field whose value changes and that ``evidence`` does not name
        loses the evidence it had: that place in the paper documented the old value (audited too).
        Evidence must name a document of the review and one of its pages, and be about a field with a
        value: refused otherwise, naming the field and the document. ``expected_evidence`` is each
        field's evidence as the caller saw it (compare-and-set, as ``expected`` for the texts).
        Returns the row as stored, the audit entries written, and each text and evidence changed.
        """
        with self._service.writing() as session:
            return self._edit(
                session,
                comparison,
                position,
                texts,
                expected=expected,
                evidence=evidence,
                expected_evidence=expected_evidence,
                since=since,
                ignore=ignore,
                restore_verified=restore_verified,
            )

    def _edit(
        self,
        session: Any,
        comparison: str,
        position: int,
        texts: Mapping[str, str],
        *,
        expected: Mapping[str, str] | None = None,
        evidence: Mapping[str, Evidence | None] | None = None,
        expected_evidence: Mapping[str, Evidence | None] | None = None,
        since: int | None = None,
        ignore: Sequence[tuple[int, int]] = (),
        restore_verified: bool = False,
    ) -> Captured:
        """:meth:`edit_fields` in the caller's transaction."""
        from curator.store.edits import last_entry, set_field_evidence, set_row_field
        from curator.store.repository import same_evidence

        evidence = evidence or {}
        expected_evidence = expected_evidence or {}
        if not texts and not evidence:
            raise CuratorError(f"{row_place(comparison, position)}: no field to change; nothing was written")
        conn = session.connection()
        first = last_entry(conn) + 1  # the write lock is held: ids follow on
        before = _stored(session, comparison, position, next(iter([*texts, *evidence])))
        old_texts = field_texts(before)
        row: Row = before
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
                evidence=evidence[name] if name in evidence else UNCHECKED,
                expected_evidence=expected_evidence[name] if name in expected_evidence else UNCHECKED,
            )
        for name, place in evidence.items():
            if name not in texts:
                row = set_field_evidence(
                    session,
                    comparison,
                    position,
                    name,
                    place,
                    self._who,
                    expected_text=expected[name] if expected is not None and name in expected else UNCHECKED,
                    expected_evidence=expected_evidence[name] if name in expected_evidence else UNCHECKED,
                )
        new_texts = field_texts(row)
        changes = {
            name: (old_texts.get(name, ""), new_texts.get(name, ""))
            for name in texts
            if old_texts.get(name, "") != new_texts.get(name, "")
        }
        evidence_changes = {
            name: (before.evidence.get(name), row.evidence.get(name))
            for name in dict.fromkeys([*texts, *evidence])
            if not same_evidence(before.evidence.get(name), row.evidence.get(name))
        }
        return Captured(row, first, last_entry(conn), changes, evidence_changes)

    def capture(
        self,
        comparison: str,
        position: int,
        field: str,
        selected: str,
        evidence: Evidence,
        *,
        expected: Mapping[str, str] | None = None,
    ) -> Captured:
        """Fill ``field`` of a row from text ``selected`` in a paper, with ``evidence`` (where it stands:
        document, page, the text, its boxes) as the evidence of every value it fills: one transaction,
        an audit entry each, undone as one step (the :class:`Captured` changes back through
        :meth:`edit_fields`).

        What the selection fills is :func:`curator.capture.captured_fields`: a number field the one number
        in it as printed (``42.6%`` gives 42.6, ``0·55`` stays so); an arm's value, events or n given
        ``95/267 (35.6%)`` all three at once; a text field the selection with its white space collapsed.
        The row's source location fills with the page (``p. 3``) and its quote with the selection (with
        the same evidence) when they are empty. Compare-and-set against ``expected`` (texts as the caller
        saw them). Refused, nothing written, with a message naming the field and quoting the selection,
        when the selection holds no number for a number field or more than one where one is meant.
        """
        from curator.capture import captured_fields, collapsed
        from curator.store.field_states import load_row

        with self._service.writing() as session:
            stored = load_row(session.connection(), comparison, position, field)
            row = stored.row
            where = stored.at(field)
            try:
                texts = captured_fields(field, selected, measure=row.measure, unit=row.unit)
            except ValueError as exc:
                raise CuratorError(f"{where}: not captured: {exc}; nothing was written") from None
            places: dict[str, Evidence | None] = {name: evidence for name in texts if name not in ("measure", "unit")}
            source = row.source
            if field != "source.location" and not (source and source.location):
                texts["source.location"] = f"p. {evidence.page}"
            if field != "source.quote" and not (source and source.quote):
                texts["source.quote"] = collapsed(selected)
                places["source.quote"] = evidence
            return self._edit(session, comparison, position, texts, expected=expected, evidence=places)

    def set_evidence(
        self,
        comparison: str,
        position: int,
        field: str,
        evidence: Evidence | None,
        *,
        expected_text: str,
        expected_evidence: Evidence | None = UNCHECKED,
    ) -> Captured:
        """Accept a place Locate found (``evidence``) as where the value of ``field`` was read, without
        changing the value; None clears the field's evidence. Audited; undone as one step (the
        :class:`Captured` evidence change back, through this same use case).

        Refused, nothing written, when the field's text is no longer ``expected_text`` (the value moved
        since the place was found), when the field is empty, when the evidence names no document of the
        review, or (``expected_evidence``, the evidence as the caller saw it) when it was changed meanwhile.
        """
        from curator.store.edits import last_entry, set_field_evidence
        from curator.store.repository import same_evidence

        with self._service.writing() as session:
            conn = session.connection()
            first = last_entry(conn) + 1
            before = _stored(session, comparison, position, field).evidence.get(field)
            row = set_field_evidence(
                session,
                comparison,
                position,
                field,
                evidence,
                self._who,
                expected_text=expected_text,
                expected_evidence=expected_evidence,
            )
            after = row.evidence.get(field)
            changed = {} if same_evidence(before, after) else {field: (before, after)}
            return Captured(row, first, last_entry(conn), {}, changed)

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
        from curator.store.repository import same_evidence

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
            before = row
            for name, (old, new) in changes.items():
                part, _dot, leaf = name.partition(".")
                read = before.evidence.get(f"{part}.sd") if leaf == "se" else None
                # An SD's evidence is where the SE now holding its value was read: it moves along.
                place = read if read is not None else UNCHECKED
                row = set_row_field(session, comparison, position, name, new, self._who, expected=old, evidence=place)
            moved = {
                name: (before.evidence.get(name), row.evidence.get(name))
                for name in changes
                if not same_evidence(before.evidence.get(name), row.evidence.get(name))
            }
            return Moved(row, first, last_entry(conn), changes, moved)

    def row(self, comparison: str, position: int) -> Row:
        """The row as stored (with its evidence); :class:`CuratorError` when there is none."""
        from curator.store.field_states import load_row

        return self._service.read(lambda conn: load_row(conn, comparison, position).row)

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

    def delete_comparison(
        self, key: str, *, only_empty: bool = False, progress: Progress | None = None, seen: int | None = None
    ) -> tuple[int, Comparison, list[AcceptedFinding]]:
        """Delete a comparison with its rows; its position, itself and its accepted findings, to put it back.
        With ``only_empty`` (the undo of a new comparison), refused when rows were added to it since. With
        ``seen`` (the last audit entry whose changes the caller shows), refused
        (:class:`~curator.errors.StaleWrite`) when someone else changed, added, deleted or moved its rows
        after it: they would go unseen.

        One transaction: ``progress`` (from a worker thread) hears how far it is and may cancel up to the
        commit; :class:`~curator.progress.Cancelled` is raised and nothing was written."""
        from curator.store.rows import acceptances_of, delete_comparison

        with self._service.writing() as session:
            if seen is not None:
                _refuse_changed_since(session.connection(), key, seen, self._service.own_entries)
            kept = acceptances_of(session, key)
            position, comparison = delete_comparison(session, key, self._who, progress=progress)
            if only_empty and comparison.rows:
                n = len(comparison.rows)
                added = "1 row was" if n == 1 else f"{n} rows were"
                raise CuratorError(
                    f"comparison {key}: not deleted: {added} added to it since (another window or reviewer); "
                    "nothing was written"
                )
            _last_chance(progress, len(comparison.rows))
            return position, comparison, kept

    def restore_comparison(
        self,
        position: int,
        comparison: Comparison,
        acceptances: list[AcceptedFinding] | None = None,
        *,
        progress: Progress | None = None,
    ) -> None:
        """Put a deleted comparison back, whole; one transaction, ``progress`` as for :meth:`delete_comparison`."""
        from curator.store.rows import restore_comparison

        with self._service.writing() as session:
            restore_comparison(
                session, position, comparison, self._who, acceptances=acceptances or [], progress=progress
            )
            _last_chance(progress, len(comparison.rows))


def _refuse_changed_since(conn: Any, key: str, seen: int, own: Sequence[tuple[int, int]]) -> None:
    """Refuse deleting comparison ``key`` when others changed its rows after audit entry ``seen``."""
    from curator.store.changes import ALL, changes_after

    changes = changes_after(conn, seen, skip=own)
    touched = sorted(position for (comparison, position) in changes.rows if comparison == key)
    if touched or key in changes.moved or ALL in changes.moved:
        what = f"row {touched[0] + 1} was changed" if touched else "its rows were added, deleted or moved"
        by = ", ".join(changes.who) or "someone else"
        raise StaleWrite(
            f"comparison {key}: not deleted: {what} since this window showed it (by {by}); look at it again "
            "first; nothing was written",
            comparison=key,
        )


def _last_chance(progress: Progress | None, total: int) -> None:
    """Everything is written but not committed: a cancel asked for until now still rolls it all back."""
    report(progress, total, total, "saving")
    if progress is not None and progress.cancelled:
        raise Cancelled("cancelled; nothing was written")


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


def _stored(session: Any, comparison: str, position: int, field: str | None = None) -> Row:
    from curator.store.field_states import load_row

    return load_row(session.connection(), comparison, position, field).row


def _check(session: Any, comparison: str, position: int, expected: Row | None, what: str) -> None:
    """Refuse (:class:`StaleWrite`, nothing written) when the row at ``position`` is not ``expected`` as stored,
    naming the first field that differs and both values."""
    if expected is None:
        return
    from curator.store.field_states import load_row
    from curator.store.stale import lock_row

    conn = session.connection()
    lock_row(conn, load_row(conn, comparison, position).id)
    found = load_row(conn, comparison, position)
    stored = found.row
    if stored == expected:
        return
    now, was = field_texts(stored), field_texts(expected)
    differs = first_difference(now, was)
    if differs is not None:
        raise StaleWrite(
            f"{found.at(differs)}: the row was not {what}: it is now {shown(now[differs])}, not "
            f"{shown(was.get(differs, ''))} as this change expected (it was changed meanwhile: verify mode, a merge, "
            "another window or reviewer); nothing was written",
            field=differs,
            expected=was.get(differs, ""),
            theirs=now[differs],
            yours=was.get(differs, ""),
            comparison=comparison,
            position=position,
        )
    raise StaleWrite(
        f"{row_place(comparison, position, stored.endpoint)}: not {what}: it is not the row this step left there "
        f"({expected.endpoint!r}), or it was changed since (verify mode, a merge, another window); "
        "nothing was written",
        comparison=comparison,
        position=position,
    )
