"""Writing files so that a crash or a full disk never leaves half a file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from curator.errors import CuratorError

__all__ = ["atomic_write_text", "atomic_open", "atomic_path"]


def _explain(path: Path, exc: OSError) -> CuratorError:
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        reason = "permission denied (is the folder read-only?)"
    elif isinstance(exc, FileNotFoundError):
        reason = f"the folder {str(path.parent)!r} does not exist"
    return CuratorError(f"{path}: cannot write: {reason}")


@contextlib.contextmanager
def atomic_open(path: Path, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:  # type: ignore[type-arg]
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    On any error the temporary file is removed and ``path`` is untouched.
    OS errors (read-only folder, missing folder, disk full) become a
    :class:`CuratorError` naming the path.
    """
    with atomic_path(path) as tmp:
        kwargs = {"encoding": encoding, "newline": ""} if "b" not in mode else {}
        try:
            with open(tmp, mode, **kwargs) as handle:  # type: ignore[call-overload]
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise _explain(path, exc) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_open(path) as handle:
        handle.write(text)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` for a library that writes by file name;
    it replaces ``path`` when the block succeeds and is removed otherwise."""
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise _explain(path, exc) from None
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _explain(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
