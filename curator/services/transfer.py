"""A review taken off a server to work without a network, and a solo review moved onto one (issue 16).

* :func:`pull` copies a review (a team review on a PostgreSQL server, or any review) into a new review
  file, with its whole audit history; the copy's log ends with a ``pull`` entry naming where it came
  from. The reviewer works in it offline and brings it back with ``curator merge COPY --db URL``, the
  usual merge: every difference goes to adjudication, recorded under who merges.
* :func:`push` copies a solo review file into an empty review database (a new team review on a
  server), with its audit history; the log there ends with a ``push`` entry naming the file.

The copy is the original table by table, ids and hashes as stored (:mod:`curator.store.transfer`), so
``curator log --verify --head H`` proves the same history on both sides. The source is read in one
snapshot: on PostgreSQL in a REPEATABLE READ transaction, so that other reviewers' writes during the
copy are either all in it or not at all. A failure leaves no copy (a pull writes under a hidden name
first; a push is one transaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection

from curator.errors import CuratorError
from curator.progress import Progress
from curator.services.review import ReviewService
from curator.store.audit import Audit
from curator.store.transfer import copy_review

__all__ = ["pull", "push"]


def pull(source: ReviewService, target: Path, progress: Progress | None = None) -> dict[str, int]:
    """Copy the review ``source`` into the new review file ``target`` (refused where a file exists);
    return how many rows each table got."""
    target = Path(target)
    if target.exists():
        raise CuratorError(f"{target}: already exists; choose another name for the copy")
    with ReviewService.creating(target, source.who) as copy, _snapshot(source) as src, copy.writing() as session:
        conn = session.connection()
        counts = copy_review(src, conn, progress)
        _record(conn, copy.who, "pull", str(source.path))
    return counts


def push(source: ReviewService, target: ReviewService, progress: Progress | None = None) -> dict[str, int]:
    """Copy the review ``source`` into ``target``, which must hold no review yet (a new review database
    on a server); return how many rows each table got."""
    with _snapshot(source) as src, target.writing() as session:
        conn = session.connection()
        try:
            counts = copy_review(src, conn, progress)
        except CuratorError as exc:
            raise CuratorError(f"{target.path}: {exc}") from None
        _record(conn, target.who, "push", str(source.path))
    return counts


@contextmanager
def _snapshot(service: ReviewService) -> Iterator[Connection]:
    """A reading connection that sees the review as it was when it began, through the whole copy."""
    engine = service.db.engine.execution_options(curator_write=False)  # SQLite: BEGIN, not BEGIN IMMEDIATE
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with engine.connect() as conn, conn.begin():
        yield conn


def _record(conn: Connection, who: str, action: str, origin: str) -> None:
    """The copy's last audit entry: what was done, from where."""
    audit = Audit(who)
    audit.event(action, "review", None, None, None, origin)
    audit.flush(conn)
