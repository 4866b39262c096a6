"""The shape of a ``curator/1`` and ``curator/1.1`` document, declared once.

Each object of the exchange format is a table of its keys and their kinds.
The reader (:mod:`curator.formats.exchange`) checks a document against these
tables and gives a message naming the JSON path, the field and the bad
value; :func:`json_schema` turns the same tables into the JSON Schema that
ships with the package for outside tools. One declaration, so the two can
never disagree.

The keys of a row (and its arm, effect and source objects) and of a
reference come from the field table, :mod:`curator.fields`; the kinds are
declared there too and re-exported here.

Format ``curator/1.1`` added keys and values (exchange-format.md, "Version
1.1"): :data:`ADDED_IN_1_1` and :data:`KINDS_1_0` say which, once.
:data:`OBJECTS` is the 1.1 shape; :func:`objects` gives the shape a
document's ``format`` names, so a 1.1 key in a ``curator/1`` document is an
unknown key, as it always was; :func:`uses_1_1` tells the writer which
``format`` to write (``curator/1`` whenever it can, so older readers keep
working).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

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
from curator.numbers import Reported
from curator.review import EFFECT_MEASURES

__all__ = [
    "Invalid",
    "Kind",
    "OBJECTS",
    "FORMAT",
    "FORMAT_1_1",
    "FORMATS",
    "ADDED_IN_1_1",
    "KINDS_1_0",
    "objects",
    "uses_1_1",
    "format_of",
    "Sha256",
    "Page",
    "Boxes",
    "EvidenceMap",
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
FORMAT_1_1 = "curator/1.1"
#: Every ``format`` this Curator reads, oldest first.
FORMATS: Final = (FORMAT, FORMAT_1_1)

_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True)
class Sha256(Text):
    """A hex SHA-256 (64 hex digits), read in lower case (as ``hashlib`` writes it)."""

    def read(self, raw: Any) -> str:
        text = super().read(raw)
        if not _SHA256.match(text):
            raise Invalid(f"{show(raw)} is not a SHA-256 (64 hex digits)")
        return text.lower()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": _SHA256.pattern}


@dataclass(frozen=True)
class Page(Integer):
    """A page number: a whole number from 1."""

    def read(self, raw: Any) -> int:
        page = super().read(raw)
        if page < 1:
            raise Invalid(f"{show(raw)} is not a page number (1 or more)")
        return page

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": 1}


@dataclass(frozen=True)
class Boxes(Kind):
    """Boxes on a page, each ``[x0, y0, x1, y1]`` in PDF points; numbers kept as written."""

    def read(self, raw: Any) -> list[list[int | float]]:
        if not isinstance(raw, list):
            raise Invalid(f"{show(raw)} is not a list of boxes [x0, y0, x1, y1]")
        for i, box in enumerate(raw):
            if (
                not isinstance(box, list)
                or len(box) != 4
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box)
            ):
                raise Invalid(f"box {i}, {show(box)}, is not four numbers [x0, y0, x1, y1]")
        return [list(box) for box in raw]

    def schema(self) -> dict[str, Any]:
        box = {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}
        return {"type": "array", "items": box}


#: The dotted field paths of a row that evidence may be about.
EVIDENCE_PATHS: Final = tuple(f.path for f in ROW_FIELDS)


@dataclass(frozen=True)
class EvidenceMap(Kind):
    """A row's ``evidence``: dotted field path -> evidence object (the reader
    reads it key by key, refusing a path a row does not have)."""

    obj: str = "evidence"

    def schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "propertyNames": {"enum": list(EVIDENCE_PATHS)},
            "additionalProperties": {"$ref": f"#/$defs/{self.obj}"},
        }


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
    keys.append(EvidenceMap("evidence"))
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
                NestedList("documents", obj="document"),
                NestedList("comparisons", obj="comparison"),
                NestedList("accepted_findings", obj="accepted_finding"),
            ),
            "A review's whole content.",
        ),
        ObjectSpec("reference", tuple(f.kind for f in REFERENCE_FIELDS)),
        ObjectSpec(
            "document",
            (
                Sha256("sha256", required=True, nullable=False),
                Text("file", required=True, nullable=False, nonempty=True),
                Text("reference"),
                Text("media_type"),
                Integer("pages"),
            ),
            "A source document of the review, by name and hash (its bytes are not in the file).",
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
        ObjectSpec("row", _row_keys()),
        *(ObjectSpec(obj, _part_keys(obj)) for obj in dict.fromkeys(PARTS.values())),
        ObjectSpec(
            "evidence",
            (
                Sha256("document", required=True, nullable=False),
                Page("page", required=True, nullable=False),
                Text("text"),
                Boxes("boxes"),
            ),
            "Where one value of a row was read: a page of a document of this review.",
        ),
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


#: What format 1.1 added to each object, by key (exchange-format.md, "Version 1.1"
#: and its "Source documents and evidence"). A document that says ``curator/1``
#: may not use them: they are unknown keys there, as they always were.
ADDED_IN_1_1: Final[dict[str, frozenset[str]]] = {
    "review": frozenset({"documents"}),
    "row": frozenset({"analysis", "integer_items", "evidence"}),
    "arm": frozenset({"se", "ci_low", "ci_high", "q1", "q3", "min", "max"}),
    "effect": frozenset({"se", "adjusted", "contrast", "method"}),
}
#: Keys whose values 1.1 widened, as they were in 1.0: a value the 1.0 kind
#: refuses (an ``IRR``, a ``ci_level`` printed as a string) is a 1.1 value.
KINDS_1_0: Final[dict[tuple[str, str], Kind]] = {
    ("effect", "measure"): Choice("measure", values=tuple(m for m in EFFECT_MEASURES if m != "IRR")),
    ("effect", "ci_level"): Number("ci_level"),
}
# Objects that only 1.1 has.
_ONLY_1_1: Final = frozenset({"document", "evidence"})


def _objects_1_0() -> dict[str, ObjectSpec]:
    out = {}
    for name, spec in OBJECTS.items():
        if name in _ONLY_1_1:
            continue
        added = ADDED_IN_1_1.get(name, frozenset())
        keys = tuple(KINDS_1_0.get((name, k.name), k) for k in spec.keys if k.name not in added)
        out[name] = ObjectSpec(name, keys, spec.description)
    return out


_BY_FORMAT: Final[dict[str, dict[str, ObjectSpec]]] = {FORMAT: _objects_1_0(), FORMAT_1_1: OBJECTS}


def objects(format: str) -> dict[str, ObjectSpec]:
    """The objects of a document that says ``"format": format`` (one of :data:`FORMATS`)."""
    return _BY_FORMAT[format]


def _json_value(value: Any) -> Any:
    if isinstance(value, Reported):
        return value.text
    return value


def _fits_1_0(kind: Kind, value: Any) -> bool:
    try:
        kind.read(_json_value(value))
    except Invalid:
        return False
    return True


def _may_use_1_1(name: str) -> bool:
    """Whether an object of this name (or one nested in it) can hold anything 1.1 added."""
    spec = OBJECTS[name]
    return (
        name in _ONLY_1_1
        or bool(ADDED_IN_1_1.get(name))
        or any(obj == name for obj, _key in KINDS_1_0)
        or any(isinstance(k, (Nested, NestedList)) and _may_use_1_1(k.obj) for k in spec.keys)
    )


#: Per object, only the keys that can tell 1.1 content (a 1.1 addition, a key
#: 1.1 widened, an object that can hold one): (key, kind, a 1.1 addition, its 1.0 kind).
_PLAN: Final[dict[str, tuple[tuple[str, Kind, bool, Kind | None], ...]]] = {
    name: tuple(
        (k.name, k, k.name in ADDED_IN_1_1.get(name, ()) or name in _ONLY_1_1, KINDS_1_0.get((name, k.name)))
        for k in spec.keys
        if k.name in ADDED_IN_1_1.get(name, ())
        or (name, k.name) in KINDS_1_0
        or (isinstance(k, (Nested, NestedList)) and _may_use_1_1(k.obj))
    )
    for name, spec in OBJECTS.items()
}


def _uses(obj: Any, spec_name: str) -> bool:
    for name, kind, added, old in _PLAN[spec_name]:
        value = getattr(obj, name, None)
        if value is None or (isinstance(value, (list, dict)) and not value):
            continue
        if added or (old is not None and not _fits_1_0(old, value)):
            return True
        if isinstance(kind, Nested) and _uses(value, kind.obj):
            return True
        if isinstance(kind, NestedList) and any(_uses(item, kind.obj) for item in value):
            return True
    return False


def uses_1_1(review: Any) -> bool:
    """True when the review uses anything format 1.1 added (a key of
    :data:`ADDED_IN_1_1`, a value the 1.0 kinds of :data:`KINDS_1_0` refuse),
    so that it must be written as ``curator/1.1``."""
    return _uses(review, "review")


def format_of(review: Any) -> str:
    """The ``format`` a writer writes for the review: ``curator/1`` when it can."""
    return FORMAT_1_1 if uses_1_1(review) else FORMAT


def schema_file(format: str = FORMAT) -> str:
    """The file name of the shipped JSON Schema of ``format`` (in ``curator.formats``)."""
    return f"{format.replace('/', '-')}.schema.json"


def json_schema(format: str = FORMAT) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``format`` (``curator/1`` or
    ``curator/1.1``), from :data:`OBJECTS` and what 1.1 added. One schema
    per format, each accepting only its own ``format`` value, so that the
    schema refuses a 1.1 key in a ``curator/1`` document as the reader does.

    What a schema cannot say (duplicate JSON keys, unique reference,
    comparison and document keys, a row needing an arm or an effect,
    accepted findings and evidence that point at things of the review) the
    reader checks on its own.
    """
    defs: dict[str, Any] = {}
    for spec in objects(format).values():
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
    defs["review"]["properties"]["format"] = {"const": format}
    defs["row"]["anyOf"] = [
        {"required": [arm], "properties": {arm: {"type": "object"}}} for arm in ("intervention", "comparator", "effect")
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://curator.example/schema/{schema_file(format)}",
        "title": f"Curator exchange file ({format})",
        "$ref": "#/$defs/review",
        "$defs": defs,
    }
