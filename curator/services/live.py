"""Working at once (issue 16): what others changed since the window last looked.

Every change writes audit entries in its own transaction, so "what changed
since entry N" is the audit log after N. :meth:`Live.head` is the cheap poll
(the last entry's id, through the primary key, in a read that never blocks
a writer); :meth:`Live.changes` says which rows (and fields), which
comparisons' rows, and whether references or the rest changed, leaving out
this service's own writes (the window showed those when it made them).
:meth:`Live.last_change` is who changed a field last, and when, for the
window's "theirs and yours" when a save is refused as stale.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from curator.services.review import Part
from curator.store.changes import ALL, Changes, LastChange
from curator.store.notify import Listener

__all__ = ["Live", "Changes", "LastChange", "Listener", "ALL"]


class Live(Part):
    """Other people's changes to one open review."""

    def head(self) -> int:
        """The id of the audit log's last entry (0 for an empty log): poll it; when it moves, ask :meth:`changes`."""
        from curator.store.changes import audit_head

        return self._service.read(audit_head)

    def changes(self, after: int) -> Changes:
        """What changed after audit entry ``after``, not counting this service's own writes (their entries are
        still passed over: the returned ``head`` is the last entry read)."""
        from curator.store.changes import changes_after

        own = self._service.own_entries
        found = self._service.read(lambda conn: changes_after(conn, after, skip=own))
        own[:] = [(lo, hi) for lo, hi in own if hi > found.head]  # the ones read past are done with
        return found

    def listen(self, woken: Callable[[], None]) -> Listener | None:
        """On a PostgreSQL review, a :class:`~curator.store.notify.Listener` calling ``woken`` (on its own
        thread) each time another transaction writes to the audit log; None on SQLite (poll :meth:`head`).
        The caller stops it (:meth:`~curator.store.notify.Listener.stop`) before it closes the review."""
        from curator.store.notify import Listener

        engine = self._service.db.engine
        if engine.dialect.name != "postgresql":
            return None
        return Listener(engine, woken)

    def last_change(self, comparison: str, position: int, field: str) -> LastChange | None:
        """Who last changed a row's field, when, and to what (None when the audit log has no such change)."""
        from curator.store.changes import last_change
        from curator.store.repository import row_id_of

        def read(conn: Connection) -> LastChange | None:
            row_id = row_id_of(conn, comparison, position)
            return None if row_id is None else last_change(conn, row_id, field)

        return self._service.read(read)
