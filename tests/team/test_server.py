"""The throwaway PostgreSQL server the team tests stand on (tests/postgres.py)."""

from __future__ import annotations

import psycopg
import pytest

from tests.postgres import Server


def test_the_superuser_connects_over_the_socket_only(pg_server: Server, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("postgres",)
        assert conn.execute("SHOW listen_addresses").fetchone() == ("",)


def test_a_reviewer_needs_her_password(pg_server: Server, pg_url: str) -> None:
    name = pg_server.role_name("ana")
    pg_server.sql(f"CREATE ROLE {name} LOGIN PASSWORD 'right one'")
    database = pg_url.split("?")[0].rsplit("/", 1)[1]
    with psycopg.connect(pg_server.url(database, name, "right one")) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (name,)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_server.url(database, name, "wrong"))
    pg_server.sql(f"DROP ROLE {name}")
