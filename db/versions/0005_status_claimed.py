"""Keep a row's claimed status apart from the status its verifications give.

``endpoint_row.status_claimed`` is true when the row's ``status`` and
``verified_by`` are what a file said (or were typed, before Curator refused
that) rather than the outcome of field verifications made in this review.
A plain ADD COLUMN (with a constant default SQLite allows it), not a batch
rebuild of the table.

Existing rows are marked as claims unless their verifications back them:
a ``verified`` row is backed when its ``verified_by`` verified one of its
fields here and no field of it is disputed or changed since; a ``disputed``
row when one of its fields is disputed here; any other row naming a
``verified_by`` is a claim. Every row is kept.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MARK_CLAIMS = """
UPDATE endpoint_row SET status_claimed = {true}
WHERE (status = 'verified' AND NOT (
           verified_by IS NOT NULL
           AND EXISTS (SELECT 1 FROM field_verification f
                       WHERE f.row_id = endpoint_row.id AND f.state = 'verified' AND f.by = endpoint_row.verified_by)
           AND NOT EXISTS (SELECT 1 FROM field_verification f
                           WHERE f.row_id = endpoint_row.id AND f.state IN ('disputed', 'changed'))))
   OR (status = 'disputed' AND NOT EXISTS (SELECT 1 FROM field_verification f
                                           WHERE f.row_id = endpoint_row.id AND f.state = 'disputed'))
   OR (status NOT IN ('verified', 'disputed') AND verified_by IS NOT NULL)
"""


def upgrade() -> None:
    op.add_column("endpoint_row", sa.Column("status_claimed", sa.Boolean(), server_default=sa.false(), nullable=False))
    # SQLite's booleans are 0 and 1; PostgreSQL's are their own type.
    op.execute(_MARK_CLAIMS.format(true="true" if op.get_bind().dialect.name == "postgresql" else "1"))


def downgrade() -> None:
    with op.batch_alter_table("endpoint_row", schema=None) as batch_op:
        batch_op.drop_column("status_claimed")
