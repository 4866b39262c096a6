"""What a reviewer types into an arm's cell of the comparison table.

An arm's cell shows its result as a paper prints it (``35.6% (95/267)``,
``n = 80``, ``12.3 (SD 4.1; n = 80)``), and takes it back in the same
words: the value, its counts, or both.

* ``35.6`` or ``35.6%``: the value;
* ``95/267``: events and n; ``n = 267``: n; ``95 events``: events; ``SD 4.1``: SD;
* ``35.6% (95/267)``: the value and the counts, several details joined by ``;``.

Only what is typed is set: ``95/267`` sets events and n and leaves the value
as it is (it is never computed from the counts). Every number is kept as
printed (:func:`curator.numbers.parse_reported`). A plain number above 100
in an arm whose value is a percentage is refused: it is far more often an n
typed in the wrong place than a percentage, and a value a paper really
printed above 100 is typed with its ``%`` (``137%``). A ``%`` in a row whose
measure and unit are both not set yet makes it a percentage row (measure
``percent``, unit ``%``); in a row measured in something else it is refused.

This module is core: it imports neither Qt nor the store.
"""

from __future__ import annotations

import re
from decimal import Decimal

from curator.numbers import NotANumber, parse_reported

__all__ = ["ARM_FORMS", "parse_arm_entry", "typed_fields", "is_percent"]

#: How an arm's cell is typed, for messages.
ARM_FORMS = "the value (35.6), events/n (95/267) or both (35.6% (95/267))"

_HUNDRED = Decimal(100)
_OUTER = re.compile(r"^\s*(?P<head>[^()]*?)\s*(?:\((?P<inner>[^()]*)\))?\s*$")
_COUNTS = re.compile(r"^(?P<events>[^/]+?)\s*/\s*(?P<n>[^/]+)$")
_N = re.compile(r"^n\s*=?\s*(?P<n>.+)$", re.IGNORECASE)
_EVENTS = re.compile(r"^(?P<events>.+?)\s*events?$", re.IGNORECASE)
_SD = re.compile(r"^SD\s*=?\s*(?P<sd>.+)$", re.IGNORECASE)


def _quote(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def is_percent(measure: str | None, unit: str | None) -> bool:
    """Whether an arm's value is a percentage (a share of patients, 0 to 100)."""
    return measure == "percent" or (measure is None and bool(unit) and (unit or "").startswith("%"))


def _number(text: str, *, whole: bool) -> str:
    """``text`` stripped, when it is a number as printed; ``ValueError`` otherwise."""
    text = text.strip()
    parse_reported(text, whole=whole)
    return text


def _detail(text: str, found: dict[str, str]) -> None:
    """Read one detail (``95/267``, ``n = 267``, ``95 events``, ``SD 4.1``) into ``found``."""
    piece = text.strip()
    for pattern, names in ((_COUNTS, ("events", "n")), (_N, ("n",)), (_SD, ("sd",)), (_EVENTS, ("events",))):
        m = pattern.match(piece)
        if m is None:
            continue
        for name in names:
            if name in found:
                raise ValueError(f"{_quote(piece)} gives {name} a second time")
            found[name] = _number(m[name], whole=name != "sd")
        return
    raise ValueError(f"{_quote(piece)} is not events/n (95/267), n = 267, 95 events or SD 4.1")


def _value(text: str, found: dict[str, str]) -> None:
    piece = text.strip()
    if piece.endswith("%"):
        found["%"] = "%"
        piece = piece[:-1].rstrip()
    found["value"] = _number(piece, whole=False)


def parse_arm_entry(part: str, text: str, *, measure: str | None, unit: str | None) -> dict[str, str]:
    """The fields an arm's cell sets from ``text``: dotted path -> text as printed.

    ``part`` is ``intervention`` or ``comparator``; ``measure`` and ``unit``
    are the row's. Empty text empties the value. Raises ``ValueError`` with the
    reason (naming the value and how the cell is typed) when the text does not
    fit; the caller names the field.
    """
    if not text.strip():
        return {f"{part}.value": ""}
    outer = _OUTER.match(text)
    if outer is None:
        raise ValueError(f"{_quote(text.strip())} is not {ARM_FORMS}")
    head, inner = outer["head"], outer["inner"]
    found: dict[str, str] = {}
    if inner is not None:
        if inner.strip():
            for piece in inner.split(";"):
                _detail(piece, found)
        if head:
            _value(head, found)
        elif not found:
            raise ValueError(f"{_quote(text.strip())} is not {ARM_FORMS}")
    else:
        pieces = head.split(";")
        first = pieces[0]
        try:
            _value(first, found)
        except NotANumber:
            if len(pieces) == 1 and not any(mark in first for mark in "/=") and not re.search(r"(?i)events?|sd", first):
                raise  # a value that is not a number: the number parser says why
            _detail(first, found)
        for piece in pieces[1:]:
            _detail(piece, found)
    percent = is_percent(measure, unit)
    changes = {f"{part}.{name}": found[name] for name in ("value", "events", "n", "sd") if name in found}
    if "%" in found:
        if not percent and (measure is not None or unit):
            raise ValueError(
                f"{_quote(text.strip())}: this row's values are not percentages "
                f"(measure {measure or 'not set'}, unit {unit or 'not set'}); type the value without %, "
                "or change Measure and Unit first"
            )
        if measure is None and not unit:  # a new row: the % says what its values are
            changes["measure"] = "percent"
            changes["unit"] = "%"
    elif percent and "value" in found:
        value = parse_reported(found["value"])
        if value.relation is None and value.value > _HUNDRED:
            typed = found["value"]
            raise ValueError(
                f"{typed} is above 100, impossible for a percentage: to give n, type events/n (e.g. 95/267) "
                f"or n = {typed}; a value the paper printed above 100 is typed with its %: {typed}%"
            )
    return changes


def typed_fields(name: str, text: str, *, measure: str | None, unit: str | None) -> dict[str, str]:
    """The fields that ``text`` typed into field ``name`` of a row sets: dotted path -> text.

    An arm's value (its cell in the table, or its field in the row form) takes
    what an arm's cell takes (:func:`parse_arm_entry`); any other field only
    itself, checked by :func:`curator.fields.parse`. ``ValueError`` with the
    reason when the text does not fit.
    """
    from curator.fields import parse

    part, _dot, leaf = name.partition(".")
    if leaf == "value" and part in ("intervention", "comparator"):
        return parse_arm_entry(part, text, measure=measure, unit=unit)
    parse(name, text)
    return {name: text}
