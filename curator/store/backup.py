"""Writing a copy of a review database ("Save a copy").

The copy is made by SQLite itself (``VACUUM INTO``), so it is a consistent
snapshot even while the review is open, holds what is committed (WAL
included) and nothing half-written, and is written to a temporary name
first and renamed, so a failure leaves no partial file behind.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from curator.errors import CuratorError

__all__ = ["save_copy"]


def save_copy(source: Path, target: Path, *, overwrite: bool = False) -> None:
    """Copy the review at ``source`` to ``target`` (refusing an existing target unless ``overwrite``)."""
    source, target = Path(source), Path(target)
    if target.resolve() == source.resolve():
        raise CuratorError(f"{target}: is the review itself; choose another file for the copy")
    if target.exists() and not overwrite:
        raise CuratorError(f"{target}: already exists; choose another name")
    if not target.parent.is_dir():
        raise CuratorError(f"{target.parent}: no such folder")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        conn.execute("VACUUM INTO ?", (str(partial),))
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise CuratorError(f"{target}: the copy could not be written ({exc})") from None
    finally:
        conn.close()
    partial.replace(target)
