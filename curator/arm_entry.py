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

#: The fields of an arm a cell can set, in the order they are reported.
_ARM_KEYS = ("value", "events", "n", "sd", "se", "ci_low", "ci_high", "q1", "q3", "min", "max")

_HUNDRED = Decimal(100)
_OUTER = re.compile(r"^\s*(?P<head>[^()]*?)\s*(?:\((?P<inner>[^()]*)\))?\s*(?:[,;]\s*(?P<tail>[A-Za-z][^()]*?))?\s*$")
_COUNTS = re.compile(r"^(?P<events>[^/]+?)\s*/\s*(?P<n>[^/]+)$")
_N = re.compile(r"^n(?:\s*=\s*|\s+)(?P<n>.+)$", re.IGNORECASE)
_EVENTS = re.compile(r"^(?P<events>.+?)\s*events?$", re.IGNORECASE)
_SD = re.compile(r"^SD\s*=?\s*(?P<sd>.+)$", re.IGNORECASE)
_SE = re.compile(r"^(?:SEM|SE)\s*=?\s*(?P<se>.+)$", re.IGNORECASE)
_IQR = re.compile(r"^IQR\s*:?\s*(?P<range>.+)$", re.IGNORECASE)
_RANGE = re.compile(r"^range\s*:?\s*(?P<range>.+)$", re.IGNORECASE)
_CI = re.compile(r"^(?:[0-9.·]+\s*%\s*)?CI\s*:?\s*(?P<range>.+)$", re.IGNORECASE)
_PERCENT = re.compile(r"^(?P<value>[^%]+?)\s*%$")
_LEADING_WORD = re.compile(r"^\s*(?:mean|median)\b\s*", re.IGNORECASE)
#: Dashes that join the two ends of a range (``15–28``), and the word ``to``.
_DASHES = "–—-"
_TO = re.compile(r"\s+to\s+", re.IGNORECASE)


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


def _is_number(text: str) -> bool:
    try:
        parse_reported(text.strip())
    except ValueError:
        return False
    return True


def _two_ends(text: str) -> tuple[str, str] | None:
    """The two ends of a printed range (``15–28``, ``−3.4 to −0.8``, ``1.2-3.4``), or None.
    ``NR`` alone is a range not reported: both ends ``NR``, as the table shows it (``IQR NR``).

    A dash joins the ends only where a digit stands before it, so that a
    minus sign (``−3–−1``, ``-3 - -1``) stays with its number.
    """
    if text.strip().casefold() == "nr":
        return text.strip(), text.strip()
    parts = _TO.split(text.strip())
    if len(parts) == 2 and all(_is_number(p) for p in parts):
        return parts[0].strip(), parts[1].strip()
    for i, char in enumerate(text):
        if char in _DASHES and text[:i].rstrip()[-1:].isdigit():
            low, high = text[:i].strip(), text[i + 1 :].strip()
            if _is_number(low) and _is_number(high):
                return low, high
    return None


def _put(found: dict[str, str], piece: str, name: str, text: str, *, whole: bool = False) -> None:
    if name in found:
        raise ValueError(f"{_quote(piece)} gives {name} a second time")
    found[name] = _number(text, whole=whole)


def _put_range(found: dict[str, str], piece: str, names: tuple[str, str], text: str, what: str) -> None:
    ends = _two_ends(text)
    if ends is None:
        raise ValueError(f"{_quote(piece)}: {_quote(text.strip())} is not {what} printed as low–high (15–28)")
    for name, end in zip(names, ends, strict=True):
        _put(found, piece, name, end)


def _detail(text: str, found: dict[str, str], measure: str | None) -> None:
    """Read one detail (``95/267``, ``n = 267``, ``95 events``, ``SD 4.1``, ``SE 0.6``,
    ``IQR 15–28``, ``range 3–60``, ``95% CI 10.9–13.3``, ``35.6%``, or on a mean row
    a bare SD, on a median row a bare IQR) into ``found``."""
    piece = text.strip()
    for pattern, names in ((_COUNTS, ("events", "n")), (_N, ("n",)), (_SD, ("sd",)), (_SE, ("se",))):
        m = pattern.match(piece)
        if m is not None:
            for name in names:
                _put(found, piece, name, m[name], whole=name in ("events", "n"))
            return
    for pattern, names, what in (
        (_IQR, ("q1", "q3"), "an interquartile range"),
        (_RANGE, ("min", "max"), "a range"),
        (_CI, ("ci_low", "ci_high"), "a confidence interval"),
    ):
        m = pattern.match(piece)
        if m is not None:
            _put_range(found, piece, names, m["range"], what)
            return
    m = _EVENTS.match(piece)
    if m is not None:
        _put(found, piece, "events", m["events"], whole=True)
        return
    m = _PERCENT.match(piece)
    if m is not None and _is_number(m["value"]):
        _put(found, piece, "value", m["value"])
        found["%"] = "%"
        return
    if measure == "mean" and _is_number(piece):
        _put(found, piece, "sd", piece)  # mean (SD), as papers print it
        return
    if measure == "median" and _two_ends(piece) is not None:
        _put_range(found, piece, ("q1", "q3"), piece, "an interquartile range")  # median (IQR)
        return
    raise ValueError(f"{_quote(piece)} is not events/n (95/267), n = 267, 95 events, SD 4.1, SE 0.6 or IQR 15–28")


def _value(text: str, found: dict[str, str], unit: str | None = None) -> None:
    piece = _LEADING_WORD.sub("", text.strip())
    word = (unit or "").strip()
    if word and not word.startswith("%") and piece.endswith(word) and piece[: -len(word)][-1:].isspace():
        piece = piece[: -len(word)].rstrip()  # the row's unit, as the cell shows it (8.3 points, 7 days)
    if piece.endswith("%"):
        found["%"] = "%"
        piece = piece[:-1].rstrip()
    found["value"] = _number(piece, whole=False)


def parse_arm_entry(part: str, text: str, *, measure: str | None, unit: str | None) -> dict[str, str]:
    """The fields an arm's cell sets from ``text``: dotted path -> text as printed.

    What the table shows can be typed back: ``35.6% (95/267)``, ``95/267
    (35.6%)``, ``12.1 (4.0), n = 50`` (on a mean row a bare number in
    parentheses is the SD), ``12.1 (SE 0.6; n = 50)``, ``12.1 (95% CI
    10.9–13.3)``, ``median 20 (IQR 15–28), range 3–60`` (on a median row a
    bare range in parentheses is the IQR). ``part`` is ``intervention`` or
    ``comparator``; ``measure`` and ``unit`` are the row's. Empty text
    empties the value. Raises ``ValueError`` with the reason (naming the
    value and how the cell is typed) when the text does not fit; the caller
    names the field.
    """
    if not text.strip():
        return {f"{part}.value": ""}
    outer = _OUTER.match(text)
    if outer is None:
        raise ValueError(f"{_quote(text.strip())} is not {ARM_FORMS}")
    head, inner, tail = outer["head"], outer["inner"], outer["tail"]
    found: dict[str, str] = {}
    if inner is not None:
        if inner.strip():
            for piece in inner.split(";"):
                _detail(piece, found, measure)
        if head:
            _head(head, found, measure, unit)
        elif not found:
            raise ValueError(f"{_quote(text.strip())} is not {ARM_FORMS}")
        for piece in _tail_pieces(tail):
            _detail(piece, found, measure)
    else:
        pieces = head.split(";") + _tail_pieces(tail)
        first = pieces[0]
        _head(first, found, measure, unit)
        for piece in pieces[1:]:
            if piece.strip():
                _detail(piece, found, measure)
    percent = is_percent(measure, unit)
    changes = {f"{part}.{name}": found[name] for name in _ARM_KEYS if name in found}
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
        if value.relation is None and not value.not_reported and value.value > _HUNDRED:
            typed = found["value"]
            raise ValueError(
                f"{typed} is above 100, impossible for a percentage: to give n, type events/n (e.g. 95/267) "
                f"or n = {typed}; a value the paper printed above 100 is typed with its %: {typed}%"
            )
    return changes


def _tail_pieces(tail: str | None) -> list[str]:
    """The details after the parentheses (``, n = 50; range 3–60``); a comma
    before a digit belongs to a grouped count (``n = 3,145``)."""
    if not tail:
        return []
    return [piece for piece in re.split(r";|,(?=\s*[^\d\s])", tail) if piece.strip()]


def _head(text: str, found: dict[str, str], measure: str | None, unit: str | None = None) -> None:
    """What stands before the parentheses: the value (with the row's unit, if shown), or
    (``95/267 (35.6%)``) a detail."""
    try:
        _value(text, found, unit)
    except NotANumber:
        if not any(mark in text for mark in "/=") and not re.search(r"(?i)events?|sd|se|iqr|range|ci", text):
            raise  # a value that is not a number: the number parser says why
        _detail(text, found, measure)


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
