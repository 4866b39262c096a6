"""What text selected in a paper fills a field with (issue 14, "Capture").

A reviewer selects characters on a page and captures them into the field
chosen in the form. :func:`captured_fields` says which fields that sets and
to what, as printed:

* a number field takes the one number in the selection, as the paper prints
  it (``42.6%`` gives ``42.6``; ``0·55`` stays ``0·55``; ``−4.6`` keeps its
  minus; ``p = 0.03`` gives ``0.03``; ``<0.001`` keeps its relation, as a p
  value is printed);
* an arm's value, events or n given a result as printed (``95/267
  (35.6%)``, ``35.6% (95/267)``, ``95/267``; on a mean row ``12.1 (4.0),
  n = 50``) takes every part of it at once, as the arm's cell takes it typed
  (:func:`curator.arm_entry.parse_arm_entry`);
* a text field (endpoint, population, duration, finding...) takes the
  selection with its white space collapsed (a line break becomes a space).

A selection that holds no number for a number field, or more than one where
one is meant, is refused (``ValueError`` saying why, in people's words; the
caller names the field). So is a field that is chosen from a list or is
about the work rather than the paper.

This module is core: it imports neither Qt nor the store.
"""

from __future__ import annotations

import re

from curator import fields
from curator.arm_entry import parse_arm_entry

__all__ = ["captured_fields", "numbers_in", "collapsed"]

_MINUS = "-\u2212\u2013\ufe63\uff0d"
#: A number as a paper prints it: a relation (kept), a minus (kept, as printed), digits with a point or
#: a middle dot. A whole number may group its digits in threes by a comma or a thin or no-break space.
_NUMBER = re.compile(
    r"(?P<rel>(?:<=|>=|[<>≤≥])\s*)?"
    r"(?P<sign>[" + re.escape(_MINUS) + r"]\s?)?"
    r"(?P<digits>[0-9]{1,3}(?:[,\u2009\u202f\u00a0][0-9]{3})+(?![0-9])|[0-9]+(?:[.\u00b7\u2219][0-9]+)?|[.\u00b7][0-9]+)"
)
#: The arm fields a printed result (``95/267 (35.6%)``) fills together.
_ARM_RESULT = ("value", "events", "n")
#: Fields that are not read from a paper: chosen from a list, or about the work.
_NOT_READ = (fields.Choice, fields.Boolean, fields.TextList)


def collapsed(text: str) -> str:
    """``text`` with its white space collapsed to single spaces (a line break of the page becomes a space)."""
    return " ".join(text.split())


def numbers_in(text: str, *, whole: bool = False) -> list[str]:
    """Each number in ``text`` as printed (``["<0.001"]``, ``["−4.6"]``, ``["0·55"]``): its relation
    (``<``, ``≥``...) and minus kept, a ``%`` and words around it left out. A minus counts only where no
    digit stands just before it (``15–28`` is two numbers, both positive). Digits grouped in threes
    (``3,145``) are one number only when ``whole``; otherwise the comma parts them."""
    found: list[str] = []
    for m in _NUMBER.finditer(text):
        rel, sign, digits = m["rel"] or "", m["sign"] or "", m["digits"]
        if sign and not rel and text[: m.start()].rstrip()[-1:].isdigit():
            sign = ""  # a dash joining two numbers (15–28), not a minus
        if not whole and re.search(r"[,\u2009\u202f\u00a0]", digits):
            for part in re.split(r"[,\u2009\u202f\u00a0]", digits):
                found.append(part)
            continue
        found.append(f"{rel}{sign}{digits}".strip())
    return found


def captured_fields(name: str, selected: str, *, measure: str | None, unit: str | None) -> dict[str, str]:
    """The fields that ``selected`` (text selected in a paper) captured into field ``name`` of a row sets:
    dotted path -> text as printed. ``measure`` and ``unit`` are the row's (an arm's printed result reads
    by them). ``ValueError`` saying why, naming the selection, when it cannot fill the field."""
    try:
        field = fields.row_field(name)
    except KeyError:
        raise ValueError(f"{name} is not a field of a row") from None
    text = collapsed(selected)
    quoted = _quote(text)
    if not text:
        raise ValueError("nothing is selected; select the text in the paper first")
    if isinstance(field.kind, _NOT_READ):
        raise ValueError(f"{field.label} is chosen in the form, not read from the paper's text")
    if field.workflow or name in ("status", "verified_by"):
        raise ValueError(f"{field.label} is about the work, not the paper; type it in the form")
    part, _dot, leaf = name.partition(".")
    whole = bool(getattr(field.kind, "whole", False))
    found = numbers_in(text, whole=whole)
    if part in ("intervention", "comparator") and leaf in _ARM_RESULT and ("/" in text or len(found) > 1):
        # An arm's result as printed (95/267 (35.6%), 12.1 (4.0), n = 50): every part of it, as its cell reads it.
        bare = re.sub(r"^[^0-9" + re.escape(_MINUS) + r"<>≤≥.·]*", "", text)  # words before it: Responders 95/267
        try:
            return parse_arm_entry(part, text, measure=measure, unit=unit)
        except ValueError as exc:
            if bare != text:
                try:
                    return parse_arm_entry(part, bare, measure=measure, unit=unit)
                except ValueError:
                    pass
            if "/" in text:
                raise ValueError(f"the selection {quoted} is not an arm's result as printed: {exc}") from None
    if field.reported or isinstance(field.kind, fields.Level):
        if not found:
            raise ValueError(f"the selection {quoted} holds no number; select the number itself")
        if len(found) > 1:
            listed = ", ".join(found[:4]) + (", …" if len(found) > 4 else "")
            hint = " (or an arm's events/n as printed, 95/267)" if part in ("intervention", "comparator") else ""
            raise ValueError(
                f"the selection {quoted} holds {len(found)} numbers ({listed}); select only the one to read{hint}"
            )
        number = found[0]
        try:
            field.parse(number)
        except ValueError as exc:
            raise ValueError(f"the selection {quoted} gives {number}: {exc}") from None
        return {name: number}
    return {name: text}


def _quote(text: str) -> str:
    """The selection in a message, quoted, shortened when long."""
    shown = text if len(text) <= 60 else text[:59].rstrip() + "…"
    return f"'{shown}'"
