"""The reader refuses what is off contract, precisely, and loads the rest."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from curator.errors import InputError
from curator.formats.exchange import loads_exchange, read_exchange


def doc(**top: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"format": "curator/1", "title": "T", "references": [{"key": "7"}]}
    base["comparisons"] = [
        {
            "key": "c",
            "title": "C",
            "intervention": "Pimecrolimus",
            "comparator": "Vehicle",
            "rows": [
                {"endpoint": "E0", "intervention": {"value": "1"}},
                {"endpoint": "E1", "intervention": {"value": "1"}},
                {"endpoint": "E2", "intervention": {"value": "42.6", "n": "474"}, "citations": ["7"]},
            ],
        }
    ]
    base.update(top)
    return base


def with_row(**fields: Any) -> str:
    d = doc()
    d["comparisons"][0]["rows"][2].update(fields)
    return json.dumps(d)


def refused(text: str) -> str:
    with pytest.raises(InputError) as info:
        loads_exchange(text, file="r.json")
    return str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            with_row(intervention={"n": "forty"}),
            'r.json: comparisons[0].rows[2].intervention.n: "forty" is not a whole number',
        ),
        (
            with_row(intervention={"value": "42.6%"}),
            'comparisons[0].rows[2].intervention.value: "42.6%" is not a number',
        ),
        (with_row(intervention={"value": True}), "comparisons[0].rows[2].intervention.value: true is not a number"),
        (with_row(intervention={"sd": [1]}), "comparisons[0].rows[2].intervention.sd: [1] is not a number"),
        (with_row(effect={"p": "NS"}), 'comparisons[0].rows[2].effect.p: "NS" is not a number'),
        (with_row(effect={"ci_level": "95"}), 'comparisons[0].rows[2].effect.ci_level: "95" is not a number'),
        (
            with_row(measure="percentage"),
            'comparisons[0].rows[2].measure: "percentage" is not one of percent, mean, median, count, text',
        ),
        (
            with_row(status="done"),
            'comparisons[0].rows[2].status: "done" is not one of draft, extracted, verified, disputed',
        ),
        (
            with_row(effect={"measure": "rr"}),
            'comparisons[0].rows[2].effect.measure: "rr" is not one of RR, OR, HR, RD, MD, SMD',
        ),
        (with_row(higher_is_better="yes"), 'comparisons[0].rows[2].higher_is_better: "yes" is not true, false or null'),
        (with_row(citations="7"), 'comparisons[0].rows[2].citations: "7" is not a list of strings'),
        (with_row(citations=["7", 8]), "comparisons[0].rows[2].citations: item 1, 8, is not a string"),
        (with_row(endpont="x"), 'comparisons[0].rows[2]: unknown field "endpont" (did you mean "endpoint"?)'),
        (
            with_row(intervention={"valeu": "1"}),
            'comparisons[0].rows[2].intervention: unknown field "valeu" (did you mean "value"?)',
        ),
        (with_row(endpoint=None), "comparisons[0].rows[2].endpoint: null is not allowed; endpoint is required"),
        (with_row(endpoint="  "), 'comparisons[0].rows[2].endpoint: "  " is empty; endpoint is required'),
        (with_row(source="p. 3"), 'comparisons[0].rows[2].source: "p. 3" is not an object'),
        (
            json.dumps(doc(references=[{"key": "7", "year": "2004"}])),
            'references[0].year: "2004" is not a whole number',
        ),
        (json.dumps(doc(references=[{"title": "x"}])), 'references[0]: missing required field "key"'),
        (
            json.dumps(doc(references=[{"key": "1"}, {"key": "1"}])),
            'references[1].key: "1" is already the key of references[0]',
        ),
        (json.dumps(doc(references={"key": "1"})), 'references: {"key": "1"} is not a list'),
        (json.dumps(doc(title=5)), "r.json: title: 5 is not a string"),
        (json.dumps(doc(format="curator/2")), 'format: "curator/2" is not supported; this Curator reads curator/1'),
        (json.dumps({"title": "x"}), 'r.json: (top level): missing required field "format"'),
        ("[1, 2]", "r.json: (top level): the file holds a list, not a curator/1 object"),
        ('"curator/1"', "the file holds a string, not a curator/1 object"),
        ("", "r.json: the file is empty; a curator/1 file is a JSON object"),
        ("  \n", "r.json: the file is empty"),
        (
            '{"format": "curator/1", "title": "a",',
            "r.json: not valid JSON: Expecting property name enclosed in double quotes at line 1, column 38",
        ),
        ('{"format": "curator/1"} trailing', "r.json: not valid JSON: Extra data at line 1, column 25"),
        ('{"format": "curator/1", "title": NaN}', "r.json: not valid JSON: NaN is not valid JSON"),
        (
            '{"format": "curator/1", "title": "a", "title": "b"}',
            'r.json: (top level): the key "title" appears more than once',
        ),
        (
            with_row().replace('"n": "474"', '"n": "474", "n": "475"'),
            'comparisons[0].rows[2].intervention: the key "n" appears more than once',
        ),
    ],
)
def test_refused_with_path_field_and_value(text: str, message: str) -> None:
    assert message in refused(text)


def test_row_needs_an_arm_or_an_effect() -> None:
    d = doc()
    d["comparisons"][0]["rows"][1] = {"endpoint": "E1", "effect": None, "finding": "x"}
    assert "comparisons[0].rows[1]: a row needs at least one of" in refused(json.dumps(d))


@pytest.mark.parametrize(
    ("finding", "message"),
    [
        (
            {"rule": "r", "reason": "ok", "comparison": "nope"},
            'accepted_findings[0].comparison: "nope" is not the key of a comparison',
        ),
        (
            {"rule": "r", "reason": "ok", "comparison": "c", "row": 3},
            "accepted_findings[0].row: 3 is not a row of comparison",
        ),
        (
            {"rule": "r", "reason": "ok", "comparison": "c", "row": 0, "endpoint": "E2"},
            'accepted_findings[0].endpoint: "E2" does not match row 0',
        ),
        ({"rule": "r", "reason": "ok", "row": 0}, "accepted_findings[0].row: a row needs its comparison"),
        (
            {"rule": "r", "reason": "ok", "reference": "8"},
            'accepted_findings[0].reference: "8" is not the key of a reference',
        ),
        (
            {"rule": "r", "reason": "ok", "at": "yesterday"},
            'accepted_findings[0].at: "yesterday" is not an ISO 8601 date and time',
        ),
        ({"rule": "r"}, 'accepted_findings[0]: missing required field "reason"'),
    ],
)
def test_dangling_or_malformed_acceptance_is_refused(finding: dict[str, Any], message: str) -> None:
    assert message in refused(json.dumps(doc(accepted_findings=[finding])))


def test_acceptance_matching_its_row_loads() -> None:
    review = loads_exchange(
        json.dumps(
            doc(
                accepted_findings=[
                    {
                        "rule": "r",
                        "reason": "ok",
                        "comparison": "c",
                        "row": 2,
                        "endpoint": " e2 ",
                        "at": "2026-01-02T03:04:05Z",
                    }
                ]
            )
        )
    )
    assert review.accepted_findings[0].row == 2


def test_wrong_but_well_formed_numbers_load() -> None:
    """Finding these is the job of the checks, so they must be storable."""
    review = loads_exchange(
        with_row(
            intervention={"value": "104.5", "n": "12.5", "events": "<50"},
            comparator={"value": "−1.5", "n": "0", "events": "9"},
            effect={"measure": "RR", "value": "0.00", "p": "1.7", "ci_low": ".03"},
            citations=["no-such-reference"],
        ).replace('"references": [{"key": "7"}]', '"references": [{"key": "7", "pmid": "123456789"}]')
    )
    row = review.comparisons[0].rows[2]
    assert row.intervention is not None and row.comparator is not None and row.effect is not None
    assert row.intervention.value is not None and row.intervention.value.text == "104.5"
    assert row.intervention.n is not None and row.intervention.n.value == Decimal("12.5")
    assert row.intervention.events is not None and row.intervention.events.relation == "<"
    assert row.comparator.value is not None and row.comparator.value.value == Decimal("-1.5")
    assert row.comparator.value.text == "−1.5"
    assert row.effect.ci_low is not None and row.effect.ci_low.exponent == -2
    assert row.citations == ["no-such-reference"]
    assert review.references[0].pmid == "123456789"


def test_json_numbers_take_their_shortest_written_form() -> None:
    text = with_row(intervention={"value": 42.60, "n": 474, "sd": 1e-05}, effect={"ci_level": 90})
    row = loads_exchange(text).comparisons[0].rows[2]
    assert row.intervention is not None and row.effect is not None
    assert row.intervention.value is not None and row.intervention.value.text == "42.6"
    assert row.intervention.n is not None and row.intervention.n.text == "474"
    assert row.intervention.sd is not None and row.intervention.sd.text == "1e-05"
    assert row.effect.ci_level == 90


def test_extension_keys_are_kept_and_unknown_keys_everywhere_else_refused() -> None:
    d = doc(**{"x-tool": {"name": "script", "v": [1, 2]}})
    d["comparisons"][0]["rows"][2]["intervention"]["x-page"] = 3
    review = loads_exchange(json.dumps(d))
    assert review.extensions == {"x-tool": {"name": "script", "v": [1, 2]}}
    arm = review.comparisons[0].rows[2].intervention
    assert arm is not None and arm.extensions == {"x-page": 3}


def test_doi_prefix_is_removed_and_pmid_number_accepted() -> None:
    d = doc(references=[{"key": "7", "doi": "https://doi.org/10.1016/J.X.2004.01", "pmid": 15231234}])
    ref = loads_exchange(json.dumps(d)).references[0]
    assert ref.doi == "10.1016/J.X.2004.01"
    assert ref.pmid == "15231234"


def test_nulls_mean_absent() -> None:
    row = loads_exchange(with_row(effect=None, favours=None, higher_is_better=None, unit=None)).comparisons[0].rows[2]
    assert row.effect is None and row.favours is None and row.higher_is_better is None and row.unit is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{\x00", "not a UTF-8 text file"),
        (b"SQLite format 3\x00" + b"\x00" * 100, "not valid JSON"),
    ],
)
def test_binary_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_exchange(path)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.json: no such file"):
        read_exchange(tmp_path / "nope.json")


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc()).encode())
    assert read_exchange(path).title == "T"


# -- format 1.1 ----------------------------------------------------------------

SHA = "ab" * 32


def doc_1_1(**top: Any) -> dict[str, Any]:
    """:func:`doc` as curator/1.1 with one document, and row 2 using 1.1 fields with evidence."""
    d = doc(format="curator/1.1", documents=[{"sha256": SHA, "file": "wahn-2002.pdf", "reference": "7"}])
    d["comparisons"][0]["rows"][2].update(
        measure="mean",
        analysis="adjusted",
        integer_items="1",
        intervention={"value": "12·1", "n": "3,145", "sd": "NR", "se": "0.55", "q1": "10", "q3": "15"},
        comparator={"value": "− 4.6", "n": "10 096", "min": "0", "max": "40", "ci_low": "2.1", "ci_high": "7.0"},
        effect={
            "measure": "IRR",
            "value": "0·55",
            "ci_level": "95.02",
            "se": "0.12",
            "adjusted": True,
            "contrast": "change",
            "method": "Cox model",
        },
        evidence={
            "intervention.value": {"document": SHA, "page": 3, "text": "12·1", "boxes": [[72, 100.5, 90, 110]]},
            "endpoint": {"document": SHA, "page": 2},
        },
        status="extracted",
    )
    d.update(top)
    return d


def test_a_1_1_file_loads_every_new_field_as_printed() -> None:
    review = loads_exchange(json.dumps(doc_1_1()))
    row = review.comparisons[0].rows[2]
    assert row.intervention is not None and row.comparator is not None and row.effect is not None
    assert (row.analysis, row.effect.adjusted, row.effect.contrast, row.effect.method) == (
        "adjusted",
        True,
        "change",
        "Cox model",
    )
    assert row.intervention.value is not None and row.intervention.value.value == Decimal("12.1")
    assert row.intervention.n is not None and (row.intervention.n.text, row.intervention.n.value) == (
        "3,145",
        Decimal(3145),
    )
    assert row.comparator.n is not None and row.comparator.n.value == Decimal(10096)
    assert row.comparator.value is not None and row.comparator.value.value == Decimal("-4.6")
    assert row.intervention.sd is not None and row.intervention.sd.not_reported
    assert row.effect.level_exact == Decimal("95.02")
    assert row.evidence["intervention.value"].boxes == [[72, 100.5, 90, 110]]
    assert review.documents[0].file == "wahn-2002.pdf" and review.documents[0].reference == "7"


def test_a_file_that_says_curator_1_still_reads_the_printed_forms() -> None:
    """NR, middle dots, a spaced minus and grouped counts are printed numbers in every version."""
    row = (
        loads_exchange(
            with_row(intervention={"value": "0·55", "n": "3,145", "sd": "NR"}, comparator={"value": "− 4.6"})
        )
        .comparisons[0]
        .rows[2]
    )
    assert row.intervention is not None and row.intervention.n is not None
    assert row.intervention.n.value == Decimal(3145)


def _as_curator_1(d: dict[str, Any]) -> str:
    return json.dumps({**d, "format": "curator/1"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["comparisons"][0]["rows"][2].update(intervention={"se": "1.2"}),
            'comparisons[0].rows[2].intervention: unknown field "se" (a field of curator/1.1: '
            'give "format": "curator/1.1" to use it)',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2].update(analysis="adjusted"),
            'comparisons[0].rows[2]: unknown field "analysis" (a field of curator/1.1',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2].update(effect={"adjusted": False}),
            'comparisons[0].rows[2].effect: unknown field "adjusted"',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2].update(effect={"measure": "IRR"}),
            'comparisons[0].rows[2].effect.measure: "IRR" is not one of RR, OR, HR, RD, MD, SMD '
            '(curator/1.1 has it: give "format": "curator/1.1" to use it)',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2].update(effect={"ci_level": "95.02"}),
            'comparisons[0].rows[2].effect.ci_level: "95.02" is not a number (curator/1.1 has it',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2].update(evidence={}),
            'comparisons[0].rows[2]: unknown field "evidence" (a field of curator/1.1',
        ),
        (lambda d: d.update(documents=[]), '(top level): unknown field "documents" (a field of curator/1.1'),
    ],
)
def test_a_1_1_field_in_a_curator_1_file_is_an_unknown_field(change: Any, message: str) -> None:
    d = doc()
    change(d)
    assert message in refused(_as_curator_1(d))
    # ... and the same under curator/1.1 loads.
    d["format"] = "curator/1.1"
    d.setdefault("documents", [])
    loads_exchange(json.dumps(d))


def test_a_1_1_file_read_as_curator_1_fails_at_its_first_1_1_field() -> None:
    assert 'r.json: comparisons[0].rows[2].intervention: unknown field "se"' in refused(_as_curator_1(doc_1_1()))


def _evidence(d: dict[str, Any]) -> dict[str, Any]:
    evidence: dict[str, Any] = d["comparisons"][0]["rows"][2]["evidence"]
    return evidence


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: _evidence(d)["intervention.value"].update(document="cd" * 32),
            f'comparisons[0].rows[2].evidence["intervention.value"].document: "{"cd" * 32}" is not the sha256 '
            "of a document of this file",
        ),
        (
            lambda d: _evidence(d).update({"intervention.valeu": {"document": SHA, "page": 1}}),
            'comparisons[0].rows[2].evidence: "intervention.valeu" is not a field of a row '
            '(did you mean "intervention.value"?): evidence about it would dangle',
        ),
        (
            lambda d: _evidence(d).update({"effect": {"document": SHA, "page": 1}}),
            'comparisons[0].rows[2].evidence: "effect" is not a field of a row',
        ),
        (
            lambda d: _evidence(d).update({"x-note": {"document": SHA, "page": 1}}),
            'comparisons[0].rows[2].evidence: "x-note" is not a field of a row',
        ),
        (
            lambda d: d["documents"].append({"sha256": SHA.upper(), "file": "copy.pdf"}),
            f'documents[1].sha256: "{SHA}" is already the sha256 of documents[0]',
        ),
        (
            lambda d: d["documents"][0].update(sha256="abc"),
            'documents[0].sha256: "abc" is not a SHA-256 (64 hex digits)',
        ),
        (lambda d: d["documents"][0].pop("file"), 'documents[0]: missing required field "file"'),
        (
            lambda d: _evidence(d)["intervention.value"].update(page=0),
            'comparisons[0].rows[2].evidence["intervention.value"].page: 0 is not a page number (1 or more)',
        ),
        (
            lambda d: _evidence(d)["intervention.value"].pop("page"),
            'comparisons[0].rows[2].evidence["intervention.value"]: missing required field "page"',
        ),
        (
            lambda d: _evidence(d)["intervention.value"].update(boxes=[[1, 2, 3]]),
            'evidence["intervention.value"].boxes: box 0, [1, 2, 3], is not four numbers [x0, y0, x1, y1]',
        ),
        (
            lambda d: _evidence(d)["intervention.value"].update(pages=2),
            'evidence["intervention.value"]: unknown field "pages" (did you mean "page"?)',
        ),
        (lambda d: d["comparisons"][0]["rows"][2].update(evidence=[]), "evidence: [] is not an object of field paths"),
        (
            lambda d: d["comparisons"][0]["rows"][2].update(analysis="cox"),
            'rows[2].analysis: "cox" is not one of crude, adjusted, kaplan_meier',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2]["effect"].update(contrast="baseline"),
            'rows[2].effect.contrast: "baseline" is not one of arms, change, other',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2]["effect"].update(measure="rr"),
            'rows[2].effect.measure: "rr" is not one of RR, OR, HR, IRR, RD, MD, SMD',
        ),
        (
            lambda d: d["comparisons"][0]["rows"][2]["intervention"].update(se="3,145"),
            'rows[2].intervention.se: "3,145" is not a number (write it without a thousands separator',
        ),
        (lambda d: d["comparisons"][0]["rows"][2].update(integer_items="N/R"), '"N/R" is not a whole number'),
    ],
)
def test_1_1_refusals_name_the_path_and_the_value(change: Any, message: str) -> None:
    d = doc_1_1()
    change(d)
    assert message in refused(json.dumps(d))


def test_a_hash_is_read_in_lower_case_and_evidence_may_name_it_in_either() -> None:
    d = doc_1_1()
    d["documents"][0]["sha256"] = SHA.upper()
    _evidence(d)["endpoint"]["document"] = SHA.upper()
    review = loads_exchange(json.dumps(d))
    assert review.documents[0].sha256 == SHA
    assert review.comparisons[0].rows[2].evidence["endpoint"].document == SHA


def test_a_document_whose_file_is_nowhere_loads_as_a_name() -> None:
    """Looking for the files is not the reader's job here (issue 14): names are kept as they are."""
    review = loads_exchange(json.dumps(doc_1_1(documents=[{"sha256": SHA, "file": "/no/such/folder/x.pdf"}])))
    assert review.documents[0].file == "/no/such/folder/x.pdf"


def test_unsupported_format_names_both_versions() -> None:
    assert 'format: "curator/2" is not supported; this Curator reads curator/1 and curator/1.1' in refused(
        json.dumps(doc(format="curator/2"))
    )
