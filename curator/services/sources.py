"""Reading a SOURCE and opening the review database a command works on.

A SOURCE is a review database or a ``curator/1`` exchange file; which one is
decided by the file's content, not its name. A review database may also be a team review on a
PostgreSQL server, named by a ``postgresql://`` URL (:func:`is_server_url`). Without a path, commands use
the embedded default review, which is created with the demo review in it
the first time it is needed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine

from curator.demo import demo_review
from curator.errors import CuratorError, DatabaseError, InputError
from curator.formats.exchange import NotExchange, read_exchange
from curator.paths import default_database
from curator.review import Review
from curator.store.database import (
    SQLITE_MAGIC,
    Database,
    ServerAddress,
    head_revision,
    is_server_url,
    open_database,
)
from curator.store.repository import add_content, load_review
from curator.store.verified_here import VerifiedRows, verified_rows

__all__ = [
    "NOT_A_REVIEW",
    "is_database",
    "not_a_review",
    "refuse_non_database",
    "is_workbook",
    "open_review",
    "read_source",
    "read_theirs",
    "source_verified_rows",
    "DEFAULT_REVIEWER",
    "is_server_url",
    "ServerAddress",
    "refuse_typed_reviewer",
]

DEFAULT_REVIEWER = "curator"
NOT_A_REVIEW = "not a review (neither a Curator database nor a curator/1 file)"
_ZIP_MAGIC = b"PK\x03\x04"


def _starts_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(magic)) == magic
    except OSError:
        return False


def is_database(path: Path) -> bool:
    """True when the file at ``path`` is an SQLite file (by its first bytes)."""
    return _starts_with(path, SQLITE_MAGIC)


def is_workbook(path: Path) -> bool:
    """True when the file at ``path`` is a zip file, as .xlsx workbooks are."""
    return _starts_with(path, _ZIP_MAGIC)


def refuse_typed_reviewer(target: object, given: str | None, how: str) -> None:
    """Refuse a reviewer's name typed for a team review (``target`` a ``postgresql://`` URL): there the
    audit log records the database user the server authenticated, never a name anyone can type. ``how``
    says where the name came from (``--reviewer``, ``$CURATOR_REVIEWER``)."""
    if given and isinstance(target, str) and is_server_url(target):
        raise CuratorError(
            f"{ServerAddress(target)}: {how} is refused on a team review: the audit log records the "
            "database user you log in as (the URL's user), never a typed name"
            + ("; unset CURATOR_REVIEWER" if how.startswith("$") else "")
        )


def not_a_review(path: str | Path, why: str | None = None) -> InputError:
    """The refusal of a file that is not a review: ``FILE: not a review (neither a Curator database nor a
    curator/1 file)``, and why when it helps (``the file is empty``)."""
    return InputError(NOT_A_REVIEW + (f": {why}" if why else ""), file=str(path))


def _exchange_reason(path: Path, exc: NotExchange) -> str | None:
    """Why a file is not a curator/1 file, in a few words: for JSON of another kind, or a .json file
    that is not valid JSON (where its syntax breaks); None for any other file (notes.txt)."""
    if not exc.is_json:
        if path.suffix.lower() == ".json":
            return exc.detail
        from curator.formats.sniff import seems_to_be

        what = seems_to_be(path)
        return f"it seems to be {what}" if what else None
    return exc.detail if exc.where in (None, "(top level)") else f"{exc.where}: {exc.detail}"


def _is_xlsx(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (OSError, EOFError, ValueError, zipfile.BadZipFile):  # a damaged zip: the xlsx reader says why
        return False


def _sqlite_revision(path: Path) -> str | None:
    """The schema revision of a Curator database at ``path``, read without changing the file.

    Refuses an SQLite file that is not a Curator review (another program's,
    or not SQLite after its first bytes). None when the file cannot be probed
    here (locked, unreadable, a damaged page):
    opening it then says why.
    """
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    try:
        probe = sqlite3.connect(f"file:{path}?{mode}", uri=True)
    except sqlite3.Error:
        return None
    try:
        tables = {r[0] for r in probe.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        found = (
            probe.execute("SELECT version_num FROM alembic_version").fetchone() if "alembic_version" in tables else None
        )
    except sqlite3.Error as exc:
        if "not a database" in str(exc):  # its header is not SQLite's, beyond the first bytes
            raise not_a_review(path, "a damaged SQLite file") from None
        return None  # locked, unreadable, or changing under us: opening it says which
    finally:
        probe.close()
    if not found:
        raise not_a_review(path, "an SQLite database, but not one of Curator's")
    return str(found[0])


def refuse_non_database(path: Path, what: str | None = None) -> None:
    """Refuse (:class:`InputError`) an existing file at ``path`` that is not a Curator review database,
    saying what it is; the file is only read. ``what`` names what needs a database (``the audit log``).
    A folder, a missing or unreadable file is left to the opening to explain."""
    try:
        if not path.is_file():
            return
        size = path.stat().st_size
    except OSError:
        return
    if size == 0:
        raise not_a_review(path, "the file is empty")
    if is_database(path):
        _sqlite_revision(path)
        return
    needs = f"; {what} is kept in review databases" if what else ""
    bring = f"bring it into one with `curator import REVIEW {path}`"
    if is_workbook(path):
        if _is_xlsx(path):
            raise InputError(f"is an Excel workbook, not a review database{needs}: {bring}", file=str(path))
        raise not_a_review(path)
    try:
        read_exchange(path)
    except NotExchange as exc:
        raise not_a_review(path, _exchange_reason(path, exc)) from None
    except InputError:
        pass  # a curator/1 file with a bad value: still a curator/1 file
    raise InputError(f"is a curator/1 file, not a review database{needs}: {bring}", file=str(path))


def open_review(path: str | Path | None, *, create: bool = True, who: str = DEFAULT_REVIEWER) -> Database:
    """Open the review database at ``path`` (the default review when None).

    The default review is created with the demo in it on first use. A new
    review is made only where nothing exists (with ``create``): an existing
    file that is not a Curator database, an empty one included, is refused
    and left as it was. An existing file that cannot be written is opened
    read-only.
    """
    if isinstance(path, str) and is_server_url(path):  # a ServerAddress keeps its password
        return open_database(path, create=create)
    if path is None:
        target = default_database()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"{target.parent}: cannot create the data folder ({exc.strerror})") from None
        refuse_non_database(target)
        db = open_database(target, create=True)
        if db.created:
            with db.session() as session:
                add_content(session, demo_review(), who)
        return db
    target = Path(path)
    refuse_non_database(target)
    # A file, or a folder (WAL needs its side files beside the file), that cannot be written: read-only.
    readonly = target.exists() and not (
        os.access(target, os.W_OK) and os.access(target.absolute().parent, os.W_OK | os.X_OK)
    )
    return open_database(target, create=create, readonly=readonly)


def read_source(path: str | Path | None) -> Review:
    """The review in a SOURCE: a database, an exchange file, a workbook, or the default review.

    Which it is, is told by the file's content, not its name; anything else
    is refused as not a review.
    """
    if path is not None and not is_server_url(path):
        path = Path(path)
        if not path.exists():
            raise InputError("no such file", file=str(path))
        if path.is_file() and path.stat().st_size == 0:
            raise not_a_review(path, "the file is empty")
        if path.is_file() and is_workbook(path):
            if not _is_xlsx(path):
                from curator.formats.sniff import seems_to_be

                raise not_a_review(path, f"it seems to be {seems_to_be(path)}")
            from curator.formats.xlsx_read import read_workbook

            review = read_workbook(path)
            if review.documents:  # its documents (its Documents sheet) are looked for beside it
                from curator.services.documents import mark_found_beside

                mark_found_beside(review.documents, path.resolve().parent)
            return review
        if path.is_file() and not is_database(path):
            try:
                review = read_exchange(path)
            except NotExchange as exc:
                raise not_a_review(path, _exchange_reason(path, exc)) from None
            if review.documents:  # its documents are looked for beside it
                from curator.services.documents import mark_found_beside

                mark_found_beside(review.documents, path.resolve().parent)
            return review
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return load_review(session)


def read_source_with_head(path: str | Path | None) -> tuple[Review, str | None]:
    """:func:`read_source`, and for a review database the head of its audit chain, read together (the
    head an export carries is that of the history the content exported is the result of)."""
    from curator.store.audit import chain_head

    if path is not None and not is_server_url(path) and not (Path(path).is_file() and is_database(Path(path))):
        return read_source(path), None
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return load_review(session), chain_head(session.connection())


def read_theirs(path: str | Path) -> Review:
    """The other reviewer's review, read without changing their file.

    Refuses (:class:`CuratorError`) a file that is not a review, and a
    review database of another schema version than this Curator's: it is
    not upgraded here (open it once with this Curator, then merge).
    """
    path = Path(path)
    if not path.is_file():
        raise CuratorError(f"{path}: no such file")
    if path.stat().st_size == 0 or not is_database(path):
        return read_source(path)
    revision = _sqlite_revision(path)
    if revision is None:
        raise DatabaseError(f"{path}: cannot be read as a review database (damaged, or locked by another program)")
    head = head_revision()
    if revision != head:
        raise DatabaseError(
            f"{path}: is a review of schema {revision}, this Curator's is {head}; it is not changed here. "
            "Open it with the same Curator version as this review (which upgrades an older file), then merge"
        )
    with reading_database(path) as conn:
        return load_review(conn)


@contextmanager
def reading_database(path: Path) -> Iterator[Connection]:
    """A connection that reads the review database at ``path`` without changing it (nor its -wal)."""
    wal = path.with_name(path.name + "-wal")
    uri = f"file:{path}?{'mode=ro' if wal.exists() else 'immutable=1'}"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def source_verified_rows(path: str | Path | None, review: Review) -> VerifiedRows:
    """The rows of SOURCE ``path`` verified here and those only claimed
    verified (see :mod:`curator.store.verified_here`); ``review`` is its
    content as read. A file (exchange file, workbook) holds no verifications
    made in a review: every row it says is verified is a claim."""
    if path is not None and not is_server_url(path):
        target = Path(path)
        if target.is_file() and not is_database(target):
            claimed = frozenset(
                (c.key, position)
                for c in review.comparisons
                for position, row in enumerate(c.rows)
                if row.status == "verified"
            )
            return VerifiedRows(frozenset(), claimed, {})
    with open_review(path, create=False) as db, db.session(write=False) as session:
        return verified_rows(session)
