"""Source documents and evidence (format 1.1): two new tables.

``document`` holds a review's source documents by name and the SHA-256 of
their bytes (the bytes themselves are not stored yet); ``evidence`` holds,
per row and field, where the value was read: a page of one of those
documents, the characters as they stand there and their boxes. Evidence
goes with its row (ON DELETE CASCADE) and must name a document of the
review (a foreign key on its SHA-256).

Only new tables: every review is kept as it was, with no documents and no
evidence.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (the columns use sqlmodel's AutoString, as the models do)
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("media_type", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("extensions", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("sha256", name=op.f("uq_document_sha256")),
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("document", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("boxes", sa.JSON(), nullable=False),
        sa.Column("extensions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["row_id"], ["endpoint_row.id"], name=op.f("fk_evidence_row_id_endpoint_row"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["document"], ["document.sha256"], name=op.f("fk_evidence_document_document")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.UniqueConstraint("row_id", "field", name=op.f("uq_evidence_row_id")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_document"), ["document"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_document"))
    op.drop_table("evidence")
    op.drop_table("document")
