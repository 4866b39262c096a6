"""Where a row's values stand in its paper (issue 14, "Locate").

For values entered without evidence (typed, imported, from a workbook),
:func:`locate_row` finds where each value's printed text stands in the
PDF: every hit with its page and boxes. A number is looked for as printed
and in the forms a PDF may print it instead (the other minus signs, a
middle dot for the decimal point), and only where it is a whole number,
not part of a longer one. Words (the endpoint, the finding) are looked for
as they are.

This module is core: it imports neither Qt nor the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from curator.fields import ROW_FIELDS, value_at
from curator.numbers import Reported
from curator.pdf import Hit, Paper
from curator.review import Row

__all__ = ["Located", "locate_row", "printed_forms", "search_terms"]

_MINUSES = "-\u2212\u2013"
#: Words too short to place: a two-letter text stands everywhere.
_SHORTEST_WORDS = 4
_NUMBERS = {f.path for f in ROW_FIELDS if f.reported}
_WORDS = ("endpoint", "finding", "population", "duration")


@dataclass(frozen=True)
class Located:
    """One field's value and the places it stands."""

    field: str
    text: str
    hits: tuple[Hit, ...]


def printed_forms(text: str) -> list[str]:
    """The forms a paper may print a number in: as typed, then with each other minus sign and
    with a middle dot for a decimal point (``−4.6``: ``-4.6``, ``–4.6``; ``0.55``: ``0·55``)."""
    text = text.strip()
    forms = [text]
    core = text.lstrip("".join(_MINUSES) + " ")
    if core != text:  # a negative number: every minus sign, close up to its digits
        forms += [sign + core for sign in _MINUSES if sign + core not in forms]
    for form in list(forms):
        if "." in form:
            forms.append(form.replace(".", "·"))
        elif "·" in form:
            forms.append(form.replace("·", "."))
    return list(dict.fromkeys(forms))


def search_terms(row: Row, path: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """What to look for to place field ``path`` of ``row``: the value as shown, and each printed form
    with whether it must stand as a whole number; None for a field with no value, ``NR``, or a value
    not placed (a list's choice, a word too short to mean anything)."""
    value = value_at(row, path)
    if value is None:
        return None
    if path in _NUMBERS:
        assert isinstance(value, Reported)
        if value.not_reported:
            return None
        forms = printed_forms(value.text) if value.relation is None else [value.text.strip()]
        return value.text.strip(), [(form, True) for form in forms]
    if path in _WORDS and isinstance(value, str) and len(value.strip()) >= _SHORTEST_WORDS:
        return value, [(value, False)]
    return None


def locate_row(row: Row, data: bytes, name: str = "the file") -> list[Located]:
    """Each field of ``row`` with a value, in the field table's order, and where it stands in the PDF.

    ``NR`` is not looked for (the paper does not print it), nor are numbers
    printed with a relation looked for apart from it (``<0.001`` as printed
    only). :class:`curator.pdf.PdfError` when the data are not a readable PDF."""
    wanted: list[tuple[str, str, list[tuple[str, bool]]]] = []
    for field in ROW_FIELDS:
        terms = search_terms(row, field.path)
        if terms is not None:
            wanted.append((field.path, *terms))
    forms = [form for _path, _shown, field_forms in wanted for form in field_forms]
    hits: list[list[Hit]] = [[] for _ in forms]
    if forms:
        with Paper(data, name) as paper:  # one pass over the pages for every value of the row
            for page in range(1, paper.pages + 1):
                for found, on_page in zip(hits, paper.find_each(forms, page), strict=True):
                    found.extend(on_page)
    located: list[Located] = []
    at = 0
    for path, shown, field_forms in wanted:
        field_hits = [hit for found in hits[at : at + len(field_forms)] for hit in found]
        at += len(field_forms)
        located.append(Located(path, shown, tuple(field_hits)))
    return located
