"""Opening review databases: creation, pragmas, refusals, upgrades."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from curator.demo import demo_review
from curator.errors import DatabaseError
from curator.formats.exchange import to_json
from curator.review import Document, Evidence
from curator.store.database import APPLICATION_ID, head_revision, open_database, script_location
from curator.store.models import metadata
from curator.store.repository import add_content, load_review


def test_new_database_has_schema_pragmas_and_head_revision(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_database(path) as db:
        assert db.created
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: a saved edit survives a power loss
            assert conn.exec_driver_sql("PRAGMA application_id").scalar() == APPLICATION_ID
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    with open_database(path) as again:
        assert not again.created and again.backup is None


def _by_alembic(path: Path, action: str) -> Any:
    """An engine on a new SQLite file that Alembic's ``action`` (upgrade, stamp) brought to head."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, action)(cfg, "head")
    return engine


def test_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    """A database upgraded step by step equals one created from the models."""
    engine = _by_alembic(tmp_path / "m.sqlite", "upgrade")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    engine.dispose()
    assert diff == []


def test_the_head_curator_opens_without_alembic_is_the_head_of_its_migrations() -> None:
    """SCHEMA_HEAD is what Curator stamps and accepts without loading Alembic: a new migration must move it."""
    from alembic.script import ScriptDirectory

    from curator.store.database import SCHEMA_HEAD, alembic_config

    assert SCHEMA_HEAD == ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head_revision() == SCHEMA_HEAD


def test_a_new_review_records_its_revision_as_alembic_stamp_does(tmp_path: Path) -> None:
    """The revision table Curator makes itself is the one Alembic makes and reads (so upgrades find it)."""
    with open_database(tmp_path / "ours.sqlite"):
        pass
    _by_alembic(tmp_path / "alembic.sqlite", "stamp").dispose()

    def version_table(name: str) -> list[tuple[str, ...]]:
        with sqlite3.connect(tmp_path / name) as conn:
            return (
                conn.execute(
                    "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'alembic_version' ORDER BY name"
                ).fetchall()
                + conn.execute("SELECT * FROM alembic_version").fetchall()
            )

    assert version_table("ours.sqlite") == version_table("alembic.sqlite")


@pytest.mark.parametrize("command", ["import", "info"])
def test_a_review_at_head_is_made_and_opened_without_loading_alembic(tmp_path: Path, command: str) -> None:
    """Alembic (about 0.4 s to load with its scripts) is for upgrades; a command on a current review skips it."""
    import json
    import subprocess
    import sys

    from curator.formats.exchange import write_exchange

    source = tmp_path / "demo.json"
    write_exchange(demo_review(), source)
    review = tmp_path / "r.sqlite"
    if command == "info":
        with open_database(review):
            pass
    args = ["import", str(review), str(source)] if command == "import" else ["info", str(review)]
    probe = (
        "import sys, json\n"
        "from curator.cli import main\n"
        "try:\n"
        f"    main(['--reviewer', 'ann', *{args!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic')))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
    with sqlite3.connect(review) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head_revision(),)]


def test_migrations_ship_inside_the_package() -> None:
    location = script_location()
    assert (location / "env.py").is_file()
    assert (location / "script.py.mako").is_file()
    assert any(location.joinpath("versions").glob("0001_*.py"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "curator/1"}', "not an SQLite file) (it looks like a JSON file: use `curator import`"),
        (b"hello, this is text", "is not a Curator review database (not an SQLite file)"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is not a Curator review database"),
    ],
)
def test_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=message.replace("(", r"\(").replace(")", r"\)")):
        open_database(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.sqlite"]


def test_sqlite_file_of_another_program_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('mine')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="is an SQLite database but not a Curator review"):
        open_database(path)
    assert path.read_bytes() == before


def test_database_from_a_newer_curator_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_database(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffff9999'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match=r"made by a newer version of Curator \(schema ffff9999\).*Update Curator"):
        open_database(path)
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.backup-*"))


def test_missing_folder_and_folder_as_file(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(tmp_path / "nope" / "r.sqlite")
    with pytest.raises(DatabaseError, match="is a folder, not a review database"):
        open_database(tmp_path)


def test_no_such_database_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="no such review database"):
        open_database(tmp_path / "r.sqlite", create=False)
    assert not (tmp_path / "r.sqlite").exists()


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs Linux /sys as a read-only location")
def test_read_only_location_is_refused() -> None:
    with pytest.raises(DatabaseError, match="read-only|cannot open|cannot create"):
        open_database("/sys/curator-review.sqlite")


def test_read_only_database_can_be_read(tmp_path: Path) -> None:
    path = tmp_path / "r.sqlite"
    with open_database(path) as db, db.session() as session:
        add_content(session, demo_review(), "tester")
    before = path.read_bytes()
    with open_database(path, readonly=True) as db, db.session() as session:
        assert load_review(session).row_count == 8
    assert path.read_bytes() == before


# -- upgrades ------------------------------------------------------------------

#: For every schema revision: SQL that fills a database of that revision with
#: a small review, and what must survive the upgrade to head. When a revision
#: is added, the previous head keeps its entry here, so that its databases are
#: upgraded in test_every_earlier_revision_upgrades_with_data_kept.
_FILL_0001 = """
        INSERT INTO review (id, title, extensions) VALUES (1, 'Old review', '{}');
        INSERT INTO reference (id, position, key, title, authors, extensions)
            VALUES (1, 0, '7', 'Efficacy of pimecrolimus', '["Doe, J"]', '{}');
        INSERT INTO comparison (id, position, key, title, intervention, comparator, extensions)
            VALUES (1, 0, 'pime-vs-tcs', 'Pimecrolimus vs TCS', 'Pimecrolimus', 'TCS', '{}');
        INSERT INTO endpoint_row (id, comparison_id, position, endpoint, measure, unit,
            has_intervention, intervention_value, intervention_value_num,
            has_comparator, comparator_value, comparator_value_num, has_effect, has_source,
            status, extensions, part_extensions)
            VALUES (1, 1, 0, 'Patients requiring TCS', 'percent', '%', 1, '42.60', 42.6,
                    1, '68.4', 68.4, 0, 0, 'extracted', '{}', '{}');
        INSERT INTO citation (id, row_id, position, reference_key) VALUES (1, 1, 0, '7');
        INSERT INTO audit_log (id, at, who, action, table_name, row_id)
            VALUES (1, '2026-01-02 03:04:05', 'Ana', 'insert', 'endpoint_row', 1);
    """
FILL_SQL = {
    "0001": _FILL_0001,
    "0002": _FILL_0001,  # 0002 added triggers only
    "0003": _FILL_0001
    + """
        INSERT INTO field_verification (id, row_id, field, state, value, by, at)
            VALUES (1, 1, 'intervention.value', 'verified', '42.60', 'Ben', '2026-01-03 04:05:06');
        INSERT INTO adjudication_item (id, row_id, field, value_a, value_b, who_a, who_b, origin,
            opened_by, opened_at)
            VALUES (1, 1, 'comparator.value', '68.4', '64.8', 'Ana', 'Ben', 'merge', 'Ana',
                    '2026-01-03 04:05:06');
    """,
}
FILL_SQL["0004"] = FILL_SQL["0003"]  # 0004 added an index only
FILL_SQL["0005"] = FILL_SQL["0004"]  # 0005 added endpoint_row.status_claimed (default false)
FILL_SQL["0006"] = FILL_SQL["0005"]  # 0006 added review.description (nullable)
# 0007 added the format 1.1 fields of a row (nullable): a row that uses them.
FILL_SQL["0007"] = (
    FILL_SQL["0006"]
    + """
        INSERT INTO endpoint_row (id, comparison_id, position, endpoint, measure, analysis,
            integer_items, integer_items_num,
            has_intervention, intervention_value, intervention_value_num, intervention_n, intervention_n_num,
            intervention_sd, intervention_sd_num, intervention_se, intervention_se_num,
            intervention_q1, intervention_q1_num, intervention_q3, intervention_q3_num,
            has_comparator, comparator_value, comparator_value_num, comparator_min, comparator_min_num,
            comparator_max, comparator_max_num, comparator_ci_low, comparator_ci_low_num,
            comparator_ci_high, comparator_ci_high_num,
            has_effect, effect_measure, effect_value, effect_value_num, effect_se, effect_se_num,
            effect_adjusted, effect_contrast, effect_method, effect_ci_level, effect_ci_level_text,
            has_source, status, extensions, part_extensions)
            VALUES (2, 1, 1, 'Itch score', 'mean', 'adjusted', '1', 1.0,
                    1, '12·1', 12.1, '3,145', 3145.0, 'NR', NULL, '0.55', 0.55, '10', 10.0, '15', 15.0,
                    1, '− 4.6', -4.6, '0', 0.0, '40', 40.0, '2.1', 2.1, '7.0', 7.0,
                    1, 'MD', '-2.3', -2.3, '0.8', 0.8, 1, 'change', 'ANCOVA', 95.02, '95.02',
                    0, 'extracted', '{}', '{}');
    """
)
# 0008 added the source documents and the evidence of a row's values.
FILL_SQL["0008"] = (
    FILL_SQL["0007"]
    + f"""
        INSERT INTO document (id, position, sha256, file, reference, media_type, pages, extensions)
            VALUES (1, 0, '{"ab" * 32}', 'wahn-2002.pdf', '7', NULL, 12, '{{}}');
        INSERT INTO evidence (id, row_id, field, document, page, text, boxes, extensions)
            VALUES (1, 2, 'intervention.value', '{"ab" * 32}', 3, '12·1', '[[72, 100.5, 90, 110]]', '{{}}');
    """
)

# 0009 added the bytes of the source documents (document_blob, by SHA-256).
FILL_SQL["0009"] = (
    FILL_SQL["0008"]
    + f"""
        INSERT INTO document_blob (sha256, data) VALUES ('{"ab" * 32}', X'255044462D312E34');
    """
)
# 0010 chained the audit log (prev_hash, hash): the fill's entry is written unchained, as a script would.
FILL_SQL["0010"] = FILL_SQL["0009"]
FILL_SQL["0011"] = FILL_SQL["0010"]  # 0011 dropped an index only
FILL_SQL["0012"] = FILL_SQL["0011"]  # 0012 added a PostgreSQL NOTIFY trigger only


def _build_at(path: Path, revision: str, location: Path | None = None) -> None:
    from alembic import command
    from alembic.config import Config

    engine = create_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(location or script_location()))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    raw = engine.raw_connection()
    raw.executescript(FILL_SQL[revision])  # type: ignore[attr-defined]
    raw.commit()
    raw.close()
    engine.dispose()


def _check_kept(path: Path) -> None:
    with open_database(path) as db, db.session() as session:
        review = load_review(session)
    assert review.title == "Old review"
    assert [r.key for r in review.references] == ["7"]
    assert review.references[0].authors == ["Doe, J"]
    row = review.comparisons[0].rows[0]
    assert row.intervention is not None and row.intervention.value is not None
    assert row.intervention.value.text == "42.60"
    assert row.citations == ["7"]
    assert row.status == "extracted"
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT who FROM audit_log WHERE id = 1").fetchone() == ("Ana",)
    conn.close()


def _revisions(location: Path | None = None) -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(location or script_location()))
    return [r.revision for r in reversed(list(ScriptDirectory.from_config(cfg).walk_revisions()))]


def test_every_revision_has_fill_data_that_loads(tmp_path: Path) -> None:
    revisions = _revisions()
    assert set(revisions) <= set(FILL_SQL), "give each schema revision its FILL_SQL entry"
    path = tmp_path / "head.sqlite"
    _build_at(path, revisions[-1])
    _check_kept(path)


def test_every_earlier_revision_upgrades_with_data_kept(tmp_path: Path) -> None:
    revisions = _revisions()
    assert len(revisions) >= 2
    for revision in revisions[:-1]:
        path = tmp_path / f"at-{revision}.sqlite"
        _build_at(path, revision)
        with open_database(path) as db:
            assert db.backup is not None and db.backup.parent == path.parent
        _check_kept(path)


def test_upgrade_to_0005_keeps_every_row_and_marks_unbacked_statuses_as_claims(tmp_path: Path) -> None:
    """Rows typed verified (the bug of issue #11) or imported so become claims;
    a row its verifier verified field by field here stays verified here."""
    path = tmp_path / "at-0004.sqlite"
    _build_at(path, "0004")
    raw = sqlite3.connect(path)
    raw.executescript(
        """
        UPDATE endpoint_row SET status = 'verified', verified_by = 'Ben', extracted_by = 'Ana' WHERE id = 1;
        INSERT INTO endpoint_row (id, comparison_id, position, endpoint, has_intervention, has_comparator,
            has_effect, has_source, status, extracted_by, verified_by, extensions, part_extensions)
            VALUES (2, 1, 1, 'Typed verified', 1, 0, 0, 0, 'verified', 'Ana', 'Ben', '{}', '{}'),
                   (3, 1, 2, 'Still extracted', 1, 0, 0, 0, 'extracted', 'Ana', NULL, '{}', '{}'),
                   (4, 1, 3, 'Typed verifier', 1, 0, 0, 0, 'extracted', 'Ana', 'Ben', '{}', '{}'),
                   (5, 1, 4, 'Typed disputed', 1, 0, 0, 0, 'disputed', 'Ana', NULL, '{}', '{}');
        """
    )
    raw.commit()
    before = raw.execute("SELECT id, status, verified_by FROM endpoint_row ORDER BY id").fetchall()
    raw.close()
    with open_database(path) as db:
        assert db.backup is not None
    raw = sqlite3.connect(path)
    after = raw.execute("SELECT id, status, verified_by FROM endpoint_row ORDER BY id").fetchall()
    claimed = raw.execute("SELECT id, status_claimed FROM endpoint_row ORDER BY id").fetchall()
    raw.close()
    assert after == before  # every row kept, status and verifier as they were
    # Row 1: Ben verified its intervention.value here (the fill data): backed.
    assert claimed == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]
    with open_database(path) as db, db.session(write=False) as session:  # the upgraded file loads
        assert [r.endpoint for r in load_review(session).comparisons[0].rows][1:] == [
            "Typed verified", "Still extracted", "Typed verifier", "Typed disputed",
        ]  # fmt: skip


def test_upgrade_to_0006_keeps_the_title_and_gives_no_description(tmp_path: Path) -> None:
    """The review's description (File > Properties) is a new, empty column; the title is kept."""
    path = tmp_path / "at-0005.sqlite"
    _build_at(path, "0005")
    with open_database(path) as db:
        assert db.backup is not None
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT title, description FROM review").fetchall() == [("Old review", None)]
    raw.close()
    _check_kept(path)


def _check_1_1_kept(path: Path) -> None:
    """The row of format 1.1 fields (FILL_SQL 0007) as it was stored, every field."""
    with open_database(path) as db, db.session(write=False) as session:
        review = load_review(session)
    row = review.comparisons[0].rows[1]
    document = to_json(review)["comparisons"][0]["rows"][1]
    document.pop("evidence", None)  # from 0008 on (test_documents_and_evidence_of_schema_0008_load)
    assert document == {
        "endpoint": "Itch score",
        "measure": "mean",
        "analysis": "adjusted",
        "integer_items": "1",
        "intervention": {"value": "12·1", "n": "3,145", "sd": "NR", "se": "0.55", "q1": "10", "q3": "15"},
        "comparator": {"value": "− 4.6", "ci_low": "2.1", "ci_high": "7.0", "min": "0", "max": "40"},
        "effect": {
            "measure": "MD",
            "value": "-2.3",
            "ci_level": "95.02",
            "se": "0.8",
            "adjusted": True,
            "contrast": "change",
            "method": "ANCOVA",
        },
        "status": "extracted",
    }
    assert row.intervention is not None and row.intervention.sd is not None and row.intervention.sd.not_reported
    assert row.effect is not None and row.effect.level_exact == Decimal("95.02")


def test_upgrade_to_0008_keeps_every_row_and_its_1_1_fields_and_gives_no_documents(tmp_path: Path) -> None:
    path = tmp_path / "at-0007.sqlite"
    _build_at(path, "0007")
    raw = sqlite3.connect(path)
    before = raw.execute("SELECT * FROM endpoint_row ORDER BY id").fetchall()
    raw.close()
    with open_database(path) as db:
        assert db.backup is not None
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT * FROM endpoint_row ORDER BY id").fetchall() == before
    assert raw.execute("SELECT COUNT(*) FROM document").fetchone() == (0,)
    assert raw.execute("SELECT COUNT(*) FROM evidence").fetchone() == (0,)
    raw.close()
    _check_kept(path)
    _check_1_1_kept(path)


def test_documents_and_evidence_of_schema_0008_load(tmp_path: Path) -> None:
    path = tmp_path / "at-0008.sqlite"
    _build_at(path, "0008")
    _check_1_1_kept(path)
    with open_database(path) as db, db.session(write=False) as session:
        review = load_review(session)
    assert review.documents == [Document(sha256="ab" * 32, file="wahn-2002.pdf", reference="7", pages=12)]
    assert review.comparisons[0].rows[1].evidence == {
        "intervention.value": Evidence(document="ab" * 32, page=3, text="12·1", boxes=[[72, 100.5, 90, 110]])
    }


def test_evidence_goes_with_its_row_and_must_name_a_document(tmp_path: Path) -> None:
    path = tmp_path / "at-0008.sqlite"
    _build_at(path, "0008")
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        raw.execute(
            "INSERT INTO evidence (row_id, field, document, page, boxes, extensions) "
            "VALUES (1, 'endpoint', 'cd', 1, '[]', '{}')"
        )
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        raw.execute("DELETE FROM document")  # evidence points at it
    raw.execute("DELETE FROM endpoint_row WHERE id = 2")
    assert raw.execute("SELECT COUNT(*) FROM evidence").fetchone() == (0,)
    raw.close()


def test_upgrade_to_0009_keeps_every_row_and_document_and_gives_them_no_bytes(tmp_path: Path) -> None:
    path = tmp_path / "at-0008.sqlite"
    _build_at(path, "0008")
    raw = sqlite3.connect(path)
    tables = ("endpoint_row", "document", "evidence", "reference", "audit_log")
    before = {table: raw.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall() for table in tables}
    columns = {table: ", ".join(row[1] for row in raw.execute(f"PRAGMA table_info({table})")) for table in tables}
    raw.close()
    with open_database(path) as db:
        assert db.backup is not None
    raw = sqlite3.connect(path)
    after = {table: raw.execute(f"SELECT {columns[table]} FROM {table} ORDER BY 1").fetchall() for table in tables}
    assert after == before  # (later revisions add columns: those of 0008 are compared)
    assert raw.execute("SELECT COUNT(*) FROM document_blob").fetchone() == (0,)
    raw.close()
    _check_kept(path)
    with open_database(path) as db, db.session(write=False) as session:
        assert [d.stored for d in load_review(session).documents] == [False]


def test_the_bytes_of_schema_0009_documents_load_as_stored(tmp_path: Path) -> None:
    path = tmp_path / "at-0009.sqlite"
    _build_at(path, "0009")
    with open_database(path) as db, db.session(write=False) as session:
        assert [d.stored for d in load_review(session).documents] == [True]


def _later_version(tmp_path: Path) -> Path:
    """The migrations of a pretend later Curator: head plus one revision that
    rebuilds the row and comparison tables (as SQLite batch migrations do)."""
    location = tmp_path / "later-migrations"
    shutil.copytree(script_location(), location, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision()
    (location / "versions" / "9000_later.py").write_text(
        f'''
import sqlalchemy as sa
from alembic import op

revision = "9000"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comparison", recreate="always") as batch:
        batch.add_column(sa.Column("colour", sa.String(), nullable=True))
    with op.batch_alter_table("endpoint_row", recreate="always") as batch:
        batch.add_column(sa.Column("checked_at", sa.String(), nullable=True))


def downgrade():
    pass
''',
        encoding="utf-8",
    )
    return location


def test_older_database_is_backed_up_then_upgraded_with_every_row_kept(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    with open_database(path) as db, db.session() as session:
        add_content(session, demo_review(), "tester")
    with open_database(path) as db, db.session(write=False) as session:
        before = load_review(session)

    later = _later_version(tmp_path)
    with open_database(path, migrations=later) as db:
        assert db.backup is not None
        backup = db.backup
        with db.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == "9000"
            assert "checked_at" in {c["name"] for c in inspect(conn).get_columns("endpoint_row")}
        with db.session() as session:
            after = load_review(session)
    assert after == before  # rows, citations (not cascaded away by the rebuild), everything

    # The backup sits beside the file, at the old revision, with the old content.
    assert backup.parent == path.parent and backup.name.startswith("review.backup-")
    with open_database(backup) as old, old.session(write=False) as session:
        assert load_review(session) == before
        with old.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head_revision()

    # The current version now refuses the upgraded file as newer.
    with pytest.raises(DatabaseError, match="newer version of Curator"):
        open_database(path)


def test_older_read_only_database_is_not_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "review.sqlite"
    open_database(path).close()
    later = _later_version(tmp_path)
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match="must be upgraded, but it is opened read-only"):
        open_database(path, readonly=True, migrations=later)
    assert path.read_bytes() == before


@pytest.mark.parametrize("how", ["created", "upgraded"])
def test_audit_log_cannot_be_rewritten(tmp_path: Path, how: str) -> None:
    """Not even a script with the sqlite3 shell can change history."""
    path = tmp_path / "r.sqlite"
    if how == "created":
        with open_database(path) as db, db.session() as session:
            add_content(session, demo_review(), "Ana")
    else:
        _build_at(path, "0001")
        open_database(path).close()  # upgrades, with a backup
    conn = sqlite3.connect(path)
    count = conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    assert count > 0
    for sql in ("UPDATE audit_log SET who = 'Mallory'", "DELETE FROM audit_log", "DELETE FROM audit_log WHERE id = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="the audit log cannot be changed or deleted"):
            conn.execute(sql)
    conn.execute("INSERT INTO audit_log (at, who, action, table_name) VALUES ('2099-01-01', 'Ben', 'note', 'review')")
    conn.commit()
    assert conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == count + 1
    assert conn.execute("SELECT COUNT(*) FROM audit_log WHERE who = 'Mallory'").fetchone()[0] == 0
    conn.close()
