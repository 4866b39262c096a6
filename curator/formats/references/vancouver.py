"""One reference in Vancouver style, as the seed guide's list and medical journals print it.

``Doe J, Roe R. Title of the paper. J Dermatol. 2004;12(3):45-67.
doi:10.1000/xyz. PMID: 12345678.`` More than six authors: the first six
and "et al." (ICMJE/NLM). Missing parts are left out with their
punctuation. The GUI, the Excel export and copy-to-clipboard all use
:func:`format_vancouver`.
"""

from __future__ import annotations

import re

from curator.review import Reference

__all__ = ["format_vancouver", "vancouver_author", "MAX_AUTHORS"]

#: Vancouver lists six authors, then "et al.".
MAX_AUTHORS = 6
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def vancouver_author(name: str) -> str:
    """``"Doe J"`` for ``"Doe, John"`` or ``"Doe, J. R."``; other forms as printed.

    A name without a comma is kept as printed ("Doe JR", "Cochrane Skin
    Group"): only "Family, Given" can be split safely. Hyphenated given
    names give both initials ("Jean-Pierre" is "JP").
    """
    name = " ".join(name.split())
    if "," not in name:
        return name
    family, _, given = name.partition(",")
    given = given.strip()
    suffix = ""
    if "," in given:  # "Doe, John, Jr."
        given, _, suffix = given.partition(",")
        suffix = suffix.strip().rstrip(".")
    initials = "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha())
    out = " ".join(p for p in (family.strip(), initials) if p)
    return f"{out} {suffix}" if suffix else out


def _sentence(text: str | None) -> str:
    """Text ending with a full stop (or its own ? or !), or "" when empty."""
    if not text or not text.strip():
        return ""
    t = " ".join(text.split())
    return t if t[-1] in ".?!" else f"{t}."


def format_vancouver(ref: Reference) -> str:
    """The reference in Vancouver style; "" when it has nothing to show."""
    parts: list[str] = []
    names = [vancouver_author(a) for a in ref.authors if a and a.strip()]
    if names:
        shown = ", ".join(names[:MAX_AUTHORS])
        parts.append(_sentence(f"{shown}, et al" if len(names) > MAX_AUTHORS else shown))
    parts.append(_sentence(ref.title))
    source = _sentence(ref.journal)
    issue = f"({ref.issue.strip()})" if ref.issue and ref.issue.strip() else ""
    volume = (ref.volume or "").strip() + issue
    locator = volume + (f":{ref.pages.strip()}" if ref.pages and ref.pages.strip() else "")
    if ref.year is not None:
        date = f"{ref.year};{locator}" if locator else str(ref.year)
    else:
        date = locator
    if date:
        parts.append(f"{source} {date}." if source else f"{date}.")
    elif source:
        parts.append(source)
    if ref.doi and ref.doi.strip():
        parts.append(f"doi:{_DOI_PREFIX.sub('', ref.doi).strip()}.")
    ids = []
    if ref.pmid and ref.pmid.strip():
        ids.append(f"PMID: {ref.pmid.strip()}")
    if ref.pmcid and ref.pmcid.strip():
        ids.append(f"PMCID: {ref.pmcid.strip()}")
    if ids:
        parts.append("; ".join(ids) + ".")
    if ref.url and ref.url.strip() and not (ref.doi or ref.pmid or ref.pmcid):
        parts.append(f"Available from: {ref.url.strip()}")
    return " ".join(p for p in parts if p)
