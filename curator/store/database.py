"""Opening a review database: checks, pragmas, creation and upgrades.

:func:`open_database` is the only way the rest of Curator gets an engine. A review is an SQLite
file, or (a team review, issue 16) a database on a PostgreSQL server named by a ``postgresql://``
URL (:class:`ServerAddress`; see :func:`_open_server` for what differs there). For a file:

* a file that is not SQLite, or SQLite but not a Curator review, is refused
  with a message naming the file and leaves it untouched;
* a new (or empty) file gets the current schema and is stamped with the
  head migration;
* a file of an older schema is copied to a backup beside it, then upgraded;
* a file of a newer schema (unknown revision) is refused;
* connections have foreign keys on, WAL journal, ``synchronous=FULL`` (a
  saved edit survives a power loss) and a busy timeout, and write transactions take the write lock at BEGIN so
  two writers queue instead of failing half-way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy import (
    URL,
    Column,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    inspect,
    make_url,
)
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlmodel import Session

from curator.errors import DatabaseError
from curator.paths import is_server_url
from curator.store.models import metadata
from curator.store.triggers import AUDIT_INSERT_GUARDS
from curator.words import counted

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

__all__ = [
    "Database",
    "open_database",
    "script_location",
    "head_revision",
    "known_revisions",
    "SCHEMA_HEAD",
    "BUSY_TIMEOUT_S",
    "check_file",
    "examine",
    "explain_sqlite",
    "alembic_config",
    "reading_uri",
    "remove_review_files",
    "ServerAddress",
    "PasswordNeeded",
    "Location",
    "is_server_url",
    "WRITE_LOCK",
]

#: How long a writer waits for another to finish before giving up.
BUSY_TIMEOUT_S = 10.0
#: ``PRAGMA application_id`` of a Curator review ("CURA").
APPLICATION_ID = 0x43555241
#: The first bytes of every SQLite file.
SQLITE_MAGIC = b"SQLite format 3\x00"


#: The PostgreSQL advisory lock every write transaction of a team review takes first (``CURA``): writers
#: queue as on SQLite, where BEGIN IMMEDIATE takes the file's write lock.
WRITE_LOCK = APPLICATION_ID


def _without_password(text: str) -> str:
    """A URL as the user gave it, its password (``user:secret@``) taken out: for a message."""
    scheme, sep, rest = text.partition("://")
    who, at, place = rest.rpartition("@")
    if not sep or not at:
        return text
    return f"{scheme}://{who.partition(':')[0]}@{place}"


class PasswordNeeded(DatabaseError):
    """The server asks for a password the URL does not give (the window then asks for it)."""


class ServerAddress(str):
    """A review on a PostgreSQL server: as text, its URL without the password (what every message
    shows, as a file's path is shown); :attr:`url` is SQLAlchemy's URL to connect with (the psycopg 3
    driver, the password kept)."""

    url: URL

    def __new__(cls, given: str) -> ServerAddress:
        if isinstance(given, ServerAddress):
            return given
        try:
            url = make_url(given.strip())
        except ArgumentError:
            raise DatabaseError(f"{_without_password(given)}: is not a PostgreSQL URL") from None
        if url.get_backend_name() not in ("postgresql", "postgres"):
            raise DatabaseError(f"{_without_password(given)}: is not a PostgreSQL URL")
        if not url.database:
            raise DatabaseError(
                f"{_without_password(given)}: names no database; say which, as in postgresql://USER@HOST/DATABASE"
            )
        url = url.set(drivername="postgresql+psycopg")
        shown = url.set(drivername="postgresql")._replace(password=None).render_as_string(hide_password=False)
        self = super().__new__(cls, shown)
        self.url = url
        return self

    @property
    def name(self) -> str:
        """The database's name (what a file's name is to a file)."""
        return str(self.url.database)

    @property
    def user(self) -> str | None:
        """The user the URL names (None: libpq's default, the login name)."""
        return self.url.username

    def with_password(self, password: str) -> ServerAddress:
        """The same review, logging in with ``password``."""
        return ServerAddress(self.url.set(password=password).render_as_string(hide_password=False))

    def __reduce__(self) -> tuple[Any, ...]:  # pickled (a worker process) with its password
        return (ServerAddress, (self.url.render_as_string(hide_password=False),))


#: Where a review is: a file, or a database on a server.
Location = Path | ServerAddress


def script_location() -> Path:
    """The folder of the Alembic scripts, inside the installed package."""
    return Path(str(resources.files("curator.db")))


#: The head revision of the migrations this Curator ships (db/versions; a test holds it to Alembic's
#: head). A review at this revision is opened, and a new one made, without Alembic: importing it and
#: loading its scripts took about 0.4 s of every command that opens a review. Alembic is loaded only
#: to upgrade an older review (or to read another script folder, as tests do).
SCHEMA_HEAD = "0012"

#: The table Alembic keeps the revision in, as ``alembic stamp`` makes it.
_VERSION_TABLE = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def alembic_config(location: Path | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(location or script_location()))
    return cfg


def _scripts(location: Path | None = None) -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(location))


def head_revision(location: Path | None = None) -> str:
    if location is None:
        return SCHEMA_HEAD
    head = _scripts(location).get_current_head()
    assert head is not None
    return head


def known_revisions(location: Path | None = None) -> set[str]:
    """Every revision of the migrations (loads Alembic and its scripts)."""
    return {rev.revision for rev in _scripts(location).walk_revisions()}


def _stamp(conn: Any, head: str) -> None:
    """Record ``head`` as the schema's revision, as ``alembic stamp`` does on a new database."""
    _VERSION_TABLE.create(conn)
    conn.execute(_VERSION_TABLE.insert().values(version_num=head))


def _revision(conn: Any, tables: set[str]) -> str | None:
    """The revision recorded in a database (None when it has no ``alembic_version`` table)."""
    if "alembic_version" not in tables:
        return None
    found = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return found[0] if len(found) == 1 else None


@dataclass
class Database:
    """An open review database: a file, or (``path`` a :class:`ServerAddress`) one on a server."""

    path: Location
    engine: Engine
    created: bool = False
    #: The backup written before an upgrade, if there was one.
    backup: Path | None = None
    readonly: bool = False
    #: Made under a hidden name with no journal on the disk and no syncs, until :meth:`seal`.
    building: bool = False
    #: While building: the SQL of the indexes and audit-log guards :meth:`seal` puts in place.
    deferred: list[str] = field(default_factory=list)
    #: On a server: the database user it was opened as (``current_user``), who the audit log records.
    user: str | None = None

    @property
    def on_server(self) -> bool:
        """True for a team review on a PostgreSQL server (no file, no backup, no WAL)."""
        return isinstance(self.path, ServerAddress)

    @property
    def file(self) -> Path:
        """The review's file (for what only a file has: a copy, its folder); refused on a server."""
        if isinstance(self.path, ServerAddress):
            raise DatabaseError(f"{self.path}: is a review on a PostgreSQL server, not a file")
        return self.path

    @contextmanager
    def session(self, *, write: bool = True) -> Iterator[Session]:
        """A session whose transaction commits on success, rolls back on error.

        A writing session takes the write lock when it begins (so two
        writers queue rather than fail half-way); a reading one does not,
        and in WAL mode never blocks or waits for a writer.
        """
        bind = self.engine.execution_options(curator_write=write and not self.readonly)
        with Session(bind, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except SADatabaseError as exc:
                session.rollback()
                if isinstance(self.path, ServerAddress) and _refused_action(exc) is not None:
                    raise explain_server(self.path, exc, role=self._role()) from None
                raise explain(self.path, exc) from None
            except BaseException:
                session.rollback()
                raise

    def _role(self) -> str | None:
        """The reviewer's role in this team review (None: not a reviewer of it, or not a team review)."""
        from curator.store.team import role_of

        try:
            with self.engine.connect() as conn:
                return role_of(conn)
        except SADatabaseError:
            return None

    def close(self) -> None:
        self.engine.dispose()

    def seal(self) -> None:
        """End the building of a new review (:func:`open_database` ``building``): its indexes and the
        audit log's insert guards made (:func:`_defer_upkeep`), WAL turned on, the connections closed
        and the file synced, so that the file alone is the whole review, on the disk, as a file that is
        to take its name must be (no transaction may be open)."""
        assert self.building and isinstance(self.path, Path), "only a review being built is sealed"
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("BEGIN")
            for sql in self.deferred:
                cursor.execute(sql)
            cursor.execute("COMMIT")
            cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            raw.close()
        self.engine.dispose()
        descriptor = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path}: is a folder, not a review database")
    if not path.exists():
        return
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except PermissionError:
        raise DatabaseError(f"{path}: cannot be read (permission denied)") from None
    if head and head != SQLITE_MAGIC:
        hint = ""
        if head.lstrip()[:1] in (b"{", b"["):
            hint = " (it looks like a JSON file: use `curator import` to bring an exchange file in)"
        raise DatabaseError(f"{path}: is not a Curator review database (not an SQLite file){hint}")


def _wal_pending(path: Path) -> bool:
    """True when a non-empty ``-wal`` beside ``path`` holds changes not yet in the file."""
    try:
        return path.with_name(path.name + "-wal").stat().st_size > 0
    except OSError:
        return False


def reading_uri(path: Path) -> str:
    """The SQLite URI that reads the review at ``path`` without writing anything.

    ``mode=ro`` first: it sees a writer's latest commits, but in WAL mode it
    needs the ``-shm`` beside the file (it creates one if missing), which a
    read-only folder refuses. Then, and only when no ``-wal`` holds pending
    changes, ``immutable=1``: it reads the file alone, with no locks and no
    side files; safe here, since nobody can write in a folder where even the
    ``-shm`` cannot be made. A ``-wal`` that cannot be read this way is
    refused rather than silently ignored (immutable reading would skip it).
    """
    base = "file:" + quote(path.as_posix())
    probe: sqlite3.Connection | None = None
    try:
        probe = sqlite3.connect(f"{base}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "") not in ("SQLITE_READONLY_DIRECTORY", "SQLITE_CANTOPEN"):
            return f"{base}?mode=ro"  # locked, damaged...: opening it says which
        if not path.is_file():
            return f"{base}?mode=ro"
        if _wal_pending(path):
            raise DatabaseError(
                f"{path}: cannot be read: its folder is read-only and its last changes are still in "
                f"{path.name}-wal; copy both files to a folder you can write to"
            ) from None
        return f"{base}?immutable=1"
    finally:
        if probe is not None:
            probe.close()
    return f"{base}?mode=ro"


def _make_engine(path: Path, readonly: bool, foreign_keys: bool = True, building: bool = False) -> Engine:
    # SQLAlchemy gets the path only to know it is a file (a pool per file, not a
    # URL to parse: a '?' or '#' in a folder's name stays in the name); the
    # creator opens it, read-only by the URI of :func:`reading_uri`.
    target, uri = (reading_uri(path), True) if readonly else (str(path), False)
    engine = create_engine(
        URL.create("sqlite", database=str(path)),
        creator=lambda: sqlite3.connect(target, uri=uri, timeout=BUSY_TIMEOUT_S, check_same_thread=False),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        cur.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # A REPLACE's delete fires delete triggers (the audit log's refusal) only with this on.
        cur.execute("PRAGMA recursive_triggers = ON")
        if building:
            # A new review made under a hidden name (services' ReviewService.creating) that takes its
            # name only whole: until then nobody else opens it and a failure or a kill throws it
            # away, so what WAL and syncs guard against cannot happen to it. Its rollback journal is
            # kept in memory (an error still rolls back), nothing is synced, and every page is
            # written once, not to the -wal and again into the file: a 100,000-row import wrote
            # 180 MB twice and waited for it. Database.seal turns WAL on and syncs the file before
            # the rename.
            cur.execute("PRAGMA journal_mode = MEMORY")
            cur.execute("PRAGMA synchronous = OFF")
        elif not readonly:
            cur.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit returns only once its WAL frames are on the disk, so a
            # saved edit survives a power loss (NORMAL syncs only at checkpoints,
            # and can lose the last commits). Its cost is one fsync per commit,
            # not per row: an edit is one commit (under 2 ms), and bulk work
            # (import, merge, delete of a comparison) is one transaction, so
            # FULL costs it one fsync in all; NORMAL would save nothing there.
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("curator_write", True)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write and not readonly else "BEGIN")

    return engine


#: A write that waited the busy timeout for another writer: another program, or another Curator (a
#: window, an import) whose long write was still going on.
LOCKED = (
    f"the review is busy: another program, or another Curator, has been writing to it for more than "
    f"{BUSY_TIMEOUT_S:g} s; try again when it is done"
)


def explain(path: Location, exc: Exception) -> DatabaseError:
    """The user's one-line message for a database error of a file or of a server."""
    if isinstance(path, ServerAddress):
        return explain_server(path, exc)
    return explain_sqlite(path, exc)


#: What a statement on a table does, in people's words: (statement, table) -> the action (``*``: any statement).
ACTIONS: dict[tuple[str, str], str] = {
    ("INSERT", "endpoint_row"): "entering rows",
    ("UPDATE", "endpoint_row"): "changing rows' values",
    ("DELETE", "endpoint_row"): "deleting rows",
    ("INSERT", "reference"): "adding references",
    ("UPDATE", "reference"): "changing references",
    ("DELETE", "reference"): "deleting references",
    ("INSERT", "comparison"): "adding comparisons",
    ("UPDATE", "comparison"): "changing comparisons",
    ("DELETE", "comparison"): "deleting comparisons",
    ("*", "citation"): "changing which references a row cites",
    ("*", "evidence"): "recording where values were read in the papers",
    ("*", "accepted_finding"): "accepting findings",
    ("*", "field_verification"): "confirming, fixing or disputing values",
    ("INSERT", "adjudication_item"): "sending differences to adjudication",
    ("UPDATE", "adjudication_item"): "deciding adjudication items",
    ("*", "blind_entry"): "entering rows blind",
    ("*", "review"): "changing the review's title or description",
    ("*", "document"): "attaching or detaching papers",
    ("*", "document_blob"): "attaching or detaching papers",
    ("UPDATE", "audit_log"): "changing the audit log",
    ("DELETE", "audit_log"): "changing the audit log",
    ("*", "curator_team"): "changing the team's settings",
}
_DENIED = re.compile(
    r'permission denied for (?:table|relation) "?(?P<table>[\w.]+)"?'
    r'|row-level security policy for table "?(?P<rls>[\w.]+)"?'
)
_VERB = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE|SELECT)\b", re.IGNORECASE | re.DOTALL)


def _refused_action(exc: Exception) -> tuple[str, str | None] | None:
    """The table a "permission denied" (or a row-level security refusal) is about, and what the statement did
    there in people's words (None when not known); None when the server refused nothing of the kind."""
    found = _DENIED.search(str(getattr(exc, "orig", exc)))
    if found is None:
        return None
    table = (found["table"] or found["rls"]).rpartition(".")[2]
    statement = str(getattr(exc, "statement", "") or "")
    verb = _VERB.match(statement)
    said = verb[1].upper() if verb is not None else ""
    return table, ACTIONS.get((said, table)) or ACTIONS.get(("*", table))


def explain_server(address: ServerAddress, exc: Exception, *, role: str | None = None) -> DatabaseError:
    """The user's one-line message for what the PostgreSQL server said (never the password, which the
    address does not hold as text). ``role`` is the reviewer's role in the team review, to name it when
    the server refused an action."""
    text = str(getattr(exc, "orig", exc)).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    lowered = text.lower()
    if "password authentication failed" in lowered:
        return DatabaseError(
            f"{address}: the server refused the login: wrong password for user {address.user or '(default)'}, "
            "or no such user"
        )
    if "no password supplied" in lowered:
        return PasswordNeeded(f"{address}: the server asks for a password, and none was given")
    if "database" in lowered and "does not exist" in lowered:
        return DatabaseError(f"{address}: no such database on the server ({address.name}); ask its administrator")
    if "role" in lowered and "does not exist" in lowered:
        return DatabaseError(f"{address}: the server knows no user {address.user or '(default)'}")
    if "lock timeout" in lowered:
        return DatabaseError(f"{address}: {LOCKED}")
    unreachable = re.search(r"connection to server (.*?) failed: (.*)", text)
    if unreachable is not None:  # at "host" (1.2.3.4), port 5432 / on socket "...": why
        return DatabaseError(
            f"{address}: cannot reach the PostgreSQL server {unreachable[1]}: {unreachable[2].splitlines()[0].strip()}"
        )
    if any(words in lowered for words in ("connection refused", "could not translate host", "timeout expired")):
        return DatabaseError(f"{address}: cannot reach the PostgreSQL server ({first})")
    refused = _refused_action(exc)
    if refused is not None:
        yours = f"your role ({role})" if role else "your role"
        _table, action = refused
        if action is None:
            return DatabaseError(f"{address}: the server refused: {yours} does not allow this ({first})")
        return DatabaseError(f"{address}: the server refused: {yours} does not allow {action}")
    if "permission denied" in lowered:
        return DatabaseError(f"{address}: the server refused: your role does not allow this ({first})")
    return DatabaseError(f"{address}: {first}")


def explain_sqlite(path: Path, exc: Exception) -> DatabaseError:
    text = str(getattr(exc, "orig", exc))
    if "locked" in text or "busy" in text:
        return DatabaseError(f"{path}: {LOCKED}")
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"{path}: cannot write: the file or its folder is read-only")
    if "unable to open" in text:
        return DatabaseError(f"{path}: cannot open: the folder does not exist or is not writable")
    if "not a database" in text or "malformed" in text:
        return DatabaseError(f"{path}: is not a Curator review database (damaged or not SQLite)")
    if "disk is full" in text or (("disk I/O error" in text) and _disk_full(path)):
        # SQLite says "disk I/O error" when its -wal cannot grow on a full disk.
        return DatabaseError(f"{path}: cannot write: the disk is full; nothing was changed")
    if "disk I/O error" in text:
        return DatabaseError(
            f"{path}: cannot read or write the file: the disk or its connection failed (disk I/O error)"
        )
    return DatabaseError(f"{path}: {text}")


#: Less free space than this, after SQLite failed to write, is a full disk.
DISK_FULL_BYTES = 8 * 1024 * 1024


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < DISK_FULL_BYTES
    except OSError:
        return False


def backup_path(path: Path, revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.backup-{revision}-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}.backup-{revision}-{stamp}-{n}{path.suffix}")
    return candidate


def _backup(path: Path, revision: str) -> Path:
    """Copy the database (consistently, WAL included) to a file beside it."""
    target = backup_path(path, revision)
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def open_database(
    path: str | Path,
    *,
    create: bool = True,
    readonly: bool = False,
    migrations: Path | None = None,
    building: bool = False,
) -> Database:
    """Open (and if needed create or upgrade) the review database at ``path``.

    ``migrations`` overrides the Alembic script folder (tests use it to
    simulate a later version). Raises :class:`DatabaseError` with a message
    for the user on anything the user can fix; a refused file is left
    exactly as it was (it is examined read-only before anything is set).
    """
    if isinstance(path, str) and is_server_url(path):  # a ServerAddress keeps its password
        return _open_server(ServerAddress(path), create=create, readonly=readonly, migrations=migrations)
    path = Path(path).expanduser().absolute()
    check_file(path)
    there = path.exists()
    exists = there and path.stat().st_size > 0
    if not exists and (readonly or not create):
        raise DatabaseError(f"{path}: no such review database")
    if not path.parent.is_dir():
        raise DatabaseError(f"{path}: cannot create: the folder {str(path.parent)!r} does not exist")
    head = head_revision(migrations)
    current = examine(path, head, migrations) if exists else None

    if current is not None and current != head:
        if readonly:
            raise DatabaseError(
                f"{path}: was made by an older version of Curator (schema {current}) and must be "
                "upgraded, but it is opened read-only"
            )
        # Older schema: keep a copy of the user's file, then upgrade in one transaction.
        try:
            backup: Path | None = _backup(path, current)
        except (sqlite3.Error, OSError) as exc:
            raise DatabaseError(
                f"{path}: cannot write the backup before upgrading ({exc}); nothing was changed"
            ) from None
        _upgrade(path, alembic_config(migrations))
    else:
        backup = None

    if building and exists:
        raise DatabaseError(f"{path}: a review is built only where no file is")
    engine = _make_engine(path, readonly, building=building)
    deferred: list[str] = []
    try:
        if current is None:
            with engine.begin() as conn:
                metadata.create_all(conn)
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
                _stamp(conn, head)
                deferred = _defer_upkeep(conn) if building else []
        else:
            with engine.connect():
                pass  # sets the pragmas now, so a locked file fails here, not later
    except SADatabaseError as exc:
        engine.dispose()
        if current is None:  # a review this call began to make (on a full disk): nothing of it stays
            remove_review_files(path, side_files_only=there)
        raise explain_sqlite(path, exc) from None
    except BaseException:
        engine.dispose()
        if current is None:
            remove_review_files(path, side_files_only=there)
        raise
    database = Database(path, engine, created=current is None, backup=backup, readonly=readonly, building=building)
    if building:
        database.deferred = deferred
    return database


def _make_server_engine(address: ServerAddress) -> Engine:
    """An engine of a review on a PostgreSQL server.

    Times are in UTC (the audit log's hash covers them so). A write transaction takes
    :data:`WRITE_LOCK` first, waiting at most :data:`BUSY_TIMEOUT_S`: writers queue, as BEGIN
    IMMEDIATE makes them on SQLite, so that each reads the last audit entry and chains on to it, and
    two can never fork the chain. It then reads what is committed when each statement runs (READ
    COMMITTED: after the lock, everything the writers before it did). A reading transaction sees one
    snapshot from its first statement (REPEATABLE READ), as a reader of SQLite's WAL does, and never
    waits for a writer.
    """
    engine = create_engine(
        address.url,
        connect_args={"connect_timeout": 10, "options": "-c TimeZone=UTC", "application_name": "curator"},
    )
    # psycopg logs (as a warning) the pipeline it closes after the server refused a statement of a batch; the
    # refusal itself is raised and said in one line: without a handler, Python would print the log too.
    psycopg_log = logging.getLogger("psycopg")
    if not psycopg_log.handlers:
        psycopg_log.addHandler(logging.NullHandler())

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("curator_write", True):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        else:
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    return engine


def _open_server(address: ServerAddress, *, create: bool, readonly: bool, migrations: Path | None) -> Database:
    """Open a review on a PostgreSQL server, as :func:`open_database` opens a file:

    * an empty database (no table at all) gets the current schema, stamped with the head revision
      (with ``create``; else it is refused as not a review);
    * a database of an older revision is upgraded through Alembic, in one transaction (PostgreSQL's
      DDL is transactional: a failed upgrade leaves it as it was). No backup is written: a server's
      backups are its administrator's (``pg_dump``), and no file is there to copy beside;
    * a database holding tables but no Curator revision, or a revision this Curator does not know,
      is refused and left as it was;
    * a server that cannot be reached, a wrong password, a missing database: one line saying so.

    All of it runs in one write transaction (holding :data:`WRITE_LOCK`), so two Curators opening a new
    database at once make its schema once. ``readonly`` is the server's business (its grants), not
    Curator's: it is refused only an upgrade.
    """
    engine = _make_server_engine(address)
    head = head_revision(migrations)
    created = False
    try:
        with engine.begin() as conn:
            user = str(conn.exec_driver_sql("SELECT current_user").scalar())
            tables = set(inspect(conn).get_table_names())
            current = _revision(conn, tables)
            if not tables:
                if readonly or not create:
                    raise DatabaseError(f"{address}: is an empty database, not a Curator review")
                metadata.create_all(conn)
                _stamp(conn, head)
                created = True
            elif current is None:
                raise DatabaseError(
                    f"{address}: holds tables of another program, not a Curator review; "
                    "give Curator a database of its own"
                )
            elif current != head:
                if current not in known_revisions(migrations):
                    raise DatabaseError(
                        f"{address}: was made by a newer version of Curator (schema {current}); "
                        f"this version knows schemas up to {head}. Update Curator to open it."
                    )
                if readonly:
                    raise DatabaseError(
                        f"{address}: was made by an older version of Curator (schema {current}) and must be "
                        "upgraded, but it is opened read-only"
                    )
                from alembic import command

                cfg = alembic_config(migrations)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                from curator.store.team import regrant

                regrant(conn)  # a team review: the reviewers reach a table the upgrade added, as decided
    except SADatabaseError as exc:
        engine.dispose()
        raise explain_server(address, exc) from None
    except BaseException:
        engine.dispose()
        raise
    return Database(address, engine, created=created, readonly=readonly, user=user)


def _defer_upkeep(conn: Any) -> list[str]:
    """Drop what a review being built would keep up row by row, and return its SQL for
    :meth:`Database.seal` to put back: the indexes that are not unique (made once from the rows, not
    grown with them) and the audit log's two insert guards (each insert ran two lookups; nobody else
    can write the hidden file meanwhile, and the primary key still refuses a second entry of one id).
    A 100,000-row import spent about 1.3 s on that upkeep."""
    guards = ", ".join(f"'{name}'" for name in AUDIT_INSERT_GUARDS)
    found = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
        f"((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE %') OR (type = 'trigger' AND name IN ({guards})))"
    ).fetchall()
    for kind, name, _sql in found:
        conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    return [sql for _kind, _name, sql in found]


def remove_review_files(path: Path, *, side_files_only: bool = False) -> None:
    """Remove a review database and its ``-wal`` and ``-shm`` (all its connections closed): what a failed
    creation left. With ``side_files_only``, the file itself stays."""
    names = [f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"]
    for name in names if side_files_only else [path.name, *names]:
        with contextlib.suppress(FileNotFoundError):
            path.with_name(name).unlink()


def examine(path: Path, head: str, migrations: Path | None = None) -> str:
    """The schema revision of an existing file, read without changing it.

    Refuses a file that is not a Curator review, or is of a newer version (``migrations``: the script
    folder that says which revisions are known, when not this Curator's own).
    """
    probe = _make_engine(path, readonly=True)
    try:
        with probe.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            current = _revision(conn, tables)
    except SADatabaseError as exc:
        raise explain_sqlite(path, exc) from None
    finally:
        probe.dispose()
    if not tables:
        raise DatabaseError(f"{path}: is an empty SQLite database, not a Curator review")
    if current is None:
        raise DatabaseError(f"{path}: is an SQLite database but not a Curator review")
    if current != head and current not in known_revisions(migrations):
        raise DatabaseError(
            f"{path}: was made by a newer version of Curator (schema {current}); "
            f"this version knows schemas up to {head}. Update Curator to open it."
        )
    return current


def _upgrade(path: Path, cfg: Config) -> None:
    """Run the migrations to head in one transaction.

    Foreign keys are off while tables are rebuilt (SQLite's batch
    migrations drop and recreate tables, and with foreign keys on a drop
    would cascade into the rows that refer to them); they are checked
    before the transaction commits.
    """
    from alembic import command

    engine = _make_engine(path, readonly=False, foreign_keys=False)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise DatabaseError(
                    f"{path}: the upgrade would break {counted(len(broken), 'reference')}; nothing was changed"
                )
    except OperationalError as exc:
        raise explain_sqlite(path, exc) from None
    finally:
        engine.dispose()


def _new_revision(message: str) -> None:  # pragma: no cover - developer tool
    """Autogenerate a migration from the head schema to the current models."""
    import tempfile

    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "head.sqlite"
        cfg = alembic_config()
        engine = _make_engine(path, readonly=False, foreign_keys=False)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            command.revision(cfg, message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":  # pragma: no cover
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "revision":
        _new_revision(sys.argv[2])
    else:
        print('usage: python -m curator.store.database revision "what changed"')
        sys.exit(2)
