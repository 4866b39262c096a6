"""A team review on the test server, with reviewers who log in as themselves (issue 16).

``team`` (a fixture, registered by tests/team/conftest.py) makes a fresh database a team review with
``curator.services.team`` and adds five reviewers: ``ana`` and ``cara`` (extractors), ``vic``
(verifier), ``jo`` (adjudicator) and ``max`` (admin), each a login role of the cluster with a name
of its own (:meth:`Team.name`) and her password. A test connects as one of them with psycopg
(:meth:`Team.connect`: raw SQL, as a client that skips Curator would) or through Curator's store
(:meth:`Team.session`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, create_engine
from sqlmodel import Session

from curator.services import team as service
from tests.postgres import Server

__all__ = ["Team", "ROLES_OF", "sqlalchemy_url"]

#: The test's reviewers and their roles.
ROLES_OF = {"ana": "extractor", "cara": "extractor", "vic": "verifier", "jo": "adjudicator", "max": "admin"}


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@dataclass
class Team:
    server: Server
    database: str
    #: The superuser's URL (the review's owner).
    url: str
    names: dict[str, str] = field(default_factory=dict)
    engines: dict[str, Engine] = field(default_factory=dict)
    connections: list[psycopg.Connection[Any]] = field(default_factory=list)

    def name(self, who: str) -> str:
        """The login role of the test's ``who`` (``ana`` -> ``ana_1234_7``)."""
        return self.names[who]

    def password(self, who: str) -> str:
        return f"pw of {who}, not 'guessable'"

    def url_of(self, who: str) -> str:
        return self.server.url(self.database, self.names[who], self.password(who))

    def connect(self, who: str, **options: Any) -> psycopg.Connection[Any]:
        """A raw psycopg connection as ``who`` (autocommit unless told otherwise)."""
        options.setdefault("autocommit", True)
        conn = psycopg.connect(self.url_of(who), **options)
        self.connections.append(conn)
        return conn

    def owner(self) -> psycopg.Connection[Any]:
        """A raw connection as the review's owner (the superuser)."""
        conn = psycopg.connect(self.url, autocommit=True)
        self.connections.append(conn)
        return conn

    @contextmanager
    def session(self, who: str) -> Iterator[Session]:
        """A Curator store session as ``who``, committed at the end."""
        if who not in self.engines:
            self.engines[who] = create_engine(sqlalchemy_url(self.url_of(who)))
        with Session(self.engines[who], expire_on_commit=False) as session:
            yield session
            session.commit()

    def close(self) -> None:
        for conn in self.connections:
            conn.close()
        for engine in self.engines.values():
            engine.dispose()


def make_team(pg_server: Server, pg_url: str, *, blind: bool = True) -> Iterator[Team]:
    database = pg_url.split("?")[0].rsplit("/", 1)[1]
    service.init_team(pg_url, "Pimecrolimus for eczema", blind=blind)
    team = Team(pg_server, database, pg_url)
    for who, role in ROLES_OF.items():
        team.names[who] = pg_server.role_name(who)
        service.add_reviewer(pg_url, team.names[who], role, team.password(who))
    try:
        yield team
    finally:
        team.close()


@pytest.fixture
def team(pg_server: Server, pg_url: str) -> Iterator[Team]:
    yield from make_team(pg_server, pg_url)
