"""Small helpers shared by the readers: clean text, years, pages, notes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["clean", "parse_year", "join_pages", "note_from", "strip_doi", "doi_from_url", "one_dash"]

_SPACE = re.compile(r"\s+")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|21\d\d)(?!\d)")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
#: A DOI: directory indicator ``10.``, a registrant code, ``/`` and a suffix (DOI Handbook 2.2).
_DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
#: Hosts whose whole path is a DOI: the resolvers (``doi.org``, ``dx.doi.org``) and the
#: publishers' own (``doi.acm.org``, ``doi.wiley.com``, ``doi.ieeecomputersociety.org``...).
_RESOLVER = re.compile(r"^(?:[a-z0-9-]+\.)*doi\.(?:org|acm\.org|wiley\.com|ieeecomputersociety\.org|apa\.org)$")
#: What a publisher's page adds after a DOI in its path (``/abstract``, ``.pdf``).
_DOI_TAIL = re.compile(r"(?:\.pdf|/(?:abstract|full|fulltext|pdf|epdf|summary|references|meta|html))+$", re.I)


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
    """A DOI without a resolver or ``doi:`` prefix (case kept); None when empty.

    A URL that holds a DOI (``http://doi.acm.org/10.1145/...``) gives that DOI
    (:func:`doi_from_url`); any other text is kept as given.
    """
    text = clean(value)
    if text is None:
        return None
    found = None if text.lower().startswith(("10.", "doi:")) else doi_from_url(text)
    return found or _DOI_PREFIX.sub("", text).strip() or None


def doi_from_url(url: object) -> str | None:
    """The DOI a URL holds, or None.

    - a resolver's URL, whose whole path is the DOI: ``https://doi.org/10.1000/x``,
      ``http://dx.doi.org/...``, ``http://doi.acm.org/10.1145/...``, ``doi.wiley.com``;
    - a publisher's page with the DOI as two path segments: ``dl.acm.org/doi/abs/10.1145/3292500.3330701``,
      ``onlinelibrary.wiley.com/doi/full/10.1002/sim.1186/abstract``,
      ``link.springer.com/content/pdf/10.1007/s10654-019-00567-8.pdf`` (what the page adds
      after the DOI, ``/abstract``, ``.pdf``, is left out);
    - a query parameter holding a DOI: ``journals.plos.org/plosone/article?id=10.1371/journal.pone.0001``.

    Percent-escapes are decoded (``%2F`` is ``/``); a URL without a DOI gives None.
    """
    text = clean(url)
    if text is None:
        return None
    if not re.match(r"^https?://", text, re.IGNORECASE):
        text = "http://" + text if re.match(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}/", text, re.I) else text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    path = unquote(parts.path).lstrip("/")
    if _RESOLVER.match(host) and _DOI.match(path):
        return path
    segments = path.split("/")
    for i, segment in enumerate(segments[:-1]):
        if re.fullmatch(r"10\.\d{4,9}(?:\.\d+)*", segment) and segments[i + 1]:
            doi = _DOI_TAIL.sub("", "/".join(segments[i:]))
            if _DOI.match(doi):
                return doi
    for _, value in parse_qsl(parts.query):
        value = value.strip()
        if _DOI.match(value):
            return value
    return None


def note_from(own: Iterable[str | None], extra: Iterable[tuple[str, str]]) -> str | None:
    """A note: the record's own note lines, then ``label: value`` for anything unmapped."""
    lines = [line.strip() for text in own if text for line in text.split("\n") if line.strip()]
    lines += [f"{label}: {value}" for label, value in extra if value]
    return "\n".join(lines) or None
