"""Verified *here* versus claimed verified: what counts, and what a file only says.

A row's ``status`` and ``verified_by`` are never typed (the edit path
refuses them, see :mod:`curator.store.edits`). They come from one of two
places:

* **verifications made here**: the services of
  :mod:`curator.store.verification`, :mod:`curator.store.double_entry`,
  :mod:`curator.store.adjudication` and :mod:`curator.store.merge` record
  each field's state in ``field_verification`` and derive the row's status
  from them (:func:`curator.store.field_states.refresh_status`);
* **a claim**: what an imported file says (a ``curator/1`` file, an Excel
  workbook or template, another review database brought in with
  ``import``), or a row restored with its old status. It is kept exactly
  (an export writes it back unchanged) and marked ``status_claimed``; the
  row's insert entry in the audit log says which file and who imported it
  (imports before December 2026 wrote a ``claim`` entry of its own).

Definition. A row is **verified here** when

1. its status is ``verified`` and it is not a claim (``status_claimed`` is
   false): the status was set by :func:`~curator.store.field_states.refresh_status`
   because every field of the row that has a value
   (:data:`~curator.store.field_states.VERIFIABLE_FIELDS`) has a current
   ``verified`` record in ``field_verification`` and none is disputed; any
   later change of a value, or a dispute, takes the status away again; and
2. its ``verified_by`` names a reviewer who is not the row's extractor
   (``extracted_by``, or for a row that names none, whoever entered it into
   this review per the audit log), compared ignoring case and white space as
   the ``self-verified`` rule compares.

Each field verification was itself refused to the row's extractor, to
whoever entered a row that names no extractor, and to anyone named its
extractor before the name was changed
(:func:`~curator.store.field_states.refuse_own_row`). A merge verifies the
fields on which the other reviewer's file agrees, credited to that file's
extractor (blind double extraction); it trusts that file's ``extracted_by``.
Rows of a database older than revision 0005 whose status no verification
backs were marked claims by that migration.

A row whose status is ``verified`` but that is not verified here is
**claimed verified**. ``curator info``, the window's counts and
``export --verified-only`` count only rows verified here, and say how many
more are claimed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, func, or_, select
from sqlmodel import Session

from curator.checks.accept import fold
from curator.review import Row
from curator.store.models import AuditEntry, ComparisonRecord, RowRecord, table_of

__all__ = [
    "VerifiedRows",
    "is_claim",
    "claim_words",
    "verified_rows",
    "verified_counts",
    "claim_of",
    "claim_at",
    "inserted_from",
    "Claim",
    "counts_words",
]

_T_ROW: Table = table_of(RowRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_AUDIT: Table = table_of(AuditEntry)


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and fold(a) and fold(a) == fold(b))


def is_claim(row: Row) -> bool:
    """Whether a row coming from a file says something only verifications may
    say: a ``verified`` or ``disputed`` status, or a verifier's name."""
    return row.status in ("verified", "disputed") or bool(row.verified_by and row.verified_by.strip())


def claim_words(status: str, verified_by: str | None) -> str:
    """A claim in words: ``verified by Ben``, ``disputed``, ``extracted, verified by Ben``."""
    by = verified_by.strip() if verified_by and verified_by.strip() else None
    if status == "verified":
        return f"verified by {by}" if by else "verified (by nobody named)"
    return f"{status}, verified by {by}" if by else status


@dataclass(frozen=True, slots=True)
class VerifiedRows:
    """The rows of a review verified here, and those only claimed verified:
    (comparison key, position) each, plus per-comparison counts by database id."""

    here: frozenset[tuple[str, int]]
    claimed: frozenset[tuple[str, int]]
    here_by_comparison: dict[int, int]

    def words(self) -> str:
        return counts_words(len(self.here), len(self.claimed))


def counts_words(here: int, claimed: int) -> str:
    """``3 verified here (2 more claimed verified by their file)``."""
    text = f"{here} verified here"
    if claimed:
        text += f" ({claimed} more claimed verified by their file)"
    return text


def _conn(session: Session | Connection) -> Connection:
    return session.connection() if isinstance(session, Session) else session


def _entered_by(conn: Connection, row_ids: Iterable[int]) -> dict[int, str]:
    ids = list(row_ids)
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        query = (
            select(_T_AUDIT.c.row_id, _T_AUDIT.c.who)
            .where(
                _T_AUDIT.c.table_name == "endpoint_row",
                _T_AUDIT.c.action == "insert",
                _T_AUDIT.c.row_id.in_(chunk),
            )
            .order_by(_T_AUDIT.c.id.desc())
        )
        for row_id, who in conn.execute(query):
            out[row_id] = who  # the earliest insert wins (ordered newest first)
    return out


def verified_rows(session: Session | Connection) -> VerifiedRows:
    """Which rows are verified here and which are only claimed verified (see the module's definition)."""
    conn = _conn(session)
    query = (
        select(
            _T_ROW.c.id,
            _T_ROW.c.comparison_id,
            _T_CMP.c.key,
            _T_ROW.c.position,
            _T_ROW.c.verified_by,
            _T_ROW.c.extracted_by,
            _T_ROW.c.status_claimed,
        )
        .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        .where(_T_ROW.c.status == "verified")
    )
    found = conn.execute(query).all()
    unnamed = [r[0] for r in found if not r[6] and not (r[5] and r[5].strip())]
    entered = _entered_by(conn, unnamed) if unnamed else {}
    here: set[tuple[str, int]] = set()
    claimed: set[tuple[str, int]] = set()
    by_cmp: dict[int, int] = {}
    for row_id, cmp_id, key, position, verified_by, extracted_by, is_claimed in found:
        extractor = extracted_by if extracted_by and extracted_by.strip() else entered.get(row_id)
        ok = not is_claimed and bool(verified_by and verified_by.strip()) and not _same(verified_by, extractor)
        if ok:
            here.add((key, position))
            by_cmp[cmp_id] = by_cmp.get(cmp_id, 0) + 1
        else:
            claimed.add((key, position))
    return VerifiedRows(frozenset(here), frozenset(claimed), by_cmp)


def verified_counts(session: Session | Connection) -> dict[int, tuple[int, int]]:
    """Per comparison (by database id): its rows verified here, and those only
    claimed verified, as :func:`verified_rows` tells them apart, counted by
    the database: rows are grouped by who verified and who extracted them
    (a handful of reviewers), so a big review is not read row by row. Rows
    naming no extractor are looked up one by one in the audit log."""
    conn = _conn(session)
    groups = conn.execute(
        select(
            _T_ROW.c.comparison_id,
            _T_ROW.c.verified_by,
            _T_ROW.c.extracted_by,
            _T_ROW.c.status_claimed,
            func.count(),
        )
        .where(_T_ROW.c.status == "verified")
        .group_by(_T_ROW.c.comparison_id, _T_ROW.c.verified_by, _T_ROW.c.extracted_by, _T_ROW.c.status_claimed)
    ).all()
    counts: dict[int, tuple[int, int]] = {}

    def add(cmp_id: int, here: int, claimed: int) -> None:
        was = counts.get(cmp_id, (0, 0))
        counts[cmp_id] = (was[0] + here, was[1] + claimed)

    blanks: set[str] = set()  # extractor names that name nobody ("", spaces)
    for cmp_id, verified_by, extracted_by, is_claimed, n in groups:
        if not is_claimed and not (extracted_by and extracted_by.strip()):
            if extracted_by is not None:
                blanks.add(extracted_by)
            continue  # the extractor is whoever entered each row: below
        ok = not is_claimed and bool(verified_by and verified_by.strip()) and not _same(verified_by, extracted_by)
        add(cmp_id, n if ok else 0, 0 if ok else n)
    unnamed = conn.execute(
        select(_T_ROW.c.id, _T_ROW.c.comparison_id, _T_ROW.c.verified_by).where(
            _T_ROW.c.status == "verified",
            ~_T_ROW.c.status_claimed,
            or_(_T_ROW.c.extracted_by.is_(None), _T_ROW.c.extracted_by.in_(sorted(blanks))),
        )
    ).all()
    entered = _entered_by(conn, [r[0] for r in unnamed]) if unnamed else {}
    for row_id, cmp_id, verified_by in unnamed:
        ok = bool(verified_by and verified_by.strip()) and not _same(verified_by, entered.get(row_id))
        add(cmp_id, 1 if ok else 0, 0 if ok else 1)
    return counts


@dataclass(frozen=True, slots=True)
class Claim:
    """What a row's status claims, and where the claim came from."""

    words: str
    file: str | None
    by: str | None
    at: datetime | None

    def sentence(self) -> str:
        """``verified by Ben, per file F imported by Ana (not a verification made here)``."""
        if self.file:
            source = f"per file {self.file} imported by {self.by}"
        elif self.by:
            source = f"as {self.by} entered it"
        else:
            source = "as the row was stored"
        return f"{self.words}, {source} (a claim, not a verification made here)"


def claim_of(session: Session | Connection, row_id: int) -> Claim | None:
    """The claim of the row with database id ``row_id`` (None when its status
    follows verifications made here): its words and, from the audit log,
    the file it came in with and who imported it."""
    conn = _conn(session)
    rec = conn.execute(
        select(_T_ROW.c.status, _T_ROW.c.verified_by, _T_ROW.c.status_claimed, _T_ROW.c.extracted_by).where(
            _T_ROW.c.id == row_id
        )
    ).first()
    if rec is None:
        return None
    status, verified_by, claimed, extracted_by = rec
    if not claimed and status == "verified" and _same(verified_by, extracted_by):
        claimed = True  # its extractor is named as verifier since: not a second pair of eyes
    if not claimed:
        return None
    words = claim_words(status, verified_by)
    entry = conn.execute(
        select(_T_AUDIT.c.who, _T_AUDIT.c.at, _T_AUDIT.c.old, _T_AUDIT.c.action, _T_AUDIT.c.new)
        .where(
            _T_AUDIT.c.table_name == "endpoint_row",
            _T_AUDIT.c.row_id == row_id,
            _T_AUDIT.c.action.in_(("claim", "insert")),
        )
        .order_by(_T_AUDIT.c.id.desc())
        .limit(1)
    ).first()
    if entry is None:
        return Claim(words, None, None, None)
    who, at, old, action, new = entry
    if action == "claim":  # an import before 2026-12: an entry of its own per claimed row
        return Claim(words, old or None, who, at)
    return Claim(words, inserted_from(new), who, at)


def inserted_from(snapshot: Any) -> str | None:
    """The file a row came from, as its insert entry's snapshot (JSON text, or as fetched) names it."""
    if isinstance(snapshot, str):
        try:
            snapshot = json.loads(snapshot)
        except ValueError:
            return None
    origin = snapshot.get("origin") if isinstance(snapshot, dict) else None
    return str(origin) if origin else None


def claim_at(session: Session | Connection, comparison: str, position: int) -> Claim | None:
    """:func:`claim_of` for the row now at ``comparison[position]``."""
    from curator.store.repository import row_id_of

    conn = _conn(session)
    row_id = row_id_of(conn, comparison, position)
    return None if row_id is None else claim_of(conn, row_id)
