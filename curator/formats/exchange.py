"""Read and write the ``curator/1`` (and ``curator/1.1``) exchange file.

The reader refuses anything off-contract with a message naming the JSON
path, the field and the bad value, for example
``comparisons[0].rows[2].intervention.n: "forty" is not a whole number``;
it loads numbers that are merely wrong (a percent of 104.5, events above n),
since finding those is the job of ``curator check``. A document is read
with the shape its ``format`` names: a 1.1 key in a ``curator/1`` document
is an unknown key, as it always was. The writer writes the keys in the
contract's order, numbers as the printed text, a row's evidence in the
order of its fields, and omits absent fields; it writes ``curator/1``
unless the content uses something 1.1 added
(:func:`curator.formats.fields.uses_1_1`).

Documents are kept by name and hash; their files are not looked for here.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from curator.errors import InputError
from curator.fields import PART_CLASSES, PARTS, reference_field
from curator.files import atomic_write_text
from curator.formats.fields import (
    EVIDENCE_PATHS,
    FORMAT,
    FORMAT_1_1,
    FORMATS,
    OBJECTS,
    EvidenceMap,
    Invalid,
    Kind,
    Nested,
    NestedList,
    ObjectSpec,
    ReportedNumber,
    format_of,
    objects,
    show,
    uses_1_1,
)
from curator.memory import gc_paused
from curator.numbers import Reported
from curator.review import (
    AcceptedFinding,
    Comparison,
    Document,
    Evidence,
    Reference,
    Review,
    Row,
)

__all__ = [
    "FORMAT",
    "FORMAT_1_1",
    "uses_1_1",
    "NotExchange",
    "read_exchange",
    "loads_exchange",
    "dumps_exchange",
    "write_exchange",
    "to_json",
    "emit",
]

_DOI = reference_field("doi").kind


class NotExchange(InputError):
    """A file that is not a ``curator/1`` file at all (empty, not JSON text, or JSON of another kind),
    as opposed to a ``curator/1`` file with a bad value. ``is_json`` tells JSON of another kind apart."""

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None, is_json: bool) -> None:
        super().__init__(message, file=file, where=where)
        self.is_json = is_json


class _Object(dict[str, Any]):
    """A JSON object that remembers keys it saw twice."""

    duplicates: list[str]


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object; one that has a key twice is an :class:`_Object` naming it (rare: a plain dict,
    made in C, otherwise)."""
    plain = dict(pairs)
    if len(plain) == len(pairs):
        return plain
    obj = _Object()
    obj.duplicates = []
    for key, value in pairs:
        if key in obj:
            obj.duplicates.append(key)
        obj[key] = value
    return obj


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: How a key's value is read (:meth:`_Reader.plan`): a value of its kind, a reported number, an object,
#: a list of objects, a row's evidence.
_LEAF, _NUMBER, _NESTED, _LIST, _EVIDENCE = range(5)


def _mode(kind: Kind) -> int:
    if isinstance(kind, ReportedNumber):
        return _NUMBER
    if isinstance(kind, Nested):
        return _NESTED
    if isinstance(kind, NestedList):
        return _LIST
    if isinstance(kind, EvidenceMap):
        return _EVIDENCE
    return _LEAF


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Reader:
    def __init__(self, file: str | None) -> None:
        self.file = file
        self.format = FORMAT_1_1
        self.specs: dict[str, ObjectSpec] = OBJECTS
        #: The reported numbers' texts read so far and what they are, by whether they are whole.
        self.numbers: dict[bool, dict[str, Reported]] = {}
        #: Per object of the format: how each key is read, and the required keys (:meth:`plan`).
        self.plans: dict[str, tuple[dict[str, tuple[Any, int, Any, bool]], frozenset[str]]] = {}
        #: The sha256 of each document of the file, for its rows' evidence.
        self.documents: set[str] = set()

    def fail(self, where: str, message: str) -> InputError:
        return InputError(message, file=self.file, where=where or "(top level)")

    def not_exchange(self, where: str, message: str) -> NotExchange:
        return NotExchange(message, file=self.file, where=where or "(top level)", is_json=True)

    def object(self, raw: Any, spec_name: str, path: str) -> dict[str, Any]:
        """Check one object against its table; return its values, read."""
        how, required = self.plans.get(spec_name) or self.plan(spec_name)
        if not isinstance(raw, dict):
            raise self.fail(path, f"{show(raw)} is not an object")
        if type(raw) is _Object and raw.duplicates:
            raise self.fail(path, f"the key {show(raw.duplicates[0])} appears more than once")
        extensions: dict[str, Any] = {}
        out: dict[str, Any] = {"extensions": extensions}
        for key, value in raw.items():
            step = how.get(key)
            if step is None:
                if key.startswith("x-"):
                    extensions[key] = _plain(value)
                    continue
                raise self.unknown(spec_name, key, path)
            read, mode, obj, nullable = step
            if value is None:
                if not nullable:
                    raise self.fail(_at(path, key), f"null is not allowed; {key} is required")
            elif mode == _NUMBER and type(value) is str and value in obj:
                out[key] = obj[value]  # read before in this file (obj: the texts read so far, and what they are)
            elif mode <= _NUMBER:
                try:
                    out[key] = read(value)
                except Invalid as exc:
                    raise self.fail(_at(path, key), str(exc) + self.newer(spec_name, key, value)) from None
                if mode == _NUMBER and type(value) is str:
                    obj[value] = out[key]
            elif mode == _NESTED:
                out[key] = self.object(value, obj, _at(path, key))
            elif mode == _LIST:
                where = _at(path, key)
                if not isinstance(value, list):
                    raise self.fail(where, f"{show(value)} is not a list")
                out[key] = [self.object(item, obj, f"{where}[{i}]") for i, item in enumerate(value)]
            else:
                out[key] = self.evidence(value, obj, _at(path, key))
        if not required <= out.keys():
            missing = next(name for name in self.specs[spec_name].by_name if name in required and name not in out)
            raise self.fail(path, f"missing required field {show(missing)}")
        return out

    def plan(self, spec_name: str) -> tuple[dict[str, tuple[Any, int, Any, bool]], frozenset[str]]:
        """How each key of an object of the format read is read (its kind's ``read``, :func:`_mode`, the
        object it holds, whether it may be null), and its required keys (made once)."""
        keys = self.specs[spec_name].keys
        plan = self.plans[spec_name] = (
            {kind.name: (kind.read, _mode(kind), self.held(kind), kind.nullable) for kind in keys},
            frozenset(kind.name for kind in keys if kind.required),
        )
        return plan

    def held(self, kind: Kind) -> Any:
        """What :meth:`object` needs besides a key's kind: the object a nested key holds; for a reported
        number, the texts read so far (a review repeats its numbers: one is read once, and the same
        :class:`Reported` kept for each)."""
        if isinstance(kind, ReportedNumber):
            return self.numbers.setdefault(kind.whole, {})
        return getattr(kind, "obj", "")

    def unknown(self, spec_name: str, key: str, path: str) -> InputError:
        if self.format != FORMAT_1_1 and key in OBJECTS[spec_name].by_name:
            hint = f' (a field of {FORMAT_1_1}: give "format": "{FORMAT_1_1}" to use it)'
        else:
            guess = difflib.get_close_matches(key, list(self.specs[spec_name].by_name), n=1)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
        return self.fail(path, f"unknown field {show(key)}{hint}")

    def newer(self, spec_name: str, key: str, value: Any) -> str:
        """A hint for a value a ``curator/1`` document may not hold but 1.1 may (an ``IRR``)."""
        kind = OBJECTS[spec_name].by_name.get(key)
        if self.format == FORMAT_1_1 or kind is None:
            return ""
        try:
            kind.read(value)
        except Invalid:
            return ""
        return f' ({FORMAT_1_1} has it: give "format": "{FORMAT_1_1}" to use it)'

    def evidence(self, raw: Any, obj: str, where: str) -> dict[str, Any]:
        """A row's evidence: field path -> evidence object, each path a field of a row."""
        if not isinstance(raw, dict):
            raise self.fail(where, f"{show(raw)} is not an object of field paths")
        dups = getattr(raw, "duplicates", [])
        if dups:
            raise self.fail(where, f"the key {show(dups[0])} appears more than once")
        out = {}
        for key, value in raw.items():
            if key not in _EVIDENCE_PATHS:
                guess = difflib.get_close_matches(key, EVIDENCE_PATHS, n=1)
                hint = f' (did you mean "{guess[0]}"?)' if guess else ""
                raise self.fail(where, f"{show(key)} is not a field of a row{hint}: evidence about it would dangle")
            out[key] = self.object(value, obj, f"{where}[{show(key)}]")
        return out

    def review(self, doc: Any) -> Review:
        if not isinstance(doc, dict):
            raise self.not_exchange("", f"the file holds {_json_type(doc)}, not a curator/1 object")
        if "format" not in doc:
            raise self.not_exchange(
                "", 'missing required field "format" (a curator/1 file starts with "format": "curator/1")'
            )
        if doc["format"] not in FORMATS:
            raise self.not_exchange(
                "format", f"{show(doc['format'])} is not supported; this Curator reads {' and '.join(FORMATS)}"
            )
        self.format = doc["format"]
        self.specs = objects(self.format)
        self.plans = {}
        top = self.object(doc, "review", "")
        references = [self.reference(r) for r in top.get("references", [])]
        self.unique((r.key for r in references), "references")
        documents = [Document(**d) for d in top.get("documents", [])]
        self.unique((d.sha256 for d in documents), "documents", "sha256")
        self.documents = {d.sha256 for d in documents}
        comparisons = [self.comparison(c, f"comparisons[{i}]") for i, c in enumerate(top.get("comparisons", []))]
        self.unique((c.key for c in comparisons), "comparisons")
        review = Review(
            title=top.get("title"),
            references=references,
            comparisons=comparisons,
            documents=documents,
            extensions=top["extensions"],
        )
        review.accepted_findings = [
            self.accepted(a, f"accepted_findings[{i}]", review) for i, a in enumerate(top.get("accepted_findings", []))
        ]
        return review

    def unique(self, keys: Iterable[str], what: str, name: str = "key") -> None:
        seen: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key in seen:
                raise self.fail(f"{what}[{i}].{name}", f"{show(key)} is already the {name} of {what}[{seen[key]}]")
            seen[key] = i

    def reference(self, v: dict[str, Any]) -> Reference:
        # v holds the fields of the table that are set (read and checked), and the extensions.
        values = dict(v)
        if values.get("doi") is not None:
            values["doi"] = _DOI.from_text(values["doi"])  # without its https://doi.org/
        return Reference(**values)

    def comparison(self, v: dict[str, Any], path: str) -> Comparison:
        return Comparison(
            key=v["key"],
            title=v["title"],
            intervention=v["intervention"],
            comparator=v["comparator"],
            note=v.get("note"),
            rows=[self.row(r, f"{path}.rows[{i}]") for i, r in enumerate(v.get("rows", []))],
            extensions=v["extensions"],
        )

    def row(self, v: dict[str, Any], path: str) -> Row:
        if not any(k in v for k in ("intervention", "comparator", "effect")):
            raise self.fail(path, 'a row needs at least one of "intervention", "comparator" and "effect"')
        # v holds the fields of the table that are set (read and checked), and the extensions;
        # an absent field takes the dataclass's default (no citations, status draft).
        values = dict(v)
        for part, obj in PARTS.items():
            if part in values:
                values[part] = PART_CLASSES[obj](**values[part])
        if "evidence" in values:
            values["evidence"] = {
                key: self.evidence_entry(entry, f"{path}.evidence[{show(key)}]")
                for key, entry in values["evidence"].items()
            }
        return Row(**values)

    def evidence_entry(self, v: dict[str, Any], path: str) -> Evidence:
        # Evidence must point at a document of this file, or it would dangle.
        if v["document"] not in self.documents:
            raise self.fail(f"{path}.document", f"{show(v['document'])} is not the sha256 of a document of this file")
        return Evidence(**v)

    def accepted(self, v: dict[str, Any], path: str, review: Review) -> AcceptedFinding:
        finding = AcceptedFinding(**v)
        # An acceptance must point at something of this review, or it would
        # silently never apply: a dangling one is refused.
        if finding.comparison is not None:
            comparison = next((c for c in review.comparisons if c.key == finding.comparison), None)
            if comparison is None:
                raise self.fail(
                    f"{path}.comparison", f"{show(finding.comparison)} is not the key of a comparison of this file"
                )
            if finding.row is not None:
                if not 0 <= finding.row < len(comparison.rows):
                    raise self.fail(
                        f"{path}.row",
                        f"{finding.row} is not a row of comparison {show(comparison.key)} "
                        f"(it has {len(comparison.rows)})",
                    )
                endpoint = comparison.rows[finding.row].endpoint
                if finding.endpoint is not None and _fold(finding.endpoint) != _fold(endpoint):
                    raise self.fail(
                        f"{path}.endpoint",
                        f"{show(finding.endpoint)} does not match row {finding.row} of "
                        f"{show(comparison.key)}, which is {show(endpoint)}",
                    )
        elif finding.row is not None:
            raise self.fail(f"{path}.row", "a row needs its comparison")
        if finding.reference is not None and not any(r.key == finding.reference for r in review.references):
            raise self.fail(
                f"{path}.reference", f"{show(finding.reference)} is not the key of a reference of this file"
            )
        return finding


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _plain(value: Any) -> Any:
    """Extension values as plain dicts (not the duplicate-tracking kind)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return "a number"


def loads_exchange(text: str, *, file: str | None = None) -> Review:
    """Read a ``curator/1`` document from its text."""
    with gc_paused():
        return _loads(text, file)


def _loads(text: str, file: str | None) -> Review:
    reader = _Reader(file)
    if not text.strip():
        raise NotExchange("the file is empty; a curator/1 file is a JSON object", file=file, is_json=False)
    try:
        doc = json.loads(text, object_pairs_hook=_pairs, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise NotExchange(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=file, is_json=False
        ) from None
    except ValueError as exc:  # NaN, Infinity
        raise NotExchange(f"not valid JSON: {exc}", file=file, is_json=False) from None
    except RecursionError:
        raise NotExchange("not valid JSON: nested too deeply", file=file, is_json=False) from None
    try:
        return reader.review(doc)
    except RecursionError:  # JSON's own limit (about 1,000 levels) leaves too little room for reading it
        raise InputError("nested too deeply: no curator/1 file needs more than a few levels", file=file) from None


def read_exchange(path: str | Path) -> Review:
    """Read a ``curator/1`` file; errors name the file and the JSON path."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", file=str(path)) from None
    except PermissionError:
        raise InputError("cannot be read (permission denied)", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotExchange(f"not a UTF-8 text file (byte {exc.start})", file=str(path), is_json=False) from None
    return loads_exchange(text, file=str(path))


# -- writing ---------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, Reported):
        return value.text
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


_KEYS: dict[str, tuple[Kind, ...]] = {name: spec.keys for name, spec in OBJECTS.items()}
_EVIDENCE_PATHS = frozenset(EVIDENCE_PATHS)
_EVIDENCE_ORDER = {path: i for i, path in enumerate(EVIDENCE_PATHS)}


def emit(obj: Any, spec_name: str) -> dict[str, Any]:
    """One object's keys in the contract's order; absent fields omitted (a
    row's evidence in the order of its fields)."""
    out: dict[str, Any] = {}
    for kind in _KEYS[spec_name]:
        value = getattr(obj, kind.name, None)
        if value is None or (value == [] or value == {}) and not kind.required:
            continue
        if isinstance(kind, Nested):
            out[kind.name] = emit(value, kind.obj)
        elif isinstance(kind, NestedList):
            out[kind.name] = [emit(item, kind.obj) for item in value]
        elif isinstance(kind, EvidenceMap):
            out[kind.name] = {
                path: emit(value[path], kind.obj) for path in sorted(value, key=lambda p: _EVIDENCE_ORDER.get(p, -1))
            }
        else:
            out[kind.name] = _value(value)
    out.update(obj.extensions)
    return out


def to_json(review: Review) -> dict[str, Any]:
    """The review as an exchange-file JSON object: ``curator/1`` when it uses
    nothing format 1.1 added, ``curator/1.1`` otherwise."""
    out: dict[str, Any] = {"format": FORMAT}
    out.update(emit(review, "review"))
    out["format"] = format_of(review)
    return out


def dumps_exchange(review: Review) -> str:
    return json.dumps(to_json(review), ensure_ascii=False, indent=2) + "\n"


def write_exchange(review: Review, path: str | Path) -> None:
    """Write the review to ``path`` atomically (a crash leaves no half file)."""
    atomic_write_text(Path(path), dumps_exchange(review))
