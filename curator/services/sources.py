"""Reading a SOURCE and opening the review database a command works on.

A SOURCE is a review database or a ``curator/1`` exchange file; which one is
decided by the file's content, not its name. Without a path, commands use
the embedded default review, which is created with the demo review in it
the first time it is needed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine

from curator.demo import demo_review
from curator.errors import CuratorError, DatabaseError, InputError
from curator.formats.exchange import read_exchange
from curator.paths import default_database
from curator.review import Review
from curator.store.database import SQLITE_MAGIC, Database, head_revision, open_database
from curator.store.repository import add_content, load_review
from curator.store.verified_here import VerifiedRows, verified_rows

__all__ = [
    "is_database",
    "is_workbook",
    "open_review",
    "read_source",
    "read_theirs",
    "source_verified_rows",
    "DEFAULT_REVIEWER",
]

DEFAULT_REVIEWER = "curator"
_ZIP_MAGIC = b"PK\x03\x04"


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:
        return False


def is_database(path: Path) -> bool:
    """True when the file at ``path`` is an SQLite file (by its first bytes)."""
    return _starts_with(path, SQLITE_MAGIC)


def is_workbook(path: Path) -> bool:
    """True when the file at ``path`` is a zip file, as .xlsx workbooks are."""
    return _starts_with(path, _ZIP_MAGIC)


def open_review(path: str | Path | None, *, create: bool = True, who: str = DEFAULT_REVIEWER) -> Database:
    """Open the review database at ``path`` (the default review when None).

    The default review is created with the demo in it on first use. An
    existing file that cannot be written is opened read-only.
    """
    if path is None:
        target = default_database()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"{target.parent}: cannot create the data folder ({exc.strerror})") from None
        db = open_database(target, create=True)
        if db.created:
            with db.session() as session:
                add_content(session, demo_review(), who)
        return db
    target = Path(path)
    readonly = target.exists() and not os.access(target, os.W_OK)
    return open_database(target, create=create, readonly=readonly)


def read_source(path: str | Path | None) -> Review:
    """The review in a SOURCE: a database, an exchange file, a workbook, or the default review.

    Which it is, is told by the file's first bytes, not its name.
    """
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise InputError("no such file", file=str(path))
        if path.is_file() and is_workbook(path):
            from curator.formats.xlsx_read import read_workbook

            return read_workbook(path)
        if path.is_file() and not is_database(path):
            return read_exchange(path)
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return load_review(session)


def read_theirs(path: str | Path) -> Review:
    """The other reviewer's review, read without changing their file.

    Refuses (:class:`CuratorError`) a file that is not a review, and a
    review database of another schema version than this Curator's: it is
    not upgraded here (open it once with this Curator, then merge).
    """
    path = Path(path)
    if not path.is_file():
        raise CuratorError(f"{path}: no such file")
    if not is_database(path):
        return read_source(path)
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    uri = f"file:{path}?{mode}"
    try:
        probe = sqlite3.connect(uri, uri=True)
        try:
            tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if "alembic_version" in tables:
                found = probe.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = found[0] if found else None
        finally:
            probe.close()
    except sqlite3.DatabaseError:
        raise DatabaseError(f"{path}: is not a Curator review database (damaged or not SQLite)") from None
    if revision is None:
        raise DatabaseError(f"{path}: is an SQLite database but not a Curator review; nothing was merged")
    head = head_revision()
    if revision != head:
        raise DatabaseError(
            f"{path}: is a review of schema {revision}, this Curator's is {head}; it is not changed here. "
            "Open it with the same Curator version as this review (which upgrades an older file), then merge"
        )
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    try:
        with engine.connect() as conn:
            return load_review(conn)
    finally:
        engine.dispose()


def source_verified_rows(path: str | Path | None, review: Review) -> VerifiedRows:
    """The rows of SOURCE ``path`` verified here and those only claimed
    verified (see :mod:`curator.store.verified_here`); ``review`` is its
    content as read. A file (exchange file, workbook) holds no verifications
    made in a review: every row it says is verified is a claim."""
    if path is not None:
        target = Path(path)
        if target.is_file() and not is_database(target):
            claimed = frozenset(
                (c.key, position)
                for c in review.comparisons
                for position, row in enumerate(c.rows)
                if row.status == "verified"
            )
            return VerifiedRows(frozenset(), claimed, {})
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return verified_rows(session)
