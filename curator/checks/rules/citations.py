"""Citations and references: missing, dangling, unused, duplicate, malformed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
from curator.checks.registry import rule
from curator.review import Reference

__all__ = ["normalize_doi", "normalize_title", "within_edits", "near_duplicate_titles"]


@rule("citation-missing", "warning", "a row cites no reference")
def citation_missing(ctx: ReviewContext) -> Iterator[Finding]:
    for where in ctx.rows:
        if not where.row.citations:
            yield ctx.row_finding(
                "citation-missing",
                where,
                "citations",
                "the row cites no reference: where do its numbers come from?",
                (),
            )


@rule("citation-dangling", "error", "a row cites a key that no reference has")
def citation_dangling(ctx: ReviewContext) -> Iterator[Finding]:
    keys = ctx.reference_keys
    for where in ctx.rows:
        missing = [k for k in where.row.citations if k not in keys]
        if missing:
            listed = ", ".join(repr(k) for k in missing)
            noun = "reference" if len(missing) == 1 else "references"
            yield ctx.row_finding(
                "citation-dangling",
                where,
                "citations",
                f"the row cites {listed}, but the review has no such {noun}",
                missing,
            )


@rule("reference-unused", "info", "a reference no row cites")
def reference_unused(ctx: ReviewContext) -> Iterator[Finding]:
    for ref in ctx.review.references:
        if ref.key not in ctx.cited:
            yield ctx.reference_finding(
                "reference-unused", ref, None, f"reference {ref.key!r} is cited by no row", (ref.key,)
            )


# ---------------------------------------------------------------------------

_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_DOI = re.compile(r"^10\.\d{4,9}(?:\.\d+)*/\S+$")
_PMID = re.compile(r"^\d{1,8}$")


def normalize_doi(doi: str | None) -> str | None:
    """A DOI without a resolver prefix, lower-cased; None when empty."""
    if doi is None:
        return None
    d = _DOI_PREFIX.sub("", doi).strip().casefold()
    return d or None


def _present(text: str | None) -> str | None:
    if text is None:
        return None
    t = text.strip()
    return t or None


def normalize_title(title: str | None) -> str:
    """A title lower-cased with everything but letters and digits removed."""
    if not title:
        return ""
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def within_edits(a: str, b: str, k: int) -> bool:
    """True when ``a`` and ``b`` are at most ``k`` edits apart (Levenshtein, banded)."""
    if abs(len(a) - len(b)) > k:
        return False
    if a == b:
        return True
    big = k + 1
    prev = {j: j for j in range(0, min(len(b), k) + 1)}
    for i in range(1, len(a) + 1):
        cur: dict[int, int] = {}
        lo, hi = max(0, i - k), min(len(b), i + k)
        ca = a[i - 1]
        for j in range(lo, hi + 1):
            if j == 0:
                cur[0] = i
                continue
            best = prev.get(j - 1, big) + (ca != b[j - 1])
            up = prev.get(j, big) + 1
            left = cur.get(j - 1, big) + 1
            best = min(best, up, left)
            cur[j] = best if best < big else big
        if min(cur.values()) > k:
            return False
        prev = cur
    return prev.get(len(b), big) <= k


#: A title this long (letters and digits) may match another with a typo or two.
LONG_TITLE = 30
#: How many typos "a typo or two" allows.
TITLE_EDITS = 2


#: Pieces a title is cut into for the candidate index; k edits leave at
#: least PIECES − k of them intact.
PIECES = 6


def _pieces(length: int) -> list[tuple[int, int]]:
    """Where a title of ``length`` is cut into PIECES pieces."""
    cuts = [length * i // PIECES for i in range(PIECES + 1)]
    return [(cuts[i], cuts[i + 1]) for i in range(PIECES)]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def near_duplicate_titles(titles: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, of long titles at most TITLE_EDITS edits apart, not equal.

    An edit (substitution, insertion, deletion) breaks at most one of a
    title's PIECES pieces, so two titles k edits apart share at least
    PIECES − k pieces of the first, each found in the second shifted by at
    most k. Titles are indexed by their pieces and only pairs sharing that
    many get the (banded) edit distance. Titles whose digits differ
    ("Part 1", "Part 2") are not near duplicates, so the digits are part of
    the index key.
    """
    k = TITLE_EDITS
    need = PIECES - k
    index: dict[tuple[str, int, int, str], list[int]] = {}
    digits = [_digits(t) for t in titles]
    for i, t in enumerate(titles):
        if len(t) < LONG_TITLE:
            continue
        for p, (a, b) in enumerate(_pieces(len(t))):
            index.setdefault((digits[i], len(t), p, t[a:b]), []).append(i)
    out: list[tuple[int, int]] = []
    for j, t in enumerate(titles):
        if len(t) < LONG_TITLE:
            continue
        shared: dict[int, set[int]] = {}
        for length in range(len(t) - k, len(t) + k + 1):
            if length < LONG_TITLE:
                continue
            for p, (a, b) in enumerate(_pieces(length)):
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


@rule("reference-duplicate", "warning", "two references with the same DOI, PMID or (nearly) the same title")
def reference_duplicate(ctx: ReviewContext) -> Iterator[Finding]:
    refs = ctx.review.references
    why: dict[int, dict[int, list[str]]] = {}

    def pair(i: int, j: int, reason: str) -> None:
        for x, y in ((i, j), (j, i)):
            reasons = why.setdefault(x, {}).setdefault(y, [])
            if reason not in reasons:
                reasons.append(reason)

    def group(values: list[str | None], reason: str) -> None:
        seen: dict[str, list[int]] = {}
        for i, v in enumerate(values):
            if v:
                seen.setdefault(v, []).append(i)
        for members in seen.values():
            for a in range(len(members)):
                for b in range(a + 1, len(members)):
                    pair(members[a], members[b], reason)

    dois = [normalize_doi(r.doi) for r in refs]
    pmids = [_present(r.pmid) for r in refs]
    titles = [normalize_title(r.title) for r in refs]
    group(dois, "DOI")
    group(pmids, "PMID")
    group(titles, "title")  # type: ignore[arg-type]
    for i, j in near_duplicate_titles(titles):
        # Two works registered under different DOIs or PMIDs are different works.
        if (dois[i] and dois[j] and dois[i] != dois[j]) or (pmids[i] and pmids[j] and pmids[i] != pmids[j]):
            continue
        pair(i, j, "nearly the same title")
    for i, ref in enumerate(refs):
        others = why.get(i)
        if not others:
            continue
        parts = [f"{refs[j].key!r} ({', '.join(reasons)})" for j, reasons in sorted(others.items())]
        yield ctx.reference_finding(
            "reference-duplicate",
            ref,
            None,
            f"reference {ref.key!r} looks like a duplicate of {', '.join(parts)}",
            (dois[i], pmids[i], titles[i], *[(refs[j].key, dois[j], pmids[j], titles[j]) for j in sorted(others)]),
        )


def _identifier_problems(ref: Reference) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    doi = _present(ref.doi)
    if doi is not None:
        bare = _DOI_PREFIX.sub("", doi).strip()
        if not _DOI.match(bare):
            out.append(("doi", f"DOI {doi!r} is not of the form 10.NNNN/suffix"))
    pmid = _present(ref.pmid)
    if pmid is not None and not _PMID.match(pmid):
        out.append(("pmid", f"PMID {pmid!r} is not 1 to 8 digits"))
    if not any(_present(x) for x in (ref.doi, ref.pmid, ref.pmcid, ref.url)):
        out.append((None, f"reference {ref.key!r} has no DOI, PMID, PMCID or URL: it cannot be looked up"))
    return out


@rule("reference-identifier", "warning", "a malformed DOI or PMID, or a reference with no identifier")
def reference_identifier(ctx: ReviewContext) -> Iterator[Finding]:
    for ref in ctx.review.references:
        for field, message in _identifier_problems(ref):
            value = getattr(ref, field) if field else None
            yield ctx.reference_finding(
                "reference-identifier",
                ref,
                field,
                message,
                (value,) if field else (ref.doi, ref.pmid, ref.pmcid, ref.url),
            )
