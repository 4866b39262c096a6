"""Index the audit log by table and row, for a row's history.

The History panel and the form's "entered by … on …" read one row's
entries; without an index that is a scan of the whole log (30-90 ms per
row selected on a 100,000-row review). A plain CREATE INDEX, not a batch
operation: rebuilding audit_log would drop its append-only triggers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 20:22:08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_log_table_row", "audit_log", ["table_name", "row_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_audit_log_table_row", table_name="audit_log")
