"""The audit log: who changed what, when.

Every write of the store collects its changes in an :class:`Audit` and
flushes them in the same transaction, so a change and its record stand or
fall together. The table itself refuses updates, deletes, an insert over an
existing entry and a backdated one (see :mod:`curator.store.triggers`).

The entries are chained: each stores ``prev_hash``, the ``hash`` of the
entry before it (:data:`GENESIS` for the first), and its own ``hash``, the
SHA-256 of that and of its content (:func:`entry_hash`). :meth:`Audit.flush`
is the only writer of entries, so the only place that computes it. Anyone
who drops the triggers can still rewrite the file, but not without breaking
the chain where they did (:func:`verify_chain` names the first entry that
does not fit), nor, if they rewrite the chain from there on, without
changing the head (the last entry's hash) that an export carried away.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import Connection, Table, select, text
from sqlmodel import Session

from curator.store.bulk import insert_many
from curator.store.models import AuditEntry, table_of

__all__ = [
    "Audit",
    "audit_entries",
    "GENESIS",
    "entry_hash",
    "time_text",
    "chain_head",
    "verify_chain",
    "ChainEntry",
    "ChainReport",
]

_T_AUDIT: Table = table_of(AuditEntry)


class Audit:
    """Collects audit entries for one write and inserts them in bulk.

    ``add`` records an insert or delete with a JSON snapshot; ``change``
    records one field's update with its old and new value. ``flush`` writes
    them in the caller's transaction.
    """

    def __init__(self, who: str) -> None:
        self.who = who
        self.at = datetime.now(UTC)
        self.entries: list[dict[str, Any]] = []

    def add(self, action: str, table: str, row_id: int | None, *, old: Any = None, new: Any = None) -> None:
        self.entries.append(
            {
                "at": self.at,
                "who": self.who,
                "action": action,
                "table_name": table,
                "row_id": row_id,
                "field": None,
                "old": _snapshot(old),
                "new": _snapshot(new),
            }
        )

    def change(self, table: str, row_id: int | None, field: str, old: Any, new: Any) -> None:
        self.entries.append(
            {
                "at": self.at,
                "who": self.who,
                "action": "update",
                "table_name": table,
                "row_id": row_id,
                "field": field,
                "old": None if old is None else str(old),
                "new": None if new is None else str(new),
            }
        )

    def event(self, action: str, table: str, row_id: int | None, field: str | None, old: Any, new: Any) -> None:
        """Record a workflow event about one field (``verify``, ``dispute``,
        ``adjudicate``...) with the texts it concerns."""
        self.change(table, row_id, field or "", old, new)
        self.entries[-1].update(action=action, field=field)

    def flush(self, conn: Connection) -> None:
        """Insert the entries, chained on to the last one (ids, ``prev_hash``, ``hash``).

        An entry is never earlier than the last one in the log (the database refuses a backdated
        entry): if the clock went back, or another writer's entries came in since this write's time
        was taken, it gets the last one's time."""
        if not self.entries:
            return
        # As stored (a time someone made unreadable must not stop the work: it shows in --verify).
        last = conn.exec_driver_sql("SELECT id, at, hash FROM audit_log ORDER BY id DESC LIMIT 1").first()
        last_id, prev = (0, GENESIS) if last is None else (int(last[0]), last[2] or GENESIS)
        try:
            floor = None if last is None else time_text(last[1])
        except (TypeError, ValueError):
            floor = None
        texts: dict[datetime, str] = {}  # the entries of one write share their time: format it once
        chain = _Chain()
        for i, entry in enumerate(self.entries):
            at = texts.get(entry["at"])
            if at is None:
                at = texts[entry["at"]] = time_text(entry["at"])
            if floor is not None and at < floor:
                entry["at"], at = _parse_time(floor), floor
            entry["id"] = last_id + 1 + i
            entry["prev_hash"] = prev
            entry["hash"] = prev = chain.hash(prev, entry, at)
        insert_many(conn, _T_AUDIT, _FILLED, list(map(_filled, self.entries)))
        self.entries.clear()


#: The ``prev_hash`` of the first entry.
GENESIS = "0" * 64
#: The columns an entry fills.
_FILLED = ("id", "at", "who", "action", "table_name", "row_id", "field", "old", "new", "prev_hash", "hash")
#: What an entry's hash covers, in this order (with the previous entry's hash before them).
CONTENT = ("id", "at", "who", "action", "table_name", "row_id", "field", "old", "new")
_filled = itemgetter(*_FILLED)
_content = itemgetter(*CONTENT)
assert CONTENT[1] == "at"  # entry_hash puts the time as time_text gives it


def time_text(at: datetime | str) -> str:
    """An entry's time as the hash covers it: UTC, ``YYYY-MM-DD HH:MM:SS.ffffff`` (as SQLite stores it)."""
    if isinstance(at, str) and len(at) == 26 and at[10] == " " and at[19] == ".":
        return at  # already so (as stored): a text of this shape that is not a time fails its hash
    when = _parse_time(at) if isinstance(at, str) else at
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def _parse_time(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def entry_hash(prev: str, entry: Any, at: str | None = None) -> str:
    """SHA-256 (hex) of the previous entry's hash and this entry's content (:data:`CONTENT`; ``at``:
    its time already as :func:`time_text` gives it).

    The encoding is unambiguous: each value as its length and its text (``-`` for none), so no
    two different entries encode alike."""
    values = list(_content(entry))
    if values[1] is not None:
        values[1] = at or time_text(values[1])
    parts = [prev]
    parts += [
        "-" if value is None else f"{len(text)}:{text}"
        for value in values
        for text in (value if type(value) is str else str(value),)
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _part(value: Any) -> str:
    """One value as :func:`entry_hash` encodes it."""
    if value is None:
        return "-"
    text = value if type(value) is str else str(value)
    return f"{len(text)}:{text}"


class _Chain:
    """:func:`entry_hash` for the many entries of one write, which repeat their time, author, action,
    table and field: their encoded parts are made once (a 100,000-row import hashes 160,000 entries;
    this takes 40% less time). A test holds it to :func:`entry_hash`."""

    def __init__(self) -> None:
        self.middles: dict[tuple[Any, ...], str] = {}
        self.fields: dict[Any, str] = {}

    def hash(self, prev: str, entry: dict[str, Any], at: str) -> str:
        key = (at, entry["who"], entry["action"], entry["table_name"])
        middle = self.middles.get(key)
        if middle is None:
            middle = self.middles[key] = "\n".join(map(_part, key))
        field = self.fields.get(entry["field"])
        if field is None:
            field = self.fields[entry["field"]] = _part(entry["field"])
        ident, row_id, old, new = str(entry["id"]), entry["row_id"], entry["old"], entry["new"]
        row = "-" if row_id is None else _part(row_id)
        old = "-" if old is None else f"{len(old)}:{old}" if type(old) is str else _part(old)
        new = "-" if new is None else f"{len(new)}:{new}" if type(new) is str else _part(new)
        text = f"{prev}\n{len(ident)}:{ident}\n{middle}\n{row}\n{field}\n{old}\n{new}"
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ChainEntry:
    """One entry of the log as the chain sees it (its time as stored)."""

    id: int
    at: str
    who: str
    hash: str | None


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What :func:`verify_chain` found: ``problem`` is None when every entry fits.

    ``bad`` is the first entry that does not fit and ``problem`` says why; ``head`` is the last
    entry (None for an empty log); ``found`` is the entry whose hash is the head asked about
    (None when it is not in the log)."""

    entries: int
    head: ChainEntry | None
    bad: ChainEntry | None = None
    problem: str | None = None
    found: ChainEntry | None = None
    #: How many entries (from the first) were checked and fit before ``bad``.
    fit: int = 0

    @property
    def intact(self) -> bool:
        return self.problem is None


CHANGED = "its content was changed (its hash is not that of what it says)"
_COLUMNS = ", ".join(_FILLED)


def _rows(conn: Connection) -> Iterator[dict[str, Any]]:
    # The stored values, not as SQLAlchemy would convert them: a time that is not a time is a finding.
    result = conn.exec_driver_sql(f"SELECT {_COLUMNS} FROM audit_log ORDER BY id")
    names = _COLUMNS.split(", ")
    for rec in result:
        yield dict(zip(names, rec, strict=True))


def chain_head(conn: Connection) -> str | None:
    """The hash of the last entry of the log (None for an empty log)."""
    head = conn.execute(select(_T_AUDIT.c.hash).order_by(_T_AUDIT.c.id.desc()).limit(1)).scalar()
    return None if head is None else str(head)


def verify_chain(conn: Connection, head: str | None = None) -> ChainReport:
    """Check the whole chain, oldest first, and stop at the first entry that does not fit.

    An entry does not fit when its hash is not that of its content and of its ``prev_hash`` (its
    content was changed, or it was added without the chain), when its ``prev_hash`` is not the hash
    of the entry before it (an entry before it is missing, or was inserted, or the entries were
    reordered: which one is said), or when its time is earlier than the one before it. ``head``, a
    hash (or an unambiguous start of one, 12 characters or more) that an export carried: the entry
    it names is ``found``, or the report says the head is not in the log."""
    hashes: dict[str, ChainEntry] = {}
    position: dict[str, int] = {}
    before: ChainEntry | None = None
    prev = GENESIS
    count = 0
    bad: ChainEntry | None = None
    problem: str | None = None
    rows = _rows(conn)
    for rec in rows:
        try:
            at_text = time_text(rec["at"])
        except (TypeError, ValueError):
            bad = ChainEntry(int(rec["id"]), str(rec["at"]), str(rec["who"]), rec["hash"])
            problem = f"its content was changed (its time {rec['at']!r} is not a time)"
            break
        entry = ChainEntry(int(rec["id"]), at_text, str(rec["who"]), rec["hash"])
        if not rec["hash"] or not rec["prev_hash"]:
            bad, problem = entry, "it has no hash (it was inserted without the chain)"
        elif rec["prev_hash"] != prev:
            bad, problem = _broken_link(entry, rec, before, hashes, position, rows)
            count = position.get(bad.hash or "", count)
        elif entry_hash(rec["prev_hash"], rec, at_text) != rec["hash"]:
            bad, problem = entry, CHANGED
        elif before is not None and at_text < before.at:
            bad = entry
            problem = f"it is backdated (its time is earlier than that of entry {before.id} before it, {before.at} UTC)"
        if bad is not None:
            break
        hashes[rec["hash"]] = entry
        position[rec["hash"]] = count
        prev, before = rec["hash"], entry
        count += 1
    total = int(conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() or 0)
    last = _entry(conn.exec_driver_sql("SELECT id, at, who, hash FROM audit_log ORDER BY id DESC LIMIT 1").first())
    found = None
    if head is not None and len(head.strip()) >= 12:
        matches = conn.execute(
            text("SELECT id, at, who, hash FROM audit_log WHERE substr(hash, 1, :n) = :head ORDER BY id LIMIT 2"),
            {"n": len(head.strip()), "head": head.strip().lower()},
        ).fetchall()
        found = _entry(matches[0]) if len(matches) == 1 else None
    return ChainReport(total, last, bad, problem, found, count)


def _entry(rec: Any) -> ChainEntry | None:
    if rec is None:
        return None
    try:
        at = time_text(rec[1])
    except (TypeError, ValueError):
        at = str(rec[1])
    return ChainEntry(int(rec[0]), at, str(rec[2]), rec[3])


def _broken_link(
    entry: ChainEntry,
    rec: dict[str, Any],
    before: ChainEntry | None,
    hashes: dict[str, ChainEntry],
    position: dict[str, int],
    rest: Iterator[dict[str, Any]],
) -> tuple[ChainEntry, str]:
    """Why ``entry`` (``rec``) does not follow the entry before it, and which entry is the first that
    does not fit: entries inserted before it (it follows an earlier one), reordered (it follows a later
    one), its own content changed, or an entry before it missing."""
    prev = rec["prev_hash"]
    if before is not None and (prev == GENESIS or prev in hashes):
        # It follows an earlier entry (or none): those after that one, up to it, were inserted.
        at = position[prev] + 1 if prev in hashes else 0
        first = next(e for h, e in hashes.items() if position[h] == at)
        after = f"entry {hashes[prev].id}" if prev in hashes else "no entry (it is the chain's first)"
        inserted = (
            "it was inserted" if first is before else f"it and the entries after it up to {before.id} were inserted"
        )
        return first, f"{inserted}: in the chain entry {entry.id} follows {after}"
    later = {r["hash"]: int(r["id"]) for r in rest}
    if prev in later:
        return entry, f"the entries were reordered: in the chain it comes after entry {later[prev]}"
    if entry_hash(prev, rec) != rec["hash"]:
        return entry, CHANGED
    if before is None:
        return entry, "an entry before it is missing (the log's first was removed)"
    if entry.id - before.id > 1:
        gone = f"entry {before.id + 1}" if entry.id - before.id == 2 else f"entries {before.id + 1} to {entry.id - 1}"
        gone = gone.replace(" to ", " and ") if entry.id - before.id == 3 else gone
        return entry, f"an entry before it is missing ({gone} removed)"
    return entry, f"an entry before it is missing: in the chain it does not follow entry {before.id}, nor any other"


#: A snapshot's keys sorted; what JSON has no form for (dates, Decimals, dataclasses) as its ``str``, as
#: ``json.dumps(default=str)`` gives it; the text compact and in UTF-8. (An enum would be its value, where
#: ``json`` gives its ``str``: the values snapshotted are columns' values, which are never enums.)
#: Subclasses of str, int, dict and list are written as what they are, as json writes them.
_SNAPSHOT = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _snapshot(values: Any) -> str | None:
    """The JSON text of a row's (or another record's) values for an audit entry. orjson writes it three
    times as fast as ``json`` (an import of 100,000 rows writes as many): what it reads back is the same
    (tests/store/test_row_snapshots.py)."""
    if values is None:
        return None
    try:
        return orjson.dumps(values, default=str, option=_SNAPSHOT).decode()
    except orjson.JSONEncodeError:  # what orjson has no form for (an integer beyond 64 bits)
        return json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def audit_entries(
    conn: Connection | Session,
    *,
    table: str | None = None,
    row_id: int | None = None,
    since: datetime | None = None,
) -> list[dict[str, Any]]:
    """Audit log entries in the order they were made, optionally for one row
    of one table and from a moment on."""
    if isinstance(conn, Session):
        conn = conn.connection()
    query = select(_T_AUDIT).order_by(_T_AUDIT.c.id)
    if table is not None:
        query = query.where(_T_AUDIT.c.table_name == table)
    if row_id is not None:
        query = query.where(_T_AUDIT.c.row_id == row_id)
    if since is not None:
        query = query.where(_T_AUDIT.c.at >= since)
    return [dict(rec) for rec in conn.execute(query).mappings()]
