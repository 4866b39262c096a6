"""A whole review copied between databases with its history (curator.store.transfer): what pull and
push stand on. SQLite to SQLite here, and through a real PostgreSQL server and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, select

from curator.errors import CuratorError
from curator.store.audit import chain_head, verify_chain
from curator.store.database import open_database
from curator.store.transfer import TABLES, copy_review
from tests.helpers import stored_demo


def _everything(conn: Connection) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table.name: [tuple(r) for r in conn.execute(select(table).order_by(*table.primary_key.columns))]
        for table in TABLES
    }


def test_a_copy_holds_every_row_and_the_same_chain(tmp_path: Path) -> None:
    source = open_database(stored_demo(tmp_path / "a.sqlite"))
    target = open_database(tmp_path / "b.sqlite")
    with source.engine.connect() as src, target.engine.begin() as dst:
        counts = copy_review(src, dst)
    with source.engine.connect() as src, target.engine.connect() as dst:
        assert _everything(dst) == _everything(src)
        assert counts["endpoint_row"] == len(_everything(src)["endpoint_row"]) > 0
        assert chain_head(dst) == chain_head(src) is not None
        assert verify_chain(dst).problem is None
    source.close()
    target.close()


def test_a_copy_into_a_review_that_has_rows_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    source = open_database(stored_demo(tmp_path / "a.sqlite"))
    target = open_database(stored_demo(tmp_path / "b.sqlite", who="Ben"))
    with target.engine.connect() as dst:
        before = _everything(dst)
    with (
        source.engine.connect() as src,
        target.engine.begin() as dst,
        pytest.raises(CuratorError, match="already holds a review"),
    ):
        copy_review(src, dst)
    with target.engine.connect() as dst:
        assert _everything(dst) == before
    source.close()
    target.close()


def test_a_copy_is_made_a_chunk_at_a_time_with_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("curator.store.transfer.CHUNK", 7)
    source = open_database(stored_demo(tmp_path / "a.sqlite"))
    target = open_database(tmp_path / "b.sqlite")
    seen: list[tuple[int, int]] = []

    class Seen:
        cancelled = False

        def update(self, done: int, total: int, what: str) -> None:
            seen.append((done, total))

    with source.engine.connect() as src, target.engine.begin() as dst:
        copy_review(src, dst, Seen())
    with source.engine.connect() as src, target.engine.connect() as dst:
        assert _everything(dst) == _everything(src)
    total = seen[-1][1]
    assert seen[-1][0] == total
    steps = [b[0] - a[0] for a, b in zip([(0, total), *seen], seen, strict=False)]
    assert max(steps) == 7 and min(steps) > 0  # seven rows at a time, at most
    source.close()
    target.close()
