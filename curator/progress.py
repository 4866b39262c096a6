"""Progress and cancellation for long work, without any GUI.

Long core functions (import, export, checks on big reviews) take an optional
:class:`Progress`; the CLI passes none, the desktop app passes one that
forwards to a progress dialog from its worker thread and sets ``cancelled``
when the user presses Cancel. A cancelled function raises
:class:`Cancelled` before it has written anything that stays.
"""

from __future__ import annotations

from typing import Protocol

from curator.errors import CuratorError

__all__ = ["Progress", "Cancelled", "report"]


class Cancelled(CuratorError):
    """The user cancelled; nothing was written."""

    exit_code = 130


class Progress(Protocol):
    cancelled: bool

    def update(self, done: int, total: int, what: str) -> None: ...


def report(progress: Progress | None, done: int, total: int, what: str) -> None:
    """Tell ``progress`` how far the work is; raise :class:`Cancelled` if asked to stop."""
    if progress is None:
        return
    if progress.cancelled:
        raise Cancelled("cancelled; nothing was written")
    progress.update(done, total, what)
