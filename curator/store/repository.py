"""Moving a review's content between the database and :mod:`curator.review`.

:func:`load_review` reads the whole review with plain SELECTs (no ORM
objects: it is the hot path for checks and exports on big reviews).
:func:`add_content` and :func:`replace_content` write content in the
caller's transaction and record every insert and delete in the audit log,
so a failure anywhere rolls the whole write back.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, is_not, itemgetter
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlmodel import Session

from curator import fields
from curator.errors import CuratorError
from curator.fields import Number
from curator.memory import gc_paused
from curator.numbers import Reported, parse_reported
from curator.review import AcceptedFinding, Comparison, Document, Evidence, Reference, Review, Row
from curator.store.audit import Audit, audit_entries
from curator.store.bulk import big_cache, insert_many
from curator.store.models import (
    AcceptedFindingRecord,
    AuditEntry,
    Citation,
    ComparisonRecord,
    DocumentBlob,
    DocumentRecord,
    EvidenceRecord,
    ReferenceRecord,
    ReviewMeta,
    RowRecord,
    table_of,
)

__all__ = [
    "Audit",
    "audit_entries",
    "load_review",
    "load_references",
    "load_acceptances",
    "review_title",
    "insert_acceptances",
    "add_content",
    "replace_content",
    "save_acceptances",
    "is_empty",
    "row_to_record",
    "row_snapshot",
    "record_to_row",
    "column_values",
    "load_documents",
    "load_evidence",
    "add_documents",
    "insert_evidence",
    "evidence_snapshot",
    "evidence_json",
    "same_evidence",
]

_T_REVIEW: Table = table_of(ReviewMeta)
_T_REF: Table = table_of(ReferenceRecord)
_T_CMP: Table = table_of(ComparisonRecord)
_T_ROW: Table = table_of(RowRecord)
_T_CIT: Table = table_of(Citation)
_T_ACC: Table = table_of(AcceptedFindingRecord)
_T_AUDIT: Table = table_of(AuditEntry)
_T_DOC: Table = table_of(DocumentRecord)
_T_EV: Table = table_of(EvidenceRecord)
_T_BLOB: Table = table_of(DocumentBlob)
_DOCUMENT_FIELDS = ("sha256", "file", "reference", "media_type", "pages")

#: The columns of ``reference``, from the field table (named as the fields).
_REFERENCE_FIELDS = tuple(f.column for f in fields.REFERENCE_FIELDS if f.column is not None)
_ACCEPTED_FIELDS = (
    "rule", "comparison", "endpoint", "row", "reference", "field", "reason", "by", "at", "fingerprint",
)  # fmt: skip
#: How a stored value becomes the field's value again.
_PLAIN, _REPORTED, _WHOLE, _NUMBER, _BOOLEAN, _LEVEL = range(6)


def _how(field: fields.Field) -> int:
    kind = field.kind
    if isinstance(kind, fields.ReportedNumber):
        return _WHOLE if kind.whole else _REPORTED
    if isinstance(kind, fields.Level):
        return _LEVEL
    if isinstance(kind, Number):
        return _NUMBER
    if isinstance(kind, fields.Boolean):
        return _BOOLEAN
    return _PLAIN


def level_text_column(field: fields.Field) -> str | None:
    """The column that keeps a CI level printed as a string exactly (``effect_ci_level_text``), or None."""
    return f"{field.column}_text" if isinstance(field.kind, fields.Level) else None


def column_values(field: fields.Field, value: Any) -> dict[str, Any]:
    """The columns of ``endpoint_row`` that hold ``value`` of ``field``: a
    reported number's text and its parsed value (None for ``NR``), a CI
    level's value and, when it was printed as a string (1.1), its text."""
    column = field.column
    assert column is not None  # every row field but citations is a column of endpoint_row
    if field.number_column is not None:
        if value is None:
            return {column: None, field.number_column: None}
        return {column: value.text, field.number_column: None if value.not_reported else float(value.value)}
    text_column = level_text_column(field)
    if text_column is not None:
        if isinstance(value, Reported):
            return {column: None if value.not_reported else float(value.value), text_column: value.text}
        return {column: value, text_column: None}
    return {column: value}


#: The row's own fields (not its parts' nor citations), from the field table.
_ROW_OWN = tuple(f for f in fields.part_fields(None) if f.column is not None)
_ROW_TEXT_FIELDS = tuple(f.column for f in _ROW_OWN if f.column is not None)

#: A field as stored: (name, field, how its value is read back).
_Stored = tuple[str, fields.Field, int]

#: Each part of a row (an arm, the effect, the source): its class and how its fields are stored.
_PARTS: dict[str, tuple[type, tuple[_Stored, ...]]] = {
    part: (fields.PART_CLASSES[obj], tuple((f.name, f, _how(f)) for f in fields.part_fields(part)))
    for part, obj in fields.PARTS.items()
}


@lru_cache(maxsize=1 << 16)
def _parse(text: str) -> Reported:
    return parse_reported(text)


@lru_cache(maxsize=1 << 14)
def _parse_whole(text: str) -> Reported:
    return parse_reported(text, whole=True)


# -- rows <-> records --------------------------------------------------------


#: How a field's value fills its columns (:func:`column_values`, made once per field for
#: :class:`_RecordPlan`): one column as it is; a reported number's text and parsed value; a CI level's
#: value and text.
_FILL_PLAIN, _FILL_REPORTED, _FILL_LEVEL = range(3)


def _fill(field: fields.Field) -> tuple[str, int, list[str]]:
    """A field's name, how its value fills its columns, and those columns (as :func:`column_values`)."""
    assert field.column is not None
    if field.number_column is not None:
        return field.name, _FILL_REPORTED, [field.column, field.number_column]
    text_column = level_text_column(field)
    if text_column is not None:
        return field.name, _FILL_LEVEL, [field.column, text_column]
    return field.name, _FILL_PLAIN, [field.column]


class _Fills:
    """The fields of one object (a row's own, or one part's) grouped by how they fill their columns,
    each group read with one ``attrgetter``: plain values, reported numbers (text, then parsed value),
    CI levels (value, then text). :attr:`columns` are in the order :meth:`put` appends values."""

    def __init__(self, fills: list[tuple[str, int, list[str]]]) -> None:
        groups: dict[int, list[tuple[str, list[str]]]] = {_FILL_PLAIN: [], _FILL_REPORTED: [], _FILL_LEVEL: []}
        for name, how, columns in fills:
            groups[how].append((name, columns))
        self.plain = _tuple_getter(attrgetter, [name for name, _c in groups[_FILL_PLAIN]])
        self.reported = _tuple_getter(attrgetter, [name for name, _c in groups[_FILL_REPORTED]])
        self.levels = [name for name, _c in groups[_FILL_LEVEL]]
        self.columns = [columns[0] for _name, columns in groups[_FILL_PLAIN]]
        self.columns += [columns[0] for _name, columns in groups[_FILL_REPORTED]]
        self.columns += [columns[1] for _name, columns in groups[_FILL_REPORTED]]
        self.columns += [c for _name, columns in groups[_FILL_LEVEL] for c in columns]

    def put(self, out: list[Any], obj: Any) -> None:
        """Append the column values of ``obj``'s fields (as :func:`column_values` gives them)."""
        out += self.plain(obj)
        reported = self.reported(obj)
        out += [None if value is None else value.text for value in reported]
        out += [None if value is None else value.number for value in reported]
        for name in self.levels:
            value = getattr(obj, name)
            if isinstance(value, Reported):
                out += (None if value.not_reported else float(value.value), value.text)
            else:
                out += (value, None)


def _tuple_getter(make: Any, keys: list[Any]) -> Any:
    """A function giving the tuple of an object's ``keys`` by ``make`` (``attrgetter`` or ``itemgetter``,
    which give a lone value, not a tuple, for one key)."""
    if len(keys) == 1:
        one = make(keys[0])
        return lambda obj: (one(obj),)
    return make(*keys) if keys else lambda obj: ()


class _RecordPlan:
    """How a :class:`Row` becomes the values of ``endpoint_row``'s content columns (:attr:`columns`, all
    but ids, position and claim), made once from the field table: a bulk import writes every row so,
    as one tuple each, without building a mapping per field (what :func:`column_values` gives one
    field at a time, for edits)."""

    def __init__(self) -> None:
        self.own = _Fills([_fill(f) for f in _ROW_OWN])
        self.parts = [
            (part, _Fills([_fill(f) for _name, f, _how in part_fields])) for part, (_cls, part_fields) in _PARTS.items()
        ]
        self.columns: list[str] = list(self.own.columns)
        self.absent: dict[str, tuple[None, ...]] = {}
        for part, fills in self.parts:
            self.columns.append(f"has_{part}")
            self.columns += fills.columns
            self.absent[part] = (None,) * len(fills.columns)
        self.columns += ["extensions", "part_extensions"]

    def values(self, row: Row) -> list[Any]:
        out: list[Any] = []
        self.own.put(out, row)
        parts_ext: dict[str, Any] = {}
        for part, fills in self.parts:
            obj = getattr(row, part)
            if obj is None:
                out.append(False)
                out += self.absent[part]
                continue
            out.append(True)
            fills.put(out, obj)
            if obj.extensions:
                parts_ext[part] = obj.extensions
        out.append(row.extensions)
        out.append(parts_ext)
        return out


_RECORD_PLAN = _RecordPlan()
#: The columns a new row fills, in the order of :func:`add_content`'s tuples.
_ROW_INSERT_COLUMNS = ("id", "comparison_id", "position", "status_claimed", *_RECORD_PLAN.columns)


#: What a row's audit snapshot leaves out: its id, and the parsed copies of its reported numbers
#: (``*_num``, read from the texts the snapshot keeps).
_NOT_SNAPPED = frozenset({"id", *(f.number_column for f in fields.ROW_FIELDS if f.number_column)})


def row_snapshot(names: Sequence[str], values: Sequence[Any], **more: Any) -> dict[str, Any]:
    """What an audit entry keeps of a row inserted or deleted, from its columns' ``names`` and
    ``values``: the ones that are set (an absent one was empty), without its id and the parsed copies
    of reported numbers, and ``more`` (its comparison, citations, evidence). A third of the full
    record (100,000 imported rows: 66 MB of the log, not 224), written eight times as fast, and it
    tells as much."""
    kept, pick = _snapped(tuple(names))
    picked = pick(values)
    snapshot = dict(compress(zip(kept, picked, strict=True), map(is_not, picked, repeat(None))))
    snapshot.update(more)
    return snapshot


@lru_cache(maxsize=16)
def _snapped(names: tuple[str, ...]) -> tuple[tuple[str, ...], Any]:
    """The names a snapshot may keep, and a function picking their values from all the values."""
    indices = [i for i, name in enumerate(names) if name not in _NOT_SNAPPED]
    return tuple(names[i] for i in indices), _tuple_getter(itemgetter, indices)


def row_to_record(row: Row) -> dict[str, Any]:
    """The columns of ``endpoint_row`` for one row (without ids and position)."""
    return dict(zip(_RECORD_PLAN.columns, _RECORD_PLAN.values(row), strict=True))


def record_to_row(rec: Any, citations: list[str], evidence: dict[str, Evidence] | None = None) -> Row:
    """A :class:`Row` from an ``endpoint_row`` mapping, its citation keys and its evidence."""
    row = _ROW_PLAN.build(tuple(rec[name] for name in _ROW_PLAN.columns), citations)
    if evidence:
        row.evidence = evidence
    return row


def _json_value(raw: Any) -> dict[str, Any]:
    """A JSON column as fetched without type processing (text on SQLite)."""
    if raw is None or raw == "{}":
        return {}
    if isinstance(raw, str):
        return dict(json.loads(raw))
    return dict(raw)


def _read_back(how: int, value: Any) -> Any:
    """A stored value (not None) as the field's value."""
    if how == _REPORTED:
        return _parse(value)
    if how == _WHOLE:
        return _parse_whole(value)
    if how == _BOOLEAN:
        return bool(value)
    if how == _NUMBER or how == _LEVEL:
        return int(value) if float(value).is_integer() else value  # effect.ci_level: 95, not 95.0
    return value


class _RowPlan:
    """How the columns of ``endpoint_row`` become a :class:`Row`.

    Loading is the hot path of checks and exports on big reviews, so rows
    are fetched as plain tuples of only the columns needed (the printed
    texts, not the parsed ``*_num`` copies) and built by position.
    """

    def __init__(self) -> None:
        self.columns: list[str] = ["id", "comparison_id", *_ROW_TEXT_FIELDS]
        self.text_slice = slice(2, 2 + len(_ROW_TEXT_FIELDS))
        #: The row's own fields read back other than as stored: (name, how, index).
        self.own = [(f.name, _how(f), 2 + i) for i, f in enumerate(_ROW_OWN) if _how(f) not in (_PLAIN, _NUMBER)]
        #: Each part: (name, class, index of has_<part>, [(name, how, index, index of a level's text or -1)]).
        self.parts: list[tuple[str, type, int, list[tuple[str, int, int, int]]]] = []
        for part, (cls, part_fields) in _PARTS.items():
            flag = len(self.columns)
            self.columns.append(f"has_{part}")
            layout = []
            for name, f, how in part_fields:
                assert f.column is not None
                layout.append((name, how, len(self.columns), -1))
                self.columns.append(f.column)
            self.parts.append((part, cls, flag, layout))
        # A CI level printed as a string: its text column, read with the level.
        for _part, _cls, _flag, layout in self.parts:
            for i, (name, how, index, _text) in enumerate(layout):
                if how == _LEVEL:
                    layout[i] = (name, how, index, len(self.columns))
                    self.columns.append(f"{self.columns[index]}_text")
        self.ext = len(self.columns)
        self.columns += ["extensions", "part_extensions"]

    def build(self, rec: tuple[Any, ...], citations: list[str]) -> Row:
        texts = dict(zip(_ROW_TEXT_FIELDS, rec[self.text_slice], strict=True))
        for name, how, i in self.own:
            value = rec[i]
            if value is not None:
                texts[name] = _read_back(how, value)
        part_ext = _json_value(rec[self.ext + 1])
        parts: dict[str, Any] = {}
        for part, cls, flag, layout in self.parts:
            if not rec[flag]:
                parts[part] = None
                continue
            values: dict[str, Any] = {}
            for name, how, i, text in layout:
                value = rec[i]
                if how == _LEVEL and text >= 0 and rec[text] is not None:
                    value = _parse(rec[text])  # printed as a string (1.1), kept exactly
                elif value is not None and how != _PLAIN:
                    value = _read_back(how, value)
                values[name] = value
            parts[part] = cls(**values, extensions=dict(part_ext.get(part, {})))
        return Row(**texts, **parts, citations=citations, extensions=_json_value(rec[self.ext]))


_ROW_PLAN = _RowPlan()


# -- reading -----------------------------------------------------------------


def load_review(conn: Connection | Session) -> Review:
    """The whole review stored in the database."""
    if isinstance(conn, Session):
        conn = conn.connection()
    with gc_paused():
        return _load_review(conn)


def _load_review(conn: Connection) -> Review:
    meta = conn.execute(select(_T_REVIEW).order_by(_T_REVIEW.c.id)).mappings().first()
    review = Review(
        title=meta["title"] if meta else None,
        extensions=dict(meta["extensions"] or {}) if meta else {},
    )
    review.references = load_references(conn)
    review.documents = load_documents(conn)

    citations: dict[int, list[str]] = defaultdict(list)
    for row_id, key in conn.exec_driver_sql(
        "SELECT row_id, reference_key FROM citation ORDER BY row_id, position"
    ).fetchall():
        citations[row_id].append(key)
    by_comparison: dict[int, list[Row]] = defaultdict(list)
    columns = ", ".join(_ROW_PLAN.columns)
    result = conn.exec_driver_sql(f"SELECT {columns} FROM endpoint_row ORDER BY comparison_id, position")
    build = _ROW_PLAN.build
    evidence = load_evidence(conn)
    for fetched in result.fetchall():
        row = build(tuple(fetched), citations.get(fetched[0], []))
        if evidence:
            row.evidence = evidence.pop(fetched[0], row.evidence)
        by_comparison[fetched[1]].append(row)
    for rec in conn.execute(select(_T_CMP).order_by(_T_CMP.c.position)).mappings():
        review.comparisons.append(
            Comparison(
                key=rec["key"],
                title=rec["title"],
                intervention=rec["intervention"],
                comparator=rec["comparator"],
                note=rec["note"],
                rows=by_comparison.get(rec["id"], []),
                extensions=dict(rec["extensions"] or {}),
            )
        )
    review.accepted_findings = load_acceptances(conn)
    return review


def load_documents(conn: Connection | Session) -> list[Document]:
    """The review's source documents, in order."""
    if isinstance(conn, Session):
        conn = conn.connection()
    stored = set(conn.execute(select(_T_BLOB.c.sha256)).scalars())
    return [
        Document(
            **{name: rec[name] for name in _DOCUMENT_FIELDS},
            extensions=dict(rec["extensions"] or {}),
            stored=rec["sha256"] in stored,
        )
        for rec in conn.execute(select(_T_DOC).order_by(_T_DOC.c.position)).mappings()
    ]


def load_evidence(
    conn: Connection | Session, row_ids: Sequence[int] | None = None, *, comparison_id: int | None = None
) -> dict[int, dict[str, Evidence]]:
    """The evidence of the rows with ids ``row_ids`` (a few), or of the rows of
    one comparison, or of every row: row id -> field path -> evidence."""
    if isinstance(conn, Session):
        conn = conn.connection()
    query = select(_T_EV).order_by(_T_EV.c.row_id, _T_EV.c.id)
    if row_ids is not None:
        query = query.where(_T_EV.c.row_id.in_(list(row_ids)))
    if comparison_id is not None:
        query = query.join(_T_ROW, _T_ROW.c.id == _T_EV.c.row_id).where(_T_ROW.c.comparison_id == comparison_id)
    out: dict[int, dict[str, Evidence]] = {}
    for rec in conn.execute(query).mappings():
        out.setdefault(rec["row_id"], {})[rec["field"]] = Evidence(
            document=rec["document"],
            page=rec["page"],
            text=rec["text"],
            boxes=list(rec["boxes"] or []),
            extensions=dict(rec["extensions"] or {}),
        )
    return out


def evidence_snapshot(row: Row) -> dict[str, Any]:
    """The row's evidence for its audit entry (``{}`` when it has none, so older entries look as they did)."""
    if not row.evidence:
        return {}
    return {
        "evidence": {
            path: {"document": e.document, "page": e.page, "text": e.text, "boxes": e.boxes, **e.extensions}
            for path, e in row.evidence.items()
        }
    }


def evidence_json(evidence: Evidence | None) -> str | None:
    """Evidence as its audit entry keeps it (None for none): document, page, text and boxes."""
    if evidence is None:
        return None
    out: dict[str, Any] = {"document": evidence.document, "page": evidence.page}
    if evidence.text is not None:
        out["text"] = evidence.text
    out["boxes"] = _boxes(evidence.boxes)
    return json.dumps(out, ensure_ascii=False)


def _boxes(boxes: Any) -> list[list[float]]:
    return [[float(v) for v in box] for box in boxes or []]


def same_evidence(a: Evidence | None, b: Evidence | None) -> bool:
    """The same place: document, page, text and boxes (boxes as numbers, lists or tuples alike)."""
    if a is None or b is None:
        return a is b
    return (a.document, a.page, a.text, _boxes(a.boxes)) == (b.document, b.page, b.text, _boxes(b.boxes))


def insert_evidence(conn: Connection, rows: Sequence[tuple[int, Row]]) -> None:
    """Store the evidence of rows just inserted (row id, row). Each must name a
    document of the review: :class:`ContentConflict` (naming the row and the
    field) when one does not, as the exchange reader refuses it."""
    records = [
        {
            "row_id": row_id,
            "field": path,
            "document": e.document,
            "page": e.page,
            "text": e.text,
            "boxes": e.boxes,
            "extensions": e.extensions,
        }
        for row_id, row in rows
        for path, e in row.evidence.items()
    ]
    if not records:
        return
    known = set(conn.execute(select(_T_DOC.c.sha256)).scalars())
    for _row_id, row in rows:
        for path, e in row.evidence.items():
            if e.document not in known:
                raise ContentConflict(
                    f"row {row.endpoint!r}: the evidence of {path} names document {e.document}, "
                    "which the review does not have"
                )
    conn.execute(insert(_T_EV), records)


def add_documents(conn: Connection, audit: Audit, documents: Sequence[Document]) -> int:
    """Add the documents the review does not have yet (by SHA-256: the same
    bytes are the same document, whatever its file is called here), at the
    end of the list (audited); returns how many were added."""
    have = set(conn.execute(select(_T_DOC.c.sha256)).scalars())
    position = _next_position(conn, _T_DOC)
    records: list[dict[str, Any]] = []
    for document in documents:
        if document.sha256 in have:
            continue
        have.add(document.sha256)
        rec = {name: getattr(document, name) for name in _DOCUMENT_FIELDS}
        rec.update(position=position + len(records), extensions=dict(document.extensions))
        records.append(rec)
    for rec_id, rec in zip(_insert_by_position(conn, _T_DOC, records), records, strict=True):
        audit.add("insert", "document", rec_id, new=rec)
    return len(records)


def review_title(conn: Connection | Session) -> str | None:
    """The review's title (None when untitled)."""
    if isinstance(conn, Session):
        conn = conn.connection()
    return conn.execute(select(_T_REVIEW.c.title).order_by(_T_REVIEW.c.id)).scalar()


def load_acceptances(conn: Connection | Session, *where: Any) -> list[AcceptedFinding]:
    """The accepted findings (those matching the ``where`` clauses on
    ``accepted_finding``, if any), in order, without loading the rows."""
    if isinstance(conn, Session):
        conn = conn.connection()
    return [
        AcceptedFinding(**{name: rec[name] for name in _ACCEPTED_FIELDS}, extensions=dict(rec["extensions"] or {}))
        for rec in conn.execute(select(_T_ACC).where(*where).order_by(_T_ACC.c.position)).mappings()
    ]


def load_references(conn: Connection | Session) -> list[Reference]:
    """The review's references, in order (without loading its rows)."""
    if isinstance(conn, Session):
        conn = conn.connection()
    references = []
    for rec in conn.execute(select(_T_REF).order_by(_T_REF.c.position)).mappings().all():
        values = {name: rec[name] for name in _REFERENCE_FIELDS}
        values["authors"] = list(values["authors"] or [])
        references.append(Reference(**values, extensions=dict(rec["extensions"] or {})))
    return references


def is_empty(conn: Connection | Session) -> bool:
    """True when the database holds no content (no title, references or comparisons)."""
    if isinstance(conn, Session):
        conn = conn.connection()
    for table in (_T_REF, _T_CMP):
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            return False
    title = conn.execute(select(_T_REVIEW.c.title)).scalar()
    return not title


# -- writing -----------------------------------------------------------------


class ContentConflict(CuratorError):
    """Incoming content clashes with what the review already holds."""


def _insert_returning_ids(conn: Connection, table: Table, records: list[dict[str, Any]]) -> list[int]:
    if not records:
        return []
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), records)
    return [r[0] for r in result]


def _insert_by_position(conn: Connection, table: Table, records: list[dict[str, Any]], *scope: Any) -> list[int]:
    """Insert records that each have a distinct ``position`` within ``scope``
    (a WHERE clause that holds only them among the table's rows at that
    position) and return their ids in the records' order.

    One executemany and one SELECT: an INSERT ... RETURNING that must keep
    the parameters' order runs row by row on SQLite (20,000 rows: 0.7 s of
    1,000s of statements against 0.1 s).
    """
    if not records:
        return []
    conn.execute(insert(table), records)
    first = min(rec["position"] for rec in records)
    ids = dict(conn.execute(select(table.c.position, table.c.id).where(table.c.position >= first, *scope)).all())
    return [ids[rec["position"]] for rec in records]


def _next_id(conn: Connection, table: Table) -> int:
    """The id after the table's last (what the database would give the next row; the write transaction
    holds the lock, so no other writer takes it meanwhile)."""
    current = conn.execute(select(func.max(table.c.id))).scalar()
    return 1 if current is None else current + 1


def _ids_given(conn: Connection, table: Table) -> None:
    """After rows were inserted with their ids given: on PostgreSQL the table's id sequence goes on
    after them (SQLite's next rowid follows the largest by itself)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
        )


def _next_position(conn: Connection, table: Table) -> int:
    current = conn.execute(select(func.max(table.c.position))).scalar()
    return 0 if current is None else current + 1


def _reference_record(ref: Reference) -> dict[str, Any]:
    rec = {name: getattr(ref, name) for name in _REFERENCE_FIELDS}
    rec["extensions"] = ref.extensions
    return rec


def add_content(session: Session, review: Review, who: str, *, origin: str | None = None) -> dict[str, int]:
    """Add the review's content to the database's review.

    References whose key is already there are skipped when identical and
    refused when different; a comparison whose key is already there is
    refused. The title is taken when the database has none. Runs in the
    session's transaction: the caller commits, and a refusal leaves nothing
    written. Returns counts of what was added.

    A row's ``status`` and ``verified_by`` are kept as the content says
    them; when they say what only verifications may say (verified, disputed,
    a verifier), the row is marked a claim and the audit log gets a
    ``claim`` entry naming ``origin`` (the file it came from), see
    :mod:`curator.store.verified_here`.
    """
    with gc_paused(), big_cache(session.connection()):
        return _add_content(session, review, who, origin)


def _add_content(session: Session, review: Review, who: str, origin: str | None) -> dict[str, int]:
    from curator.store.verified_here import claim_words, is_claim

    conn = session.connection()
    audit = Audit(who)
    existing_refs = {rec["key"]: rec for rec in conn.execute(select(_T_REF)).mappings()}
    existing_cmps = set(conn.execute(select(_T_CMP.c.key)).scalars())

    new_refs: list[dict[str, Any]] = []
    for ref in review.references:
        rec = _reference_record(ref)
        old = existing_refs.get(ref.key)
        if old is not None:
            if any(old[name] != rec[name] for name in rec):
                raise ContentConflict(
                    f"reference {ref.key!r} is already in the review with different details; "
                    "give it another key, or replace the review's content"
                )
            continue
        new_refs.append(rec)
    for comparison in review.comparisons:
        if comparison.key in existing_cmps:
            raise ContentConflict(
                f"comparison {comparison.key!r} is already in the review; "
                "give it another key, or replace the review's content"
            )

    # The review's title and extensions.
    meta = conn.execute(select(_T_REVIEW)).mappings().first()
    if meta is None:
        values = {"title": review.title, "extensions": review.extensions}
        (meta_id,) = _insert_returning_ids(conn, _T_REVIEW, [values])
        audit.add("insert", "review", meta_id, new=values)
    elif not meta["title"] and review.title:
        conn.execute(_T_REVIEW.update().where(_T_REVIEW.c.id == meta["id"]).values(title=review.title))
        audit.change("review", meta["id"], "title", meta["title"], review.title)

    position = _next_position(conn, _T_REF)
    for i, rec in enumerate(new_refs):
        rec["position"] = position + i
    for rec_id, rec in zip(_insert_by_position(conn, _T_REF, new_refs), new_refs, strict=True):
        audit.add("insert", "reference", rec_id, new=rec)

    documents_added = add_documents(conn, audit, review.documents)

    position = _next_position(conn, _T_CMP)
    # Rows go in as tuples, all of them in one sparse insert (insert_many), with their ids given in the
    # order of their comparisons and positions: the insert groups them, and their order on the disk
    # stays theirs, which loading reads in. Their evidence and citations follow them.
    next_id = _next_id(conn, _T_ROW)
    row_values: list[tuple[Any, ...]] = []
    placed: list[tuple[int, Row]] = []
    cit_values: list[tuple[int, int, str]] = []
    for i, comparison in enumerate(review.comparisons):
        cmp_rec = {
            "position": position + i,
            "key": comparison.key,
            "title": comparison.title,
            "intervention": comparison.intervention,
            "comparator": comparison.comparator,
            "note": comparison.note,
            "extensions": comparison.extensions,
        }
        (cmp_id,) = _insert_returning_ids(conn, _T_CMP, [cmp_rec])
        audit.add("insert", "comparison", cmp_id, new=cmp_rec)
        for pos, row in enumerate(comparison.rows):
            row_id = next_id
            next_id += 1
            stored = (row_id, cmp_id, pos, is_claim(row), *_RECORD_PLAN.values(row))
            row_values.append(stored)
            placed.append((row_id, row))
            audit.add(
                "insert",
                "endpoint_row",
                row_id,
                new=row_snapshot(_ROW_INSERT_COLUMNS, stored, citations=row.citations, **evidence_snapshot(row)),
            )
            if stored[3]:  # status_claimed
                audit.event("claim", "endpoint_row", row_id, "status", origin, claim_words(row.status, row.verified_by))
            cit_values.extend((row_id, p, key) for p, key in enumerate(row.citations))
    insert_many(conn, _T_ROW, _ROW_INSERT_COLUMNS, row_values, sparse=True)
    _ids_given(conn, _T_ROW)
    insert_evidence(conn, placed)
    insert_many(conn, _T_CIT, ("row_id", "position", "reference_key"), cit_values)
    rows_added = len(row_values)

    insert_acceptances(conn, audit, review.accepted_findings)
    audit.flush(conn)
    return {
        "references": len(new_refs),
        "comparisons": len(review.comparisons),
        "rows": rows_added,
        "accepted_findings": len(review.accepted_findings),
        "documents": documents_added,
    }


def insert_acceptances(conn: Connection, audit: Audit, acceptances: Sequence[AcceptedFinding], **about: Any) -> None:
    """Store accepted findings at the end of the list (audited). ``about``
    overrides what they are about (``comparison=``, ``row=``, ``reference=``),
    for acceptances put back with a row or reference that moved."""
    position = _next_position(conn, _T_ACC)
    recs = []
    for i, acc in enumerate(acceptances):
        rec = {name: getattr(acc, name) for name in _ACCEPTED_FIELDS}
        rec.update(about, position=position + i, extensions=dict(acc.extensions))
        recs.append(rec)
    for rec_id, rec in zip(_insert_by_position(conn, _T_ACC, recs), recs, strict=True):
        audit.add("insert", "accepted_finding", rec_id, new=rec)


def replace_content(session: Session, review: Review, who: str, *, origin: str | None = None) -> dict[str, int]:
    """Replace everything the review holds with ``review`` (audited)."""
    conn = session.connection()
    audit = Audit(who)
    for table, name in (
        (_T_ACC, "accepted_finding"),
        (_T_ROW, "endpoint_row"),  # their citations and evidence go with them
        (_T_DOC, "document"),
        (_T_CMP, "comparison"),
        (_T_REF, "reference"),
        (_T_REVIEW, "review"),
    ):
        for rec in conn.execute(select(table)).mappings():
            audit.add(
                "delete",
                name,
                rec["id"],
                old=row_snapshot(list(rec.keys()), list(rec.values()))
                if table is _T_ROW
                else {k: v for k, v in rec.items() if k != "id"},
            )
        conn.execute(delete(table))
    audit.flush(conn)
    return add_content(session, review, who, origin=origin)


def save_acceptances(session: Session, acceptances: list[AcceptedFinding], who: str) -> int:
    """Store acceptances of findings (audited); returns how many were stored.

    An acceptance of the same finding (rule, row or reference, field) that
    is already stored is replaced, so the newest reason and fingerprint hold.
    """
    conn = session.connection()
    audit = Audit(who)
    existing = {
        (r["rule"], r["comparison"], r["row"], r["reference"], r["field"]): r
        for r in conn.execute(select(_T_ACC)).mappings()
    }
    position = _next_position(conn, _T_ACC)
    for acc in acceptances:
        rec: dict[str, Any] = {name: getattr(acc, name) for name in _ACCEPTED_FIELDS}
        rec["extensions"] = acc.extensions
        old = existing.get((acc.rule, acc.comparison, acc.row, acc.reference, acc.field))
        if old is not None:
            conn.execute(_T_ACC.delete().where(_T_ACC.c.id == old["id"]))
            audit.add("delete", "accepted_finding", old["id"], old={k: v for k, v in old.items() if k != "id"})
        rec["position"] = position
        position += 1
        (rec_id,) = _insert_returning_ids(conn, _T_ACC, [rec])
        audit.add("insert", "accepted_finding", rec_id, new=rec)
    audit.flush(conn)
    return len(acceptances)


def row_id_of(conn: Connection | Session, comparison: str, position: int) -> int | None:
    """The database id of a comparison's row at ``position``, or None."""
    if isinstance(conn, Session):
        conn = conn.connection()
    query = (
        select(_T_ROW.c.id)
        .join(_T_CMP, _T_CMP.c.id == _T_ROW.c.comparison_id)
        .where(_T_CMP.c.key == comparison, _T_ROW.c.position == position)
    )
    return conn.execute(query).scalar()
