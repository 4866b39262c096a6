"""Citations and references: missing, dangling, unused, duplicate, malformed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from curator.checks.context import ReviewContext
from curator.checks.finding import Finding
from curator.checks.registry import rule
from curator.references.matching import (
    Duplicates,
    near_duplicate_titles,
    normalize_doi,
    normalize_title,
    within_edits,
)
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
            # "7, 9" typed for two keys is one key: say how to name two
            commas = [k for k in missing if "," in k and all(p.strip() in keys for p in k.split(","))]
            hint = (
                f" (keys are separated by ';': {'; '.join(p.strip() for p in commas[0].split(','))})" if commas else ""
            )
            yield ctx.row_finding(
                "citation-dangling",
                where,
                "citations",
                f"the row cites {listed}, but the review has no such {noun}{hint}",
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


def _present(text: str | None) -> str | None:
    if text is None:
        return None
    t = text.strip()
    return t or None


#: How many of a reference's duplicates its finding names; the rest are counted ("and 3,994 more").
NAMED = 5


@rule("reference-duplicate", "warning", "two references with the same DOI, PMID or (nearly) the same title")
def reference_duplicate(ctx: ReviewContext) -> Iterator[Finding]:
    """Each reference with duplicates gets one finding naming them: all of them up to NAMED, else the first
    NAMED and how many more, so that n copies of one record cost n findings of bounded length, not n² names."""
    refs = ctx.review.references
    dup = Duplicates(refs)
    for i, ref in enumerate(refs):
        total = dup.count(i)
        if not total:
            continue
        shown = dup.first(i, NAMED)
        more = total - len(shown)
        parts = [f"{refs[j].key!r} ({', '.join(reasons)})" for j, reasons in shown]
        tail = f" and {more:,} more" if more else ""
        values: list[object] = [dup.dois[i], dup.pmids[i], dup.titles[i]]
        values += [(refs[j].key, dup.dois[j], dup.pmids[j], dup.titles[j]) for j, _ in shown]
        if more:  # the unnamed ones change the fingerprint too
            values += [total, dup.digest(i)]
        yield ctx.reference_finding(
            "reference-duplicate",
            ref,
            None,
            f"reference {ref.key!r} looks like a duplicate of {', '.join(parts)}{tail}",
            values,
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
