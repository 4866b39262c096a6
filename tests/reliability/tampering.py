"""The audit log rewritten every way someone with the sqlite3 shell can, and what must catch it (issue
15's reliability suite).

:data:`WAYS` are the attacks, each applied at an entry of a review's history: an entry's content
changed, an entry deleted, one inserted with a fitting hash, two swapped, one appended backdated with a
fitting hash, the triggers dropped and the chain rewritten from an entry on (it verifies: only the head
an export carried catches it), ``REPLACE INTO`` over an entry. :func:`try_way` applies one to a copy
of a review and says whether it was caught, and how: refused by the database (the triggers, while
they stand), or named by ``curator log --verify`` as the entry that does not fit, with the right
problem; for the rewritten chain, ``--verify --head`` with the head from before. The tests try each way
at a few entries; ``benchmarks/reliability_long.py`` at many random ones of a longer history.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from curator.store.audit import entry_hash

TRIGGERS = ("audit_log_no_update", "audit_log_no_delete", "audit_log_no_overwrite", "audit_log_no_backdating")


def tamper(path: Path, *sql: str) -> None:
    """What anyone with the sqlite3 shell can do: drop the triggers, then rewrite the log."""
    conn = sqlite3.connect(path)
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in sql:
        conn.execute(statement)
    conn.commit()
    conn.close()


def refused(path: Path, *sql: str) -> bool:
    """Whether the database, its triggers standing, refuses ``sql`` (a plain sqlite3 connection: recursive
    triggers off, as the shell has them); it writes nothing either way."""
    conn = sqlite3.connect(path)
    try:
        for statement in sql:
            conn.execute(statement)
    except sqlite3.IntegrityError:
        return True
    finally:
        conn.rollback()
        conn.close()
    return False


def entry(path: Path, id_: int) -> tuple[str, str]:
    """The time and author of entry ``id_``."""
    conn = sqlite3.connect(path)
    at, who = conn.execute("SELECT at, who FROM audit_log WHERE id = ?", (id_,)).fetchone()
    conn.close()
    return at, who


def last_entry(path: Path) -> tuple[int, str]:
    """The id and hash of the log's last entry."""
    conn = sqlite3.connect(path)
    n, head = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    conn.close()
    return int(n), str(head)


def forged_insert(id_: int, at: str, prev: str) -> str:
    """An ``INSERT`` of a made-up entry ``id_`` at time ``at`` whose hash fits after ``prev``."""
    forged = {"id": id_, "at": at, "who": "Mallory", "action": "update", "table_name": "review", "row_id": 1,
              "field": "title", "old": "x", "new": "y"}  # fmt: skip
    return (
        "INSERT INTO audit_log (id, at, who, action, table_name, row_id, field, old, new, prev_hash, hash) "
        f"VALUES ({id_}, '{at}', 'Mallory', 'update', 'review', 1, 'title', 'x', 'y', '{prev}', "
        f"'{entry_hash(prev, forged)}')"
    )


def inserted_after(path: Path, at: int) -> tuple[str, ...]:
    """Entries after ``at`` moved up one place, and a forged entry with a fitting hash put in the gap."""
    conn = sqlite3.connect(path)
    time, prev = conn.execute("SELECT at, hash FROM audit_log WHERE id = ?", (at,)).fetchone()
    conn.close()
    return (
        f"UPDATE audit_log SET id = -id WHERE id > {at}",
        "UPDATE audit_log SET id = 1 - id WHERE id < 0",
        forged_insert(at + 1, time, prev),
    )


def swapped(at: int) -> tuple[str, ...]:
    """Entries ``at`` and ``at + 1`` swapped."""
    return (
        f"UPDATE audit_log SET id = -1 WHERE id = {at}",
        f"UPDATE audit_log SET id = {at} WHERE id = {at + 1}",
        f"UPDATE audit_log SET id = {at + 1} WHERE id = -1",
    )


def rewrite_chain(path: Path, at: int) -> None:
    """Entry ``at`` changed and every hash from it on recomputed: a chain that fits, with another head."""
    conn = sqlite3.connect(path)
    for name in TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    conn.execute("UPDATE audit_log SET who = 'Mallory' WHERE id = ?", (at,))
    conn.row_factory = sqlite3.Row
    prev = conn.execute("SELECT prev_hash FROM audit_log WHERE id = ?", (at,)).fetchone()[0]
    for row in conn.execute("SELECT * FROM audit_log WHERE id >= ? ORDER BY id", (at,)).fetchall():
        digest = entry_hash(prev, dict(row))
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row["id"]))
        prev = digest
    conn.commit()
    conn.close()


@dataclass(frozen=True)
class Expect:
    """An attack and what must catch it: the database refusing ``refuse`` while its triggers stand;
    once ``apply`` made the attack (triggers dropped), ``--verify`` naming entry ``first_bad`` with a
    problem matching ``problem``, or, when ``head`` is set, ``--verify --head`` refusing that head."""

    apply: Callable[[Path], None]
    refuse: tuple[str, ...]
    first_bad: int | None = None
    problem: str = ""
    head: str | None = None


def _sql(*statements: str) -> Callable[[Path], None]:
    return lambda path: tamper(path, *statements)


#: An attack aimed at entry ``at`` of the review at a path whose log holds ``n`` entries.
Way = Callable[[Path, int, int], Expect]

_COLUMNS = ("who", "action", "table_name", "field", "old", "new", "row_id", "at")


def _changed(path: Path, at: int, n: int) -> Expect:
    column = _COLUMNS[at % len(_COLUMNS)]
    value = "'2020-01-01 00:00:00.000000'" if column == "at" else f"COALESCE({column}, '') || 'x'"
    sql = f"UPDATE audit_log SET {column} = {value} WHERE id = {at}"
    return Expect(_sql(sql), (sql,), at, "its content was changed")


def _deleted(path: Path, at: int, n: int) -> Expect:
    sql = f"DELETE FROM audit_log WHERE id = {at}"
    if at == n:  # the last entry gone leaves a chain that fits: the head that went out shows it
        return Expect(_sql(sql), (sql,), head=last_entry(path)[1])
    return Expect(_sql(sql), (sql,), at + 1, r"an entry before it is missing")


def _inserted(path: Path, at: int, n: int) -> Expect:
    at = min(at, n - 1)  # after the last, with a fitting hash, it is new work as far as any chain can tell
    sql = inserted_after(path, at)
    return Expect(_sql(*sql), sql[:1], at + 1, rf"it was inserted: in the chain entry {at + 2} follows entry {at}\b")


def _reordered(path: Path, at: int, n: int) -> Expect:
    at = min(at, n - 1)
    sql = swapped(at)
    return Expect(_sql(*sql), sql[:1], at, rf"the entries were reordered: in the chain it comes after entry {at + 1}\b")


def _backdated(path: Path, at: int, n: int) -> Expect:
    """Appended at the end with a fitting hash, at a time a second before entry ``at``'s."""
    when = datetime.fromisoformat(entry(path, at)[0]) - timedelta(seconds=1)
    sql = forged_insert(n + 1, when.strftime("%Y-%m-%d %H:%M:%S.%f"), last_entry(path)[1])
    return Expect(_sql(sql), (sql,), n + 1, rf"it is backdated \(its time is earlier than that of entry {n} before it")


def _rewritten(path: Path, at: int, n: int) -> Expect:
    refuse = f"UPDATE audit_log SET who = 'Mallory' WHERE id = {at}"
    return Expect(lambda p: rewrite_chain(p, at), (refuse,), head=last_entry(path)[1])


def _replaced(path: Path, at: int, n: int) -> Expect:
    """``REPLACE INTO`` an entry's id: a REPLACE deletes without firing delete triggers when recursive
    triggers are off (as in the shell), so the insert trigger must refuse it; made anyway, the entry
    has no hash."""
    verb = ("REPLACE", "INSERT OR REPLACE")[at % 2]
    sql = f"{verb} INTO audit_log (id, at, who, action, table_name) VALUES ({at}, '2099-01-01', 'Mallory', 'x', 'r')"
    return Expect(_sql(sql), (sql,), at, r"it has no hash \(it was inserted without the chain\)")


WAYS: dict[str, Way] = {
    "changed": _changed,
    "deleted": _deleted,
    "inserted": _inserted,
    "reordered": _reordered,
    "backdated": _backdated,
    "triggers dropped, chain rewritten": _rewritten,
    "REPLACE INTO": _replaced,
}


@dataclass(frozen=True)
class Tampering:
    way: str
    at: int
    #: How it was caught ("refused", "entry N named", "head refused").
    caught: str
    #: What went wrong: empty when every guard held.
    problems: tuple[str, ...]


def try_way(review: Path, copy: Path, way: str, at: int) -> Tampering:
    """Make attack ``way`` at entry ``at`` of a copy of ``review`` (at ``copy``) and judge what caught it:
    first the database with its triggers, then ``--verify`` (or ``--verify --head``)."""
    from tests.reliability.kills import quietly

    shutil.copyfile(review, copy)
    n, _ = last_entry(copy)
    expect = WAYS[way](copy, at, n)
    problems: list[str] = []
    caught: list[str] = []
    before = copy.read_bytes()
    if refused(copy, *expect.refuse) and copy.read_bytes() == before:
        caught.append("refused")
    else:
        problems.append(f"the database took {expect.refuse[0][:80]!r}, its triggers standing")
    expect.apply(copy)
    if expect.first_bad is not None:
        code, out = quietly("log", str(copy), "--verify", "--format", "json")
        bad = (json.loads(out).get("first_bad") if code == 1 else None) or {}
        if bad.get("id") != expect.first_bad or not re.search(expect.problem, bad.get("problem", "")):
            problems.append(f"--verify exit {code}, not entry {expect.first_bad} ({expect.problem}): {out[:300]}")
        else:
            caught.append(f"--verify named entry {expect.first_bad}")
    if expect.head is not None:
        code, out = quietly("log", str(copy), "--verify", "--head", expect.head)
        if code != 1 or f"The head {expect.head} is not in this review's audit log" not in out:
            problems.append(f"--verify --head exit {code}: {out[:300]}")
        else:
            caught.append("--verify --head refused the head")
    return Tampering(way, at, ", ".join(caught), tuple(problems))


def history(path: Path, edits: int) -> Path:
    """The demo review at ``path`` with ``edits`` more edits, each its own write: a longer audit log
    whose entries have times of their own."""
    from curator.services import ReviewService
    from tests.helpers import stored_demo

    stored_demo(path)
    with ReviewService.open(path, "Ben") as service:
        for i in range(edits):
            service.rows.edit_field("pime-vs-tcs", i % 4, "note", f"edit {i}")
    return path
