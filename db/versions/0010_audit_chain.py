"""The audit log is chained, and refuses an insert over an entry or before the last one.

Each entry gets ``prev_hash`` (the hash of the entry before it) and
``hash`` (SHA-256 of that and of its content): the entries already there
are chained here, oldest first, as they stand. Two more triggers refuse an
INSERT whose id is already there (``INSERT OR REPLACE`` would overwrite
it) and one earlier than the last entry.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 19:30:00

(The hash and the SQL are written out here, not imported, so that this
migration does the same thing whatever later versions of the code say; the
hash is the one :func:`curator.store.audit.entry_hash` computes, and a test
checks the two agree.)
"""

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (the columns use sqlmodel's AutoString, as the models do)
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GENESIS = "0" * 64
_CONTENT = ("id", "at", "who", "action", "table_name", "row_id", "field", "old", "new")
_EXISTS = "the audit log cannot be changed or deleted: an entry of that id is there"
_BACKDATED = "the audit log only grows forward: an entry cannot be earlier than the last one"


def _time_text(at: object) -> str:
    when = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def _hash(prev: str, entry: dict[str, object]) -> str:
    parts = [prev]
    for name in _CONTENT:
        value = entry[name]
        if value is None:
            parts.append("-")
            continue
        text = _time_text(value) if name == "at" else str(value)
        parts.append(f"{len(text)}:{text}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("audit_log", recreate="never") as batch:
        batch.add_column(sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.add_column(sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    conn = op.get_bind()
    names = ", ".join(_CONTENT)
    prev = _GENESIS
    chained: list[dict[str, object]] = []
    for rec in conn.exec_driver_sql(f"SELECT {names} FROM audit_log ORDER BY id").mappings():
        entry = dict(rec)
        digest = _hash(prev, entry)
        chained.append({"i": entry["id"], "p": prev, "h": digest})
        prev = digest
    if chained:
        # The update trigger refuses any change of an entry: set aside while the chain is written.
        dialect = conn.dialect.name
        if dialect == "sqlite":
            op.execute("DROP TRIGGER audit_log_no_update")
        elif dialect == "postgresql":
            op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change")
        conn.execute(sa.text("UPDATE audit_log SET prev_hash = :p, hash = :h WHERE id = :i"), chained)
        if dialect == "sqlite":
            op.execute(
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'the audit log cannot be changed or deleted'); END"
            )
        elif dialect == "postgresql":
            op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change")
    if conn.dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_no_overwrite BEFORE INSERT ON audit_log "
            "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{_EXISTS}'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_backdating BEFORE INSERT ON audit_log "
            "WHEN NEW.at < (SELECT at FROM audit_log ORDER BY id DESC LIMIT 1) "
            f"BEGIN SELECT RAISE(ABORT, '{_BACKDATED}'); END"
        )
    elif conn.dialect.name == "postgresql":  # the primary key refuses an overwrite there
        op.execute(
            "CREATE FUNCTION audit_log_refuse_backdated() RETURNS trigger AS $$ BEGIN "
            "IF EXISTS (SELECT 1 FROM audit_log_added n WHERE n.at < "
            "(SELECT a.at FROM audit_log a WHERE a.id < n.id ORDER BY a.id DESC LIMIT 1)) "
            f"THEN RAISE EXCEPTION '{_BACKDATED}'; END IF; RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER audit_log_no_backdating AFTER INSERT ON audit_log REFERENCING NEW TABLE AS audit_log_added "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_backdated()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_overwrite")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_backdating")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_backdating ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_backdated()")
    with op.batch_alter_table("audit_log", recreate="never") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
