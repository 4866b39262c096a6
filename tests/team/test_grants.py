"""Every table of a team review has a grant decision (issue 16): the grants derive from
``curator.store.team.WRITES``, and a table without a decision (one a later migration adds) fails here and
cannot be made a team review, rather than being silently out of the reviewers' reach."""

from __future__ import annotations

import pytest

from curator.store.models import metadata
from curator.store.team import ROLES, TEAM_TABLES, WRITES, TeamError, grant_statements, undecided
from tests.team.team import ROLES_OF, Team

GROUPS = {role: f"review_{role}" for role in ROLES}
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")


def test_every_table_of_the_schema_has_a_grant_decision() -> None:
    assert undecided() == [], "say in curator.store.team.WRITES what each role may do in these tables"
    assert set(WRITES) == {*metadata.tables, *TEAM_TABLES}  # and no decision about a table that is not there
    for table, writes in WRITES.items():
        assert set(writes) <= set(ROLES), table
        for privileges in writes.values():
            assert {p.strip() for p in privileges.split(",")} <= {"INSERT", "UPDATE", "DELETE"}, table


def test_a_table_without_a_decision_is_refused_naming_it() -> None:
    with pytest.raises(TeamError, match=r"no grant decided for the table future_notes: say in curator\.store"):
        grant_statements(GROUPS, ["future_notes", "endpoint_row"])
    statements = grant_statements(GROUPS)
    assert 'GRANT INSERT, UPDATE ON "adjudication_item" TO "review_adjudicator"' in statements
    assert not any('"curator_team" TO' in s for s in statements)  # read only: no write granted


def test_on_the_server_every_table_has_a_decision_and_each_role_exactly_its_grants(team: Team) -> None:
    owner = team.owner()
    tables = [r[0] for r in owner.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()]
    assert undecided(tables) == []
    for who, role in ROLES_OF.items():
        name = team.name(who)
        for table in tables:
            allowed = {"SELECT", *(p.strip() for p in WRITES[table].get(role, "").split(",") if p.strip())}
            held = {
                p
                for p in PRIVILEGES
                if owner.execute("SELECT has_table_privilege(%s, %s, %s)", (name, f"public.{table}", p)).fetchone()[0]
            }
            assert held == allowed, (who, table)


def test_an_upgrade_gives_a_new_tables_decided_grants(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy import create_engine

    from curator.store.team import regrant
    from tests.team.team import sqlalchemy_url

    owner = team.owner()
    owner.execute("CREATE TABLE future_notes (id integer PRIMARY KEY, note text)")  # what a migration would add
    monkeypatch.setitem(WRITES, "future_notes", {"verifier": "INSERT"})
    engine = create_engine(sqlalchemy_url(team.url))
    try:
        with engine.begin() as conn:
            assert regrant(conn)
    finally:
        engine.dispose()
    vic, ana = team.name("vic"), team.name("ana")
    for name, expected in ((vic, True), (ana, False)):
        assert owner.execute("SELECT has_table_privilege(%s, 'public.future_notes', 'INSERT')", (name,)).fetchone()[
            0
        ] is (expected)
    assert owner.execute("SELECT has_table_privilege(%s, 'public.future_notes', 'SELECT')", (ana,)).fetchone()[0]
