"""Many rows into one table in one statement, at the speed of the database driver.

SQLAlchemy's ``conn.execute(insert(table), [mapping, ...])`` builds and
type-processes a parameter mapping per row; for a bulk import of 100,000
rows of 90 columns that is most of the time spent storing. :func:`insert_many`
takes tuples in a given column order and hands them to the driver's
``executemany`` as they are, after the column types' own bind processing
where the driver cannot take the Python value (JSON, date-times), so what is
stored is what SQLAlchemy would store. It works on every dialect Curator
runs on: the statement is compiled for the connection's dialect.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import compress
from operator import is_not, itemgetter
from typing import Any

from sqlalchemy import JSON, Connection, DateTime, Table, insert
from sqlalchemy.engine import Dialect

__all__ = ["insert_many", "big_cache"]

#: SQLite's page cache during a bulk write (KiB, as ``PRAGMA cache_size`` takes it negated). The
#: default (2 MiB) is far smaller than a big import's transaction, whose pages then spill into the
#: WAL and are written there again and again as its indexes grow: storing 100,000 rows took 6.3 s
#: so, 4.8 s with this cache. Pages are taken as needed, so a small write uses no more memory.
BULK_CACHE_KIB = 512 * 1024

#: Column types whose Python values the drivers cannot take as they are.
_PROCESSED = (JSON, DateTime)

_NOTHING = object()
_Plan = tuple[str, list[int] | None, list[tuple[int, Any]]]
_plans: dict[tuple[str, tuple[str, ...], str, str], _Plan] = {}


def _plan(table: Table, columns: tuple[str, ...], dialect: Dialect) -> _Plan:
    """The statement, the order its parameters take (None: by name) and the values to process."""
    key = (table.name, columns, dialect.name, dialect.paramstyle)
    plan = _plans.get(key)
    if plan is None:
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        order = None
        if compiled.positional:
            assert compiled.positiontup is not None
            order = [columns.index(name) for name in compiled.positiontup]
        processors: list[tuple[int, Any]] = []
        for i, name in enumerate(columns):
            column_type = table.c[name].type
            if isinstance(column_type, _PROCESSED):
                processor = column_type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    processors.append((i, processor))
        plan = _plans[key] = (str(compiled), order, processors)
    return plan


def insert_many(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    sparse: bool = False,
) -> None:
    """Insert ``rows``, each the values of ``columns`` in that order, in ``conn``'s transaction.

    ``sparse``: most of the rows' values are None (a row of ``endpoint_row`` fills about 37 of its 91
    columns). Each row is then inserted without the columns it leaves empty, the rows that leave the
    same ones in one statement: binding 54 NULLs a row was half the time SQLite took to store a big
    import's rows. The rows go in grouped, so give their ids among the columns if their order
    matters. A column with a database default is always given (None stays NULL, not the default)."""
    if not rows:
        return
    if sparse:
        _insert_sparse(conn, table, columns, rows)
        return
    sql, order, processors = _plan(table, tuple(columns), conn.dialect)
    if processors:
        # A column often holds one value in every row (an audit entry's time, an empty {}): it is
        # processed once.
        last_in: list[Any] = [_NOTHING] * len(processors)
        last_out: list[Any] = [None] * len(processors)
        processed = []
        for row in rows:
            values = list(row)
            for j, (i, processor) in enumerate(processors):
                value = values[i]
                if value is last_in[j] or value == {} and last_in[j] == {}:
                    values[i] = last_out[j]
                else:
                    last_in[j], values[i] = value, processor(value)
                    last_out[j] = values[i]
            processed.append(values)
        rows = processed
    if order is None:
        params: Any = [dict(zip(columns, row, strict=True)) for row in rows]
    elif order == list(range(len(columns))):
        params = [tuple(row) for row in rows]
    else:
        pick = itemgetter(*order)
        params = [pick(row) for row in rows]
    conn.exec_driver_sql(sql, params)


def _insert_sparse(conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    kept = [i for i, name in enumerate(columns) if table.c[name].server_default is not None]  # always given
    nones = (None,) * len(columns)
    groups: dict[tuple[bool, ...], list[tuple[Any, ...]]] = {}
    for row in rows:
        given = tuple(map(is_not, row, nones))
        for i in kept:
            if row[i] is None:
                given = (*given[:i], True, *given[i + 1 :])
        groups.setdefault(given, []).append(tuple(compress(row, given)))
    for given, group in groups.items():
        insert_many(conn, table, list(compress(columns, given)), group)


@contextmanager
def big_cache(conn: Connection) -> Iterator[None]:
    """A page cache for the whole of a bulk write on SQLite (:data:`BULK_CACHE_KIB`), as it was after."""
    if conn.dialect.name != "sqlite":
        yield
        return
    was = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(was or -2000)}")
