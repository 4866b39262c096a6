"""Bringing another reviewer's file into a review: agreement verifies, disagreement goes to adjudication.

The other reviewer's review is read, without changing their file, by
:func:`curator.services.sources.read_theirs`.

:func:`merge_review` pairs rows exactly as ``curator compare`` does
(comparison key, endpoint ignoring case and white space, citations; then
leftovers by endpoint) and, in the caller's transaction, audited:

* a field both reviewers gave the same value (numbers compared as numbers)
  is verified by the other reviewer (their row's ``extracted_by``), so a
  row identical in both becomes ``verified`` by the pair: extracted by one,
  verified by the other. No verification when the same person extracted
  both rows, or when their row does not say who extracted it;
* a field whose values differ opens an adjudication item (A: ours, B:
  theirs) and is disputed until decided;
* a row found only in theirs is added at the end of its comparison as
  ``extracted`` (with their ``extracted_by``); a comparison found only in
  theirs is added whole, its rows ``extracted``; a row found only in ours
  is left as it is;
* a reference only in theirs is added; one whose key both have with
  different details keeps ours and is reported;
* a source document only in theirs (by SHA-256) is added; a row's
  evidence travels with a row added from theirs, and on a paired row their
  evidence of a field fills ours when ours has none and the two values agree
  (where they read the same value is where ours can be read too).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, Table, func, insert, select
from sqlmodel import Session

from curator.compare import field_value, pair_rows, same_value
from curator.fields import value_at
from curator.progress import Progress, report
from curator.review import Comparison, Review, Row
from curator.store.adjudication import open_item
from curator.store.audit import Audit
from curator.store.field_states import (
    VERIFIABLE_FIELDS,
    field_text,
    refresh_status,
    row_field_states,
    same_reviewer,
    set_state,
    stored_row,
)
from curator.store.models import Citation, ComparisonRecord, RowRecord, table_of
from curator.store.records import row_snapshot, row_to_record
from curator.store.repository import (
    add_content,
    add_documents,
    evidence_snapshot,
    insert_evidence,
    load_review,
    row_id_of,
)
from curator.words import counted

__all__ = ["MergeSummary", "merge_review"]

_T_ROW: Table = table_of(RowRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_CIT: Table = table_of(Citation)


@dataclass
class MergeSummary:
    """What a merge did."""

    theirs: str
    rows_paired: int = 0
    rows_verified: int = 0
    fields_verified: int = 0
    items_opened: int = 0
    rows_added: int = 0
    comparisons_added: int = 0
    references_added: int = 0
    documents_added: int = 0
    rows_only_ours: int = 0
    #: Reference keys both have with different details (ours kept).
    reference_conflicts: list[str] = field(default_factory=list)
    #: Rows paired but not verified, and why (same extractor, unknown extractor).
    not_verified: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def lines(self, where_adjudication: str) -> list[str]:
        """What the merge did, a line each, for people (``where_adjudication``
        says where the opened items are decided: a command or a menu)."""
        lines = [
            f"{counted(self.rows_paired, 'row')} in both files: {self.rows_verified} verified by the pair, "
            f"{counted(self.fields_verified, 'field')} verified",
            f"{counted(self.items_opened, 'differing field')} sent to adjudication ({where_adjudication})",
            f"{counted(self.rows_added, 'row')} and {counted(self.comparisons_added, 'comparison')} only in theirs, "
            "added as extracted",
            f"{counted(self.references_added, 'reference')} added",
        ]
        if self.documents_added:
            lines.append(f"{counted(self.documents_added, 'source document')} added")
        if self.rows_only_ours:
            lines.append(f"{counted(self.rows_only_ours, 'row')} only in this review, left as they are")
        if self.reference_conflicts:
            keys = ", ".join(self.reference_conflicts)
            lines.append(f"references with the same key and other details (this review's kept): {keys}")
        return lines + [f"not verified: {why}" for why in self.not_verified]


def _extracted(row: Row) -> Row:
    return replace(row, status="extracted", verified_by=None)


def merge_review(
    session: Session, theirs: Review, who: str, *, name: str, progress: Progress | None = None
) -> MergeSummary:
    """Merge ``theirs`` (another reviewer's review, called ``name`` in the
    audit log and summary) into the review of ``session``'s database.

    ``progress`` hears how many of their rows are done and may cancel: the
    merge then raises :class:`~curator.progress.Cancelled` and the caller's
    transaction writes nothing."""
    conn = session.connection()
    total, done = max(theirs.row_count, 1), 0
    report(progress, 0, total, "rows")
    summary = MergeSummary(theirs=name)
    audit = Audit(who)
    audit.event(
        "merge", "review", None, None, None,
        json.dumps({"theirs": name, "comparisons": len(theirs.comparisons), "rows": theirs.row_count}),
    )  # fmt: skip
    audit.flush(conn)
    ours = load_review(conn)
    # Their documents first: the evidence of their rows points at them.
    summary.documents_added = add_documents(conn, audit, theirs.documents)
    audit.flush(conn)

    # References: add those only in theirs, report clashing ones.
    our_refs = {r.key: r for r in ours.references}
    new_refs = []
    for ref in theirs.references:
        our_ref = our_refs.get(ref.key)
        if our_ref is None:
            new_refs.append(ref)
        elif our_ref != ref:
            summary.reference_conflicts.append(ref.key)

    our_cmps = {c.key: c for c in ours.comparisons}
    new_cmps: list[Comparison] = []
    seen: set[str] = set()
    for theirs_cmp in theirs.comparisons:
        if theirs_cmp.key in seen:
            continue
        seen.add(theirs_cmp.key)
        mine = our_cmps.get(theirs_cmp.key)
        if mine is None:
            new_cmps.append(replace(theirs_cmp, rows=[_extracted(r) for r in theirs_cmp.rows]))
            continue
        pairs, lone = pair_rows(mine.rows, theirs_cmp.rows)
        summary.rows_only_ours += len(mine.rows) - len(pairs)
        for i, j in sorted(pairs.items()):
            _merge_row(conn, audit, summary, mine.key, i, theirs_cmp.rows[j], name)
            done += 1
            if done % 50 == 0:
                report(progress, done, total, "rows")
        _append_rows(conn, audit, mine.key, [_extracted(theirs_cmp.rows[j]) for j in lone])
        summary.rows_added += len(lone)
    audit.flush(conn)
    report(progress, done, total, "rows")
    if new_refs or new_cmps:
        counts = add_content(session, Review(references=new_refs, comparisons=new_cmps), who)
        summary.references_added = counts["references"]
        summary.comparisons_added = counts["comparisons"]
        summary.rows_added += counts["rows"]
    report(progress, total, total, "rows")
    return summary


def _merge_row(
    conn: Connection, audit: Audit, summary: MergeSummary, comparison: str, position: int, row_b: Row, name: str
) -> None:
    row_id = row_id_of(conn, comparison, position)
    assert row_id is not None
    stored = stored_row(conn, row_id)
    summary.rows_paired += 1
    who_a, who_b = stored.row.extracted_by, (row_b.extracted_by or "").strip() or None
    verifier = None if who_b is None or same_reviewer(who_a, who_b) else who_b
    if verifier is None:
        why = f"{name} does not say who extracted it" if who_b is None else f"{who_b} extracted both"
        summary.not_verified.append(f"{stored.where}: {why}")
    states = row_field_states(conn, stored)
    for fname in VERIFIABLE_FIELDS:
        # The endpoint paired the rows (ignoring case and white space): it agrees.
        if fname == "endpoint" or same_value(fname, field_value(stored.row, fname), field_value(row_b, fname)):
            state = states[fname]
            if verifier is not None and state.value is not None and state.state in ("unverified", "changed"):
                set_state(conn, audit, stored, fname, "verified", verifier)
                summary.fields_verified += 1
            continue
        a, b = field_text(stored.row, fname), field_text(row_b, fname)
        if open_item(conn, audit, stored, fname, a, b, who_a, who_b, "merge") is not None:
            summary.items_opened += 1
    _fill_evidence(conn, audit, stored.id, stored.row, row_b)
    status = refresh_status(conn, audit, stored.id, verifier or audit.who)
    if status == "verified" and verifier is not None:
        summary.rows_verified += 1


def _agree(path: str, ours: Row, theirs: Row) -> bool:
    if path == "endpoint":
        return True  # it paired the rows
    try:
        return same_value(path, field_value(ours, path), field_value(theirs, path))
    except KeyError:  # a field that is not compared (status, note...)
        return bool(value_at(ours, path) == value_at(theirs, path))


def _fill_evidence(conn: Connection, audit: Audit, row_id: int, ours: Row, theirs: Row) -> None:
    """Their evidence of the fields ours has none for and whose values agree (audited)."""
    filled = {
        path: evidence
        for path, evidence in theirs.evidence.items()
        if path not in ours.evidence and _agree(path, ours, theirs)
    }
    if filled:
        row = replace(theirs, evidence=filled)
        insert_evidence(conn, [(row_id, row)])
        audit.add("insert", "evidence", None, new={"row_id": row_id, **evidence_snapshot(row)})


def _append_rows(conn: Connection, audit: Audit, comparison: str, rows: list[Row]) -> None:
    """Add rows at the end of a comparison (audited)."""
    if not rows:
        return
    cmp_id = conn.execute(select(_T_CMP.c.id).where(_T_CMP.c.key == comparison)).scalar_one()
    top = conn.execute(select(func.max(_T_ROW.c.position)).where(_T_ROW.c.comparison_id == cmp_id)).scalar()
    position = 0 if top is None else top + 1
    for k, row in enumerate(rows):
        rec = row_to_record(row)
        rec.update(comparison_id=cmp_id, position=position + k)
        row_id = conn.execute(insert(_T_ROW).values(**rec).returning(_T_ROW.c.id)).scalar_one()
        insert_evidence(conn, [(row_id, row)])
        if row.citations:
            conn.execute(
                insert(_T_CIT),
                [{"row_id": row_id, "position": p, "reference_key": key} for p, key in enumerate(row.citations)],
            )
        audit.add(
            "insert",
            "endpoint_row",
            row_id,
            new=row_snapshot(list(rec), list(rec.values()), citations=row.citations, **evidence_snapshot(row)),
        )
