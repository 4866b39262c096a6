"""A whole review copied from one database into another, its audit history included (issue 16:
``curator pull`` takes a team review off the server into a file, ``curator push`` moves a solo review
onto the server).

Every table is copied as it is stored, ids kept, oldest first and a few thousand rows at a time (a
review of 100,000 rows is never all in memory). The audit log is copied entry by entry with its
hashes, so the copy's chain is the original's and ``curator log --verify --head H`` proves the same
history on both sides. A copy goes only into a database that holds no review yet: what was there
must never be mixed with what comes in, and a refusal writes nothing (the caller's transaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Integer, Table, func, select

from curator.errors import CuratorError
from curator.progress import Progress, report
from curator.store.bulk import insert_many
from curator.store.models import metadata

__all__ = ["copy_review", "TABLES", "holds_a_review", "CHUNK"]

#: Rows read and written at a time.
CHUNK = 5000

#: The review's tables, each after those it refers to.
TABLES: tuple[Table, ...] = tuple(metadata.sorted_tables)


def holds_a_review(conn: Connection) -> bool:
    """Whether any of the review's tables has a row."""
    return any(conn.execute(select(select(table).exists())).scalar() for table in TABLES)


def copy_review(source: Connection, target: Connection, progress: Progress | None = None) -> dict[str, int]:
    """Copy every row of every table of ``source`` into ``target`` (in the callers' transactions;
    ``target`` must hold no review) and return how many rows each table got."""
    if holds_a_review(target):
        raise CuratorError("it already holds a review; a copy goes only into an empty one")
    totals = {
        table.name: int(source.execute(select(func.count()).select_from(table)).scalar() or 0) for table in TABLES
    }
    everything = sum(totals.values())
    done = 0
    for table in TABLES:
        columns = tuple(column.name for column in table.c)
        for chunk in _chunks(source, table):
            insert_many(target, table, columns, chunk)
            done += len(chunk)
            report(progress, done, everything, f"copying {table.name.replace('_', ' ')}")
        _sequence_follows(target, table)
    return totals


def _chunks(conn: Connection, table: Table) -> Iterator[list[tuple[Any, ...]]]:
    times = [i for i, column in enumerate(table.c) if isinstance(column.type, DateTime)]
    query = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=CHUNK).execute(query)
    for part in result.partitions(CHUNK):
        rows = [tuple(row) for row in part]
        if times:
            rows = [_in_utc(row, times) for row in rows]
        yield rows


def _in_utc(row: tuple[Any, ...], times: list[int]) -> tuple[Any, ...]:
    """A row whose times without a zone (SQLite keeps them so, in UTC) say UTC, so that PostgreSQL
    does not take them in its session's zone."""
    values = list(row)
    for i in times:
        value = values[i]
        if isinstance(value, datetime) and value.tzinfo is None:
            values[i] = value.replace(tzinfo=UTC)
    return tuple(values)


def _sequence_follows(conn: Connection, table: Table) -> None:
    """On PostgreSQL, a table's id sequence goes on after the ids copied (SQLite's next rowid follows
    the largest by itself)."""
    if conn.dialect.name != "postgresql":
        return
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not isinstance(keys[0].type, Integer):
        return
    conn.exec_driver_sql(
        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{keys[0].name}'), "
        f"coalesce((SELECT max({keys[0].name}) FROM {table.name}), 0) + 1, false)"
    )
