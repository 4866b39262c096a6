"""A description of the review, beside its title (File > Properties).

``review.description`` holds a few lines about the review for the people
working on it. The ``curator/1`` exchange format has no such key, so it is
kept in the database only (a saved copy keeps it; an export does not carry
it). A plain ADD COLUMN of a nullable text: every review is kept as it was.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("review", sa.Column("description", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("description")
