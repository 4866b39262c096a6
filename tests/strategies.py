"""Hypothesis strategies for whole reviews, as a reviewer might enter them.

Reported numbers are generated as printed texts (decimals kept, leading
dots, Unicode minus, relations, exponents), free text as any Unicode.
``reviews(format_1_1=True)`` also draws every field format 1.1 added, the
printed forms papers use (``0·55``, ``− 4.6``, ``3,145``, ``NR``), a CI
level printed as a string, source documents and evidence.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from curator.fields import ROW_FIELDS
from curator.numbers import parse_reported
from curator.review import (
    ANALYSES,
    CONTRASTS,
    DIRECTIONS,
    EFFECT_MEASURES,
    FAVOURS,
    MEASURES,
    STATUSES,
    AcceptedFinding,
    Arm,
    Comparison,
    Document,
    Effect,
    Evidence,
    Reference,
    Review,
    Row,
    Source,
)

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
maybe_text = st.none() | text
key = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8).filter(lambda s: s.strip())


#: What a paper prints for a number beyond the plain forms (exchange-format.md, "Version 1.1").
_NOT_REPORTED = ("NR", "nr", "Nr", " NR ")


@st.composite
def paper_number(draw: Any, whole: bool = False) -> str:
    """A number as papers print it: a middle dot as the decimal point, a
    minus as an en dash or U+2212 with a space, grouped digits in a reported
    integer, or NR; else a plain printed number."""
    form = draw(st.integers(0, 5))
    if form == 0:
        return draw(st.sampled_from(_NOT_REPORTED))
    if form == 1 and whole:
        groups = draw(st.lists(st.integers(0, 999), min_size=1, max_size=2))
        separator = draw(st.sampled_from([",", " ", "\u2009", "\u202f"]))
        return str(draw(st.integers(1, 999))) + "".join(f"{separator}{g:03d}" for g in groups)
    if form == 2 and not whole:
        dot = draw(st.sampled_from(["·", "∙"]))
        return f"{draw(st.integers(0, 999))}{dot}{draw(st.integers(0, 99)):02d}"
    if form == 3:
        minus = draw(st.sampled_from(["− ", "– ", "–", "- "]))
        return f"{minus}{draw(st.integers(0, 99))}" + ("" if whole else f".{draw(st.integers(0, 9))}")
    return draw(printed_number(whole))


@st.composite
def printed_number(draw: Any, whole: bool = False) -> str:
    relation = draw(st.sampled_from(["", "", "", "<", "≤", "<=", ">", "≥", "=", "< ", "= "]))
    sign = draw(st.sampled_from(["", "", "", "-", "−", "+"]))
    integer = draw(st.integers(0, 10**6))
    decimals = 0 if whole else draw(st.integers(0, 5))
    fraction = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=decimals, max_size=decimals)))
    body = f"{integer}.{fraction}" if fraction else str(integer)
    if fraction and integer == 0 and draw(st.booleans()):
        body = body[1:]  # ".03"
    if not whole and draw(st.integers(0, 9)) == 0:
        body += draw(st.sampled_from(["e-5", "E3", "e−2"]))
    return relation + sign + body


def reported(whole: bool = False, paper: bool = False) -> Any:
    if paper:
        return st.none() | paper_number(whole).map(lambda t: parse_reported(t, whole=whole))
    return st.none() | printed_number(whole).map(parse_reported)


json_scalars = (
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False) | text
)
json_values = st.recursive(
    json_scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(text, c, max_size=3), max_leaves=6
)
extensions = st.dictionaries(text.map(lambda s: "x-" + s), json_values, max_size=2)

arms = st.builds(
    Arm,
    value=reported(),
    text=maybe_text,
    n=reported(whole=True),
    events=reported(whole=True),
    sd=reported(),
    extensions=extensions,
)
effects = st.builds(
    Effect,
    measure=st.none() | st.sampled_from(EFFECT_MEASURES),
    value=reported(),
    ci_low=reported(),
    ci_high=reported(),
    ci_level=st.none() | st.integers(1, 99) | st.floats(0.5, 99.9),
    p=reported(),
    direction=st.none() | st.sampled_from(DIRECTIONS),
    versus=maybe_text,
    extensions=extensions,
)
#: Arms and effects with every field of format 1.1, numbers printed as papers print them.
arms_1_1 = st.builds(
    Arm,
    value=reported(paper=True),
    text=maybe_text,
    n=reported(whole=True, paper=True),
    events=reported(whole=True, paper=True),
    sd=reported(paper=True),
    se=reported(paper=True),
    ci_low=reported(paper=True),
    ci_high=reported(paper=True),
    q1=reported(paper=True),
    q3=reported(paper=True),
    min=reported(paper=True),
    max=reported(paper=True),
    extensions=extensions,
)
effects_1_1 = st.builds(
    Effect,
    measure=st.none() | st.sampled_from(EFFECT_MEASURES),
    value=reported(paper=True),
    ci_low=reported(paper=True),
    ci_high=reported(paper=True),
    ci_level=st.none() | st.integers(1, 99) | st.floats(0.5, 99.9) | reported(paper=True),
    p=reported(paper=True),
    direction=st.none() | st.sampled_from(DIRECTIONS),
    versus=maybe_text,
    se=reported(paper=True),
    adjusted=st.none() | st.booleans(),
    contrast=st.none() | st.sampled_from(CONTRASTS),
    method=maybe_text,
    extensions=extensions,
)
sha256 = st.binary(min_size=32, max_size=32).map(bytes.hex)
coordinate = st.integers(-(2**31), 2**31) | st.floats(allow_nan=False, allow_infinity=False)
evidence_entries = st.builds(
    Evidence,
    document=st.just(""),  # set to a document of the review by rows()
    page=st.integers(1, 2**31),
    text=maybe_text,
    boxes=st.lists(st.lists(coordinate, min_size=4, max_size=4), max_size=2),
    extensions=extensions,
)


@st.composite
def rows(draw: Any, reference_keys: list[str], documents: list[str] | None = None) -> Row:
    """A row; with ``documents`` (their sha256, maybe none), a row of format 1.1."""
    new = documents is not None
    arm, eff = (arms_1_1, effects_1_1) if new else (arms, effects)
    intervention = draw(st.none() | arm)
    comparator = draw(st.none() | arm)
    effect = draw(st.none() | eff)
    if intervention is None and comparator is None and effect is None:
        intervention = draw(arm)
    citations = draw(
        st.lists(st.sampled_from(reference_keys) | key, max_size=3) if reference_keys else st.lists(key, max_size=2)
    )
    evidence = {}
    if documents:
        for path in draw(st.lists(st.sampled_from(_PATHS), max_size=3, unique=True)):
            evidence[path] = draw(evidence_entries)
            evidence[path].document = draw(st.sampled_from(documents))
    return Row(
        endpoint=draw(key),
        measure=draw(st.none() | st.sampled_from(MEASURES)),
        analysis=draw(st.none() | st.sampled_from(ANALYSES)) if new else None,
        integer_items=draw(reported(whole=True, paper=True)) if new else None,
        unit=draw(maybe_text),
        higher_is_better=draw(st.none() | st.booleans()),
        intervention=intervention,
        comparator=comparator,
        effect=effect,
        finding=draw(maybe_text),
        favours=draw(st.none() | st.sampled_from(FAVOURS)),
        duration=draw(maybe_text),
        population=draw(maybe_text),
        citations=citations,
        source=draw(st.none() | st.builds(Source, location=maybe_text, quote=maybe_text, extensions=extensions)),
        status=draw(st.sampled_from(STATUSES)),
        extracted_by=draw(maybe_text),
        verified_by=draw(maybe_text),
        note=draw(maybe_text),
        evidence=evidence,
        extensions=draw(extensions),
    )


_PATHS = tuple(f.path for f in ROW_FIELDS)

references = st.builds(
    Reference,
    key=key,
    title=maybe_text,
    authors=st.lists(text, max_size=3),
    journal=maybe_text,
    volume=maybe_text,
    issue=maybe_text,
    pages=maybe_text,
    year=st.none() | st.integers(-(2**62), 2**62),
    pmid=maybe_text,
    pmcid=maybe_text,
    doi=st.none() | text.filter(lambda s: "doi.org/" not in s.lower()),
    url=maybe_text,
    note=maybe_text,
    extensions=extensions,
)


@st.composite
def reviews(draw: Any, max_rows: int = 4, format_1_1: bool = False) -> Review:
    """A review; with ``format_1_1``, one that may use everything format 1.1 added."""
    refs = draw(st.lists(references, max_size=4, unique_by=lambda r: r.key))
    ref_keys = [r.key for r in refs]
    documents: list[Document] = []
    if format_1_1:
        documents = draw(
            st.lists(
                st.builds(
                    Document,
                    sha256=sha256,
                    file=key,
                    reference=st.none() | (st.sampled_from(ref_keys) if ref_keys else key),
                    media_type=st.none() | st.sampled_from(["application/pdf", "text/html"]),
                    pages=st.none() | st.integers(1, 2000),
                    extensions=extensions,
                ),
                max_size=2,
                unique_by=lambda d: d.sha256,
            )
        )
    shas = [d.sha256 for d in documents] if format_1_1 else None
    comparisons = draw(
        st.lists(
            st.builds(
                Comparison,
                key=key,
                title=key,
                intervention=key,
                comparator=key,
                note=maybe_text,
                rows=st.lists(rows(ref_keys, shas), max_size=max_rows),
                extensions=extensions,
            ),
            max_size=3,
            unique_by=lambda c: c.key,
        )
    )
    accepted = []
    for _ in range(draw(st.integers(0, 2))):
        finding = AcceptedFinding(
            rule=draw(key),
            reason=draw(key),
            field=draw(maybe_text),
            by=draw(maybe_text),
            at=draw(st.none() | st.datetimes().map(lambda d: d.isoformat())),
            fingerprint=draw(maybe_text),
            extensions=draw(extensions),
        )
        if comparisons and draw(st.booleans()):
            comparison = draw(st.sampled_from(comparisons))
            finding.comparison = comparison.key
            if comparison.rows and draw(st.booleans()):
                finding.row = draw(st.integers(0, len(comparison.rows) - 1))
                finding.endpoint = comparison.rows[finding.row].endpoint
        elif refs and draw(st.booleans()):
            finding.reference = draw(st.sampled_from(refs)).key
        accepted.append(finding)
    return Review(
        title=draw(maybe_text),
        references=refs,
        comparisons=comparisons,
        accepted_findings=accepted,
        documents=documents,
        extensions=draw(extensions),
    )
