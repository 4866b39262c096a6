"""Two reviewers' extractions of one review, compared row by row.

Implements "Two reviewers' files" of ``shared/spec/exchange-format.md``.
Rows are matched by comparison key, endpoint (ignoring case and white space)
and the set of citations; rows still unmatched on both sides that share
comparison and endpoint are then paired in order, so that a disagreement
about citations shows as a differing field rather than as two lone rows.

Reported numbers are compared as numbers with their relation (``"42.6"``
equals ``"42.60"``, ``"<0.001"`` is not ``"0.001"``, ``"=0.03"`` is
``"0.03"``), text after folding white space, citations as a set. Reviewer
names, ``status`` and ``note`` are not compared, nor are ``x-`` extensions.

Choices beyond the spec's words:

* a comparison present in only one file reports each of its rows as
  ``only_in`` that file (a comparison with no rows reports itself once,
  with ``endpoint`` null);
* a comparison in both files whose ``title``, ``intervention`` or
  ``comparator`` label differs reports that as a difference with
  ``endpoint`` null and ``field`` the comparison's key name;
* absent and empty text are the same; an absent field that the format
  gives a meaning is that meaning (``effect.direction``
  ``intervention_vs_comparator``, ``effect.ci_level`` 95, ``analysis``
  ``crude``, ``effect.adjusted`` false, ``effect.contrast`` ``arms``: the
  ``absent`` of :mod:`curator.fields`); an absent effect equals an effect
  with no fields;
* ``NR`` (not reported) equals ``NR`` and differs from an absent field
  (not yet entered), as format 1.1 says; numbers printed in the forms of
  1.1 are compared as numbers (``0·55`` is ``0.55``, ``− 4.6`` is ``-4.6``,
  ``3,145`` is ``3145``), a CI level printed as a string too (``"95.0"`` is 95);
* references are not compared (the format defines row differences only).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from curator import fields
from curator.fields import Boolean, Choice, Level, Number, ReportedNumber, TextList
from curator.numbers import Reported
from curator.review import Comparison, Review, Row
from curator.words import counted

__all__ = [
    "Difference",
    "compare_reviews",
    "format_differences_text",
    "ROW_FIELDS",
    "pair_rows",
    "field_value",
    "same_value",
    "show_value",
]


@dataclass(frozen=True, slots=True)
class Difference:
    """One difference: a field whose values differ, or a row found in one file only.

    For a field difference ``field``, ``a`` and ``b`` are set (``a``/``b``
    are the printed texts, None when absent); for a lone row ``only_in`` is
    ``"a"`` or ``"b"``.
    """

    comparison: str
    endpoint: str | None
    field: str | None = None
    a: str | None = None
    b: str | None = None
    only_in: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The spec's JSON object for this difference."""
        if self.only_in is not None:
            return {"comparison": self.comparison, "endpoint": self.endpoint, "only_in": self.only_in}
        return {"comparison": self.comparison, "endpoint": self.endpoint, "field": self.field, "a": self.a, "b": self.b}


# ---------------------------------------------------------------------------
# How each field is read, compared and printed
# ---------------------------------------------------------------------------


def _fold_ws(text: str | None) -> str | None:
    if text is None:
        return None
    folded = " ".join(text.split())
    return folded or None


def _fold_all(text: str | None) -> str:
    return "" if text is None else "".join(text.split()).casefold()


#: The key of ``NR``: equal to itself, unequal to every number and to absent.
_NOT_REPORTED = ("NR",)


def _number_key(r: Reported | None) -> tuple[Any, ...] | None:
    if r is None:
        return None
    if r.not_reported:
        return _NOT_REPORTED
    rel = None if r.relation == "=" else r.relation
    return (rel, r.value)


def _level_key(v: int | float | Reported | None) -> Any:
    """A CI level as compared: absent is 95; a printed string as its number (NR as NR)."""
    if v is None:
        return (None, Decimal(95))
    if isinstance(v, Reported):
        return _NOT_REPORTED if v.not_reported else (None if v.relation == "=" else v.relation, v.value)
    return (None, Decimal(str(v)))


def _show_level(v: int | float | Reported | None) -> str | None:
    if v is None:
        return None
    return v.text if isinstance(v, Reported) else f"{v:g}"


@dataclass(frozen=True, slots=True)
class _Kind:
    key: Callable[[Any], Any]
    show: Callable[[Any], str | None]


def _show_text(v: str | None) -> str | None:
    return None if v is None else (v.strip() or None)


def _show_bool(v: bool | None) -> str | None:
    return None if v is None else ("true" if v else "false")


_NUMBER = _Kind(_number_key, lambda r: None if r is None else r.text)
_TEXT = _Kind(_fold_ws, _show_text)
_ENUM = _Kind(lambda v: v, lambda v: v)
_BOOL = _Kind(lambda v: v, _show_bool)
_LEVEL = _Kind(_level_key, _show_level)
_CITATIONS = _Kind(lambda v: frozenset(v), lambda v: ", ".join(v) if v else None)


def _getter(path: str) -> Callable[[Row], Any]:
    """The value at a dotted path of a row (None when its object is absent)."""
    head, dot, attr = path.partition(".")
    if not dot:
        return lambda row: getattr(row, head)

    def get(row: Row) -> Any:
        part = getattr(row, head)
        return None if part is None else getattr(part, attr)

    return get


def _absent_is(kind: _Kind, absent: Any) -> _Kind:
    """``kind`` comparing an absent value as ``absent`` (what the format says absent means)."""
    key = kind.key
    return _Kind(lambda v: key(absent if v is None else v), kind.show)


def _compared_as(field: fields.Field) -> _Kind:
    """How a field's values are compared and printed, from its kind and what its absence means."""
    kind = field.kind
    if isinstance(kind, ReportedNumber):
        return _NUMBER
    if isinstance(kind, TextList):
        return _CITATIONS
    if isinstance(kind, Level):  # effect.ci_level: absent is 95
        return _LEVEL
    if isinstance(kind, Boolean):  # effect.adjusted: absent is false
        compared = _BOOL
    elif isinstance(kind, Choice):  # effect.direction, analysis, effect.contrast
        compared = _ENUM
    elif isinstance(kind, Number):
        compared = _Kind(lambda v: v, lambda v: None if v is None else f"{v:g}")
    else:
        return _TEXT
    return compared if field.absent is None else _absent_is(compared, field.absent)


#: The compared row fields in report order: (dotted name, getter, kind): the
#: verifiable fields but ``endpoint``, by which rows are matched.
ROW_FIELDS: tuple[tuple[str, Callable[[Row], Any], _Kind], ...] = tuple(
    (f.path, _getter(f.path), _compared_as(f)) for f in fields.ROW_FIELDS if f.verifiable and f.path != "endpoint"
)

_COMPARISON_FIELDS = ("title", "intervention", "comparator")
#: Every row field that holds content, by dotted name: the compared ones and ``endpoint``.
_FIELDS: dict[str, tuple[Callable[[Row], Any], _Kind]] = {
    "endpoint": (_getter("endpoint"), _TEXT),
    **{name: (get, kind) for name, get, kind in ROW_FIELDS},
}


def field_value(row: Row, name: str) -> Any:
    """The value of the dotted field ``name`` of ``row`` (None when absent)."""
    return _FIELDS[name][0](row)


def same_value(name: str, a: Any, b: Any) -> bool:
    """Whether two values of field ``name`` agree, as ``curator compare`` sees it
    (``42.6`` equals ``42.60``; ``<0.001`` is not ``0.001``)."""
    kind = _FIELDS[name][1]
    return bool(kind.key(a) == kind.key(b))


def show_value(name: str, value: Any) -> str | None:
    """A value of field ``name`` as printed (None when absent)."""
    return _FIELDS[name][1].show(value)


# ---------------------------------------------------------------------------
# Matching
# ---------------------------------------------------------------------------


def pair_rows(rows_a: Sequence[Row], rows_b: Sequence[Row]) -> tuple[dict[int, int], list[int]]:
    """Pairs a-index → b-index, and the unpaired b indices in order."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    by_key: dict[tuple[str, frozenset[str]], deque[int]] = {}
    for j, r in enumerate(rows_b):
        by_key.setdefault((_fold_all(r.endpoint), frozenset(r.citations)), deque()).append(j)
    for i, r in enumerate(rows_a):
        q = by_key.get((_fold_all(r.endpoint), frozenset(r.citations)))
        if q:
            j = q.popleft()
            pairs[i] = j
            taken.add(j)
    by_endpoint: dict[str, deque[int]] = {}
    for j, r in enumerate(rows_b):
        if j not in taken:
            by_endpoint.setdefault(_fold_all(r.endpoint), deque()).append(j)
    for i, r in enumerate(rows_a):
        if i in pairs:
            continue
        q = by_endpoint.get(_fold_all(r.endpoint))
        if q:
            j = q.popleft()
            pairs[i] = j
            taken.add(j)
    return pairs, [j for j in range(len(rows_b)) if j not in taken]


def _row_differences(key: str, ra: Row, rb: Row) -> Iterable[Difference]:
    for name, get, kind in ROW_FIELDS:
        va, vb = get(ra), get(rb)
        if kind.key(va) != kind.key(vb):
            yield Difference(key, ra.endpoint, name, kind.show(va), kind.show(vb))


def _only(comp: Comparison, side: str) -> Iterable[Difference]:
    if not comp.rows:
        yield Difference(comp.key, None, only_in=side)
    for r in comp.rows:
        yield Difference(comp.key, r.endpoint, only_in=side)


def compare_reviews(a: Review, b: Review) -> list[Difference]:
    """Every difference between two reviewers' reviews, in a's order then b's.

    Comparisons in a's order (then those only in b); within a comparison,
    a's rows in order (each matched row's differing fields in the order of
    :data:`ROW_FIELDS`, or ``only_in: "a"``), then b's unmatched rows.
    An empty list means the two agree.
    """
    out: list[Difference] = []
    b_comps: dict[str, Comparison] = {}
    for c in b.comparisons:
        b_comps.setdefault(c.key, c)
    seen: set[str] = set()
    for ca in a.comparisons:
        if ca.key in seen:
            continue
        seen.add(ca.key)
        cb = b_comps.get(ca.key)
        if cb is None:
            out.extend(_only(ca, "a"))
            continue
        for name in _COMPARISON_FIELDS:
            va, vb = getattr(ca, name), getattr(cb, name)
            if _fold_ws(va) != _fold_ws(vb):
                out.append(Difference(ca.key, None, name, _show_text(va), _show_text(vb)))
        pairs, lone_b = pair_rows(ca.rows, cb.rows)
        for i, ra in enumerate(ca.rows):
            j = pairs.get(i)
            if j is None:
                out.append(Difference(ca.key, ra.endpoint, only_in="a"))
            else:
                out.extend(_row_differences(ca.key, ra, cb.rows[j]))
        out.extend(Difference(ca.key, cb.rows[j].endpoint, only_in="b") for j in lone_b)
    for cb in b.comparisons:
        if cb.key not in seen:
            seen.add(cb.key)
            out.extend(_only(cb, "b"))
    return out


def format_differences_text(diffs: Sequence[Difference], name_a: str = "A", name_b: str = "B") -> str:
    """A readable report of :func:`compare_reviews`'s differences, grouped by comparison and row."""
    if not diffs:
        return "The two reviews agree.\n"
    lines: list[str] = []
    comp = None
    place: tuple[str | None, str | None] | None = None
    for d in diffs:
        if d.comparison != comp:
            if comp is not None:
                lines.append("")
            lines.append(f"Comparison {d.comparison}")
            comp = d.comparison
            place = None
        if d.only_in is not None:
            side = name_a if d.only_in == "a" else name_b
            what = f"row {d.endpoint!r}" if d.endpoint is not None else "the whole comparison"
            lines.append(f"  {what}: only in {side}")
            place = None
            continue
        here = (d.comparison, d.endpoint)
        if here != place:
            lines.append(f"  row {d.endpoint!r}:" if d.endpoint is not None else "  comparison labels:")
            place = here
        lines.append(f"    {d.field}: {name_a} {_q(d.a)}  |  {name_b} {_q(d.b)}")
    n = len(diffs)
    lines.append("")
    lines.append(counted(n, "difference"))
    return "\n".join(lines) + "\n"


def _q(text: str | None) -> str:
    return "(absent)" if text is None else repr(text)
