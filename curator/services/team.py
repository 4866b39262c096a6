"""Team reviews on a PostgreSQL server: making one, adding its reviewers, listing them.

The faces call these with the review's ``postgresql://`` URL; the rules a team review keeps (who may
enter, verify, decide; the audit log written by the server) are the database's own, made by
:func:`curator.store.team.install` (its docstring says what and why). Every refusal a user can fix
(not an administrator, a name the server has, an unknown role, an empty password, a server that
cannot be reached or does not know the password) is a :class:`~curator.errors.CuratorError`
naming it; nothing is written then.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from curator.errors import CuratorError
from curator.store import team as store
from curator.store.models import metadata
from curator.store.properties import set_review_properties

__all__ = ["ROLES", "Reviewer", "init_team", "add_reviewer", "reviewers", "database_name", "is_team_url"]

ROLES = store.ROLES
Reviewer = store.Reviewer

#: A reviewer's name: a PostgreSQL role name that needs no quoting to be typed (in psql, a URL...).
_NAME = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")


def is_team_url(url: str) -> bool:
    """True when ``url`` names a review on a PostgreSQL server."""
    return url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def _check_url(url: str) -> None:
    if not is_team_url(url):
        raise CuratorError(f"{url}: a team review is named by a postgresql:// URL (postgresql://HOST/DATABASE)")


def database_name(url: str) -> str:
    """The database a ``postgresql://`` URL names (``review`` in ``postgresql://host/review``)."""
    _check_url(url)
    name = unquote(urlsplit(url).path.lstrip("/"))
    if not name:
        raise CuratorError(f"{_shown(url)}: the URL names no database (postgresql://HOST/DATABASE)")
    return name


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{parts.username}:***@{host}").geturl()


def _engine(url: str) -> Engine:
    _check_url(url)
    driver = re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", url)
    return create_engine(driver, pool_pre_ping=False)


def _why(url: str, exc: DBAPIError) -> CuratorError:
    """A server's refusal in words: the trigger's or function's own message, or the server's."""
    cause = exc.orig
    message = str(cause).strip().splitlines()[0] if cause is not None else str(exc)
    message = message.removeprefix("curator: ")
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate == "42501" and "permission denied" in message:
        message += " (the reviewer's role in the review does not allow it)"
    elif sqlstate in ("28P01", "28000") or "password authentication failed" in message:
        message = f"the server refused the login: {message}"
    elif sqlstate is None and "connection" in message:
        message = f"cannot connect: {message}"
    return CuratorError(f"{_shown(url)}: {message}")


@contextmanager
def _connect(url: str) -> Iterator[Connection]:
    """A transaction on the server (committed on success), with its refusals in words."""
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        raise _why(url, exc) from None
    finally:
        engine.dispose()


def init_team(url: str, title: str, *, blind: bool = True) -> dict[str, str]:
    """Make the database at ``url`` (existing, empty) a team review titled ``title``: Curator's tables,
    the review's group roles and the rules. The caller connects as the review's owner, a role that
    may create roles. ``blind``: an extractor reads only the rows she entered and those she has entered
    blind herself (False: every row). Returns role -> group role."""
    database = database_name(url)
    if not title.strip():
        raise CuratorError(f"{_shown(url)}: a team review needs a title (--title)")
    try:
        store.group_role(database, "adjudicator")
    except store.TeamError as exc:
        raise CuratorError(f"{_shown(url)}: {exc}") from None
    with _connect(url) as conn:
        if store.is_team(conn):
            raise CuratorError(f"{_shown(url)}: is a team review already (see `curator team reviewers`)")
        who = str(conn.exec_driver_sql("SELECT current_user").scalar())
        allowed = conn.exec_driver_sql(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        ).scalar()
        if not allowed:
            raise CuratorError(
                f"{_shown(url)}: {who} may not create roles on this server; run `curator team init` as the "
                "database's owner with the CREATEROLE right (or as a superuser)"
            )
        if conn.exec_driver_sql("SELECT to_regclass('public.endpoint_row') IS NULL").scalar():
            metadata.create_all(conn)
        groups = store.install(conn, database)
        if not blind:
            conn.exec_driver_sql("UPDATE curator_team SET blind = false")
        with Session(bind=conn) as session:
            set_review_properties(session, title, None, who)
            session.flush()
    return groups


def add_reviewer(url: str, name: str, role: str, password: str) -> None:
    """Add ``name`` as a reviewer with ``role``; she logs in with ``password``. The caller is an
    administrator of the review (or its owner)."""
    if role not in ROLES:
        raise CuratorError(f"{role!r} is not a role: choose {', '.join(ROLES[:-1])} or {ROLES[-1]}")
    if not _NAME.fullmatch(name):
        raise CuratorError(
            f"{name!r} cannot be a reviewer's name: use lower-case letters, digits, _ . or - "
            "(starting with a letter or _, at most 63)"
        )
    if not password:
        raise CuratorError(f"{name}: a reviewer needs a password, and it is empty")
    with _connect(url) as conn:
        if not store.is_team(conn):
            raise CuratorError(f"{_shown(url)}: is not a team review (make it one with `curator team init`)")
        store.add_reviewer(conn, name, role, password)


def reviewers(url: str) -> list[Reviewer]:
    """The review's reviewers and their roles."""
    with _connect(url) as conn:
        if not store.is_team(conn):
            raise CuratorError(f"{_shown(url)}: is not a team review (make it one with `curator team init`)")
        return store.reviewers(conn)
