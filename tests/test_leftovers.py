"""Leftovers and noise after a kill or a full disk (issue 15, item 6).

* a kill during an export leaves no hidden temporary file beside the target
  (it is made only when writing starts; the next export removes one a killed
  writer left);
* a failed import into a new file leaves no file, no -wal, no -shm;
* a full disk is said "the disk is full", once, with no traceback after it.

A full disk is simulated: file writes that raise ``ENOSPC``, and for SQLite
a page limit (``PRAGMA max_page_count``), which fails as a full disk does.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from curator.files import sweep_leftovers
from curator.store import database
from tests.helpers import DEMO, run, stored_demo
from tests.reliability.kills import killed_in


def _listing(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


# -- a kill during an export ----------------------------------------------------


@pytest.mark.parametrize(
    ("module", "name", "output"),
    [
        ("curator.formats.xlsx_data", "write_data_sheet", "r.xlsx"),  # while the sheets are being written
        ("curator.formats.exchange", "dumps_exchange", "r.json"),  # while the review is being read
    ],
)
def test_a_kill_during_an_export_leaves_nothing_beside_the_target(
    tmp_path: Path, module: str, name: str, output: str
) -> None:
    review = stored_demo(tmp_path / "review.sqlite")
    out = tmp_path / "out"
    out.mkdir()
    (out / output).write_bytes(b"the export before")
    assert killed_in(module, name, "export", str(review), "-o", str(out / output)) == -signal.SIGKILL
    assert _listing(out) == {output: hashlib.sha256(b"the export before").hexdigest()}


def test_a_kill_while_the_zip_is_written_is_cleaned_by_the_next_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = stored_demo(tmp_path / "review.sqlite")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "r.xlsx"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, signal, sys, zipfile\n"
            "real = zipfile.ZipFile.write\n"
            "def write(self, *a, **k):\n"
            "    real(self, *a, **k)\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            "zipfile.ZipFile.write = write\n"
            "from curator.cli import main\n"
            "sys.exit(main(sys.argv[1:]))\n",
            "export",
            str(review),
            "-o",
            str(target),
        ],
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL
    left = [p.name for p in out.iterdir() if p.name != "r.xlsx"]
    assert len(left) == 1 and left[0].startswith(".r.xlsx.") and left[0].endswith(".tmp")  # half a zip
    code, _, stderr = run(capsys, "export", str(review), "-o", str(target))
    assert code == 0, stderr
    assert sorted(p.name for p in out.iterdir()) == ["r.xlsx"]


def test_the_sweep_leaves_a_running_writers_file(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    dead = tmp_path / f".r.json.{dead_pid}-0123abcd.tmp"
    alive = tmp_path / f".r.json.{os.getpid()}-89abcdef.tmp"
    other = tmp_path / f".other.json.{dead_pid}-0123abcd.tmp"
    for path in (dead, alive, other):
        path.write_text("")
    assert sweep_leftovers(target) == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])


# -- a full disk ----------------------------------------------------------------


class _FullDisk:
    """A file that takes ``room`` bytes, then fails every write as a full disk does."""

    def __init__(self, raw: Any, room: int) -> None:
        self._raw, self._room = raw, room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return int(self._raw.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


def test_a_full_disk_during_the_workbook_says_so_once_with_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    review = stored_demo(tmp_path / "review.sqlite")
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.xlsx").write_bytes(b"the export before")
    before = _listing(out)

    class Io:
        def __getattr__(self, name: str) -> Any:
            return getattr(io, name)

        @staticmethod
        def open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            handle = io.open(file, mode, *args, **kwargs)  # noqa: UP020 - the real one, under the patch
            return _FullDisk(handle, 2000) if "w" in mode else handle

    monkeypatch.setattr(zipfile, "io", Io())
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    code, stdout, stderr = run(capsys, "export", str(review), "-o", str(out / "r.xlsx"))
    gc.collect()
    assert code == 2 and stdout == ""
    assert stderr == f"curator: {out / 'r.xlsx'}: cannot write the workbook: the disk is full\n"
    assert unraisable == []  # before: ZipFile.__del__'s traceback, printed after the message
    assert _listing(out) == before


def test_a_full_disk_during_a_json_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    review = stored_demo(tmp_path / "review.sqlite")
    out = tmp_path / "out"
    out.mkdir()

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    from curator import files

    monkeypatch.setattr(files.os, "fsync", fsync)
    code, _, stderr = run(capsys, "export", str(review), "-o", str(out / "r.json"))
    assert code == 2
    assert stderr == f"curator: {out / 'r.json'}: cannot write: the disk is full\n"
    assert list(out.iterdir()) == []


def _small_disk(monkeypatch: pytest.MonkeyPatch, pages: int = 30) -> None:
    """SQLite fails as on a full disk once a review holds ``pages`` pages (the demo needs 40)."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(*args, **kwargs)
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(database.sqlite3, "connect", connect)


def test_a_failed_import_into_a_new_file_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _small_disk(monkeypatch)
    target = tmp_path / "new.sqlite"
    code, stdout, stderr = run(capsys, "import", str(target), str(DEMO))
    assert code == 2 and stdout == ""
    assert stderr == f"curator: {target}: cannot write: the disk is full; nothing was changed\n"
    assert list(tmp_path.iterdir()) == []  # before: an empty review file and its -wal


def test_a_failed_creation_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from curator.errors import DatabaseError

    _small_disk(monkeypatch, pages=5)
    with pytest.raises(DatabaseError, match="the disk is full"):
        database.open_database(tmp_path / "new.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_import_into_an_existing_review_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = stored_demo(tmp_path / "r.sqlite")
    before = _listing(tmp_path)
    with sqlite3.connect(target) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    _small_disk(monkeypatch, pages=pages)  # no room to grow
    code, _, stderr = run(capsys, "import", "--replace", str(target), str(DEMO))
    assert code == 2 and "the disk is full" in stderr
    assert _listing(tmp_path) == before


@pytest.mark.parametrize(("free", "says"), [(0, "the disk is full"), (10**12, "disk I/O error")])
def test_a_disk_io_error_on_a_full_disk_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, free: int, says: str
) -> None:
    import shutil

    monkeypatch.setattr(database.shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10**12, 10**12 - free, free))  # type: ignore[attr-defined]
    error = database.explain_sqlite(tmp_path / "r.sqlite", sqlite3.OperationalError("disk I/O error"))
    assert says in str(error)


def test_an_import_into_a_new_file_another_made_meanwhile_keeps_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new review takes its name only when whole, and only if the name is still free: a review another
    process made there during the import is kept, and this import refused (not renamed over it)."""
    from curator.services import ReviewService

    target = tmp_path / "new.sqlite"
    real = ReviewService.import_reviews
    theirs: list[bytes] = []

    def meanwhile(self: ReviewService, *args: Any, **kwargs: Any) -> Any:
        theirs.append(stored_demo(target, who="Other").read_bytes())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(ReviewService, "import_reviews", meanwhile)
    code, _, stderr = run(capsys, "import", str(target), str(DEMO))
    assert code == 2
    assert stderr == f"curator: {target}: another file was made there meanwhile; it was left as it is\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]
    assert target.read_bytes() == theirs[0]


def test_a_review_built_by_an_import_is_in_wal_mode_and_whole_in_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built under its hidden name without a journal on the disk or syncs (every page written once), it is
    switched to WAL and synced before it takes its name: the file alone is the review, and it is one."""
    synced: list[str] = []
    real_fsync = database.os.fsync

    def fsync(descriptor: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(database.os, "fsync", fsync)
    target = tmp_path / "new.sqlite"
    code, _, _ = run(capsys, "import", str(target), str(DEMO))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.sqlite"]  # no -wal, -shm, -journal, .tmp
    assert len(synced) == 1 and Path(synced[0]).name.startswith(".new.sqlite.")  # the file, before its rename
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT COUNT(*) FROM endpoint_row").fetchone() == (8,)
    finally:
        conn.close()


def _schema(path: Path) -> set[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall())
    finally:
        conn.close()


def test_a_review_built_by_an_import_gets_every_index_and_guard_of_a_review_made_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its indexes and the audit log's insert guards are made when it is sealed, not kept up row by row:
    the sealed file has exactly the schema of a review opened and filled the usual way, and its guards
    work."""
    from curator.store.database import open_database
    from curator.store.triggers import AUDIT_INSERT_GUARDS, BACKDATED

    built = tmp_path / "built.sqlite"
    assert run(capsys, "import", str(built), str(DEMO))[0] == 0
    usual = stored_demo(tmp_path / "usual.sqlite")
    open_database(usual).close()
    schema = _schema(built)
    assert schema == _schema(usual)
    assert {name for kind, name, _ in schema if kind == "trigger"} >= set(AUDIT_INSERT_GUARDS)
    assert any(kind == "index" and name == "ix_audit_log_at" for kind, name, _ in schema)
    conn = sqlite3.connect(built)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=BACKDATED):
            conn.execute(
                "INSERT INTO audit_log (id, at, who, action, table_name) VALUES (999999, '2000-01-01 00:00:00.000000', "
                "'x', 'insert', 'review')"
            )
    finally:
        conn.close()
