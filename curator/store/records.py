"""A row of :mod:`curator.review` and its columns of ``endpoint_row``, both ways, planned once from the
field table (:mod:`curator.fields`).

Writing: :func:`column_values` gives one field's columns (an edit); :func:`row_to_record` and the
:class:`_RecordPlan` all of a row's (an import writes each row as one tuple of them). Reading:
:class:`_RowPlan` builds a :class:`~curator.review.Row` from the columns fetched as a tuple (loading
is the hot path of checks and exports). :func:`row_snapshot` is what the audit log keeps of a row
inserted or deleted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import is_not, itemgetter
from typing import Any

from curator import fields
from curator.fields import Number
from curator.numbers import Reported, parse_reported
from curator.review import Evidence, Row

__all__ = [
    "column_values",
    "level_text_column",
    "row_to_record",
    "record_to_row",
    "row_snapshot",
]

#: How a stored value becomes the field's value again.
_PLAIN, _REPORTED, _WHOLE, _NUMBER, _BOOLEAN, _LEVEL = range(6)


def _how(field: fields.Field) -> int:
    kind = field.kind
    if isinstance(kind, fields.ReportedNumber):
        return _WHOLE if kind.whole else _REPORTED
    if isinstance(kind, fields.Level):
        return _LEVEL
    if isinstance(kind, Number):
        return _NUMBER
    if isinstance(kind, fields.Boolean):
        return _BOOLEAN
    return _PLAIN


def level_text_column(field: fields.Field) -> str | None:
    """The column that keeps a CI level printed as a string exactly (``effect_ci_level_text``), or None."""
    return f"{field.column}_text" if isinstance(field.kind, fields.Level) else None


def column_values(field: fields.Field, value: Any) -> dict[str, Any]:
    """The columns of ``endpoint_row`` that hold ``value`` of ``field``: a
    reported number's text and its parsed value (None for ``NR``), a CI
    level's value and, when it was printed as a string (1.1), its text."""
    column = field.column
    assert column is not None  # every row field but citations is a column of endpoint_row
    if field.number_column is not None:
        if value is None:
            return {column: None, field.number_column: None}
        return {column: value.text, field.number_column: None if value.not_reported else float(value.value)}
    text_column = level_text_column(field)
    if text_column is not None:
        if isinstance(value, Reported):
            return {column: None if value.not_reported else float(value.value), text_column: value.text}
        return {column: value, text_column: None}
    return {column: value}


#: The row's own fields (not its parts' nor citations), from the field table.
_ROW_OWN = tuple(f for f in fields.part_fields(None) if f.column is not None)
_ROW_TEXT_FIELDS = tuple(f.column for f in _ROW_OWN if f.column is not None)

#: A field as stored: (name, field, how its value is read back).
_Stored = tuple[str, fields.Field, int]

#: Each part of a row (an arm, the effect, the source): its class and how its fields are stored.
_PARTS: dict[str, tuple[type, tuple[_Stored, ...]]] = {
    part: (fields.PART_CLASSES[obj], tuple((f.name, f, _how(f)) for f in fields.part_fields(part)))
    for part, obj in fields.PARTS.items()
}


@lru_cache(maxsize=1 << 16)
def _parse(text: str) -> Reported:
    return parse_reported(text)


@lru_cache(maxsize=1 << 14)
def _parse_whole(text: str) -> Reported:
    return parse_reported(text, whole=True)


# -- rows <-> records --------------------------------------------------------


#: How a field's value fills its columns (:func:`column_values`, made once per field for
#: :class:`_RecordPlan`): one column as it is; a reported number's text and parsed value; a CI level's
#: value and text.
_FILL_PLAIN, _FILL_REPORTED, _FILL_LEVEL = range(3)


def _fill(field: fields.Field) -> tuple[str, int, list[str]]:
    """A field's name, how its value fills its columns, and those columns (as :func:`column_values`)."""
    assert field.column is not None
    if field.number_column is not None:
        return field.name, _FILL_REPORTED, [field.column, field.number_column]
    text_column = level_text_column(field)
    if text_column is not None:
        return field.name, _FILL_LEVEL, [field.column, text_column]
    return field.name, _FILL_PLAIN, [field.column]


class _Fills:
    """The fields of one object (a row's own, or one part's) grouped by how they fill their columns:
    plain values, reported numbers (text, then parsed value), CI levels (value, then text).
    :attr:`columns` are in the order :attr:`put` appends values.

    :attr:`put` is written for the object's fields (as ``dataclasses`` and ``namedtuple`` write their
    methods): one tuple of attribute reads, no loop over fields; an import of 100,000 rows calls it
    half a million times, and a loop took twice as long. Its source is :attr:`source`."""

    def __init__(self, fills: list[tuple[str, int, list[str]]]) -> None:
        groups: dict[int, list[tuple[str, list[str]]]] = {_FILL_PLAIN: [], _FILL_REPORTED: [], _FILL_LEVEL: []}
        for name, how, columns in fills:
            assert name.isidentifier(), name  # field names of the field table, written into :attr:`source`
            groups[how].append((name, columns))
        plain = [name for name, _c in groups[_FILL_PLAIN]]
        reported = [name for name, _c in groups[_FILL_REPORTED]]
        levels = [name for name, _c in groups[_FILL_LEVEL]]
        self.columns = [columns[0] for _name, columns in groups[_FILL_PLAIN]]
        self.columns += [columns[0] for _name, columns in groups[_FILL_REPORTED]]
        self.columns += [columns[1] for _name, columns in groups[_FILL_REPORTED]]
        self.columns += [c for _name, columns in groups[_FILL_LEVEL] for c in columns]
        # put(out, obj): append the column values of obj's fields, as column_values gives them.
        lines = ["def put(out, obj):"]
        lines += [f"    r{i} = obj.{name}" for i, name in enumerate(reported)]
        values = [f"obj.{name}" for name in plain]
        values += [f"None if r{i} is None else r{i}.text" for i in range(len(reported))]
        values += [f"None if r{i} is None else r{i}.number" for i in range(len(reported))]
        lines.append(f"    out += ({', '.join(values)},)" if values else "    pass")
        for name in levels:
            lines.append(f"    v = obj.{name}")
            lines.append(
                "    out += (None if v.not_reported else float(v.value), v.text) "
                "if isinstance(v, Reported) else (v, None)"
            )
        self.source = "\n".join(lines)
        namespace: dict[str, Any] = {"Reported": Reported}
        exec(self.source, namespace)  # noqa: S102 - our own source, from the field table's names
        self.put: Callable[[list[Any], Any], None] = namespace["put"]


def _tuple_getter(make: Any, keys: list[Any]) -> Any:
    """A function giving the tuple of an object's ``keys`` by ``make`` (``attrgetter`` or ``itemgetter``,
    which give a lone value, not a tuple, for one key)."""
    if len(keys) == 1:
        one = make(keys[0])
        return lambda obj: (one(obj),)
    return make(*keys) if keys else lambda obj: ()


class _RecordPlan:
    """How a :class:`Row` becomes the values of ``endpoint_row``'s content columns (:attr:`columns`, all
    but ids, position and claim), made once from the field table: a bulk import writes every row so,
    as one tuple each, without building a mapping per field (what :func:`column_values` gives one
    field at a time, for edits)."""

    def __init__(self) -> None:
        self.own = _Fills([_fill(f) for f in _ROW_OWN])
        self.parts = [
            (part, _Fills([_fill(f) for _name, f, _how in part_fields])) for part, (_cls, part_fields) in _PARTS.items()
        ]
        self.columns: list[str] = list(self.own.columns)
        self.absent: dict[str, tuple[None, ...]] = {}
        for part, fills in self.parts:
            self.columns.append(f"has_{part}")
            self.columns += fills.columns
            self.absent[part] = (None,) * len(fills.columns)
        self.columns += ["extensions", "part_extensions"]

    def values(self, row: Row) -> list[Any]:
        out: list[Any] = []
        self.own.put(out, row)
        parts_ext: dict[str, Any] = {}
        for part, fills in self.parts:
            obj = getattr(row, part)
            if obj is None:
                out.append(False)
                out += self.absent[part]
                continue
            out.append(True)
            fills.put(out, obj)
            if obj.extensions:
                parts_ext[part] = obj.extensions
        out.append(row.extensions)
        out.append(parts_ext)
        return out


_RECORD_PLAN = _RecordPlan()
#: The columns a new row fills, in the order of :func:`add_content`'s tuples.
_ROW_INSERT_COLUMNS = ("id", "comparison_id", "position", "status_claimed", *_RECORD_PLAN.columns)


#: What a row's audit snapshot leaves out: its id, and the parsed copies of its reported numbers
#: (``*_num``, read from the texts the snapshot keeps).
_NOT_SNAPPED = frozenset({"id", *(f.number_column for f in fields.ROW_FIELDS if f.number_column)})


def row_snapshot(names: Sequence[str], values: Sequence[Any], **more: Any) -> dict[str, Any]:
    """What an audit entry keeps of a row inserted or deleted, from its columns' ``names`` and
    ``values``: the ones that are set (an absent one was empty), without its id and the parsed copies
    of reported numbers, and ``more`` (its comparison, citations, evidence). A third of the full
    record (100,000 imported rows: 66 MB of the log, not 224), written eight times as fast, and it
    tells as much."""
    kept, pick = _snapped(tuple(names))
    picked = pick(values)
    snapshot = dict(compress(zip(kept, picked, strict=True), map(is_not, picked, repeat(None))))
    snapshot.update(more)
    return snapshot


@lru_cache(maxsize=16)
def _snapped(names: tuple[str, ...]) -> tuple[tuple[str, ...], Any]:
    """The names a snapshot may keep, and a function picking their values from all the values."""
    indices = [i for i, name in enumerate(names) if name not in _NOT_SNAPPED]
    return tuple(names[i] for i in indices), _tuple_getter(itemgetter, indices)


def row_to_record(row: Row) -> dict[str, Any]:
    """The columns of ``endpoint_row`` for one row (without ids and position)."""
    return dict(zip(_RECORD_PLAN.columns, _RECORD_PLAN.values(row), strict=True))


def record_to_row(rec: Any, citations: list[str], evidence: dict[str, Evidence] | None = None) -> Row:
    """A :class:`Row` from an ``endpoint_row`` mapping, its citation keys and its evidence."""
    row = _ROW_PLAN.build(tuple(rec[name] for name in _ROW_PLAN.columns), citations)
    if evidence:
        row.evidence = evidence
    return row


def _json_value(raw: Any) -> dict[str, Any]:
    """A JSON column as fetched without type processing (text on SQLite)."""
    if raw is None or raw == "{}":
        return {}
    if isinstance(raw, str):
        return dict(json.loads(raw))
    return dict(raw)


def _read_back(how: int, value: Any) -> Any:
    """A stored value (not None) as the field's value."""
    if how == _REPORTED:
        return _parse(value)
    if how == _WHOLE:
        return _parse_whole(value)
    if how == _BOOLEAN:
        return bool(value)
    if how == _NUMBER or how == _LEVEL:
        return int(value) if float(value).is_integer() else value  # effect.ci_level: 95, not 95.0
    return value


class _RowPlan:
    """How the columns of ``endpoint_row`` become a :class:`Row`.

    Loading is the hot path of checks and exports on big reviews, so rows
    are fetched as plain tuples of only the columns needed (the printed
    texts, not the parsed ``*_num`` copies) and built by position.
    """

    def __init__(self) -> None:
        self.columns: list[str] = ["id", "comparison_id", *_ROW_TEXT_FIELDS]
        self.text_slice = slice(2, 2 + len(_ROW_TEXT_FIELDS))
        #: The row's own fields read back other than as stored: (name, how, index).
        self.own = [(f.name, _how(f), 2 + i) for i, f in enumerate(_ROW_OWN) if _how(f) not in (_PLAIN, _NUMBER)]
        #: Each part: (name, class, index of has_<part>, [(name, how, index, index of a level's text or -1)]).
        self.parts: list[tuple[str, type, int, list[tuple[str, int, int, int]]]] = []
        for part, (cls, part_fields) in _PARTS.items():
            flag = len(self.columns)
            self.columns.append(f"has_{part}")
            layout = []
            for name, f, how in part_fields:
                assert f.column is not None
                layout.append((name, how, len(self.columns), -1))
                self.columns.append(f.column)
            self.parts.append((part, cls, flag, layout))
        # A CI level printed as a string: its text column, read with the level.
        for _part, _cls, _flag, layout in self.parts:
            for i, (name, how, index, _text) in enumerate(layout):
                if how == _LEVEL:
                    layout[i] = (name, how, index, len(self.columns))
                    self.columns.append(f"{self.columns[index]}_text")
        self.ext = len(self.columns)
        self.columns += ["extensions", "part_extensions"]

    def build(self, rec: tuple[Any, ...], citations: list[str]) -> Row:
        texts = dict(zip(_ROW_TEXT_FIELDS, rec[self.text_slice], strict=True))
        for name, how, i in self.own:
            value = rec[i]
            if value is not None:
                texts[name] = _read_back(how, value)
        part_ext = _json_value(rec[self.ext + 1])
        parts: dict[str, Any] = {}
        for part, cls, flag, layout in self.parts:
            if not rec[flag]:
                parts[part] = None
                continue
            values: dict[str, Any] = {}
            for name, how, i, text in layout:
                value = rec[i]
                if how == _LEVEL and text >= 0 and rec[text] is not None:
                    value = _parse(rec[text])  # printed as a string (1.1), kept exactly
                elif value is not None and how != _PLAIN:
                    value = _read_back(how, value)
                values[name] = value
            parts[part] = cls(**values, extensions=dict(part_ext.get(part, {})))
        return Row(**texts, **parts, citations=citations, extensions=_json_value(rec[self.ext]))


_ROW_PLAN = _RowPlan()
