"""Errors a user can cause, as opposed to bugs.

A :class:`CuratorError` is something the user can fix (a bad value in a
file, a locked database, a missing folder): the CLI prints its message on
one line and exits with its ``exit_code``, never with a traceback. Anything
else that escapes is a bug and is reported as one.
"""

from __future__ import annotations

__all__ = ["CuratorError", "InputError", "DatabaseError", "StaleWrite"]


class CuratorError(Exception):
    """A problem the user can fix; the message says what and where."""

    exit_code = 2


class InputError(CuratorError):
    """Input that is not what the contract allows.

    ``where`` names the file and the place in it (a JSON path, a sheet cell).
    """

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None) -> None:
        self.file = file
        self.where = where
        self.detail = message
        parts = [p for p in (file, where) if p]
        super().__init__(": ".join([*parts, message]))


class DatabaseError(CuratorError):
    """A database that cannot be opened or written, with the reason."""


class StaleWrite(CuratorError):
    """A write refused because what it read has changed since (another window, reviewer or process).

    The message names the place and both values; the parts are kept so that the window can show the
    stored value (``theirs``) beside the one refused (``yours``) and let the reviewer choose.
    ``comparison``/``position`` name a row (``position`` from 0), ``reference`` a reference; ``field`` is
    the dotted field (None for the row as a whole); ``expected`` is the value the write read.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        expected: str | None = None,
        theirs: str | None = None,
        yours: str | None = None,
        comparison: str | None = None,
        position: int | None = None,
        reference: str | None = None,
    ) -> None:
        super().__init__(message)
        self.field = field
        self.expected = expected
        self.theirs = theirs
        self.yours = yours
        self.comparison = comparison
        self.position = position
        self.reference = reference
