"""The store and service tests run on both kinds of review (issue 16): an SQLite file and a database
on the test run's PostgreSQL server (:mod:`tests.postgres`).

* ``review_target``: where a test's review goes, once per backend: a file path (not made yet) or the
  ``postgresql://`` URL of a new database holding a new, empty review (a copy of one made once per run). Everything that opens a review takes either.
* :func:`as_reviewer`: the review as the reviewer ``name`` opens it. A file is the same file (the name
  is given to the service); on the server the URL logs in as a role of that very name (made once per
  run, a superuser, so that no grant is needed: roles and grants are the team tests'), since there the
  reviewer recorded is the database user, never a typed name.
* :func:`raw`: a plain DB-API connection to the review, for a test to look at (or change) what is
  stored; ``?`` placeholders on both.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from curator.store.database import Database, ServerAddress, is_server_url, open_database
from tests.postgres import Server

__all__ = ["as_reviewer", "raw", "libpq_url", "Raw", "stored_state"]

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def _review_template(pg_server: Server) -> str:
    """A database holding a new, empty review, made once per run: each test's review on the server is a
    copy of it (CREATE DATABASE ... TEMPLATE), what opening an empty database would make, without making
    the schema again for every test."""
    name = pg_server.role_name("review_template")
    pg_server.sql(f'CREATE DATABASE "{name}"')
    open_database(pg_server.url(name)).close()
    return name


@pytest.fixture
def review_target(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Path | str]:
    if backend == "sqlite":
        yield tmp_path / "review.sqlite"
        return
    server: Server = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("_review_template")
    name = server.role_name("review")
    server.sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


def libpq_url(target: str) -> str:
    """A ``postgresql://`` URL as libpq (psycopg) takes it, password kept."""
    return ServerAddress(target).url.set(drivername="postgresql").render_as_string(hide_password=False)


_made: set[str] = set()


def as_reviewer(target: Path | str, name: str) -> Path | str:
    """The review at ``target`` as reviewer ``name`` opens it (see the module's docstring)."""
    if not (isinstance(target, str) and is_server_url(target)):
        return target
    import psycopg
    from psycopg import sql

    if name not in _made:
        with psycopg.connect(libpq_url(target), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
            if exists is None:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN SUPERUSER PASSWORD 'pw'").format(sql.Identifier(name)))
        _made.add(name)
    url = ServerAddress(target).url.set(drivername="postgresql", username=name, password="pw")
    return url.render_as_string(hide_password=False)


class Raw:
    """A psycopg connection that takes SQLite's ``?`` placeholders."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        if statement.strip().upper().startswith("PRAGMA FOREIGN_KEYS"):  # PostgreSQL always keeps them
            return self.conn.execute("SELECT 1")
        return self.conn.execute(statement.replace("?", "%s"), params)  # type: ignore[arg-type]

    def executemany(self, statement: str, params: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(statement.replace("?", "%s"), params)  # type: ignore[arg-type]

    def commit(self) -> None:
        self.conn.commit()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Raw:
        return self

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def raw(target: Database | Path | str) -> Any:
    """A DB-API connection to the review (``sqlite3`` for a file; :class:`Raw` on the server)."""
    where = target.path if isinstance(target, Database) else target
    if isinstance(where, str) and is_server_url(where):
        return Raw(libpq_url(where))
    return sqlite3.connect(where)


def stored_state(target: Database | Path | str) -> object:
    """Everything the review holds, to compare before and after a refused change: a file's bytes; on
    the server, every table's rows."""
    where = target.path if isinstance(target, Database) else target
    if not (isinstance(where, str) and is_server_url(where)):
        return Path(where).read_bytes()
    with Raw(libpq_url(where)) as conn:
        tables = [t for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"').fetchall())) for t in sorted(tables)}
