"""A saved edit survives a power loss: every writing connection commits with ``synchronous=FULL`` (issue 15, item 7).

In WAL mode ``NORMAL`` syncs only at checkpoints, so the last commits can be
lost; ``FULL`` syncs the WAL at each commit.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from curator.services.review import ReviewService
from tests.helpers import run, stored_demo

FULL = 2  # PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


def _synchronous(service: ReviewService) -> int:
    with service.writing() as session:
        return int(session.connection().exec_driver_sql("PRAGMA synchronous").scalar_one())


def test_the_window_edits_with_synchronous_full(tmp_path: Path) -> None:
    review = stored_demo(tmp_path / "r.sqlite")
    with ReviewService.open_for_editing(review, "Ana") as service:  # File > Open
        assert _synchronous(service) == FULL
        assert service.set_properties("Retitled", None)
        # the pooled connection the edit committed on
        raw = service.db.engine.raw_connection()
        try:
            assert raw.cursor().execute("PRAGMA synchronous").fetchone() == (FULL,)
        finally:
            raw.close()


def test_the_cli_edits_with_synchronous_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    review = stored_demo(tmp_path / "r.sqlite")
    seen: list[int] = []
    real_connect = sqlite3.connect

    class Recording(sqlite3.Connection):
        def commit(self) -> None:
            seen.append(self.execute("PRAGMA synchronous").fetchone()[0])
            super().commit()

    def connect(*args, **kwargs):  # type: ignore[no-untyped-def]
        return real_connect(*args, **{**kwargs, "factory": Recording})

    from curator.store import database

    monkeypatch.setattr(database.sqlite3, "connect", connect)
    code, _, stderr = run(capsys, "merge-references", str(review), "1", "2")
    assert code == 0, stderr
    assert seen and set(seen) == {FULL}
    with ReviewService.open(review, "Ana") as service:  # the CLI's and the app's other services
        assert _synchronous(service) == FULL
