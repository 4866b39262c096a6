"""Hypothesis strategies for whole reviews, as a reviewer might enter them.

Reported numbers are generated as printed texts (decimals kept, leading
dots, Unicode minus, relations, exponents), free text as any Unicode.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from curator.numbers import parse_reported
from curator.review import (
    DIRECTIONS,
    EFFECT_MEASURES,
    FAVOURS,
    MEASURES,
    STATUSES,
    AcceptedFinding,
    Arm,
    Comparison,
    Effect,
    Reference,
    Review,
    Row,
    Source,
)

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
maybe_text = st.none() | text
key = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8).filter(lambda s: s.strip())


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


def reported(whole: bool = False) -> Any:
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


@st.composite
def rows(draw: Any, reference_keys: list[str]) -> Row:
    intervention = draw(st.none() | arms)
    comparator = draw(st.none() | arms)
    effect = draw(st.none() | effects)
    if intervention is None and comparator is None and effect is None:
        intervention = draw(arms)
    citations = draw(
        st.lists(st.sampled_from(reference_keys) | key, max_size=3) if reference_keys else st.lists(key, max_size=2)
    )
    return Row(
        endpoint=draw(key),
        measure=draw(st.none() | st.sampled_from(MEASURES)),
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
        extensions=draw(extensions),
    )


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
def reviews(draw: Any, max_rows: int = 4) -> Review:
    refs = draw(st.lists(references, max_size=4, unique_by=lambda r: r.key))
    ref_keys = [r.key for r in refs]
    comparisons = draw(
        st.lists(
            st.builds(
                Comparison,
                key=key,
                title=key,
                intervention=key,
                comparator=key,
                note=maybe_text,
                rows=st.lists(rows(ref_keys), max_size=max_rows),
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
        extensions=draw(extensions),
    )
