"""What every command shares: exit statuses, the parser class, the reviewer's name."""

from __future__ import annotations

import argparse
import getpass
import os

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_BUG", "Parser", "reviewer", "shown"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message and a hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def reviewer(args: argparse.Namespace) -> str:
    """The reviewer's name: ``--reviewer``, else ``$CURATOR_REVIEWER``, else the login name. On a team
    review (REVIEW a ``postgresql://`` URL) the audit log records the database user instead, and a
    typed name is refused (exit 2)."""
    from curator.paths import is_server_url  # light: the desktop app's start-up path comes here

    target = getattr(args, "review", None)
    if isinstance(target, str) and is_server_url(target):
        from curator.services.sources import ServerAddress, refuse_typed_reviewer

        refuse_typed_reviewer(target, args.reviewer, "--reviewer")
        refuse_typed_reviewer(target, os.environ.get("CURATOR_REVIEWER"), "$CURATOR_REVIEWER")
        # The user the URL logs in as (libpq's default: the login name); the services record the
        # database's current_user, which this is.
        return ServerAddress(target).user or _login_name()
    return args.reviewer or os.environ.get("CURATOR_REVIEWER") or _login_name()


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def shown(review: str | None) -> str | None:
    """The review as a message names it: a ``postgresql://`` URL without its password."""
    from curator.paths import is_server_url

    if review is None or not is_server_url(review):
        return review
    from curator.services.sources import ServerAddress

    return str(ServerAddress(review))
