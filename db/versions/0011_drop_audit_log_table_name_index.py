"""Drop the audit log's index on table_name alone: ix_audit_log_table_row (table, row) serves it.

Every query by table alone can use the first column of the (table_name,
row_id) index, so the single-column one was upkeep for nothing: each
audited change wrote it (a 100,000-row import: 160,000 entries, 3.8 MB and a
tenth of the time storing the log). A plain DROP INDEX, not a batch
operation: rebuilding audit_log would drop its append-only triggers.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 21:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_audit_log_table_name", table_name="audit_log")


def downgrade() -> None:
    op.create_index("ix_audit_log_table_name", "audit_log", ["table_name"], unique=False)
