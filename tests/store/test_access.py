"""File > Open's checks and File > New: every refusal leaves the file byte for byte as it was."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from curator.errors import DatabaseError
from curator.store import access
from curator.store.access import check_openable, create_review
from curator.store.database import LOCKED, head_revision, open_database
from curator.store.repository import audit_entries, load_review
from tests.helpers import stored_demo

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(path: Path, message: str) -> None:
    """check_openable refuses ``path`` with ``message`` and leaves its bytes unchanged."""
    before = _digest(path)
    with pytest.raises(DatabaseError) as info:
        check_openable(path)
    assert str(info.value) == f"{path}: {message}"
    assert _digest(path) == before


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return stored_demo(tmp_path / "review.sqlite")


def test_a_review_passes_unchanged(review: Path) -> None:
    before = _digest(review)
    check_openable(review)
    assert _digest(review) == before


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.sqlite"
    with pytest.raises(DatabaseError, match=r"gone\.sqlite: no such file$"):
        check_openable(path)
    assert list(tmp_path.iterdir()) == []


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="is a folder, not a review database"):
        check_openable(tmp_path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello, this is text", "is not a Curator review database (not an SQLite file)"),
        (
            b'{"format": "curator/1"}',
            "is not a Curator review database (not an SQLite file) "
            "(it looks like a JSON file: use `curator import` to bring an exchange file in)",
        ),
        (b"", "is an empty file, not a Curator review"),
        (b"SQLite format 3\x00" + b"\xff" * 200, "is not a Curator review database (damaged or not SQLite)"),
    ],
    ids=["text", "json", "empty", "junk-after-sqlite-magic"],
)
def test_not_a_review(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    _refused(path, message)
    assert [p.name for p in tmp_path.iterdir()] == ["x.sqlite"]


def test_another_programs_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        conn.execute("INSERT INTO notes (text) VALUES ('mine')")
    conn.close()
    _refused(path, "is an SQLite database but not a Curator review")


def test_newer_schema(review: Path) -> None:
    conn = sqlite3.connect(review)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()
    _refused(
        review,
        f"was made by a newer version of Curator (schema ffff9999); this version knows schemas up to "
        f"{head_revision()}. Update Curator to open it.",
    )
    assert not list(review.parent.glob("*.backup-*"))


def test_locked_by_a_writer_in_this_process(review: Path) -> None:
    other = sqlite3.connect(review, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO audit_log (at, who, action, table_name) VALUES ('2099-01-01', 'x', 'insert', 'x')")
        _refused(review, LOCKED)
    finally:
        other.execute("ROLLBACK")
        other.close()
    check_openable(review)  # the lock is gone, so is the refusal


@pytest.fixture
def locked_by_another_process(review: Path) -> Iterator[Path]:
    """Another process holds an exclusive lock on the review until the test ends."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('PRAGMA locking_mode = EXCLUSIVE')\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n"
            "c.execute('ROLLBACK')\n",
            str(review),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield review
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


def test_locked_exclusively_by_another_process(locked_by_another_process: Path) -> None:
    _refused(locked_by_another_process, LOCKED)


def test_read_only_file_simulated(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access
    monkeypatch.setattr(access.os, "access", lambda p, mode: real_access(p, mode) and Path(p) != review)
    _refused(review, "is read-only (no permission to write it); open a copy, or change its permissions")


def test_read_only_folder_simulated(review: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_access = os.access
    monkeypatch.setattr(access.os, "access", lambda p, mode: real_access(p, mode) and Path(p) != review.parent)
    _refused(
        review,
        f"its folder {str(review.parent)!r} is read-only, so the review's journal cannot be written; "
        "copy the file to a folder you can write to",
    )


@pytest.mark.skipif(AS_ROOT, reason="root may write to any file, whatever its permissions (simulated above)")
def test_read_only_file_for_real(review: Path) -> None:
    review.chmod(0o444)
    try:
        _refused(review, "is read-only (no permission to write it); open a copy, or change its permissions")
    finally:
        review.chmod(0o644)


@pytest.mark.skipif(AS_ROOT, reason="root may write in any folder, whatever its permissions (simulated above)")
def test_read_only_folder_for_real(review: Path) -> None:
    review.parent.chmod(0o555)
    try:
        _refused(
            review,
            f"its folder {str(review.parent)!r} is read-only, so the review's journal cannot be written; "
            "copy the file to a folder you can write to",
        )
    finally:
        review.parent.chmod(0o755)


# -- File > New --------------------------------------------------------------


def test_create_review_makes_an_empty_titled_audited_review(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    create_review(path, "  Biologics in psoriasis ", "Ana")
    check_openable(path)
    with open_database(path, create=False) as db, db.session(write=False) as session:
        review = load_review(session)
        log = audit_entries(session)
    assert review.title == "Biologics in psoriasis"
    assert review.comparisons == [] and review.references == []
    assert [(e["who"], e["action"], e["table_name"]) for e in log] == [("Ana", "insert", "review")]
    assert [p.name for p in tmp_path.iterdir()] == ["new.sqlite"]  # no temporary file left


def test_create_review_refuses_an_existing_file(review: Path) -> None:
    before = _digest(review)
    with pytest.raises(DatabaseError, match=r"review\.sqlite: already exists; choose a new file name"):
        create_review(review, "Another", "Ana")
    assert _digest(review) == before
    assert [p.name for p in review.parent.iterdir()] == ["review.sqlite"]


def test_create_review_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="cannot create: the folder .* does not exist"):
        create_review(tmp_path / "no" / "new.sqlite", "T", "Ana")
    assert list(tmp_path.iterdir()) == []
