"""Errors a user can cause, as opposed to bugs.

A :class:`CuratorError` is something the user can fix (a bad value in a
file, a locked database, a missing folder): the CLI prints its message on
one line and exits with its ``exit_code``, never with a traceback. Anything
else that escapes is a bug and is reported as one.
"""

from __future__ import annotations

__all__ = ["CuratorError", "InputError", "DatabaseError"]


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
