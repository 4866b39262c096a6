"""Working at once (issue 16): a PostgreSQL review's audit log notifies every insert.

An open window LISTENs on channel ``curator_audit`` and reads what changed as
soon as another reviewer's transaction commits, instead of at its next poll.
The trigger is per statement and carries no payload: the window reads the log
after the last entry it has shown. SQLite has no NOTIFY: its windows poll the
audit log's last id (a read through the primary key that never blocks a
writer), so on SQLite this revision changes nothing but the version.

(The SQL is written out here, not imported, so that this migration does the
same whatever later code says; :mod:`curator.store.triggers` makes the same
trigger for a new review.)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 22:40:00
"""

from collections.abc import Sequence

from alembic import op

NOTIFY = (
    "CREATE FUNCTION curator_audit_notify() RETURNS trigger AS $$ "
    "BEGIN PERFORM pg_notify('curator_audit', ''); RETURN NULL; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_log_notify AFTER INSERT ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION curator_audit_notify()",
)
DROP = (
    "DROP TRIGGER IF EXISTS audit_log_notify ON audit_log",
    "DROP FUNCTION IF EXISTS curator_audit_notify()",
)

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sql in NOTIFY:
            op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for sql in DROP:
            op.execute(sql)
