"""Compare-and-set for writes about a row's field (issue 16, working at once).

A write carries the value it read (the field's text as the reviewer saw it);
:func:`refuse_stale` refuses it, naming the row, the field and both values,
when the stored text is another: someone changed it meanwhile (another
window, reviewer or process), and the reviewer's verdict or change was about
a value that is no longer there. The row is locked first (``SELECT ... FOR
UPDATE`` on PostgreSQL; SQLite's write transaction already holds the whole
file), so what is compared is what the write changes.
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, select

from curator.errors import StaleWrite
from curator.fields import parse, row_field, shown, texts
from curator.store.field_states import StoredRow, stored_row
from curator.store.models import RowRecord, table_of

__all__ = ["UNCHECKED", "lock_row", "refuse_stale"]

_T_ROW: Table = table_of(RowRecord)
#: ``expected`` when the caller did not say what it read (nothing compared).
UNCHECKED: object = object()


def normal(field: str, text: str) -> str:
    """``text`` as the field's stored text would read (``true`` -> ``TRUE``, ``7;9`` -> ``7; 9``; ``42.60``
    stays so: the printed text is the value); as typed when it does not parse (then it matches nothing)."""
    try:
        return row_field(field).format(parse(field, text))
    except (KeyError, ValueError):
        return text


def lock_row(conn: Connection, row_id: int) -> None:
    """Hold the row until the transaction ends (a no-op on SQLite, whose writer holds the file)."""
    conn.execute(select(_T_ROW.c.id).where(_T_ROW.c.id == row_id).with_for_update())


def refuse_stale(
    conn: Connection, stored: StoredRow, field: str, expected: object, what: str, yours: str | None = None
) -> StoredRow:
    """Refuse (:class:`StaleWrite`, nothing written) when ``field`` of the row no longer holds ``expected``
    (its text as the caller read it); ``what`` says what was refused (``not verified``), ``yours`` is the
    value the write would have put (the expected one for a verdict about it). Nothing is compared when
    ``expected`` is :data:`UNCHECKED`. The row as stored once locked."""
    if expected is UNCHECKED:
        return stored
    lock_row(conn, stored.id)
    stored = stored_row(conn, stored.id)  # as it is now that nobody else can change it
    read = str(expected or "")
    now = texts(stored.row).get(field, "")
    if now != normal(field, read):
        raise StaleWrite(
            f"{stored.at(field)}: {what}: it is now {shown(now)}, not {shown(read)} as this change expected "
            "(it was changed meanwhile: another window, reviewer or process); nothing was written",
            field=field,
            expected=read,
            theirs=now,
            yours=read if yours is None else yours,
            comparison=stored.comparison,
            position=stored.position,
        )
    return stored
