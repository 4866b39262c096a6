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


# -- format 1.1 ----------------------------------------------------------------


def row_1_1(**kw) -> Row:
    """A row of a continuous outcome with the fields of format 1.1."""
    fields = dict(
        endpoint="Itch score",
        measure="mean",
        analysis="adjusted",
        integer_items=R("1"),
        intervention=Arm(value=R("12.1"), n=R("3145"), sd=R("4.0"), se=R("0.55"), q1=R("10"), q3=R("15")),
        comparator=Arm(value=R("-4.6"), n=R("NR"), min=R("0"), max=R("40"), ci_low=R("2.1"), ci_high=R("7.0")),
        effect=Effect(measure="MD", value=R("-2.3"), se=R("0.8"), adjusted=True, contrast="change", method="ANCOVA"),
        citations=["7"],
    )
    fields.update(kw)
    return Row(**fields)


def test_the_printed_forms_of_1_1_compare_as_numbers_and_nr_equals_nr() -> None:
    a = review(row_1_1())
    b = copy.deepcopy(a)
    row = b.comparisons[0].rows[0]
    row.intervention.se = parse_reported("0·55")  # middle dot: 0.55
    row.intervention.n = parse_reported("3,145", whole=True)  # grouped: 3145
    row.comparator.value = R("− 4.6")  # minus sign and a space: -4.6
    row.comparator.n = R("nr")  # NR in any case is NR
    assert compare_reviews(a, b) == []


def test_nr_differs_from_absent_and_from_a_number() -> None:
    a = review(row_1_1())
    b = copy.deepcopy(a)
    b.comparisons[0].rows[0].comparator.n = None
    b.comparisons[0].rows[0].intervention.sd = R("NR")
    assert [d.to_json() for d in compare_reviews(a, b)] == [
        {"comparison": "pime-vs-tcs", "endpoint": "Itch score", "field": "intervention.sd", "a": "4.0", "b": "NR"},
        {"comparison": "pime-vs-tcs", "endpoint": "Itch score", "field": "comparator.n", "a": "NR", "b": None},
    ]


def test_every_field_1_1_added_is_compared() -> None:
    a = review(row_1_1())
    b = review(
        row_1_1(
            analysis="kaplan_meier",
            integer_items=R("2"),
            intervention=Arm(value=R("12.1"), n=R("3145"), sd=R("4.0"), se=R("0.56"), q1=R("11"), q3=R("16")),
            comparator=Arm(value=R("-4.6"), n=R("NR"), min=R("1"), max=R("41"), ci_low=R("2.2"), ci_high=R("7.1")),
            effect=Effect(
                measure="IRR",
                value=R("-2.3"),
                se=R("0.9"),
                adjusted=False,
                contrast="other",
                method="Cox model",
                ci_level=R("95.02"),
            ),
        )
    )
    diffs = compare_reviews(a, b)
    assert [(d.field, d.a, d.b) for d in diffs] == [
        ("analysis", "adjusted", "kaplan_meier"),
        ("integer_items", "1", "2"),
        ("intervention.se", "0.55", "0.56"),
        ("intervention.q1", "10", "11"),
        ("intervention.q3", "15", "16"),
        ("comparator.ci_low", "2.1", "2.2"),
        ("comparator.ci_high", "7.0", "7.1"),
        ("comparator.min", "0", "1"),
        ("comparator.max", "40", "41"),
        ("effect.measure", "MD", "IRR"),
        ("effect.ci_level", None, "95.02"),
        ("effect.se", "0.8", "0.9"),
        ("effect.adjusted", "true", "false"),
        ("effect.contrast", "change", "other"),
        ("effect.method", "ANCOVA", "Cox model"),
    ]
    from curator.formats.fields import ADDED_IN_1_1

    compared = {(d.field or "").replace("intervention.", "arm.").replace("comparator.", "arm.") for d in diffs}
    added = {f"{obj}.{key}" if obj != "row" else key for obj in ("row", "arm", "effect") for key in ADDED_IN_1_1[obj]}
    assert added - {"evidence"} <= compared


def test_absent_means_what_the_format_says_it_means() -> None:
    """ci_level absent is 95 (also printed "95" or "95.0"), adjusted absent is false,
    contrast absent is arms, analysis absent is crude."""
    a = review(row_1_1(analysis=None, effect=Effect(measure="MD", value=R("-2.3"))))
    b = review(
        row_1_1(
            analysis="crude",
            effect=Effect(measure="MD", value=R("-2.3"), ci_level=R("95.0"), adjusted=False, contrast="arms"),
        )
    )
    assert compare_reviews(a, b) == []
    b.comparisons[0].rows[0].effect.ci_level = 95
    assert compare_reviews(a, b) == []
    b.comparisons[0].rows[0].effect.ci_level = R("NR")  # looked, and the paper does not say: not absent
    assert [(d.field, d.a, d.b) for d in compare_reviews(a, b)] == [("effect.ci_level", None, "NR")]
    b.comparisons[0].rows[0].effect.ci_level = 90
    b.comparisons[0].rows[0].effect.adjusted = True
    assert [(d.field, d.a, d.b) for d in compare_reviews(a, b)] == [
        ("effect.ci_level", None, "90"),
        ("effect.adjusted", None, "true"),
    ]


def test_evidence_and_documents_are_not_compared() -> None:
    """Where each reviewer read a value is not a value: two readings of the same number agree."""
    from curator.review import Document, Evidence

    a = review(row_1_1())
    b = copy.deepcopy(a)
    b.documents = [Document(sha256="ab" * 32, file="wahn-2002.pdf")]
    b.comparisons[0].rows[0].evidence = {"intervention.value": Evidence(document="ab" * 32, page=3)}
    assert compare_reviews(a, b) == []
