"""Rows and fields named for people: one way, in every message and menu.

A row is ``row 3 (Itch) of pime-vs-tcs``: counted from 1, with its endpoint
(the ``curator/1`` contract's 0-based ``row`` stays in JSON output and in
finding names; people never see it). A field is named by its label in
:mod:`curator.fields`; an arm's field by the comparison's arm label and the
field's own (``Pimecrolimus arm: n``), so a reviewer reads the words the
form shows, never a dotted path like ``intervention.n``.

This module is core: it imports neither Qt nor the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from curator import fields

__all__ = [
    "value_words",
    "from_words",
    "new_key",
    "slug",
    "fresh_name",
    "Arms",
    "field_label",
    "row_place",
    "field_place",
    "row_number",
    "COMPARISON_LABELS",
    "comparison_label",
    "reference_label",
    "short_citation",
    "surname",
    "source_name",
    "page_place",
]

#: A label longer than this is shortened (with …) where ``short`` is asked for (menus).
SHORT = 40


@dataclass(frozen=True, slots=True)
class Arms:
    """A comparison's arm labels (empty when unknown)."""

    intervention: str = ""
    comparator: str = ""

    def label(self, part: str) -> str:
        return (self.intervention if part == "intervention" else self.comparator).strip()


def _shorten(text: str, short: bool) -> str:
    return text if not short or len(text) <= SHORT else text[: SHORT - 1].rstrip() + "…"


def row_number(position: int) -> int:
    """The number people see for the row at a 0-based position."""
    return position + 1


def field_label(path: str, arms: Arms | None = None, *, short: bool = False) -> str:
    """Field ``path`` named for people: ``Pimecrolimus arm: n``, ``Effect: CI low``, ``Endpoint``.

    An arm's field takes the comparison's arm label (``Pimecrolimus`` ->
    ``Pimecrolimus arm: n``; a label that already ends in *arm* or *group*
    is not followed by another ``arm``); without one, the field's own label
    (``Intervention n``). A name that is no field is given back as it is.
    ``short`` shortens a long arm label (for a menu)."""
    try:
        field = fields.row_field(path)
    except KeyError:
        return path
    part = field.part
    if part in ("intervention", "comparator"):
        tail = field.label.split(" ", 1)[1] if " " in field.label else field.name
        label = arms.label(part) if arms is not None else ""
        if not label:
            return field.label
        label = _shorten(label, short)
        last = label.rsplit(" ", 1)[-1].casefold()
        return f"{label}: {tail}" if last in ("arm", "group") else f"{label} arm: {tail}"
    if part == "effect":
        tail = field.label.removeprefix("Effect ")
        if tail[:1].isupper() and tail[1:2].islower():  # a word, not an abbreviation: as the others read
            tail = tail[0].lower() + tail[1:]  # (Effect: adjusted beside Effect: value, Effect: CI low)
        return f"Effect: {tail}"
    return field.label


def row_place(comparison: str, position: int, endpoint: str | None = None) -> str:
    """A row in people's words: ``row 3 (Itch) of pime-vs-tcs`` (rows counted from 1)."""
    what = f" ({endpoint})" if endpoint else ""
    return f"row {row_number(position)}{what} of {comparison}"


def field_place(
    comparison: str,
    position: int,
    path: str,
    endpoint: str | None = None,
    arms: Arms | None = None,
    *,
    short: bool = False,
) -> str:
    """A field of a row in people's words: ``Pimecrolimus arm: n in row 3 (Itch) of pime-vs-tcs``."""
    return f"{field_label(path, arms, short=short)} in {row_place(comparison, position, endpoint)}"


#: The fields of a comparison, named for people.
COMPARISON_LABELS = {
    "key": "Key",
    "title": "Title",
    "intervention": "Intervention arm label",
    "comparator": "Comparator arm label",
    "note": "Note",
}


def comparison_label(name: str) -> str:
    """A field of a comparison named for people (``Intervention arm label``); an unknown name as it is."""
    return COMPARISON_LABELS.get(name, name)


#: The longest key :func:`slug` makes (a key is typed in commands and shown in lists).
KEY_LENGTH = 40


def slug(text: str, limit: int = KEY_LENGTH) -> str:
    """A short key from a title: ``Pimecrolimus vs TCS (children)`` -> ``pimecrolimus-vs-tcs-children``.

    Lower case ASCII letters and digits (accents dropped), words joined by
    ``-``, cut at a word boundary within ``limit`` characters; empty when the
    text has no letter or digit."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").casefold()
    words = re.findall(r"[a-z0-9]+", plain)
    out = ""
    for word in words:
        joined = f"{out}-{word}" if out else word
        if len(joined) > limit:
            return out or word[:limit]
        out = joined
    return out


def new_key(title: str, taken: Collection[str]) -> str:
    """A comparison key derived from ``title`` that no comparison in ``taken`` has
    (``-2``, ``-3``... added when needed); empty for a title without letters or digits."""
    base = slug(title)
    if not base:
        return ""
    key, n = base, 2
    while key in taken:
        key = f"{base}-{n}"
        n += 1
    return key


def fresh_name(
    folder: Path, stem: str = "review", suffix: str = ".sqlite", exists: Callable[[Path], bool] | None = None
) -> Path:
    """A file in ``folder`` that does not exist yet: ``review.sqlite``, else ``review-2.sqlite``..."""
    there = exists or (lambda p: p.exists())
    candidate, n = folder / f"{stem}{suffix}", 2
    while there(candidate):
        candidate = folder / f"{stem}-{n}{suffix}"
        n += 1
    return candidate


def reference_label(name: str) -> str:
    """A field of a reference named for people (``DOI``, ``Year``); an unknown name as it is."""
    try:
        return fields.reference_field(name).label
    except KeyError:
        return name


def short_citation(reference: Any) -> str:
    """A reference as people name it in a sentence: its first author's family name and its year
    (``Wahn 2002``), else its title's first words, else its key in brackets (``[7]``)."""
    authors = getattr(reference, "authors", None) or []
    year = getattr(reference, "year", None)
    if authors:
        family = surname(str(authors[0]))
        more = " et al." if len(authors) > 2 else (f" and {surname(str(authors[1]))}" if len(authors) == 2 else "")
        return f"{family}{more}" + (f" {year}" if year else "")
    title = (getattr(reference, "title", None) or "").strip()
    if title:
        words = title.split()
        return " ".join(words[:5]) + ("…" if len(words) > 5 else "") + (f" ({year})" if year else "")
    return f"[{reference.key}]"


_YES_NO = {"true": "yes", "false": "no", "1": "yes", "0": "no"}


def from_words(path: str, text: str) -> str:
    """What people typed in the words :func:`value_words` shows (``yes``, ``Kaplan–Meier``, any case)
    as the stored text (``TRUE``, ``kaplan_meier``); any other text as typed."""
    try:
        kind = fields.row_field(path).kind
    except KeyError:
        return text
    if isinstance(kind, fields.Boolean | fields.Choice):
        for word, value in kind.options():
            if word.casefold() == text.strip().casefold():
                return value
    return text


def value_words(path: str, text: str | None) -> str | None:
    """A stored value as people read it: a yes/no field's ``TRUE``/``false`` as ``yes``/``no``;
    a choice's value in the words its drop-down shows (``kaplan_meier`` as ``Kaplan–Meier``);
    anything else as stored."""
    if not text:
        return text
    try:
        kind = fields.row_field(path).kind
    except KeyError:
        return text
    if isinstance(kind, fields.Boolean):
        return _YES_NO.get(text.strip().lower(), text)
    if isinstance(kind, fields.Choice):
        return dict((value, word) for word, value in kind.options()).get(text.strip(), text)
    return text


def surname(author: str) -> str:
    """An author's family name as a citation gives it: ``Wahn U`` and ``Wahn, Ulrich`` -> ``Wahn``
    (a trailing group of initials dropped); a name that is one word, or all words, as it is."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    words = author.split()
    if len(words) > 1 and re.fullmatch(r"(?:[A-Z]\.?-?){1,4}", words[-1]):
        return " ".join(words[:-1])
    return author


def source_name(file: str, authors: Sequence[str] = (), year: int | None = None) -> str:
    """A source document named for people, as a short citation: its reference's first author and year
    (``Wahn 2002``), the author alone or the year alone when only one is known; else its file name."""
    first = surname(authors[0]) if authors else ""
    head = " ".join(part for part in (first, str(year) if year else "") if part)
    return head or file


def page_place(page: int, source: str | None = None) -> str:
    """Where a value was read: ``p. 3 of Wahn 2002`` (``p. 3`` without the source's name)."""
    return f"p. {page} of {source}" if source else f"p. {page}"
