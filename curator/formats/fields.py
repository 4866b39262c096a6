"""The shape of a ``curator/1`` document, declared once.

Each object of the exchange format is a table of its keys and their kinds.
The reader (:mod:`curator.formats.exchange`) checks a document against these
tables and gives a message naming the JSON path, the field and the bad
value; :func:`json_schema` turns the same tables into the JSON Schema that
ships with the package for outside tools. One declaration, so the two can
never disagree.

The keys of a row (and its arm, effect and source objects) and of a
reference come from the field table, :mod:`curator.fields`; the kinds are
declared there too and re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from curator.fields import (
    NUMBER_PATTERN,
    PARTS,
    REFERENCE_FIELDS,
    ROW_FIELDS,
    Boolean,
    Choice,
    Identifier,
    Integer,
    Invalid,
    Kind,
    Nested,
    NestedList,
    Number,
    ReportedNumber,
    Text,
    TextList,
    Timestamp,
    part_fields,
    show,
)

__all__ = [
    "Invalid",
    "Kind",
    "OBJECTS",
    "json_schema",
    "show",
    "NUMBER_PATTERN",
    "Boolean",
    "Choice",
    "Identifier",
    "Integer",
    "Nested",
    "NestedList",
    "Number",
    "ReportedNumber",
    "Text",
    "TextList",
    "Timestamp",
]

FORMAT = "curator/1"


@dataclass(frozen=True)
class ObjectSpec:
    """The keys of one object of the format, in the contract's order."""

    name: str
    keys: tuple[Kind, ...]
    description: str = ""
    by_name: dict[str, Kind] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {k.name: k for k in self.keys})


def _row_keys() -> tuple[Kind, ...]:
    """A row's keys from the field table: nested objects once, where their first field is."""
    keys: list[Kind] = []
    for f in ROW_FIELDS:
        if f.part is None:
            keys.append(f.kind)
        elif f.part not in {k.name for k in keys}:
            keys.append(Nested(f.part, obj=PARTS[f.part]))
    return tuple(keys)


def _part_keys(obj: str) -> tuple[Kind, ...]:
    """The keys of a nested object (``arm``), from the first row key that holds one."""
    part = next(name for name, o in PARTS.items() if o == obj)
    return tuple(f.kind for f in part_fields(part))


OBJECTS: dict[str, ObjectSpec] = {
    spec.name: spec
    for spec in (
        ObjectSpec(
            "review",
            (
                Text("format", required=True, nullable=False),
                Text("title"),
                NestedList("references", obj="reference"),
                NestedList("comparisons", obj="comparison"),
                NestedList("accepted_findings", obj="accepted_finding"),
            ),
            "A review's whole content.",
        ),
        ObjectSpec("reference", tuple(f.kind for f in REFERENCE_FIELDS)),
        ObjectSpec(
            "comparison",
            (
                Text("key", required=True, nullable=False, nonempty=True),
                Text("title", required=True, nullable=False, nonempty=True),
                Text("intervention", required=True, nullable=False, nonempty=True),
                Text("comparator", required=True, nullable=False, nonempty=True),
                Text("note"),
                NestedList("rows", obj="row"),
            ),
        ),
        ObjectSpec("row", _row_keys()),
        *(ObjectSpec(obj, _part_keys(obj)) for obj in dict.fromkeys(PARTS.values())),
        ObjectSpec(
            "accepted_finding",
            (
                Text("rule", required=True, nullable=False, nonempty=True),
                Text("comparison"),
                Text("endpoint"),
                Integer("row"),
                Text("reference"),
                Text("field"),
                Text("reason", required=True, nullable=False, nonempty=True),
                Text("by"),
                Timestamp("at"),
                Text("fingerprint"),
            ),
        ),
    )
}
# Both arms are the same object of the contract.
assert tuple(f.kind for f in part_fields("comparator")) == OBJECTS["arm"].keys


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``curator/1``, from :data:`OBJECTS`.

    What a schema cannot say (duplicate JSON keys, unique reference and
    comparison keys, a row needing an arm or an effect, accepted findings
    that point at rows of the review) the reader checks on its own.
    """
    defs: dict[str, Any] = {}
    for spec in OBJECTS.values():
        props: dict[str, Any] = {}
        for kind in spec.keys:
            s = kind.schema()
            if kind.nullable and not kind.required:
                s = {"anyOf": [s, {"type": "null"}]}
            props[kind.name] = s
        obj: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "patternProperties": {"^x-": {}},
            "additionalProperties": False,
        }
        required = [k.name for k in spec.keys if k.required]
        if required:
            obj["required"] = required
        if spec.description:
            obj["description"] = spec.description
        defs[spec.name] = obj
    defs["review"]["properties"]["format"] = {"const": FORMAT}
    defs["row"]["anyOf"] = [
        {"required": [arm], "properties": {arm: {"type": "object"}}} for arm in ("intervention", "comparator", "effect")
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://curator.example/schema/curator-1.schema.json",
        "title": "Curator exchange file (curator/1)",
        "$ref": "#/$defs/review",
        "$defs": defs,
    }
