"""The bytes of a review's source documents, inside the review file.

``document_blob`` holds each document's bytes once, keyed by their SHA-256
(attaching the same bytes twice stores them once). A separate table, so that
reading the list of documents never reads their bytes.

Only a new table: every review is kept as it was; its documents (by name
only, from 0008) have no bytes until they are attached.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (the columns use sqlmodel's AutoString, as the models do)
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_blob",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_document_blob")),
    )


def downgrade() -> None:
    op.drop_table("document_blob")
