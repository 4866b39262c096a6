"""Database rules that no program may break: the audit log is append-only.

Triggers abort any UPDATE or DELETE on ``audit_log``, an INSERT whose id is
already there (``INSERT OR REPLACE`` would otherwise delete the entry
without firing the delete trigger, unless ``recursive_triggers`` is on,
which :mod:`curator.store.database` turns on for every connection too) and
an INSERT earlier than the last entry, so not even a script with the
sqlite3 shell can rewrite history without dropping them first; and then the
hash chain (:mod:`curator.store.audit`) tells. New databases get them from
:func:`install` (called when the tables are created); older ones from the
migration that introduced them.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

__all__ = ["AUDIT_SQLITE", "AUDIT_POSTGRESQL", "AUDIT_INSERT_GUARDS", "install", "MESSAGE", "EXISTS", "BACKDATED"]

#: The triggers that check each insert (a review being built gets them when it is sealed).
AUDIT_INSERT_GUARDS = ("audit_log_no_overwrite", "audit_log_no_backdating")

MESSAGE = "the audit log cannot be changed or deleted"
EXISTS = "the audit log cannot be changed or deleted: an entry of that id is there"
BACKDATED = "the audit log only grows forward: an entry cannot be earlier than the last one"

AUDIT_SQLITE = (
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "CREATE TRIGGER audit_log_no_overwrite BEFORE INSERT ON audit_log "
    "WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) "
    f"BEGIN SELECT RAISE(ABORT, '{EXISTS}'); END",
    "CREATE TRIGGER audit_log_no_backdating BEFORE INSERT ON audit_log "
    "WHEN NEW.at < (SELECT at FROM audit_log ORDER BY id DESC LIMIT 1) "
    f"BEGIN SELECT RAISE(ABORT, '{BACKDATED}'); END",
)
#: On PostgreSQL the primary key refuses an entry over another (and an INSERT ... ON CONFLICT DO
#: UPDATE fires the update refusal); a backdated entry is looked for once per statement, among the
#: entries it added (a transition table), each against the entry before it.
AUDIT_POSTGRESQL = (
    f"CREATE FUNCTION audit_log_refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ "
    "LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()",
    "CREATE FUNCTION audit_log_refuse_backdated() RETURNS trigger AS $$ BEGIN "
    "IF EXISTS (SELECT 1 FROM audit_log_added n WHERE n.at < "
    "(SELECT a.at FROM audit_log a WHERE a.id < n.id ORDER BY a.id DESC LIMIT 1)) "
    f"THEN RAISE EXCEPTION '{BACKDATED}'; END IF; RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_no_backdating AFTER INSERT ON audit_log REFERENCING NEW TABLE AS audit_log_added "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_backdated()",
)


def install(audit_table: Table) -> None:
    """Create the triggers whenever the audit table is created."""
    for sql in AUDIT_SQLITE:
        event.listen(audit_table, "after_create", DDL(sql).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]
    for sql in AUDIT_POSTGRESQL:
        event.listen(audit_table, "after_create", DDL(sql).execute_if(dialect="postgresql"))  # type: ignore[no-untyped-call]
