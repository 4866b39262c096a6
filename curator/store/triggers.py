"""Database rules that no program may break: the audit log is append-only.

Triggers abort any UPDATE or DELETE on ``audit_log``, so not even a script
with the sqlite3 shell can rewrite history. New databases get them from
:func:`install` (called when the tables are created); older ones from the
migration that introduced them.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

__all__ = ["AUDIT_SQLITE", "AUDIT_POSTGRESQL", "install", "MESSAGE"]

MESSAGE = "the audit log cannot be changed or deleted"

AUDIT_SQLITE = (
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
)
AUDIT_POSTGRESQL = (
    f"CREATE FUNCTION audit_log_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ "
    "LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()",
)


def install(audit_table: Table) -> None:
    """Create the triggers whenever the audit table is created."""
    for sql in AUDIT_SQLITE:
        event.listen(audit_table, "after_create", DDL(sql).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]
    for sql in AUDIT_POSTGRESQL:
        event.listen(audit_table, "after_create", DDL(sql).execute_if(dialect="postgresql"))  # type: ignore[no-untyped-call]
