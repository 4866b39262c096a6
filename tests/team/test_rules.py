"""The database enforces the team's workflow, for Curator and for a client that skips it (issue 16).

Each rule is shown with raw SQL as the reviewer's own role (psycopg, as psql or a script would),
and, where Curator has the action, through Curator's store as well.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg
import pytest
from psycopg import errors
from sqlalchemy.exc import DBAPIError

from curator.store.adjudication import decide
from curator.store.audit import verify_chain
from curator.store.double_entry import double_entry
from curator.store.edits import set_row_field
from curator.store.rows import insert_row, new_comparison, new_row
from curator.store.verification import verify_field
from tests.team.team import Team

pytestmark = pytest.mark.usefixtures("pg_server")

ROW_COLUMNS = (
    "comparison_id, position, endpoint, has_intervention, has_comparator, has_effect, has_source, status, "
    "status_claimed, extensions, part_extensions, intervention_value, intervention_value_num"
)


def raw_comparison(conn: psycopg.Connection[Any], key: str = "pime") -> int:
    found = conn.execute("SELECT id FROM comparison WHERE key = %s", (key,)).fetchone()
    if found is not None:
        return int(found[0])
    return int(
        conn.execute(
            "INSERT INTO comparison (position, key, title, intervention, comparator, extensions) "
            "VALUES (0, %s, 'Pimecrolimus vs TCS', 'Pimecrolimus', 'TCS', '{}') RETURNING id",
            (key,),
        ).fetchone()[0]  # type: ignore[index]
    )


def raw_row(
    conn: psycopg.Connection[Any], value: str = "42.6", position: int = 0, extracted_by: str | None = None
) -> int:
    """A row entered with raw SQL (as the connection's role); its id."""
    cmp_id = raw_comparison(conn)
    row_id = conn.execute(
        f"INSERT INTO endpoint_row ({ROW_COLUMNS}, extracted_by) VALUES "
        "(%s, %s, 'Itch', true, true, false, false, 'extracted', false, '{}', '{}', %s, %s, %s) RETURNING id",
        (cmp_id, position, value, float(value), extracted_by),
    ).fetchone()[0]  # type: ignore[index]
    return int(row_id)


def curator_row(team: Team, who: str = "ana", value: str = "42.6") -> None:
    """pime[0] entered through Curator's store as ``who``, its intervention value ``value``."""
    name = team.name(who)
    with team.session(who) as s:
        new_comparison(s, "pime", "Pimecrolimus vs TCS", "Pimecrolimus", "TCS", name)
        insert_row(s, "pime", 0, new_row(name), name)
        set_row_field(s, "pime", 0, "endpoint", "Itch", name)
        set_row_field(s, "pime", 0, "intervention.value", value, name)


def verify_sql(row_id: int, by: str = "someone else") -> tuple[str, tuple[Any, ...]]:
    return (
        "INSERT INTO field_verification (row_id, field, state, value, by, at) "
        "VALUES (%s, 'intervention.value', 'verified', '42.6', %s, now())",
        (row_id, by),
    )


# --- nobody verifies a row they extracted -------------------------------------------------------


def test_an_extractor_is_refused_by_the_database_when_verifying_her_own_row(team: Team) -> None:
    ana = team.connect("ana")
    # She even signs the row as somebody else's: the server knows who entered it.
    row_id = raw_row(ana, extracted_by="carl")
    assert ana.execute("SELECT entered_by FROM endpoint_row WHERE id = %s", (row_id,)).fetchone() == (team.name("ana"),)
    refusal = (
        rf"{team.name('ana')} entered row 1 \(Itch\) of pime and cannot verify or dispute its field intervention.value"
    )
    with pytest.raises(errors.InsufficientPrivilege, match=refusal):
        ana.execute(*verify_sql(row_id, by=team.name("vic")))
    with pytest.raises(errors.InsufficientPrivilege, match="cannot verify it: a second reviewer must"):
        ana.execute("UPDATE endpoint_row SET status = 'verified', verified_by = 'carl' WHERE id = %s", (row_id,))
    with pytest.raises(errors.InsufficientPrivilege, match="not entered verified"):
        raw_row(ana, position=1)  # a new row is fine...
        ana.execute(
            f"INSERT INTO endpoint_row ({ROW_COLUMNS}) VALUES "
            "(%s, 2, 'Sleep', true, true, false, false, 'verified', false, '{}', '{}', '1', 1)",
            (raw_comparison(ana),),
        )
    # Nothing of it was written.
    owner = team.owner()
    assert owner.execute("SELECT count(*) FROM field_verification").fetchone() == (0,)
    assert owner.execute("SELECT status FROM endpoint_row WHERE id = %s", (row_id,)).fetchone() == ("extracted",)
    # A second reviewer may: and the server, not the client, says who and when.
    vic = team.connect("vic")
    vic.execute(*verify_sql(row_id, by=team.name("ana")))
    by, at, now = vic.execute("SELECT by, at, now() FROM field_verification WHERE row_id = %s", (row_id,)).fetchone()  # type: ignore[misc]
    assert by == team.name("vic")
    assert abs((now - at).total_seconds()) < 60


def test_an_extractor_cannot_hand_her_row_to_another_name(team: Team) -> None:
    ana = team.connect("ana")
    row_id = raw_row(ana)
    ana.execute("UPDATE endpoint_row SET entered_by = %s WHERE id = %s", (team.name("vic"), row_id))
    assert ana.execute("SELECT entered_by FROM endpoint_row WHERE id = %s", (row_id,)).fetchone() == (team.name("ana"),)
    with pytest.raises(errors.InsufficientPrivilege):
        ana.execute(*verify_sql(row_id))


def test_curator_itself_is_held_when_the_typed_extractor_is_not_her(team: Team) -> None:
    """Curator's own check reads ``extracted_by``, which a client types; the database's does not."""
    curator_row(team, "ana")
    with team.session("ana") as s:
        set_row_field(s, "pime", 0, "extracted_by", "carl", team.name("ana"))
    with (
        pytest.raises(DBAPIError, match="cannot verify or dispute its field intervention.value"),
        team.session("ana") as s,
    ):
        verify_field(s, "pime", 0, "intervention.value", "dan, a name she types")
    with team.session("vic") as s:
        verify_field(s, "pime", 0, "intervention.value", team.name("vic"))
    assert team.owner().execute("SELECT by, state FROM field_verification").fetchall() == [
        (team.name("vic"), "verified")
    ]


# --- only extractors enter rows ------------------------------------------------------------------


def test_a_verifier_cannot_enter_or_delete_rows(team: Team) -> None:
    row_id = raw_row(team.connect("ana"))
    vic = team.connect("vic")
    with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table endpoint_row"):
        raw_row(vic, position=1)
    with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table endpoint_row"):
        vic.execute("DELETE FROM endpoint_row WHERE id = %s", (row_id,))
    for who in ("jo", "max"):
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table endpoint_row"):
            raw_row(team.connect(who), position=1)
    # Through Curator the same.
    with pytest.raises(DBAPIError, match="permission denied"), team.session("vic") as s:
        insert_row(s, "pime", 1, new_row(team.name("vic")), team.name("vic"))
    assert team.owner().execute("SELECT count(*) FROM endpoint_row").fetchone() == (1,)


def test_only_the_one_who_entered_a_row_changes_its_values_a_verifier_corrects_them(team: Team) -> None:
    row_id = raw_row(team.connect("ana"))
    cara = team.connect("cara")
    cara.execute("INSERT INTO blind_entry (row_id) VALUES (%s)", (row_id,))  # she may read it now
    with pytest.raises(errors.InsufficientPrivilege, match="only she, a verifier or an adjudicator changes its values"):
        cara.execute("UPDATE endpoint_row SET intervention_value = '43' WHERE id = %s", (row_id,))
    team.connect("vic").execute("UPDATE endpoint_row SET intervention_value = '43' WHERE id = %s", (row_id,))
    assert team.owner().execute("SELECT intervention_value FROM endpoint_row").fetchone() == ("43",)


# --- blind double entry --------------------------------------------------------------------------


def test_blind_entry_is_invisible_to_the_other_extractor_until_both_submitted(team: Team) -> None:
    curator_row(team, "ana", "42.6")
    cara = team.connect("cara")
    # Nothing of ana's row through raw SQL: not the row, its audit entries, nor its parts.
    assert cara.execute("SELECT * FROM endpoint_row").fetchall() == []
    assert cara.execute(
        "SELECT count(*) FROM audit_log WHERE new LIKE '%%42.6%%' OR old LIKE '%%42.6%%'"
    ).fetchone() == (0,)
    assert cara.execute("SELECT count(*) FROM audit_log WHERE table_name = 'endpoint_row'").fetchone() == (0,)
    # ...but she can name the row to enter it: which row, not what it says.
    ident = cara.execute("SELECT comparison, position, endpoint, entered_by FROM row_identity").fetchall()
    assert ident == [("pime", 0, "Itch", team.name("ana"))]
    # A verifier sees everything.
    assert team.connect("vic").execute("SELECT intervention_value FROM endpoint_row").fetchall() == [("42.6",)]
    # Cara submits her blind entry through Curator: it is compared, and only then can she read it.
    with team.session("cara") as s:
        result = double_entry(s, "pime", 0, {"intervention.value": "42.60", "endpoint": "Itch"}, team.name("cara"))
    assert "intervention.value" in result.matched
    assert cara.execute("SELECT intervention_value FROM endpoint_row").fetchall() == [("42.6",)]
    assert cara.execute("SELECT count(*) FROM audit_log WHERE table_name = 'endpoint_row'").fetchone()[0] > 0  # type: ignore[index]
    # Ana sees what cara entered (both have submitted).
    ana = team.connect("ana")
    entered = ana.execute("SELECT new FROM audit_log WHERE action = 'double-entry'").fetchall()
    assert entered and "42.60" in entered[0][0]


def test_an_extractor_cannot_submit_a_blind_entry_of_her_own_row(team: Team) -> None:
    ana = team.connect("ana")
    row_id = raw_row(ana)
    with pytest.raises(errors.InsufficientPrivilege, match="cannot enter it blind again"):
        ana.execute("INSERT INTO blind_entry (row_id) VALUES (%s)", (row_id,))
    # Nor pretend to be another extractor submitting.
    cara = team.connect("cara")
    cara.execute("INSERT INTO blind_entry (row_id, entered_by) VALUES (%s, %s)", (row_id, team.name("jo")))
    assert cara.execute("SELECT entered_by FROM blind_entry").fetchall() == [(team.name("cara"),)]


# --- only adjudicators decide --------------------------------------------------------------------


def open_item(team: Team) -> int:
    curator_row(team, "ana", "42.6")
    with team.session("cara") as s:
        result = double_entry(s, "pime", 0, {"intervention.value": "41.6"}, team.name("cara"))
    ((_, a, b, item),) = result.differing
    assert (a, b) == ("42.6", "41.6") and item is not None
    return item


def test_only_an_adjudicator_decides(team: Team) -> None:
    item = open_item(team)
    decide_sql = (
        "UPDATE adjudication_item SET choice = 'b', final = '41.6', decided_by = 'jo', decided_at = now() WHERE id = %s"
    )
    for who in ("ana", "cara", "vic", "max"):
        with pytest.raises(errors.InsufficientPrivilege, match="permission denied for table adjudication_item"):
            team.connect(who).execute(decide_sql, (item,))
    # Nor can anyone open an item decided already.
    with pytest.raises(errors.InsufficientPrivilege, match="opened undecided"):
        team.connect("vic").execute(
            "INSERT INTO adjudication_item (row_id, field, origin, opened_by, opened_at, choice, decided_by, decided_at) "
            "SELECT row_id, field, 'merge', 'x', now(), 'a', 'x', now() FROM adjudication_item"
        )
    with team.session("jo") as s:
        decided = decide(s, item, "b", team.name("jo"))
    assert decided.decided_by == team.name("jo") and decided.final == "41.6"
    with pytest.raises(errors.InsufficientPrivilege, match="decided by .* already"):
        team.connect("jo").execute(decide_sql, (item,))
    assert team.owner().execute("SELECT intervention_value FROM endpoint_row").fetchone() == ("41.6",)


def test_an_adjudicator_who_entered_a_value_is_refused(team: Team, pg_server: Any) -> None:
    from curator.services import team as service

    # An adjudicator who is also an extractor enters the second value, then tries to decide.
    both = pg_server.role_name("bo")
    service.add_reviewer(team.url, both, "adjudicator", "bo's pw")
    team.owner().execute(f'GRANT "{team.database}_extractor" TO "{both}"')
    team.names["bo"] = both
    curator_row(team, "ana")
    team.password = lambda who: "bo's pw" if who == "bo" else f"pw of {who}, not 'guessable'"  # type: ignore[method-assign]
    with team.session("bo") as s:
        ((_, _, _, item),) = double_entry(s, "pime", 0, {"intervention.value": "40"}, both).differing
    with pytest.raises(errors.InsufficientPrivilege, match="a third reviewer must decide it"):
        team.connect("bo").execute("UPDATE adjudication_item SET choice = 'a' WHERE id = %s", (item,))


# --- the audit log --------------------------------------------------------------------------------


def test_nobody_changes_or_deletes_the_audit_log_admin_included(team: Team) -> None:
    curator_row(team, "ana")
    for who in ("ana", "cara", "vic", "jo", "max"):
        conn = team.connect(who)
        for sql in ("UPDATE audit_log SET who = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
            with pytest.raises(psycopg.Error) as caught:
                conn.execute(sql)
            assert isinstance(caught.value, errors.InsufficientPrivilege | errors.RaiseException), (who, sql)
    # Not even the owner, without dropping the triggers first.
    with pytest.raises(errors.RaiseException, match="the audit log cannot be changed or deleted"):
        team.owner().execute("DELETE FROM audit_log")
    owner = team.owner()
    assert owner.execute("SELECT count(*) FROM audit_log WHERE who = 'x'").fetchone() == (0,)


def test_an_entry_a_client_writes_gets_the_server_s_who_time_and_chain(team: Team) -> None:
    vic = team.connect("vic")
    vic.execute(
        "INSERT INTO audit_log (id, at, who, action, table_name, new, prev_hash, hash) "
        "VALUES (999, '2001-01-01', 'the boss', 'note', 'review', 'Größe ≥ 42,6 ✓ 𝛼\n2', 'x', 'y')"
    )
    (entry,) = (
        team.owner()
        .execute("SELECT id, who, at > now() - interval '1 minute', prev_hash FROM audit_log WHERE action = 'note'")
        .fetchall()
    )
    assert entry[0] != 999 and entry[1] == team.name("vic") and entry[2] is True and entry[3] != "x"
    with team.session("vic") as s:
        assert verify_chain(s.connection()).intact


def test_a_raw_sql_change_is_audited_with_the_role_and_the_server_s_time(team: Team) -> None:
    ana = team.connect("ana", autocommit=False)
    row_id = raw_row(ana)
    before = ana.execute("SELECT clock_timestamp()").fetchone()[0]  # type: ignore[index]
    ana.execute(
        "UPDATE endpoint_row SET intervention_value = '43', intervention_value_num = 43 WHERE id = %s", (row_id,)
    )
    ana.commit()
    after: datetime = ana.execute("SELECT clock_timestamp()").fetchone()[0]  # type: ignore[index]
    ana.commit()
    entries = (
        team.owner()
        .execute(
            "SELECT action, who, at, field, old, new FROM audit_log WHERE table_name = 'endpoint_row' AND row_id = %s ORDER BY id",
            (row_id,),
        )
        .fetchall()
    )
    assert [e[0] for e in entries] == ["sql-insert", "sql-update", "sql-update"]
    assert {e[1] for e in entries} == {team.name("ana")}
    assert all(before <= e[2] <= after for e in entries[1:])
    assert [(e[3], e[4], e[5]) for e in entries[1:]] == [
        ("intervention_value", "42.6", "43"),
        ("intervention_value_num", "42.6", "43"),
    ]
    assert '"intervention_value": "42.6"' in entries[0][5]
    with team.session("vic") as s:
        assert verify_chain(s.connection()).intact


def test_a_change_through_curator_is_audited_once(team: Team) -> None:
    curator_row(team, "ana")
    with team.session("ana") as s:
        set_row_field(s, "pime", 0, "intervention.value", "44.1", "whoever I say")
    entries = (
        team.owner()
        .execute(
            "SELECT who, field, old, new FROM audit_log WHERE action = 'update' AND (old = '42.6' OR new = '44.1')"
        )
        .fetchall()
    )
    assert entries == [(team.name("ana"), "intervention.value", "42.6", "44.1")]
    with team.session("max") as s:
        report = verify_chain(s.connection())
    assert report.intact and report.entries > 3


def test_an_extractor_imports_beside_rows_she_cannot_read(team: Team) -> None:
    """Ids come from the server's sequences, not from the rows a blinded extractor can see."""
    from curator.demo import demo_review
    from curator.store.repository import add_content

    curator_row(team, "ana")
    review = demo_review()
    with team.session("cara") as s:
        counts = add_content(s, review, team.name("cara"))
    assert counts
    rows = sum(len(c.rows) for c in review.comparisons)
    with team.owner() as owner:
        owners = dict(owner.execute("SELECT entered_by, count(*) FROM endpoint_row GROUP BY entered_by").fetchall())
    assert owners == {team.name("ana"): 1, team.name("cara"): rows}
    assert team.connect("cara").execute("SELECT count(*) FROM endpoint_row").fetchone() == (rows,)
    # The next row entered gets a new id, whoever enters it.
    raw_row(team.connect("ana"), position=1)


def test_an_administrator_titles_the_review_an_extractor_may_not(team: Team) -> None:
    from curator.store.properties import set_review_properties

    with team.session("max") as s:
        assert set_review_properties(s, "Pimecrolimus, revised", None, team.name("max"))
    with pytest.raises(DBAPIError, match="permission denied for table review"), team.session("ana") as s:
        set_review_properties(s, "Mine now", None, team.name("ana"))
    assert team.owner().execute("SELECT title FROM review").fetchone() == ("Pimecrolimus, revised",)


def test_a_review_made_not_blind_lets_extractors_read_each_other_s_rows(pg_server: Any, pg_url: str) -> None:
    from tests.team.team import make_team

    made = make_team(pg_server, pg_url, blind=False)
    team = next(made)
    try:
        row_id = raw_row(team.connect("ana"))
        cara = team.connect("cara")
        assert cara.execute("SELECT intervention_value FROM endpoint_row").fetchall() == [("42.6",)]
        with pytest.raises(errors.InsufficientPrivilege, match="only she, a verifier or an adjudicator"):
            cara.execute("UPDATE endpoint_row SET intervention_value = '1' WHERE id = %s", (row_id,))
    finally:
        made.close()


def test_a_reviewer_works_as_herself_not_as_her_group(team: Team) -> None:
    """A member of a group role may SET ROLE to it; a row entered so would not be hers, and she could
    verify it. The server refuses work done under any role but her own."""
    ana = team.connect("ana")
    ana.execute(f'SET ROLE "{team.database}_extractor"')
    with pytest.raises(errors.InsufficientPrivilege, match="work as yourself"):
        raw_row(ana)
    ana.execute("RESET ROLE")
    row_id = raw_row(ana)
    vic = team.connect("vic")
    vic.execute(f'SET ROLE "{team.database}_verifier"')
    with pytest.raises(errors.InsufficientPrivilege, match="work as yourself"):
        vic.execute(*verify_sql(row_id))
    with pytest.raises(errors.InsufficientPrivilege, match="work as yourself"):
        vic.execute("INSERT INTO audit_log (at, who, action, table_name) VALUES (now(), 'x', 'note', 'review')")


def test_a_temporary_table_cannot_catch_the_server_s_audit_entries(team: Team) -> None:
    """A temporary table is found before the review's own under its name: the server's functions
    never look there."""
    ana = team.connect("ana", autocommit=False)
    ana.execute("CREATE TEMP TABLE audit_log (LIKE public.audit_log INCLUDING DEFAULTS)")
    raw_row(ana)
    ana.commit()
    assert ana.execute("SELECT count(*) FROM pg_temp.audit_log").fetchone() == (0,)
    with team.owner() as owner:
        entries = owner.execute("SELECT action, who FROM public.audit_log WHERE table_name = 'endpoint_row'").fetchall()
    assert entries == [("sql-insert", team.name("ana"))]


def test_an_extractor_cannot_delete_another_s_rows_by_deleting_their_comparison(team: Team) -> None:
    row_id = raw_row(team.connect("ana"))
    cara = team.connect("cara")
    with pytest.raises(
        errors.InsufficientPrivilege,
        match=r"row 1 \(Itch\) of the comparison being deleted was entered by .*: only she deletes it",
    ):
        cara.execute("DELETE FROM comparison WHERE key = 'pime'")
    # Her own row she deletes, and with it the comparison.
    ana = team.connect("ana")
    ana.execute("DELETE FROM comparison WHERE key = 'pime'")
    with team.owner() as owner:
        assert owner.execute("SELECT count(*) FROM endpoint_row WHERE id = %s", (row_id,)).fetchone() == (0,)
