"""Writing files so that a crash or a full disk never leaves half a file.

A file is written under a hidden temporary name beside its target
(``.NAME.PID-RANDOM.tmp``) and renamed over it when complete. An error
removes it; a kill cannot, so the next write beside the same target removes
the temporary files of processes that no longer run. The temporary file is
made only when writing starts (a library that writes by name creates it
itself), so a kill while the review is still being read leaves nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from curator.errors import CuratorError

__all__ = ["atomic_write_text", "atomic_open", "atomic_path", "os_reason", "sweep_leftovers"]


def os_reason(exc: OSError) -> str:
    """Why an OS error happened, in words: "the disk is full" rather than "[Errno 28] No space left on device"."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EDQUOT:
        return "your disk quota is used up"
    return exc.strerror or str(exc)


def _explain(path: Path, exc: OSError) -> CuratorError:
    reason = os_reason(exc)
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
            with open(tmp, mode.replace("w", "x"), **kwargs) as handle:  # type: ignore[call-overload]
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


def _temporary_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process (or no way to tell): leave its file alone
        return True
    return True


def sweep_leftovers(path: Path) -> list[Path]:
    """Remove the temporary files beside ``path`` that killed writes of it left (their process is
    gone), a temporary review database's side files too; the ones removed."""
    pattern = re.compile(r"\." + re.escape(path.name) + r"\.(\d+)-[0-9a-f]{8}\.tmp(?:-wal|-shm|-journal)?")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        found = pattern.fullmatch(entry.name)
        if found is None or _running(int(found.group(1))):
            continue
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def atomic_path(path: Path, *, overwrite: bool = True) -> Iterator[Path]:
    """A temporary path beside ``path`` for a library that writes by file name;
    it replaces ``path`` when the block succeeds and is removed otherwise.
    Without ``overwrite`` it takes the name only if it is still free (a file
    another process made there meanwhile is kept, and this one refused).

    The folder is tried for writing at once (a clear refusal before a long
    export), but the temporary file is left for the block to create."""
    path = Path(path)
    tmp = _temporary_name(path)
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(tmp)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _explain(path, exc) from None
    sweep_leftovers(path)
    try:
        yield tmp
        os.chmod(tmp, 0o644 & ~_umask())
        if overwrite:
            os.replace(tmp, path)
        else:
            _take_name(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _explain(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _take_name(tmp: Path, path: Path) -> None:
    """Rename ``tmp`` to ``path`` unless a file is there: a hard link, which fails on an existing name,
    then the temporary name removed (where links cannot be made, a rename after a look)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise CuratorError(f"{path}: another file was made there meanwhile; it was left as it is") from None
    except OSError:
        if path.exists():
            raise CuratorError(f"{path}: another file was made there meanwhile; it was left as it is") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)
