"""The shape of a ``curator/1`` document, declared once.

Each object of the exchange format is a table of its keys and their kinds.
The reader (:mod:`curator.formats.exchange`) checks a document against these
tables and gives a message naming the JSON path, the field and the bad
value; :func:`json_schema` turns the same tables into the JSON Schema that
ships with the package for outside tools. One declaration, so the two can
never disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from curator.numbers import NotANumber, reported_from_json
from curator.review import DIRECTIONS, EFFECT_MEASURES, FAVOURS, MEASURES, STATUSES

__all__ = ["Invalid", "Kind", "OBJECTS", "json_schema", "show"]

FORMAT = "curator/1"

#: Printed-number syntax for the schema (the reader's own parser is
#: :func:`curator.numbers.parse_reported`; a test keeps the two in step).
NUMBER_PATTERN = r"^\s*(<=|>=|=<|=>|[<>≤≥=])?\s*[+\-−–﹣－]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+\-−–﹣－]?[0-9]+)?\s*$"


class Invalid(ValueError):
    """A value that does not fit its field; the message names the value."""


def show(value: Any) -> str:
    """A JSON value as it would appear in the file, shortened if long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Kind:
    """What one key may hold: how to read it, and its JSON Schema."""

    name: str
    required: bool = False
    nullable: bool = True

    def read(self, raw: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Kind):
    nonempty: bool = False

    def read(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise Invalid(f"{show(raw)} is not a string")
        if self.nonempty and not raw.strip():
            raise Invalid(f"{show(raw)} is empty; {self.name} is required")
        return raw

    def schema(self) -> dict[str, Any]:
        s: dict[str, Any] = {"type": "string"}
        if self.nonempty:
            s["pattern"] = r"\S"
        return s


@dataclass(frozen=True)
class Integer(Kind):
    def read(self, raw: Any) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            raise Invalid(f"{show(raw)} is not a whole number")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "integer"}


@dataclass(frozen=True)
class Number(Kind):
    def read(self, raw: Any) -> int | float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise Invalid(f"{show(raw)} is not a number")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "number"}


@dataclass(frozen=True)
class Boolean(Kind):
    def read(self, raw: Any) -> bool:
        if not isinstance(raw, bool):
            raise Invalid(f"{show(raw)} is not true, false or null")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple[str, ...] = ()

    def read(self, raw: Any) -> str:
        if raw not in self.values or not isinstance(raw, str):
            raise Invalid(f"{show(raw)} is not one of {', '.join(self.values)}")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}


@dataclass(frozen=True)
class TextList(Kind):
    def read(self, raw: Any) -> list[str]:
        if not isinstance(raw, list):
            raise Invalid(f"{show(raw)} is not a list of strings")
        for i, item in enumerate(raw):
            if not isinstance(item, str):
                raise Invalid(f"item {i}, {show(item)}, is not a string")
        return list(raw)

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string"}}


@dataclass(frozen=True)
class ReportedNumber(Kind):
    """A number as printed: a string, or a JSON number."""

    whole: bool = False

    def read(self, raw: Any) -> Any:
        kind = "a whole number" if self.whole else "a number"
        try:
            return reported_from_json(raw, whole=self.whole)
        except NotANumber as exc:
            raise Invalid(str(exc)) from None
        except TypeError:
            raise Invalid(f"{show(raw)} is not {kind}") from None

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "string", "pattern": NUMBER_PATTERN},
                {"type": "number"},
            ]
        }


@dataclass(frozen=True)
class Identifier(Kind):
    """A string identifier that scripts sometimes write as a JSON number."""

    def read(self, raw: Any) -> str:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return str(raw)
        if not isinstance(raw, str):
            raise Invalid(f"{show(raw)} is not a string")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "integer"]}


@dataclass(frozen=True)
class Timestamp(Kind):
    """An ISO 8601 date-time string."""

    def read(self, raw: Any) -> str:
        from datetime import datetime

        if not isinstance(raw, str):
            raise Invalid(f"{show(raw)} is not a string")
        try:
            datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise Invalid(f"{show(raw)} is not an ISO 8601 date and time") from None
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "string"}


@dataclass(frozen=True)
class Nested(Kind):
    """An object of another of the tables in :data:`OBJECTS`."""

    obj: str = ""

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.obj}"}


@dataclass(frozen=True)
class NestedList(Kind):
    obj: str = ""

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": f"#/$defs/{self.obj}"}}


@dataclass(frozen=True)
class ObjectSpec:
    """The keys of one object of the format, in the contract's order."""

    name: str
    keys: tuple[Kind, ...]
    description: str = ""
    by_name: dict[str, Kind] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {k.name: k for k in self.keys})


_REPORTED = ReportedNumber
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
        ObjectSpec(
            "reference",
            (
                Text("key", required=True, nullable=False, nonempty=True),
                Text("title"),
                TextList("authors"),
                Text("journal"),
                Text("volume"),
                Text("issue"),
                Text("pages"),
                Integer("year"),
                Identifier("pmid"),
                Text("pmcid"),
                Text("doi"),
                Text("url"),
                Text("note"),
            ),
        ),
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
        ObjectSpec(
            "row",
            (
                Text("endpoint", required=True, nullable=False, nonempty=True),
                Choice("measure", values=MEASURES),
                Text("unit"),
                Boolean("higher_is_better"),
                Nested("intervention", obj="arm"),
                Nested("comparator", obj="arm"),
                Nested("effect", obj="effect"),
                Text("finding"),
                Choice("favours", values=FAVOURS),
                Text("duration"),
                Text("population"),
                TextList("citations"),
                Nested("source", obj="source"),
                Choice("status", values=STATUSES),
                Text("extracted_by"),
                Text("verified_by"),
                Text("note"),
            ),
        ),
        ObjectSpec(
            "arm",
            (
                _REPORTED("value"),
                Text("text"),
                _REPORTED("n", whole=True),
                _REPORTED("events", whole=True),
                _REPORTED("sd"),
            ),
        ),
        ObjectSpec(
            "effect",
            (
                Choice("measure", values=EFFECT_MEASURES),
                _REPORTED("value"),
                _REPORTED("ci_low"),
                _REPORTED("ci_high"),
                Number("ci_level"),
                _REPORTED("p"),
                Choice("direction", values=DIRECTIONS),
                Text("versus"),
            ),
        ),
        ObjectSpec("source", (Text("location"), Text("quote"))),
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
