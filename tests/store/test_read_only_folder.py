"""A review in a folder that cannot be written can still be read: info, check, export (issue 15, item 4).

SQLite's WAL mode keeps a ``-shm`` beside the file, which a read-only folder
refuses; Curator then reads the file with ``immutable=1`` (nobody can write
there), and refuses a ``-wal`` with pending changes it could not read.
Root writes anywhere, so the real test drops root's power to override
permissions (``setpriv``); the simulated one makes SQLite refuse as it does
in such a folder.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from curator.store import database
from tests.helpers import run, stored_demo

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _state(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _as_without_override(args: list[str]) -> list[str]:
    """``args`` run so that permissions apply (root without its power to override them)."""
    if not AS_ROOT:
        return args
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot drop the power to write anywhere (simulated below)")
    probe = subprocess.run([setpriv, "--inh-caps=-all", "--bounding-set=-all", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("setpriv cannot drop capabilities here (simulated below)")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all", *args]


@pytest.fixture
def locked_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    stored_demo(folder / "review.sqlite")
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


def test_info_check_export_read_a_review_in_a_read_only_folder_for_real(locked_folder: Path, tmp_path: Path) -> None:
    review = locked_folder / "review.sqlite"
    before = _state(locked_folder)
    out = tmp_path / "out"
    out.mkdir()
    for args, says in [
        (["info", str(review)], "Rows:         8"),
        (["check", str(review)], "0 errors"),
        (["export", str(review), "-o", str(out / "r.json")], "Wrote 8 rows"),
        (["export", str(review), "-o", str(out / "r.xlsx")], "Wrote 8 rows"),
    ]:
        done = subprocess.run(
            _as_without_override([sys.executable, "-m", "curator", *args]), capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert says in done.stdout + done.stderr
        assert _state(locked_folder) == before  # no -wal, no -shm, the file untouched
    # A writing command still says why it cannot write, and writes nothing.
    done = subprocess.run(
        _as_without_override([sys.executable, "-m", "curator", "merge-references", str(review), "1", "2"]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "read-only" in done.stderr and "Traceback" not in done.stderr
    assert _state(locked_folder) == before


@pytest.fixture
def simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A review whose folder behaves as read-only: not writable to os.access, and SQLite cannot make its -shm."""
    review = stored_demo(tmp_path / "review.sqlite")
    folder = review.parent
    real_access, real_connect = os.access, sqlite3.connect
    from curator.services import sources

    monkeypatch.setattr(sources.os, "access", lambda p, mode: real_access(p, mode) and Path(p) != folder)

    def connect(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(target).startswith("file:") and "mode=ro" in str(target) and "immutable" not in str(target):
            exc = sqlite3.OperationalError("attempt to write a readonly database")
            exc.sqlite_errorname = "SQLITE_READONLY_DIRECTORY"  # type: ignore[attr-defined]
            raise exc
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(database.sqlite3, "connect", connect)
    return review


def test_reading_falls_back_to_immutable_when_the_shm_cannot_be_made(
    simulated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _state(simulated.parent)
    assert database.reading_uri(simulated).endswith("?immutable=1")
    code, stdout, stderr = run(capsys, "info", str(simulated))
    assert code == 0 and "Rows:         8" in stdout, stderr
    code, stdout, stderr = run(capsys, "check", str(simulated))
    assert code == 0 and "0 errors" in stdout, stderr
    out = tmp_path / "elsewhere"
    out.mkdir()
    code, stdout, stderr = run(capsys, "export", str(simulated), "-o", str(out / "r.json"))
    assert code == 0 and "Wrote 8 rows" in stderr, stderr
    assert _state(simulated.parent) == before


def test_pending_changes_in_a_wal_that_cannot_be_read_are_refused_not_skipped(
    simulated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wal = simulated.with_name(simulated.name + "-wal")
    wal.write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 60)  # immutable=1 would silently read the file without it
    before = _state(simulated.parent)
    code, stdout, stderr = run(capsys, "info", str(simulated))
    assert code == 2 and stdout == ""
    assert stderr.strip() == (
        f"curator: {simulated}: cannot be read: its folder is read-only and its last changes are still in "
        "review.sqlite-wal; copy both files to a folder you can write to"
    )
    assert _state(simulated.parent) == before


def test_a_writable_folder_reads_with_mode_ro_whatever_its_name(tmp_path: Path) -> None:
    """Before, a '?' in a folder's name was taken for the start of a URL's query: the review went elsewhere."""
    folder = tmp_path / "odd #name ?x%20"
    folder.mkdir()
    review = stored_demo(folder / "review.sqlite")
    uri = database.reading_uri(review)
    assert uri.endswith("?mode=ro")
    conn = sqlite3.connect(uri, uri=True)
    try:
        assert conn.execute("SELECT count(*) FROM comparison").fetchone() == (2,)
    finally:
        conn.close()
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]
