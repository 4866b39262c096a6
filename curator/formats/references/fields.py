"""Small helpers shared by the readers: clean text, years, pages, notes."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["clean", "parse_year", "join_pages", "note_from", "strip_doi"]

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
