"""The field table holds the review's dataclasses and the database to each other.

Adding a field to a row or a reference touches :mod:`curator.fields`, the
dataclass of :mod:`curator.review` and a migration; these tests fail when
the three disagree (a field without an entry, an entry without a field, a
database column missing or of the wrong type).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, Float, Integer, String, Table, inspect
from sqlalchemy.types import TypeDecorator, TypeEngine

from curator import fields
from curator.compare import ROW_FIELDS as COMPARED
from curator.formats.display import TABLE_COLUMNS, TABLE_EDIT_FIELDS
from curator.numbers import parse_reported
from curator.references.plan import MERGED_FIELDS
from curator.review import Arm, Effect, Reference, Row, Source
from curator.store.database import open_database
from curator.store.edits import WORKFLOW_FIELDS
from curator.store.field_states import VERIFIABLE_FIELDS
from curator.store.models import ReferenceRecord, RowRecord, table_of
from curator.store.references import REFERENCE_FIELDS

_CLASSES = {"arm": Arm, "effect": Effect, "source": Source}
#: Columns that are about storage, not a field: ids, order, extensions.
_BOOKKEEPING = {
    # status_claimed: whether the row's status is an imported file's claim (not a field of the format)
    "endpoint_row": {"id", "comparison_id", "position", "extensions", "part_extensions", "status_claimed"}
    # effect_ci_level_text: a CI level printed as a string (1.1), beside its value in effect_ci_level
    | {"effect_ci_level_text"},
    "reference": {"id", "position", "extensions"},
}


#: What a row holds besides its fields: where its values were read (1.1),
#: a structure of its own, not a field.
_STRUCTURE = {"extensions", "evidence"}


def _names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.name not in _STRUCTURE]


# -- the dataclasses and the table ----------------------------------------------


def test_every_row_field_has_one_entry_in_the_contract_order() -> None:
    tops = list(dict.fromkeys(f.top for f in fields.ROW_FIELDS))
    assert _names(Row) == tops
    for part, obj in fields.PARTS.items():
        assert _names(_CLASSES[obj]) == [f.name for f in fields.part_fields(part)], part
    assert [f.path for f in fields.part_fields(None)] == [n for n in _names(Row) if n not in fields.PARTS]


def test_every_reference_field_has_one_entry_in_the_contract_order() -> None:
    assert _names(Reference) == [f.path for f in fields.REFERENCE_FIELDS]


def test_paths_are_unique_and_each_kind_is_named_as_its_key() -> None:
    for table in (fields.ROW_FIELDS, fields.REFERENCE_FIELDS):
        paths = [f.path for f in table]
        assert len(paths) == len(set(paths))
        for f in table:
            assert f.kind.name == f.name


def test_labels_are_for_people() -> None:
    for table in (fields.ROW_FIELDS, fields.REFERENCE_FIELDS):
        labels = [f.label for f in table]
        assert len(labels) == len(set(labels))
        assert all(label and "." not in label and "_" not in label for label in labels)
    assert fields.row_field("intervention.n").label == "Intervention n"
    assert fields.row_field("effect.ci_low").label == "CI low"


def test_a_row_field_is_either_verified_or_about_the_work() -> None:
    for f in fields.ROW_FIELDS:
        assert f.verifiable != f.workflow, f.path
        assert not f.merged
    for f in fields.REFERENCE_FIELDS:
        assert not f.verifiable and not f.workflow and f.table_column is None


# -- the table and the database -------------------------------------------------


def _sql_kind(sql_type: TypeEngine[Any]) -> str:
    if isinstance(sql_type, TypeDecorator):
        sql_type = sql_type.impl_instance
    for cls, name in ((Boolean, "bool"), (Integer, "int"), (Float, "float"), (JSON, "json"), (String, "text")):
        if isinstance(sql_type, cls):
            return name
    raise AssertionError(f"unexpected column type {sql_type!r}")


def _expected(kind: fields.Kind) -> str:
    if isinstance(kind, fields.Boolean):
        return "bool"
    if isinstance(kind, fields.Integer):
        return "int"
    if isinstance(kind, fields.Number):
        return "float"
    if isinstance(kind, fields.TextList):
        return "json"
    return "text"  # Text, Choice, Identifier, a reported number's printed text


def _check_columns(columns: dict[str, str], table_name: str, table: tuple[fields.Field, ...]) -> None:
    """Each entry's column exists with a compatible type; every other column is bookkeeping."""
    covered = set(_BOOKKEEPING[table_name])
    for f in table:
        if f.column is None:
            assert f.path == "citations"  # a row's citations are rows of the citation table
            continue
        assert columns.get(f.column) == _expected(f.kind), (table_name, f.path, f.column)
        covered.add(f.column)
        if f.number_column is not None:
            assert columns.get(f.number_column) == "float", (table_name, f.number_column)
            covered.add(f.number_column)
    if table_name == "endpoint_row":
        for part in fields.PARTS:
            assert columns.get(f"has_{part}") == "bool"
            covered.add(f"has_{part}")
    assert set(columns) == covered, set(columns) ^ covered


def _model_columns(table: Table) -> dict[str, str]:
    return {c.name: _sql_kind(c.type) for c in table.columns}


def test_every_entry_has_its_column_in_the_models_and_every_column_an_entry() -> None:
    _check_columns(_model_columns(table_of(RowRecord)), "endpoint_row", fields.ROW_FIELDS)
    _check_columns(_model_columns(table_of(ReferenceRecord)), "reference", fields.REFERENCE_FIELDS)


def test_the_migrated_database_has_the_columns_of_the_table(tmp_path: Path) -> None:
    with open_database(tmp_path / "r.sqlite") as db:
        inspector = inspect(db.engine)
        for name, table in (("endpoint_row", fields.ROW_FIELDS), ("reference", fields.REFERENCE_FIELDS)):
            columns = {c["name"]: _sql_kind(c["type"]) for c in inspector.get_columns(name)}
            _check_columns(columns, name, table)


def test_top_level_and_reference_columns_are_named_as_their_fields() -> None:
    # The repository builds rows and references by these names.
    for f in (*fields.part_fields(None), *fields.REFERENCE_FIELDS):
        assert f.column in (f.path, None)


# -- what is derived from the table, unchanged -------------------------------------


def _in_order(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Every item of ``part`` is in ``whole``, in the same order (others may come between)."""
    rest = iter(whole)
    return all(item in rest for item in part)


def test_derived_lists_hold_the_ones_that_were_kept_by_hand() -> None:
    """The lists of format 1.0, as they were written by hand, are still there in
    their order (a later format's fields may come between)."""
    arm = ("value", "text", "n", "events", "sd")
    effect = ("measure", "value", "ci_low", "ci_high", "ci_level", "p", "direction", "versus")
    content = (
        "measure", "unit", "higher_is_better",
        *(f"intervention.{a}" for a in arm), *(f"comparator.{a}" for a in arm), *(f"effect.{e}" for e in effect),
        "finding", "favours", "duration", "population", "citations", "source.location", "source.quote",
    )  # fmt: skip
    compared = tuple(name for name, _get, _kind in COMPARED)
    assert _in_order(content, compared)
    assert VERIFIABLE_FIELDS == ("endpoint", *compared)
    assert {"status", "extracted_by", "verified_by", "note"} <= WORKFLOW_FIELDS
    assert not WORKFLOW_FIELDS & set(VERIFIABLE_FIELDS)
    merged = ("title", "authors", "journal", "volume", "issue", "pages", "year", "pmid", "pmcid", "doi", "url", "note")
    assert _in_order(merged, MERGED_FIELDS)
    assert REFERENCE_FIELDS == ("key", *MERGED_FIELDS)
    shown = {heading: set(keys) for heading, keys in TABLE_COLUMNS}
    headings = ["Endpoint", "{intervention}", "{comparator}", "Effect", "Finding", "Duration", "Population", "Citation"]
    assert _in_order([*headings, "Status"], list(shown))
    assert {"endpoint", "measure", "unit", "higher_is_better"} <= shown["Endpoint"]
    assert {"finding", "favours"} <= shown["Finding"]
    assert {"status", "extracted_by", "verified_by", "source", "note"} <= shown["Status"]
    edits = dict(zip(shown, TABLE_EDIT_FIELDS, strict=True))
    assert [edits[h] for h in [*headings, "Status"]] == [
        "endpoint", "intervention.value", "comparator.value", "effect.value",
        "finding", "duration", "population", "citations", "status",
    ]  # fmt: skip


# -- parsing and formatting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "value"),
    [
        ("intervention.n", " 40 ", parse_reported(" 40 ", whole=True)),
        ("effect.p", "<0.001", None),
        ("higher_is_better", "true", True),
        ("citations", "7; 9", ["7", "9"]),
        ("effect.ci_level", "90", 90),
        ("measure", " percent ", "percent"),
        ("unit", "", None),
    ],
)
def test_parse_and_format_round_trip(path: str, text: str, value: Any) -> None:
    parsed = fields.parse(path, text)
    if value is not None or not text:
        assert parsed == value
    again = fields.parse(path, fields.format(path, parsed))
    assert again == parsed


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("intervention.n", "forty", "forty"),
        ("endpoint", "  ", "Endpoint is required"),
        ("effect.measure", "ratio", "is not one of RR, OR"),
        ("nope", "1", '"nope" is not a field of a row'),
    ],
)
def test_parse_refuses_with_the_reason(path: str, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fields.parse(path, text)


def test_reference_fields_parse_as_a_references_cell() -> None:
    assert fields.parse("doi", "https://doi.org/10.1/x", of="reference") == "10.1/x"
    assert fields.parse("authors", "A; B", of="reference") == ["A", "B"]
    assert fields.parse("year", "2004", of="reference") == 2004
    with pytest.raises(ValueError, match="is not a field of a reference"):
        fields.parse("endpoint", "x", of="reference")
