"""What every command shares: exit statuses, the parser class, the reviewer's name."""

from __future__ import annotations

import argparse
import getpass
import os

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_BUG", "Parser", "reviewer"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message and a hint."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def reviewer(args: argparse.Namespace) -> str:
    name = args.reviewer or os.environ.get("CURATOR_REVIEWER")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return name
