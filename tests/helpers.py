"""Helpers shared by the tests: running the CLI in-process, a stored demo review."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import pytest

from curator.cli import main
from curator.demo import demo_review
from curator.review import Review
from curator.services.sources import open_review
from curator.store.database import Database
from curator.store.repository import add_content, load_review
from tests.backends import raw

#: Where a review is: a file, or (a str) a postgresql:// URL.
Where = TypeVar("Where", Path, str)

ROOT = Path(__file__).parents[1]
DEMO = ROOT / "resources" / "demo-review.json"
REFERENCE_FIXTURES = Path(__file__).parent / "references" / "fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``curator ARGS`` in this process: exit status, stdout, stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def stored_demo(path: Where, who: str = "Ana") -> Where:
    """A review database at ``path`` holding the demo review."""
    with open_review(path) as db, db.session() as session:
        add_content(session, demo_review(), who)
    return path


def stored(path: Path | str) -> Review:
    """The review as stored in the database at ``path``."""
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return load_review(session)


def stored_in(db: Database) -> Review:
    """The review as stored in an open database."""
    with db.session(write=False) as session:
        return load_review(session)


def audit_count(db: Database) -> int:
    """How many entries the audit log of ``db`` holds."""
    conn = raw(db)
    (count,) = conn.execute("SELECT count(*) FROM audit_log").fetchone()
    conn.close()
    return int(count)


def audit_since(db: Database, start: int) -> list[tuple[str, str, str | None, str | None, str | None]]:
    """The audit entries after the first ``start``: who, "action table", field, old, new."""
    conn = raw(db)
    rows = conn.execute(
        "SELECT who, action, table_name, field, old, new FROM audit_log WHERE id > ? ORDER BY id", (start,)
    ).fetchall()
    conn.close()
    return [(who, f"{action} {table}", field, old, new) for who, action, table, field, old, new in rows]


def audit_head(path: Path | str) -> str:
    """The head of the audit chain of the review database at ``path``: its last entry's hash."""
    conn = raw(path)
    try:
        return str(conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def without_audit_head(text: str, database: Path) -> str:
    """An exchange file a review database exported, without the ``x-audit-head`` it ends with (that
    database's own head: checked); what is left is the review's content, as any export writes it."""
    import re

    found = re.search(r',\n  "x-audit-head": "([0-9a-f]{64})"\n}\n\Z', text)
    assert found is not None, "an export of a review database ends with its audit head"
    assert found[1] == audit_head(database)
    return text[: found.start()] + "\n}\n"


def document_tables(path: Path) -> tuple[list[tuple[object, ...]], list[str], int]:
    """What attaching may touch: the documents, the SHA-256 of the bytes held, the audit log's length."""
    conn = raw(path)
    try:
        documents = [
            tuple(d) for d in conn.execute("SELECT sha256, file, reference FROM document ORDER BY id").fetchall()
        ]
        blobs = [sha for (sha,) in conn.execute("SELECT sha256 FROM document_blob ORDER BY sha256").fetchall()]
        (log,) = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()
    finally:
        conn.close()
    return documents, blobs, log
