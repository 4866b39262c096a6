"""Writing the details of a bug (an unexpected exception) to ``curator.log``.

The CLI and the desktop app both tell the user a short apology and keep
the traceback here, in the log file of :func:`curator.paths.log_file`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from curator import __version__

__all__ = ["log_bug"]


def log_bug(context: str, details: str) -> Path | None:
    """Append ``details`` (a traceback) under a line naming ``context``; the log's path, or None if unwritable."""
    from curator.paths import log_file

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {datetime.now(UTC).isoformat()} curator {__version__} {context}\n")
            handle.write(details if details.endswith("\n") else details + "\n")
    except OSError:
        return None
    return path
