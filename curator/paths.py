"""Where Curator keeps its files.

The embedded default review lives in the user's data folder (from
platformdirs); ``CURATOR_DATA_DIR`` overrides the folder (tests use it, so
they never touch a developer's real data), and naming a REVIEW overrides the
file on the command line.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

__all__ = ["data_dir", "default_database", "log_file"]

APP_NAME = "Curator"


def data_dir() -> Path:
    override = os.environ.get("CURATOR_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database() -> Path:
    """The embedded default review (created, with the demo in it, on first use)."""
    return data_dir() / "review.sqlite"


def log_file() -> Path:
    """Where an internal error's details are written."""
    override = os.environ.get("CURATOR_DATA_DIR")
    folder = Path(override).expanduser() if override else platformdirs.user_log_path(APP_NAME, appauthor=False)
    return folder / "curator.log"


#: What a team review's URL starts with (``postgres://`` as libpq takes it too).
SERVER_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")


def is_server_url(target: object) -> bool:
    """True when ``target`` names a review on a PostgreSQL server (a ``postgresql://`` URL) rather than
    a file. Light (no database library), for the start-up path."""
    return isinstance(target, str) and target.strip().lower().startswith(SERVER_SCHEMES)


def server_database(url: str) -> str:
    """The database a team review's URL names (what a file's name is to a file)."""
    from urllib.parse import unquote, urlsplit

    return unquote(urlsplit(url.strip()).path.lstrip("/")) or url
