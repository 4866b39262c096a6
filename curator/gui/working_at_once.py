"""What verify mode and adjudication share while others work on the review too (issue 16).

Both dialogs stand over the window's review while other reviewers (other
windows, ``curator fix`` in a terminal) change it. :class:`WorkingAtOnce` is
their common part:

* :meth:`~WorkingAtOnce.say` shows what happened under the dialog's fields
  (a refusal in red, the rest in green);
* :meth:`~WorkingAtOnce.run` runs one use case of the service (one write
  transaction, compare-and-set on the value shown); a refusal of the core is
  said and nothing is written; one because someone changed the value
  meanwhile (:class:`~curator.errors.StaleWrite` naming the row and field)
  goes to the dialog's answer to it;
* :meth:`~WorkingAtOnce.ask` is that answer's dialog:
  :class:`~curator.gui.stale_dialog.StaleWriteDialog`, theirs beside yours,
  Apply mine and Keep theirs doing what the dialog says (its ``stale`` while
  on show);
* the dialog's slot follows ``ReviewState.others_changed`` (what another
  reviewer changed, within a second) until :meth:`~WorkingAtOnce.stop`, on
  closing; :func:`shown_as_left` is what both say then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt

from curator.errors import CuratorError, StaleWrite

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget

    from curator.gui.stale_dialog import StaleWriteDialog
    from curator.gui.state import ReviewState
    from curator.services.live import Changes

__all__ = ["WorkingAtOnce", "shown_as_left"]

T = TypeVar("T")


def shown_as_left(changes: Changes) -> str:
    """What a dialog says when it shows another reviewer's change."""
    return f"Changed by {', '.join(changes.who)}: shown as they left it"


class WorkingAtOnce:
    """A dialog's writes, its messages, and its following of others' changes (``dialog`` owns ``message``)."""

    def __init__(
        self, dialog: QWidget, state: ReviewState, message: QLabel, others_changed: Callable[[Changes], None]
    ) -> None:
        self.dialog = dialog
        self.state = state
        self.message = message
        self._others_changed = others_changed
        #: The theirs-and-yours dialog on show after a refusal as stale (None when none).
        self.stale: StaleWriteDialog | None = None
        state.others_changed.connect(others_changed)

    def say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #9C0006; font-weight: bold;" if error else "color: #375623;")
        self.message.setText(text)

    def run(
        self, change: Callable[[], T], on_stale: Callable[[StaleWrite], None] | None = None
    ) -> tuple[bool, T | None]:
        """One use case of the service, and what it gave; a refusal is said and nothing is written. With
        ``on_stale``, a refusal because the value moved meanwhile goes there too (theirs and yours)."""
        try:
            return True, self.state.run_raising(change)
        except StaleWrite as exc:
            self.say(str(exc), error=True)  # said under the fields too, while the dialog asks
            if on_stale is not None and None not in (exc.field, exc.comparison, exc.position):
                on_stale(exc)
        except CuratorError as exc:
            self.say(str(exc), error=True)
        return False, None

    def ask(
        self,
        error: StaleWrite,
        *,
        yours: str,
        over: str,
        endpoint: str | None,
        yours_note: str | None,
        apply_mine: Callable[[], object],
        keep_theirs: Callable[[], object],
    ) -> StaleWriteDialog:
        """Open theirs (``error``'s) beside ``yours`` (typed over ``over``): Apply mine and Keep theirs call
        ``apply_mine`` and ``keep_theirs``; :attr:`stale` while it is on show."""
        from curator.gui.stale_dialog import field_dialog

        self.stale = dialog = field_dialog(
            self.dialog, self.state.service, error, yours=yours, over=over, endpoint=endpoint, yours_note=yours_note
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(apply_mine)
        dialog.rejected.connect(keep_theirs)
        dialog.finished.connect(self._stale_closed)
        dialog.open()
        return dialog

    def _stale_closed(self) -> None:
        self.stale = None

    def stop(self) -> None:
        """Closing the dialog: others' changes are no longer followed."""
        try:
            self.state.others_changed.disconnect(self._others_changed)
        except (RuntimeError, TypeError):  # closed twice
            pass
