"""Listening for other people's changes to a PostgreSQL review (issue 16, working at once).

Every insert into a PostgreSQL review's audit log notifies channel
:data:`~curator.store.triggers.NOTIFY_CHANNEL` (a statement trigger, see
:mod:`curator.store.triggers`), delivered when the writer's transaction
commits. :class:`Listener` holds its own psycopg connection (autocommit,
only LISTEN) on a thread of its own and calls ``woken`` on that thread for
each notification; the caller then reads what changed (it must hand the
call over to its own thread: a window does it through a queued Qt signal).
:meth:`Listener.stop` ends the thread and closes the connection; it returns
within :data:`WAKE_S`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import URL, Engine

from curator.errors import DatabaseError
from curator.store.triggers import NOTIFY_CHANNEL

__all__ = ["Listener", "conninfo", "WAKE_S"]

#: How long the listening thread waits for a notification before it looks whether it is to stop.
WAKE_S = 0.2


def conninfo(url: URL) -> str:
    """The libpq URI of an SQLAlchemy ``postgresql+psycopg://`` URL (password included)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class Listener:
    """LISTEN on a PostgreSQL review's audit channel, on a thread of its own, until :meth:`stop`; a server
    that cannot be reached raises :class:`~curator.errors.DatabaseError`."""

    def __init__(self, engine: Engine, woken: Callable[[], None]) -> None:
        import psycopg

        self._woken = woken
        self._stop = threading.Event()
        try:
            self._conn: Any = psycopg.connect(conninfo(engine.url), autocommit=True)
        except psycopg.Error as exc:
            raise DatabaseError(f"{engine.url.database}: cannot listen for others' changes: {exc}") from None
        try:
            self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            self._conn.close()  # never left to the garbage collector, open
            raise DatabaseError(f"{engine.url.database}: cannot listen for others' changes: {exc}") from None
        self._thread = threading.Thread(target=self._listen, name="curator-listen", daemon=False)
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _listen(self) -> None:
        import psycopg

        try:
            while not self._stop.is_set():
                woken = False
                for _notification in self._conn.notifies(timeout=WAKE_S):
                    woken = True
                    if self._stop.is_set():
                        break
                if woken and not self._stop.is_set():
                    self._woken()  # once for a burst: the reader reads everything after its last entry
        except psycopg.Error:
            return  # the server went away: the window's poll still sees changes when it is back

    def stop(self) -> None:
        """End the thread and close its connection (idempotent)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join()
        self._conn.close()
