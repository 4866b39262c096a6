"""store.bulk.insert_many: tuples straight to the driver, what SQLAlchemy would store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    insert,
    select,
    text,
)

_META = MetaData()
_T = Table(
    "t",
    _META,
    Column("id", Integer, primary_key=True),
    Column("name", String),
    Column("note", String),
    Column("flag", Integer, server_default=text("7")),
    Column("extensions", JSON),
    Column("at", DateTime(timezone=True)),
)
_COLUMNS = ("id", "name", "note", "flag", "extensions", "at")


@pytest.fixture
def engines(review_target: Path | str) -> Callable[[], Engine]:
    """A new engine per call on the test's backend: SQLite in memory (the target file unused), or the
    test's PostgreSQL database (its driver's executemany; the table made again each time)."""
    from curator.store.database import ServerAddress, is_server_url

    def make() -> Engine:
        if not (isinstance(review_target, str) and is_server_url(review_target)):
            return create_engine("sqlite://")
        engine = create_engine(ServerAddress(review_target).url)
        _META.drop_all(engine)
        return engine

    return make


def _stored(make: Callable[[], Engine], rows: list[tuple[object, ...]], **options: bool) -> list[tuple[object, ...]]:
    from curator.store.bulk import insert_many

    engine = make()
    _META.create_all(engine)
    with engine.begin() as conn:
        insert_many(conn, _T, _COLUMNS, rows, **options)
        raw = conn.exec_driver_sql("SELECT * FROM t ORDER BY id").fetchall()
        read_back = conn.execute(select(_T.c.extensions).order_by(_T.c.id)).scalars().all()
        assert read_back == [row[4] for row in sorted(rows, key=lambda row: str(row[0]))]
    engine.dispose()
    return [tuple(r) for r in raw]


def _by_sqlalchemy(make: Callable[[], Engine], rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    engine = make()
    _META.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(_T), [dict(zip(_COLUMNS, row, strict=True)) for row in rows])
        raw = conn.exec_driver_sql("SELECT * FROM t ORDER BY id").fetchall()
    engine.dispose()
    return [tuple(r) for r in raw]


_AT = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
_ROWS = [
    (3, "a", None, 1, {}, _AT),
    (1, None, "n", None, {"x-k": [1, "é"]}, _AT),
    (2, "c", "m", 0, {}, None),
    (4, None, None, None, {}, _AT),
]


def test_what_is_stored_is_what_sqlalchemy_stores_json_and_times_included(engines: Callable[[], Engine]) -> None:
    assert _stored(engines, _ROWS) == _by_sqlalchemy(engines, _ROWS)


def test_a_sparse_insert_stores_the_same_and_keeps_a_none_where_the_column_has_a_default(
    engines: Callable[[], Engine],
) -> None:
    """Grouped by the columns each row leaves empty; a None in a column with a database default is
    NULL, as in the dense insert, not the default (7)."""
    stored = _stored(engines, _ROWS, sparse=True)
    assert stored == _by_sqlalchemy(engines, _ROWS)
    assert [row[3] for row in stored] == [None, 0, 1, None]
