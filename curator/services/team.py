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

from sqlmodel import Session

from curator.errors import CuratorError
from curator.store import team as store
from curator.store.database import Database, ServerAddress, is_server_url, open_database
from curator.store.properties import set_review_properties

__all__ = ["ROLES", "Reviewer", "init_team", "add_reviewer", "reviewers", "database_name", "is_team_url"]

ROLES = store.ROLES
Reviewer = store.Reviewer

#: A reviewer's name: a PostgreSQL role name that needs no quoting to be typed (in psql, a URL...).
_NAME = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")


def is_team_url(url: str) -> bool:
    """True when ``url`` names a review on a PostgreSQL server."""
    return is_server_url(url)


def _address(url: str) -> ServerAddress:
    if not is_server_url(url):
        raise CuratorError(f"{url}: a team review is named by a postgresql:// URL (postgresql://HOST/DATABASE)")
    return ServerAddress(url)


def database_name(url: str) -> str:
    """The database a ``postgresql://`` URL names (``review`` in ``postgresql://host/review``)."""
    return _address(url).name


def _why(address: ServerAddress, exc: store.TeamError) -> CuratorError:
    return CuratorError(f"{address}: {exc}")


@contextmanager
def _team(url: str, *, create: bool = False, team: bool = True) -> Iterator[tuple[ServerAddress, Session]]:
    """A write transaction on the review at ``url`` (committed on success; the server's refusals in
    words, by :class:`~curator.store.database.Database`), which must be a team review (``team``)."""
    address = _address(url)
    database: Database = open_database(url, create=create)
    try:
        with database.session() as session:
            conn = session.connection()
            if team and not store.is_team(conn):
                raise CuratorError(f"{address}: is not a team review (make it one with `curator team init`)")
            yield address, session
    finally:
        database.close()


def init_team(url: str, title: str, *, blind: bool = True) -> dict[str, str]:
    """Make the database at ``url`` (existing, empty) a team review titled ``title``: Curator's tables,
    the review's group roles and the rules. The caller connects as the review's owner, a role that
    may create roles. ``blind``: an extractor reads only the rows she entered and those she has entered
    blind herself (False: every row). Returns role -> group role."""
    database = database_name(url)
    if not title.strip():
        raise CuratorError(f"{_address(url)}: a team review needs a title (--title)")
    try:
        store.group_role(database, "adjudicator")
    except store.TeamError as exc:
        raise _why(_address(url), exc) from None
    with _team(url, create=True, team=False) as (address, session):
        conn = session.connection()
        if store.is_team(conn):
            raise CuratorError(f"{address}: is a team review already (see `curator team reviewers`)")
        who = str(conn.exec_driver_sql("SELECT current_user").scalar())
        allowed = conn.exec_driver_sql(
            "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
        ).scalar()
        if not allowed:
            raise CuratorError(
                f"{address}: {who} may not create roles on this server; run `curator team init` as the "
                "database's owner with the CREATEROLE right (or as a superuser)"
            )
        groups = store.install(conn, database)
        if not blind:
            conn.exec_driver_sql("UPDATE curator_team SET blind = false")
        set_review_properties(session, title, None, who)
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
    with _team(url) as (_, session):
        store.add_reviewer(session.connection(), name, role, password)


def reviewers(url: str) -> list[Reviewer]:
    """The review's reviewers and their roles."""
    with _team(url) as (_, session):
        return store.reviewers(session.connection())
