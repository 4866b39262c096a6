"""Whether a review file can be opened for editing, and making a new one.

* :func:`check_openable` looks at a file the way File > Open needs before it
  touches it, and raises :class:`~curator.errors.DatabaseError` with a
  one-line message for each reason it cannot be edited: it does not exist;
  it is not a review (not SQLite, another program's SQLite, an empty or
  damaged file); it was made by a newer Curator; another program holds a
  lock on it; it or its folder is read-only. Every probe is read-only or a
  write transaction that is rolled back, with a short busy timeout, so the
  file is left byte for byte as it was.
* :func:`create_review` makes a new, empty review database for File > New,
  and refuses a path where a file already exists.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from pathlib import Path

from curator.errors import DatabaseError
from curator.review import Review
from curator.store.database import SCHEMA_HEAD, check_file, examine, explain_sqlite, open_database
from curator.store.repository import add_content

__all__ = ["check_openable", "create_review", "LOCK_PROBE_TIMEOUT_S"]

#: How long the probes wait for another program's lock before calling the file locked.
LOCK_PROBE_TIMEOUT_S = 0.2


def check_openable(path: Path) -> None:
    """Raise :class:`DatabaseError` unless ``path`` is a review this Curator can open and edit.

    A review of an older schema passes (opening it backs it up and upgrades
    it). The file is never changed.
    """
    path = Path(path).expanduser().absolute()
    if not path.exists():
        raise DatabaseError(f"{path}: no such file")
    check_file(path)  # a folder, unreadable, or not an SQLite file at all
    if path.stat().st_size == 0:
        raise DatabaseError(f"{path}: is an empty file, not a Curator review")
    if not os.access(path, os.W_OK):
        raise DatabaseError(f"{path}: is read-only (no permission to write it); open a copy, or change its permissions")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseError(
            f"{path}: its folder {str(path.parent)!r} is read-only, so the review's journal cannot be written; "
            "copy the file to a folder you can write to"
        )
    _probe(path, write=False)  # an exclusive lock stops even readers
    examine(path, SCHEMA_HEAD)  # another program's SQLite, or a newer Curator's
    _probe(path, write=True)  # a writer holding the lock


def _probe(path: Path, *, write: bool) -> None:
    """Read the schema (or take and release the write lock) with a short timeout."""
    mode = "rw" if write else "ro"
    try:
        conn = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=LOCK_PROBE_TIMEOUT_S, isolation_level=None)
    except sqlite3.Error as exc:
        raise explain_sqlite(path, exc) from None
    try:
        if write:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        else:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise explain_sqlite(path, exc) from None
    finally:
        conn.close()


def create_review(path: Path, title: str, who: str) -> None:
    """Make a new, empty review database at ``path`` titled ``title`` (audited as ``who``).

    Refuses a path where anything exists, and a missing folder. The review
    is built in a temporary file beside ``path`` and linked into place only
    when complete, so a failure leaves nothing behind.
    """
    path = Path(path).expanduser().absolute()
    if path.exists():
        raise DatabaseError(f"{path}: already exists; choose a new file name for a new review")
    if not path.parent.is_dir():
        raise DatabaseError(f"{path}: cannot create: the folder {str(path.parent)!r} does not exist")
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseError(f"{path}: cannot create: the folder {str(path.parent)!r} is read-only")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.new")
    try:
        with open_database(tmp, create=True) as db, db.session() as session:
            add_content(session, Review(title=title.strip() or None), who)
        try:
            os.link(tmp, path)  # fails, atomically, if a file appeared meanwhile
        except FileExistsError:
            raise DatabaseError(f"{path}: already exists; choose a new file name for a new review") from None
        except OSError as exc:
            if path.exists():
                raise DatabaseError(f"{path}: already exists; choose a new file name for a new review") from None
            try:  # a file system without hard links
                os.replace(tmp, path)
            except OSError:
                raise DatabaseError(f"{path}: cannot create: {exc.strerror or exc}") from None
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-wal"), tmp.with_name(tmp.name + "-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
