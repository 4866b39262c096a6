"""The database tables of one review.

One database file holds one review. Every reported number is two columns:
the text as printed (``intervention_value``: ``"42.60"``) and its parsed
value (``intervention_value_num``: 42.6) for sorting and queries; the text
is the authority. Arms, effect and source are columns of the row (a row has
at most one of each), with a ``has_*`` flag that tells an empty arm from an
absent one. Citations are ordered and hold the reference *key*, so that a
citation of a key no reference has can be stored (and found by the checks).

The audit log records every change: who, when, table, row id, field, old
and new value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, SQLModel
from sqlmodel.sql.sqltypes import AutoString

from curator import fields

__all__ = [
    "ReviewMeta",
    "ReferenceRecord",
    "ComparisonRecord",
    "RowRecord",
    "Citation",
    "AcceptedFindingRecord",
    "DocumentRecord",
    "EvidenceRecord",
    "DocumentBlob",
    "AuditEntry",
    "FieldVerification",
    "AdjudicationItem",
    "metadata",
    "table_of",
]

# Stable constraint names, so that migrations can refer to them (Alembic's
# batch mode on SQLite needs names to drop or alter a constraint).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def table_of(model: type[SQLModel]) -> Table:
    """The SQLAlchemy table of a model class (``RowRecord`` -> ``endpoint_row``).

    SQLModel sets ``__table__`` on each ``table=True`` class but does not
    declare it, so this is the one typed way to reach a table.
    """
    found = getattr(model, "__table__", None)
    if not isinstance(found, Table):
        raise TypeError(f"{model.__name__} is not a table model")
    return found


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False, default=dict))


class ReviewMeta(SQLModel, table=True):
    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    title: str | None = None
    #: A few lines about the review (File > Properties); database-only: ``curator/1`` has no such key.
    description: str | None = None
    extensions: dict[str, Any] = _json()


class ReferenceRecord(SQLModel, table=True):
    __tablename__ = "reference"

    id: int | None = Field(default=None, primary_key=True)
    position: int = Field(index=True)
    key: str = Field(unique=True)
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    # The other fields' columns come from the field table (see _declare_fields below).
    extensions: dict[str, Any] = _json()


class ComparisonRecord(SQLModel, table=True):
    __tablename__ = "comparison"

    id: int | None = Field(default=None, primary_key=True)
    position: int = Field(index=True)
    key: str = Field(unique=True)
    title: str
    intervention: str
    comparator: str
    note: str | None = None
    extensions: dict[str, Any] = _json()


class RowRecord(SQLModel, table=True):
    """One endpoint row of a comparison, with both arms and the effect."""

    __tablename__ = "endpoint_row"
    __table_args__ = (Index("ix_endpoint_row_comparison_position", "comparison_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    comparison_id: int = Field(
        sa_column=Column(Integer, ForeignKey("comparison.id", ondelete="CASCADE"), nullable=False)
    )
    position: int
    endpoint: str
    has_intervention: bool = False
    has_comparator: bool = False
    has_effect: bool = False
    has_source: bool = False
    status: str = Field(default="draft", index=True)
    # The other fields' columns (a reported number's text and its ``_num``
    # value) come from the field table (see _declare_fields below).
    #: True when ``status`` and ``verified_by`` are what a file said (an import,
    #: a restored row, a database from before revision 0005), not what field
    #: verifications made in this review give: a claim, never counted as
    #: verified here (see :mod:`curator.store.verified_here`).
    status_claimed: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, default=False, server_default=false())
    )
    #: A CI level printed as a string (``"95.02"``, format 1.1) as printed;
    #: its value is in ``effect_ci_level`` (a column from the field table).
    effect_ci_level_text: str | None = None
    #: The row's own ``x-`` keys.
    extensions: dict[str, Any] = _json()
    #: ``x-`` keys of the row's parts: ``{"intervention": {...}, "effect": {...}}``.
    part_extensions: dict[str, Any] = _json()


class Citation(SQLModel, table=True):
    """A row citing a reference, in the order the row lists them."""

    __tablename__ = "citation"
    __table_args__ = (UniqueConstraint("row_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    row_id: int = Field(sa_column=Column(Integer, ForeignKey("endpoint_row.id", ondelete="CASCADE"), nullable=False))
    position: int
    reference_key: str = Field(index=True)


class DocumentRecord(SQLModel, table=True):
    """A source document of the review (format 1.1), identified by the SHA-256
    of its bytes; its bytes, when the review has them, are a :class:`DocumentBlob`."""

    __tablename__ = "document"

    id: int | None = Field(default=None, primary_key=True)
    position: int
    sha256: str = Field(unique=True)
    file: str
    #: The key of the reference it is the full text of (not a foreign key:
    #: like a citation, it may name a key no reference has).
    reference: str | None = None
    media_type: str | None = None
    pages: int | None = None
    extensions: dict[str, Any] = _json()


class DocumentBlob(SQLModel, table=True):
    """The bytes of a source document, once per SHA-256 (schema 0009)."""

    __tablename__ = "document_blob"

    sha256: str = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class EvidenceRecord(SQLModel, table=True):
    """Where one field of a row was read (format 1.1): a page of a document of
    the review, the characters as they stand there and their boxes. One per
    row and field; deleting the row deletes it; a document with evidence
    pointing at it cannot be deleted."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("row_id", "field"),)

    id: int | None = Field(default=None, primary_key=True)
    row_id: int = Field(sa_column=Column(Integer, ForeignKey("endpoint_row.id", ondelete="CASCADE"), nullable=False))
    #: The dotted field path (``intervention.value``).
    field: str
    document: str = Field(sa_column=Column(AutoString, ForeignKey("document.sha256"), nullable=False, index=True))
    page: int
    text: str | None = None
    #: ``[[x0, y0, x1, y1], ...]`` in PDF points from the page's top-left corner.
    boxes: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False, default=list))
    extensions: dict[str, Any] = _json()


class AcceptedFindingRecord(SQLModel, table=True):
    """A finding of the checks that a reviewer looked at and accepted."""

    __tablename__ = "accepted_finding"

    id: int | None = Field(default=None, primary_key=True)
    position: int
    rule: str
    comparison: str | None = None
    endpoint: str | None = None
    row: int | None = None
    reference: str | None = None
    field: str | None = None
    reason: str
    by: str | None = None
    at: str | None = None
    fingerprint: str | None = None
    extensions: dict[str, Any] = _json()


class AuditEntry(SQLModel, table=True):
    """One change to the review. Rows of this table are only ever added."""

    __tablename__ = "audit_log"
    #: A row's history (the History panel, who entered it) is read by table and row id.
    __table_args__ = (Index("ix_audit_log_table_row", "table_name", "row_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False, index=True))
    who: str
    action: str  # insert, update, delete
    table_name: str  # by ix_audit_log_table_row, whose first column it is
    row_id: int | None = None
    field: str | None = None
    old: str | None = None
    new: str | None = None
    #: The chain (see :mod:`curator.store.audit`): the hash of the entry before, and this entry's own.
    prev_hash: str | None = None
    hash: str | None = None


class FieldVerification(SQLModel, table=True):
    """One field of a row as a second reviewer judged it.

    ``state`` is ``verified`` (the value was checked against the source),
    ``disputed`` (the verifier thinks it wrong; ``comment`` says why) or
    ``changed`` (it was verified or disputed, then its value changed: it
    needs verifying again). ``value`` is the printed text the judgement was
    about. A field with no record is unverified. Deleting the row deletes
    its records.
    """

    __tablename__ = "field_verification"
    __table_args__ = (UniqueConstraint("row_id", "field"),)

    id: int | None = Field(default=None, primary_key=True)
    row_id: int = Field(sa_column=Column(Integer, ForeignKey("endpoint_row.id", ondelete="CASCADE"), nullable=False))
    field: str
    state: str
    value: str | None = None
    by: str
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    comment: str | None = None


class AdjudicationItem(SQLModel, table=True):
    """A field on which two reviewers disagree, and (once decided) the decision.

    ``value_a`` is the review's value when the item was opened, ``value_b``
    the other reviewer's (from blind double entry or a merged file). The
    decision is ``choice`` (``a``, ``b`` or ``new``), the ``final`` value,
    the ``reason``, who decided and when; an item without ``decided_at`` is
    open. Deleting the row deletes its items.
    """

    __tablename__ = "adjudication_item"

    id: int | None = Field(default=None, primary_key=True)
    row_id: int = Field(
        sa_column=Column(Integer, ForeignKey("endpoint_row.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    field: str
    value_a: str | None = None
    value_b: str | None = None
    who_a: str | None = None
    who_b: str | None = None
    origin: str  # double-entry, merge
    opened_by: str
    opened_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    choice: str | None = None  # a, b, new
    final: str | None = None
    reason: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


def _install_rules() -> None:
    from curator.store.triggers import install

    install(table_of(AuditEntry))


_install_rules()


def _column_type(kind: fields.Kind) -> Any:
    """The SQL type of a field's column, as SQLModel would declare it."""
    if isinstance(kind, fields.Boolean):
        return Boolean()
    if isinstance(kind, fields.Integer):
        return Integer()
    if isinstance(kind, fields.Number):
        return Float()
    if isinstance(kind, fields.TextList):
        return JSON()
    return AutoString()


def _declare_fields(table: Table, entries: tuple[fields.Field, ...]) -> None:
    """Add the column of each field the model does not declare itself (those
    with a constraint: a key, a required endpoint, an index), and a reported
    number's ``_num`` column: adding a field to :mod:`curator.fields` adds its
    column here, and a migration adds it to existing files."""
    for entry in entries:
        if entry.column is not None and entry.column not in table.c:
            table.append_column(Column(entry.column, _column_type(entry.kind), nullable=True))
        if entry.number_column is not None and entry.number_column not in table.c:
            table.append_column(Column(entry.number_column, Float(), nullable=True))


_declare_fields(table_of(RowRecord), fields.row_fields())
_declare_fields(table_of(ReferenceRecord), fields.reference_fields())
