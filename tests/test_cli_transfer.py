"""`curator pull` and `curator push`: a whole review, with its audit history, into a new file or an
empty database, and back through `merge` (issue 16, item 5). On review files here; against a real
PostgreSQL server in tests/team/."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from curator.services import ReviewService
from tests.helpers import audit_head, run, stored_demo


def _log(path: Path) -> list[tuple[str, str, str | None]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute("SELECT who, action, new FROM audit_log ORDER BY id"))
    finally:
        conn.close()


def _counted(path: Path) -> str:
    """What pull and push say they copied, counted in the file."""
    conn = sqlite3.connect(path)
    try:
        n = [
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("comparison", "endpoint_row", "reference")
        ]
        entries = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    finally:
        conn.close()
    return f"{n[0]} comparisons, {n[1]} rows, {n[2]} references and {entries} audit entries"


def _rows(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute("SELECT * FROM endpoint_row ORDER BY id"))
    finally:
        conn.close()


def test_a_pulled_copy_holds_the_review_and_its_history_and_says_where_it_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = stored_demo(tmp_path / "team.sqlite")
    head = audit_head(original)
    code, out, err = run(capsys, "--reviewer", "Ben", "pull", str(original), "-o", str(tmp_path / "mine.sqlite"))
    assert (code, err) == (0, "")
    assert out.startswith(f"pulled {_counted(original)} into {tmp_path / 'mine.sqlite'}; ")
    assert out.rstrip().endswith(f"bring your changes back with: curator merge {original} {tmp_path / 'mine.sqlite'}")
    copy = tmp_path / "mine.sqlite"
    assert _rows(copy) == _rows(original)
    log = _log(copy)
    assert log[:-1] == _log(original)
    assert log[-1] == ("Ben", "pull", str(original))
    code, out, _ = run(capsys, "log", str(copy), "--verify", "--head", head)
    assert code == 0, out
    assert not list(tmp_path.glob(".*"))  # no hidden file left behind


def test_a_pull_onto_an_existing_file_is_refused_and_leaves_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = stored_demo(tmp_path / "team.sqlite")
    there = tmp_path / "mine.sqlite"
    there.write_bytes(b"my notes")
    code, out, err = run(capsys, "pull", str(original), "-o", str(there))
    assert (code, out) == (2, "")
    assert err == f"curator: {there}: already exists; choose another name for the copy\n"
    assert there.read_bytes() == b"my notes"


def test_work_done_in_a_pulled_copy_comes_back_through_merge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = stored_demo(tmp_path / "team.sqlite", who="Ana")
    copy = tmp_path / "mine.sqlite"
    assert run(capsys, "--reviewer", "Ben", "pull", str(original), "-o", str(copy))[0] == 0
    with ReviewService.open(copy, "Ben") as ben:
        ben.rows.edit_field("pime-vs-tcs", 0, "intervention.n", "999")
    code, out, err = run(capsys, "--reviewer", "Ana", "merge", str(original), str(copy), "--format", "json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["theirs"] == "mine.sqlite" and summary["items_opened"] >= 1


def test_a_push_moves_a_review_with_its_history_into_an_empty_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solo = stored_demo(tmp_path / "solo.sqlite")
    target = tmp_path / "server.sqlite"
    code, out, err = run(capsys, "--reviewer", "Ana", "push", str(solo), str(target))
    assert (code, err) == (0, "")
    assert out == f"pushed {_counted(solo)} to {target}\n"
    assert _rows(target) == _rows(solo)
    assert _log(target)[:-1] == _log(solo) and _log(target)[-1] == ("Ana", "push", str(solo))


def test_a_push_into_a_review_that_has_content_is_refused_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    solo = stored_demo(tmp_path / "solo.sqlite")
    other = stored_demo(tmp_path / "other.sqlite", who="Ben")
    before = (_rows(other), _log(other))
    code, out, err = run(capsys, "push", str(solo), str(other))
    assert (code, out) == (2, "")
    assert err == f"curator: {other}: it already holds a review; a copy goes only into an empty one\n"
    assert (_rows(other), _log(other)) == before


def test_a_pull_of_what_is_not_a_review_is_refused_and_leaves_no_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a review")
    code, out, err = run(capsys, "pull", str(notes), "-o", str(tmp_path / "mine.sqlite"))
    assert (code, out) == (2, "")
    assert err.startswith(f"curator: {notes}") and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
