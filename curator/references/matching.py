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
(``titles_need_agreement``). The import asks only for each incoming
record's best match (:func:`best_matches`), which it finds without listing
every pair: a file of 4,000 copies of one record has 8 million pairs.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections.abc import Sequence
from typing import Any

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
    "best_matches",
    "Duplicates",
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


#: The subsets of (DOI, PMID, year) a record can have set, as bit masks.
_MASKS = range(8)


def best_matches(refs: Sequence[Reference], n: int) -> dict[int, tuple[int, list[str]]]:
    """For each record ``b >= n``, the record ``a < b`` it best matches, with why; as the import wants it.

    The first ``n`` of ``refs`` are the review's references, the rest the
    incoming records. The pairs are those of ``find_duplicates(refs,
    titles_need_agreement=True)``, and the best for ``b`` is the one with the
    least (``a`` is incoming, rank of its first reason in :data:`REASONS`,
    ``a``). Linear in the number of records (plus the near-title candidates):
    each record is looked up by its DOI, its PMID and its title, and a title
    match is looked up among earlier records whose DOI, PMID and year do not
    disagree, through an index of every combination of the three that is set.
    """
    dois = [normalize_doi(r.doi) for r in refs]
    pmids = [normalize_pmid(r.pmid) for r in refs]
    titles = [normalize_title(r.title) for r in refs]
    years = [r.year for r in refs]
    # Near titles among the distinct titles (not among the records: copies share one title).
    distinct: dict[str, int] = {}
    for t in titles:
        if t:
            distinct.setdefault(t, len(distinct))
    names = list(distinct)
    near: dict[str, list[str]] = {}
    for u, v in near_duplicate_titles(names):
        near.setdefault(names[u], []).append(names[v])
        near.setdefault(names[v], []).append(names[u])

    def signature(i: int) -> tuple[str | None, str | None, int | None]:
        return (dois[i] or None, pmids[i] or None, years[i])

    # (value) -> [first review reference, first incoming record] with it
    by_doi: dict[str, list[int]] = {}
    by_pmid: dict[str, list[int]] = {}
    # (title, mask, the masked part of the signature) -> [first reference, first record]
    by_title: dict[tuple[str, int, tuple[Any, ...]], list[int]] = {}

    def first(index: dict[Any, list[int]], key: Any, tier: int) -> int | None:
        found = index.get(key)
        return None if found is None else (found[tier] if found[tier] >= 0 else None)

    def agreeing(title: str, b: int, tier: int) -> int | None:
        """The first record of ``tier`` with ``title`` whose DOI, PMID and year do not disagree with b's."""
        sig = signature(b)
        mask = sum(1 << k for k in range(3) if sig[k] is not None)
        best: int | None = None
        # Each of b's set values: the other record has it too, or has none.
        options = [((sig[k], None) if mask >> k & 1 else ()) for k in range(3)]
        for d in options[0] or (None,):
            for p in options[1] or (None,):
                for y in options[2] or (None,):
                    key = (title, mask, tuple(v for k, v in enumerate((d, p, y)) if mask >> k & 1))
                    a = first(by_title, key, tier)
                    if a is not None and (best is None or a < best):
                        best = a
        return best

    def add(index: dict[Any, list[int]], key: Any, i: int, tier: int) -> None:
        slot = index.setdefault(key, [-1, -1])
        if slot[tier] < 0:
            slot[tier] = i

    out: dict[int, tuple[int, list[str]]] = {}
    for b in range(len(refs)):
        tier_b = 0 if b < n else 1
        if b >= n:
            for tier in (0, 1):
                candidates = [
                    first(by_doi, dois[b], tier) if dois[b] else None,
                    first(by_pmid, pmids[b], tier) if pmids[b] else None,
                    agreeing(titles[b], b, tier) if titles[b] else None,
                ]
                found = [x for x in candidates if x is not None]
                a = found[0] if found else None
                if a is None and titles[b]:
                    for other in near.get(titles[b], ()):
                        x = agreeing(other, b, tier)
                        if x is not None and (a is None or x < a):
                            a = x
                if a is not None:
                    out[b] = (a, _reasons(a, b, dois, pmids, titles, years, near))
                    break
        if dois[b]:
            add(by_doi, dois[b], b, tier_b)
        if pmids[b]:
            add(by_pmid, pmids[b], b, tier_b)
        if titles[b]:
            # Under every mask, b's values there (None where it has none): found by any later
            # record whose set values b has too or lacks.
            sig = signature(b)
            for mask in _MASKS:
                add(by_title, (titles[b], mask, tuple(sig[k] for k in range(3) if mask >> k & 1)), b, tier_b)
    return out


def _reasons(
    a: int,
    b: int,
    dois: Sequence[str | None],
    pmids: Sequence[str | None],
    titles: Sequence[str],
    years: Sequence[int | None],
    near: dict[str, list[str]],
) -> list[str]:
    """Why records a and b match, in the order of :data:`REASONS` (as :func:`find_duplicates` gives them)."""
    reasons = []
    if dois[a] and dois[a] == dois[b]:
        reasons.append("DOI")
    if pmids[a] and pmids[a] == pmids[b]:
        reasons.append("PMID")
    differ = bool(
        (dois[a] and dois[b] and dois[a] != dois[b])
        or (pmids[a] and pmids[b] and pmids[a] != pmids[b])
        or (years[a] is not None and years[b] is not None and years[a] != years[b])
    )
    if titles[a] and titles[a] == titles[b] and not differ:
        reasons.append("title")
    elif titles[a] and titles[a] in near.get(titles[b], ()) and not differ:
        reasons.append("nearly the same title")
    return reasons


class Duplicates:
    """Each reference's duplicates as the ``reference-duplicate`` rule sees them, without listing every pair.

    The pairs are those of ``find_duplicates(refs)`` (equal titles always
    pair), but a group of copies is indexed once: :meth:`count` is how many
    references pair with one (inclusion and exclusion over the references
    sharing its DOI, its PMID, its title and their combinations, plus those
    with a near title whose DOI and PMID cannot disagree), and :meth:`first`
    the first few of them in order, with why. Both take constant time per
    reference (plus its near titles), so 4,000 copies of one record cost
    4,000 steps, not the 8 million pairs they make.
    """

    def __init__(self, refs: Sequence[Reference]) -> None:
        self.refs = refs
        self.dois = dois = [normalize_doi(r.doi) for r in refs]
        self.pmids = pmids = [normalize_pmid(r.pmid) for r in refs]
        self.titles = titles = [normalize_title(r.title) for r in refs]
        # key -> the references (in order) whose values under that combination are all set and equal
        self._groups: dict[tuple[Any, ...], list[int]] = {}
        for i in range(len(refs)):
            d, p, t = dois[i], pmids[i], titles[i]
            for which in range(1, 8):
                values = (d if which & 1 else None, p if which & 2 else None, t if which & 4 else None)
                if all(v for k, v in enumerate(values) if which >> k & 1):
                    self._groups.setdefault((which, *values), []).append(i)
        distinct = list(dict.fromkeys(t for t in titles if t))
        self.near: dict[str, set[str]] = {}
        for u, v in near_duplicate_titles(distinct):
            self.near.setdefault(distinct[u], set()).add(distinct[v])
            self.near.setdefault(distinct[v], set()).add(distinct[u])
        # title -> (has no DOI, has no PMID) -> the references with that title, in order
        self._shelves: dict[str, dict[tuple[bool, bool], list[int]]] = {}
        for i, t in enumerate(titles):
            if t in self.near:
                shelves = self._shelves.setdefault(t, {})
                shelves.setdefault((not dois[i], not pmids[i]), []).append(i)
        self._digests: dict[int, str] = {}

    def _group(self, which: int, i: int) -> list[int]:
        values = (
            self.dois[i] if which & 1 else None,
            self.pmids[i] if which & 2 else None,
            self.titles[i] if which & 4 else None,
        )
        if not all(v for k, v in enumerate(values) if which >> k & 1):
            return []
        return self._groups.get((which, *values), [])

    def _near_shelves(self, i: int) -> list[list[int]]:
        """The references with a title near i's that pair with i on it and share neither its DOI nor its PMID.

        A near title pairs unless the DOIs or the PMIDs differ; one sharing i's DOI or PMID is already in
        that group. So where i has a DOI the other has none, and likewise the PMID.
        """
        t = self.titles[i]
        out: list[list[int]] = []
        for other in sorted(self.near.get(t, ())):
            for (no_doi, no_pmid), members in self._shelves[other].items():
                if (no_doi or not self.dois[i]) and (no_pmid or not self.pmids[i]):
                    out.append(members)
        return out

    def count(self, i: int) -> int:
        """How many other references pair with reference ``i``."""
        union = 0
        for which in range(1, 8):
            sign = 1 if bin(which).count("1") % 2 else -1
            union += sign * len(self._group(which, i))
        if union:
            union -= 1  # i itself
        return union + sum(len(members) for members in self._near_shelves(i))

    def first(self, i: int, k: int) -> list[tuple[int, list[str]]]:
        """The first ``k`` references (in order) that pair with reference ``i``, each with why."""
        sources = [self._group(1, i), self._group(2, i), self._group(4, i), *self._near_shelves(i)]
        out: list[tuple[int, list[str]]] = []
        last = -1
        for j in heapq.merge(*sources):
            if j == i or j == last:
                continue
            last = j
            out.append((j, self.reasons(i, j)))
            if len(out) >= k:
                break
        return out

    def reasons(self, i: int, j: int) -> list[str]:
        """Why references i and j pair, in the order of :data:`REASONS` (empty when they do not)."""
        dois, pmids, titles = self.dois, self.pmids, self.titles
        out = []
        if dois[i] and dois[i] == dois[j]:
            out.append("DOI")
        if pmids[i] and pmids[i] == pmids[j]:
            out.append("PMID")
        differ = (dois[i] and dois[j] and dois[i] != dois[j]) or (pmids[i] and pmids[j] and pmids[i] != pmids[j])
        if titles[i] and titles[i] == titles[j]:
            out.append("title")
        elif titles[i] and titles[j] in self.near.get(titles[i], ()) and not differ:
            out.append("nearly the same title")
        return out

    def digest(self, i: int) -> str:
        """A digest of the key, DOI, PMID and title of every reference that pairs with ``i`` (and of i's
        groups' other members): it changes when any of them does. Each group is digested once."""
        parts = []
        for members in (self._group(1, i), self._group(2, i), self._group(4, i), *self._near_shelves(i)):
            if not members:
                continue
            cached = self._digests.get(id(members))
            if cached is None:
                h = hashlib.blake2b(digest_size=10)
                for j in members:
                    r = self.refs[j]
                    h.update(
                        "\x1f".join((r.key, r.doi or "", r.pmid or "", r.title or "")).encode("utf-8", "surrogatepass")
                    )
                    h.update(b"\x1e")
                cached = self._digests[id(members)] = h.hexdigest()
            parts.append(cached)
        return ",".join(parts)
