"""The fields of format ``curator/1.1`` on each row.

Continuous outcomes, qualified estimates and "not reported": each arm's
``se``, its own CI (``ci_low``, ``ci_high``), its interquartile range
(``q1``, ``q3``) and range (``min``, ``max``); the row's ``analysis`` and
``integer_items``; the effect's ``se``, ``adjusted``, ``contrast`` and
``method``. A reported number is two columns, as before: the printed text
and its parsed ``_num`` value. ``effect_ci_level_text`` keeps a CI level
printed as a string (``"95.02"``) exactly; ``effect_ci_level`` keeps its
value.

Only nullable columns are added, so every row is kept as it was: an absent
``analysis`` is ``crude``, an absent ``contrast`` is ``arms`` and an absent
``adjusted`` is false, which is what every earlier row meant.

The columns are listed here, not derived from the field table, so that
this revision stays what it was when later fields are added.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ARM_NUMBERS = ("se", "ci_low", "ci_high", "q1", "q3", "min", "max")


def _columns() -> list[sa.Column]:
    columns: list[sa.Column] = []
    for arm in ("intervention", "comparator"):
        for name in _ARM_NUMBERS:
            columns.append(sa.Column(f"{arm}_{name}", sa.String(), nullable=True))
            columns.append(sa.Column(f"{arm}_{name}_num", sa.Float(), nullable=True))
    columns += [
        sa.Column("analysis", sa.String(), nullable=True),
        sa.Column("integer_items", sa.String(), nullable=True),
        sa.Column("integer_items_num", sa.Float(), nullable=True),
        sa.Column("effect_se", sa.String(), nullable=True),
        sa.Column("effect_se_num", sa.Float(), nullable=True),
        sa.Column("effect_adjusted", sa.Boolean(), nullable=True),
        sa.Column("effect_contrast", sa.String(), nullable=True),
        sa.Column("effect_method", sa.String(), nullable=True),
        sa.Column("effect_ci_level_text", sa.String(), nullable=True),
    ]
    return columns


def upgrade() -> None:
    for column in _columns():
        op.add_column("endpoint_row", column)


def downgrade() -> None:
    with op.batch_alter_table("endpoint_row", schema=None) as batch_op:
        for column in reversed(_columns()):
            batch_op.drop_column(column.name)
