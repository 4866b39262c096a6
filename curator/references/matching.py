"""When two references are the same work: one matcher for import and the checks.

Two references match on the same DOI (ignoring case and a resolver or
``doi:`` prefix), the same PMID, a title equal after lower-casing and
removing everything but letters and digits, or a long title (30 letters
and digits or more) at most two edits away (a typo or two; rapidfuzz's
Levenshtein distance), digits equal. A near title never pairs two works
registered under different DOIs or PMIDs.

:func:`find_duplicates` serves both the ``reference-duplicate`` rule (as
the checks catalogue defines it) and the import, which also wants the
years and identifiers of a title match not to disagree
(``titles_need_agreement``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz.distance import Levenshtein

from curator.review import Reference

__all__ = [
    "REASONS",
    "normalize_doi",
    "normalize_pmid",
    "normalize_title",
    "within_edits",
    "near_duplicate_titles",
    "find_duplicates",
    "describe",
    "LONG_TITLE",
    "TITLE_EDITS",
]

_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)

#: The reasons two references match, in the order they are reported.
REASONS = ("DOI", "PMID", "title", "nearly the same title")
_DESCRIBED = {"DOI": "same DOI", "PMID": "same PMID", "title": "same title"}

#: A title this long (letters and digits) may match another with a typo or two.
LONG_TITLE = 30
#: How many typos "a typo or two" allows.
TITLE_EDITS = 2
#: Pieces a title is cut into for the candidate index; k edits leave at
#: least PIECES - k of them intact.
PIECES = 6


def normalize_doi(doi: str | None) -> str | None:
    """A DOI without a resolver prefix, lower-cased; None when empty."""
    if doi is None:
        return None
    d = _DOI_PREFIX.sub("", doi).strip().casefold()
    return d or None


def normalize_pmid(pmid: str | None) -> str | None:
    """A PMID without surrounding white space; None when empty."""
    if pmid is None:
        return None
    return pmid.strip() or None


def normalize_title(title: str | None) -> str:
    """A title lower-cased with everything but letters and digits removed."""
    if not title:
        return ""
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def within_edits(a: str, b: str, k: int) -> bool:
    """True when ``a`` and ``b`` are at most ``k`` edits apart (Levenshtein)."""
    return bool(Levenshtein.distance(a, b, score_cutoff=k) <= k)


def describe(reason: str) -> str:
    """``"same DOI"`` for ``"DOI"``: a reason as a user reads it."""
    return _DESCRIBED.get(reason, reason)


def _pieces(length: int) -> list[tuple[int, int]]:
    """Where a title of ``length`` is cut into PIECES pieces."""
    cuts = [length * i // PIECES for i in range(PIECES + 1)]
    return [(cuts[i], cuts[i + 1]) for i in range(PIECES)]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def near_duplicate_titles(titles: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of long titles at most TITLE_EDITS edits apart, not equal.

    An edit (substitution, insertion, deletion) breaks at most one of a
    title's PIECES pieces, so two titles k edits apart share at least
    PIECES - k pieces of the first, each found in the second shifted by at
    most k. Titles are indexed by their pieces and only pairs sharing that
    many get the edit distance. Titles whose digits differ ("Part 1",
    "Part 2") are not near duplicates, so the digits are part of the key.
    """
    k = TITLE_EDITS
    need = PIECES - k
    index: dict[tuple[str, int, int, str], list[int]] = {}
    digits = [_digits(t) for t in titles]
    pieces = {n: _pieces(n) for n in {len(t) for t in titles}}
    for i, t in enumerate(titles):
        if len(t) < LONG_TITLE:
            continue
        for p, (a, b) in enumerate(pieces[len(t)]):
            index.setdefault((digits[i], len(t), p, t[a:b]), []).append(i)
    out: list[tuple[int, int]] = []
    for j, t in enumerate(titles):
        if len(t) < LONG_TITLE:
            continue
        shared: dict[int, set[int]] = {}
        for length in range(len(t) - k, len(t) + k + 1):
            if length < LONG_TITLE:
                continue
            cuts = pieces.get(length) or _pieces(length)
            for p, (a, b) in enumerate(cuts):
                for shift in range(-k, k + 1):
                    s = a + shift
                    if s < 0 or s + (b - a) > len(t):
                        continue
                    for i in index.get((digits[j], length, p, t[s : s + b - a]), ()):
                        if i < j:
                            shared.setdefault(i, set()).add(p)
        for i in sorted(shared):
            if len(shared[i]) >= need and titles[i] != t and within_edits(titles[i], t, k):
                out.append((i, j))
    out.sort()
    return out


def find_duplicates(
    refs: Sequence[Reference], *, titles_need_agreement: bool = False
) -> dict[tuple[int, int], list[str]]:
    """Every pair (i, j), i < j, of references that look like the same work, with why.

    Reasons are among :data:`REASONS`, in that order. A near title never
    pairs references whose DOIs or PMIDs differ. With
    ``titles_need_agreement`` (import), no title match (equal or near) pairs
    references whose years, DOIs or PMIDs differ; a missing value never
    disagrees. Without it (the ``reference-duplicate`` rule), equal titles
    always pair.
    """
    dois = [normalize_doi(r.doi) for r in refs]
    pmids = [normalize_pmid(r.pmid) for r in refs]
    titles = [normalize_title(r.title) for r in refs]
    why: dict[tuple[int, int], list[str]] = {}

    def ids_differ(i: int, j: int) -> bool:
        return bool((dois[i] and dois[j] and dois[i] != dois[j]) or (pmids[i] and pmids[j] and pmids[i] != pmids[j]))

    def disagree(i: int, j: int) -> bool:
        yi, yj = refs[i].year, refs[j].year
        return ids_differ(i, j) or (yi is not None and yj is not None and yi != yj)

    def pair(i: int, j: int, reason: str) -> None:
        reasons = why.setdefault((i, j) if i < j else (j, i), [])
        if reason not in reasons:
            reasons.append(reason)

    def group(values: Sequence[str | None], reason: str) -> None:
        seen: dict[str, list[int]] = {}
        for i, v in enumerate(values):
            if v:
                seen.setdefault(v, []).append(i)
        for members in seen.values():
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    i, j = members[a], members[b]
                    if reason == "title" and titles_need_agreement and disagree(i, j):
                        continue
                    pair(i, j, reason)

    group(dois, "DOI")
    group(pmids, "PMID")
    group(titles, "title")
    for i, j in near_duplicate_titles(titles):
        if ids_differ(i, j) or (titles_need_agreement and disagree(i, j)):
            continue
        pair(i, j, "nearly the same title")
    return why
