"""Comparing two reviewers' extractions (exchange-format "Two reviewers' files")."""

from __future__ import annotations

import copy
import json

from curator.compare import Difference, compare_reviews, format_differences_text
from curator.numbers import parse_reported
from curator.review import Arm, Comparison, Effect, Review, Row, Source


def R(text: str):  # noqa: N802
    return parse_reported(text)


def base_row(endpoint: str = "Flare-free patients", **kw) -> Row:
    fields = dict(
        endpoint=endpoint,
        measure="percent",
        unit="%",
        higher_is_better=True,
        intervention=Arm(value=R("50.8"), n=R("474")),
        comparator=Arm(value=R("28.3")),
        effect=Effect(measure="RR", value=R("1.80"), ci_low=R("1.50"), ci_high=R("2.16"), p=R("<0.001")),
        finding="Pimecrolimus  was better.",
        favours="intervention",
        citations=["7", "9"],
        source=Source(location="Table 1", quote="Flare-Free Patients 50.8% 28.3%"),
    )
    fields.update(kw)
    return Row(**fields)


def review(*rows: Row, key: str = "pime-vs-tcs", **kw) -> Review:
    comp = Comparison(
        key=key, title="Pimecrolimus vs TCS", intervention="Pimecrolimus", comparator="TCS", rows=list(rows), **kw
    )
    return Review(title="t", comparisons=[comp])


def test_identical_reviews_agree() -> None:
    a = review(base_row(), base_row("Days on TCS"))
    assert compare_reviews(a, copy.deepcopy(a)) == []
    assert format_differences_text([]) == "The two reviews agree.\n"


def test_numbers_compare_as_numbers_with_relation() -> None:
    a = review(base_row())
    b = copy.deepcopy(a)
    row = b.comparisons[0].rows[0]
    row.intervention.value = R("50.80")  # same number
    row.effect.p = R("<.001")  # same relation and bound
    row.effect.ci_low = R("1.5")
    assert compare_reviews(a, b) == []
    row.effect.p = R("0.001")
    row.intervention.n = R("475")
    diffs = compare_reviews(a, b)
    assert [d.to_json() for d in diffs] == [
        {
            "comparison": "pime-vs-tcs",
            "endpoint": "Flare-free patients",
            "field": "intervention.n",
            "a": "474",
            "b": "475",
        },
        {
            "comparison": "pime-vs-tcs",
            "endpoint": "Flare-free patients",
            "field": "effect.p",
            "a": "<0.001",
            "b": "0.001",
        },
    ]


def test_equals_relation_is_no_relation() -> None:
    a = review(base_row(effect=Effect(p=R("0.03"))))
    b = review(base_row(effect=Effect(p=R("=0.03"))))
    assert compare_reviews(a, b) == []


def test_spec_example() -> None:
    a = review(base_row("Flare-free patients"))
    b = review(
        base_row("Flare-free patients", intervention=Arm(value=R("58.0"), n=R("474"))),
        base_row("Days on TCS (median)", measure="median"),
    )
    assert [d.to_json() for d in compare_reviews(a, b)] == [
        {
            "comparison": "pime-vs-tcs",
            "endpoint": "Flare-free patients",
            "field": "intervention.value",
            "a": "50.8",
            "b": "58.0",
        },
        {"comparison": "pime-vs-tcs", "endpoint": "Days on TCS (median)", "only_in": "b"},
    ]


def test_text_after_folding_white_space_and_not_reviewer_fields() -> None:
    a = review(base_row(status="verified", extracted_by="Ann", verified_by="Bo", note="x"))
    b = review(
        base_row(
            finding="Pimecrolimus was better. ",
            status="draft",
            extracted_by="Cy",
            note="other",
            source=Source(location="Table  1", quote="Flare-Free Patients\t50.8%  28.3%"),
        )
    )
    assert compare_reviews(a, b) == []
    b.comparisons[0].rows[0].finding = "pimecrolimus was better."
    (d,) = compare_reviews(a, b)
    assert (d.field, d.a, d.b) == ("finding", "Pimecrolimus  was better.", "pimecrolimus was better.")


def test_endpoint_matching_ignores_case_and_white_space() -> None:
    a = review(base_row("Flare-free patients"))
    b = review(base_row("flare-free   Patients"))
    assert compare_reviews(a, b) == []


def test_citation_disagreement_is_a_field_not_two_rows() -> None:
    a = review(base_row(citations=["7", "9"]))
    b = review(base_row(citations=["9", "7"]))
    assert compare_reviews(a, b) == []  # a set
    b = review(base_row(citations=["7"]))
    assert [d.to_json() for d in compare_reviews(a, b)] == [
        {"comparison": "pime-vs-tcs", "endpoint": "Flare-free patients", "field": "citations", "a": "7, 9", "b": "7"}
    ]


def test_same_endpoint_rows_match_by_citations_first() -> None:
    a = review(base_row(citations=["7"]), base_row(citations=["9"], intervention=Arm(value=R("40"))))
    b = review(base_row(citations=["9"], intervention=Arm(value=R("40"))), base_row(citations=["7"]))
    assert compare_reviews(a, b) == []


def test_leftovers_pair_in_order_and_extra_rows_are_lone() -> None:
    a = review(base_row(citations=["1"]), base_row(citations=["2"]))
    b = review(base_row(citations=["3"]))
    diffs = [d.to_json() for d in compare_reviews(a, b)]
    assert diffs == [
        {"comparison": "pime-vs-tcs", "endpoint": "Flare-free patients", "field": "citations", "a": "1", "b": "3"},
        {"comparison": "pime-vs-tcs", "endpoint": "Flare-free patients", "only_in": "a"},
    ]


def test_every_field_is_named_by_its_dotted_path() -> None:
    a = review(base_row())
    b = review(
        base_row(
            measure="mean",
            unit="points",
            higher_is_better=False,
            intervention=Arm(value=R("50.8"), n=R("474"), text="approx.", events=R("241"), sd=R("1.2")),
            comparator=Arm(value=R("28.4")),
            effect=Effect(
                measure="OR",
                value=R("1.81"),
                ci_low=R("1.51"),
                ci_high=R("2.17"),
                ci_level=90,
                p=R("0.001"),
                direction="comparator_vs_intervention",
                versus="vehicle",
            ),
            finding="No difference.",
            favours="neither",
            duration="12 months",
            population="Children",
            citations=["7"],
            source=Source(location="Table 2", quote="other"),
        )
    )
    fields = [d.field for d in compare_reviews(a, b)]
    assert fields == [
        "measure",
        "unit",
        "higher_is_better",
        "intervention.text",
        "intervention.events",
        "intervention.sd",
        "comparator.value",
        "effect.measure",
        "effect.value",
        "effect.ci_low",
        "effect.ci_high",
        "effect.ci_level",
        "effect.p",
        "effect.direction",
        "effect.versus",
        "finding",
        "favours",
        "duration",
        "population",
        "citations",
        "source.location",
        "source.quote",
    ]
    d = {x.field: x for x in compare_reviews(a, b)}
    assert (d["higher_is_better"].a, d["higher_is_better"].b) == ("true", "false")
    assert (d["effect.ci_level"].a, d["effect.ci_level"].b) == (None, "90")


def test_defaults_compare_equal() -> None:
    a = review(base_row(effect=Effect(measure="RR", value=R("1.80"))))
    b = review(
        base_row(effect=Effect(measure="RR", value=R("1.80"), ci_level=95, direction="intervention_vs_comparator"))
    )
    assert compare_reviews(a, b) == []
    assert compare_reviews(review(base_row(effect=None)), review(base_row(effect=Effect()))) == []
    assert compare_reviews(review(base_row(finding="")), review(base_row(finding=None))) == []


def test_comparison_in_one_file_reports_its_rows() -> None:
    a = review(base_row())
    b = review(base_row())
    b.comparisons.append(Comparison("pime-vs-tac", "P vs T", "P", "T", rows=[base_row("Success"), base_row("EASI")]))
    b.comparisons.append(Comparison("empty", "E", "P", "T"))
    assert [d.to_json() for d in compare_reviews(a, b)] == [
        {"comparison": "pime-vs-tac", "endpoint": "Success", "only_in": "b"},
        {"comparison": "pime-vs-tac", "endpoint": "EASI", "only_in": "b"},
        {"comparison": "empty", "endpoint": None, "only_in": "b"},
    ]
    assert [d.only_in for d in compare_reviews(b, a)] == ["a", "a", "a"]


def test_comparison_labels() -> None:
    a = review(base_row())
    b = copy.deepcopy(a)
    b.comparisons[0].comparator = "Topical corticosteroids"
    assert [d.to_json() for d in compare_reviews(a, b)] == [
        {
            "comparison": "pime-vs-tcs",
            "endpoint": None,
            "field": "comparator",
            "a": "TCS",
            "b": "Topical corticosteroids",
        }
    ]


def test_json_and_text_report() -> None:
    diffs = [
        Difference("c", "Flare-free patients", "intervention.value", "50.8", "58.0"),
        Difference("c", "Flare-free patients", "effect.p", None, "0.03"),
        Difference("c", "Days", only_in="b"),
    ]
    json.dumps([d.to_json() for d in diffs])
    text = format_differences_text(diffs, "ann.json", "bo.json")
    assert "intervention.value: ann.json '50.8'  |  bo.json '58.0'" in text
    assert "effect.p: ann.json (absent)" in text
    assert "row 'Days': only in bo.json" in text
    assert text.rstrip().endswith("3 differences")
