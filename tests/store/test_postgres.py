"""A review on a PostgreSQL server (issue 16): opened, made, upgraded and refused as a file is, its
migrations run there, its writers queued, its reviewer the database user."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from curator.demo import demo_review
from curator.errors import CuratorError, DatabaseError
from curator.services import ReviewService
from curator.store.audit import Audit, verify_chain
from curator.store.database import (
    WRITE_LOCK,
    ServerAddress,
    alembic_config,
    head_revision,
    open_database,
)
from curator.store.repository import add_content, load_review
from tests.postgres import Server


def _database(url: str) -> str:
    return url.split("?")[0].rsplit("/", 1)[1]


def _sql(url: str, statement: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement)  # type: ignore[arg-type]
        return cur.fetchall() if cur.description else []


def test_an_empty_database_becomes_a_review_stamped_at_head(pg_url: str) -> None:
    with open_database(pg_url) as db:
        assert db.created and db.on_server and db.user == "postgres" and db.backup is None
        assert str(db.path) == pg_url  # no password in it: the superuser has none
        with db.session() as session:
            add_content(session, demo_review(), "Ana")
    assert _sql(pg_url, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    with open_database(pg_url) as again, again.session(write=False) as session:
        assert not again.created
        assert load_review(session).row_count == demo_review().row_count


def test_an_empty_database_is_not_a_review_to_read(pg_url: str) -> None:
    with pytest.raises(DatabaseError, match=r"is an empty database, not a Curator review"):
        open_database(pg_url, create=False)
    assert _sql(pg_url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == [(0,)]


def test_a_database_of_another_program_is_refused_and_left_as_it_was(pg_url: str) -> None:
    _sql(pg_url, "CREATE TABLE patients (id int PRIMARY KEY)")
    with pytest.raises(DatabaseError) as refused:
        open_database(pg_url)
    message = str(refused.value)
    assert message == (
        f"{pg_url}: holds tables of another program, not a Curator review; give Curator a database of its own"
    )
    assert _database(pg_url) in message and "\n" not in message
    assert _sql(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == [("patients",)]


def test_a_review_of_a_newer_curator_is_refused(pg_url: str) -> None:
    open_database(pg_url).close()
    _sql(pg_url, "UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match=r"was made by a newer version of Curator \(schema 9999\)"):
        open_database(pg_url)
    assert _sql(pg_url, "SELECT version_num FROM alembic_version") == [("9999",)]


def test_the_url_shown_never_holds_the_password(pg_server: Server, pg_url: str) -> None:
    name = pg_server.role_name("ana")
    pg_server.sql(f"CREATE ROLE {name} LOGIN PASSWORD 's3cret!'")
    try:
        url = pg_server.url(_database(pg_url), name, "wrong-one")
        with pytest.raises(DatabaseError) as refused:
            open_database(url)
        message = str(refused.value)
        assert "wrong-one" not in message and "s3cret" not in message
        assert message.startswith(f"postgresql://{name}@/{_database(pg_url)}?host=")
        assert message.endswith(f"the server refused the login: wrong password for user {name}, or no such user")
        assert str(ServerAddress(pg_server.url("db", name, "s3cret!"))) == pg_server.url("db", name)
    finally:
        pg_server.sql(f"DROP ROLE {name}")


def test_a_server_that_cannot_be_reached_or_a_missing_database_is_one_line(pg_server: Server, tmp_path: Path) -> None:
    nowhere = f"postgresql://postgres@/review?host={tmp_path}&port=5432"
    with pytest.raises(DatabaseError) as refused:
        open_database(nowhere)
    assert str(refused.value) == (
        f"{ServerAddress(nowhere)}: cannot reach the PostgreSQL server on socket "
        f'"{tmp_path}/.s.PGSQL.5432": No such file or directory'
    )
    missing = pg_server.url("no_such_review")
    with pytest.raises(DatabaseError) as refused:
        open_database(missing)
    assert str(refused.value) == f"{missing}: no such database on the server (no_such_review); ask its administrator"


def test_a_url_without_a_database_is_refused(pg_server: Server) -> None:
    with pytest.raises(DatabaseError, match=r"postgresql://ana@server: names no database"):
        open_database("postgresql://ana:pw@server")


# -- migrations ----------------------------------------------------------------------------------


def _schema(url: str) -> dict[str, object]:
    """Tables, their columns (type, nullable, default: by name), indexes, unique and foreign keys, triggers."""
    engine = create_engine(ServerAddress(url).url)
    try:
        with engine.connect() as conn:
            found = inspect(conn)
            schema: dict[str, object] = {}
            for table in sorted(found.get_table_names()):
                schema[table] = {
                    # By name: a column a migration added comes after the others (as on SQLite).
                    "columns": sorted(
                        (c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in found.get_columns(table)
                    ),
                    "indexes": sorted(
                        (i["name"], tuple(i["column_names"]), i["unique"]) for i in found.get_indexes(table)
                    ),
                    "unique": sorted(
                        (u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(table)
                    ),
                    "foreign": sorted(
                        (f["name"], tuple(f["constrained_columns"]), f["referred_table"], str(f.get("options")))
                        for f in found.get_foreign_keys(table)
                    ),
                    "primary": found.get_pk_constraint(table)["constrained_columns"],
                }
            schema["triggers"] = sorted(
                conn.execute(
                    text("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal")
                ).all()
            )
            return schema
    finally:
        engine.dispose()


def _upgrade(url: str, revision: str) -> None:
    engine = create_engine(ServerAddress(url).url)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def test_every_migration_runs_on_postgresql_and_gives_a_new_reviews_schema(pg_server: Server) -> None:
    migrated, new = pg_server.create_database(), pg_server.create_database()
    try:
        _upgrade(pg_server.url(migrated), "head")
        open_database(pg_server.url(new)).close()
        assert _schema(pg_server.url(migrated)) == _schema(pg_server.url(new))
        with open_database(pg_server.url(migrated)) as db:
            assert not db.created  # at head already: opened as it is
            with db.session() as session:
                add_content(session, demo_review(), "Ana")
            with db.session(write=False) as session:
                report = verify_chain(session.connection())
        assert report.intact and report.entries > 0
    finally:
        pg_server.drop_database(migrated)
        pg_server.drop_database(new)


_FILL_0004 = """
INSERT INTO review (id, title, extensions) VALUES (1, 'Old review', '{}');
INSERT INTO comparison (id, position, key, title, intervention, comparator, extensions)
    VALUES (1, 0, 'a-vs-b', 'A vs B', 'A', 'B', '{}');
INSERT INTO endpoint_row (id, comparison_id, position, endpoint, has_intervention, intervention_value,
    intervention_value_num, has_comparator, has_effect, has_source, status, extracted_by, verified_by,
    extensions, part_extensions)
    VALUES (1, 1, 0, 'Itch', true, '42.60', 42.6, false, false, false, 'verified', 'Ana', 'Ben', '{}', '{}'),
           (2, 1, 1, 'Sleep', true, '3', 3, false, false, false, 'extracted', 'Ana', NULL, '{}', '{}');
INSERT INTO audit_log (id, at, who, action, table_name, row_id, field, old, new)
    VALUES (1, '2026-01-02 03:04:05+00', 'Ana', 'insert', 'endpoint_row', 1, NULL, NULL, '{}'),
           (2, '2026-01-03 10:00:00.000001+00', 'Ben', 'update', 'endpoint_row', 1, 'intervention.value', '42.6', '42.60');
"""


def test_an_older_review_on_the_server_is_upgraded_with_every_row_and_entry_kept(pg_url: str) -> None:
    """0005 marks an unbacked status a claim; 0010 chains the entries there (its update refusal set
    aside meanwhile); no backup file: the server's backups are its administrator's."""
    _upgrade(pg_url, "0004")
    _sql(pg_url, _FILL_0004)
    with open_database(pg_url) as db:
        assert not db.created and db.backup is None
        with db.session(write=False) as session:
            review = load_review(session)
            claimed = (
                session.connection().execute(text("SELECT id, status_claimed FROM endpoint_row ORDER BY id")).all()
            )
            report = verify_chain(session.connection())
    assert _sql(pg_url, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert review.title == "Old review" and [r.endpoint for r in review.comparisons[0].rows] == ["Itch", "Sleep"]
    assert claimed == [(1, True), (2, False)]
    assert report.intact and report.entries == 2


# -- writers, and who they are -------------------------------------------------------------------


def test_a_writer_waits_for_the_one_writing_and_chains_on_to_its_entries(pg_url: str) -> None:
    """Two writers of one review: the second takes the write lock only when the first has committed, so
    it reads the first one's last entry and chains on to it (the chain never forks)."""
    db = open_database(pg_url)
    first_in, let_go = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def write(who: str, hold: bool) -> None:
        try:
            with db.session() as session:
                session.connection()  # a write transaction begins: it takes the write lock
                if hold:
                    first_in.set()
                    assert let_go.wait(60)
                audit = Audit(who)
                audit.change("review", 1, "title", None, who)
                audit.flush(session.connection())
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            failures.append(exc)

    first = threading.Thread(target=write, args=("Ana", True))
    first.start()
    assert first_in.wait(60)
    second = threading.Thread(target=write, args=("Ben", False))
    second.start()
    waiting = 0
    for _ in range(600):  # the second writer is seen waiting for the lock (no time is measured)
        waiting = _sql(
            pg_url,
            f"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = {WRITE_LOCK} AND NOT granted",
        )[0][0]  # type: ignore[assignment]
        if waiting:
            break
        threading.Event().wait(0.05)
    assert waiting == 1
    let_go.set()
    first.join()
    second.join()
    assert not failures
    entries = _sql(pg_url, "SELECT id, who, prev_hash, hash FROM audit_log ORDER BY id")
    assert [(e[0], e[1]) for e in entries] == [(1, "Ana"), (2, "Ben")]
    assert entries[1][2] == entries[0][3]
    with db.session(write=False) as session:
        assert verify_chain(session.connection()).intact
    db.close()


def test_many_writers_at_once_keep_one_chain(pg_url: str) -> None:
    db = open_database(pg_url)
    failures: list[BaseException] = []

    def write(who: str) -> None:
        try:
            for i in range(8):
                with db.session() as session:
                    audit = Audit(who)
                    audit.change("review", 1, "title", str(i), str(i + 1))
                    audit.flush(session.connection())
        except BaseException as exc:  # pragma: no cover - shown by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=write, args=(name,)) for name in ("Ana", "Ben", "Cleo", "Dan")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    with db.session(write=False) as session:
        report = verify_chain(session.connection())
    db.close()
    assert report.intact and report.entries == 32


@pytest.fixture
def reviewer_role(pg_server: Server, pg_url: str) -> Iterator[tuple[str, str]]:
    """A reviewer's login role (name, URL of the test's database as her), allowed the review's tables."""
    name = pg_server.role_name("ana")
    pg_server.sql(f"CREATE ROLE {name} LOGIN PASSWORD 'her password'")
    database = _database(pg_url)
    pg_server.sql(f"GRANT ALL ON SCHEMA public TO {name}", database)
    pg_server.sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {name}", database)
    pg_server.sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO {name}", database)
    try:
        yield name, pg_server.url(database, name, "her password")
    finally:
        pg_server.sql(f"DROP OWNED BY {name}", database)
        pg_server.sql(f"DROP ROLE {name}")


def test_the_reviewer_recorded_is_the_database_user_not_a_typed_name(
    pg_url: str, reviewer_role: tuple[str, str]
) -> None:
    name, url = reviewer_role
    with open_database(pg_url) as db, db.session() as session:
        add_content(session, demo_review(), "curator")
    with ReviewService.open(url, "Somebody Else") as review:
        assert review.who == name and review.on_server and review.path == ServerAddress(url)
        assert "her password" not in str(review.path)
        review.rows.edit_field("pime-vs-tcs", 0, "intervention.value", "42.7")
        with pytest.raises(DatabaseError, match="is a review on a PostgreSQL server, not a file"):
            review.save_copy(Path("copy.sqlite"))
    last = _sql(pg_url, "SELECT who, field, new FROM audit_log ORDER BY id DESC LIMIT 1")
    assert last == [(name, "intervention.value", "42.7")]


def test_a_typed_reviewer_is_refused_on_a_team_review(pg_url: str) -> None:
    from curator.services.sources import refuse_typed_reviewer

    with pytest.raises(CuratorError, match=r"--reviewer is refused on a team review: the audit log records"):
        refuse_typed_reviewer(pg_url, "Ana", "--reviewer")
    refuse_typed_reviewer(pg_url, None, "--reviewer")
    refuse_typed_reviewer("review.sqlite", "Ana", "--reviewer")


def test_the_audit_log_on_the_server_refuses_a_change_a_deletion_and_a_backdated_entry(pg_url: str) -> None:
    with open_database(pg_url) as db, db.session() as session:
        add_content(session, demo_review(), "Ana")
    last = _sql(pg_url, "SELECT id, at FROM audit_log ORDER BY id DESC LIMIT 1")[0]
    for statement in ("UPDATE audit_log SET who = 'Mallory'", "DELETE FROM audit_log WHERE id = 1"):
        with pytest.raises(psycopg.errors.RaiseException, match="the audit log cannot be changed or deleted"):
            _sql(pg_url, statement)
    with pytest.raises(psycopg.errors.UniqueViolation):
        _sql(pg_url, "INSERT INTO audit_log (id, at, who, action, table_name) VALUES (1, now(), 'M', 'x', 'review')")
    backdated = (
        "INSERT INTO audit_log (id, at, who, action, table_name) "
        f"VALUES ({last[0] + 1}, timestamptz '{last[1]}' - interval '1 second', 'M', 'x', 'review')"
    )
    with pytest.raises(psycopg.errors.RaiseException, match="an entry cannot be earlier than the last one"):
        _sql(pg_url, backdated)
    _sql(pg_url, backdated.replace("- interval '1 second'", ""))  # as late as the last one: taken


def test_a_writer_kept_waiting_past_the_busy_timeout_is_told_the_review_is_busy(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import curator.store.database as database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_S", 0.2)
    db = open_database(pg_url)
    holding, let_go = threading.Event(), threading.Event()

    def hold() -> None:
        with db.session() as session:
            session.connection()
            holding.set()
            let_go.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(60)
        with pytest.raises(DatabaseError) as refused, db.session() as session:
            session.connection()
        assert str(refused.value) == f"{pg_url}: {database.LOCKED}"
    finally:
        let_go.set()
        holder.join()
        db.close()
