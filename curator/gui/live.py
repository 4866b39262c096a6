"""Other people's changes shown in an open window within a second (issue 16, working at once).

:class:`LiveRefresh` asks the review's service, several times a second, for
the audit log's last entry (:meth:`~curator.services.live.Live.head`: one
read through the primary key, in a transaction that never blocks or slows a
writer); when it moved, it asks what changed since
(:meth:`~curator.services.live.Live.changes`, the window's own writes left
out) and shows only that: a changed row is read again and replaced in the
table (the selection stays), and in the form when it is the row shown,
keeping a value being typed and the value it was typed over, so that saving
it is compare-and-set against what the reviewer saw: if they changed that
very field, the save is refused and :mod:`curator.gui.stale_dialog` shows
theirs and yours. A row whose cell is being typed into in the table waits
until the cell's editor closes. Rows added, deleted or moved, comparisons,
references and the rest read the review again, keeping the place.

On a PostgreSQL review a listener (:class:`~curator.store.notify.Listener`,
through the service) is woken by the server's NOTIFY and the window polls at
once; the timer stays as a slower fallback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView

from curator.errors import CuratorError

if TYPE_CHECKING:
    from curator.gui.app import MainWindow
    from curator.services.live import Changes, Listener

__all__ = ["LiveRefresh", "POLL_MS", "LISTENING_POLL_MS"]

#: How often the window asks whether anything changed (well within a second, for a read of one index entry).
POLL_MS = 250
#: How often when the server wakes the window (PostgreSQL's NOTIFY): a fallback only, lighter on the server.
LISTENING_POLL_MS = 2000


class LiveRefresh(QObject):
    """Shows in ``window`` what others change in its review, as they change it."""

    #: What was shown: the :class:`~curator.services.live.Changes` (for the status bar and the tests).
    shown = Signal(object)
    #: Emitted by the listener's thread (PostgreSQL's NOTIFY): queued to the window's thread, which polls.
    woken = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.head = self._head()
        window.state.seen = self.head
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.woken.connect(self.poll)
        #: Rows (and a reading of the whole review) waiting for the table's cell editor to close.
        self.deferred_rows: set[tuple[str, int]] = set()
        self.deferred_reload = False
        self.listener: Listener | None = None
        #: Stopped (the window closes): a wake the listener's thread queued before it stopped is ignored, as
        #: polling then would open a new connection to a review the window has closed, never to be closed.
        self.stopped = False
        self._listen()
        window.state.replaced.connect(self._replaced)
        # The window read the whole review again (a merge or an import, written by a worker's own connection,
        # whose entries are not this service's): what is on show is as of now.
        window.state.review_changed.connect(self._read_again)

    def _listen(self) -> None:
        """On a PostgreSQL review, be woken by the server as soon as another transaction commits."""
        try:
            self.listener = self.window.service.live.listen(self.woken.emit)
        except CuratorError as exc:  # a server refusing a second connection: the timer polls
            self.listener = None
            self.window.show_message(f"Others' changes show within a second, not at once: {exc}")
        self.timer.setInterval(POLL_MS if self.listener is None else LISTENING_POLL_MS)

    def stop(self) -> None:
        """Stop polling and listening (the window closes, or shows another review)."""
        self.stopped = True
        self.timer.stop()
        if self.listener is not None:
            self.listener.stop()
            self.listener = None

    def _head(self) -> int:
        try:
            return int(self.window.service.live.head())
        except CuratorError:  # locked or gone for a moment: the next tick asks again
            return getattr(self, "head", 0)

    def _read_again(self) -> None:
        self.head = self.window.state.seen = self._head()

    def _replaced(self) -> None:
        """Another review was opened in the window: its changes count from now."""
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        self.head = self.window.state.seen = self._head()
        self.stopped = False
        self._listen()
        self.timer.start()

    def _table_editing(self) -> int | None:
        """The row whose cell is being typed into in the table (its editor open), None when none."""
        w = self.window
        if w.rows_view.state() != QAbstractItemView.State.EditingState:
            return None
        return w.current_position()

    def _show_deferred(self) -> None:
        """Show what waited for the table's cell editor to close (replacing the row under it would have
        lost what it holds, and saved it against their value instead of the one it was typed over)."""
        if self._table_editing() is not None or not (self.deferred_rows or self.deferred_reload):
            return
        rows, reload = self.deferred_rows, self.deferred_reload
        self.deferred_rows, self.deferred_reload = set(), False
        if reload:
            kept = self.window.row_form.editing()
            self.window.reload()
            self.window.row_form.keep_editing(kept)
            return
        for comparison, position in sorted(rows):
            self.show_row(comparison, position, self.window.row_form.editing())

    def poll(self) -> None:
        """Show what changed since the last look, if anything did."""
        if self.stopped:
            return
        self._show_deferred()
        live = self.window.service.live
        head = self._head()
        if head == self.head:
            return
        try:
            changes = live.changes(self.head)
        except CuratorError:
            return
        self.head = changes.head
        if changes:
            self.show(changes)
        self.window.state.seen = self.head

    def show(self, changes: Changes) -> None:
        w = self.window
        key = w.comparison_key()
        kept = w.row_form.editing()
        editing = self._table_editing()
        if (changes.review or changes.references or changes.moved) and editing is not None:
            self.deferred_reload = True  # read again once the cell's editor closes
        elif changes.review or changes.references or changes.moved:
            position = w.current_position()
            w.reload()  # keeps the comparison and the row
            if key not in changes.moved and "*" not in changes.moved and w.current_position() == position:
                w.row_form.keep_editing(kept)
        else:
            statuses = False
            for (comparison, position), fields in changes.rows.items():
                statuses = statuses or bool({"status", "verified_by"} & fields)
                if comparison == key and position == editing:
                    self.deferred_rows.add((comparison, position))
                elif comparison == key:
                    self.show_row(comparison, position, kept)
            if statuses:
                w.refresh_outline_counts()
        w.show_message(f"Changed by {', '.join(changes.who)}: shown as they left it")
        self.shown.emit(changes)
        w.state.others_changed.emit(changes)  # verify mode and adjudication, open over the window, show it too

    def show_row(self, comparison: str, position: int, kept: Any = None) -> None:
        """Read row ``position`` again and show it as stored (in the form too, when it is the row shown,
        with ``kept``, what :meth:`~curator.gui.row_form.RowForm.editing` gave, typed over it again)."""
        w = self.window
        if w.comparison_key() != comparison or not 0 <= position < w.row_count():
            return
        try:
            row = w.service.rows.row(comparison, position)
        except CuratorError:  # gone meanwhile: the next change read says so
            return
        w.show_stored_row(comparison, position, row)
        w.row_form.keep_editing(kept)
