"""The fields of a row and of a reference, declared once.

Each field of an endpoint row (the nested arm, effect and source fields by
their dotted ``curator/1`` path: ``intervention.value``, ``effect.ci_low``,
``source.quote``) and each field of a reference is one :class:`Field` of
:data:`ROW_FIELDS` or :data:`REFERENCE_FIELDS`, in the contract's order. A
field says what it holds (its :class:`Kind`: how typed text or a
spreadsheet cell becomes its value and back, how the exchange reader reads
it from JSON with its messages, and its JSON Schema), whether a second
reviewer verifies it, whether it is about the work rather than the paper
(``status``, ``extracted_by``, ``verified_by``, ``note``), whether a
reference merge fills it, its label for people, the comparison-table column
that shows it and its database column.

Everything else is derived from these two tables: the exchange reader and
the JSON Schema (:mod:`curator.formats.fields`), the flat Data table
(:mod:`curator.formats.flat`), the compared fields (:mod:`curator.compare`),
the verifiable and workflow fields, the reference merge, the comparison
table's columns and the database read and write plans. Adding a field means
adding it here (and to the dataclass of :mod:`curator.review`, and a
migration); ``tests/test_fields.py`` holds the three together.

This module is core: it imports neither Qt nor the store.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from curator.numbers import NotANumber, Reported, parse_reported, reported_from_json
from curator.review import (
    ANALYSES,
    CONTRASTS,
    DIRECTIONS,
    EFFECT_MEASURES,
    FAVOURS,
    MEASURES,
    STATUSES,
    Arm,
    Effect,
    Reference,
    Row,
    Source,
)

__all__ = [
    "first_difference",
    "Invalid",
    "Kind",
    "Text",
    "Integer",
    "Number",
    "Level",
    "Boolean",
    "Choice",
    "TextList",
    "ReportedNumber",
    "Identifier",
    "Timestamp",
    "Doi",
    "Nested",
    "NestedList",
    "Cell",
    "Field",
    "PARTS",
    "PART_CLASSES",
    "ROW_FIELDS",
    "REFERENCE_FIELDS",
    "row_field",
    "reference_field",
    "row_fields",
    "part_fields",
    "reference_fields",
    "verifiable_fields",
    "workflow_fields",
    "merged_fields",
    "table_columns",
    "parse",
    "format",
    "texts",
    "shown",
    "reference_texts",
    "value_at",
    "encode_list",
    "decode_list",
    "show",
]

#: Printed-number syntax for the schema (the reader's own parser is
#: :func:`curator.numbers.parse_reported`; a test keeps the two in step).
_SIGN = r"[+\-−–﹣－]"
_RELATION = r"(<=|>=|=<|=>|[<>≤≥=])?"
_EXPONENT = rf"([eE]{_SIGN}?[0-9]+)?"
NUMBER_PATTERN = rf"^\s*([Nn][Rr]|{_RELATION}\s*{_SIGN}?\s*([0-9]+([.][0-9]*|[·∙][0-9]+)?|[.][0-9]+){_EXPONENT})\s*$"
#: A reported integer also takes digits grouped in threes (``3,145``, ``10 096``).
WHOLE_NUMBER_PATTERN = (
    rf"^\s*([Nn][Rr]|{_RELATION}\s*{_SIGN}?\s*"
    rf"([0-9]{{1,3}}([, \u00a0\u2009\u202f][0-9]{{3}})+|([0-9]+([.][0-9]*|[·∙][0-9]+)?|[.][0-9]+){_EXPONENT}))\s*$"
)

#: What a spreadsheet cell holds: text, a boolean, or nothing.
Cell = str | bool | None


class Invalid(ValueError):
    """A value that does not fit its field; the message names the value."""


def shown(text: str | None) -> str:
    """A typed value in a message: quoted, or ``(empty)``."""
    return repr(text) if text else "(empty)"


def show(value: Any) -> str:
    """A JSON value as it would appear in the file, shortened if long."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


# -- lists in one cell --------------------------------------------------------


def encode_list(items: Sequence[str]) -> str | None:
    """A list of strings as one cell.

    Items joined by ``"; "`` (``9; 10``) when that is unambiguous: no item
    is empty, has a ``;``, or starts or ends with white space, and the
    first does not start with ``[``. Otherwise a JSON array
    (``["a;b", "c"]``). An empty list is an empty cell.
    """
    if not items:
        return None
    plain = all(item and item == item.strip() and ";" not in item for item in items) and not items[0].startswith("[")
    if plain:
        return "; ".join(items)
    return json.dumps(list(items), ensure_ascii=False)


def decode_list(text: str) -> list[str]:
    """The inverse of :func:`encode_list`; raises ``ValueError`` with a message.

    A cell starting with ``[`` is a JSON array of strings; otherwise the
    items are separated by ``;`` and stripped of white space, empty items
    dropped.
    """
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: brackets nested thousands deep
            raise ValueError(f"{show(text)} starts with [ but is not a JSON list of strings") from None
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ValueError(f"{show(text)} starts with [ but is not a JSON list of strings")
        return items
    return [part.strip() for part in text.split(";") if part.strip()]


# -- kinds --------------------------------------------------------------------

_TRUE = {"true": True, "false": False}
_INTEGER = re.compile(r"^\s*[+-]?[0-9]+\s*$")
_FLOAT = re.compile(r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$")
_DOI_PREFIX = re.compile(r"^\s*https?://(dx\.)?doi\.org/", re.IGNORECASE)

#: Reported numbers by their text: Reported is immutable, so one parse per
#: distinct text serves every cell. Reported integers apart
#: (:data:`WHOLE_CACHE`): ``3,145`` is one there, and refused here.
REPORTED_CACHE: dict[str, Reported] = {}
WHOLE_CACHE: dict[str, Reported] = {}


def _reported(text: str, whole: bool) -> Reported:
    cache = WHOLE_CACHE if whole else REPORTED_CACHE
    hit = cache.get(text)
    if hit is None:
        hit = parse_reported(text, whole=whole)
        if len(cache) < 200_000:
            cache[text] = hit
    return hit


@dataclass(frozen=True)
class Kind:
    """What one key may hold: how to read it from JSON and from a cell (or
    typed text), how to write it to a cell, and its JSON Schema."""

    name: str
    required: bool = False
    nullable: bool = True

    def read(self, raw: Any) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_cell(self, value: Any) -> Cell:
        """The value as a cell (its printed text); None when absent or empty text."""
        if value is None:
            return None
        if isinstance(value, Reported):
            return value.text
        if isinstance(value, str) and not value.strip():
            return None  # an empty text is an empty cell
        return str(value)

    def from_cell(self, cell: str | bool) -> Any:
        """A non-empty cell's value; raises ``ValueError`` with a message."""
        return self.from_text("TRUE" if cell else "FALSE") if isinstance(cell, bool) else self.from_text(cell)

    def from_text(self, text: str) -> Any:
        return text


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
class Doi(Text):
    """A DOI; typed or in a cell, a leading ``https://doi.org/`` is dropped."""

    def from_text(self, text: str) -> str:
        return _DOI_PREFIX.sub("", text)


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

    def to_cell(self, value: Any) -> Cell:
        if value is None:
            return None
        return str(int(value)) if isinstance(value, float) and value.is_integer() else repr(value)

    def from_text(self, text: str) -> int:
        if not _INTEGER.match(text):
            raise ValueError(f"{show(text)} is not a whole number")
        return int(text)


@dataclass(frozen=True)
class Number(Kind):
    def read(self, raw: Any) -> int | float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise Invalid(f"{show(raw)} is not a number")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "number"}

    def to_cell(self, value: Any) -> Cell:
        if value is None:
            return None
        return str(int(value)) if isinstance(value, float) and value.is_integer() else repr(value)

    def from_text(self, text: str) -> int | float:
        if not _FLOAT.match(text):
            raise ValueError(f"{show(text)} is not a number")
        return int(text) if _INTEGER.match(text) else float(text)


@dataclass(frozen=True)
class Level(Number):
    """A CI level: a JSON number, or (1.1) a printed string such as
    ``"95.02"``, read as a reported number and taken exactly as printed.

    Typed text (and a spreadsheet cell) that is a whole number (``95``) is
    that number, as before; any other printed number (``95.02``, ``95.0``,
    ``NR``) is kept as printed, so that a printed level survives a workbook
    or a form. (A level given as a fractional JSON number, ``95.5``, comes
    back from a cell as the printed ``"95.5"``: the same value.)"""

    def read(self, raw: Any) -> int | float | Reported:  # type: ignore[override]
        if isinstance(raw, str):
            try:
                return reported_from_json(raw)
            except NotANumber as exc:
                raise Invalid(str(exc)) from None
        return super().read(raw)

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [{"type": "number"}, {"type": "string", "pattern": NUMBER_PATTERN}]}

    def to_cell(self, value: Any) -> Cell:
        if isinstance(value, Reported):
            return value.text
        return super().to_cell(value)

    def from_text(self, text: str) -> int | Reported:  # type: ignore[override]
        if _INTEGER.match(text):
            return int(text)
        try:
            return _reported(text, False)
        except NotANumber:
            raise ValueError(f"{show(text)} is not a number") from None


@dataclass(frozen=True)
class Boolean(Kind):
    def read(self, raw: Any) -> bool:
        if not isinstance(raw, bool):
            raise Invalid(f"{show(raw)} is not true, false or null")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def to_cell(self, value: Any) -> Cell:
        return None if value is None else bool(value)

    def from_cell(self, cell: str | bool) -> bool:
        if isinstance(cell, bool):
            return cell
        return self.from_text(cell)

    def options(self) -> list[tuple[str, str]]:
        """(what people read, the stored text): yes and no, kept as TRUE and FALSE."""
        return [("yes", "TRUE"), ("no", "FALSE")]

    def from_text(self, text: str) -> bool:
        found = _TRUE.get(text.strip().casefold())
        if found is None:
            raise ValueError(f"{show(text)} is not TRUE or FALSE")
        return found


@dataclass(frozen=True)
class Choice(Kind):
    values: tuple[str, ...] = ()
    #: How people read each value, in the order of ``values`` (empty: the values themselves).
    #: Only what the window shows: files, cells and typed text keep the values.
    words: tuple[str, ...] = ()

    def options(self) -> list[tuple[str, str]]:
        """(what people read, the stored value) for each value, as a drop-down lists them."""
        return [(self.words[i] if i < len(self.words) else value, value) for i, value in enumerate(self.values)]

    def read(self, raw: Any) -> str:
        if raw not in self.values or not isinstance(raw, str):
            raise Invalid(f"{show(raw)} is not one of {', '.join(self.values)}")
        return raw

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.values)}

    def from_text(self, text: str) -> str:
        if text.strip() not in self.values:
            raise ValueError(f"{show(text)} is not one of {', '.join(self.values)}")
        return text.strip()


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

    def to_cell(self, value: Any) -> Cell:
        return None if value is None else encode_list(value)

    def from_text(self, text: str) -> list[str]:
        return decode_list(text)


@dataclass(frozen=True)
class ReportedNumber(Kind):
    """A number as printed: a string, or a JSON number."""

    whole: bool = False

    def read(self, raw: Any) -> Any:
        try:
            return reported_from_json(raw, whole=self.whole)
        except NotANumber as exc:
            raise Invalid(str(exc)) from None
        except TypeError:
            raise Invalid(f"{show(raw)} is not {'a whole number' if self.whole else 'a number'}") from None

    def schema(self) -> dict[str, Any]:
        return {
            "oneOf": [
                {"type": "string", "pattern": WHOLE_NUMBER_PATTERN if self.whole else NUMBER_PATTERN},
                {"type": "number"},
            ]
        }

    def from_text(self, text: str) -> Reported:
        return _reported(text, self.whole)


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
    """An object of another of the tables in :data:`curator.formats.fields.OBJECTS`."""

    obj: str = ""

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/$defs/{self.obj}"}


@dataclass(frozen=True)
class NestedList(Kind):
    obj: str = ""

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {"$ref": f"#/$defs/{self.obj}"}}


# -- the fields ---------------------------------------------------------------

_STORED = "="  # "the database column is the path, dots as underscores"


@dataclass(frozen=True)
class Field:
    """One field of a row or of a reference.

    ``path`` is the dotted ``curator/1`` name (``intervention.n``); ``kind``
    what it holds (its ``name`` is the path's last part). ``verifiable``: a
    second reviewer verifies it; ``workflow``: it is about the work, not the
    paper, so changing it keeps a verification; ``merged``: a reference
    merge fills it when empty. ``label`` names it for people;
    ``table_column`` is the heading of the comparison-table column that
    shows it and ``edits`` marks the field a cell of that column edits.
    ``column`` is its database column (None when stored elsewhere, as
    citations are); a reported number also has ``<column>_num``.
    ``absent`` is what an absent value means (``effect.ci_level`` is 95).
    """

    path: str
    kind: Kind
    label: str
    verifiable: bool = False
    workflow: bool = False
    merged: bool = False
    table_column: str | None = None
    edits: bool = False
    column: str | None = _STORED
    absent: Any = None

    def __post_init__(self) -> None:
        assert self.kind.name == self.name, (self.path, self.kind.name)
        if self.column == _STORED:
            object.__setattr__(self, "column", self.path.replace(".", "_"))

    @property
    def name(self) -> str:
        """The key in its own object (``n`` of ``intervention.n``)."""
        return self.path.rpartition(".")[2]

    @property
    def part(self) -> str | None:
        """The nested object that holds it (``intervention``), None for a top-level field."""
        head, dot, _tail = self.path.partition(".")
        return head if dot else None

    @property
    def top(self) -> str:
        """The top-level key (``intervention`` for ``intervention.n``)."""
        return self.path.partition(".")[0]

    @property
    def reported(self) -> bool:
        """A reported number: stored as its printed text and ``<column>_num``."""
        return isinstance(self.kind, ReportedNumber)

    @property
    def number_column(self) -> str | None:
        """The column of a reported number's parsed value, None for other fields."""
        return f"{self.column}_num" if self.reported and self.column else None

    def parse(self, text: str) -> Any:
        """The value of what was typed: None when empty; ``ValueError`` with the
        reason (``"forty" is not a whole number``) when it does not fit."""
        if not text.strip():
            if self.kind.required:
                raise ValueError(f"{self.label} is required")
            return None
        return self.kind.from_text(text)

    def format(self, value: Any) -> str:
        """The value as a reviewer types it (``""`` when empty): the text
        :meth:`parse` reads back to the same value."""
        cell = self.kind.to_cell(value)
        if cell is None:
            return ""
        if isinstance(cell, bool):
            return "TRUE" if cell else "FALSE"
        return cell


#: The nested objects of a row: key -> object name in the contract.
PARTS: Final[dict[str, str]] = {"intervention": "arm", "comparator": "arm", "effect": "effect", "source": "source"}
#: The class of each nested object of a row.
PART_CLASSES: Final[dict[str, type[Arm | Effect | Source]]] = {"arm": Arm, "effect": Effect, "source": Source}

_ENDPOINT = "Endpoint"
_STATUS = "Status"


def _content(path: str, kind: Kind, label: str, table_column: str | None, **more: Any) -> Field:
    return Field(path, kind, label, verifiable=True, table_column=table_column, **more)


def _work(path: str, kind: Kind, label: str) -> Field:
    return Field(path, kind, label, workflow=True, table_column=_STATUS, edits=path == "status")


def _arm(part: str) -> tuple[Field, ...]:
    title, column = part.capitalize(), f"{{{part}}}"
    return (
        _content(f"{part}.value", ReportedNumber("value"), f"{title} value", column, edits=True),
        _content(f"{part}.text", Text("text"), f"{title} text", column),
        _content(f"{part}.n", ReportedNumber("n", whole=True), f"{title} n", column),
        _content(f"{part}.events", ReportedNumber("events", whole=True), f"{title} events", column),
        _content(f"{part}.sd", ReportedNumber("sd"), f"{title} SD", column),
        # 1.1
        _content(f"{part}.se", ReportedNumber("se"), f"{title} SE", column),
        _content(f"{part}.ci_low", ReportedNumber("ci_low"), f"{title} CI low", column),
        _content(f"{part}.ci_high", ReportedNumber("ci_high"), f"{title} CI high", column),
        _content(f"{part}.q1", ReportedNumber("q1"), f"{title} Q1", column),
        _content(f"{part}.q3", ReportedNumber("q3"), f"{title} Q3", column),
        _content(f"{part}.min", ReportedNumber("min"), f"{title} min", column),
        _content(f"{part}.max", ReportedNumber("max"), f"{title} max", column),
    )


#: Every field of an endpoint row, nested ones by dotted path, in the contract's order.
#: People's words for the effect's direction and contrast (the stored values are the format's names).
_DIRECTION_WORDS: Final = ("intervention vs comparator", "comparator vs intervention")
_CONTRAST_WORDS: Final = ("the arms", "change from baseline", "other")

ROW_FIELDS: Final[tuple[Field, ...]] = (
    _content(
        "endpoint", Text("endpoint", required=True, nullable=False, nonempty=True), "Endpoint", _ENDPOINT, edits=True
    ),
    _content("measure", Choice("measure", values=MEASURES), "Measure", _ENDPOINT),
    _content(
        "analysis",
        Choice("analysis", values=ANALYSES, words=("crude", "adjusted", "Kaplan–Meier")),
        "Analysis",
        _ENDPOINT,
        absent=ANALYSES[0],
    ),
    _content("unit", Text("unit"), "Unit", _ENDPOINT),
    _content("integer_items", ReportedNumber("integer_items", whole=True), "Integer items", _ENDPOINT),
    _content("higher_is_better", Boolean("higher_is_better"), "Higher is better", _ENDPOINT),
    *_arm("intervention"),
    *_arm("comparator"),
    _content("effect.measure", Choice("measure", values=EFFECT_MEASURES), "Effect measure", "Effect"),
    _content("effect.value", ReportedNumber("value"), "Effect value", "Effect", edits=True),
    _content("effect.ci_low", ReportedNumber("ci_low"), "CI low", "Effect"),
    _content("effect.ci_high", ReportedNumber("ci_high"), "CI high", "Effect"),
    _content("effect.ci_level", Level("ci_level"), "CI level", "Effect", absent=95),
    _content("effect.p", ReportedNumber("p"), "p", "Effect"),
    _content(
        "effect.direction",
        Choice("direction", values=DIRECTIONS, words=_DIRECTION_WORDS),
        "Direction",
        "Effect",
        absent=DIRECTIONS[0],
    ),
    _content("effect.versus", Text("versus"), "Versus", "Effect"),
    # 1.1
    _content("effect.se", ReportedNumber("se"), "Effect SE", "Effect"),
    _content("effect.adjusted", Boolean("adjusted"), "Adjusted", "Effect", absent=False),
    _content(
        "effect.contrast",
        Choice("contrast", values=CONTRASTS, words=_CONTRAST_WORDS),
        "Contrast",
        "Effect",
        absent=CONTRASTS[0],
    ),
    _content("effect.method", Text("method"), "Method", "Effect"),
    _content("finding", Text("finding"), "Finding", "Finding", edits=True),
    _content("favours", Choice("favours", values=FAVOURS), "Favours", "Finding"),
    _content("duration", Text("duration"), "Duration", "Duration", edits=True),
    _content("population", Text("population"), "Population", "Population", edits=True),
    _content("citations", TextList("citations"), "Citations", "Citation", edits=True, column=None),
    _content("source.location", Text("location"), "Source location", _STATUS),
    _content("source.quote", Text("quote"), "Source quote", _STATUS),
    _work("status", Choice("status", values=STATUSES), "Status"),
    _work("extracted_by", Text("extracted_by"), "Extracted by"),
    _work("verified_by", Text("verified_by"), "Verified by"),
    _work("note", Text("note"), "Note"),
)


def _merged(path: str, kind: Kind, label: str) -> Field:
    return Field(path, kind, label, merged=True)


#: Every field of a reference, in the contract's order.
REFERENCE_FIELDS: Final[tuple[Field, ...]] = (
    Field("key", Text("key", required=True, nullable=False, nonempty=True), "Key"),
    _merged("title", Text("title"), "Title"),
    _merged("authors", TextList("authors"), "Authors"),
    _merged("journal", Text("journal"), "Journal"),
    _merged("volume", Text("volume"), "Volume"),
    _merged("issue", Text("issue"), "Issue"),
    _merged("pages", Text("pages"), "Pages"),
    _merged("year", Integer("year"), "Year"),
    _merged("pmid", Identifier("pmid"), "PMID"),
    _merged("pmcid", Text("pmcid"), "PMCID"),
    _merged("doi", Doi("doi"), "DOI"),
    _merged("url", Text("url"), "URL"),
    _merged("note", Text("note"), "Note"),
)

_BY_PATH: Final[dict[str, Field]] = {f.path: f for f in ROW_FIELDS}
_REFERENCE_BY_PATH: Final[dict[str, Field]] = {f.path: f for f in REFERENCE_FIELDS}


def row_field(path: str) -> Field:
    """The row field at a dotted path; ``KeyError`` when a row has none."""
    return _BY_PATH[path]


def reference_field(path: str) -> Field:
    """The reference field of that name; ``KeyError`` when a reference has none."""
    return _REFERENCE_BY_PATH[path]


def row_fields() -> tuple[Field, ...]:
    """Every field of a row, in the contract's order."""
    return ROW_FIELDS


def part_fields(part: str | None) -> tuple[Field, ...]:
    """The fields of one nested object of a row (``"effect"``), or with
    ``None`` the row's own (top-level) fields."""
    return tuple(f for f in ROW_FIELDS if f.part == part)


def reference_fields() -> tuple[Field, ...]:
    return REFERENCE_FIELDS


def verifiable_fields() -> tuple[str, ...]:
    """The paths a second reviewer verifies, in order: the row's content."""
    return tuple(f.path for f in ROW_FIELDS if f.verifiable)


def workflow_fields() -> frozenset[str]:
    """The paths about the work, not the paper: changing one keeps a verification."""
    return frozenset(f.path for f in ROW_FIELDS if f.workflow)


def merged_fields() -> tuple[str, ...]:
    """The reference fields a merge fills (all but the key)."""
    return tuple(f.path for f in REFERENCE_FIELDS if f.merged)


def table_columns() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """The comparison table's columns in order: (heading, the top-level keys
    it shows, the field a cell of it edits)."""
    keys: dict[str, list[str]] = {}
    edits: dict[str, str] = {}
    for f in ROW_FIELDS:
        if f.table_column is None:
            continue
        shown = keys.setdefault(f.table_column, [])
        if f.top not in shown:
            shown.append(f.top)
        if f.edits:
            edits[f.table_column] = f.path
    return tuple((heading, tuple(shown), edits[heading]) for heading, shown in keys.items())


def _lookup(path: str, of: str) -> Field:
    table = _BY_PATH if of == "row" else _REFERENCE_BY_PATH
    found = table.get(path)
    if found is None:
        raise ValueError(f"{show(path)} is not a field of a {of}")
    return found


def parse(path: str, text: str, of: str = "row") -> Any:
    """The value of field ``path`` of a row (or, with ``of="reference"``, of a
    reference) from typed text, by the same path as a spreadsheet cell:
    None when empty; ``ValueError`` with the reason when it does not fit."""
    return _lookup(path, of).parse(text)


def format(path: str, value: Any, of: str = "row") -> str:
    """The value of field ``path`` as a reviewer types it (``""`` when empty)."""
    return _lookup(path, of).format(value)


def value_at(row: Row, path: str | Sequence[str]) -> Any:
    """A row's value at a field path (``"intervention.n"`` or its parts), None when absent."""
    value: Any = row
    for part in path.split(".") if isinstance(path, str) else path:
        value = getattr(value, part, None)
        if value is None:
            break
    return value


_SPLIT: Final = tuple((f, tuple(f.path.split("."))) for f in ROW_FIELDS)


def first_difference(now: Mapping[str, str], was: Mapping[str, str]) -> str | None:
    """The first field whose text in ``now`` is not the one in ``was`` (absent: empty), or None: what a
    compare-and-set of a whole row or reference names when it refuses."""
    return next((name for name in now if now[name] != was.get(name, "")), None)


def reference_texts(ref: Reference) -> dict[str, str]:
    """Each field of a reference as a reviewer types it (``""`` when empty), by name."""
    return {f.path: f.format(getattr(ref, f.path)) for f in reference_fields()}


def texts(row: Row) -> dict[str, str]:
    """Each field of a row as a reviewer types it (``""`` when empty), by
    path: the text :func:`parse` reads back to the same value."""
    return {f.path: f.format(value_at(row, parts)) for f, parts in _SPLIT}
