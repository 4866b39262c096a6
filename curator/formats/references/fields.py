"""Small helpers shared by the readers: clean text, years, pages, notes."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["clean", "parse_year", "join_pages", "note_from", "strip_doi", "one_dash"]

_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def clean(value: object) -> str | None:
    """One line of text with white space collapsed; None when empty."""
    if value is None:
        return None
    text = _SPACE.sub(" ", str(value)).strip()
    return text or None


def parse_year(value: object) -> int | None:
    """The first plausible four-digit year in a date ("2004///", "2004 Mar 15")."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    m = _YEAR.search(str(value))
    return int(m.group(1)) if m else None


def join_pages(start: str | None, end: str | None) -> str | None:
    """``"45-67"`` from a start and an end page; either may be missing."""
    start, end = clean(start), clean(end)
    if start and end and end != start:
        return f"{start}-{end}"
    return start or end


#: An en dash, em dash, figure dash, minus sign, horizontal bar or hyphen character, or ``--`` (BibTeX's
#: en dash), with any spaces around it, between two parts of a range.
_RANGE_DASH = re.compile(r"(?<=\w)\s*(?:--+|[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]|\s-\s)\s*(?=\w)")


def one_dash(value: str | None) -> str | None:
    """A range (pages "797–810", an issue "7–8") with Curator's one form of dash, a hyphen: ``"797-810"``.

    Vancouver prints page ranges with a hyphen ("123-9"), and so do PubMed, RIS and Web of Science
    exports; CSL-JSON and BibTeX write en dashes (``–``, ``--``). The last page is kept as printed
    ("349-69" stays so): only the dash is changed.
    """
    if value is None:
        return None
    return _RANGE_DASH.sub("-", value)


def strip_doi(value: object) -> str | None:
    """A DOI without a resolver or ``doi:`` prefix (case kept); None when empty."""
    text = clean(value)
    if text is None:
        return None
    return _DOI_PREFIX.sub("", text).strip() or None


def note_from(own: Iterable[str | None], extra: Iterable[tuple[str, str]]) -> str | None:
    """A note: the record's own note lines, then ``label: value`` for anything unmapped."""
    lines = [line.strip() for text in own if text for line in text.split("\n") if line.strip()]
    lines += [f"{label}: {value}" for label, value in extra if value]
    return "\n".join(lines) or None
