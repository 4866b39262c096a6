"""Values entered without evidence are found where their printed text stands in the paper."""

from __future__ import annotations

from curator.locate import locate_row, printed_forms
from curator.numbers import parse_reported
from curator.review import Arm, Effect, Row
from tests.documents.pdfs import paper

PAPER = paper(
    [
        [(72, 100, "Patients requiring TCS: 42.6% (202/474) vs 68.4% (n = 237)"), (72, 140, "Dose 142.6 mg, 42.65 mg")],
        [(72, 200, "Relative risk 0.62 (0.54-0.71), p < 0.001"), (72, 240, "Mean change -4.6 vs -2.1")],
    ]
)


def _r(text: str) -> object:
    return parse_reported(text)


def test_every_value_is_found_where_it_stands_and_only_as_a_whole_number() -> None:
    row = Row(
        "Patients requiring TCS",
        measure="percent",
        intervention=Arm(value=parse_reported("42.6"), events=parse_reported("202"), n=parse_reported("474")),
        comparator=Arm(value=parse_reported("68.4"), n=parse_reported("237"), sd=parse_reported("NR")),
        effect=Effect(measure="RR", value=parse_reported("0.62"), ci_low=parse_reported("0.54"),
                      ci_high=parse_reported("0.71"), p=parse_reported("<0.001")),
    )  # fmt: skip
    found = {loc.field: loc for loc in locate_row(row, PAPER)}
    assert list(found) == [
        "endpoint",
        "intervention.value",
        "intervention.n",
        "intervention.events",
        "comparator.value",
        "comparator.n",
        "effect.value",
        "effect.ci_low",
        "effect.ci_high",
        "effect.p",
    ]  # NR is not looked for; the measure is no printed text
    # 42.6 stands once as a number: not in 142.6 nor in 42.65
    assert [(h.page, h.text) for h in found["intervention.value"].hits] == [(1, "42.6")]
    assert [(h.page, h.text) for h in found["effect.ci_high"].hits] == [(2, "0.71")]
    assert found["effect.p"].hits == ()  # printed "p < 0.001", typed "<0.001": the reviewer picks the place
    for located in found.values():
        for hit in located.hits:
            assert all(x0 < x1 and y0 < y1 for x0, y0, x1, y1 in hit.boxes)


def test_a_number_is_looked_for_in_the_forms_a_paper_prints_it() -> None:
    assert printed_forms("−4.6") == ["−4.6", "-4.6", "–4.6", "−4·6", "-4·6", "–4·6"]
    assert printed_forms("0·55") == ["0·55", "0.55"]
    row = Row("x", measure="mean", intervention=Arm(value=parse_reported("− 4.6")))
    (located,) = [loc for loc in locate_row(row, PAPER) if loc.field == "intervention.value"]
    assert [(h.page, h.text) for h in located.hits] == [(2, "-4.6")]
